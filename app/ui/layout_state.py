"""The window's layout: defaults that fit the screen, saved and restored per user.

What is remembered (QSettings, so per user): the window geometry and maximised state, the
docks (where, how big, shown or hidden), the splitters, the column widths of the tables and
whether the project form is folded. 视图 → 恢复默认布局 forgets all of it and lays the window
out as on first start.

The defaults are chosen for the screen the window opens on: on a low screen (1366×768, the
usual intranet PC) the problems panel sits under the project tree instead of under the
editor, the project form starts folded and the window starts maximised, so the indicator
table keeps the height.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QSplitter, QTableView, QWidget

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

KEY = "layout/"
STATE_VERSION = 1
LOW_SCREEN = 900  # available heights below this get the compact default
DEFAULT_SIZE = (1360, 860)


def visible_rows(view: QAbstractItemView) -> int:
    """How many rows of ``view`` are shown whole (what a user can read without scrolling)."""
    model = view.model()
    if model is None:
        return 0
    area = view.viewport().rect()
    shown = 0
    for row in range(model.rowCount()):
        rect = view.visualRect(model.index(row, 0))
        if rect.isValid() and rect.height() > 0 and area.contains(rect.topLeft()) and area.contains(rect.bottomLeft()):
            shown += 1
    return shown


def cap_row_height(view: QTableView, lines: int) -> None:
    """Rows grow with their text up to ``lines`` lines; the editor shows the rest."""
    header = view.verticalHeader()
    header.setMaximumSectionSize(view.fontMetrics().lineSpacing() * lines + 12)


def available_geometry(widget: QWidget) -> QRect:
    """The screen area the window may use (without task bar), of the screen it is on."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, *DEFAULT_SIZE)


def fit_dialog(dialog: QWidget, width: int, height: int) -> None:
    """Size a dialog to ``width``×``height``, or less where the screen is smaller (a 768-pixel
    screen has about 728 pixels under the task bar, title bar not counted)."""
    area = available_geometry(dialog)
    dialog.resize(min(width, area.width() - 16), min(height, area.height() - 48))


def is_low_screen(widget: QWidget) -> bool:
    return available_geometry(widget).height() < LOW_SCREEN


