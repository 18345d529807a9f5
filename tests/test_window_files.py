"""File dialogs that remember their folder, 打开所在文件夹, and 审核报告 from the window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from app.services.storage.store import Store
from app.ui.main_window import MainWindow
from tests.pdf_helpers import page_texts

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, store: Store) -> MainWindow:  # noqa: ANN001
    w = MainWindow(store)
    qtbot.addWidget(w)
    w.show()
    w.files.open_sample()
    return w


def _saved_boxes(window: MainWindow) -> list[QMessageBox]:
    return [b for b in window.findChildren(QMessageBox, "savedBox") if b.isVisible()]


def test_audit_report_pdf_with_assessment_and_open_folder(window: MainWindow, monkeypatch, tmp_path: Path) -> None:
    out = tmp_path / "usb" / "报告.pdf"
    out.parent.mkdir()
    asked: list[str] = []

    def save(parent, title, directory, filters):  # noqa: ANN001, ANN202
        asked.append(directory)
        return str(out), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    assert window.report_actions["preview"].shortcut().toString() == "Ctrl+R"
    window.report_actions["pdf"].trigger()
    text = "\n".join(page_texts(out))
    assert "绩效目标审核报告" in text and "总体评估" in text
    assert "非财政部门审核结论" in text
    assert asked[0].endswith("_2024_审核报告.pdf")
    (box,) = _saved_boxes(window)
    button = next(b for b in box.buttons() if b.text() == "打开所在文件夹")
    button.click()
    assert [Path(u.toLocalFile()) for u in opened] == [out.parent]
    box.close()


def test_audit_report_preview_opens(window: MainWindow) -> None:
    from app.ui.audit_report import preview_report

    dialog = preview_report(window)
    assert dialog is not None and dialog.windowTitle() == "审核报告"  # type: ignore[attr-defined]
    pdf = dialog.files[0]  # type: ignore[attr-defined]
    assert pdf.exists() and pdf.stat().st_size > 1000
    dialog.close()  # type: ignore[attr-defined]


def test_dialogs_remember_the_last_folder_per_purpose(window: MainWindow, monkeypatch, tmp_path: Path) -> None:
    from app.ui.dialogs import ExportScopeDialog

    first = tmp_path / "stick" / "a.json"
    first.parent.mkdir()
    starts: list[str] = []

    def save(parent, title, directory, filters):  # noqa: ANN001, ANN202
        starts.append(directory)
        return str(first), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
    monkeypatch.setattr(ExportScopeDialog, "ask", classmethod(lambda cls, options, parent=None: "unit"))
    window.export_actions["json"].trigger()
    window.export_actions["json"].trigger()
    program_folder = str(Path(__file__).resolve().parent.parent)
    assert not starts[0].startswith(program_folder)
    assert Path(starts[1]).parent == first.parent
    opened: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda parent, title, directory, filters: (opened.append(directory) or [], ""))
    window.files.import_files()
    assert Path(opened[0]) != first.parent  # importing has its own folder
    for box in _saved_boxes(window):
        box.close()


def test_qt_dialog_labels_are_chinese(qapp: QApplication) -> None:
    from app.ui.main import install_translations

    install_translations(qapp)  # type: ignore[arg-type]
    assert QCoreApplication.translate("QFileDialog", "Look in:") != "Look in:"
    assert QCoreApplication.translate("QFileDialog", "Files of type:") != "Files of type:"
    for translator in qapp.findChildren(QTranslator):
        qapp.removeTranslator(translator)
