"""The main window: its widgets (menus: app/ui/menus.py). What they do lives in app/ui/controllers/

Every edit is an op of the workspace pushed on the one undo history (app/ui/commands.py),
committed to the database at once. The controllers get their dependencies passed in:
documents (what is shown, the tree), live validation (what an op changed is revalidated
and shown), tree actions (projects and units) and file actions (import, export, print,
databases); Ctrl+Z / Ctrl+Y reach the history from form fields too (undo_keys).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
)

from app import APP_TITLE_ZH, __version__
from app.models import Document, Project
from app.services.storage.store import Store
from app.services.workspace.workspace import Workspace
from app.ui.bureau_actions import BureauUi
from app.ui.commands import Edits
from app.ui.controllers.documents import DocumentsController, Views
from app.ui.controllers.file_actions import FileActions, remember_database
from app.ui.controllers.live import LiveController
from app.ui.controllers.other_writers import OtherWriters
from app.ui.controllers.tree_actions import NEEDS_DOCUMENT_ONLY, TreeActions
from app.ui.controllers.undo_keys import UndoKeys
from app.ui.dialogs import HelpDialog
from app.ui.editors.forms import Part1Form, ProjectForm
from app.ui.editors.indicator_editor import IndicatorEditor
from app.ui.editors.spending_calendar import ProjectSpendingEditor, SpendingCalendar
from app.ui.fold import FoldablePanel
from app.ui.layout_state import INDICATOR_COLUMNS, LayoutState, WeightedColumns, cap_row_height
from app.ui.live import LiveValidation
from app.ui.menus import build_menus
from app.ui.panels.empty_state import EmptyState
from app.ui.panels.problems import ProblemsPanel
from app.ui.panels.project_tree import ProjectTree


class MainWindow(QMainWindow):
    """The one window of the application."""

    # Made by app/ui/menus.py (build_menus), looked up by tests and other parts.
    action_import: QAction
    action_print_preview: QAction
    action_print: QAction
    action_print_calendar: QAction
    action_new_unit: QAction
    action_connect_server: QAction
    action_undo: QAction
    action_redo: QAction
    action_find: QAction
    action_replace: QAction
    action_copy_indicators: QAction
    action_fold_form: QAction
    action_reset_layout: QAction
    export_actions: dict[str, QAction]
    report_actions: dict[str, QAction]
    tree_actions: dict[str, QAction]
    font_menu: QMenu
    recent_menu: QMenu

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.edits = Edits(Workspace(store), self)
        self.undo_stack = self.edits.stack
        self.edits.failed.connect(lambda message: QMessageBox.warning(self, APP_TITLE_ZH, message))
        self._build_central()
        self._build_docks()
        self._build_status()
        views = Views(self.stack, self.empty_state, self.pages, self.unit_tabs, self.project_tabs,
                      self.project_split, self.part1_form, self.spending_calendar, self.project_form,
                      self.indicator_editor, self.project_spending, self.project_fold, self.tree, self.tree_dock,
                      self.problems, self.problems_dock, self.counts_label)
        self.documents = DocumentsController(self.edits, views, self)
        self.validation = LiveController(self.edits, self.documents, views, self)
        self.tree_ops = TreeActions(self.edits, self.documents, self, self.statusBar())
        self.files = FileActions(self.edits, self.documents, self, self.statusBar(), self.set_store)
        # Several writers: others' changes are polled; our refused edits are explained.
        self.writers = OtherWriters(self.edits, self.documents, self.tree, self, self.statusBar())
        self.watcher = self.writers.watcher
        self.documents.shown.connect(self._update_actions)
        build_menus(self)
        self.undo_keys = UndoKeys(self.documents.commit_pending,
                                  [m.editor for f in (self.part1_form, self.project_form) for m in f.fields.values()],
                                  self.undo_stack.undo, self.undo_stack.redo, self)
        self.empty_state.import_button.clicked.connect(self.files.import_files)
        self.empty_state.new_unit_button.clicked.connect(self.tree_ops.new_unit)
        self.empty_state.sample_button.clicked.connect(self.files.open_sample)
        self.bureau = BureauUi(self)
        self.documents.listed.connect(self._listed)
        self.set_store(store)
        self.layout_state = LayoutState(
            self, {"project": self.project_split, "calendar": self.spending_calendar.splitter},
            {"indicators": self.indicator_editor.view.horizontalHeader(),
             "problems": self.problems.view.horizontalHeader()},
            [WeightedColumns(self.indicator_editor.view, *INDICATOR_COLUMNS)])
        cap_row_height(self.indicator_editor.view, 3)
        self.documents.split_sized = self.layout_state.restore()  # a restored splitter is not resized
        if self.stack.currentWidget() is self.empty_state:
            self.tree_dock.hide()
            self.problems_dock.hide()

    # What tests and the selftest look at, kept where they were.
    @property
    def store(self) -> Store:
        return self.edits.store

    @property
    def workspace(self) -> Workspace:
        return self.edits.workspace

    @property
    def live(self) -> LiveValidation:
        return self.documents.live

    @property
    def current_doc_id(self) -> int | None:
        return self.documents.current_doc_id

    @property
    def current_project(self) -> Project | None:
        return self.documents.current_project

    def current_document(self) -> Document | None:
        return self.documents.current_document()

    def import_paths(self, paths: list[str], preview: bool = True) -> list[int]:
        return self.files.import_paths(paths, preview)

    # ================================================================ building
    def _build_central(self) -> None:
        self.stack = QStackedWidget()
        self.empty_state = EmptyState()
        self.pages = QStackedWidget()
        self.pages.setObjectName("workspace")
        # Unit page: part 1 and the spending calendar of the whole unit.
        self.part1_form = Part1Form(self.edits)
        self.unit_tabs = QTabWidget()
        self.unit_tabs.setObjectName("unitTabs")
        self.unit_tabs.addTab(self.part1_form, "部门整体绩效目标")
        self.spending_calendar = SpendingCalendar(self.edits)
        self.unit_tabs.addTab(self.spending_calendar, "资金支出计划日历")
        # Project page: basic information above, indicators / spending plan below.
        self.project_form = ProjectForm(self.edits)
        self.indicator_editor = IndicatorEditor(self.edits)
        self.project_spending = ProjectSpendingEditor(self.edits)
        self.project_tabs = QTabWidget()
        self.project_tabs.setObjectName("projectTabs")
        self.project_tabs.addTab(self.indicator_editor, "绩效指标")
        # In a scroll area: the calendar's chart must not dictate the splitter's minimum.
        spending_page = QScrollArea()
        spending_page.setObjectName("projectSpendingScroll")
        spending_page.setWidgetResizable(True)
        spending_page.setWidget(self.project_spending)
        self.project_tabs.addTab(spending_page, "资金支出计划")
        self.project_split = QSplitter(Qt.Orientation.Vertical)
        self.project_split.setObjectName("projectSplit")
        self.project_fold = FoldablePanel(self.project_form)
        self.project_split.addWidget(self.project_fold)
        self.project_split.addWidget(self.project_tabs)
        self.project_split.setStretchFactor(0, 0)
        self.project_split.setStretchFactor(1, 1)
        self.project_split.setChildrenCollapsible(False)
        self.project_form.setMinimumHeight(110)
        self.pages.addWidget(self.unit_tabs)
        self.pages.addWidget(self.project_split)
        self.stack.addWidget(self.empty_state)
        self.stack.addWidget(self.pages)
        self.setCentralWidget(self.stack)

    def _build_docks(self) -> None:
        self.tree = ProjectTree()
        self.tree_dock = QDockWidget("项目", self)
        self.tree_dock.setObjectName("treeDock")
        self.tree_dock.setWidget(self.tree)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.tree_dock)
        self.problems = ProblemsPanel()
        self.problems_dock = QDockWidget("问题", self)
        self.problems_dock.setObjectName("problemsDock")
        self.problems_dock.setWidget(self.problems)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems_dock)
        self.resizeDocks([self.tree_dock], [330], Qt.Orientation.Horizontal)
        self.resizeDocks([self.problems_dock], [210], Qt.Orientation.Vertical)

    def _build_status(self) -> None:
        self.db_label = QLabel()
        self.db_label.setObjectName("statusDatabase")
        self.counts_label = QLabel()
        self.counts_label.setObjectName("statusCounts")
        self.statusBar().addPermanentWidget(self.counts_label)
        self.statusBar().addPermanentWidget(self.db_label)

    def set_store(self, store: Store) -> None:
        """Show another database (at start and when the user opens one)."""
        self.setWindowTitle(f"{APP_TITLE_ZH} — {store.display_name}")
        self.db_label.setText(f"{'服务器数据库' if store.is_server else '数据库'}：{store.display_name}")
        self.counts_label.setText("")
        remember_database(store.location.address)
        self.documents.set_store(store)
        self.watcher.start(store)

    def _listed(self, has_documents: bool) -> None:
        """The tree was rebuilt: the review dock follows (hidden while there is nothing)."""
        if not has_documents:
            self.bureau.dock.hide()
        elif self.bureau.dock.isVisible():
            self.bureau.reload()

    # The find/replace and copy-indicators dialogs and the frozen bench show a project.
    def select_project(self, doc: Document, project: Project | None) -> None:
        self.documents.select_project(doc, project)

    # For BureauUi, whose batch import stores files outside the history.
    def commit_pending(self) -> None:
        self.documents.commit_pending()

    def _update_actions(self) -> None:
        has_project = self.documents.current_project is not None
        has_doc = self.documents.current_doc_id is not None
        for text, action in self.tree_actions.items():
            action.setEnabled(has_doc if text in NEEDS_DOCUMENT_ONLY else has_project)

    def show_guide(self) -> HelpDialog:
        from app.resources import help_guide

        dlg = HelpDialog(help_guide(), self)
        dlg.setModal(False)
        dlg.show()
        self._help = dlg
        return dlg

    def about(self) -> None:
        QMessageBox.about(self, "关于", f"{APP_TITLE_ZH} {__version__}\n部门预算绩效目标编制、校验与报送工具")

    def _unsaved_allow_close(self) -> bool:
        """Values the database refused are never dropped by closing: ask first (window-modal
        and not blocking; after 放弃 the window closes again). 重试保存 is in the table's menu."""
        box = QMessageBox(QMessageBox.Icon.Warning, APP_TITLE_ZH,
                          f"有{len(self.edits.unsaved)}处修改未能保存（已标为“未保存”）。\n"
                          "关闭窗口将丢弃这些修改；可返回后在表格右键菜单中“重试保存”。", parent=self)
        box.setObjectName("unsavedOnClose")
        discard = box.addButton("放弃修改并关闭", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("返回继续编辑", QMessageBox.ButtonRole.RejectRole)

        def answered() -> None:
            if box.clickedButton() is discard:
                self.edits.unsaved.abandon()
                self.close()

        box.finished.connect(lambda _r: answered())
        box.open()
        return False

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.documents.commit_pending()
        if self.edits.unsaved and not self._unsaved_allow_close():
            event.ignore()
            return
        self.watcher.timer.stop()
        self.documents.save_position()
        self.documents.stop_background()
        self.layout_state.save()
        super().closeEvent(event)
