#!/usr/bin/env bash
# The Windows setup as a user runs it, under Wine in a fresh prefix (a clean "machine"):
#   1. CS-Pulse-setup.exe /S (no administrator rights): the files in
#      %LOCALAPPDATA%\Programs\CS Pulse (the exe the build made, WebView2Loader.dll beside it,
#      no test shim), the Start-menu entry, the entry in Settings → Apps with Cargo.toml's
#      version, "Open with CS Pulse" for every extension of tauri.conf.json;
#   2. data where CS Pulse keeps it: the CLI's default database (cspulse.exe without --db:
#      %APPDATA%\CS Pulse\CS Pulse\data), and Tauri's folders named by the identifier;
#      Windows habits on the way: a drive-letter path with spaces, a CRLF Windows-1252 CSV
#      as Excel saves it, Excel's ~$ lock file refused in one plain line;
#   3. uninstall.exe /S: program, shortcut and registry entries gone, the data kept;
#   4. installed again, uninstall.exe /S /DELETEDATA: the data gone too.
# Needs the cross-built app and CLI and the setup (.ci/test's Windows steps build them).
source "$(dirname "$0")/../../.ci/lib.sh"
source "$ROOT/tests/windows/wine-env"

setup="$WIN_DIR/bundle/CS-Pulse-setup.exe"
for f in "$setup" "$WIN_DIR/cs-pulse.exe" "$WIN_DIR/cspulse.exe"; do
  [ -f "$f" ] || die "no $f: build the Windows app, CLI and setup first"
done
fail() { die "the Windows setup: $*"; }

