"""PDF options reach the output from the CLI and the window: the calendar page and the font."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from app.cli import main


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


@pytest.fixture
def seed_db(tmp_path: Path, seed_docx: Path) -> str:
    db = str(tmp_path / "seed.db")
    assert main(["import", str(seed_docx), "--db", db]) == 0
    return db


def test_cli_calendar_page_is_opt_in(tmp_path: Path, seed_db: str) -> None:
    plain, with_cal = tmp_path / "plain.pdf", tmp_path / "cal.pdf"
    assert main(["export", "--db", seed_db, "--format", "pdf", "--out", str(plain)]) == 0
    assert main(["export", "--db", seed_db, "--format", "pdf", "--out", str(with_cal), "--with-calendar"]) == 0
    assert len(PdfReader(with_cal).pages) > len(PdfReader(plain).pages)
    assert "单位合计" in _text(with_cal).replace(" ", "")
    assert "单位合计" not in _text(plain).replace(" ", "")


def test_cli_unknown_font_is_one_chinese_line(tmp_path: Path, seed_db: str, capsys) -> None:
    code = main(["export", "--db", seed_db, "--format", "pdf", "--out", str(tmp_path / "x.pdf"), "--font", "simsun"])
    assert code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "simsun" in err[0] and "不可用" in err[0]
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.gui
def test_window_option_is_remembered_and_used(qtbot, store, seed_docx, monkeypatch, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QFileDialog

    from app.services.formats.file_io import read_file
    from app.services.formats.importing import commit_documents
    from app.ui.main_window import MainWindow

    commit_documents(store, read_file(seed_docx).documents)
    window = MainWindow(store)
    qtbot.addWidget(window)
    assert window.action_print_calendar.isChecked()  # default: the calendar page is printed
    window.action_print_calendar.setChecked(False)
    again = MainWindow(store)
    qtbot.addWidget(again)
    assert not again.action_print_calendar.isChecked()
    out = tmp_path / "unit.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    again.action_print_calendar.setChecked(True)
    again.files.export_as("pdf")
    assert "单位合计" in _text(out).replace(" ", "")
