"""Printing renders the exported PDF: tested through PDF QPrinters (offscreen has no printers)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSize
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QMessageBox

from app.services.paper.writer import write_pdf
from app.ui import printing
from tests.factories import full_document

pytestmark = pytest.mark.gui


def pdf_printer(path: Path) -> QPrinter:
    printer = printing.make_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def ink_ratio(pdf: Path, page: int) -> float:
    """Share of dark pixels on a page, rendered on white as the printer path does."""
    doc = printing.open_pdf(pdf)
    img = printing._render_page(doc, page, QSize(298, 421))
    doc.close()
    dark = total = 0
    for y in range(0, img.height(), 2):
        for x in range(0, img.width(), 2):
            total += 1
            dark += img.pixelColor(x, y).lightness() < 160
    return dark / total


def test_render_pdf_to_printer_prints_every_page(qtbot, tmp_path: Path) -> None:
    src = write_pdf(tmp_path / "src.pdf", [full_document()])
    out = tmp_path / "printed.pdf"
    # summary, part 1, the project, 出错说明
    assert printing.render_pdf_to_printer(src, pdf_printer(out), dpi=100) == 4
    assert len(PdfReader(str(out)).pages) == 4
    # each sheet carries about the ink of its source page: neither blank nor black
    for page in range(3):
        printed, original = ink_ratio(out, page), ink_ratio(src, page)
        # (the printed raster is resampled twice, so it looks lighter at this size)
        assert 0.4 * original < printed < 1.2 * original < 0.2


def test_page_range_from_print_dialog(qtbot, tmp_path: Path) -> None:
    src = write_pdf(tmp_path / "src.pdf", [full_document()])
    printer = pdf_printer(tmp_path / "range.pdf")
    printer.setFromTo(2, 3)
    assert printing.render_pdf_to_printer(src, printer, dpi=72) == 2
    assert len(PdfReader(str(tmp_path / "range.pdf")).pages) == 2


def test_unreadable_pdf_is_reported(qtbot, tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    with pytest.raises(printing.PerfGoalsError, match="无法读取"):
        printing.render_pdf_to_printer(bad, pdf_printer(tmp_path / "x.pdf"))
    with pytest.raises(printing.PerfGoalsError, match="无法读取"):
        printing.render_pdf_to_printer(tmp_path / "missing.pdf", pdf_printer(tmp_path / "y.pdf"))
    assert not (tmp_path / "x.pdf").exists()  # nothing was started


def test_pdf_under_a_chinese_folder_prints(qtbot, tmp_path: Path) -> None:
    """%TEMP% lies under the user's name, which may be Chinese (PITFALLS 1.6)."""
    folder = tmp_path / "张三" / "临时"
    folder.mkdir(parents=True)
    src = write_pdf(folder / "打印.pdf", [full_document()])
    assert printing.render_pdf_to_printer(src, pdf_printer(folder / "纸.pdf"), dpi=50) == 4


def test_pages_are_grey_on_white_at_the_asked_width(tmp_path: Path) -> None:
    src = write_pdf(tmp_path / "src.pdf", [full_document()])
    doc = printing.open_pdf(src)
    try:
        img = printing._render_page(doc, 0, QSize(300, 424))
    finally:
        doc.close()
    assert img.width() == 300 and abs(img.height() - 424) <= 1  # A4 keeps its proportions
    assert img.format() == img.Format.Format_Grayscale8
    assert img.pixelColor(1, 1).lightness() == 255  # the margin is white, not transparent


