"""The guard against PySide6 6.12 dropping references of None/True (app.ui.pyside_refcount)."""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QModelIndex, QObject, Signal

import app.ui  # noqa: F401 - importing app.ui applies the guard
from app.ui import pyside_refcount


class _Emitter(QObject):
    changed = Signal(int)


def test_many_emits_and_empty_variants_do_not_crash(qapp) -> None:
    """Without the guard this aborts the interpreter (bool_dealloc / none_dealloc) on 3.11."""
    # More than the references True and None hold in a 3.11 process of this app (True about
    # 5,000, None about 30,000 after imports), so the unguarded bug would reach zero.
    n = 60_000
    emitter = _Emitter()
    for i in range(n):
        emitter.changed.emit(i)
        QModelIndex().data()
    gc.collect()
    if sys.version_info < (3, 12) and pyside_refcount.leaks() != {"True": 0, "None": 0}:
        assert pyside_refcount.APPLIED
        assert sys.getrefcount(True) > 1 << 39 and sys.getrefcount(None) > 1 << 39
