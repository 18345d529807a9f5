"""How validation findings look in every view: a tint AND a shaped icon (never colour alone).

Error: red disc with ×; warning: amber triangle with !; hint: blue disc with i; a finding
accepted with an 出错说明 (waived): grey disc with ✓; an open 审核意见 of the finance bureau
(listed as a finding of kind ``opinion``): purple disc with 审; a field or row changed since
the reviewed version (kind ``changed``): teal disc with 改, the old value in the tooltip. Which severity is worse comes
from the validation catalogue (:func:`app.services.validation.worst_severity`); an opinion
ranks after the findings, so a cell with both shows the finding's marker and lists both.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPainterPath, QPixmap

from app.services.bureau.diff import CHANGE_KIND, CHANGE_RULE
from app.services.bureau.opinions import OPINION_KIND
from app.services.validation import SEVERITY_LABELS, Finding

# Background tint and ink (icon, border, text) per severity.
# "opinion": a 审核意见 of the finance bureau, listed beside the findings (purple, 审).
# "changed": a field or row a resubmission changed since the reviewed version (teal, 改).
TINT = {"error": "#f9d6d5", "warning": "#fdefc3", "hint": "#dcebfa", "waived": "#f1f3f4", "opinion": "#eadcf2",
        "changed": "#d3efe9"}
INK = {"error": "#c62828", "warning": "#b26a00", "hint": "#1f6fb2", "waived": "#9aa0a6", "opinion": "#7b1fa2",
       "changed": "#00796b"}
_GLYPH = {"error": "×", "warning": "!", "hint": "i", "waived": "✓", "opinion": "审", "changed": "改"}
# What each kind of marked row is called in the views.
KIND_LABELS = {**SEVERITY_LABELS, OPINION_KIND: "审核意见", CHANGE_KIND: CHANGE_RULE}


def kind_label(severity: str) -> str:
    """错误 / 警告 / 提示 / 审核意见."""
    return KIND_LABELS.get(severity, severity)


def marker_line(f: Finding) -> str:
    """One line of a marker's tooltip: 【警告】G09 message, or 【审核意见】text (回复)."""
    if f.rule == kind_label(f.severity):  # an opinion or a change mark: no rule id to show
        return f"【{kind_label(f.severity)}】{f.message}"
    return f"【{kind_label(f.severity)}】{f.rule} {f.message}"


def marker_brush(severity: str) -> QBrush:
    """The background of a cell with a finding of ``severity``."""
    return QBrush(QColor(TINT.get(severity, TINT["hint"])))


@cache
def marker_pixmap(severity: str, size: int = 16) -> QPixmap:
    """The marker of ``severity`` drawn at ``size`` pixels (for labels beside form fields)."""
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(INK.get(severity, INK["hint"])))
    edge = size / 16
    if severity == "warning":
        path = QPainterPath()
        path.moveTo(size / 2, edge)
        path.lineTo(size - edge, size - 1.5 * edge)
        path.lineTo(edge, size - 1.5 * edge)
        path.closeSubpath()
        p.drawPath(path)
        text_rect = QRectF(0, 3.5 * edge, size, size - 4 * edge)
    else:
        p.drawEllipse(QRectF(edge, edge, size - 2 * edge, size - 2 * edge))
        text_rect = QRectF(0, 0, size, size)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(max(1, round(size * 0.62)))
    p.setFont(font)
    p.setPen(QColor("white"))
    p.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, _GLYPH.get(severity, "i"))
    p.end()
    return pix


@cache
def marker_icon(severity: str) -> QIcon:
    """The marker of ``severity`` as an icon (drawn large; views scale it down)."""
    return QIcon(marker_pixmap(severity, 32))
