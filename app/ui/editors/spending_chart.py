"""The chart under the spending calendar: cumulative plan by month in 万元 and %, execution.

Bars are the unit's planned cumulative amount at the end of each month (solid where every
project's value was written, lighter where some are interpolated); the left axis is 万元,
the right axis the same scale as % of the unit's budget. Recorded 执行数 is a line. Hovering
a month shows each project's share in a tooltip.
"""

from __future__ import annotations

import math
from decimal import Decimal

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QHelpEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from app.models import PLAN_MONTHS
from app.services.spending.plan import MONTHS, UnitPlan, format_amount, format_pct, unit_plan
from app.ui.editors.spending_models import month_total_tooltip

PLAN_COLOR = QColor("#3b78c4")
PLAN_LIGHT = QColor("#a9c6ea")
EXEC_COLOR = QColor("#e07b00")
GRID = QColor("#dddddd")
TEXT = QColor("#333333")


def _f(value: Decimal | None) -> float:
    """A Decimal as a float for drawing only (never for money arithmetic)."""
    return float(value) if value is not None else 0.0


def _nice_ceiling(value: float) -> float:
    """A round axis maximum at or above ``value`` (1, 2, 2.5, 5 × 10^n)."""
    if value <= 0:
        return 1.0
    exp = 10 ** (len(str(int(value))) - 1) if value >= 1 else 1.0
    for step in (1, 2, 2.5, 5, 10):
        if step * exp >= value:
            return step * exp
    return 10 * exp  # pragma: no cover