# a fresh prefix of its own, removed afterwards
scratch="$(mktemp -d)"
export WINEPREFIX="$scratch/prefix"
cleanup() {
  wineserver -k 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT
wine_prefix
# Windows paths of the user's folders, and where they are on this side
winvar() { wine cmd /c echo "%$1%" | tr -d '\r'; }
unix() { winepath -u "$1" 2>/dev/null | tr -d '\r'; }
LOCALAPPDATA="$(winvar LOCALAPPDATA)"
APPDATA="$(winvar APPDATA)"
local_dir="$(unix "$LOCALAPPDATA")"
roaming_dir="$(unix "$APPDATA")"
[ -d "$local_dir" ] && [ -d "$roaming_dir" ] || fail "no user folders in the prefix ($LOCALAPPDATA, $APPDATA)"

version="$(cargo metadata --no-deps --format-version 1 --locked |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).packages.find(p=>p.name==="cs-pulse").version))')"
read -r identifier exts < <(node -e '
  const c = require(process.argv[1]);
  console.log(c.identifier, c.bundle.fileAssociations.flatMap((a) => a.ext).join(" "));
' "$ROOT/tauri.conf.json")
[ -n "$exts" ] || fail "no file associations in tauri.conf.json"

inst="$local_dir/Programs/CS Pulse"
menu="$roaming_dir/Microsoft/Windows/Start Menu/Programs/CS Pulse.lnk"
uninst_key="HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\$identifier"
# reg_value KEY NAME: the value's data (empty when the key or value is missing)
reg_value() {
  wine reg query "$1" /v "$2" 2>/dev/null | tr -d '\r' |
    awk -v n="$2" '$1 == n { $1 = ""; $2 = ""; sub(/^ +/, ""); print }'
}
reg_default() { # KEY: its default value's data
  wine reg query "$1" /ve 2>/dev/null | tr -d '\r' |
    awk '$1 == "(Default)" { $1 = ""; $2 = ""; sub(/^ +/, ""); print }'
}
has_key() { wine reg query "$1" >/dev/null 2>&1; }
has_value() { wine reg query "$1" /v "$2" >/dev/null 2>&1; }

install() {
  wine "$setup" /S || fail "the setup exited with $?"
  wineserver -w
}
uninstall() { # extra arguments
  [ -f "$inst/uninstall.exe" ] || fail "no uninstall.exe in $inst"
  # the uninstaller copies itself to %TEMP% and runs from there: wait for every process
  wine "$inst/uninstall.exe" /S "$@" || fail "the uninstaller exited with $?"
  wineserver -w
}

# --- 1. install ---------------------------------------------------------------------------
install
for f in cs-pulse.exe WebView2Loader.dll LICENSE.txt uninstall.exe; do
  [ -f "$inst/$f" ] || fail "no $f in $inst"
done
cmp -s "$inst/cs-pulse.exe" "$WIN_DIR/cs-pulse.exe" || fail "the installed cs-pulse.exe is not the one built"
[ ! -e "$inst/bcryptprimitives.dll" ] || fail "the test shim bcryptprimitives.dll was installed"
[ "$(ls "$inst" | wc -l)" -eq 4 ] || fail "unexpected files in $inst: $(ls "$inst" | tr '\n' ' ')"
[ -f "$menu" ] || fail "no Start-menu entry ($menu)"
[ "$(reg_value "$uninst_key" DisplayName)" = "CS Pulse" ] || fail "Settings → Apps: DisplayName"
[ "$(reg_value "$uninst_key" DisplayVersion)" = "$version" ] ||
  fail "Settings → Apps: version '$(reg_value "$uninst_key" DisplayVersion)' is not Cargo.toml's $version"
[ -n "$(reg_value "$uninst_key" Publisher)" ] || fail "Settings → Apps: no Publisher"
grep -q 'uninstall.exe" /S' <<<"$(reg_value "$uninst_key" QuietUninstallString)" ||
  fail "Settings → Apps: no QuietUninstallString"
for ext in $exts; do
  has_value "HKCU\\Software\\Classes\\.$ext\\OpenWithProgids" "$identifier.$ext" ||
    fail "no Open with for .$ext"
  command="$(reg_default "HKCU\\Software\\Classes\\$identifier.$ext\\shell\\open\\command")"
  [[ "$command" == *'\Programs\CS Pulse\cs-pulse.exe" "%1"' ]] ||
    fail ".$ext opens with '$command'"
  has_value "HKCU\\Software\\Classes\\Applications\\cs-pulse.exe\\SupportedTypes" ".$ext" ||
    fail "the app does not list .$ext as a type it opens"
done
[ "$(reg_value 'HKCU\Software\Classes\Applications\cs-pulse.exe' FriendlyAppName)" = "CS Pulse" ] ||
  fail "Open with does not say CS Pulse"
echo "installer: installed per user: files, Start menu, Settings → Apps ($version), Open with for $exts"

# --- 2. data, the Windows way --------------------------------------------------------------
unset CSPULSE_DB # the default database, as a user who never set it
cli() { wine "$WIN_DIR/cspulse.exe" "$@"; }
docs="$(unix "$(winvar USERPROFILE)")/Documents/Meine Exporte"
mkdir -p "$docs"
# as Excel on a German Windows saves "CSV (Trennzeichen-getrennt)": ;, CRLF, Windows-1252
printf 'Kundennummer;Firmenname;Ort\r\nK-1;M\xfcller & S\xf6hne GmbH;K\xf6ln\r\nK-2;Beta AG;Graz\r\n' >"$docs/Kunden Liste.csv"
csv_win="$(winvar USERPROFILE)\\Documents\\Meine Exporte\\Kunden Liste.csv"
out="$(cli --lang de import "$csv_win" --json)" || fail "import of $csv_win: $out"
echo "$out" | grep -Eq '"rows_imported": ?2,' || fail "the CSV's two rows: $out"
echo "$out" | grep -Eq '"rows_skipped": ?0,' || fail "rows skipped: $out"
cli scores --json >/dev/null || fail "the default database cannot be read back"
db="$roaming_dir/CS Pulse/CS Pulse/data/cspulse.db"
[ -f "$db" ] || fail "the CLI's default database is not in %APPDATA%\\CS Pulse\\CS Pulse\\data"
names="$(wine "$WIN_DIR/cspulse.exe" --lang en batches --json)"
grep -q 'Kunden Liste.csv' <<<"$names" || fail "the batch does not name its file: $names"
# Excel's lock file beside an open workbook
cp "$docs/Kunden Liste.csv" "$docs/~\$Kunden Liste.xlsx"
set +e
err="$(cli --lang en import "$(winvar USERPROFILE)\\Documents\\Meine Exporte\\~\$Kunden Liste.xlsx" 2>&1 >/dev/null)"
code=$?
set -e
[ "$code" -eq 2 ] || fail "a lock file: exit $code ($err)"
[ "$(printf '%s\n' "$err" | tr -d '\r' | grep -c .)" -eq 1 ] || fail "a lock file: not one line: $err"
grep -q 'lock file Excel writes' <<<"$err" || fail "a lock file: $err"
# what the app itself keeps (it needs WebView2 to start, which Wine lacks): stand-ins
mkdir -p "$roaming_dir/$identifier" "$local_dir/$identifier/logs"
echo '{}' >"$roaming_dir/$identifier/.window-state.json"
echo 'log' >"$local_dir/$identifier/logs/cs-pulse.log"
echo "installer: default database in %APPDATA%, a CRLF Windows-1252 CSV from a path with spaces, a lock file refused"

# --- 3. uninstall, data kept ---------------------------------------------------------------
uninstall
[ ! -e "$inst" ] || fail "$inst is still there: $(ls "$inst")"
[ ! -e "$menu" ] || fail "the Start-menu entry is still there"
! has_key "$uninst_key" || fail "the Settings → Apps entry is still there"
! has_key 'HKCU\Software\Classes\Applications\cs-pulse.exe' || fail "Applications\\cs-pulse.exe is still there"
for ext in $exts; do
  ! has_key "HKCU\\Software\\Classes\\$identifier.$ext" || fail "the ProgID for .$ext is still there"
  ! has_value "HKCU\\Software\\Classes\\.$ext\\OpenWithProgids" "$identifier.$ext" ||
    fail ".$ext still lists CS Pulse under Open with"
done
[ -f "$db" ] || fail "uninstalling deleted the database"
[ -f "$roaming_dir/$identifier/.window-state.json" ] && [ -f "$local_dir/$identifier/logs/cs-pulse.log" ] ||
  fail "uninstalling deleted the app's data"
echo "installer: uninstalled: program, Start menu, registry entries gone; data kept"

# --- 4. install again, uninstall with /DELETEDATA ------------------------------------------
install
[ -f "$inst/cs-pulse.exe" ] || fail "the second install did not install"
uninstall /DELETEDATA
[ ! -e "$inst" ] || fail "$inst is still there after the second uninstall"
for d in "$roaming_dir/CS Pulse" "$roaming_dir/$identifier" "$local_dir/$identifier"; do
  [ ! -e "$d" ] || fail "/DELETEDATA left $d"
done
echo "installer: reinstalled, uninstalled with /DELETEDATA: data gone"
