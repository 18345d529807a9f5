"""Everything that is not a widget. Never imports PySide6 (layering rule)."""
