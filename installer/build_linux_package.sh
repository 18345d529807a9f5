#!/usr/bin/env bash
# Linux packages for 信创 PCs (UOS, Kylin, Deepin on x86-64): a .deb installing to /opt/perfgoals
# and a tar.gz of the same files, from the frozen bundle of installer/build_linux.sh.
#
#   bash installer/build_linux_package.sh           # builds the bundle first
#   bash installer/build_linux_package.sh --reuse   # packages build/linux/dist/PerfGoals as it is
#
# Then checks them: IBus input context plugin present, the glibc floor of every bundled ELF
# file (objdump; the highest GLIBC_x.y symbol version wins), `dpkg --root` into an empty root,
# the installed program's --self-test run as an ordinary user (nobody), `dpkg --root -r`.
# Output: build/linux/perfgoals_<version>_amd64.deb, build/linux/perfgoals-<version>-linux-x86_64.tar.gz
# (+ .sha256), build/linux/package-summary.txt.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
OUT=$ROOT/build/linux
APP=$OUT/dist/PerfGoals
SUMMARY=$OUT/package-summary.txt
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", b - a }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1000000 }'; }
t_all=$(now)

if [ "${1:-}" != "--reuse" ] || [ ! -x "$APP/perfgoals-cli" ]; then
  bash installer/build_linux.sh --quick
fi
mkdir -p "$OUT"
: > "$SUMMARY"
say() { echo "$*" | tee -a "$SUMMARY"; }
VERSION=$(.venv/bin/python -c "import app; print(app.__version__)")
say "PerfGoals $VERSION — Linux packages ($(date -u +%Y-%m-%dT%H:%MZ))"

# 1. Chinese input: IBus (and fcitx5 through its IBus frontend, see perfgoals.sh) --------------
ibus=$(find "$APP" -name 'libibusplatforminputcontextplugin.so' | head -n1)
[ -n "$ibus" ] || { echo "the bundle has no IBus input context plugin (platforminputcontexts)" >&2; exit 1; }

# 2. glibc floor ---------------------------------------------------------------------------------
floor_file=$OUT/glibc-floor.txt
: > "$floor_file"
while IFS= read -r -d '' f; do
  if head -c 4 "$f" | grep -q 'ELF'; then
    v=$(objdump -T "$f" 2>/dev/null | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n1 || true)
    [ -n "$v" ] && echo "$v ${f#"$APP"/}" >> "$floor_file"
  fi
done < <(find "$APP" -type f -print0)
sort -V -o "$floor_file" "$floor_file"
GLIBC_FLOOR=$(tail -n1 "$floor_file" | cut -d' ' -f1)
say "glibc floor:                $GLIBC_FLOOR (from: $(awk -v v="$GLIBC_FLOOR" '$1 == v { print $2 }' "$floor_file" | head -n 4 | tr '\n' ' '))"
next=$(awk -v v="$GLIBC_FLOOR" '$1 != v { print $1 }' "$floor_file" | sort -uV | tail -n1)
say "                            next highest $next; all files: $floor_file"

# 3. the file tree: /opt/perfgoals, launcher, menu entry, icon ----------------------------------
PKG=$OUT/pkg
STAGE=$PKG/perfgoals_${VERSION}_amd64
rm -rf "$PKG" && mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" \
  "$STAGE/usr/share/applications" "$STAGE/usr/share/icons/hicolor/256x256/apps"
cp -a "$APP" "$STAGE/opt/perfgoals"
install -m 755 installer/linux/perfgoals.sh "$STAGE/opt/perfgoals/perfgoals.sh"
ln -s /opt/perfgoals/perfgoals.sh "$STAGE/usr/bin/perfgoals"
install -m 644 installer/linux/perfgoals.desktop "$STAGE/usr/share/applications/perfgoals.desktop"
install -m 644 resources/icons/perfgoals.png "$STAGE/usr/share/icons/hicolor/256x256/apps/perfgoals.png"
chmod -R u+rwX,go+rX,go-w "$STAGE"

# System libraries the bundle expects (PyInstaller leaves out libc, OpenGL/EGL and the like):
# the Debian packages that own them on the build host become Depends.
deps=()
set +e +o pipefail  # look-ups that find nothing are fine here
while read -r lib; do
  [ -e "$STAGE/opt/perfgoals/_internal/$lib" ] && continue
  path=$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64/ { print $NF; exit }')
  [ -n "$path" ] || continue
  pkg=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -n1 | cut -d: -f1) || true
  [ -z "$pkg" ] && pkg=$(dpkg -S "$path" 2>/dev/null | head -n1 | cut -d: -f1) || true
  [ -n "$pkg" ] && [ "$pkg" != libc6 ] && deps+=("$pkg")
