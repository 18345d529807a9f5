"""Other writers' changes reach this window: poll the change counter, reload what changed.

Every second :class:`ChangeWatcher` asks the database whether anyone else committed
(:func:`app.services.storage.changes.poll_changes`, one row read when nothing changed). The
window then refreshes its tree and reloads the open documents that changed; their undo
history is dropped (it pointed at the replaced objects, and undoing across someone else's
edit would be refused anyway).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from app.services.storage.changes import ChangeBatch, current_seq, poll_changes
from app.services.storage.store import Store

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

log = logging.getLogger(__name__)
POLL_MS = 1000


class ChangeWatcher(QObject):
    """Polls one store for changes committed by other windows and programs."""

    changed = Signal(object)  # ChangeBatch

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store: Store | None = None
        self.seq = 0
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)

    def start(self, store: Store) -> None:
        self.store = store
        self.seq = current_seq(store)
        self.timer.start()

    def poll(self) -> ChangeBatch | None:
        """Check once (the timer's tick; tests call it directly)."""
        if self.store is None:
            return None
        try:
            batch = poll_changes(self.store, self.seq)
        except Exception:  # noqa: BLE001 - a network hiccup must not break the window; next tick retries
            log.warning("polling for changes failed", exc_info=True)
            return None
        self.seq = max(self.seq, batch.seq)
        if batch:
            self.changed.emit(batch)
        return batch


def reload_documents(window: MainWindow, doc_ids: set[int] | None) -> None:
    """Drop the open copies of ``doc_ids`` (None: all), refresh the tree, show the same place.

    The undo history is cleared when an open document is replaced: its steps name rows by
    position, and another writer may have moved what those positions mean.
    """
    docs, workspace = window.documents, window.edits.workspace
    current = docs.current_doc_id
    project_id = docs.current_project.id if docs.current_project is not None else None
    open_ids = workspace.open_ids()
    opened = open_ids if doc_ids is None else doc_ids & open_ids
    if opened:
        window.edits.stack.clear()
    for doc_id in opened | (doc_ids or set()):
        workspace.forget(doc_id)
        docs.live.forget(doc_id)
    if current in opened:
        docs.current_doc_id = None
        docs.current_project = None
    docs.refresh()
    if current is not None and not window.tree.select_node(current, project_id) \
            and not window.tree.select_node(current):
        # The open unit was deleted by someone else: show the latest year's first unit.
        docs.select_first()
