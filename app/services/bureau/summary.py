"""The 汇总 workbook: every unit of a database (or one year) on one sheet per view.

Sheets: 单位 (the dashboard columns), 项目, 指标 (by 一级/二级 and by kind), 规则命中 (unwaived
rule hits by unit) and 资金支出计划 (planned cumulative spending by month). Each has a title
row, a bold frozen header with an autofilter, number formats, and a landscape print setup
fitting the width with the header repeated, so it opens and prints as is in Excel / WPS.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, NamedStyle
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.models import PLAN_MONTHS, Document
from app.models.values import ValueKind
from app.services.atomic import write_with
from app.services.bureau.dashboard import dashboard_rows
from app.services.errors import PerfGoalsError
from app.services.formats.xml_text import xml_safe
from app.services.spending.plan import unit_plan
from app.services.spending.xlsx import AMOUNT_FORMAT, BOLD, BORDER, CENTER, HEADER_FILL, styled_cell
from app.services.storage.documents import load_documents
from app.services.storage.store import Store
from app.services.validation import SEVERITY_LABELS, CheckReport, check_documents
from app.services.validation.catalog import RULES

INT_FORMAT = "0"
PERCENT_FORMAT = "0.00%"
DATE_FORMAT = "yyyy-mm-dd hh:mm"
KIND_COLUMNS = (
    (ValueKind.QUANTITY.value, "定量"), (ValueKind.QUALITATIVE.value, "定性"),
    (ValueKind.DATE.value, "日期"), ("other", "空白或无法解析"),
)

Column = tuple[str, float, str | None]  # header, width, number format
# Counts of unwaived findings: 错误 / 警告 / 提示.
_SEVERITY_COLUMNS: tuple[Column, ...] = tuple((label, 7, INT_FORMAT) for label in SEVERITY_LABELS.values())


def _sheet(ws: Worksheet, title: str, columns: list[Column], rows: Sequence[Sequence[object]],
           freeze_col: int) -> None:
    """Title row, header row, data; frozen header (and ``freeze_col`` columns), autofilter, print."""
    last = len(columns)
    ws.cell(row=1, column=1, value=xml_safe(title)).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    for c, (head, width, _fmt) in enumerate(columns, start=1):
        styled_cell(ws, 2, c, head, font=BOLD, fill=HEADER_FILL, align=CENTER)
        ws.column_dimensions[get_column_letter(c)].width = width
    styles = [_data_style(ws, fmt) for _h, _w, fmt in columns]
    for r, values in enumerate(rows, start=3):
        for c, (value, style) in enumerate(zip(values, styles, strict=True), start=1):
            # A named style per column: setting border and format cell by cell makes openpyxl
            # hash style objects for every cell (seconds for the 3 000-row project sheet).
            ws.cell(row=r, column=c, value=value).style = style
    end = get_column_letter(last)
    ws.freeze_panes = f"{get_column_letter(freeze_col + 1)}3"
    ws.auto_filter.ref = f"A2:{end}{max(len(rows) + 2, 3)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "2:2"
    ws.print_options.gridLines = False
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _data_style(ws: Worksheet, fmt: str | None) -> str:
    """The named style of data cells in number format ``fmt`` (registered once per workbook)."""
    name = f"汇总数据{fmt or ''}"
    wb = ws.parent
    if name not in wb.named_styles:
        wb.add_named_style(NamedStyle(name, border=BORDER, number_format=fmt or "General"))
    return name


def _frac(percent: Decimal | None) -> Decimal | None:
    return None if percent is None else percent / 100


def _units(ws: Worksheet, store: Store, year: int | None, report: CheckReport) -> None:
    fresh = {(r.unit, r.year): r for r in report.reviews}
    rows = []
    for d in dashboard_rows(store, year):
        review = fresh.get((d.unit_code, d.year))
        c = review.counts if review else None
        rows.append([
            d.unit_code, d.unit_name, d.year, d.projects, d.budget_total,
            c.error if c else None, c.warning if c else None, c.hint if c else None,
            review.assessment if review else None, d.status, d.version,
            d.received_at, d.opinions, d.open_opinions,
        ])
    _sheet(ws, f"{_scope(year)}单位汇总", [
        ("单位编码", 12, None), ("单位名称", 30, None), ("年度", 7, INT_FORMAT), ("项目数", 8, INT_FORMAT),
        ("预算数合计（万元）", 16, AMOUNT_FORMAT), *_SEVERITY_COLUMNS,
        ("评估", 7, None), ("审核状态", 10, None), ("版本", 7, INT_FORMAT),
        ("收到时间", 17, DATE_FORMAT), ("意见数", 8, INT_FORMAT), ("未处理意见", 10, INT_FORMAT),
    ], rows, 2)


def _projects(ws: Worksheet, year: int | None, report: CheckReport, docs: list[Document]) -> None:
    rows = []
    for doc, review in zip(docs, report.reviews, strict=True):
        for p, pr in zip(doc.projects, review.projects, strict=True):
            rows.append([
                doc.unit.code, doc.unit.name, doc.year, p.seq, p.code, p.name,
                p.budget_total, p.budget_fiscal, p.budget_other,
                *(_frac(p.plan()[m]) for m in PLAN_MONTHS),
                len(p.indicators), pr.counts.error, pr.counts.warning, pr.counts.hint, pr.assessment,
            ])
    _sheet(ws, f"{_scope(year)}项目汇总", [
        ("单位编码", 12, None), ("单位名称", 24, None), ("年度", 7, INT_FORMAT), ("序号", 6, INT_FORMAT),
        ("项目编码", 24, None), ("项目名称", 32, None), ("预算数（万元）", 14, AMOUNT_FORMAT),
        ("财政资金", 12, AMOUNT_FORMAT), ("其他资金", 12, AMOUNT_FORMAT),
        ("3月底", 9, PERCENT_FORMAT), ("6月底", 9, PERCENT_FORMAT), ("10月底", 9, PERCENT_FORMAT),
        ("12月底", 9, PERCENT_FORMAT), ("指标数", 8, INT_FORMAT), *_SEVERITY_COLUMNS,
        ("评估", 7, None),
    ], rows, 6)


def _indicators(ws: Worksheet, year: int | None, docs: list[Document]) -> None:
    counts: dict[tuple[int, str, str], Counter[str]] = {}
    for doc in docs:
        for p in doc.projects:
            for i in p.indicators:
                key = (doc.year, (i.level1 or "").strip() or "（空）", (i.level2 or "").strip() or "（空）")
                kind = i.value_kind if i.value_kind in dict(KIND_COLUMNS) else "other"
                counts.setdefault(key, Counter())[kind] += 1
    rows = [
        [y, l1, l2, *(c[k] for k, _ in KIND_COLUMNS), sum(c.values())]
        for (y, l1, l2), c in sorted(counts.items())
    ]
    _sheet(ws, f"{_scope(year)}指标汇总（按一级、二级指标和指标值类型）", [
        ("年度", 7, INT_FORMAT), ("一级指标", 14, None), ("二级指标", 22, None),
        *((label, 10, INT_FORMAT) for _k, label in KIND_COLUMNS), ("合计", 10, INT_FORMAT),
    ], rows, 3)


def _rule_hits(ws: Worksheet, year: int | None, report: CheckReport, docs: list[Document]) -> None:
    hits: dict[tuple[str, int], Counter[str]] = {(d.unit.code, d.year): Counter() for d in docs}
    for f in report.objects:
        if not f.waived:
            hits.setdefault((f.unit, f.year), Counter())[f.rule] += 1
    rules = sorted({r for c in hits.values() for r in c})
    rows = [
        [d.unit.code, d.unit.name, d.year, *(hits[(d.unit.code, d.year)][r] or None for r in rules),
         sum(hits[(d.unit.code, d.year)].values())]
        for d in docs
    ]
    columns: list[Column] = [("单位编码", 12, None), ("单位名称", 24, None), ("年度", 7, INT_FORMAT)]
    columns += [(f"{r} {RULES[r].title}" if r in RULES else r, 12, INT_FORMAT) for r in rules]
    columns.append(("合计", 8, INT_FORMAT))
    _sheet(ws, f"{_scope(year)}规则命中（未说明的问题数）", columns, rows, 2)
    for c in range(4, 4 + len(rules)):
        ws.cell(row=2, column=c).alignment = CENTER
    ws.row_dimensions[2].height = 45


def _spending(ws: Worksheet, year: int | None, docs: list[Document]) -> None:
    rows = []
    for doc in docs:
        plan = unit_plan(doc)
        rows.append([doc.unit.code, doc.unit.name, doc.year, plan.budget,
                     *(m.amount for m in plan.months)])
    _sheet(ws, f"{_scope(year)}资金支出计划（按月累计计划支出，万元）", [
        ("单位编码", 12, None), ("单位名称", 24, None), ("年度", 7, INT_FORMAT),
        ("预算数", 13, AMOUNT_FORMAT), *((f"{m}月", 11, AMOUNT_FORMAT) for m in range(1, 13)),
    ], rows, 2)


def _scope(year: int | None) -> str:
    return f"{year}年度" if year is not None else ""


def summary_workbook(store: Store, year: int | None = None) -> Workbook:
    """The 汇总 workbook of the database (or of one year).

    Raises:
        PerfGoalsError: there is no document (for that year).
    """
    docs = load_documents(store, year=year)
    if not docs:
        raise PerfGoalsError(f"数据库中没有{_scope(year) or '任何'}文档，无法生成汇总表")
    report = check_documents(docs)
    wb = Workbook()
    units = wb.active
    units.title = "单位"
    _units(units, store, year, report)
    _projects(wb.create_sheet("项目"), year, report, docs)
    _indicators(wb.create_sheet("指标"), year, docs)
    _rule_hits(wb.create_sheet("规则命中"), year, report, docs)
    _spending(wb.create_sheet("资金支出计划"), year, docs)
    return wb


def write_summary(store: Store, out: str | Path, year: int | None = None) -> Path:
    """Write the 汇总 workbook to ``out`` (atomically); return the path."""
    wb = summary_workbook(store, year)
    write_with(out, lambda tmp: wb.save(tmp))
    return Path(out)
