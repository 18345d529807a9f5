"""One logical-grid layer for docx tables and xlsx sheet regions.

Both formats become a stream of :class:`Line` objects: a docx paragraph is a line of one
cell, a docx table row or a worksheet row is a line of logical cells. A logical cell is a
``w:tc`` (with its ``gridSpan``) or a merged range of a sheet; a cell covered by a vertical
merge from above appears as a ``covered`` cell so that rows keep their shape (this is how the
reference text prints them). The layout parser works on this stream only, so docx and xlsx
share it.

docx tables are walked ``w:tc`` by ``w:tc`` honouring ``gridBefore``, ``gridSpan`` and
``vMerge`` — never python-docx's ``row.cells`` / ``table.cell`` (which repeat merged cells and
misplace cells after ``gridBefore``). Content controls (``w:sdt``), ``w:customXml``, ``w:smartTag``
and tracked insertions (``w:ins``) are unwrapped; tracked deletions are dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
MAX_GRID_COLS = 64
# Budgets of one docx (README "Hostile files"): a 438 KB file with a 200,000-row table took
# 1.1 GB. Bureau files have tables of dozens of rows, a few hundred thousand lines in all.
MAX_TABLE_ROWS = 20_000
MAX_BODY_LINES = 300_000


class TooLargeError(ValueError):
    """The document exceeds a budget; the message (Chinese) names what and where."""
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_BR, _TYPE, _DEL = f"{W}br", f"{W}type", f"{W}del"

# Elements whose children are read as if they stood in the element's place.
_WRAPPERS = {
    f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}smartTag", f"{W}ins",
    f"{W}moveTo", f"{W}hyperlink", f"{W}fldSimple", f"{W}dir", f"{W}bdo",
}
# Elements whose content is not visible text of the document body.
_SKIP = {
    f"{W}del", f"{W}moveFrom", f"{W}sdtPr", f"{W}sdtEndPr", f"{W}pPr", f"{W}rPr",
    f"{W}tcPr", f"{W}trPr", f"{W}tblPr", f"{W}customXmlPr", f"{W}instrText", f"{W}delText",
    MC_FALLBACK,
}


@dataclass(slots=True)
class GridCell:
    """One logical cell: its text, where it starts on the grid and how far it spans.

    ``text`` is None only for a worksheet cell that holds nothing at all; a docx cell always
    has a text ("" when it has no characters). ``covered`` marks the continuation of a
    vertical merge (the anchor above holds the text).
    """

    text: str | None
    row: int
    col: int
    colspan: int = 1
    rowspan: int = 1
    covered: bool = False


@dataclass(slots=True)
class Line:
    """A paragraph (``kind == "p"``) or a table/sheet row (``kind == "row"``)."""

    kind: str
    cells: list[GridCell]
    where: str = ""
    table: int | None = None  # docx table number / sheet number, to tell tables apart
    style: str | None = None

    @property
    def text(self) -> str:
        """The text of a paragraph, or of the only non-empty cell of a row."""
        texts = [c.text for c in self.cells if c.text and not c.covered]
        return texts[0] if len(texts) == 1 else "\n".join(texts)

    def filled(self) -> list[GridCell]:
        """The cells that hold visible text."""
        return [c for c in self.cells if not c.covered and c.text and c.text.strip()]


@dataclass(slots=True)
class Grid:
    """A table as rows of logical cells (covered cells included, see :class:`GridCell`)."""

    rows: list[list[GridCell]] = field(default_factory=list)
    ncols: int = 0

    def anchors(self) -> list[GridCell]:
        """Every logical cell once (its anchor), row by row."""
        return [c for row in self.rows for c in row if not c.covered]

    def shape(self) -> list[tuple[int, int, int, int, str]]:
        """(row, col, rowspan, colspan, text) of every anchor: compares two tables' layout."""
        return [(c.row, c.col, c.rowspan, c.colspan, c.text or "") for c in self.anchors()]


# --- docx -------------------------------------------------------------------------------


def _children(el: etree._Element) -> Iterator[etree._Element]:
    """Children of ``el`` with wrappers (content controls, insertions...) unwrapped."""
    for child in el:
        tag = child.tag
        if tag in _WRAPPERS:
            yield from _children(child)
        elif tag in _SKIP or not isinstance(tag, str):
            continue
        else:
            yield child


def paragraph_text(p: etree._Element) -> str:
    """The visible text of a ``w:p``: runs in order, tabs and breaks kept, deletions dropped."""
    parts: list[str] = []
    _collect_text(p, parts)
    return "".join(parts)


def _collect_text(el: etree._Element, parts: list[str]) -> None:
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == f"{W}t":
            parts.append(child.text or "")
        elif tag == f"{W}tab":
            parts.append("\t")
        elif tag == _BR:
            # A page or column break (what LibreOffice/WPS write for "page break before") is
            # layout, not text; only a text-wrapping break is a line break.
            if child.get(_TYPE) in (None, "textWrapping"):
                parts.append("\n")
        elif tag == f"{W}cr":
            parts.append("\n")
        elif tag == f"{W}noBreakHyphen":
            parts.append("\u2011")
        elif tag == f"{W}sym":
            pass  # symbol-font glyphs have no reliable Unicode text
        else:
            _collect_text(child, parts)


