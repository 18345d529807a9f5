"""How validation findings look on a cell: a tint AND an icon (never colour alone)."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPainterPath, QPixmap

SEVERITY_RANK = {"hint": 1, "warning": 2, "error": 3}
_TINT = {"error": "#f9d6d5", "warning": "#fdefc3", "hint": "#dcebfa"}
_INK = {"error": "#c62828", "warning": "#b26a00", "hint": "#1f6fb2"}
_GLYPH = {"error": "×", "warning": "!", "hint": "i"}


def marker_brush(severity: str) -> QBrush:
    """The background of a cell with a finding of ``severity``."""
    return QBrush(QColor(_TINT.get(severity, _TINT["hint"])))


@lru_cache(maxsize=8)
def marker_icon(severity: str) -> QIcon:
    """A small distinct shape per severity: red disc ×, amber triangle !, blue disc i."""
    size = 32
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    ink = QColor(_INK.get(severity, _INK["hint"]))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(ink)
    if severity == "warning":
        path = QPainterPath()
        path.moveTo(size / 2, 2)
        path.lineTo(size - 2, size - 3)
        path.lineTo(2, size - 3)
        path.closeSubpath()
        p.drawPath(path)
        text_rect = QRectF(0, 7, size, size - 8)
    else:
        p.drawEllipse(QRectF(2, 2, size - 4, size - 4))
        text_rect = QRectF(0, 0, size, size)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(20)
    p.setFont(font)
    p.setPen(QColor("white"))
    p.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, _GLYPH.get(severity, "i"))
    p.end()
    return QIcon(pix)
