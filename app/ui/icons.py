"""Small icons drawn in code (no image files): severity markers used by every view.

Markers never rely on colour alone: each severity has its own shape and letter.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap, QPolygonF

COLOURS = {"error": "#d93025", "warning": "#e8900c", "hint": "#1a73e8", "waived": "#9aa0a6",
           "opinion": "#7b1fa2"}  # opinion: a 审核意见 of the finance bureau
FILL = {"error": "#fde7e6", "warning": "#fff3dc", "hint": "#e8f0fe", "waived": "#f1f3f4"}
SEVERITY_RANK = {"error": 0, "warning": 1, "hint": 2, "waived": 3}


@cache
def severity_pixmap(severity: str, size: int = 16) -> QPixmap:
    """Error: red disc with ×; warning: orange triangle with !; hint: blue disc with i."""
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(COLOURS.get(severity, "#888888"))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(colour)
    r = QRectF(1, 1, size - 2, size - 2)
    if severity == "warning":
        p.drawPolygon(QPolygonF([QPointF(size / 2, 1), QPointF(size - 1, size - 1), QPointF(1, size - 1)]))
        glyph = "!"
    else:
        p.drawEllipse(r)
        glyph = {"error": "×", "hint": "i", "waived": "✓", "opinion": "审"}.get(severity, "?")
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(size * 0.7))
    p.setFont(font)
    p.setPen(QColor("white"))
    text_rect = r.adjusted(0, 2, 0, 0) if severity == "warning" else r
    p.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, glyph)
    p.end()
    return pm


@cache
def severity_icon(severity: str) -> QIcon:
    return QIcon(severity_pixmap(severity))


def worst(severities: list[str]) -> str | None:
    """The most serious severity of a list, or None."""
    return min(severities, key=lambda s: SEVERITY_RANK.get(s, 9)) if severities else None
