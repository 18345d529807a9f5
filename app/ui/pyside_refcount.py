"""Guard against PySide6 6.12 dropping references of None / True / False.

On PySide6 6.12.0 with Python 3.11 some binding paths hand back ``None``, ``True`` or
``False`` without taking a reference: every ``signal.emit()`` from Python costs one reference
of ``True``, and every invalid QVariant returned to Python (``index.data()`` of an empty
role, ``widget.property("unset")``) one of ``None``. Python 3.11 still counts references of
these singletons, so after some thousands of edits the interpreter aborts with
"Fatal Python error: bool_dealloc / none_dealloc" — a crash that would lose the window in
the middle of a working day.

Python 3.12 made these objects immortal; :func:`protect` does the same here by raising their
reference counts far out of reach (they are never freed anyway, so nothing else changes).
It runs once when ``app.ui`` is imported, and only if the probe shows the bug.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QModelIndex, QObject, Signal

_HEADROOM = 1 << 40  # references added to each singleton: unreachable by any leak rate


class _Probe(QObject):
    ping = Signal()


def leaks() -> dict[str, int]:
    """References lost by 8 emits (True) and 8 invalid QVariants returned (None)."""
    probe = _Probe()
    true_before, none_before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(8):
        probe.ping.emit()
    for _ in range(8):
        QModelIndex().data()
    return {
        "True": max(0, true_before - sys.getrefcount(True)),
        "None": max(0, none_before - sys.getrefcount(None)),
    }


def _add_references(obj: object, count: int) -> None:
    # ob_refcnt is the first field of every CPython object (a Py_ssize_t).
    cell = ctypes.c_ssize_t.from_address(id(obj))
    cell.value += count


def protect() -> bool:
    """Make None/True/False effectively immortal when this PySide6 leaks them. True if applied."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False  # immortal already (PEP 683)
    lost = leaks()
    if not any(lost.values()):
        return False
    for obj in (None, True, False):
        _add_references(obj, _HEADROOM)
    return True


APPLIED = protect()
