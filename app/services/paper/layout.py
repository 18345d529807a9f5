"""The province layout on A4 paper, as reportlab flowables (one layout for PDF and printing).

This module only *describes* the pages: which titles, which tables with which merges, where
pages break. :mod:`app.services.paper.writer` draws it into a PDF (page numbers, footer), and
printing from the app renders that same PDF onto the printer, so paper, preview and PDF
cannot drift apart.

Geometry follows seed.docx: A4 portrait, margins 1417/1440 twips, the basic table on a
7-column grid of 1500/1000/1000/1550/1300/1100/1620 twips, the indicator table on
1100/1300/1550/1850/1170/2100 twips, 宋体 10.5 pt in tables, 黑体 headings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle

from app.models import Document, Project
from app.models.values import is_blank
from app.services.formats.layout import (
    BASIC_GRID_TWIPS,
    BASIC_ROWS,
    INDICATOR_COLUMNS,
    INDICATOR_HEADERS,
    OPINION_PDF_STATE_TWIPS,
    OPINION_PDF_TWIPS,
    UNIT_LABEL,
    UNIT_LINE_SPANS,
    WAIVER_HEADERS,
    WAIVER_PDF_TWIPS,
    WAIVER_TITLE,
)
from app.services.formats.part1_layout import part1_paragraphs, project_heading, unit_line
from app.services.formats.waiver_table import PART1_LABEL, waiver_rows
from app.services.paper.fonts import RegisteredFonts

TWIP = 1 / 20  # point
PAGE_SIZE = A4
MARGIN_X = 1417 * TWIP
MARGIN_TOP = 1440 * TWIP
MARGIN_BOTTOM = 1440 * TWIP
FRAME_WIDTH = PAGE_SIZE[0] - 2 * MARGIN_X
FRAME_HEIGHT = PAGE_SIZE[1] - MARGIN_TOP - MARGIN_BOTTOM
BASIC_COLS = [w * TWIP for w in BASIC_GRID_TWIPS]
INDICATOR_COLS = [c.twips * TWIP for c in INDICATOR_COLUMNS]
SUMMARY_COLS = [w * TWIP for w in (560, 2700, 2510, 1100, 1100, 1100)]
WAIVER_COLS = [w * TWIP for w in WAIVER_PDF_TWIPS]
WAIVER_COLS.append(FRAME_WIDTH - sum(WAIVER_COLS))
OPINION_COLS = [w * TWIP for w in OPINION_PDF_TWIPS]
OPINION_COLS += [FRAME_WIDTH - sum(OPINION_COLS) - OPINION_PDF_STATE_TWIPS * TWIP, OPINION_PDF_STATE_TWIPS * TWIP]
CELL_PAD = 3.0
LINE = 0.5

SUMMARY_HEADER = ("序号", "项目编码", "项目名称", "预算数", "财政资金", "其他资金")


def para_markup(text: str | None) -> str:
    """reportlab paragraph markup that shows ``text`` exactly.

    Markup characters are escaped, spaces become no-break spaces (reportlab would collapse
    them), ``\\n`` breaks the line and a trailing empty line keeps its height.
    """
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = escape(text).replace(" ", "\u00a0").replace("\t", "\u00a0" * 4).split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines[-1] = "\u00a0"
    return "<br/>".join(lines)


class CellParagraph(Paragraph):
    """A paragraph that remembers its last wrap: tables measure each cell several times."""

    _wrapped: tuple[float, tuple[float, float]] | None = None

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        done = self._wrapped
        if done is not None and done[0] == avail_width:
            self.width, self.height = done[1]
            return done[1]
        result: tuple[float, float] = super().wrap(avail_width, avail_height)
        self._wrapped = (avail_width, result)
        return result

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        self._wrapped = None  # split re-wraps and may change blPara
        parts: list[Any] = super().split(avail_width, avail_height)
        return parts


@dataclass(slots=True)
class Styles:
    """Paragraph styles of the layout, bound to the registered fonts."""

    title: ParagraphStyle
    heading: ParagraphStyle
    table_title: ParagraphStyle
    body: ParagraphStyle
    body_bold: ParagraphStyle
    cell: ParagraphStyle
    cell_left: ParagraphStyle
    cell_right: ParagraphStyle
    fonts: RegisteredFonts


def make_styles(fonts: RegisteredFonts) -> Styles:
    """Styles as in seed.docx: 黑体 18/16 pt headings, 宋体 12 pt text, 10.5 pt tables."""
    def style(name: str, font: str, size: float, align: int, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=round(size * 1.45, 1),
                              alignment=align, wordWrap="CJK", **kw)

    return Styles(
        title=style("pg-title", fonts.heading, 18, TA_CENTER, spaceBefore=6, spaceAfter=12),
        heading=style("pg-heading", fonts.heading, 16, TA_LEFT, spaceBefore=10, spaceAfter=6,
                      keepWithNext=1),
        table_title=style("pg-table-title", fonts.heading, 16, TA_CENTER, spaceAfter=8,
                          keepWithNext=1),
        body=style("pg-body", fonts.body, 12, TA_JUSTIFY, firstLineIndent=24, spaceAfter=3),
        body_bold=style("pg-body-bold", fonts.heading, 12, TA_LEFT, spaceBefore=6, spaceAfter=4,
                        keepWithNext=1),
        cell=style("pg-cell", fonts.body, 10.5, TA_CENTER),
        cell_left=style("pg-cell-left", fonts.body, 10.5, TA_LEFT),
        cell_right=style("pg-cell-right", fonts.body, 10.5, TA_RIGHT),
        fonts=fonts,
    )


class PageContext(Flowable):
    """Invisible marker: from here on pages belong to ``group`` and show ``footer``.

    The canvas of :mod:`app.services.paper.writer` numbers pages per group (第N页 共M页 counts
    the pages of one unit's document) and prints ``footer`` at the bottom.
    """

    def __init__(self, group: int, footer: str, outline: str | None = None) -> None:
        super().__init__()
        self.group = group
        self.footer = footer
        self.outline = outline
        self.width = self.height = 0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        canv = self.canv
        canv._pg_group = self.group
        canv._pg_footer = self.footer
        if self.outline:
            key = f"g{self.group}"
            canv.bookmarkPage(key)
            canv.addOutlineEntry(self.outline, key, level=0)


class OutlineEntry(Flowable):
    """Invisible marker adding a PDF bookmark (outline level 1) at its position."""

    def __init__(self, title: str, key: str) -> None:
        super().__init__()
        self.title = title
        self.key = key

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.bookmarkHorizontal(self.key, 0, 0)
        self.canv.addOutlineEntry(self.title, self.key, level=1)


def _selector(project_ids: Iterable[int | Project] | None) -> Callable[[Project], bool]:
    """A predicate choosing projects by database id or by the object itself."""
    if project_ids is None:
        return lambda p: True
    items = list(project_ids)
    ids = {i for i in items if isinstance(i, int)}
    objs = {id(p) for p in items if isinstance(p, Project)}
    return lambda p: id(p) in objs or (p.id is not None and p.id in ids)


def unit_label(doc: Document) -> str:
    """The unit as named in footers: its name, else the unit line, else the code."""
    return doc.unit.name or doc.unit_line or doc.unit.code or ""


class LayoutBuilder:
    """Turns documents into the story of flowables for the province layout."""

    def __init__(self, styles: Styles, print_date: str = "") -> None:
        self.s = styles
        self.print_date = print_date
        self._outline_n = 0
        self.row_split = False  # set when a table row is taller than a page (see writer)

    # -- small helpers -------------------------------------------------------------------
    def p(self, text: str | None, style: ParagraphStyle | None = None) -> Paragraph:
        return CellParagraph(para_markup(text), style or self.s.cell)

    def _grid_style(self, extra: list[Any]) -> TableStyle:
        return TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), self.s.fonts.body),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            *extra,
        ])

    def _table(self, rows: list[Any], widths: list[float], style: TableStyle, **kw: Any) -> Table:
        return Table(rows, colWidths=widths, style=style, splitInRow=1 if self.row_split else 0,
                     hAlign="CENTER", **kw)

    # -- the story -------------------------------------------------------------------------
    def story(
        self,
        docs: list[Document],
        project_ids: Iterable[int | Project] | None = None,
        with_summary: bool | None = None,
        with_part1: bool | None = None,
        with_calendar: bool = False,
    ) -> list[Flowable]:
        """All pages: per document a summary page, part 1, then one page group per project.

        Args:
            docs: the documents, printed in this order.
            project_ids: only these projects (database ids or Project objects); None = all.
            with_summary: print the summary page (default: when printing whole units, unless
                the document holds a single project and no part 1).
            with_part1: print part 1 when present (default: only when printing whole units).
            with_calendar: add the unit's spending calendar page (plan, chart, execution)
                after the summary; not part of the province layout, so off by default.
        """
        chosen = _selector(project_ids)
        whole = project_ids is None
        summary = whole if with_summary is None else with_summary
        part1 = whole if with_part1 is None else with_part1
        out: list[Flowable] = []
        for group, doc in enumerate(docs):
            projects = [p for p in doc.projects if chosen(p)]
            show_part1 = part1 and doc.has_part1
            if not projects and not show_part1 and not (summary and whole):
                continue
            sections: list[list[Flowable]] = []
            # A lone project (e.g. a selection copied out for printing) needs no summary.
            lone = with_summary is None and len(projects) == 1 and not doc.has_part1
            if summary and not lone:
                sections.append(self.summary_page(doc, projects))
            if with_calendar:
                sections.append(self.calendar_page(doc))
            if show_part1:
                sections.append(self.part1(doc))
            for i, project in enumerate(projects):
                block = self.project_block(doc, project)
                if i == 0 and show_part1:
                    block.insert(0, Paragraph("预算项目绩效目标", self.s.title))
                sections.append(block)
            waivers = self.waiver_section(doc, projects, show_part1)
            if waivers:
                sections.append(waivers)
            opinions = self.opinion_section(doc, projects, show_part1)
            if opinions:
                sections.append(opinions)
            if not sections:
                sections.append([Spacer(1, 1)])
            if out:
                out.append(PageBreak())
            out.append(PageContext(group, unit_label(doc), f"{unit_line(doc)}（{doc.year}年度）"))
            for k, section in enumerate(sections):
                if k:
                    out.append(PageBreak())
                out.extend(section)
        return out

    def calendar_page(self, doc: Document) -> list[Flowable]:
        """The spending calendar of the unit (from :mod:`app.services.paper.spending_pages`)."""
        from app.services.paper.spending_pages import spending_flowables

        flowables = spending_flowables(doc, self.s, self.s.fonts.body, FRAME_WIDTH)
        _embed_drawing_fonts(flowables, self.s.fonts.body)
        return [self._outline("资金支出计划"), *flowables]

    def _outline(self, title: str) -> OutlineEntry:
        self._outline_n += 1
        return OutlineEntry(title, f"o{self._outline_n}")

    # -- summary -------------------------------------------------------------------------
    def summary_page(self, doc: Document, projects: list[Project]) -> list[Flowable]:
        """First page: every project with 预算数 / 财政资金 / 其他资金 and the total."""
        s = self.s
        rows: list[list[Any]] = [[self.p(unit_line(doc), s.cell_left), "", "", "",
                             self.p("单位：万元", s.cell_right), ""]]
        rows.append([self.p(h) for h in SUMMARY_HEADER])
        totals = [Decimal(0), Decimal(0), Decimal(0)]
        exps = [-2, -2, -2]
        for i, p in enumerate(projects, start=1):
            seq = p.seq if p.seq is not None else i
            amounts = (p.budget_total_raw, p.budget_fiscal_raw, p.budget_other_raw)
            rows.append([self.p(str(seq)), self.p(p.code), self.p(p.name, s.cell_left),
                         *(self.p(a, s.cell_right) for a in amounts)])
            for k, value in enumerate((p.budget_total, p.budget_fiscal, p.budget_other)):
                if value is not None:
                    totals[k] += value
                    exp = value.as_tuple().exponent  # an int for a finite amount
                    if isinstance(exp, int):
                        exps[k] = min(exps[k], exp)
        total_cells = [self.p(f"{t.quantize(Decimal(1).scaleb(e)):f}", s.cell_right)
                       for t, e in zip(totals, exps, strict=True)]
        rows.append([self.p("合计"), "", self.p(f"共{len(projects)}个项目", s.cell_left),
                     *total_cells])
        last = len(rows) - 1
        style = self._grid_style([
            ("SPAN", (0, 0), (3, 0)), ("SPAN", (4, 0), (5, 0)),
            ("LINEBELOW", (0, 0), (-1, 0), LINE, colors.black),
            ("GRID", (0, 1), (-1, -1), LINE, colors.black),
            ("SPAN", (0, last), (1, last)),
        ])
        table = self._table(rows, SUMMARY_COLS, style, repeatRows=2)
        title = f"{doc.year}年度预算项目绩效目标汇总表"
        return [
            Paragraph(para_markup(unit_label(doc)), s.title),
            Paragraph(para_markup(title), s.table_title),
            table,
        ]

    # -- part 1 --------------------------------------------------------------------------
    def part1(self, doc: Document) -> list[Flowable]:
        """第一部分 部门整体绩效目标, paragraph for paragraph as the docx writer prints it."""
        s = self.s
        out: list[Flowable] = [self._outline("部门整体绩效目标")]
        styles = {"title": s.title, "section": s.heading}
        for kind, text in part1_paragraphs(doc):
            if kind == "blank":
                out.append(Spacer(1, 6))
            else:
                out.append(Paragraph(para_markup(text) or "\u00a0", styles.get(kind, s.body)))
        return out

    # -- 出错说明 ------------------------------------------------------------------------
    def waiver_section(self, doc: Document, projects: list[Project], with_part1: bool) -> list[Flowable]:
        """The written explanations of the printed projects (and of part 1 when printed)."""
        rows = [r for r in waiver_rows(doc, projects) if with_part1 or r.project != PART1_LABEL]
        if not rows:
            return []
        p, s = self.p, self.s
        table = [[p(h) for h in WAIVER_HEADERS[:4]]]
        joins: set[int] = set()
        for r in rows:
            # An explanation longer than a page continues in rows without a line between them
            # (room: the title above the table on its first page).
            pieces = self._fit_row([p(r.project, s.cell_left), p(r.location, s.cell_left),
                                    p(r.rule, s.cell_left), p(r.explanation, s.cell_left)], WAIVER_COLS, room=100)
            joins.update(range(len(table), len(table) + len(pieces) - 1))
            table.extend(pieces)
        return [
            self._outline(WAIVER_TITLE),
            Paragraph(WAIVER_TITLE, s.title),
            IndicatorTable(table, [], joins, self._grid_style, WAIVER_COLS),
        ]

    # -- 审核意见 ------------------------------------------------------------------------
    def opinion_section(self, doc: Document, projects: list[Project], with_part1: bool) -> list[Flowable]:
        """The finance bureau's opinions on the printed projects (and on the unit when part 1
        is printed), with the unit's answers: a section like 出错说明."""
        from app.services.formats.opinion_table import OPINION_HEADERS, OPINION_TITLE, opinion_rows

        codes = {p.code for p in projects if p.code}
        chosen = [o for o in doc.opinions
                  if (o.project_code is None and with_part1) or o.project_code in codes]
        if not chosen:
            return []
        p, s = self.p, self.s
        table = [[p(h) for h in OPINION_HEADERS]]
        joins: set[int] = set()
        for cells in opinion_rows(chosen):
            pieces = self._fit_row([p(c, s.cell_left) for c in cells], OPINION_COLS, room=100)
            joins.update(range(len(table), len(table) + len(pieces) - 1))
            table.extend(pieces)
        return [
            self._outline(OPINION_TITLE),
            Paragraph(OPINION_TITLE, s.title),
            IndicatorTable(table, [], joins, self._grid_style, OPINION_COLS),
        ]

    # -- a project ---------------------------------------------------------------------
    def project_block(self, doc: Document, project: Project) -> list[Flowable]:
        """Title, unit line, basic-information table, indicator table."""
        title = project_heading(project, project.position)
        return [
            self._outline(title),
            Paragraph(para_markup(title), self.s.table_title),
            self.basic_table(doc, project),
            Spacer(1, 10),
            self.indicator_table(project),
        ]

    def basic_table(self, doc: Document, project: Project) -> Table:
        """The 7-column basic-information table (BASIC_ROWS) with the unit line as its borderless top row."""
        s, p = self.s, self.p
        (u0, us), (r0, rs) = UNIT_LINE_SPANS
        top: list[Any] = [""] * len(BASIC_COLS)
        top[u0], top[r0] = p(unit_line(doc), s.cell_left), p(UNIT_LABEL, s.cell_right)
        rows = [top]
        spans: list[tuple[str, tuple[int, int], tuple[int, int]]] = [
            ("SPAN", (u0, 0), (u0 + us - 1, 0)), ("SPAN", (r0, 0), (r0 + rs - 1, 0))]
        for n, spec_row in enumerate(BASIC_ROWS, start=1):
            row: list[Any] = [""] * len(BASIC_COLS)
            for sc in spec_row:
                text = sc.text if sc.field is None else getattr(project, sc.field)
                row[sc.col] = p(text, s.cell_left) if sc.kind == "text" else p(text)
                if sc.span > 1 or sc.rowspan > 1:
                    spans.append(("SPAN", (sc.col, n), (sc.col + sc.span - 1, n + sc.rowspan - 1)))
            rows.append(row)
        style = self._grid_style([
            *spans,
            ("LINEBELOW", (0, 0), (-1, 0), LINE, colors.black),
            ("GRID", (0, 1), (-1, -1), LINE, colors.black),
        ])
        return self._table(rows, BASIC_COLS, style)

    def indicator_table(self, project: Project) -> Table:
        """The 6-column indicator table; header repeats on each page, 一级指标 merged."""
        p, s = self.p, self.s
        rows: list[list[Any]] = [[p(h) for h in INDICATOR_HEADERS]]
        first_row: list[int] = []  # table row of each indicator
        joins: set[int] = set()  # rows whose bottom line is hidden (a row continued)
        for ind in project.indicators:
            first_row.append(len(rows))
            pieces = self._fit_row([
                p(ind.level1), p(ind.level2), p(ind.level3), p(ind.description, s.cell_left),
                p(ind.value_raw), p(ind.basis, s.cell_left),
            ])
            joins.update(range(len(rows), len(rows) + len(pieces) - 1))
            rows.extend(pieces)
        first_row.append(len(rows))
        groups = [(first_row[a], first_row[b + 1] - 1) for a, b in level1_groups(project)]
        for a, b in groups:
            for r in range(a + 1, b + 1):
                rows[r] = ["", *rows[r][1:]]
        return IndicatorTable(rows, groups, joins, self._grid_style)

    def _fit_row(self, cells: list[Paragraph], widths: list[float] = INDICATOR_COLS,
                 room: float = 48) -> list[list[Any]]:
        """One indicator row, or several when it is taller than a page.

        A row that cannot fit on an empty page (under the repeated header) is cut into
        continuation rows at paragraph line boundaries; the writer hides the lines between
        them. Every other row stays whole, so a page break never falls inside it.
        """
        limit = FRAME_HEIGHT - room  # room: the repeated header (and a title) above the row
        out: list[list[Any]] = []
        while True:
            heights = [c.wrap(w - 2 * CELL_PAD, FRAME_HEIGHT)[1] if isinstance(c, Paragraph) else 0
                       for c, w in zip(cells, widths, strict=True)]
            if max(heights) + 5 <= limit:
                out.append(cells)
                return out
            first: list[Any] = []
            rest: list[Any] = []
            for c, w, h in zip(cells, widths, heights, strict=True):
                parts = c.split(w - 2 * CELL_PAD, limit - 5) if h + 5 > limit else [c]
                if len(parts) < 2:  # fits, or cannot be cut (a single huge line)
                    first.append(c if h + 5 <= limit or not parts else parts[0])
                    rest.append("")
                else:
                    first.append(parts[0])
                    rest.append(parts[1])
            out.append(first)
            if all(r == "" for r in rest):
                return out
            cells = rest


