#!/usr/bin/env bash
# Type-check the program with mypy (configuration: [tool.mypy] in pyproject.toml — strict for
# app/models and app/services, basic for app/ui). Run by scripts/run-tests.sh before pytest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
.venv/bin/python -m mypy
