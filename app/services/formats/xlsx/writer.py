"""xlsx export in the seed.xlsx layout.

Sheet ``部门整体绩效目标`` holds part 1 (one paragraph per row, merged A:H, wrapped); each
project gets a sheet ``N.名称`` (≤ 31 characters, none of ``[]:*?/\\``): row 1 the heading
(A:G), row 2 the unit line, rows 3–8 the basic block with the docx merges, row 9 blank,
row 10 the indicator header (the print title), rows 11+ the indicators (一级指标 merged
vertically, 指标值确定依据 over F:G). Amounts are numbers formatted ``0.00`` and plan
percentages numbers formatted ``0%`` whenever that displays exactly the text as written;
anything else is written as text, and a blank stays an empty cell (never 0 or 0%).
A4 portrait, fit to one page wide. A document with waivers gets a last sheet ``出错说明``
(:mod:`app.services.formats.waiver_table`; column E, the location key, hidden).

The package is written as XML directly (shared strings, a fixed style sheet): openpyxl needs
minutes for a bureau workbook of 3,000 sheets, this takes seconds, and the markup is the
ordinary SpreadsheetML that Excel and WPS write.
"""

from __future__ import annotations

import math
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from app.models import Document, Project
from app.models.values import is_blank, parse_amount, parse_percent
from app.services.atomic import write_with
from app.services.formats.layout import (
    BASIC_ROWS,
    BASIC_XLSX_WIDTHS,
    INDICATOR_COLUMNS,
    OPINION_HEADERS,
    OPINION_KEY_HEADER,
    OPINION_TITLE,
    OPINION_XLSX_WIDTHS,
    UNIT_LABEL,
    UNIT_LINE_SPANS,
    WAIVER_HEADERS,
    WAIVER_TITLE,
    WAIVER_XLSX_WIDTHS,
)
from app.services.formats.opinion_table import opinion_key_rows
from app.services.formats.part1_layout import part1_paragraphs, project_heading, unit_line
from app.services.formats.waiver_table import waiver_rows
from app.services.formats.xlsx.reader import display_text
from app.services.formats.xml_text import xml_safe

PART1_SHEET = "部门整体绩效目标"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
MAX_CELL_CHARS = 32767
_HIDDEN = ' hidden="1"'


def sheet_name(base: str, used: set[str]) -> str:
    """A valid, unique sheet name: ≤ 31 characters, none of ``[]:*?/\\``, no edge quotes."""
    name = _BAD_SHEET_CHARS.sub("", re.sub(r"\s", " ", xml_safe(base))).strip().strip("'") or "Sheet"
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
    return xml_safe(text)[:MAX_CELL_CHARS]


def amount_cell(raw: str | None) -> tuple[object, str]:
    """The cell value and number format that display an amount exactly as written.

    Whitespace-only text (a single space) is written as text: it reads back as written.
    """
    if raw is None or raw == "":
        return None, "General"
    if is_blank(raw):
        return _clean(raw), "@"
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
    if raw is None or raw == "":
        return None, "General"
    if is_blank(raw):
        return _clean(raw), "@"
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




# --- styles ---------------------------------------------------------------------------------

# Fonts: 0 default, 1 宋体 10.5, 2 宋体 10.5 bold, 3 黑体 14, 4 黑体 12, 5 宋体 11.
_FONTS = (
    '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>',
    '<font><sz val="10.5"/><name val="宋体"/><charset val="134"/></font>',
    '<font><b/><sz val="10.5"/><name val="宋体"/><charset val="134"/></font>',
    '<font><sz val="14"/><name val="黑体"/><charset val="134"/></font>',
    '<font><sz val="12"/><name val="黑体"/><charset val="134"/></font>',
    '<font><sz val="11"/><name val="宋体"/><charset val="134"/></font>',
)
_BORDERS = (
    "<border><left/><right/><top/><bottom/><diagonal/></border>",
    '<border><left style="thin"><color rgb="FF000000"/></left><right style="thin"><color rgb="FF000000"/>'
    '</right><top style="thin"><color rgb="FF000000"/></top><bottom style="thin"><color rgb="FF000000"/>'
    "</bottom><diagonal/></border>",
)
# Named styles: (font, border, horizontal, vertical).
STYLES = {
    "title": (3, 0, "center", "center"),
    "unit_left": (1, 0, "left", "center"),
    "unit_right": (1, 0, "right", "center"),
    "box": (1, 1, "center", "center"),
    "box_left": (1, 1, "left", "center"),
    "box_bold": (2, 1, "center", "center"),
    "p1_title": (4, 0, "center", "top"),
    "p1_head": (4, 0, "left", "top"),
    "p1_text": (5, 0, "left", "top"),
}
BUILTIN_NUMFMT = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10, "@": 49}


