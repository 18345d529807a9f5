#!/usr/bin/env bash
# Build the PyInstaller bundle on Linux from the same spec as Windows, run the frozen
# --self-test, measure start-up and sizes, and compile the NSIS script with makensis.
#
#   bash installer/build_linux.sh           # full: NSIS compiled with the Linux bundle as payload
#   bash installer/build_linux.sh --quick   # CI: NSIS compiled against a stub folder (script check)
#
# The Linux bundle is NOT a Windows program: PyInstaller cannot cross-compile (PITFALLS 1.1).
# Compiling the installer against it only checks the NSIS script and gives an estimate of
# the installer size; the real installer is built on Windows (installer/build_windows.ps1).
# Output: build/linux/dist/PerfGoals/, build/linux/*.exe, build/linux/summary.txt.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1

# Targets of issue 8 (MB = 10^6 bytes; seconds from process creation to the shown window).
TARGET_BUNDLE_MB=180
TARGET_INSTALLER_MB=60
TARGET_START_S=2

OUT=build/linux
DIST=$OUT/dist
APP=$DIST/PerfGoals
mkdir -p "$OUT"
SUMMARY=$OUT/summary.txt
: > "$SUMMARY"
say() { echo "$*" | tee -a "$SUMMARY"; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1000000 }'; }

t_all=$(now)
bash scripts/setup-env.sh
PY=.venv/bin/python
if ! $PY -c "import PyInstaller" 2>/dev/null; then
  $PY -m pip install -q -e '.[build]'
fi
VERSION=$($PY -c "import app; print(app.__version__)")
say "PerfGoals $VERSION — Linux build check ($(date -u +%Y-%m-%dT%H:%MZ), PyInstaller $($PY -c 'import PyInstaller; print(PyInstaller.__version__)'))"

# 1. Bundle ------------------------------------------------------------------------------
t0=$(now)
$PY -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$DIST" --workpath "$OUT/work" installer/perfgoals.spec
say "build time (pyinstaller):   $(secs "$t0" "$(now)") s"
bundle_bytes=$(du -sb "$APP" | cut -f1)

# 2. Frozen self-test ------------------------------------------------------------------
export QT_QPA_PLATFORM=offscreen
"$APP/perfgoals-cli" --self-test | tee "$OUT/selftest.txt"
selftest_line=$(tail -n 1 "$OUT/selftest.txt")
"$APP/PerfGoals" --self-test > /dev/null  # the windowed twin must pass too (exit code)
say "frozen self-test:           $selftest_line"

# 3. Start-up: process creation to the main window shown (best and median of 5) ----------
tmpdb=$(mktemp -d)
starts=()
for i in 1 2 3 4 5; do
  line=$(PERFGOALS_EXIT_AFTER_SHOW=1 "$APP/perfgoals-cli" --db "$tmpdb/start$i.db" 2>/dev/null | grep '^startup_seconds=')
  starts+=("${line#startup_seconds=}")
done
rm -rf "$tmpdb"
start_sorted=$(printf '%s\n' "${starts[@]}" | sort -n)
start_best=$(echo "$start_sorted" | head -n 1)
start_median=$(echo "$start_sorted" | sed -n 3p)
say "frozen start to window:     median ${start_median} s, best ${start_best} s (5 runs, offscreen)"
say "bundle size (unpacked):     $(mb "$bundle_bytes") MB ($APP)"

# 4. Installer script ------------------------------------------------------------------
if ! command -v makensis >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nsis >/dev/null
  fi
fi
installer_bytes=""
if command -v makensis >/dev/null 2>&1; then
  if [ "$QUICK" = 1 ]; then
    payload=$OUT/nsis-stub
    rm -rf "$payload" && mkdir -p "$payload/_internal"
    echo stub > "$payload/PerfGoals.exe" && echo stub > "$payload/perfgoals-cli.exe"
    setup=$OUT/PerfGoals-$VERSION-stub-check.exe
  else
    payload=$APP
    setup=$OUT/PerfGoals-$VERSION-linux-payload-check.exe
  fi
  t0=$(now)
  makensis -V2 -WX -INPUTCHARSET UTF8 -DCHECK_ONLY -DVERSION="$VERSION" \
    -DDISTDIR="$PWD/$payload" -DOUTFILE="$PWD/$setup" installer/perfgoals.nsi
  installer_bytes=$(stat -c %s "$setup")
  say "makensis:                   OK in $(secs "$t0" "$(now)") s -> $setup ($(file -b "$setup" | cut -d, -f1))"
  if [ "$QUICK" = 0 ]; then
    say "installer size (Linux payload, estimate): $(mb "$installer_bytes") MB"
  fi
else
  say "makensis:                   NOT FOUND (install the nsis package) — installer script not checked"
fi

# 5. Targets ---------------------------------------------------------------------------
fail=0
check() {  # name value target unit
  if awk -v v="$2" -v t="$3" 'BEGIN { exit !(v < t) }'; then
    say "target $1: $2 $4 < $3 $4  OK"
  else
    say "target $1: $2 $4 >= $3 $4  EXCEEDED"
    return 1
  fi
}
check "bundle" "$(mb "$bundle_bytes")" $TARGET_BUNDLE_MB MB || fail=1
if [ -n "$installer_bytes" ] && [ "$QUICK" = 0 ]; then
  check "installer" "$(mb "$installer_bytes")" $TARGET_INSTALLER_MB MB || fail=1
fi
# Timing depends on the machine: reported, not enforced.
check "start" "$start_median" $TARGET_START_S s || say "(start-up is not enforced: machine-dependent)"
say "total time:                 $(secs "$t_all" "$(now)") s"
exit $fail
