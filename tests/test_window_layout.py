"""The window on a 1366×768 screen: rows a user can see, and a layout that is remembered."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from app.services.storage.store import Store
from app.ui.layout_state import available_geometry, visible_rows
from app.ui.main_window import MainWindow
from tests.ui_helpers import wait_shown

pytestmark = pytest.mark.gui

# What a maximised window leaves to the client area at 1366×768 on Windows (task bar 40,
# title bar 30).
CLIENT_1366 = (1366, 698)


def _window(qtbot, store: Store, size: tuple[int, int] | None = CLIENT_1366) -> MainWindow:  # noqa: ANN001
    window = MainWindow(store)
    qtbot.addWidget(window)
    if size is not None:
        window.setWindowState(Qt.WindowState.WindowNoState)
        window.resize(*size)
    window.show()
    wait_shown(qtbot, window)
    return window


def _settle(qtbot) -> None:  # noqa: ANN001
    for _ in range(3):
        QApplication.processEvents()
        qtbot.wait(20)


def _sample(qtbot, store: Store) -> MainWindow:  # noqa: ANN001
    window = _window(qtbot, store)
    window.files.open_sample()
    _settle(qtbot)
    return window


def test_indicator_table_shows_eight_rows_at_1366x768(qtbot, store: Store) -> None:
    window = _sample(qtbot, store)
    doc = window.current_document()
    window.documents.select_project(doc, doc.projects[0])
    _settle(qtbot)
    view = window.indicator_editor.view
    assert view.isVisible() and window.project_fold.folded
    assert visible_rows(view) >= 8, f"{visible_rows(view)} of {view.model().rowCount()} rows shown"
    # The typed columns are wider than the read-only 指标值解析.
    widths = [view.columnWidth(c) for c in range(7)]
    assert widths[5] > widths[6] and widths[3] > widths[6]
    # Folded, the form's findings are still announced on its one line.
    assert "项目信息" in window.project_fold.summary.text()
    window.project_fold.toggle.click()
    assert window.project_form.isVisible() and not window.project_fold.folded


def test_calendar_and_execution_show_eight_projects(qtbot, store: Store) -> None:
    window = _sample(qtbot, store)
    doc = window.current_document()
    window.documents.select_project(doc, None)
    window.unit_tabs.setCurrentWidget(window.spending_calendar)
    _settle(qtbot)
    assert visible_rows(window.spending_calendar.plan_view) >= 8
    window.spending_calendar.tabs.setCurrentIndex(1)
    _settle(qtbot)
    assert visible_rows(window.spending_calendar.exec_view) >= 8


def test_first_window_fits_the_screen(qtbot, store: Store) -> None:
    window = _window(qtbot, store, size=None)
    area = available_geometry(window)
    assert window.width() <= area.width() and window.height() <= area.height()


def test_layout_is_restored_and_reset(qtbot, store: Store) -> None:
    window = _sample(qtbot, store)
    doc = window.current_document()
    window.documents.select_project(doc, doc.projects[0])
    _settle(qtbot)
    window.problems_dock.hide()
    window.project_fold.set_folded(False)
    window.resize(window.width(), 640)
    _settle(qtbot)
    window.indicator_editor.view.horizontalHeader().resizeSection(2, 333)
    window.close()

    again = _window(qtbot, store, size=None)
    _settle(qtbot)
    assert again.height() == 640
    assert again.problems_dock.isHidden()
    assert not again.project_fold.folded
    assert again.indicator_editor.view.columnWidth(2) == 333

    again.action_reset_layout.trigger()
    _settle(qtbot)
    assert not again.problems_dock.isHidden()
    assert again.project_fold.folded
    assert again.indicator_editor.view.columnWidth(2) != 333
    assert not QSettings().contains("layout/geometry")
