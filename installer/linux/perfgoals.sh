#!/bin/sh
# Start 绩效目标编报 from its folder (/opt/perfgoals, or wherever the tar.gz was unpacked).
# No root needed: the program folder is only read; data goes to ~/.local/share/PerfGoals.
here=$(dirname "$(readlink -f "$0")")
# Chinese input: the bundled Qt has IBus's input context plugin but none for fcitx (a fcitx
# plugin must be built against this exact Qt). fcitx5, the default on recent UOS/Kylin/Deepin,
# also answers the IBus protocol, so point fcitx users at it. Qt 6 has no XIM: on fcitx 4
# without an IBus frontend, Chinese input will not work in this program.
case "${QT_IM_MODULE:-}" in
  fcitx|fcitx5) QT_IM_MODULE=ibus; export QT_IM_MODULE ;;
  "") case "${XMODIFIERS:-}" in *fcitx*|*ibus*) QT_IM_MODULE=ibus; export QT_IM_MODULE ;; esac ;;
esac
# With arguments (a CLI verb, --self-test): the console twin, so the output reaches the terminal.
if [ $# -gt 0 ]; then
  exec "$here/perfgoals-cli" "$@"
fi
exec "$here/PerfGoals"