class SpendingChart(QWidget):
    """Cumulative plan (bars) and execution (line) of a unit or a project by month."""

    MARGIN_L, MARGIN_R, MARGIN_T, MARGIN_B = 64, 52, 30, 28

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("spendingChart")
        self.setMouseTracking(True)
        self.setMinimumHeight(200)
        self.plan: UnitPlan = unit_plan([])
        self.hover: int | None = None

    def sizeHint(self) -> QSize:
        return QSize(900, 240)

    def set_plan(self, plan: UnitPlan) -> None:
        """Draw this plan (with its recorded execution totals)."""
        self.plan = plan
        self.update()

    # -- geometry
    def _area(self) -> QRectF:
        return QRectF(self.MARGIN_L, self.MARGIN_T,
                      max(1, self.width() - self.MARGIN_L - self.MARGIN_R),
                      max(1, self.height() - self.MARGIN_T - self.MARGIN_B))

    def axis(self) -> tuple[float, list[float]]:
        """The top of the value axis and its ticks (万元).

        With a budget, ticks fall on quarters of it, so the right axis reads 0/25/50/75/100%
        and the top line is the year's money; without one, round numbers.
        """
        budget = _f(self.plan.budget)
        values = [_f(m.amount) for m in self.plan.months] + [_f(m.executed) for m in self.plan.months]
        top = max(values + [budget])
        if budget > 0:
            step = budget / 4
            count = max(4, math.ceil(top / step - 1e-9))
        else:
            step = _nice_ceiling(top / 4)
            count = 4
        return step * count, [step * k for k in range(count + 1)]

    def month_rect(self, month: int) -> QRectF:
        """The column of the chart that belongs to a month (for hover and tests)."""
        area = self._area()
        w = area.width() / 12
        return QRectF(area.left() + (month - 1) * w, area.top(), w, area.height())

    def month_at(self, pos: QPoint | QPointF) -> int | None:
        """The month under a point of the widget, if any."""
        for m in MONTHS:
            if self.month_rect(m).contains(QPointF(pos)):
                return m
        return None

    def tooltip_text(self, month: int) -> str:
        """What hovering a month shows: the unit's plan with each project's share."""
        return month_total_tooltip(self.plan, month)

    # -- events
    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip and isinstance(e, QHelpEvent):
            month = self.month_at(e.pos())
            if month is None or not self.plan.projects:
                QToolTip.hideText()
                e.ignore()
            else:
                QToolTip.showText(e.globalPos(), self.tooltip_text(month), self)
            return True
        return super().event(e)

    def mouseMoveEvent(self, e: QMouseEvent) -> None:
        month = self.month_at(e.position())
        if month != self.hover:
            self.hover = month
            self.update()
        super().mouseMoveEvent(e)

    def leaveEvent(self, e: QEvent) -> None:
        self.hover = None
        self.update()
        super().leaveEvent(e)

    # -- drawing
    def paintEvent(self, _e: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        area = self._area()
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
        p.setFont(font)
        if not self.plan.projects:
            p.setPen(TEXT)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "没有项目")
            p.end()
            return
        top, ticks = self.axis()
        budget = _f(self.plan.budget)

        def y_of(value: float) -> float:
            return area.bottom() - value / top * area.height()

        # grid, left axis (万元) and right axis (% of budget on the same scale)
        metrics = p.fontMetrics()
        for value in ticks:
            y = y_of(value)
            p.setPen(QPen(GRID, 1))
            p.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
            p.setPen(TEXT)
            label = f"{value:.0f}" if top >= 1000 else f"{value:.2f}"
            p.drawText(QRectF(0, y - 8, self.MARGIN_L - 6, 16),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
            if budget > 0:
                p.drawText(QRectF(area.right() + 6, y - 8, self.MARGIN_R - 6, 16),
                           Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                           f"{value / budget * 100:.0f}%")
        p.drawText(QRectF(0, 2, self.MARGIN_L + 80, 16), Qt.AlignmentFlag.AlignLeft, "万元")
        if budget > 0:
            p.drawText(QRectF(area.right() - 20, 2, self.MARGIN_R + 20, 16), Qt.AlignmentFlag.AlignRight,
                       "占预算%")
            # the budget line: 100% of the year's money
            p.setPen(QPen(QColor("#999999"), 1, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(area.left(), y_of(budget)), QPointF(area.right(), y_of(budget)))
            p.setPen(TEXT)
        self._draw_legend(p, area)

        # bars: the cumulative plan
        for total in self.plan.months:
            rect = self.month_rect(total.month)
            bar_w = rect.width() * 0.56
            x = rect.center().x() - bar_w / 2
            if total.month == self.hover:
                p.fillRect(rect, QColor(0, 0, 0, 18))
            solid = total.month in PLAN_MONTHS and not total.interpolated and total.complete
            color = PLAN_COLOR if solid else PLAN_LIGHT
            y = y_of(_f(total.amount))
            p.fillRect(QRectF(x, y, bar_w, area.bottom() - y), color)
            p.setPen(TEXT)
            p.drawText(QRectF(rect.left(), area.bottom() + 4, rect.width(), 16),
                       Qt.AlignmentFlag.AlignHCenter, f"{total.month}月")
            if total.month in PLAN_MONTHS:
                label = format_amount(total.amount)
                if metrics.horizontalAdvance(label) <= rect.width() + 10:
                    p.drawText(QRectF(rect.left() - 10, y - 17, rect.width() + 20, 15),
                               Qt.AlignmentFlag.AlignHCenter, label)

        # line: recorded execution
        points = [(t.month, _f(t.executed)) for t in self.plan.months if t.executed is not None]
        if points:
            p.setPen(QPen(EXEC_COLOR, 2))
            path = [QPointF(self.month_rect(m).center().x(), y_of(v)) for m, v in points]
            for a, b in zip(path, path[1:], strict=False):
                p.drawLine(a, b)
            p.setBrush(EXEC_COLOR)
            for pt in path:
                p.drawEllipse(pt, 3.5, 3.5)
        p.setPen(QPen(QColor("#888888"), 1))
        p.drawLine(area.bottomLeft(), area.bottomRight())
        p.end()

    def _draw_legend(self, p: QPainter, area: QRectF) -> None:
        x = area.left() + 40
        y = 4.0
        items = [(PLAN_COLOR, "计划累计（已填时点）", False), (PLAN_LIGHT, "计划累计（含插值）", False)]
        if any(t.executed is not None for t in self.plan.months):
            items.append((EXEC_COLOR, "执行数累计", True))
        for color, text, line in items:
            if line:
                p.setPen(QPen(color, 2))
                p.drawLine(QPointF(x, y + 7), QPointF(x + 14, y + 7))
            else:
                p.fillRect(QRectF(x, y + 2, 14, 10), color)
            p.setPen(TEXT)
            width = p.fontMetrics().horizontalAdvance(text)
            p.drawText(QRectF(x + 18, y, width + 4, 16), Qt.AlignmentFlag.AlignLeft, text)
            x += 18 + width + 16
        total = self.plan.at(12)
        if total.percent is not None:
            p.drawText(QRectF(x, y, 260, 16), Qt.AlignmentFlag.AlignLeft,
                       f"预算合计{format_amount(self.plan.budget)}万元，12月底{format_pct(total.percent)}")
