#!/usr/bin/env bash
# The .deb as a user gets it: builds it, checks its control fields, files, desktop entry and
# icons, unpacks it into a clean folder (dpkg -x: no root needed, nothing touches the system),
# and starts the INSTALLED binary under Xvfb with an empty profile and the default database
# location: the first window must show the sample company (tests/e2e first-window and About
# specs), and a CSV given on its command line must open the import flow (open-file spec).
# Screenshots land in screenshots/deb-*.png.
source "$(dirname "$0")/../../.ci/lib.sh"

# --- build (debug: the same compiled app as the e2e step, without its test seam, bundled) --
# The plain command, as a user types it (no `-- -p cs-pulse`: the app is a default member).
tauri build --debug --bundles deb --ci >/dev/null
version="$(cargo metadata --no-deps --format-version 1 |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).packages.find(p=>p.name==="cs-pulse").version))')"
deb="$(ls "$CARGO_TARGET_DIR"/debug/bundle/deb/CS\ Pulse_"${version}"_*.deb 2>/dev/null | head -1 || true)"
[ -f "$deb" ] || die "no .deb for version $version in $CARGO_TARGET_DIR/debug/bundle/deb"
echo "deb: $(basename "$deb") ($(du -k "$deb" | cut -f1) kB)"

fail() { die "the .deb: $*"; }

# --- control fields ------------------------------------------------------------------------
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = cs-pulse ] || fail "Package is '$(field Package)'"
[ "$(field Version)" = "$version" ] || fail "Version '$(field Version)' is not Cargo.toml's $version"
grep -q libwebkit2gtk-4.1-0 <<<"$(field Depends)" || fail "Depends lacks libwebkit2gtk-4.1-0: $(field Depends)"
dups="$(field Depends | tr ',' '\n' | sed 's/^ *//' | sort | uniq -d)"
[ -z "$dups" ] || fail "Depends names $dups twice: $(field Depends)"
# (a here-string, not a pipe: grep -q stops reading at the first match, and under pipefail the
# writer's SIGPIPE would fail the check on a multi-line field)
grep -qi "customer-success" <<<"$(field Description)" || fail "no description: $(field Description)"
for f in Maintainer Section Priority Architecture; do
  [ -n "$(field "$f")" ] || fail "no $f field"
done

# --- files -----------------------------------------------------------------------------------
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root"
app="$root/usr/bin/cs-pulse"
[ -x "$app" ] || fail "no executable usr/bin/cs-pulse"
desktop="$(ls "$root"/usr/share/applications/*.desktop 2>/dev/null | head -1 || true)"
[ -f "$desktop" ] || fail "no desktop entry"
desktop-file-validate "$desktop" || fail "desktop entry does not validate"
grep -q '^Exec=cs-pulse %F$' "$desktop" || fail "Exec does not take files: $(grep ^Exec "$desktop")"
for mime in text/csv application/vnd.openxmlformats-officedocument.spreadsheetml.sheet \
  application/vnd.ms-excel application/vnd.oasis.opendocument.spreadsheet; do
  grep -q "^MimeType=.*$mime;" "$desktop" || fail "desktop entry does not open $mime"
done
grep -q '^Name\[de\]\|^Comment\[de\]=' "$desktop" || fail "desktop entry has no German texts"
for size in 16x16 32x32 128x128 256x256; do
  ls "$root"/usr/share/icons/hicolor/"$size"/apps/cs-pulse.png >/dev/null 2>&1 ||
    fail "no $size icon in usr/share/icons/hicolor"
done
for dir in "$root"/usr/share/icons/hicolor/*/; do
  [[ "$(basename "$dir")" =~ ^[0-9]+x[0-9]+$ ]] || fail "icon folder $(basename "$dir") is not a hicolor size"
done
[ -f "$root/usr/share/doc/cs-pulse/copyright" ] || fail "no usr/share/doc/cs-pulse/copyright"
# the e2e build's dialog seam (cargo feature e2e) is not in what users install
if grep -q CSPULSE_E2E_PICKS "$app"; then fail "the installed binary has the e2e dialog seam"; fi
echo "deb: control fields, desktop entry, icons and copyright checked"

# --- the installed app, started as a user would ----------------------------------------------
cd "$ROOT/tests/e2e"
[ -d node_modules ] || npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
wdio() { xvfb-run -a -s "-screen 0 1920x1080x24" npx --no-install wdio run wdio.conf.js "$@"; }
export CSPULSE_APP="$app" CSPULSE_E2E_DEFAULT_DB=1
wdio --spec specs/first-window.spec.js --spec specs/about.spec.js
csv="$root/kunden.csv"
printf 'Kundennummer;Firmenname\nK-1;Alpha GmbH\n' >"$csv"
CSPULSE_E2E_ARGS="[\"$csv\"]" wdio --spec specs/open-file.spec.js
echo "deb: the installed app starts, shows the sample company and opens a file given to it"
