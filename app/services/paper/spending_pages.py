"""The calendar page of the PDF (and the print): plan table, chart and execution table.

:func:`spending_flowables` returns reportlab flowables that a PDF writer appends to its story;
it needs only the name of a registered CJK TrueType font (the writer registers it).
"""

from __future__ import annotations

from typing import Any

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from app.models import PLAN_MONTHS, Document
from app.services.spending.plan import (
    MONTHS,
    PointKind,
    UnitPlan,
    band_for,
    format_amount,
    format_pct,
    load_bands,
    project_execution,
    project_name,
    unit_plan,
    unit_rate,
)

DEFAULT_WIDTH = 160 * mm  # the A4 portrait frame of the province layout
LIGHT = "#8c8c8c"
PLAN_COLOR = colors.HexColor("#3b78c4")
PLAN_LIGHT = colors.HexColor("#a9c6ea")
EXEC_COLOR = colors.HexColor("#e07b00")
HEADER_BG = colors.HexColor("#dde7f3")
TOTAL_BG = colors.HexColor("#ededed")
BAND_BG = {"red": "#f4c7c3", "yellow": "#fce8b2", "green": "#c9e7cf"}


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _styles(styles: Any, font: str) -> dict[str, ParagraphStyle]:
    def style(name: str, size: float, align: int, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.3,
                              alignment=align, wordWrap="CJK", **kw)

    heading = getattr(styles, "heading", None)
    return {
        "heading": heading if isinstance(heading, ParagraphStyle) else style(
            "sp-heading", 14, TA_LEFT, spaceBefore=6, spaceAfter=6, keepWithNext=1),
        "note": style("sp-note", 7.5, TA_LEFT, textColor=colors.HexColor("#555555"), spaceAfter=4),
        "cell": style("sp-cell", 6.5, TA_CENTER),
        "left": style("sp-left", 6.5, TA_LEFT),
        "right": style("sp-right", 6.5, TA_RIGHT),
    }


def _grid(font: str, extra: list[Any]) -> TableStyle:
    return TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), 6.5),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#888888")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 1.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 1.5),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        *extra,
    ])


def plan_table(plan: UnitPlan, st: dict[str, ParagraphStyle], font: str, width: float) -> Table:
    """Projects × months: cumulative %, with the implied 万元 under each checkpoint."""
    month_w = 27.0
    seq_w, budget_w = 16.0, 36.0
    name_w = max(50.0, width - seq_w - budget_w - 12 * month_w)
    header = [Paragraph(t, st["cell"]) for t in ("序号", "项目名称", "预算数<br/>（万元）")]
    header += [Paragraph(f"{m}月{'底' if m in PLAN_MONTHS else ''}", st["cell"]) for m in MONTHS]
    rows: list[list[Any]] = [header]
    extra: list[Any] = []
    for n, pp in enumerate(plan.projects):
        row: list[Any] = [str(n + 1), Paragraph(_esc(project_name(pp.project, n)), st["left"]),
                          Paragraph(format_amount(pp.budget), st["right"])]
        for m in MONTHS:
            pt = pp.at(m)
            text = format_pct(pt.percent)
            if pt.kind is not PointKind.ENTERED:
                text = f'<font color="{LIGHT}">{text}</font>' if text else ""
            if pt.checkpoint and pt.amount is not None:
                text += f'<br/><font size="5.5" color="#555555">{format_amount(pt.amount)}</font>'
            row.append(Paragraph(text, st["right"]))
        rows.append(row)
        for m in PLAN_MONTHS:
            extra.append(("BACKGROUND", (2 + m, len(rows) - 1), (2 + m, len(rows) - 1), colors.HexColor("#eef4fc")))
    total_row: list[Any] = ["", Paragraph("<b>单位合计</b>", st["left"]),
                            Paragraph(f"<b>{format_amount(plan.budget)}</b>", st["right"])]
    for total in plan.months:
        text = f"<b>{format_pct(total.percent)}</b>"
        if total.month in PLAN_MONTHS:
            text += f'<br/><font size="5.5">{format_amount(total.amount)}</font>'
        total_row.append(Paragraph(text, st["right"]))
    rows.append(total_row)
    extra.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), TOTAL_BG))
    extra.append(("ALIGN", (0, 0), (0, -1), "CENTER"))
    return Table(rows, colWidths=[seq_w, name_w, budget_w] + [month_w] * 12, repeatRows=1,
                 style=_grid(font, extra), hAlign="LEFT")


