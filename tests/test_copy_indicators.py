"""从其他项目复制指标: rows of another project of the unit appended as one undo step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.services.storage.documents import load_documents
from app.services.storage.store import Store
from app.ui.copy_indicators import CopyIndicatorsDialog
from app.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def test_copy_rows_from_another_project(qtbot, store: Store, monkeypatch) -> None:  # noqa: ANN001
    w = MainWindow(store)
    qtbot.addWidget(w)
    w.show()
    w.files.open_sample()
    doc = w.current_document()
    target, source = doc.projects[1], doc.projects[0]
    w.select_project(doc, target)
    before = len(target.indicators)

    def run(dialog: CopyIndicatorsDialog) -> int:
        labels = [s.label for s in dialog.sources]
        assert all(not lab.endswith(target.name) for lab in labels)  # not the project itself
        dialog.source_box.setCurrentIndex(0)  # this year's first project
        dialog.table.item(1, 0).setCheckState(Qt.CheckState.Unchecked)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(CopyIndicatorsDialog, "exec", run)
    w.action_copy_indicators.trigger()
    copied = len(source.indicators) - 1
    stored = next(p for p in load_documents(store)[0].projects if p.id == target.id)
    assert len(stored.indicators) == before + copied
    assert stored.indicators[before].level3 == source.indicators[0].level3
    assert stored.indicators[before + 1].level3 == source.indicators[2].level3
    assert w.indicator_editor.model.rowCount() == before + copied
    w.action_undo.trigger()
    stored = next(p for p in load_documents(store)[0].projects if p.id == target.id)
    assert len(stored.indicators) == before
