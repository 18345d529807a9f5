"""PDF export in the province layout (reportlab), with the CJK font embedded.

The layout itself lives in :mod:`app.services.paper.layout`; this module adds the page frame
(A4 portrait, footer with the unit name, print date and 第N页 共M页) and writes the file
atomically. Printing from the app renders the PDF made here (:mod:`app.ui.printing`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate
from reportlab.platypus.doctemplate import LayoutError

from app.models import Document, Project
from app.services.atomic import write_with
from app.services.errors import PerfGoalsError
from app.services.paper import cjk_wrap
from app.services.paper.fonts import RegisteredFonts, register_fonts
from app.services.paper.layout import (
    FRAME_HEIGHT,
    FRAME_WIDTH,
    MARGIN_BOTTOM,
    MARGIN_X,
    PAGE_SIZE,
    LayoutBuilder,
    make_styles,
)

FOOTER_SIZE = 9
CREATOR = "PerfGoals 绩效目标编报"


def _numbered_canvas(fonts: RegisteredFonts, print_date: str) -> type[Canvas]:
    """A canvas class that holds pages back until the end to print 第N页 共M页 per unit."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            self._pg_group = 0
            self._pg_footer = ""

        def showPage(self) -> None:  # noqa: N802 (reportlab API)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            counts: dict[int, int] = {}
            for state in self._pages:
                counts[state["_pg_group"]] = counts.get(state["_pg_group"], 0) + 1
            seen: dict[int, int] = {}
            for state in self._pages:
                group = state["_pg_group"]
                seen[group] = seen.get(group, 0) + 1
                self.__dict__.update(state)
                self._draw_footer(state["_pg_footer"], seen[group], counts[group])
                Canvas.showPage(self)
            Canvas.save(self)

        def _draw_footer(self, unit: str, page: int, total: int) -> None:
            y = MARGIN_BOTTOM - 12 * mm
            self.saveState()
            self.setFont(fonts.body, FOOTER_SIZE)
            self.drawString(MARGIN_X, y, unit)
            self.drawCentredString(PAGE_SIZE[0] / 2, y, f"第{page}页 共{total}页")
            self.drawRightString(PAGE_SIZE[0] - MARGIN_X, y, f"打印日期：{print_date}")
            self.restoreState()

    return NumberedCanvas


def format_print_date(day: date | None = None) -> str:
    """``2024年3月1日`` (today by default)."""
    day = day or date.today()
    return f"{day.year}年{day.month}月{day.day}日"


def build_pdf(
    target: Path | str,
    make_story: Callable[[LayoutBuilder], list[Flowable]],
    font: str | None = None,
    title: str = "",
    print_date: date | None = None,
) -> None:
    """Lay out a story on A4 pages with footer and page numbers into ``target``.

    ``make_story`` is called with a fresh :class:`LayoutBuilder`; when a single table row is
    taller than a page the story is built again with rows allowed to split (PITFALLS §5.2).

    Raises:
        PerfGoalsError: the font is unusable or the content cannot be laid out.
    """
    cjk_wrap.install()
    fonts = register_fonts(font)
    styles = make_styles(fonts)
    day = format_print_date(print_date)
    canvas_cls = _numbered_canvas(fonts, day)
    for row_split in (False, True):
        builder = LayoutBuilder(styles, day)
        builder.row_split = row_split
        doc = BaseDocTemplate(
            str(target), pagesize=PAGE_SIZE, title=title, author="", creator=CREATOR,
            leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=PAGE_SIZE[1] - MARGIN_BOTTOM
            - FRAME_HEIGHT, bottomMargin=MARGIN_BOTTOM, invariant=True,
            # Without this every page would reference a non-embedded Helvetica.
            initialFontName=fonts.body,
        )
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, FRAME_WIDTH, FRAME_HEIGHT, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        doc.addPageTemplates([PageTemplate(id="a4", frames=[frame])])
        story = make_story(builder)
        if not story:
            raise PerfGoalsError("所选范围内没有可打印的内容")
        try:
            doc.build(story, canvasmaker=canvas_cls)
            return
        except LayoutError as exc:
            if row_split:
                raise PerfGoalsError(f"无法排版PDF：{exc}") from exc


def write_pdf(
    out: Path | str,
    docs: list[Document],
    project_ids: Iterable[int | Project] | None = None,
    font: str | None = None,
    *,
    with_summary: bool | None = None,
    with_part1: bool | None = None,
    with_calendar: bool = False,
    print_date: date | None = None,
) -> Path:
    """Write documents as a PDF in the province layout (atomically).

    Args:
        out: the PDF file to write.
        docs: the documents (one per unit and year), in print order.
        project_ids: print only these projects (database ids or Project objects); None prints
            whole units: summary page, part 1 and every project.
        font: a key from :func:`app.services.paper.fonts.available_fonts` (None = bundled font).
        with_summary: force the summary page on or off.
        with_part1: force part 1 on or off.
        with_calendar: add each unit's spending calendar page after its summary.
        print_date: the date in the footer (today by default).

    Raises:
        PerfGoalsError: the font is not available or the file cannot be written.
    """
    out = Path(out)
    docs = list(docs)
    if not docs:
        raise PerfGoalsError("没有可导出的文档")
    title = "、".join(f"{d.unit.name or d.unit.code}{d.year}年度" for d in docs[:3]) + "绩效目标"
    write_with(out, lambda tmp: build_pdf(
        tmp,
        lambda b: b.story(docs, project_ids, with_summary=with_summary, with_part1=with_part1,
                          with_calendar=with_calendar),
        font=font, title=title, print_date=print_date,
    ))
    return out
