"""Other writers' changes reach this window: poll the change counter, reload what changed.

Every second :class:`ChangeWatcher` asks the database whether anyone else committed
(:func:`app.services.storage.changes.poll_changes`, one row read when nothing changed). The
window then refreshes its tree and reloads the open documents that changed; their undo
history is dropped (it pointed at the replaced objects, and undoing across someone else's
edit would be refused anyway).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from app.services.storage.changes import ChangeBatch, current_seq, poll_changes
from app.services.storage.store import Store

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
