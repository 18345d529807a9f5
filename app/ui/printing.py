"""Print preview and printing: the exported PDF's pages, rendered onto the printer.

Paper shows exactly what the PDF export shows because it *is* that PDF
(:func:`app.services.paper.writer.write_pdf`), rasterised page by page with PDFium
(``pypdfium2``). One layout, not two that drift apart. PDFium rather than QtPdf: its wheels
carry one DLL (no Qt6Pdf/Qt6Network/QtPdf add-on wheel to pin), it renders under Wine (the
Windows check build, PITFALLS 1.1) and it is faster. Pages are rendered one at a time as they
are painted and dropped right after, so a long job never holds every page in memory.

Entry points for the main window (文件 → 打印预览 / 打印 Ctrl+P):

* :func:`print_preview` ``(parent, docs, project_ids=None, font=None)`` — non-modal preview
  dialog (:mod:`app.ui.print_preview`, pages rendered as they come into view); its own print
  button prints the same pages.
* :func:`print_documents` ``(parent, docs, project_ids=None, font=None)`` — the system print
  dialog, then print.
* :func:`render_pdf_to_printer` ``(pdf_path, printer)`` — the core, used by both.

``project_ids=None`` prints whole units (summary page, part 1, every project); a list of
project ids (or Project objects) prints just those projects.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPaintEngine, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from app.models import Document, Project
from app.services.errors import PerfGoalsError
from app.ui.busy import Cancelled, Step, progress

if TYPE_CHECKING:
    from app.ui.print_preview import PreviewDialog

PRINT_DPI = 300  # enough for 10.5 pt text on paper; more only costs memory and spool time
PREVIEW_DPI = 110  # Qt's preview keeps every page in memory: screen resolution is plenty
TITLE = "打印"


def make_printer() -> QPrinter:
    """A printer set up for the layout: A4 portrait, the PDF pages carry their own margins."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)
    printer.setDocName("绩效目标表")
    return printer


def make_print_pdf(
    docs: list[Document], project_ids: Iterable[int | Project] | None = None,
    font: str | None = None, **options: Any,
) -> Path:
    """Write the print job as a PDF in a fresh temporary folder (the caller removes it).

    ``options`` go to :func:`app.services.paper.writer.write_pdf` (``with_summary``,
    ``with_part1``, ``with_calendar``).
    """
    from app.services.paper.writer import write_pdf

    folder = Path(tempfile.mkdtemp(prefix="perfgoals-print-"))
    try:
        return write_pdf(folder / "print.pdf", docs, project_ids, font, **options)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def remove_print_pdf(pdf_path: Path) -> None:
    """Remove a PDF made by :func:`make_print_pdf` and its folder."""
    shutil.rmtree(Path(pdf_path).parent, ignore_errors=True)


def is_preview(printer: QPrinter) -> bool:
    """True while a QPrintPreviewDialog records pages (its paint engine is a picture)."""
    engine = printer.paintEngine()
    return engine is not None and engine.type() == QPaintEngine.Type.Picture


def _page_numbers(printer: QPrinter, count: int) -> list[int]:
    """0-based pages to print, honouring a page range chosen in the print dialog."""
    first, last = printer.fromPage(), printer.toPage()
    if first <= 0 or last <= 0:
        return list(range(count))
    return [i for i in range(first - 1, min(last, count))]


def open_pdf(pdf_path: str | Path) -> pdfium.PdfDocument:
    """Open a PDF for rendering.

    The bytes are read by Python and handed to PDFium: PDFium's own file opening takes a
    narrow path on Windows, and %TEMP% lies under a user name that may be Chinese.

    Raises:
        PerfGoalsError: the file is missing, unreadable or not a PDF with pages.
    """
    try:
        pdf = pdfium.PdfDocument(Path(pdf_path).read_bytes())
    except (OSError, pdfium.PdfiumError) as exc:
        raise PerfGoalsError(f"文件“{pdf_path}”无法读取，不能打印") from exc
    if len(pdf) <= 0:
        pdf.close()
        raise PerfGoalsError(f"文件“{pdf_path}”没有页面，不能打印")
    return pdf


def _render_page(pdf: pdfium.PdfDocument, index: int, pixels: QSize) -> QImage:
    """One page as a grey image on white, ``pixels`` wide (the height follows the page).

    Grey, not colour: the tables are black on white, and it is a quarter of the memory.
    """
    page = pdf[index]
    try:
        scale = pixels.width() / page.get_width()
        bitmap = page.render(scale=scale, force_bitmap_format=pdfium_c.FPDFBitmap_Gray,
                             fill_color=(255, 255, 255, 255))
        image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                       QImage.Format.Format_Grayscale8)
        return image.copy()  # detach from PDFium's buffer before it is freed
    finally:
        page.close()


def render_pdf_to_printer(pdf_path: str | Path, printer: QPrinter, dpi: int | None = None,
                          step: Step | None = None) -> int:
    """Draw each page of a PDF file onto ``printer`` (any QPrinter: paper or PDF).

    Args:
        pdf_path: the PDF made by the PDF export.
        printer: where to paint; each PDF page fills one sheet, scaled to fit, centred.
        dpi: rasterisation resolution (see :func:`render_to_printer`).
        step: progress callback (see :func:`render_to_printer`).

    Returns:
        The number of pages printed.

    Raises:
        PerfGoalsError: the PDF cannot be read or the printer cannot be started.
    """
    pdf = open_pdf(pdf_path)
    try:
        return render_to_printer(pdf, printer, dpi, step)
    finally:
        pdf.close()


