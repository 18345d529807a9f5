"""docx export in the reference layout (the finance bureau's own).

The package is the bundled sample's (its styles, fonts table, numbering and settings) with a
new ``word/document.xml`` generated here: part 1 when present, ``预算项目绩效目标``, then per
project a Heading 4 ``N.名称绩效目标表`` with a bookmark, the basic table (unit line as its
first borderless row, the same spans and vertical merges as seed.docx) and the indicator
table (header row repeating on every page, 一级指标 merged over its group). A4, 宋体 text and
黑体 headings set as East-Asian fonts, each project on a new page. A document with waivers
ends with a section ``出错说明`` (see :mod:`app.services.formats.waiver_table`) on a new page;
one with opinions of the finance bureau with a section ``审核意见`` (:mod:`~app.services.formats.opinion_table`).

The XML is written as text (escaped) rather than through python-docx: it is the same markup
the reference uses, and a bureau export of 3,000 projects takes seconds instead of minutes.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape

from app.models import Document, Indicator, Project
from app.resources import sample_document
from app.services.atomic import write_with
from app.services.formats.layout import (
    BASIC_GRID_TWIPS,
    BASIC_ROWS,
    INDICATOR_COLUMNS,
    INDICATOR_HEADERS,
    OPINION_GRID_TWIPS,
    OPINION_HEADERS,
    OPINION_KEY_HEADER,
    OPINION_TITLE,
    UNIT_LABEL,
    UNIT_LINE_SPANS,
    WAIVER_GRID_TWIPS,
    WAIVER_HEADERS,
    WAIVER_TITLE,
    SpecCell,
)
from app.services.formats.opinion_table import opinion_key_rows
from app.services.formats.part1_layout import part1_paragraphs, project_heading, unit_line
from app.services.formats.waiver_table import waiver_rows
from app.services.formats.xml_text import xml_safe

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

INDICATOR_GRID = tuple(c.twips for c in INDICATOR_COLUMNS)
INDICATOR_JC = tuple(c.align for c in INDICATOR_COLUMNS)
# Row heights (twips) of the unit line and of BASIC_ROWS, as in seed.docx.
UNIT_LINE_HEIGHT = 397
BASIC_HEIGHTS = (420, 420, 600, 420, 420, 700)

_TBL_PR = (
    '<w:tblPr><w:tblW w:w="9070" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>'
    + "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    + '</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="108" w:type="dxa"/>'
    '<w:right w:w="108" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="0000" w:firstRow="0" '
    'w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="0"/></w:tblPr>'
)
_NO_BORDERS = (
    '<w:tcBorders><w:top w:val="nil"/><w:left w:val="nil"/>'
    '<w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="nil"/></w:tcBorders>'
)
_SECT_PR = (
    '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1417" '
    'w:bottom="1440" w:left="1417" w:header="851" w:footer="992" w:gutter="0"/>'
    '<w:cols w:space="425"/><w:docGrid w:linePitch="312"/></w:sectPr>'
)


def _rpr(font: str, size: int, bold: bool = False) -> str:
    b = "<w:b/><w:bCs/>" if bold else ""
    return (
        f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/>'
        f'{b}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
    )


def _runs(text: str, rpr: str) -> str:
    """Runs for one paragraph's text; tabs become ``w:tab``."""
    if not text:
        return ""
    out = []
    for k, part in enumerate(xml_safe(text).split("\t")):
        if k:
            out.append(f"<w:r>{rpr}<w:tab/></w:r>")
        if part:
            out.append(f'<w:r>{rpr}<w:t xml:space="preserve">{escape(part)}</w:t></w:r>')
    return "".join(out)