class _Styles:
    """The workbook's cellXfs, one per (named style, number format) actually used."""

    def __init__(self) -> None:
        self.xfs: dict[tuple[str, str], int] = {}
        self.custom: dict[str, int] = {}

    def index(self, style: str, fmt: str = "General") -> int:
        key = (style, fmt)
        if key not in self.xfs:
            if fmt not in BUILTIN_NUMFMT and fmt not in self.custom:
                self.custom[fmt] = 164 + len(self.custom)
            self.xfs[key] = len(self.xfs) + 1  # xf 0 is the default
        return self.xfs[key]

    def xml(self) -> str:
        numfmts = "".join(f'<numFmt numFmtId="{i}" formatCode={quoteattr(f)}/>' for f, i in self.custom.items())
        xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>']
        for (style, fmt), _ in sorted(self.xfs.items(), key=lambda kv: kv[1]):
            font, border, h, v = STYLES[style]
            fid = BUILTIN_NUMFMT.get(fmt, self.custom.get(fmt, 0))
            xfs.append(
                f'<xf numFmtId="{fid}" fontId="{font}" fillId="0" borderId="{border}" xfId="0" '
                f'applyNumberFormat="1" applyFont="1" applyBorder="1" applyAlignment="1">'
                f'<alignment horizontal="{h}" vertical="{v}" wrapText="1"/></xf>'
            )
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<styleSheet xmlns="{S_NS}">'
            + (f'<numFmts count="{len(self.custom)}">{numfmts}</numFmts>' if self.custom else "")
            + f'<fonts count="{len(_FONTS)}">{"".join(_FONTS)}</fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            f'<borders count="{len(_BORDERS)}">{"".join(_BORDERS)}</borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        )


S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _col(n: int) -> str:
    out = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


class _Sheet:
    """Cells, merges and row heights of one worksheet, serialised to SpreadsheetML."""

    def __init__(self, name: str, styles: _Styles, strings: dict[str, int]) -> None:
        self.name = name
        self.styles = styles
        self.strings = strings
        self.cells: dict[tuple[int, int], str] = {}
        self.merges: list[str] = []
        self.heights: dict[int, float] = {}
        self.widths: tuple[float, ...] = ()
        self.hidden_cols: set[int] = set()
        self.print_title: int | None = None

    def put(self, row: int, col: int, value: object, style: str = "box", fmt: str = "General",
            span: tuple[int, int] = (1, 1)) -> None:
        s = self.styles.index(style, fmt)
        ref = f"{_col(col)}{row}"
        if isinstance(value, str):
            value = _clean(value)
        if value is None or value == "":
            xml = f'<c r="{ref}" s="{s}"/>'
        elif isinstance(value, str):
            idx = self.strings.setdefault(value, len(self.strings))
            xml = f'<c r="{ref}" s="{s}" t="s"><v>{idx}</v></c>'
        else:
            xml = f'<c r="{ref}" s="{s}"><v>{format(value, "f") if isinstance(value, Decimal) else value}</v></c>'
        self.cells[(row, col)] = xml
        rows, cols = span
        if rows > 1 or cols > 1:
            self.merges.append(f"{ref}:{_col(col + cols - 1)}{row + rows - 1}")
            for r in range(row, row + rows):
                for c in range(col, col + cols):
                    if (r, c) != (row, col):
                        self.cells[(r, c)] = f'<c r="{_col(c)}{r}" s="{s}"/>'

    def xml(self) -> str:
        rows: dict[int, list[tuple[int, str]]] = {}
        for (r, c), x in self.cells.items():
            rows.setdefault(r, []).append((c, x))
        body = []
        for r in sorted(rows):
            ht = self.heights.get(r)
            attr = f' ht="{ht:g}" customHeight="1"' if ht else ""
            body.append(f'<row r="{r}"{attr}>{"".join(x for _, x in sorted(rows[r]))}</row>')
        cols = "".join(
            f'<col min="{n}" max="{n}" width="{w:g}" customWidth="1"{_HIDDEN if n in self.hidden_cols else ""}/>'
            for n, w in enumerate(self.widths, start=1)
        )
        merges = (f'<mergeCells count="{len(self.merges)}">'
                  + "".join(f'<mergeCell ref="{m}"/>' for m in self.merges) + "</mergeCells>") if self.merges else ""
        last = max((r for r, _ in self.cells), default=1)
        last_col = max((c for _, c in self.cells), default=1)
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{S_NS}" xmlns:r="{R_NS}">'
            '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
            f'<dimension ref="A1:{_col(last_col)}{last}"/>'
            '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
            '<sheetFormatPr defaultRowHeight="13.5"/>'
            + (f"<cols>{cols}</cols>" if cols else "")
            + f'<sheetData>{"".join(body)}</sheetData>{merges}'
            '<printOptions horizontalCentered="1"/>'
            '<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
            '<pageSetup paperSize="9" orientation="portrait" fitToWidth="1" fitToHeight="0"/>'
            "</worksheet>"
        )