def render_to_printer(pdf: pdfium.PdfDocument, printer: QPrinter, dpi: int | None = None,
                      step: Step | None = None) -> int:
    """Draw each page of an open PDF onto ``printer``, honouring its page range.

    ``dpi`` is the rasterisation resolution: PRINT_DPI by default (PREVIEW_DPI when the
    printer is Qt's preview), never above the printer's own resolution. ``step(done, total,
    name)`` is told before each page (:func:`app.ui.busy.progress`); when it returns False
    the job is aborted (nothing is printed) and :class:`app.ui.busy.Cancelled` raised.
    """
    if dpi is None:
        dpi = PREVIEW_DPI if is_preview(printer) else PRINT_DPI
    dpi = max(36, min(dpi, printer.resolution() or dpi))
    pages = _page_numbers(printer, len(pdf))
    painter = QPainter()
    if not painter.begin(printer):
        raise PerfGoalsError("无法启动打印机，请检查打印机设置")
    cancelled = False
    try:
        paper = printer.paperRect(QPrinter.Unit.DevicePixel)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        for n, index in enumerate(pages):
            if step is not None and not step(n, len(pages), f"第{index + 1}页"):
                cancelled = True
                printer.abort()  # a spooled job is dropped: no half-printed stack
                raise Cancelled
            if n and not printer.newPage():
                raise PerfGoalsError("打印机无法换页，打印已中止")
            width, height = pdf.get_page_size(index)
            image = _render_page(pdf, index, QSize(round(width / 72 * dpi),
                                                   round(height / 72 * dpi)))
            scale = min(paper.width() / width, paper.height() / height)
            w, h = width * scale, height * scale
            target = QRectF((paper.width() - w) / 2, (paper.height() - h) / 2, w, h)
            painter.drawImage(target, image)
            del image  # one page in memory at a time
    finally:
        painter.end()
        if cancelled and printer.outputFileName():
            Path(printer.outputFileName()).unlink(missing_ok=True)  # printing to a file
    return len(pages)


def _warn(parent: QWidget | None, message: str) -> None:
    QMessageBox.warning(parent, TITLE, message)


def print_preview(
    parent: QWidget | None,
    docs: list[Document],
    project_ids: Iterable[int | Project] | None = None,
    font: str | None = None,
    **options: bool,
) -> PreviewDialog | None:
    """Open the print preview (non-modal) of whole units or of chosen projects.

    Whole units are laid out one at a time: the dialog opens with the first unit and the
    others are appended while the user reads it.

    Returns:
        The dialog (already open), or None when there is nothing to print or the PDF could
        not be made (the user was told why).
    """
    docs = list(docs)
    parts = [[doc] for doc in docs] if project_ids is None else [docs]
    if len(parts) > 1 and options.get("with_summary") is False:
        parts = [docs]  # without its summary page a unit may print nothing: one PDF
    writers: list[Callable[[], Path]] = [
        partial(make_print_pdf, part, project_ids, font, **options) for part in parts]
    try:
        first = writers[0]()
    except PerfGoalsError as exc:
        _warn(parent, exc.message)
        return None
    return _open_preview(parent, first, "打印预览", writers[1:])


def preview_pdf(parent: QWidget | None, pdf_path: Path, title: str) -> PreviewDialog:
    """The print preview (non-modal) of a PDF made for printing; its folder goes when closed."""
    return _open_preview(parent, pdf_path, title, [])


def _open_preview(parent: QWidget | None, first: Path, title: str,
                  more: list[Callable[[], Path]]) -> PreviewDialog:
    from app.ui.print_preview import PreviewDialog

    try:
        dialog = PreviewDialog(parent, title, first, more)
    except BaseException:
        remove_print_pdf(first)
        raise
    dialog.open()
    return dialog


def ask_print_settings(parent: QWidget | None, printer: QPrinter) -> bool:
    """The system print dialog (printer, copies, page range). Tests monkeypatch this."""
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(TITLE)
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
    return dialog.exec() == QDialog.DialogCode.Accepted


def print_documents(
    parent: QWidget | None,
    docs: list[Document],
    project_ids: Iterable[int | Project] | None = None,
    font: str | None = None,
    printer: QPrinter | None = None,
    **options: bool,
) -> bool:
    """Ask for a printer, then print whole units or chosen projects.

    Returns:
        True when pages were sent to the printer; False when the user cancelled or an error
        was shown.
    """
    printer = printer or make_printer()
    if not ask_print_settings(parent, printer):
        return False
    try:
        pdf_path = make_print_pdf(docs, project_ids, font, **options)
    except PerfGoalsError as exc:
        _warn(parent, exc.message)
        return False
    try:
        with progress(parent, "正在打印…") as step:
            render_pdf_to_printer(pdf_path, printer, step=step)
    except Cancelled:
        return False
    except PerfGoalsError as exc:
        _warn(parent, exc.message)
        return False
    finally:
        remove_print_pdf(pdf_path)
    return True