done < <(find "$STAGE/opt/perfgoals" -type f \( -name '*.so*' -o -name 'PerfGoals' -o -name 'perfgoals-cli' \) \
           -exec objdump -p {} + 2>/dev/null | awk '/NEEDED/ { print $2 }' | sort -u)
set -e -o pipefail
depends="libc6 (>= $GLIBC_FLOOR)"
for d in $(printf '%s\n' "${deps[@]}" | sort -u); do depends="$depends, $d"; done
size_kb=$(du -sk "$STAGE" | cut -f1)
cat > "$STAGE/DEBIAN/control" <<EOF
Package: perfgoals
Version: $VERSION
Section: office
Priority: optional
Architecture: amd64
Installed-Size: $size_kb
Depends: $depends
Maintainer: PerfGoals <perfgoals@localhost>
Description: 绩效目标编报 — offline editor for department budget performance targets
 Edit, check and export 部门预算绩效目标 tables (docx, xlsx, pdf, json) without a network.
 Installs to /opt/perfgoals; start it from the menu (绩效目标编报) or with "perfgoals".
 Each user's data stays in ~/.local/share/PerfGoals and is kept on removal.
EOF
say "Depends:                    $depends"

# 4. .deb and tar.gz -------------------------------------------------------------------------------
t0=$(now)
DEB=$OUT/perfgoals_${VERSION}_amd64.deb
dpkg-deb --root-owner-group -Zgzip --build "$STAGE" "$DEB" >/dev/null
TGZ=$OUT/perfgoals-$VERSION-linux-x86_64.tar.gz
tardir=perfgoals-$VERSION-linux-x86_64
rm -rf "$PKG/tar" && mkdir -p "$PKG/tar"
cp -a "$STAGE/opt/perfgoals" "$PKG/tar/$tardir"
cp installer/linux/perfgoals.desktop resources/icons/perfgoals.png "$PKG/tar/$tardir/"
tar -C "$PKG/tar" --owner=0 --group=0 -czf "$TGZ" "$tardir"
(cd "$OUT" && sha256sum "$(basename "$DEB")" "$(basename "$TGZ")" > "perfgoals-$VERSION-linux.sha256")
say "packages:                   $(secs "$t0" "$(now)") s -> $(basename "$DEB") $(mb "$(stat -c %s "$DEB")") MB, $(basename "$TGZ") $(mb "$(stat -c %s "$TGZ")") MB (unpacked $(mb "$(du -sb "$APP" | cut -f1)") MB)"

# 5. install into a clean root, run it as an ordinary user, remove ---------------------------------
t0=$(now)
TROOT=$PKG/root
rm -rf "$TROOT" && mkdir -p "$TROOT/var/lib/dpkg/updates" "$TROOT/var/lib/dpkg/info" "$TROOT/tmp"
touch "$TROOT/var/lib/dpkg/status"
# An empty root has no libc6 package: --force-depends; the files are what is checked here.
dpkg --root="$TROOT" --force-depends --force-not-root -i "$DEB" >/dev/null
dpkg --root="$TROOT" -s perfgoals | grep -q '^Status: install ok installed'
for f in opt/perfgoals/perfgoals.sh opt/perfgoals/PerfGoals opt/perfgoals/perfgoals-cli usr/bin/perfgoals \
         usr/share/applications/perfgoals.desktop usr/share/icons/hicolor/256x256/apps/perfgoals.png; do
  [ -e "$TROOT/$f" ] || [ -L "$TROOT/$f" ] || { echo "missing after install: /$f" >&2; exit 1; }
done
grep -q '^Name\[zh_CN\]=绩效目标编报$' "$TROOT/usr/share/applications/perfgoals.desktop"
home=$(mktemp -d) && chmod 777 "$home"
runner=()
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  runner=(setpriv --reuid=65534 --regid=65534 --clear-groups)  # nobody: no root needed to run
fi
set +e
env -i PATH=/usr/bin:/bin HOME="$home" QT_QPA_PLATFORM=offscreen LANG=C.UTF-8 \
  "${runner[@]}" "$TROOT/opt/perfgoals/perfgoals.sh" --self-test > "$OUT/package-selftest.txt" 2>&1
code=$?
set -e
rm -rf "$home"
cat "$OUT/package-selftest.txt" | tail -n 2
[ "$code" = 0 ] || { echo "installed --self-test failed (exit $code)" >&2; exit 1; }
dpkg --root="$TROOT" --force-not-root -r perfgoals >/dev/null
[ ! -e "$TROOT/opt/perfgoals/perfgoals-cli" ] || { echo "dpkg -r left the program" >&2; exit 1; }
rm -rf "$TROOT"
say "dpkg --root install/run/remove: $(secs "$t0" "$(now)") s — $(tail -n 1 "$OUT/package-selftest.txt")${runner:+ (as nobody)}"
say "total time:                 $(secs "$t_all" "$(now)") s"