BASIC_TOP = 3  # sheet row of BASIC_ROWS[0]: row 1 the heading, row 2 the unit line
HEADER_ROW = 10  # the indicator header (row 9 is left empty, as in seed.xlsx)


def _project_sheet(sh: _Sheet, doc: Document, p: Project, k: int) -> None:
    sh.widths = BASIC_XLSX_WIDTHS
    sh.put(1, 1, project_heading(p, k), "title", span=(1, 7))
    sh.heights[1] = 30
    (u0, us), (r0, rs) = UNIT_LINE_SPANS
    sh.put(2, u0 + 1, unit_line(doc), "unit_left", span=(1, us))
    sh.put(2, r0 + 1, UNIT_LABEL, "unit_right", span=(1, rs))
    for n, spec_row in enumerate(BASIC_ROWS):
        for sc in spec_row:
            span = (sc.rowspan, sc.span)
            if sc.field is None:
                sh.put(BASIC_TOP + n, sc.col + 1, sc.text, span=span)
                continue
            raw = getattr(p, sc.field)
            if sc.kind == "amount":
                value, fmt = amount_cell(raw)
            elif sc.kind == "percent":
                value, fmt = percent_cell(raw)
            else:
                value, fmt = raw, "General"
            sh.put(BASIC_TOP + n, sc.col + 1, value, "box_left" if sc.kind == "text" else "box", fmt, span)
    sh.heights[3] = max(32, _height(p.name, 14))
    sh.heights[4] = 32
    sh.heights[5] = _height(p.purpose, 42)
    sh.heights[2] = sh.heights[6] = sh.heights[7] = 18
    sh.heights[8] = _height(p.goal, 42)
    header = HEADER_ROW
    starts = []  # the sheet column of each indicator column
    col = 1
    for c in INDICATOR_COLUMNS:
        starts.append(col)
        sh.put(header, col, c.header, "box_bold", span=(1, c.xlsx_span))
        col += c.xlsx_span
    inds = list(p.indicators)
    row = header + 1
    k = 0
    while k < len(inds):
        # 一级指标 merged over a run of equal values.
        end = k + 1
        while end < len(inds) and inds[k].level1 is not None and inds[end].level1 == inds[k].level1:
            end += 1
        sh.put(row, starts[0], inds[k].level1, span=(end - k, 1))
        for j in range(k, end):
            ind = inds[j]
            r = row + j - k
            for c, start in zip(INDICATOR_COLUMNS[1:], starts[1:], strict=True):
                sh.put(r, start, getattr(ind, c.field), "box_left" if c.align == "left" else "box",
                       span=(1, c.xlsx_span))
            sh.heights[r] = max(30, _height(ind.basis, 14), _height(ind.description, 9), _height(ind.level3, 8))
        row += end - k
        k = end
    sh.print_title = header


def _part1_sheet(sh: _Sheet, doc: Document) -> None:
    sh.widths = (12,) * 8
    for row, (kind, text) in enumerate(part1_paragraphs(doc), start=1):
        style = {"title": "p1_title", "section": "p1_head"}.get(kind, "p1_text")
        sh.put(row, 1, text if text.strip() else None, style, span=(1, 8))
        sh.heights[row] = _height(text, 43)


def _waiver_sheet(sh: _Sheet, doc: Document) -> None:
    """出错说明: one row per waiver; column E (定位, the location key) is hidden."""
    sh.widths = WAIVER_XLSX_WIDTHS
    sh.hidden_cols = {5}
    sh.put(1, 1, WAIVER_TITLE, "title", span=(1, 4))
    sh.heights[1] = 30
    header = 2
    for col, text in enumerate(WAIVER_HEADERS, start=1):
        sh.put(header, col, text, "box_bold")
    for row, r in enumerate(waiver_rows(doc), start=header + 1):
        for col, value in enumerate(r.cells(), start=1):
            sh.put(row, col, value, "box_left")
        sh.heights[row] = max(30, _height(r.explanation, 22), _height(r.project, 9), _height(r.rule, 11))
    sh.print_title = header


