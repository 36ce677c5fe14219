# Shared by the scripts in .ci/ (sourced, not run). Sets the repo root as cwd and the
# Cargo target dir: a persistent one under ~/.cache when CI=true, so reruns are fast.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ "${CI:-}" = true ] && [ -z "${CARGO_TARGET_DIR:-}" ]; then
  export CARGO_TARGET_DIR="$HOME/.cache/cspulse/target"
fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

die() {
  printf '\n%s: %s\n' "$(basename "$0")" "$*" >&2
  exit 1
}

# The Tauri CLI from ui/node_modules (pinned in ui/package.json), run from the root.
tauri() { "$ROOT/ui/node_modules/.bin/tauri" "$@"; }

# The app binary `tauri build --debug --no-bundle` makes.
APP_BIN="$CARGO_TARGET_DIR/debug/cs-pulse"

has_display() { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }
