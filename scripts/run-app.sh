#!/usr/bin/env bash
# Set up (first time only) and start PerfGoals. Without a display it runs offscreen.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup-env.sh
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "没有图形显示：以 offscreen 模式启动（命令行功能见 README）" >&2
  export QT_QPA_PLATFORM=offscreen
fi
exec .venv/bin/python -m app "$@"
