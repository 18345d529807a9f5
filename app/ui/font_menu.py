"""文件 → 打印字体: the font of PDF export and printing, remembered in QSettings.

The choices come from :func:`app.services.paper.fonts.available_fonts` (the bundled
WenQuanYi, plus 宋体/仿宋 when Windows has them). A remembered font that is no longer
installed falls back to the bundled one instead of failing every export.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from app.services.paper.fonts import DEFAULT_FONT, available_fonts

FONT_KEY = "printFont"
CALENDAR_KEY = "printCalendar"


def include_calendar() -> bool:
    """Whether PDF export and printing add each unit's 资金支出计划 calendar page (default on)."""
    return bool(QSettings().value(CALENDAR_KEY, True, type=bool))


def set_include_calendar(on: bool) -> None:
    """Remember whether PDF export and printing add the calendar page."""
    QSettings().setValue(CALENDAR_KEY, bool(on))


def chosen_font() -> str | None:
    """The remembered font key when it is still available (None = the bundled font)."""
    key = QSettings().value(FONT_KEY)
    if not key or key == DEFAULT_FONT:
        return None
    return str(key) if any(c.key == key for c in available_fonts()) else None


def choose_font(key: str) -> None:
    """Remember ``key`` as the font of PDF export and printing."""
    QSettings().setValue(FONT_KEY, key)


class FontMenu(QMenu):
    """A submenu of checkable font actions, rebuilt each time it opens (fonts may change)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("打印字体", parent)
        self.setObjectName("menuPrintFont")
        self.setToolTip("导出PDF和打印时使用并嵌入的字体")
        self.setToolTipsVisible(True)
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.aboutToShow.connect(self.rebuild)
        self.rebuild()

    def rebuild(self) -> None:
        """List available_fonts() with the current choice checked."""
        for action in self.group.actions():
            self.group.removeAction(action)
            self.removeAction(action)
            action.deleteLater()
        current = chosen_font() or DEFAULT_FONT
        for choice in available_fonts():
            action = self.addAction(choice.label)
            action.setCheckable(True)
            action.setChecked(choice.key == current)
            action.setData(choice.key)
            action.setToolTip(str(choice.path))
            self.group.addAction(action)
            action.triggered.connect(lambda _c=False, k=choice.key: choose_font(k))
