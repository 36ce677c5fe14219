# Shared by the scripts in .ci/ (sourced, not run). Sets the repo root as cwd and the
# Cargo target dir: a persistent one under ~/.cache when CI=true, so reruns are fast.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ "${CI:-}" = true ] && [ -z "${CARGO_TARGET_DIR:-}" ]; then
  export CARGO_TARGET_DIR="$HOME/.cache/cspulse/target"
  # Incremental caches only pay off while editing; in CI they double the target dir.
  export CARGO_INCREMENTAL=0
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

# A persistent target dir grows with every dependency change. Before a CI run it is emptied
# when it is larger than 8 GB or its disk has less than 10 GB free (a cold run fills about
# 4.5 GB: 2.5 GB for Linux, 1.4 GB for the Windows builds, 0.7 GB for the Wine prefix), so a
# run never dies of a full disk; stale incremental caches go in any case.
prune_target_dir() {
  [ "${CI:-}" = true ] && [ -d "$CARGO_TARGET_DIR" ] || return 0
  rm -rf "$CARGO_TARGET_DIR"/*/incremental
  local free_kb size_kb
  free_kb="$(df -Pk "$CARGO_TARGET_DIR" | awk 'NR==2 {print $4}')"
  size_kb="$(du -sk "$CARGO_TARGET_DIR" | cut -f1)"
  echo "target dir: $((size_kb / 1024)) MB, $((free_kb / 1024)) MB free on its disk"
  if [ "$size_kb" -gt $((8 * 1024 * 1024)) ] || [ "$free_kb" -lt $((10 * 1024 * 1024)) ]; then
    echo "target dir: emptied (too large or disk too full); this run builds cold"
    rm -rf "$CARGO_TARGET_DIR"
  fi
}
