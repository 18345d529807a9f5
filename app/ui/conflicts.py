"""Edits refused because another writer changed the same thing: report, then reload.

Undo commands run their service call inside QUndoStack (push, undo, redo from the Edit
menu's actions, which call Qt's C++ slots directly), so an :class:`EditConflictError`
cannot travel up to the window. :func:`guard_conflicts` makes a command catch it, mark
itself obsolete (Qt then drops it from the stack) and hand it to :data:`conflict_relay`,
whose signal the window turns into a message and a reload of the project.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject

from app.services.storage.conflicts import EditConflictError

C = TypeVar("C", bound=type)
Listener = Callable[[Any, object, EditConflictError], None]  # (owner, store, error)


class ConflictRelay:
    """Carries refused edits to the windows listening (each checks the store is its own).

    A plain object, not a QObject: it exists from import time, before any QApplication.
    Listeners are dropped with their window.
    """

    def __init__(self) -> None:
        self._listeners: weakref.WeakKeyDictionary[QObject, Listener] = weakref.WeakKeyDictionary()

    def listen(self, owner: QObject, listener: Listener) -> None:
        """Call ``listener(owner, store, error)`` (an unbound method: no strong ref to owner)."""
        self._listeners[owner] = listener
        owner.destroyed.connect(lambda *_: self._listeners.pop(owner, None))

    def report(self, store: object, exc: EditConflictError) -> None:
        """Called with the store the refused edit was made on."""
        for owner, listener in list(self._listeners.items()):
            listener(owner, store, exc)


conflict_relay = ConflictRelay()


def _guard(method: Callable[[Any], None]) -> Callable[[Any], None]:
    @functools.wraps(method)
    def wrapper(self: Any) -> None:
        try:
            method(self)
        except EditConflictError as exc:
            self.setObsolete(True)
            conflict_relay.report(getattr(self, "store", None), exc)

    return wrapper


def guard_conflicts(cls: C) -> C:
    """Class decorator for QUndoCommands whose redo/undo may hit another writer's change."""
    for name in ("redo", "undo"):
        setattr(cls, name, _guard(getattr(cls, name)))
    return cls
