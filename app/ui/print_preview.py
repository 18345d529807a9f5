"""The print preview: the print PDF's pages, rendered only when they come into view.

Qt's QPrintPreviewDialog records every page before it shows the first one, so a preview of
many units waited for all of them. Here each page is a widget of the page's size that asks
PDFium for its image when it is painted (only pages in the scroll area's viewport are), and a
few recent images are kept. Whole units are laid out one unit at a time: the first unit's PDF
is written before the dialog opens, the others between events, appended as they come (their
footers number pages per unit, so unit by unit gives the same pages as one PDF).
"""

from __future__ import annotations

import shutil
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.services.errors import PerfGoalsError
from app.ui.layout_state import fit_dialog

CACHE_PAGES = 8  # rendered pages kept; a screen shows two or three at a time
ZOOM_STEPS = (0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0)
PAGE_GAP = 12

# Writes the PDF of one part (a unit) into a fresh folder and returns its path.
PartWriter = Callable[[], Path]


class _PageView(QWidget):
    """One page: its size is known up front, its image is asked for when painted."""

    def __init__(self, preview: PreviewDialog, index: int, points: tuple[float, float]) -> None:
        super().__init__()
        self._preview = preview
        self.index = index
        self.points = points
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)

    def set_zoom(self, pixels_per_point: float) -> None:
        self.setFixedSize(round(self.points[0] * pixels_per_point),
                          round(self.points[1] * pixels_per_point))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        ratio = self.devicePixelRatioF()
        image = self._preview.page_image(self.index, QSize(round(self.width() * ratio),
                                                           round(self.height() * ratio)))
        painter.drawImage(self.rect(), image)
        painter.end()