def _opinion_sheet(sh: _Sheet, doc: Document) -> None:
    """审核意见: one row per opinion with the unit's answer; column F (编号, the uid) is hidden."""
    sh.widths = OPINION_XLSX_WIDTHS
    sh.hidden_cols = {len(OPINION_HEADERS) + 1}
    sh.put(1, 1, OPINION_TITLE, "title", span=(1, len(OPINION_HEADERS)))
    sh.heights[1] = 30
    header = 2
    for col, text in enumerate((*OPINION_HEADERS, OPINION_KEY_HEADER), start=1):
        sh.put(header, col, text, "box_bold")
    for row, cells in enumerate(opinion_key_rows(doc.opinions), start=header + 1):
        for col, value in enumerate(cells, start=1):
            sh.put(row, col, value, "box_left")
        sh.heights[row] = max(30, _height(cells[2], 20), _height(cells[3], 16), _height(cells[1], 9))
    sh.print_title = header


def _package(sheets: list[_Sheet], styles: _Styles, strings: dict[str, int]) -> dict[str, str]:
    n = len(sheets)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, n + 1)
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            f"{overrides}</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
    }
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, n + 1)
    )
    rels += (
        f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId{n + 2}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/sharedStrings" Target="sharedStrings.xml"/>'
    )
    parts["xl/_rels/workbook.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>'
    )
    sheet_list = "".join(
        f"<sheet name={quoteattr(sh.name)} sheetId=\"{i}\" r:id=\"rId{i}\"/>" for i, sh in enumerate(sheets, start=1)
    )
    names = "".join(
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
        f"{escape(_quote_sheet(sh.name))}!${sh.print_title}:${sh.print_title}</definedName>"
        for i, sh in enumerate(sheets) if sh.print_title
    )
    parts["xl/workbook.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook xmlns="{S_NS}" xmlns:r="{R_NS}"><bookViews><workbookView/></bookViews>'
        f"<sheets>{sheet_list}</sheets>"
        + (f"<definedNames>{names}</definedNames>" if names else "")
        + "</workbook>"
    )
    parts["xl/styles.xml"] = styles.xml()
    sst = "".join(
        f'<si><t xml:space="preserve">{escape(text)}</t></si>' for text in strings
    )
    parts["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<sst xmlns="{S_NS}" count="{len(strings)}" uniqueCount="{len(strings)}">{sst}</sst>'
    )
    return parts


def _quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _write_package(tmp: Path, docs: list[Document]) -> None:
    """Write the workbook to ``tmp``, one sheet at a time (bounded memory for bureau files)."""
    styles = _Styles()
    strings: dict[str, int] = {}
    sheets: list[_Sheet] = []
    used: set[str] = set()
    many = len(docs) > 1
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:

        def emit(sh: _Sheet) -> None:
            sheets.append(sh)
            z.writestr(f"xl/worksheets/sheet{len(sheets)}.xml", sh.xml().encode("utf-8"))
            sh.cells.clear()

        for doc in docs:
            prefix = f"{doc.unit.code}-" if many else ""
            if doc.has_part1:
                sh = _Sheet(sheet_name(f"{prefix}{PART1_SHEET}", used), styles, strings)
                _part1_sheet(sh, doc)
                emit(sh)
            for k, p in enumerate(doc.projects):
                sh = _Sheet(sheet_name(f"{prefix}{p.seq or k + 1}.{p.name or ''}", used), styles, strings)
                _project_sheet(sh, doc, p, k)
                emit(sh)
            if doc.waivers and waiver_rows(doc):
                sh = _Sheet(sheet_name(f"{prefix}{WAIVER_TITLE}", used), styles, strings)
                _waiver_sheet(sh, doc)
                emit(sh)
            if doc.opinions:
                sh = _Sheet(sheet_name(f"{prefix}{OPINION_TITLE}", used), styles, strings)
                _opinion_sheet(sh, doc)
                emit(sh)
        if not sheets:
            emit(_Sheet(PART1_SHEET, styles, strings))
        for name, xml in _package(sheets, styles, strings).items():
            z.writestr(name, xml.encode("utf-8"))


def write_xlsx(out: Path, docs: list[Document]) -> None:
    """Export documents to ``out`` in the seed.xlsx layout (atomically).

    Raises:
        PerfGoalsError: the file cannot be written.
    """
    write_with(Path(out), lambda tmp: _write_package(tmp, docs))
