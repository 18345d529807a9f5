"""Qt widgets, models and dialogs. Calls services; never runs SQL itself."""

from app.ui import pyside_refcount as _pyside_refcount  # noqa: F401 - guards a PySide6 6.12 bug
