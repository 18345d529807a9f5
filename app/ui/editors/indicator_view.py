"""The indicator table view: spreadsheet keys (Enter down, Tab right, typing edits)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from app.ui.editors.indicator_delegates import IndicatorDelegate

Index = QModelIndex | QPersistentModelIndex


class IndicatorTableView(QTableView):
    """QTableView with Excel/WPS navigation.

    Enter / Shift+Enter move down / up, Tab / Shift+Tab right / left (wrapping to the next
    row), typing a character replaces the cell's text and starts editing, F2 or a double
    click edits keeping the text.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("indicatorTable")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.key_actions: list[QAction] = []  # editor actions run from keyPressEvent as a fallback
        self.setTabKeyNavigation(False)  # Tab is handled below (wraps like Excel)
        self.setWordWrap(True)
        # A scroll bar that came and went as rows grew would resize the viewport, stretch the
        # last column and repaint everything; keep it (like a spreadsheet) always there.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setAlternatingRowColors(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setStretchLastSection(True)
        # Rows are fitted to their text when they change (see fit_rows), not on every repaint:
        # ResizeToContents measured every cell of the table after each edit.
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.verticalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        # Room for a marker icon and a 3-digit row number from the start: a header whose
        # width followed the markers would shift (and repaint) the whole table on each edit.
        metrics = self.verticalHeader().fontMetrics()
        self.verticalHeader().setMinimumWidth(metrics.horizontalAdvance("999") + metrics.height() + 20)

    def setModel(self, model: Any) -> None:
        super().setModel(model)
        if model is not None:
            model.modelReset.connect(self.resizeRowsToContents)
            model.layoutChanged.connect(self.resizeRowsToContents)
            model.rowsInserted.connect(lambda _p, first, last: self.fit_rows(first, last))
            model.dataChanged.connect(self._data_changed_fit)

    def _data_changed_fit(self, top_left: QModelIndex, bottom_right: QModelIndex, roles: Any = ()) -> None:
        # Marker-only changes (tint, icon, tooltip) do not change the text: keep row heights.
        if roles and int(Qt.ItemDataRole.DisplayRole) not in [int(r) for r in roles]:
            return
        self.fit_rows(top_left.row(), bottom_right.row())

    def fit_rows(self, first: int, last: int) -> None:
        """Fit the height of rows first..last to their text."""
        for row in range(max(0, first), last + 1):
            self.resizeRowToContents(row)

    def delegate(self) -> IndicatorDelegate | None:
        d = self.itemDelegate()
        return d if isinstance(d, IndicatorDelegate) else None

    def step(self, rows: int, cols: int) -> None:
        """Move the current cell by (rows, cols); Tab past the last column wraps to the next row."""
        model = self.model()
        cur = self.currentIndex()
        if model is None or not cur.isValid():
            return
        n_rows, n_cols = model.rowCount(), model.columnCount()
        row, col = cur.row() + rows, cur.column() + cols
        if cols and not rows:
            last_col = n_cols - 1
            if col > last_col and row < n_rows - 1:
                row, col = row + 1, 0
            elif col < 0 and row > 0:
                row, col = row - 1, last_col
        row = max(0, min(row, n_rows - 1))
        col = max(0, min(col, n_cols - 1))
        self.setCurrentIndex(model.index(row, col))
        self.scrollTo(model.index(row, col))

    def edit(self, index: Index, trigger: Any = None, event: QEvent | None = None) -> bool:  # type: ignore[override]
        if trigger is None:
            super().edit(index)
            return True
        # Typing over a cell replaces its text, as in a spreadsheet.
        if (
            trigger == QAbstractItemView.EditTrigger.AnyKeyPressed and self.delegate() is not None
            and index.isValid() and index.flags() & Qt.ItemFlag.ItemIsEditable
        ):
            self.delegate().replace_on_open = True  # type: ignore[union-attr]
        ok = super().edit(index, trigger, event)  # type: ignore[arg-type]  # Qt accepts no event
        if self.delegate() is not None:
            self.delegate().replace_on_open = False  # type: ignore[union-attr]
        return ok

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        if self.state() != QAbstractItemView.State.EditingState:
            # The editor's actions normally fire as shortcuts; when the key reaches the view
            # anyway (focus not yet settled, a window that is not active) run them here.
            pressed = QKeySequence(event.keyCombination())
            for action in self.key_actions:
                if action.isEnabled() and not action.shortcut().isEmpty() and action.shortcut() == pressed:
                    action.trigger()
                    return
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        if self.state() != QAbstractItemView.State.EditingState:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not mods & ~Qt.KeyboardModifier.ShiftModifier & ~Qt.KeyboardModifier.KeypadModifier:
                self.step(-1 if shift else 1, 0)
                return
            if key == Qt.Key.Key_Tab:
                self.step(0, 1)
                return
            if key == Qt.Key.Key_Backtab:
                self.step(0, -1)
                return
        super().keyPressEvent(event)

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002 - Qt signature
        # Keep Tab inside the table (handled in keyPressEvent) instead of leaving the widget.
        return False

    def select_block(self, top: int, left: int, bottom: int, right: int) -> None:
        """Select a rectangle and make its top-left cell current."""
        model = self.model()
        if model is None:
            return
        sel = self.selectionModel()
        self.setCurrentIndex(model.index(top, left))
        sel.select(
            QItemSelection(model.index(top, left), model.index(bottom, right)),
            QItemSelectionModel.SelectionFlag.ClearAndSelect,
        )
