"""文件 → 打印字体: the choice lists the installed fonts, is remembered and reaches the PDF."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import reportlab
from PySide6.QtWidgets import QFileDialog

from app.resources import font_path
from app.services.storage.store import Store
from app.ui.dialogs import ExportScopeDialog, ImportPreviewDialog
from app.ui.main_window import MainWindow
from tests.pdf_helpers import font_is_embedded, fonts_of

pytestmark = pytest.mark.gui

VERA = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"  # a TrueType font that is not WenQuanYi


@pytest.fixture
def system_fonts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in Windows fonts folder with 宋体 and 仿宋 (仿宋 is really Bitstream Vera)."""
    folder = tmp_path / "Fonts"
    folder.mkdir()
    shutil.copy(font_path(), folder / "SIMSUN.TTC")
    shutil.copy(VERA, folder / "simfang.ttf")
    monkeypatch.setenv("PERFGOALS_SYSTEM_FONTS", str(folder))
    monkeypatch.setattr(ImportPreviewDialog, "ask", classmethod(lambda cls, r, c, parent=None: (True, None)))
    monkeypatch.setattr(ExportScopeDialog, "ask", classmethod(lambda cls, options, parent=None: "project"))
    return folder


def _window(qtbot, store: Store) -> MainWindow:
    w = MainWindow(store)
    qtbot.addWidget(w)
    w.show()
    return w


def _font_actions(w: MainWindow) -> dict[str, object]:
    w.font_menu.rebuild()  # what opening the menu does
    return {a.text(): a for a in w.font_menu.actions()}


def test_font_choice_is_remembered_and_embedded(qtbot, store: Store, seed_docx, system_fonts, monkeypatch,
                                                tmp_path: Path) -> None:
    w = _window(qtbot, store)
    actions = _font_actions(w)
    assert list(actions) == ["文泉驿微米黑（内置）", "宋体", "仿宋"]
    assert actions["文泉驿微米黑（内置）"].isChecked()
    actions["仿宋"].trigger()
    w.close()

    w2 = _window(qtbot, store)  # restart: the choice is remembered
    actions = _font_actions(w2)
    assert actions["仿宋"].isChecked() and not actions["宋体"].isChecked()
    w2.import_paths([str(seed_docx)])
    out = tmp_path / "fangsong.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    w2.export_actions["pdf"].trigger()
    fonts = fonts_of(out)
    assert fonts and all(font_is_embedded(f) for f in fonts)
    assert any("Vera" in str(f.get("/BaseFont")) for f in fonts)
    assert not any("WenQuanYi" in str(f.get("/BaseFont")) for f in fonts)

    from app.ui import printing

    calls: list[str | None] = []
    monkeypatch.setattr(printing, "print_preview", lambda parent, docs, *a, **k: calls.append(k.get("font")))
    monkeypatch.setattr(printing, "print_documents", lambda parent, docs, *a, **k: calls.append(k.get("font")))
    w2.action_print_preview.trigger()
    w2.action_print.trigger()
    assert calls == ["simfang", "simfang"]


def test_missing_font_falls_back_to_bundled(qtbot, store: Store, system_fonts, tmp_path: Path) -> None:
    from app.ui.font_menu import chosen_font

    w = _window(qtbot, store)
    _font_actions(w)["宋体"].trigger()
    assert chosen_font() == "simsun"
    (system_fonts / "SIMSUN.TTC").unlink()  # uninstalled since
    assert chosen_font() is None
    actions = _font_actions(w)
    assert "宋体" not in actions and actions["文泉驿微米黑（内置）"].isChecked()


def test_bundled_font_only_off_windows(qtbot, store: Store, monkeypatch) -> None:
    from app.services.paper import fonts as pdf_fonts

    monkeypatch.setattr(pdf_fonts, "system_fonts_dir", lambda: None)
    w = _window(qtbot, store)
    (only,) = _font_actions(w).values()
    assert only.isChecked() and only.data() == "wqy"