def cell_text(tc: etree._Element) -> str:
    """Text of a ``w:tc``: its paragraphs joined by ``\\n`` (nested tables row by row)."""
    lines: list[str] = []
    for child in _children(tc):
        if child.tag == f"{W}p":
            lines.append(paragraph_text(child))
        elif child.tag == f"{W}tbl":
            for row in docx_table_grid(child).rows:
                lines.append("\t".join(c.text or "" for c in row if not c.covered))
    return "\n".join(lines)


def _int_attr(parent: etree._Element | None, tag: str, default: int) -> int:
    if parent is None:
        return default
    el = parent.find(f"{W}{tag}")
    if el is None:
        return default
    try:
        return max(int(el.get(f"{W}val", default)), 0)
    except ValueError:
        return default


_TR, _TRPR, _TC, _TCPR = f"{W}tr", f"{W}trPr", f"{W}tc", f"{W}tcPr"
_GRIDSPAN, _VMERGE, _VAL = f"{W}gridSpan", f"{W}vMerge", f"{W}val"


def docx_table_grid(tbl: etree._Element) -> Grid:
    """Walk a ``w:tbl`` into logical cells (gridBefore, gridSpan and vMerge honoured)."""
    grid = Grid()
    # Anchor of the cell last seen in each grid column, to extend vertical merges.
    above: dict[int, GridCell] = {}
    r = 0
    for tr in _children(tbl):
        if tr.tag != _TR:
            continue
        row: list[GridCell] = []
        col = 0
        deleted = False
        for trpr in tr.iterchildren(_TRPR):
            col = min(_int_attr(trpr, "gridBefore", 0), MAX_GRID_COLS)
            deleted = trpr.find(_DEL) is not None
        if deleted:
            continue  # a row deleted with track changes on: not part of the document
        for tc in _children(tr):
            if tc.tag != _TC:
                continue
            span, vmerge = 1, None
            # Direct child scans: lxml's find() goes through its path engine, too slow here.
            for pr in tc.iterchildren(_TCPR):
                for prop in pr:
                    ptag = prop.tag
                    if ptag == _GRIDSPAN:
                        try:
                            span = int(prop.get(_VAL, 1))
                        except ValueError:
                            span = 1
                    elif ptag == _VMERGE:
                        vmerge = prop.get(_VAL, "continue")
                break
            # Word tables have at most 63 columns; a larger span is damage (or an attack).
            span = min(max(span, 1), MAX_GRID_COLS)
            if vmerge == "continue":
                anchor = above.get(col)
                if anchor is not None and anchor.col == col:
                    anchor.rowspan = r - anchor.row + 1
                    row.append(GridCell("", r, col, span, 1, covered=True))
                    col += span
                    continue
            cell = GridCell(cell_text(tc), r, col, span)
            row.append(cell)
            for c in range(col, col + span):
                above[c] = cell
            col += span
        grid.rows.append(row)
        grid.ncols = max(grid.ncols, col)
        r += 1
        if r > MAX_TABLE_ROWS:
            raise TooLargeError(f"中有一个表格超过{MAX_TABLE_ROWS}行，不像是绩效目标表")
    return grid


def docx_body_lines(body: etree._Element | Iterable[etree._Element]) -> list[Line]:
    """The body of a document as lines: paragraphs and table rows, in order.

    Args:
        body: the ``w:body`` element, or its children one by one (streaming, see
            :func:`app.services.formats.ooxml.SafePackage.iter_body`).
    """
    lines: list[Line] = []
    counts = [0, 0]  # paragraphs, tables
    items = _children(body) if isinstance(body, etree._Element) else body
    for el in items:
        _body_element(el, lines, counts)
        if len(lines) > MAX_BODY_LINES:
            raise TooLargeError(f"的段落和表格行超过{MAX_BODY_LINES}个，不像是绩效目标表")
    return lines


def _body_element(el: etree._Element, lines: list[Line], counts: list[int]) -> None:
    if el.tag in _WRAPPERS:
        for child in _children(el):
            _body_element(child, lines, counts)
    elif el.tag == f"{W}p":
        counts[0] += 1
        style_el = el.find(f"{W}pPr/{W}pStyle")
        style = style_el.get(f"{W}val") if style_el is not None else None
        lines.append(Line("p", [GridCell(paragraph_text(el), 0, 0)], f"第{counts[0]}段", None, style))
    elif el.tag == f"{W}tbl":
        counts[1] += 1
        grid = docx_table_grid(el)
        for i, row in enumerate(grid.rows, start=1):
            lines.append(Line("row", row, f"第{counts[1]}个表格第{i}行", counts[1]))