def test_print_preview_shows_the_pdf_pages(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    rendered: list[tuple[int, int]] = []
    real = printing._render_page
    monkeypatch.setattr(printing, "_render_page",
                        lambda pdf, i, px: rendered.append((i, px.width())) or real(pdf, i, px))
    dialog = printing.print_preview(None, [full_document()])
    assert dialog is not None
    try:
        assert dialog.page_count() == 4
        qtbot.waitUntil(lambda: dialog.pages_shown > 0, timeout=20000)
        # only the pages in view are rendered (the first, not the last), at the shown size
        pages = {i for i, _ in rendered}
        assert 0 in pages and 3 not in pages
        assert max(w for _, w in rendered) <= dialog.pages_area.viewport().width() * dialog.devicePixelRatioF()
        assert "共 4 页" in dialog.status.text()
    finally:
        dialog.reject()  # deletes itself and its temporary PDF


def test_print_preview_fits_the_screen(qtbot) -> None:
    from app.ui.layout_state import available_geometry

    dialog = printing.print_preview(None, [full_document()])
    assert dialog is not None
    try:
        area = available_geometry(dialog)
        # The offscreen screen (800×800) is smaller than the preview's wish (900×1000).
        assert dialog.width() <= area.width() - 16 and dialog.height() <= area.height() - 48
        assert dialog.height() >= 480
    finally:
        dialog.reject()


def test_print_preview_of_one_project(qtbot) -> None:
    doc = full_document()
    dialog = printing.print_preview(None, [doc], project_ids=[doc.projects[0]])
    assert dialog is not None
    pdf = dialog.files[0]
    try:
        assert dialog.page_count() == 2  # the project, its 出错说明
        assert pdf.exists()
    finally:
        dialog.reject()
    assert not pdf.exists()  # the temporary PDF goes with the dialog


def test_preview_of_many_units_opens_with_the_first_and_appends_the_rest(
        qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = printing.print_preview(None, [full_document("422001"), full_document("422002")])
    assert dialog is not None
    try:
        assert dialog.page_count() == 4 and dialog.loading()
        assert not dialog.print_button.isEnabled()  # prints once every unit is there
        qtbot.waitUntil(lambda: not dialog.loading(), timeout=20000)
        assert dialog.page_count() == 8 and dialog.print_button.isEnabled()
        out = tmp_path / "printed.pdf"
        monkeypatch.setattr(printing, "ask_print_settings", lambda parent, p: (
            p.setOutputFormat(QPrinter.OutputFormat.PdfFormat), p.setOutputFileName(str(out))) and True)
        assert dialog.print_pages()
        assert len(PdfReader(str(out)).pages) == 8
        files = list(dialog.files)
    finally:
        dialog.reject()
    assert files and not any(f.exists() for f in files)


def test_print_preview_with_nothing_to_print_warns(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append(text))
    assert printing.print_preview(None, [full_document()], project_ids=[999]) is None
    assert shown and "没有" in shown[0]


def test_print_documents(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[QPrinter] = []
    monkeypatch.setattr(printing, "ask_print_settings", lambda parent, p: asked.append(p) or True)
    out = tmp_path / "direct.pdf"
    assert printing.print_documents(None, [full_document()], printer=pdf_printer(out))
    assert asked
    assert len(PdfReader(str(out)).pages) == 4


def test_print_documents_cancelled(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(printing, "ask_print_settings", lambda parent, p: False)
    out = tmp_path / "none.pdf"
    assert not printing.print_documents(None, [full_document()], printer=pdf_printer(out))
    assert not out.exists()


def test_printing_reports_each_page_and_a_cancel_aborts_the_job(qtbot, tmp_path: Path) -> None:
    src = write_pdf(tmp_path / "src.pdf", [full_document()])
    told: list[tuple[int, int, str]] = []
    assert printing.render_pdf_to_printer(src, pdf_printer(tmp_path / "all.pdf"), dpi=50,
                                          step=lambda d, t, name: told.append((d, t, name)) or True) == 4
    assert told == [(0, 4, "第1页"), (1, 4, "第2页"), (2, 4, "第3页"), (3, 4, "第4页")]
    asked: list[int] = []
    with pytest.raises(printing.Cancelled):
        printing.render_pdf_to_printer(src, pdf_printer(tmp_path / "cancelled.pdf"), dpi=50,
                                       step=lambda d, t, name: asked.append(d) or d < 2)
    assert asked == [0, 1, 2]  # stopped at once
    assert not (tmp_path / "cancelled.pdf").exists()  # no half-printed file
