"""Rectangular cell ranges as clipboard text: TSV (Excel/WPS quoting) and HTML tables.

Spreadsheets put both on the clipboard. TSV keeps cell text exactly (spaces, line breaks
inside quoted cells); HTML is what word processors and web pages offer, and it survives
cells with unquoted line breaks that would break TSV rows.
"""

from __future__ import annotations

import csv
import html
import io
import re
from html.parser import HTMLParser

Grid = list[list[str]]


def to_tsv(rows: Grid) -> str:
    """Excel-style TSV: a cell with a tab, line break or quote is quoted, quotes doubled."""
    lines = []
    for row in rows:
        cells = []
        for cell in row:
            if any(ch in cell for ch in '\t\n\r"'):
                cell = '"' + cell.replace('"', '""') + '"'
            cells.append(cell)
        lines.append("\t".join(cells))
    return "\r\n".join(lines) + "\r\n"


def parse_tsv(text: str) -> Grid:
    """Cells of TSV text as Excel/WPS write it (quoted cells may hold line breaks).

    The line break ending the last row is not an extra row; the grid is padded to a
    rectangle with empty cells.
    """
    if not text:
        return []
    if text.endswith("\r\n"):
        text = text[:-2]
    elif text.endswith("\n"):
        text = text[:-1]
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t", quotechar='"', strict=False))
    rows = [[cell.replace("\r\n", "\n") for cell in row] for row in rows] or [[""]]
    return _pad(rows)


def to_html(rows: Grid) -> str:
    """An HTML table spreadsheets and word processors paste as cells."""
    out = ['<html><head><meta charset="utf-8"></head><body><table>']
    for row in rows:
        cells = "".join(
            f"<td>{html.escape(cell).replace(chr(10), '<br>')}</td>" for cell in row
        )
        out.append(f"<tr>{cells}</tr>")
    out.append("</table></body></html>")
    return "".join(out)


class _TableParser(HTMLParser):
    """Collects the cells of the first table (rowspan/colspan expanded with empty cells)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: Grid = []
        self.depth = 0  # table nesting; only depth 1 counts
        self.done = False
        self.cell: list[str] | None = None
        self.span = 1
        self.spans_down: dict[int, int] = {}  # column -> rows still covered by a rowspan

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        if tag == "table":
            self.depth += 1
        elif self.depth != 1:
            return
        elif tag == "tr":
            self.rows.append([])
            col = 0
            while self.spans_down.get(col, 0) > 0:
                self._fill_spanned()
                col += 1
        elif tag in ("td", "th"):
            self.cell = []
            a = dict(attrs)
            self.span = _int(a.get("colspan"))
            self.rowspan = _int(a.get("rowspan"))
        elif tag == "br" and self.cell is not None:
            self.cell.append(_BR)

    def _fill_spanned(self) -> None:
        row = self.rows[-1]
        col = len(row)
        row.append("")
        self.spans_down[col] -= 1

    def handle_endtag(self, tag: str) -> None:
        if self.done:
            return
        if tag == "table":
            self.depth -= 1
            if self.depth == 0:
                self.done = True
        elif self.depth == 1 and tag in ("td", "th") and self.cell is not None:
            text = _collapse("".join(self.cell))
            if not self.rows:  # a cell outside any <tr>
                self.rows.append([])
            row = self.rows[-1]
            for i in range(self.span):
                col = len(row)
                row.append(text if i == 0 else "")
                if self.rowspan > 1:
                    self.spans_down[col] = self.rowspan - 1
            while self.spans_down.get(len(row), 0) > 0:
                self._fill_spanned()
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None and self.depth == 1:
            self.cell.append(data)


def _int(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


_BR = "\x00"  # stands for <br> until source whitespace has been collapsed
_WS = re.compile(r"[ \t\r\n\f]+")


def _collapse(text: str) -> str:
    """HTML whitespace rules: source line breaks and runs of spaces are one space; <br> is a
    line break. Non-breaking spaces (&nbsp;) are kept, as ordinary spaces.
    """
    lines = [_WS.sub(" ", part).strip(" ") for part in text.split(_BR)]
    return "\n".join(lines).replace("\xa0", " ")


def parse_html_table(markup: str) -> Grid:
    """Cells of the first <table> in HTML clipboard data; [] when there is none."""
    parser = _TableParser()
    parser.feed(markup)
    parser.close()
    return _pad(parser.rows) if parser.rows else []


def _pad(rows: Grid) -> Grid:
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def choose_grid(tsv: str | None, markup: str | None) -> Grid:
    """The grid to paste from clipboard text and HTML.

    TSV is exact, so it wins when both agree on the shape; when they disagree, the HTML
    table is right (a cell with an unquoted line break, as word processors copy, split a
    TSV row).
    """
    from_tsv = parse_tsv(tsv) if tsv else []
    from_html = parse_html_table(markup) if markup and "<table" in markup.lower() else []
    if from_html and from_tsv:
        same = len(from_html) == len(from_tsv) and len(from_html[0]) == len(from_tsv[0])
        return from_tsv if same else from_html
    return from_tsv or from_html
