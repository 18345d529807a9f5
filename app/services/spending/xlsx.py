"""The spending calendar as an Excel workbook: the plan and the execution table.

Sheet 资金支出计划: every project's cumulative plan by month, in % of its budget (format
``0%``) and in 万元 (``0.00``); interpolated months grey italic, unknown months blank, unit
totals. Sheet 执行情况: the recorded 执行数 by month coloured by monitoring band, then the
latest rate, band and lag note. Values are numbers, never formulas, so any reader sees them.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.models import PLAN_MONTHS, Document
from app.services.atomic import write_with
from app.services.formats.xml_text import xml_safe
from app.services.spending.plan import (
    HUNDRED,
    MONTHS,
    PointKind,
    band_for,
    format_pct,
    load_bands,
    project_execution,
    project_name,
    unit_plan,
    unit_rate,
)

AMOUNT_FORMAT = "0.00"
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")
TOTAL_FILL = PatternFill("solid", fgColor="EDEDED")
CHECKPOINT_FILL = PatternFill("solid", fgColor="EEF4FC")
LIGHT_FONT = Font(color="8C8C8C", italic=True)
BOLD = Font(bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
BAND_FILLS = {"red": "F4C7C3", "yellow": "FCE8B2", "green": "C9E7CF"}
PLAN_SHEET = "资金支出计划"
EXEC_SHEET = "执行情况"


def percent_format(percent: Decimal) -> str:
    """``0%`` for whole percentages (as the template), ``0.00%`` when there are decimals."""
    return "0%" if percent == percent.to_integral_value() else "0.00%"


def _fraction(percent: Decimal) -> Decimal:
    return percent / HUNDRED


def styled_cell(ws: Worksheet, row: int, col: int, value: object = None, *, fmt: str | None = None,
                font: Font | None = None, fill: PatternFill | None = None,
                align: Alignment | None = None) -> None:
    """Write a bordered cell with an optional number format, font, fill and alignment.

    The one cell helper of the openpyxl workbooks (spending plan, the bureau's 汇总).
    """
    c = ws.cell(row=row, column=col, value=xml_safe(value) if isinstance(value, str) else value)
    c.border = BORDER
    if fmt:
        c.number_format = fmt
    if font:
        c.font = font
    if fill:
        c.fill = fill
    if align:
        c.alignment = align


def _title(ws: Worksheet, doc: Document, text: str, width: int, note: str) -> None:
    ws.cell(row=1, column=1, value=xml_safe(f"{doc.year}年度 {doc.unit.code}{doc.unit.name} {text}")).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(row=2, column=1, value=note).font = Font(color="555555", size=9)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)


def _head(ws: Worksheet, fixed: list[str], groups: list[tuple[str, list[str]]]) -> int:
    """Two header rows (3–4): fixed columns merged down, grouped columns under a label."""
    col = 1
    for text in fixed:
        styled_cell(ws, 3, col, text, font=BOLD, fill=HEADER_FILL, align=CENTER)
        styled_cell(ws, 4, col, None, fill=HEADER_FILL)
        ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
        col += 1
    for label, subs in groups:
        styled_cell(ws, 3, col, label, font=BOLD, fill=HEADER_FILL, align=CENTER)
        for k, sub in enumerate(subs):
            if k:
                styled_cell(ws, 3, col + k, None, fill=HEADER_FILL)
            styled_cell(ws, 4, col + k, sub, font=BOLD, fill=HEADER_FILL, align=CENTER)
        if len(subs) > 1:
            ws.merge_cells(start_row=3, start_column=col, end_row=3, end_column=col + len(subs) - 1)
        col += len(subs)
    return col - 1


def _setup(ws: Worksheet, widths: dict[int, float], last: int) -> None:
    for col in range(1, last + 1):
        ws.column_dimensions[get_column_letter(col)].width = widths.get(col, 9)
    ws.freeze_panes = "E5"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "3:4"


def _plan_sheet(ws: Worksheet, doc: Document) -> None:
    plan = unit_plan(doc)
    months = [f"{m}月" + ("底" if m in PLAN_MONTHS else "") for m in MONTHS]
    last = _head(ws, ["序号", "项目编码", "项目名称", "预算数（万元）"],
                 [("累计支出进度（占项目预算）", months), ("累计支出金额（万元）", months)])
    _title(ws, doc, "资金支出计划（按月累计）", last,
           "3月底、6月底、10月底、12月底为填报数；其余月份（灰色斜体）按前后时点线性插值，年初为0%；"
           "空白表示无法推算；金额=预算数×累计进度。")
    row = 5
    for n, pp in enumerate(plan.projects):
        p = pp.project
        styled_cell(ws, row, 1, n + 1, align=CENTER)
        styled_cell(ws, row, 2, p.code)
        styled_cell(ws, row, 3, project_name(p, n))
        styled_cell(ws, row, 4, pp.budget, fmt=AMOUNT_FORMAT)
        for m in MONTHS:
            pt = pp.at(m)
            font = LIGHT_FONT if pt.kind is not PointKind.ENTERED else None
            fill = CHECKPOINT_FILL if pt.checkpoint else None
            if pt.percent is not None:
                styled_cell(ws, row, 4 + m, _fraction(pt.percent), fmt=percent_format(pt.percent), font=font, fill=fill)
            else:
                styled_cell(ws, row, 4 + m, None, fill=fill)
            styled_cell(ws, row, 16 + m, pt.amount, fmt=AMOUNT_FORMAT, font=font, fill=fill)
        row += 1
    styled_cell(ws, row, 1, None, fill=TOTAL_FILL)
    styled_cell(ws, row, 2, None, fill=TOTAL_FILL)
    styled_cell(ws, row, 3, "单位合计", font=BOLD, fill=TOTAL_FILL)
    styled_cell(ws, row, 4, plan.budget, fmt=AMOUNT_FORMAT, font=BOLD, fill=TOTAL_FILL)
    for total in plan.months:
        m = total.month
        if total.percent is not None:
            styled_cell(ws, row, 4 + m, _fraction(total.percent), fmt=percent_format(total.percent), font=BOLD, fill=TOTAL_FILL)
        else:
            styled_cell(ws, row, 4 + m, None, fill=TOTAL_FILL)
        styled_cell(ws, row, 16 + m, total.amount, fmt=AMOUNT_FORMAT, font=BOLD, fill=TOTAL_FILL)
    _setup(ws, {1: 5, 2: 22, 3: 28, 4: 12}, last)


def _execution_sheet(ws: Worksheet, doc: Document) -> None:
    plan = unit_plan(doc)
    bands = load_bands(doc.profile)
    executions = [project_execution(pp.project, bands, pp) for pp in plan.projects]
    last = _head(ws, ["序号", "项目编码", "项目名称", "预算数（万元）"], [
        ("截至月底累计执行数（万元）", [f"{m}月" for m in MONTHS]),
        ("最新执行情况", ["截至月份", "累计执行数（万元）", "同期计划（万元）", "执行率", "监控状态", "进度提示"]),
    ])
    legend = "；".join(
        f"{b.label}：执行率{'≥' + format_pct(bands[k - 1].below) if b.below is None else '<' + format_pct(b.below)}"
        for k, b in enumerate(bands)
    )
    _title(ws, doc, "资金支出执行情况", last,
           f"执行率=累计执行数÷同期累计计划数；单元格颜色为监控状态（{legend}）；"
           "进度提示：按年初以来的进度推算，下一时点将达不到计划时提示。")
    row = 5
    for n, ex in enumerate(executions):
        p = ex.plan.project
        styled_cell(ws, row, 1, n + 1, align=CENTER)
        styled_cell(ws, row, 2, p.code)
        styled_cell(ws, row, 3, project_name(p, n))
        styled_cell(ws, row, 4, ex.plan.budget, fmt=AMOUNT_FORMAT)
        for m in MONTHS:
            cell = ex.at(m)
            fill = PatternFill("solid", fgColor=BAND_FILLS[cell.band.color]) if cell.band and cell.band.color in BAND_FILLS else None
            value = cell.actual if cell.actual is not None else (cell.raw or None)
            styled_cell(ws, row, 4 + m, value, fmt=AMOUNT_FORMAT, fill=fill)
        latest = ex.latest
        band_fill = (PatternFill("solid", fgColor=BAND_FILLS[latest.band.color])
                     if latest and latest.band and latest.band.color in BAND_FILLS else None)
        styled_cell(ws, row, 17, f"{latest.month}月" if latest else None, align=CENTER)
        styled_cell(ws, row, 18, latest.actual if latest else None, fmt=AMOUNT_FORMAT)
        styled_cell(ws, row, 19, latest.planned if latest else None, fmt=AMOUNT_FORMAT)
        rate = latest.rate if latest else None
        styled_cell(ws, row, 20, _fraction(rate) if rate is not None else None,
              fmt=percent_format(rate) if rate is not None else None, fill=band_fill)
        styled_cell(ws, row, 21, latest.band.label if latest and latest.band else None, fill=band_fill)
        styled_cell(ws, row, 22, ex.lag.message if ex.lag else None, align=Alignment(wrap_text=True, vertical="center"))
        row += 1
    for col in (1, 2, 17, 22):
        styled_cell(ws, row, col, None, fill=TOTAL_FILL)
    styled_cell(ws, row, 3, "单位合计", font=BOLD, fill=TOTAL_FILL)
    styled_cell(ws, row, 4, plan.budget, fmt=AMOUNT_FORMAT, font=BOLD, fill=TOTAL_FILL)
    latest_month = max((e.latest.month for e in executions if e.latest), default=None)
    for total in plan.months:
        styled_cell(ws, row, 4 + total.month, total.executed, fmt=AMOUNT_FORMAT, font=BOLD, fill=TOTAL_FILL)
    rate = unit_rate(plan, latest_month) if latest_month else None
    styled_cell(ws, row, 17, f"{latest_month}月" if latest_month else None, font=BOLD, fill=TOTAL_FILL, align=CENTER)
    styled_cell(ws, row, 18, plan.at(latest_month).executed if latest_month else None, fmt=AMOUNT_FORMAT, font=BOLD, fill=TOTAL_FILL)
    styled_cell(ws, row, 19, None, fill=TOTAL_FILL)
    styled_cell(ws, row, 20, _fraction(rate) if rate is not None else None,
          fmt=percent_format(rate) if rate is not None else None, font=BOLD, fill=TOTAL_FILL)
    band = band_for(rate, bands)
    styled_cell(ws, row, 21, band.label if band else None, font=BOLD, fill=TOTAL_FILL)
    _setup(ws, {1: 5, 2: 22, 3: 28, 4: 12, 17: 9, 18: 12, 19: 12, 20: 9, 21: 10, 22: 60}, last)


def spending_workbook(doc: Document) -> Workbook:
    """The workbook of one document's spending plan and execution."""
    wb = Workbook()
    plan_ws = wb.active
    plan_ws.title = PLAN_SHEET
    _plan_sheet(plan_ws, doc)
    _execution_sheet(wb.create_sheet(EXEC_SHEET), doc)
    return wb


def write_spending_xlsx(out: str | Path, doc: Document) -> None:
    """Export the plan and the execution table of ``doc`` to ``out`` (atomically).

    Raises:
        PerfGoalsError: the target folder is missing or cannot be written.
    """
    wb = spending_workbook(doc)
    write_with(out, lambda tmp: wb.save(tmp))
