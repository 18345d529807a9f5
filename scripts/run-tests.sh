#!/usr/bin/env bash
# Set up (first time only), run the linter and the type checker, then the whole test suite headless.
# A full run (no pytest arguments) also builds the frozen program and runs its --self-test
# (installer/build_linux.sh --quick, about a minute on 2 cores); PERFGOALS_FROZEN_CHECK=0 skips it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup-env.sh
export QT_QPA_PLATFORM=offscreen
.venv/bin/python -m ruff check app tests bench installer
bash scripts/typecheck.sh
.venv/bin/python -m pytest "$@"
if [ $# -eq 0 ] && [ "${PERFGOALS_FROZEN_CHECK:-1}" != 0 ]; then
  bash installer/build_linux.sh --quick
fi
