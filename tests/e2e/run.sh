#!/usr/bin/env bash
# Runs the end-to-end tests against the built app (CSPULSE_APP or $CARGO_TARGET_DIR/debug/cs-pulse),
# under a virtual display when there is no real one. Arguments go to wdio (e.g. --spec FILE). The last line is "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules ] || npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
if [ -z "${DISPLAY:-}" ] || [ "${CSPULSE_HEADLESS:-}" = 1 ]; then
  exec xvfb-run -a -s "-screen 0 1920x1080x24" npx --no-install wdio run wdio.conf.js "$@"
fi
exec npx --no-install wdio run wdio.conf.js "$@"
