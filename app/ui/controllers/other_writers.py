"""Other writers of a shared database: their changes shown, our refused edits explained.

:class:`ChangeWatcher` polls the change counter; what another window or program committed
is reloaded here (tree and open documents). An edit refused because someone else changed the
same field first (:class:`EditConflictError`, relayed by :mod:`app.ui.conflicts`) is told in a
message naming who changed what, and the project is reloaded so nothing stale stays on screen.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMessageBox, QStatusBar, QWidget

from app import APP_TITLE_ZH
from app.services.storage.changes import ChangeBatch, current_seq
from app.services.storage.conflicts import EditConflictError
from app.ui.change_watcher import ChangeWatcher
from app.ui.commands import Edits
from app.ui.conflicts import conflict_relay
from app.ui.controllers.documents import DocumentsController
from app.ui.panels.project_tree import ProjectTree


class OtherWriters(QObject):
    """Keeps one window in step with the other writers of its database."""

    def __init__(self, edits: Edits, documents: DocumentsController, tree: ProjectTree, host: QWidget,
                 status: QStatusBar) -> None:
        super().__init__(host)
        self.edits, self.documents, self.tree, self.host, self.status = edits, documents, tree, host, status
        self.watcher = ChangeWatcher(self)
        self.watcher.changed.connect(self.others_changed)
        # Later, from the event loop: the refused op may be inside the undo stack's call.
        conflict_relay.listen(self, OtherWriters._conflict_later)
        self._conflict_box: QMessageBox | None = None

    def others_changed(self, batch: ChangeBatch) -> None:
        """Another window or program committed: show its changes (tree, open documents)."""
        self.documents.commit_pending()
        self.reload_documents(None if batch.everything else set(batch.documents))
        who = "、".join(sorted(batch.by)) or "其他用户"
        self.status.showMessage(f"{who} 修改了数据库，已刷新", 5000)

    def _conflict_later(self, store: object, exc: EditConflictError) -> None:
        QTimer.singleShot(0, self, lambda: self.edit_refused(store, exc))

    def edit_refused(self, store: object, exc: EditConflictError) -> None:
        """An edit collided with another writer's: say so and reload what they changed."""
        if store is not self.edits.store or not self.host.isVisible():
            return  # another window's edit
        doc_id = self.documents.current_doc_id
        self.reload_documents({doc_id} if doc_id is not None else None)
        self.watcher.seq = max(self.watcher.seq, current_seq(self.edits.store))
        box = QMessageBox(QMessageBox.Icon.Warning, APP_TITLE_ZH, exc.message, QMessageBox.StandardButton.Ok,
                          self.host)
        box.setObjectName("editConflictMessage")
        box.open()  # not modal-blocking: the reloaded project is already shown behind it
        self._conflict_box = box

    def reload_documents(self, doc_ids: set[int] | None) -> None:
        """Drop the open copies of ``doc_ids`` (None: all), refresh the tree, show the same place.

        The undo history is cleared when an open document is replaced: its steps name rows by
        position, and another writer may have moved what those positions mean.
        """
        docs, workspace = self.documents, self.edits.workspace
        current = docs.current_doc_id
        project_id = docs.current_project.id if docs.current_project is not None else None
        open_ids = workspace.open_ids()
        opened = open_ids if doc_ids is None else doc_ids & open_ids
        if opened:
            self.edits.stack.clear()
        for doc_id in opened | (doc_ids or set()):
            workspace.forget(doc_id)
            docs.live.forget(doc_id)
        if current in opened:
            docs.current_doc_id = None
            docs.current_project = None
        docs.refresh()
        if current is not None and not self.tree.select_node(current, project_id) \
                and not self.tree.select_node(current):
            # The open unit was deleted by someone else: show the latest year's first unit.
            docs.select_first()