def fit_first_window(window: QWidget) -> bool:
    """Size a first window to the screen; True when it should open maximised."""
    area = available_geometry(window)
    # The title bar and frame are outside the client size: leave room for them.
    width = min(DEFAULT_SIZE[0], area.width() - 16)
    height = min(DEFAULT_SIZE[1], area.height() - 48)
    window.resize(max(width, 640), max(height, 480))
    window.move(area.x() + (area.width() - window.width()) // 2, area.y() + max(0, (area.height() - height - 40) // 2))
    return area.width() < 1600 or area.height() < LOW_SCREEN


class WeightedColumns(QObject):
    """Column widths that favour the columns people type in, until the user drags one.

    Each column gets ``minimum`` pixels plus its ``weight`` share of what is left of the
    viewport; a width the user sets by hand (or restores from the settings) is kept.
    """

    def __init__(self, view: QTableView, weights: Sequence[float], minimums: Sequence[int]) -> None:
        super().__init__(view)
        self.view, self.weights, self.minimums = view, list(weights), list(minimums)
        self.user_sized = False
        self._fitting = False
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        header.sectionResized.connect(self._resized)
        view.viewport().installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize and not self.user_sized:
            self.fit()
        return False

    def _resized(self, *_args: object) -> None:
        if not self._fitting and self.view.horizontalHeader().underMouse():
            self.user_sized = True

    def fit(self) -> None:
        header: QHeaderView = self.view.horizontalHeader()
        n = min(header.count(), len(self.weights))
        spare = self.view.viewport().width() - sum(self.minimums[:n]) - 2
        total = sum(self.weights[:n]) or 1.0
        self._fitting = True
        try:
            for col in range(n):
                extra = max(0, spare) * self.weights[col] / total
                header.resizeSection(col, int(self.minimums[col] + extra))
        finally:
            self._fitting = False

    def reset(self) -> None:
        self.user_sized = False
        self.fit()


class _SizeWhenShown(QObject):
    """Gives the last pane of a splitter ``last`` pixels once it is laid out (now or when shown)."""

    def __init__(self, split: QSplitter, last: int) -> None:
        super().__init__(split)
        self.split, self.last = split, last
        if split.isVisible():
            self.apply()
        else:
            split.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Show:
            self.split.removeEventFilter(self)
            self.apply()
        return False

    def apply(self) -> None:
        total = sum(self.split.sizes()) or self.split.height()
        self.split.setSizes([max(total - self.last, 1), self.last])
        self.deleteLater()


class LayoutState:
    """Saves and restores the layout of one main window (see the module docstring)."""

    def __init__(self, window: MainWindow, splitters: dict[str, QSplitter], headers: dict[str, QHeaderView],
                 columns: Sequence[WeightedColumns] = ()) -> None:
        self.window = window
        self.splitters = splitters
        self.headers = headers
        self.columns = list(columns)
        # Taken before anything is restored: what 恢复默认布局 goes back to.
        self._default_headers = {name: h.saveState() for name, h in headers.items()}

    # -- defaults -------------------------------------------------------------------------
    def apply_defaults(self) -> None:
        """Docks, form and table as on first start, for the screen the window is on."""
        w = self.window
        low = is_low_screen(w)
        for dock in (w.tree_dock, w.problems_dock):
            dock.setFloating(False)
        w.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, w.tree_dock)
        if low:
            # Under the tree: the editor keeps the whole height of the screen.
            w.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, w.problems_dock)
            w.splitDockWidget(w.tree_dock, w.problems_dock, Qt.Orientation.Vertical)
        else:
            w.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, w.problems_dock)
        if w.stack.currentWidget() is w.pages:
            w.tree_dock.show()
            w.problems_dock.show()
        w.resizeDocks([w.tree_dock], [360 if low else 330], Qt.Orientation.Horizontal)
        if low:
            height = max(available_geometry(w).height(), 600)
            w.resizeDocks([w.tree_dock, w.problems_dock], [height * 2 // 5, height * 3 // 5], Qt.Orientation.Vertical)
        else:
            w.resizeDocks([w.problems_dock], [210], Qt.Orientation.Vertical)
        w.project_fold.set_folded(low)
        # The spending calendar: the table of projects first, the chart below it smaller.
        chart = 150 if low else 260
        for pane in (w.spending_calendar, w.project_spending):
            pane.chart.setMinimumHeight(min(pane.chart.minimumHeight(), 120))
            _SizeWhenShown(pane.splitter, chart)
        for name, header in self.headers.items():
            header.restoreState(self._default_headers[name])
        for columns in self.columns:
            columns.reset()

    def reset(self) -> None:
        """视图 → 恢复默认布局: forget what was saved and lay the window out afresh."""
        settings = QSettings()
        settings.beginGroup(KEY.rstrip("/"))
        settings.remove("")
        settings.endGroup()
        w = self.window
        if w.isFullScreen() or w.isMaximized():
            w.showNormal()
        maximise = fit_first_window(w)
        self.apply_defaults()
        if maximise and w.isVisible():
            w.showMaximized()

    # -- saving and restoring ---------------------------------------------------------------
    def save(self) -> None:
        s = QSettings()
        w = self.window
        s.setValue(KEY + "geometry", w.saveGeometry())
        s.setValue(KEY + "state", w.saveState(STATE_VERSION))
        for name, splitter in self.splitters.items():
            s.setValue(KEY + f"splitter/{name}", splitter.saveState())
        for name, header in self.headers.items():
            s.setValue(KEY + f"header/{name}", header.saveState())
        s.setValue(KEY + "formFolded", w.project_fold.folded)

    def has_saved(self) -> bool:
        return QSettings().contains(KEY + "geometry")

    def restore(self) -> bool:
        """Restore what was saved; False (and the defaults applied) when nothing was."""
        s = QSettings()
        w = self.window
        if not self.has_saved():
            maximise = fit_first_window(w)
            self.apply_defaults()
            if maximise:
                w.setWindowState(w.windowState() | Qt.WindowState.WindowMaximized)
            return False
        self.apply_defaults()
        w.restoreGeometry(_bytes(s.value(KEY + "geometry")))
        w.restoreState(_bytes(s.value(KEY + "state")), STATE_VERSION)
        for name, splitter in self.splitters.items():
            value = s.value(KEY + f"splitter/{name}")
            if value is not None:
                splitter.restoreState(_bytes(value))
        for name, header in self.headers.items():
            value = s.value(KEY + f"header/{name}")
            if value is not None and header.restoreState(_bytes(value)):
                for columns in self.columns:
                    if columns.view.horizontalHeader() is header:
                        columns.user_sized = True
        w.project_fold.set_folded(bool(s.value(KEY + "formFolded", False, type=bool)))
        return True


def _bytes(value: object) -> QByteArray:
    return value if isinstance(value, QByteArray) else QByteArray(value if isinstance(value, bytes) else b"")


# 一级 二级 三级 描述 指标值 依据 解析: the typed text columns get the room, the read-only
# 指标值解析 (also shown in the status line) only a little.
INDICATOR_COLUMNS = ((0.2, 0.5, 1.3, 1.6, 0.5, 1.6, 0.2), (72, 80, 120, 120, 80, 120, 90))