def chart_drawing(plan: UnitPlan, font: str, width: float, height: float = 48 * mm) -> Drawing:
    """Bars of the unit's cumulative plan by month (万元, and % on the right), execution line."""
    d = Drawing(width, height)
    # The renderer starts every drawing in Helvetica (never embedded) unless told otherwise.
    d.initialFontName = font
    left, right, bottom, top = 38.0, 30.0, 14.0, 14.0
    w, h = width - left - right, height - bottom - top
    budget = float(plan.budget)
    values = [float(t.amount) for t in plan.months] + [float(t.executed or 0) for t in plan.months]
    step = budget / 4 if budget > 0 else max(max(values), 1.0) / 4
    ticks = max(4, -(-max(values + [budget]) // step)) if step else 4
    axis_top = step * ticks

    def y_of(v: float) -> float:
        return bottom + v / axis_top * h

    for k in range(int(ticks) + 1):
        v = step * k
        d.add(Line(left, y_of(v), left + w, y_of(v), strokeColor=colors.HexColor("#dddddd"), strokeWidth=0.4))
        d.add(String(left - 3, y_of(v) - 2.5, f"{v:.2f}", fontName=font, fontSize=6, textAnchor="end"))
        if budget > 0:
            d.add(String(left + w + 3, y_of(v) - 2.5, f"{v / budget * 100:.0f}%", fontName=font, fontSize=6))
    col = w / 12
    centers = []
    for t in plan.months:
        x = left + (t.month - 1) * col
        solid = t.month in PLAN_MONTHS and not t.interpolated and t.complete
        d.add(Rect(x + col * 0.2, bottom, col * 0.6, y_of(float(t.amount)) - bottom,
                   fillColor=PLAN_COLOR if solid else PLAN_LIGHT, strokeColor=None))
        d.add(String(x + col / 2, bottom - 9, f"{t.month}月", fontName=font, fontSize=6, textAnchor="middle"))
        if t.month in PLAN_MONTHS:
            d.add(String(x + col / 2, y_of(float(t.amount)) + 2, format_amount(t.amount), fontName=font,
                         fontSize=5.5, textAnchor="middle"))
        centers.append(x + col / 2)
    executed = [(centers[t.month - 1], y_of(float(t.executed))) for t in plan.months if t.executed is not None]
    if executed:
        d.add(PolyLine([c for pt in executed for c in pt], strokeColor=EXEC_COLOR, strokeWidth=1.2))
        for x, y in executed:
            d.add(Circle(x, y, 1.8, fillColor=EXEC_COLOR, strokeColor=None))
    d.add(Line(left, bottom, left + w, bottom, strokeColor=colors.HexColor("#888888"), strokeWidth=0.6))
    # legend
    x = left
    legend = [(PLAN_COLOR, "计划累计（已填时点）"), (PLAN_LIGHT, "计划累计（含插值）")]
    if executed:
        legend.append((EXEC_COLOR, "执行数累计"))
    for color, text in legend:
        d.add(Rect(x, height - 9, 8, 5, fillColor=color, strokeColor=None))
        d.add(String(x + 10, height - 9, text, fontName=font, fontSize=6))
        x += 10 + len(text) * 6 + 10
    d.add(String(left - 3, height - 9, "万元", fontName=font, fontSize=6, textAnchor="end"))
    if budget > 0:
        d.add(String(left + w + 3, height - 9, "占预算", fontName=font, fontSize=6))
    return d


def execution_table(doc: Document, plan: UnitPlan, st: dict[str, ParagraphStyle], font: str,
                    width: float) -> Table | None:
    """The latest 执行数 of each project with its rate, band and lag note (None if none)."""
    bands = load_bands(doc.profile)
    executions = [project_execution(pp.project, bands, pp) for pp in plan.projects]
    if not any(e.latest for e in executions):
        return None
    widths = [16.0, 0.0, 36.0, 24.0, 36.0, 36.0, 30.0, 34.0, 0.0]
    flex = width - sum(widths)
    widths[1], widths[8] = flex * 0.35, flex * 0.65
    header = [Paragraph(t, st["cell"]) for t in (
        "序号", "项目名称", "预算数<br/>（万元）", "截至", "累计执行数<br/>（万元）", "同期计划<br/>（万元）",
        "执行率", "监控状态", "进度提示")]
    rows: list[list[Any]] = [header]
    extra: list[Any] = [("ALIGN", (0, 0), (0, -1), "CENTER")]
    for n, ex in enumerate(executions):
        latest = ex.latest
        rows.append([
            str(n + 1), Paragraph(_esc(project_name(ex.plan.project, n)), st["left"]),
            Paragraph(format_amount(ex.plan.budget), st["right"]),
            Paragraph(f"{latest.month}月" if latest else "", st["cell"]),
            Paragraph(format_amount(latest.actual) if latest else "", st["right"]),
            Paragraph(format_amount(latest.planned) if latest else "", st["right"]),
            Paragraph(format_pct(latest.rate) if latest else "", st["right"]),
            Paragraph(latest.band.label if latest and latest.band else "", st["cell"]),
            Paragraph(_esc(ex.lag.message) if ex.lag else "", st["left"]),
        ])
        if latest and latest.band and latest.band.color in BAND_BG:
            bg = colors.HexColor(BAND_BG[latest.band.color])
            extra.append(("BACKGROUND", (6, len(rows) - 1), (7, len(rows) - 1), bg))
    months = [e.latest.month for e in executions if e.latest]
    month = max(months)
    rate = unit_rate(plan, month)
    band = band_for(rate, bands)
    rows.append(["", Paragraph("<b>单位合计</b>", st["left"]),
                 Paragraph(f"<b>{format_amount(plan.budget)}</b>", st["right"]),
                 Paragraph(f"{month}月", st["cell"]),
                 Paragraph(f"<b>{format_amount(plan.at(month).executed)}</b>", st["right"]), "",
                 Paragraph(f"<b>{format_pct(rate)}</b>", st["right"]),
                 Paragraph(band.label if band else "", st["cell"]), ""])
    extra.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), TOTAL_BG))
    return Table(rows, colWidths=widths, repeatRows=1, style=_grid(font, extra), hAlign="LEFT")


