#!/usr/bin/env bash
# Set up (first time only), run the linter and the type checker, then the whole test suite headless.
# A full run (no pytest arguments) then also builds and checks what users install:
#   installer/build_linux.sh --quick      frozen Linux program + its --self-test (about a minute)
#   installer/build_linux_package.sh      .deb and tar.gz, installed into a clean root, --self-test
#   installer/build_windows_wine.sh       the Windows installer under Wine: build, silent install,
#                                         --self-test, uninstall (about 8-10 minutes on 2 cores)
# Skip them with PERFGOALS_FROZEN_CHECK=0 (the first two), PERFGOALS_LINUX_PACKAGE=0,
# PERFGOALS_WINDOWS_CHECK=0.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup-env.sh
export QT_QPA_PLATFORM=offscreen
.venv/bin/python -m ruff check app tests bench installer
bash scripts/typecheck.sh
.venv/bin/python -m pytest "$@"
if [ $# -eq 0 ]; then
  if [ "${PERFGOALS_FROZEN_CHECK:-1}" != 0 ]; then
    bash installer/build_linux.sh --quick
    if [ "${PERFGOALS_LINUX_PACKAGE:-1}" != 0 ] && [ -f installer/build_linux_package.sh ]; then
      bash installer/build_linux_package.sh --reuse  # packages the bundle just built and tested
    fi
  fi
  if [ "${PERFGOALS_WINDOWS_CHECK:-1}" != 0 ]; then
    bash installer/build_windows_wine.sh
  fi
fi
