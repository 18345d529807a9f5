#!/usr/bin/env bash
# Create .venv with the app and its test tools, installing the few system libraries Qt's
# offscreen platform needs when they are missing and we are allowed to (root on Debian).
# Sourced by run-app.sh and run-tests.sh; safe to run again (it only fills what is missing).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PY=${PYTHON:-python3}
apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    if [ ! -f /tmp/.perfgoals-apt-updated ]; then
      apt-get -o DPkg::Lock::Timeout=900 update -qq && touch /tmp/.perfgoals-apt-updated
    fi
    # Another apt (an update timer, a parallel job) may hold the lock: wait for it.
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq "$@" >/dev/null
  else
    echo "需要系统软件包：$*（请用管理员权限安装）" >&2
  fi
}

if [ ! -x .venv/bin/python ]; then
  if ! "$PY" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    apt_install python3-venv
    "$PY" -m venv .venv
  fi
fi
# Qt's xcb/offscreen plugins link these; a minimal Debian lacks some of them.
missing=()
for lib in libEGL.so.1 libxkbcommon.so.0 libfontconfig.so.1 libdbus-1.so.3 libGL.so.1 libglib-2.0.so.0 libxcb-cursor.so.0 libxcb-icccm.so.4 libxcb-keysyms.so.1; do
  ldconfig -p 2>/dev/null | grep -q "$lib" || missing+=("$lib")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt_install libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libgl1 libglib2.0-0 \
    libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-render-util0 libxcb-image0
fi
# makensis checks the Windows installer script (tests/test_installer_files.py, installer/).
if ! command -v makensis >/dev/null 2>&1; then
  apt_install nsis || true
fi
# PostgreSQL's server programs: the shared-database tests start a throw-away cluster with them
# (tests/pg.py); CI must not skip those tests.
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt_install postgresql || true
fi
stamp=.venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[test]'
  rm -f .venv/.installed-*
  touch "$stamp"
fi