def spending_flowables(
    doc: Document, styles: Any = None, font_name: str | None = None, width: float = DEFAULT_WIDTH
) -> list[Flowable]:
    """The calendar page of one document: heading, plan table, chart, execution table.

    Args:
        doc: the document (its projects, plans and recorded 执行数).
        styles: the writer's styles; its ``heading`` ParagraphStyle is used when present.
        font_name: a registered CJK TrueType font (defaults to ``styles.fonts.body``).
        width: the frame width in points.
    """
    font = font_name or getattr(getattr(styles, "fonts", None), "body", None) or "Helvetica"
    st = _styles(styles, font)
    plan = unit_plan(doc)
    out: list[Flowable] = [
        Paragraph("资金支出计划（按月累计）", st["heading"]),
        Paragraph("3月底、6月底、10月底、12月底为填报的累计支出进度（其下为按预算数换算的万元）；"
                  "其余月份为线性插值（灰色），空白为无法推算。", st["note"]),
    ]
    if not plan.projects:
        out.append(Paragraph("没有项目。", st["note"]))
        return out
    out.append(plan_table(plan, st, font, width))
    out.append(Spacer(1, 4 * mm))
    out.append(KeepTogether([chart_drawing(plan, font, width)]))
    table = execution_table(doc, plan, st, font, width)
    if table is not None:
        out += [Spacer(1, 3 * mm), Paragraph("资金支出执行情况", st["heading"]),
                Paragraph("执行率=累计执行数÷同期累计计划数；进度提示按年初以来的进度推算下一时点。", st["note"]),
                table]
    return out