class IndicatorTable(Table):
    """The indicator table: splits between rows only, cutting 一级指标 merges at the page end.

    reportlab never splits inside a spanned cell (a merged 一级指标 group would move to the
    next page whole, or fail when taller than a page). This table splits after the last row
    that fits, like Word: a group cut by the page break is merged on both pages, its name
    repeated on the continuation, and the header row opens every page. Rows are never cut
    (a single row taller than a page arrives already divided, see ``LayoutBuilder._fit_row``).
    """

    def __init__(self, rows: list[list[Any]], groups: list[tuple[int, int]], joins: set[int],
                 style_fn: Callable[[list[Any]], TableStyle],
                 widths: list[float] = INDICATOR_COLS) -> None:
        self._pg_rows = rows
        self._pg_widths = widths
        self._pg_groups = groups
        self._pg_joins = joins
        self._pg_style_fn = style_fn
        cmds: list[Any] = [("GRID", (0, 0), (-1, -1), LINE, colors.black)]
        cmds += [("SPAN", (0, a), (0, b)) for a, b in groups if b > a]
        cmds += [("LINEBELOW", (0, r), (-1, r), LINE, colors.white) for r in sorted(joins)]
        super().__init__(rows, colWidths=widths, style=style_fn(cmds), repeatRows=1,
                         hAlign="CENTER")

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self._calc(avail_width, avail_height)
        used, n = 0.0, 0
        for h in self._rowHeights:
            if used + h > avail_height + 1e-6:
                break
            used += h
            n += 1
        if n >= len(self._pg_rows):
            return [self]
        if n <= 1:  # not even one row under the header: next page
            return []
        rows = self._pg_rows
        rest = [rows[0], *rows[n:]]
        g1: list[tuple[int, int]] = []
        g2: list[tuple[int, int]] = []
        for a, b in self._pg_groups:
            if b < n:
                g1.append((a, b))
            elif a >= n:
                g2.append((a - n + 1, b - n + 1))
            else:  # cut by the page break: merged on both pages, name repeated
                g1.append((a, n - 1))
                g2.append((1, b - n + 1))
                rest[1] = [rows[a][0], *rest[1][1:]]
        j1 = {r for r in self._pg_joins if r < n - 1}
        j2 = {r - n + 1 for r in self._pg_joins if r >= n}
        return [
            IndicatorTable(rows[:n], g1, j1, self._pg_style_fn, self._pg_widths),
            IndicatorTable(rest, g2, j2, self._pg_style_fn, self._pg_widths),
        ]


def _embed_drawing_fonts(flowables: list[Any], font: str) -> None:
    """Start charts in our font: reportlab graphics otherwise reference a non-embedded
    Helvetica (their default state) even when every string names the CJK font."""
    from reportlab.graphics.shapes import Drawing

    for f in flowables:
        if isinstance(f, Drawing):
            f.initialFontName = font
        inner = getattr(f, "_content", None)  # KeepTogether and friends
        if isinstance(inner, list):
            _embed_drawing_fonts(inner, font)


def level1_groups(project: Project) -> list[tuple[int, int]]:
    """Runs of indicator rows (0-based, inclusive) that share a non-blank 一级指标.

    A row with a blank 一级指标 directly after a group belongs to it: that is how a vertically
    merged cell reads back when a reader keeps the continuation cells empty.
    """
    groups: list[tuple[int, int]] = []
    start = None
    current = None
    for i, ind in enumerate(project.indicators):
        label = (ind.level1 or "").strip()
        if start is not None and (label == current or is_blank(label)):
            continue
        if start is not None and i - 1 > start:
            groups.append((start, i - 1))
        start, current = (i, label) if label else (None, None)
    n = len(project.indicators)
    if start is not None and n - 1 > start:
        groups.append((start, n - 1))
    return groups
