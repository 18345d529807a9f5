#!/usr/bin/env bash
# Set up (first time only) and run the whole test suite headless, then the linter.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup-env.sh
export QT_QPA_PLATFORM=offscreen
.venv/bin/python -m ruff check app tests bench
.venv/bin/python -m pytest "$@"
