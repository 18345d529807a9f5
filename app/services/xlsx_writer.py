"""xlsx export in the seed.xlsx layout.

Sheet ``部门整体绩效目标`` holds part 1 (one paragraph per row, merged A:H, wrapped); each
project gets a sheet ``N.名称`` (≤ 31 characters, none of ``[]:*?/\\``): row 1 the heading
(A:G), row 2 the unit line, rows 3–8 the basic block with the docx merges, row 9 blank,
row 10 the indicator header (the print title), rows 11+ the indicators (一级指标 merged
vertically, 指标值确定依据 over F:G). Amounts are numbers formatted ``0.00`` and plan
percentages numbers formatted ``0%`` whenever that displays exactly the text as written;
anything else is written as text, and a blank stays an empty cell (never 0 or 0%).
A4 portrait, fit to one page wide.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

from app.models import Document, Project
from app.models.values import is_blank, parse_amount, parse_percent
from app.services.atomic import write_with
from app.services.part1_layout import part1_paragraphs, project_heading, unit_line
from app.services.xlsx_reader import display_text

PART1_SHEET = "部门整体绩效目标"
WIDTHS = {"A": 13, "B": 12, "C": 17, "D": 19, "E": 12, "F": 12, "G": 17}
FISCAL_LABEL = "其中：财政    资金"
INDICATOR_HEADERS = ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
MAX_CELL_CHARS = 32767

_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_SONG = Font(name="宋体", size=10.5)
_SONG_BOLD = Font(name="宋体", size=10.5, bold=True)
_TITLE = Font(name="黑体", size=14)
_P1_HEAD = Font(name="黑体", size=12)
_P1_TEXT = Font(name="宋体", size=11)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_RIGHT = Alignment(horizontal="right", vertical="center", wrap_text=True)
_P1_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)
_P1_CENTER = Alignment(horizontal="center", vertical="top", wrap_text=True)


def sheet_name(base: str, used: set[str]) -> str:
    """A valid, unique sheet name: ≤ 31 characters, none of ``[]:*?/\\``, no edge quotes."""
    name = _BAD_SHEET_CHARS.sub("", base).strip().strip("'") or "Sheet"
    name = name[:31]
    candidate, n = name, 2
    while candidate.lower() in used:
        suffix = f"({n})"
        candidate = name[: 31 - len(suffix)] + suffix
        n += 1
    used.add(candidate.lower())
    return candidate


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = _ILLEGAL.sub("", text)
    return text[:MAX_CELL_CHARS]


def amount_cell(raw: str | None) -> tuple[object, str]:
    """The cell value and number format that display an amount exactly as written."""
    if raw is None or is_blank(raw):
        return None, "General"
    value = parse_amount(raw)
    if value is not None:
        text = raw.strip()
        places = len(text.split(".", 1)[1]) if "." in text else 0
        fmt = "0" if places == 0 else "0." + "0" * places
        if "," in text:
            fmt = "#,##" + fmt
        if display_text(value, fmt) == raw:
            return value, fmt
    return _clean(raw), "@"


def percent_cell(raw: str | None) -> tuple[object, str]:
    """The cell value and format that display a plan percentage exactly as written."""
    if raw is None or is_blank(raw):
        return None, "General"
    pct = parse_percent(raw)
    if pct is not None:
        text = raw.strip()
        places = len(text.rstrip("%").split(".", 1)[1]) if "." in text else 0
        fmt = "0%" if places == 0 else "0." + "0" * places + "%"
        value = pct / Decimal(100)
        if display_text(value, fmt) == raw:
            return value, fmt
    return _clean(raw), "@"


def _height(text: str | None, chars_per_line: float, line: float = 15, pad: float = 3, minimum: float = 18) -> float:
    if not text:
        return minimum
    lines = sum(max(1, math.ceil(_width(part) / chars_per_line)) for part in text.split("\n"))
    return max(minimum, lines * line + pad)


def _width(text: str) -> float:
    """Display width in CJK characters (ASCII counts half)."""
    return sum(0.5 if ord(ch) < 128 else 1 for ch in text)


class _SheetWriter:
    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws

    def put(self, row: int, col: int, value: object, font: Font = _SONG, align: Alignment = _CENTER,
            fmt: str | None = None, border: bool = True, span: tuple[int, int] = (1, 1)) -> None:
        ws = self.ws
        cell = ws.cell(row=row, column=col)
        if isinstance(value, str):
            value = _clean(value)
        cell.value = value
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # text that looks like a formula stays text
        cell.font = font
        cell.alignment = align
        if fmt:
            cell.number_format = fmt
        rows, cols = span
        if border:
            for r in range(row, row + rows):
                for c in range(col, col + cols):
                    ws.cell(row=r, column=c).border = _BOX
        if rows > 1 or cols > 1:
            ws.merge_cells(start_row=row, start_column=col, end_row=row + rows - 1, end_column=col + cols - 1)


def _project_sheet(ws: Worksheet, doc: Document, p: Project, k: int) -> None:
    w = _SheetWriter(ws)
    for letter, width in WIDTHS.items():
        ws.column_dimensions[letter].width = width
    w.put(1, 1, project_heading(p, k), _TITLE, _CENTER, border=False, span=(1, 7))
    ws.row_dimensions[1].height = 30
    w.put(2, 1, unit_line(doc), _SONG, _LEFT, border=False, span=(1, 5))
    w.put(2, 6, "单位：万元", _SONG, _RIGHT, border=False, span=(1, 2))
    w.put(3, 1, "项目编码")
    w.put(3, 2, p.code, span=(1, 3))
    w.put(3, 5, "项目名称")
    w.put(3, 6, p.name, span=(1, 2))
    ws.row_dimensions[3].height = max(32, _height(p.name, 14))
    w.put(4, 1, "预算规模及资金用途", span=(2, 1))
    w.put(4, 2, "预算数")
    for col, raw in ((3, p.budget_total_raw), (5, p.budget_fiscal_raw), (7, p.budget_other_raw)):
        value, fmt = amount_cell(raw)
        w.put(4, col, value, fmt=fmt)
    w.put(4, 4, FISCAL_LABEL)
    w.put(4, 6, "其他资金")
    ws.row_dimensions[4].height = 32
    w.put(5, 2, p.purpose, align=_LEFT, span=(1, 6))
    ws.row_dimensions[5].height = _height(p.purpose, 42)
    w.put(6, 1, "资金支出计划（%）", span=(2, 1))
    plan = p.plan_raw()
    for (col, span), month in zip(((2, 2), (4, 1), (5, 2), (7, 1)), (3, 6, 10, 12), strict=True):
        w.put(6, col, f"{month}月底", span=(1, span))
        value, fmt = percent_cell(plan[month])
        w.put(7, col, value, fmt=fmt, span=(1, span))
    w.put(8, 1, "绩效目标")
    w.put(8, 2, p.goal, align=_LEFT, span=(1, 6))
    ws.row_dimensions[8].height = _height(p.goal, 42)
    header = 10
    for col, text in enumerate(INDICATOR_HEADERS, start=1):
        w.put(header, col, text, _SONG_BOLD, span=(1, 2) if col == 6 else (1, 1))
    inds = list(p.indicators)
    row = header + 1
    k = 0
    while k < len(inds):
        # 一级指标 merged over a run of equal values.
        end = k + 1
        while end < len(inds) and inds[k].level1 is not None and inds[end].level1 == inds[k].level1:
            end += 1
        w.put(row, 1, inds[k].level1, span=(end - k, 1))
        for j in range(k, end):
            ind = inds[j]
            r = row + j - k
            w.put(r, 2, ind.level2)
            w.put(r, 3, ind.level3, align=_LEFT)
            w.put(r, 4, ind.description, align=_LEFT)
            w.put(r, 5, ind.value_raw)
            w.put(r, 6, ind.basis, align=_LEFT, span=(1, 2))
            ws.row_dimensions[r].height = max(
                30, _height(ind.basis, 14), _height(ind.description, 9), _height(ind.level3, 8)
            )
        row += end - k
        k = end
    ws.print_title_rows = f"{header}:{header}"
    _print_setup(ws)


def _part1_sheet(ws: Worksheet, doc: Document) -> None:
    w = _SheetWriter(ws)
    for letter in "ABCDEFGH":
        ws.column_dimensions[letter].width = 12
    for row, (kind, text) in enumerate(part1_paragraphs(doc), start=1):
        if kind == "title":
            font, align = _P1_HEAD, _P1_CENTER
        elif kind == "section":
            font, align = _P1_HEAD, _P1_LEFT
        else:
            font, align = _P1_TEXT, _P1_LEFT
        w.put(row, 1, text if text.strip() else None, font, align, border=False, span=(1, 8))
        ws.row_dimensions[row].height = _height(text, 43)
    _print_setup(ws)


def _print_setup(ws: Worksheet) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5


def build_workbook(docs: list[Document]) -> Workbook:
    """The workbook for ``docs`` (one part-1 sheet per document that has one, one per project)."""
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    many = len(docs) > 1
    for doc in docs:
        prefix = f"{doc.unit.code}-" if many else ""
        if doc.has_part1:
            _part1_sheet(wb.create_sheet(sheet_name(f"{prefix}{PART1_SHEET}", used)), doc)
        for k, p in enumerate(doc.projects):
            short = f"{prefix}{p.seq or k + 1}.{p.name or ''}"
            _project_sheet(wb.create_sheet(sheet_name(short, used)), doc, p, k)
    if not wb.worksheets:
        wb.create_sheet(PART1_SHEET)
    return wb


def write_xlsx(out: Path, docs: list[Document]) -> None:
    """Export documents to ``out`` in the seed.xlsx layout (atomically).

    Raises:
        PerfGoalsError: the file cannot be written.
    """
    wb = build_workbook(docs)
    write_with(Path(out), lambda tmp: wb.save(tmp))
