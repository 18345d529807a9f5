"""The bundled sample (the reference document) opens in the window."""

from __future__ import annotations

import pytest

from app.services.storage.documents import load_documents
from app.services.storage.store import Store
from app.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def test_open_sample_imports_reference(qtbot, store: Store, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(a[2]))
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    window.files.open_sample()
    assert warnings == []
    docs = load_documents(store)
    assert len(docs) == 1 and len(docs[0].projects) == 11
    assert docs[0].unit.code == "422001" and docs[0].year == 2024