class _Writer:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.bookmark = 0
        self.toc = 0

    # -- paragraphs ----------------------------------------------------------------------

    def para(self, text: str, font: str = "宋体", size: int = 24, indent: bool = False,
             jc: str | None = None, style: str | None = None, page_break: bool = False,
             bookmark: str | None = None) -> None:
        rpr = _rpr(font, size)
        ppr = ""
        if style:
            ppr += f'<w:pStyle w:val="{style}"/>'
        if page_break:
            ppr += "<w:pageBreakBefore/>"
        if indent:
            ppr += '<w:ind w:firstLineChars="200" w:firstLine="480"/>'
        if jc:
            ppr += f'<w:jc w:val="{jc}"/>'
        body = _runs(text, rpr)
        if bookmark:
            bid = self.bookmark
            self.bookmark += 1
            body = f'<w:bookmarkStart w:id="{bid}" w:name="{bookmark}"/>{body}<w:bookmarkEnd w:id="{bid}"/>'
        self.parts.append(f"<w:p><w:pPr>{ppr}{rpr}</w:pPr>{body}</w:p>")

    def heading(self, text: str, level: int, page_break: bool = False, bookmark: bool = False) -> None:
        size = 36 if level == 1 else 32
        name = None
        if bookmark:
            self.toc += 1
            name = f"_Toc_{level}_{level}_{self.toc:010d}"
        self.para(text, font="黑体", size=size, style=f"Heading{level}", page_break=page_break, bookmark=name)

    # -- tables ----------------------------------------------------------------------------

    @staticmethod
    def cell(text: str | None, width: int, span: int = 1, vmerge: str | None = None,
             jc: str = "center", bold: bool = False, borders: str = "", size: int = 21) -> str:
        pr = f'<w:tcW w:w="{width}" w:type="dxa"/>'
        if span > 1:
            pr += f'<w:gridSpan w:val="{span}"/>'
        if vmerge == "restart":
            pr += '<w:vMerge w:val="restart"/>'
        elif vmerge == "continue":
            pr += "<w:vMerge/>"
        pr += borders + '<w:vAlign w:val="center"/>'
        rpr = _rpr("宋体", size, bold)
        ppr = f'<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="{jc}"/>{rpr}</w:pPr>'
        lines = [""] if vmerge == "continue" or text is None else text.split("\n")
        paras = "".join(f"<w:p>{ppr}{_runs(line, rpr)}</w:p>" for line in lines)
        return f"<w:tc><w:tcPr>{pr}</w:tcPr>{paras}</w:tc>"

    @staticmethod
    def row(cells: list[str], height: int, header: bool = False, cant_split: bool = True) -> str:
        extra = "<w:tblHeader/>" if header else ""
        keep = "<w:cantSplit/>" if cant_split else ""
        return f'<w:tr><w:trPr>{keep}<w:trHeight w:val="{height}"/>{extra}</w:trPr>{"".join(cells)}</w:tr>'

    @staticmethod
    def table(grid: tuple[int, ...], rows: list[str]) -> str:
        cols = "".join(f'<w:gridCol w:w="{w}"/>' for w in grid)
        return f"<w:tbl>{_TBL_PR}<w:tblGrid>{cols}</w:tblGrid>{''.join(rows)}</w:tbl>"

    def basic_table(self, doc: Document, p: Project) -> None:
        """The unit line (a borderless first row) and BASIC_ROWS of the layout specification."""
        c = self.cell
        g = BASIC_GRID_TWIPS
        (u0, us), (r0, rs) = UNIT_LINE_SPANS
        rows = [self.row([
            c(unit_line(doc), sum(g[u0:u0 + us]), us, jc="left", borders=_NO_BORDERS),
            c(UNIT_LABEL, sum(g[r0:r0 + rs]), rs, jc="right", borders=_NO_BORDERS),
        ], UNIT_LINE_HEIGHT)]
        merged: list[SpecCell] = []  # cells of the row above that continue into this one
        for spec_row, height in zip(BASIC_ROWS, BASIC_HEIGHTS, strict=True):
            cells = sorted([*spec_row, *merged], key=lambda sc: sc.col)
            out = []
            for sc in cells:
                width = sum(g[sc.col:sc.col + sc.span])
                if sc in merged:
                    out.append(c(None, width, sc.span, vmerge="continue"))
                    continue
                text = sc.text if sc.field is None else getattr(p, sc.field)
                out.append(c(text, width, sc.span, vmerge="restart" if sc.rowspan > 1 else None,
                             jc="both" if sc.kind == "text" else "center"))
            merged = [sc for sc in spec_row if sc.rowspan > 1]
            rows.append(self.row(out, height))
        self.parts.append(self.table(g, rows))

    def indicator_table(self, indicators: list[Indicator]) -> None:
        g = INDICATOR_GRID
        rows = [self.row([self.cell(h, w, bold=True) for h, w in zip(INDICATOR_HEADERS, g, strict=True)], 397, True)]
        for k, ind in enumerate(indicators):
            prev = indicators[k - 1].level1 if k else None
            nxt = indicators[k + 1].level1 if k + 1 < len(indicators) else None
            same_prev = k > 0 and ind.level1 is not None and ind.level1 == prev
            same_next = ind.level1 is not None and ind.level1 == nxt
            vmerge = "continue" if same_prev else ("restart" if same_next else None)
            values = (ind.level1, ind.level2, ind.level3, ind.description, ind.value_raw, ind.basis)
            rows.append(self.row([
                self.cell(v, w, vmerge=vmerge if n == 0 else None, jc=INDICATOR_JC[n])
                for n, (v, w) in enumerate(zip(values, g, strict=True))
            ], 397))
        self.parts.append(self.table(g, rows))

    def waiver_section(self, doc: Document, page_break: bool) -> None:
        """出错说明: every waiver of the document, on a page of its own after the projects."""
        rows = waiver_rows(doc)
        if not rows:
            return
        g = WAIVER_GRID_TWIPS
        self.heading(WAIVER_TITLE, 1, page_break=page_break, bookmark=True)
        self.para(" ", size=21)
        # The last column (定位) is the waiver's location key, small: the importer needs it.
        table = [self.row([self.cell(h, w, bold=True) for h, w in zip(WAIVER_HEADERS, g, strict=True)], 397, True)]
        for r in rows:
            table.append(self.row([
                self.cell(v, w, jc="left", size=15 if n == 4 else 21)
                for n, (v, w) in enumerate(zip(r.cells(), g, strict=True))
            ], 397, cant_split=False))  # an explanation may be longer than a page
        self.parts.append(self.table(g, table))
        self.para("", size=21)

    def opinion_section(self, doc: Document, page_break: bool) -> None:
        """审核意见: the bureau's opinions and the unit's answers, after 出错说明."""
        rows = opinion_key_rows(doc.opinions)
        if not rows:
            return
        g = OPINION_GRID_TWIPS
        self.heading(OPINION_TITLE, 1, page_break=page_break, bookmark=True)
        self.para(" ", size=21)
        heads = (*OPINION_HEADERS, OPINION_KEY_HEADER)
        table = [self.row([self.cell(h, w, bold=True) for h, w in zip(heads, g, strict=True)], 397, True)]
        key = len(heads) - 1  # 编号 (the uid), small: the importer needs it
        for r in rows:
            table.append(self.row([
                self.cell(v, w, jc="left", size=15 if n == key else 21)
                for n, (v, w) in enumerate(zip(r, g, strict=True))
            ], 397, cant_split=False))
        self.parts.append(self.table(g, table))
        self.para("", size=21)

    # -- document ------------------------------------------------------------------------------

    def part1(self, doc: Document, page_break: bool) -> None:
        first = True
        for kind, text in part1_paragraphs(doc):
            if kind == "title":
                self.heading(text, 1, page_break=page_break and first)
                first = False
            elif kind == "section":
                self.heading(text, 2, bookmark=True)
            elif kind == "blank" and text == " ":
                self.para(text)
            else:
                self.para(text, indent=True, jc="both")

    def projects(self, doc: Document, page_break: bool, sink: IO[bytes] | None = None) -> None:
        self.heading(" 预算项目绩效目标", 1, page_break=page_break)
        self.para(" ")
        self.para(" ", size=21)
        for k, p in enumerate(doc.projects):
            self.heading(project_heading(p, k), 4, page_break=k > 0, bookmark=True)
            self.basic_table(doc, p)
            self.para(" ", size=21)
            self.indicator_table(list(p.indicators))
            self.para("", size=21)
            self.para(" ", size=21)
            if sink is not None:
                self.flush(sink)

    def flush(self, sink: IO[bytes]) -> None:
        """Move what has been generated so far into ``sink`` (keeps memory bounded)."""
        sink.write("".join(self.parts).encode("utf-8"))
        self.parts.clear()

    def write_document(self, docs: list[Document], sink: IO[bytes]) -> None:
        """Write ``word/document.xml`` for ``docs`` into ``sink``, document by document."""
        sink.write(
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            + f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>'.encode()
        )
        started = False
        for doc in docs:
            if doc.has_part1:
                self.part1(doc, page_break=started)
                started = True
            if doc.projects:
                self.projects(doc, page_break=started, sink=sink)
                started = True
            if doc.waivers:
                self.waiver_section(doc, page_break=started)
                started = True
            if doc.opinions:
                self.opinion_section(doc, page_break=started)
                started = True
            self.flush(sink)
        sink.write(f"{_SECT_PR}</w:body></w:document>".encode())


def docx_bytes_into(tmp: Path, docs: list[Document]) -> None:
    """Write the package to ``tmp``: the template's parts plus the generated document."""
    with zipfile.ZipFile(sample_document()) as template, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
        for info in template.infolist():
            if info.filename == "word/document.xml":
                with out.open("word/document.xml", "w", force_zip64=True) as sink:
                    _Writer().write_document(docs, sink)
            else:
                out.writestr(info, template.read(info.filename))


def write_docx(out: Path, docs: list[Document]) -> None:
    """Export documents to ``out`` in the reference layout (atomically).

    Raises:
        PerfGoalsError: the file cannot be written.
    """
    write_with(Path(out), lambda tmp: docx_bytes_into(tmp, docs))
