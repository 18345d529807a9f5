"""Undoable creation and deletion of a unit's document (新建单位, 删除单位/年度).

Both commands talk to the window through three methods: ``store``, ``document_added(doc_id,
detached)`` and ``document_removed(doc_id)``. The deleted document's open (detached) graph
is kept, so that undo brings the same rows back with the same ids (see
app/services/workspace/lifecycle.py) and the edit commands below on the stack still apply.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QUndoCommand

from app.models import Document
from app.services.storage.documents import create_document
from app.services.workspace.lifecycle import DeletedDocument, delete_document, restore_document


class CreateDocumentCommand(QUndoCommand):
    """新建单位: create the unit (if new) and its empty document for a year; undo deletes them."""

    def __init__(self, window: Any, unit_code: str, unit_name: str, year: int) -> None:
        super().__init__(f"新建单位{unit_code}")
        self.window, self.values = window, (unit_code, unit_name, year)
        # Created here, before push: an error (the unit has that year already) reaches the
        # caller and no command is left on the stack (exceptions do not leave redo()).
        self.doc_id: int = create_document(window.store, *self.values)
        self._first = True

    def redo(self) -> None:
        if not self._first:
            self.doc_id = create_document(self.window.store, *self.values)
        self._first = False
        self.window.document_added(self.doc_id, None)

    def undo(self) -> None:
        assert self.doc_id is not None
        delete_document(self.window.store, self.doc_id)  # the unit goes too when it was new
        self.window.document_removed(self.doc_id)


class DeleteDocumentCommand(QUndoCommand):
    """Delete a unit's document of one year (the unit too when it has no other year)."""

    def __init__(self, window: Any, doc: Document) -> None:
        super().__init__(f"删除单位{doc.unit.code} {doc.year}年度")
        self.window, self.doc, self.doc_id = window, doc, doc.id
        self.deleted: DeletedDocument | None = None

    def redo(self) -> None:
        self.deleted = delete_document(self.window.store, self.doc_id)
        self.window.document_removed(self.doc_id)

    def undo(self) -> None:
        assert self.deleted is not None
        new_id = restore_document(self.window.store, self.deleted, self.doc)
        if new_id != self.doc_id:
            # Stored with new ids: older commands point at rows that are gone. Rare (an
            # import in between clears the stack anyway); start the history afresh.
            self.doc_id = new_id
            self.window.document_added(new_id, None)
            QTimer.singleShot(0, self.window.undo_stack.clear)
            return
        self.window.document_added(new_id, self.doc)