class PreviewDialog(QDialog):
    """Non-modal preview of a print PDF with 打印… and zoom; temporary files go when closed."""

    first_page_shown = Signal()

    def __init__(self, parent: QWidget | None, title: str, first: Path,
                 more: list[PartWriter] | None = None) -> None:
        super().__init__(parent)
        from app.ui import printing

        self.setObjectName("printPreview")
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self._printing = printing
        self._pdf = pdfium.PdfDocument.new()
        self.files: list[Path] = []
        self._parts: list[pdfium.PdfDocument] = []  # kept open: imported pages may share data
        self._pending = list(more or [])
        self._cache: OrderedDict[tuple[int, int], QImage] = OrderedDict()
        self._zoom = 0.0  # 0 = fit the width
        self.pages_shown = 0
        self._pages: list[_PageView] = []

        self.print_button = QPushButton("打印(&P)…")
        self.print_button.setObjectName("previewPrint")
        self.print_button.clicked.connect(self.print_pages)
        zoom_out, zoom_in, fit = QPushButton("缩小"), QPushButton("放大"), QPushButton("适合宽度")
        zoom_out.clicked.connect(lambda: self._step_zoom(-1))
        zoom_in.clicked.connect(lambda: self._step_zoom(1))
        fit.clicked.connect(lambda: self._set_zoom(0.0))
        self.status = QLabel()
        self.status.setObjectName("previewStatus")
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        bar = QHBoxLayout()
        for widget in (self.print_button, zoom_out, zoom_in, fit):
            bar.addWidget(widget)
        bar.addWidget(self.status, 1)
        bar.addWidget(close)

        self._column = QVBoxLayout()
        self._column.setSpacing(PAGE_GAP)
        self._column.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        sheet = QWidget()
        sheet.setLayout(self._column)
        sheet.setStyleSheet("background: #808080;")
        self.pages_area = QScrollArea()
        self.pages_area.setWidget(sheet)
        self.pages_area.setWidgetResizable(True)
        self.pages_area.verticalScrollBar().valueChanged.connect(lambda _v: self._show_status())
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.pages_area, 1)
        fit_dialog(self, 900, 1000)  # A4 at a readable size; less on a 768-pixel screen

        self.finished.connect(self._clean_up)
        self._append(first)
        if self._pending:
            self.print_button.setEnabled(False)  # prints once every unit is laid out
            QTimer.singleShot(0, self._write_next)

    # --- pages ----------------------------------------------------------------------------
    def page_count(self) -> int:
        return len(self._pages)

    def loading(self) -> bool:
        return bool(self._pending)

    def _append(self, path: Path) -> None:
        """Add a part's pages (its file goes when the dialog closes)."""
        self.files.append(path)
        part = self._printing.open_pdf(path)
        self._parts.append(part)
        start = len(self._pdf)
        self._pdf.import_pages(part)
        for index in range(start, len(self._pdf)):
            page = _PageView(self, index, self._pdf.get_page_size(index))
            page.set_zoom(self._pixels_per_point())
            self._pages.append(page)
            self._column.addWidget(page)
        self._show_status()

    def _write_next(self) -> None:
        if not self._pending or not self.isVisible():
            return
        write = self._pending.pop(0)
        try:
            self._append(write())
        except PerfGoalsError as exc:
            self._pending.clear()
            QMessageBox.warning(self, self.windowTitle(), exc.message)
        if self._pending:
            QTimer.singleShot(0, self._write_next)
        else:
            self.print_button.setEnabled(True)
        self._show_status()

    def page_image(self, index: int, pixels: QSize) -> QImage:
        key = (index, pixels.width())
        image = self._cache.get(key)
        if image is None:
            image = self._printing._render_page(self._pdf, index, pixels)
            self._cache[key] = image
            while len(self._cache) > CACHE_PAGES:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        if not self.pages_shown:
            QTimer.singleShot(0, self.first_page_shown.emit)
        self.pages_shown += 1
        return image

    def _show_status(self) -> None:
        top = self.pages_area.verticalScrollBar().value()
        current = next((p.index + 1 for p in self._pages if p.y() + p.height() > top), 1)
        text = f"第 {current} 页，共 {len(self._pages)} 页"
        if self._pending:
            text += "　正在排版其余单位…"
        self.status.setText(text)

    # --- zoom ----------------------------------------------------------------------------
    def _pixels_per_point(self) -> float:
        if self._zoom:
            return self._zoom * self.logicalDpiX() / 72
        width = self.pages_area.viewport().width() - 2 * PAGE_GAP - self.pages_area.verticalScrollBar().width()
        widest = max((p.points[0] for p in self._pages), default=595.0)
        return max(0.2, width / widest)

    def _set_zoom(self, zoom: float) -> None:
        self._zoom = zoom
        scale = self._pixels_per_point()
        for page in self._pages:
            page.set_zoom(scale)

    def _step_zoom(self, step: int) -> None:
        current = self._zoom or self._pixels_per_point() * 72 / self.logicalDpiX()
        steps = [z for z in ZOOM_STEPS if (z > current + 0.01 if step > 0 else z < current - 0.01)]
        if steps:
            self._set_zoom(steps[0] if step > 0 else steps[-1])

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802 (Qt API)
        super().resizeEvent(event)
        if not self._zoom:
            self._set_zoom(0.0)

    # --- printing and closing --------------------------------------------------------------
    def print_pages(self) -> bool:
        """The system print dialog, then the same pages on paper."""
        from app.ui.busy import Cancelled, progress

        printer = self._printing.make_printer()
        if not self._printing.ask_print_settings(self, printer):
            return False
        try:
            with progress(self, "正在打印…") as step:
                self._printing.render_to_printer(self._pdf, printer, step=step)
        except Cancelled:
            return False
        except PerfGoalsError as exc:
            QMessageBox.warning(self, self.windowTitle(), exc.message)
            return False
        return True

    def _clean_up(self, _result: int = 0) -> None:
        self._pending.clear()
        self._cache.clear()
        self._pdf.close()
        for part in self._parts:
            part.close()
        for path in self.files:
            shutil.rmtree(path.parent, ignore_errors=True)
