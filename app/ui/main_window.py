"""The main window: project tree, forms and editors with live validation, problems panel.

Every edit is an undo command that commits to the database at once (app/ui/undo.py); the
commands call :meth:`MainWindow.notify`, which collects what changed, and when the undo
stack settles the window revalidates the edited project and pushes the findings to the
tree badges, the forms, the indicator editor, the spending calendar and the problems panel.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import APP_TITLE_ZH, __version__
from app.models import Document, Indicator, Project
from app.services.bureau.opinions import opinion_findings
from app.services.errors import PerfGoalsError
from app.services.storage.changes import ChangeBatch, current_seq
from app.services.storage.conflicts import EditConflictError
from app.services.storage.documents import list_documents, load_document
from app.services.storage.store import Store
from app.services.validation import CARRY_OVER_RULE, Finding
from app.services.workspace.carry_over import PART1_FIELDS, carry_part1, carry_project
from app.services.workspace.projects import (
    duplicate_of,
    ensure_document,
    list_project_titles,
    new_project_values,
    project_label,
)
from app.ui.audit_report import add_report_menu
from app.ui.bureau_actions import BureauUi
from app.ui.change_watcher import ChangeWatcher, reload_documents
from app.ui.conflicts import conflict_relay
from app.ui.copy_indicators import copy_indicators
from app.ui.dialogs import HelpDialog, NewUnitDialog, WaiveDialog, ask_text, ask_year, confirm
from app.ui.editors.forms import Part1Form, ProjectForm
from app.ui.editors.indicator_editor import IndicatorEditor
from app.ui.editors.spending_calendar import ProjectSpendingEditor, SpendingCalendar
from app.ui.file_actions import FileActions, remember_database, store_address
from app.ui.find_replace import open_find_replace
from app.ui.fold import FoldablePanel
from app.ui.font_menu import FontMenu, include_calendar, set_include_calendar
from app.ui.layout_state import INDICATOR_COLUMNS, LayoutState, WeightedColumns, cap_row_height
from app.ui.live import LiveValidation, WaiveCommand, counts, project_counts
from app.ui.panels.problems import ProblemsPanel
from app.ui.panels.project_tree import Node, ProjectTree
from app.ui.shortcuts import bind
from app.ui.undo import InsertChildCommand, MoveChildCommand, RemoveChildCommand, SetFieldsCommand
from app.ui.unit_commands import CreateDocumentCommand, DeleteDocumentCommand

PLAN_FIELDS = {"plan", "plan_mar", "plan_jun", "plan_oct", "plan_dec"}


class EmptyState(QWidget):
    """What a new user sees: import a file, create a unit, or open the sample."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        title = QLabel("欢迎使用绩效目标编报")
        title.setObjectName("emptyStateTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = title.font()
        font.setPointSize(font.pointSize() + 8)
        title.setFont(font)
        layout.addWidget(title)
        hint = QLabel("数据库中还没有绩效目标。您可以导入财政局下发或本单位填写的 Word / Excel 文件，\n"
                      "新建一个单位从头填写，或打开内置的示例文档熟悉软件。")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(hint)
        self.import_button = QPushButton("导入文件（docx / xlsx / json）…")
        self.import_button.setObjectName("emptyImportButton")
        self.new_unit_button = QPushButton("新建单位…")
        self.new_unit_button.setObjectName("emptyNewUnitButton")
        self.sample_button = QPushButton("打开示例文档")
        self.sample_button.setObjectName("emptySampleButton")
        for b in (self.import_button, self.new_unit_button, self.sample_button):
            b.setMinimumHeight(36)
            b.setFixedWidth(320)
            layout.addWidget(b, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)


class EditStack(QUndoStack):
    """The window's undo stack; ``pushing`` tells a new edit from an undo or redo."""

    pushing = False

    def push(self, cmd: Any) -> None:
        self.pushing = True
        try:
            super().push(cmd)
        finally:
            self.pushing = False

    def endMacro(self) -> None:  # noqa: N802
        self.pushing = True
        try:
            super().endMacro()
        finally:
            self.pushing = False


class MainWindow(FileActions, QMainWindow):
    """The one window of the application."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.store = self._initial_store = store
        self.undo_stack = EditStack(self)
        self.undo_stack.indexChanged.connect(self._flush)
        self.live = LiveValidation()
        self.docs: dict[int, Document] = {}
        self.current_doc_id: int | None = None
        self.current_project: Project | None = None
        self._pushed_signature: object = None
        self._split_sized = False
        self._pending: dict[int, set[int] | None] = {}  # doc id -> project ids, None = whole doc
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.timeout.connect(self._flush)
        # Several writers: others' changes are polled; our refused edits come back as conflicts.
        self.watcher = ChangeWatcher(self)
        self.watcher.changed.connect(self.others_changed)
        # Later, from the event loop: the refused command is still inside the undo stack.
        conflict_relay.listen(self, MainWindow._conflict_later)
        # Badges of units not opened yet are filled in the background, one unit per tick.
        self._badge_queue: list[int] = []
        self._badge_timer = QTimer(self)
        self._badge_timer.setInterval(40)
        self._badge_timer.timeout.connect(self._fill_one_badge)
        self._build_central()
        self._build_docks()
        self._build_menus()
        self._build_status()
        self.bureau = BureauUi(self)
        self.empty_state.import_button.clicked.connect(self.import_files)
        self.empty_state.new_unit_button.clicked.connect(self.new_unit)
        self.empty_state.sample_button.clicked.connect(self.open_sample)
        self.set_store(store)
        self.layout_state = LayoutState(
            self, {"project": self.project_split, "calendar": self.spending_calendar.splitter},
            {"indicators": self.indicator_editor.view.horizontalHeader(),
             "problems": self.problems.view.horizontalHeader()},
            [WeightedColumns(self.indicator_editor.view, *INDICATOR_COLUMNS)])
        cap_row_height(self.indicator_editor.view, 3)
        self._split_sized = self.layout_state.restore()  # a restored splitter is not resized
        if self.stack.currentWidget() is self.empty_state:
            self.tree_dock.hide()
            self.problems_dock.hide()

    # ================================================================ building
    def _build_central(self) -> None:
        self.stack = QStackedWidget()
        self.empty_state = EmptyState()
        self.pages = QStackedWidget()
        self.pages.setObjectName("workspace")
        notify = self.notify
        # Unit page: part 1 and the spending calendar of the whole unit.
        self.part1_form = Part1Form(self.store, self.undo_stack, notify)
        self.unit_tabs = QTabWidget()
        self.unit_tabs.setObjectName("unitTabs")
        self.unit_tabs.addTab(self.part1_form, "部门整体绩效目标")
        self.spending_calendar = SpendingCalendar(self.store, self.undo_stack, notify)
        self.unit_tabs.addTab(self.spending_calendar, "资金支出计划日历")
        # Project page: basic information above, indicators / spending plan below.
        self.project_form = ProjectForm(self.store, self.undo_stack, notify)
        self.indicator_editor = IndicatorEditor(self.store, self.undo_stack, notify)
        self.project_spending = ProjectSpendingEditor(self.store, self.undo_stack, notify)
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
        self.tree.node_activated.connect(self.open_node)
        self.tree_dock = QDockWidget("项目", self)
        self.tree_dock.setObjectName("treeDock")
        self.tree_dock.setWidget(self.tree)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.tree_dock)
        self.problems = ProblemsPanel()
        self.problems.jump_requested.connect(self.jump_to)
        self.problems.waive_requested.connect(self.waive)
        self.problems.unwaive_requested.connect(self.unwaive)
        self.problems_dock = QDockWidget("问题", self)
        self.problems_dock.setObjectName("problemsDock")
        self.problems_dock.setWidget(self.problems)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems_dock)
        self.resizeDocks([self.tree_dock], [330], Qt.Orientation.Horizontal)
        self.resizeDocks([self.problems_dock], [210], Qt.Orientation.Vertical)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("文件(&F)")
        file_menu.setObjectName("menuFile")
        self.action_import = bind(self._action(file_menu, "导入(&I)…", self.import_files), "import")
        export_menu = file_menu.addMenu("导出(&E)")
        export_menu.setObjectName("menuExport")
        self.export_actions = {}
        for fmt, label in (("docx", "Word 文档（docx）…"), ("xlsx", "Excel 工作簿（xlsx）…"),
                           ("pdf", "PDF…"), ("json", "PerfGoals 数据（json）…")):
            self.export_actions[fmt] = self._action(export_menu, label, lambda _c=False, f=fmt: self.export_as(f))
        self.action_print_preview = self._action(file_menu, "打印预览(&V)…", self.print_preview)
        self.action_print = bind(self._action(file_menu, "打印(&P)…", self.print_documents), "print")
        self.report_actions = add_report_menu(self, file_menu)
        self.font_menu = FontMenu(self)
        file_menu.addMenu(self.font_menu)
        self.action_print_calendar = QAction("打印和PDF包含资金支出计划页", self)
        self.action_print_calendar.setObjectName("actionPrintCalendar")
        self.action_print_calendar.setCheckable(True)
        self.action_print_calendar.setChecked(include_calendar())
        self.action_print_calendar.toggled.connect(set_include_calendar)
        file_menu.addAction(self.action_print_calendar)
        file_menu.addSeparator()
        self.action_new_unit = bind(self._action(file_menu, "新建单位(&N)…", self.new_unit), "new_unit")
        self._action(file_menu, "打开示例文档", self.open_sample)
        file_menu.addSeparator()
        self._action(file_menu, "新建数据库…", self.new_database_dialog)
        bind(self._action(file_menu, "打开数据库(&O)…", self.open_database_dialog), "open_database")
        self.action_connect_server = self._action(file_menu, "连接服务器数据库…", self.connect_server_dialog)
        self.action_connect_server.setObjectName("actionConnectServer")
        self.recent_menu = file_menu.addMenu("最近的数据库")
        self.recent_menu.setObjectName("menuRecent")
        self.recent_menu.aboutToShow.connect(self.rebuild_recent_menu)
        file_menu.addSeparator()
        bind(self._action(file_menu, "退出(&X)", self.close), "quit")

        edit_menu = bar.addMenu("编辑(&E)")
        edit_menu.setObjectName("menuEdit")
        self.action_undo = self.undo_stack.createUndoAction(self, "撤销")
        bind(self.action_undo, "undo")
        self.action_redo = self.undo_stack.createRedoAction(self, "重做")
        bind(self.action_redo, "redo")
        edit_menu.addAction(self.action_undo)
        edit_menu.addAction(self.action_redo)
        edit_menu.addSeparator()
        self.action_find = bind(self._action(edit_menu, "查找(&F)…", lambda: open_find_replace(self)), "find")
        self.action_replace = bind(self._action(edit_menu, "替换(&H)…", lambda: open_find_replace(self, True)), "replace")
        self.action_copy_indicators = self._action(edit_menu, "从其他项目复制指标…", lambda: copy_indicators(self))
        edit_menu.addSeparator()
        tree_actions = [
            ("新建项目", self.new_project, "new_project"),
            ("重命名项目…", self.rename_project, "rename_project"),
            ("复制项目", self.duplicate_project, None),
            ("删除项目…", self.delete_project, None),
            ("上移项目", lambda: self.move_project(-1), "move_project_up"),
            ("下移项目", lambda: self.move_project(1), "move_project_down"),
            (None, None, None),
            ("延续项目到下一年度…", self.carry_project_over, None),
            ("延续整个单位到下一年度…", self.carry_unit_over, None),
            (None, None, None),
            ("删除单位（本年度）…", self.delete_unit, None),
        ]
        self.tree_actions: dict[str, QAction] = {}
        for text, slot, key in tree_actions:
            if text is None:
                edit_menu.addSeparator()
                sep = QAction(self)
                sep.setSeparator(True)
                self.tree.addAction(sep)
                continue
            action = self._action(edit_menu, text, slot)
            if key:
                bind(action, key)  # tree only: in the indicator table F2 edits a cell
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.tree.addAction(action)
            self.tree_actions[text] = action

        view_menu = bar.addMenu("视图(&V)")
        view_menu.setObjectName("menuView")
        tree_toggle = self.tree_dock.toggleViewAction()
        tree_toggle.setText("项目树")
        problems_toggle = self.problems_dock.toggleViewAction()
        problems_toggle.setText("问题面板")
        view_menu.addAction(tree_toggle)
        view_menu.addAction(problems_toggle)
        view_menu.addSeparator()
        bind(self._action(view_menu, "重新校验(&R)", self.revalidate_current), "revalidate")
        view_menu.addSeparator()
        self.action_fold_form = bind(self._action(view_menu, "收起/展开项目信息", lambda: self.project_fold.set_folded(
            not self.project_fold.folded)), "fold_form")
        self.action_reset_layout = self._action(view_menu, "恢复默认布局", lambda: self.layout_state.reset())

        help_menu = bar.addMenu("帮助(&H)")
        help_menu.setObjectName("menuHelp")
        bind(self._action(help_menu, "填报指南(&G)", self.show_guide), "guide")
        self._action(help_menu, "关于(&A)", self.about)

    def _action(self, menu, text, slot, shortcut=None) -> QAction:  # noqa: ANN001
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _build_status(self) -> None:
        self.db_label = QLabel()
        self.db_label.setObjectName("statusDatabase")
        self.counts_label = QLabel()
        self.counts_label.setObjectName("statusCounts")
        self.statusBar().addPermanentWidget(self.counts_label)
        self.statusBar().addPermanentWidget(self.db_label)

    # ================================================================ database
    def set_store(self, store: Store) -> None:
        """Show another database (at start and when the user opens one)."""
        self.store = store
        self._badge_queue = []
        for w in (self.part1_form, self.project_form, self.indicator_editor, self.spending_calendar,
                  self.project_spending):
            if w is not None:
                w.store = store
        self.undo_stack.clear()
        self.docs.clear()
        self.live = LiveValidation()
        self.current_doc_id, self.current_project = None, None
        self.setWindowTitle(f"{APP_TITLE_ZH} — {store.display_name}")
        self.db_label.setText(f"{'服务器数据库' if store.is_server else '数据库'}：{store.display_name}")
        self.counts_label.setText("")
        remember_database(store_address(store))
        self.refresh()
        self._restore_position()
        self.watcher.start(store)

    def _settings_key(self) -> str:
        return "lastPosition/" + self.store.display_name.replace("/", "|").replace("\\", "|")

    def _restore_position(self) -> None:
        value = QSettings().value(self._settings_key())
        doc_id = project_id = None
        if isinstance(value, str) and value:
            parts = value.split(":")
            doc_id = int(parts[0])
            project_id = int(parts[1]) if len(parts) > 1 and parts[1] else None
        if doc_id is None or not self.tree.select_node(doc_id, project_id):
            first = self.tree.tree_model.root.children
            if first and first[-1].children:
                self.tree.select_node(first[-1].children[0].doc_id)  # latest year, first unit

    def _save_position(self) -> None:
        if self.current_doc_id is not None:
            pid = self.current_project.id if self.current_project is not None else ""
            QSettings().setValue(self._settings_key(), f"{self.current_doc_id}:{pid}")

    def refresh(self) -> None:
        """Rebuild the tree from the database; show the empty state when there is nothing."""
        docs = list_documents(self.store)
        was_empty = self.stack.currentWidget() is self.empty_state
        if not docs:
            self.tree.tree_model.rebuild([], {})
            self.stack.setCurrentWidget(self.empty_state)
            # Nothing to list yet: the welcome page alone, without two empty panels.
            self.tree_dock.hide()
            self.problems_dock.hide()
            self.bureau.dock.hide()
            return
        if was_empty:
            self.tree_dock.show()
            self.problems_dock.show()
        self.tree.tree_model.rebuild(docs, list_project_titles(self.store))
        if self.bureau.dock.isVisible():
            self.bureau.reload()
        for doc_id, findings in self.live.findings.items():
            self._push_badges(doc_id, findings)
        self._badge_queue = [d.id for d in reversed(docs) if d.id not in self.live.findings]
        self._badge_timer.start()
        self.stack.setCurrentWidget(self.pages)

    def _fill_one_badge(self) -> None:
        """Validate one unit that is not open, for its tree badges only (nothing is kept)."""
        while self._badge_queue:
            doc_id = self._badge_queue.pop()
            if doc_id in self.live.findings:
                continue
            try:
                doc = load_document(self.store, doc_id)
            except PerfGoalsError:
                continue
            self._push_badges(doc_id, LiveValidation().validate(doc))
            return
        self._badge_timer.stop()

    def documents_replaced(self, doc_ids: list[int]) -> None:
        """Documents changed outside the undo stack (an import): reload them, start afresh."""
        self.undo_stack.clear()  # the stack's commands point at the replaced objects
        for doc_id in doc_ids:
            self.docs.pop(doc_id, None)
            self.live.forget(doc_id)
        self.current_project = None
        self.current_doc_id = None
        self.refresh()
        self.tree.select_node(doc_ids[0])

    # ================================================================ navigation
    def document(self, doc_id: int) -> Document:
        """The open (detached) document ``doc_id``, loaded and validated on first use."""
        doc = self.docs.get(doc_id)
        if doc is None:
            doc = self.docs[doc_id] = load_document(self.store, doc_id)
            self._push_badges(doc_id, self.live.validate(doc))
        return doc

    def current_document(self) -> Document | None:
        return self.docs.get(self.current_doc_id) if self.current_doc_id is not None else None

    def open_node(self, node: Node) -> None:
        """Show what a tree row stands for."""
        if node.doc_id is None:
            return
        self.commit_pending()
        doc = self.document(node.doc_id)
        self.current_doc_id = doc.id
        project = None
        if node.kind == "project":
            project = next((p for p in doc.projects if p.id == node.project_id), None)
        self.current_project = project
        self._pushed_signature = None
        if project is None:
            self.part1_form.set_document(doc)
            if self.spending_calendar is not None:
                self.spending_calendar.set_document(doc)
            self.pages.setCurrentWidget(self.unit_tabs)
        else:
            self.project_form.set_project(doc, project)
            if self.indicator_editor is not None:
                self.indicator_editor.set_project(doc, project)
            if self.project_spending is not None:
                self.project_spending.set_project(doc, project)
            self.pages.setCurrentWidget(self.project_split)
            if not self._split_sized:
                # Sized once the page is laid out: the form gets what it needs, the
                # indicator table the rest (the user's own splitter moves are kept after).
                self._split_sized = True
                self.project_fold.fit_splitter()
        self._push_views(doc)
        self._update_actions()
        self._save_position()

    def selected_projects(self) -> list[tuple[Document, Project]]:
        out = []
        for node in self.tree.selected_nodes():
            if node.kind == "project" and node.doc_id is not None:
                doc = self.document(node.doc_id)
                p = next((p for p in doc.projects if p.id == node.project_id), None)
                if p is not None:
                    out.append((doc, p))
        return out

    def select_project(self, doc: Document, project: Project | None) -> None:
        self.tree.select_node(doc.id, project.id if project is not None else None)

    def _update_actions(self) -> None:
        has_project = self.current_project is not None
        has_doc = self.current_doc_id is not None
        for text, action in self.tree_actions.items():
            needs_project = text not in ("新建项目", "延续整个单位到下一年度…", "删除单位（本年度）…")
            action.setEnabled(has_project if needs_project else has_doc)

    def commit_pending(self) -> None:
        """Commit what the user is typing in a form (before switching away or closing)."""
        self.part1_form.commit_pending()
        self.project_form.commit_pending()

    # ================================================================ live validation
    def notify(self, obj: Any) -> None:
        """Called by every undo command with the object it changed (see app/ui/undo.py)."""
        doc, project = self._owner(obj)
        if doc is None:
            return
        if project is None:
            self._pending[doc.id] = None
        elif self._pending.get(doc.id, set()) is not None:
            self._pending.setdefault(doc.id, set()).add(id(project))  # type: ignore[union-attr]
            self._pending_projects = getattr(self, "_pending_projects", {})
            self._pending_projects[id(project)] = project
        self._flush_timer.start(0)  # commands run outside the stack still get flushed

    def _owner(self, obj: Any) -> tuple[Document | None, Project | None]:
        if isinstance(obj, Indicator):
            obj = obj.project
        if isinstance(obj, Project):
            return obj.document, obj
        if isinstance(obj, Document):
            return obj, None
        doc = getattr(obj, "document", None)
        return (doc, None) if isinstance(doc, Document) else (None, None)

    def _flush(self, *_args: object) -> None:
        """Revalidate what changed and update every view (once per undo step)."""
        self._flush_timer.stop()
        pending, self._pending = self._pending, {}
        projects = getattr(self, "_pending_projects", {})
        self._pending_projects = {}
        for doc_id, changed in pending.items():
            doc = self.docs.get(doc_id)
            if doc is None:
                continue
            if changed is None:
                findings = self.live.validate(doc, fresh=False)
                self.tree.tree_model.sync_document(doc)
                self._refresh_views(doc, structural=True)
            else:
                findings = []
                edited = [projects[k] for k in changed if projects.get(k) is not None and projects[k] in doc.projects]
                for project in edited:
                    findings = self.live.revalidate(doc, project)
                self.tree.tree_model.sync_document(doc)
                if (doc.id == self.current_doc_id and len(edited) == 1 and not self.undo_stack.pushing
                        and edited[0] is not self.current_project):
                    # An undo/redo changed another project: show it, as Excel shows the cell.
                    # (A new edit never navigates: the unit calendar edits every project.)
                    self.live.findings[doc.id] = findings
                    self.select_project(doc, edited[0])
                self._refresh_views(doc, structural=False)
            self._push_badges(doc_id, findings)
            self._push_views(doc)

    def _refresh_views(self, doc: Document, structural: bool) -> None:
        if doc.id != self.current_doc_id:
            return
        if self.current_project is not None and self.current_project not in doc.projects:
            # The shown project was deleted (or its deletion redone): go to the unit page.
            self.current_project = None
            self.select_project(doc, None)
            return
        for form in (self.part1_form, self.project_form):
            form.refresh()
        for w in (self.indicator_editor, self.spending_calendar, self.project_spending):
            refresh = getattr(w, "refresh", None)
            if refresh is not None:
                refresh()

    def _push_badges(self, doc_id: int, findings: list[Finding]) -> None:
        self.tree.tree_model.set_counts(doc_id, project_counts(findings))

    def _push_views(self, doc: Document) -> None:
        """Findings of the shown document to the forms, editors, problems panel, status bar."""
        if doc.id != self.current_doc_id:
            return
        findings = self.live.findings.get(doc.id, [])
        labels = [project_label(p, n) for n, p in enumerate(doc.projects, start=1)]
        # 审核意见 are listed beside the findings (their own kind); the editors mark findings only.
        self.problems.set_findings([*findings, *opinion_findings(doc)], labels, scope=doc.id)
        self.part1_form.set_findings(findings)
        if self.spending_calendar is not None:
            self.spending_calendar.set_findings(findings)
        project = self.current_project
        if project is not None and project in doc.projects:
            n = doc.projects.index(project) + 1
            mine = [f for f in findings if f.project == n]
            # Views repaint every marked cell on set_findings: skip when nothing changed.
            signature = (id(project), n, tuple((f.key, f.severity, f.message, f.waived) for f in mine))
            if signature != self._pushed_signature:
                self._pushed_signature = signature
                self.project_form.set_findings(mine)
                self.project_fold.update_summary()
                if self.indicator_editor is not None:
                    self.indicator_editor.set_findings(mine)
                if self.project_spending is not None:
                    self.project_spending.set_findings(mine)
        c = counts(findings)
        self.counts_label.setText(f"错误 {c['error']}　警告 {c['warning']}　提示 {c['hint']}")

    def revalidate_current(self) -> None:
        doc = self.current_document()
        if doc is not None:
            self._push_badges(doc.id, self.live.validate(doc))
            self._push_views(doc)

    def jump_to(self, finding: Finding) -> None:
        """Show the project (and cell or field) a finding is about."""
        doc = self.current_document()
        if doc is None:
            return
        n = finding.project
        project = doc.projects[n - 1] if n and 0 < n <= len(doc.projects) else None
        if project is not self.current_project or project is None:
            self.select_project(doc, project)
        from app.ui.live import finding_field

        field = finding_field(finding)
        row = finding.row
        if project is None:
            self.unit_tabs.setCurrentWidget(self.part1_form)
            marked = self.part1_form.fields.get(field or "")
            if marked is not None:
                marked.editor.setFocus()
            return
        if row and self.indicator_editor is not None:
            self.project_tabs.setCurrentWidget(self.indicator_editor)
            self.indicator_editor.focus_cell(row, field)
        elif field in PLAN_FIELDS and self.project_spending is not None:
            self.project_tabs.setCurrentIndex(1)
        elif field in self.project_form.fields:
            self.project_fold.set_folded(False)
            self.project_form.fields[field].editor.setFocus()

    def waive(self, finding: Finding) -> None:
        """Accept a warning or hint with an explanation (undoable)."""
        doc = self.current_document()
        if doc is None or finding.severity == "error":
            return
        text = WaiveDialog.ask(f"{finding.rule} {finding.message}", self)
        if text:
            try:
                self.undo_stack.push(WaiveCommand(self.store, doc, finding, text, self.notify))
            except PerfGoalsError as exc:
                QMessageBox.warning(self, APP_TITLE_ZH, exc.message)

    def unwaive(self, finding: Finding) -> None:
        """Withdraw a waiver (undoable); the finding counts again."""
        doc = self.current_document()
        if doc is not None and finding.waived:
            self.undo_stack.push(WaiveCommand(self.store, doc, finding, None, self.notify))

    # ================================================================ tree operations
    def _index_of_current(self) -> tuple[Document, int] | None:
        doc, p = self.current_document(), self.current_project
        if doc is None or p is None or p not in doc.projects:
            return None
        return doc, doc.projects.index(p)

    def new_project(self) -> None:
        doc = self.current_document()
        if doc is None:
            return
        at = self._index_of_current()
        index = at[1] + 1 if at else len(doc.projects)
        self.undo_stack.push(InsertChildCommand(self.store, doc, "projects", index, new_project_values(doc),
                                                self.notify, "新建项目"))
        self.select_project(doc, doc.projects[index])

    def rename_project(self) -> None:
        p = self.current_project
        if p is None:
            return
        name = ask_text(self, "重命名项目", "项目名称：", p.name or "")
        if name is not None and name != (p.name or ""):
            self.undo_stack.push(SetFieldsCommand(self.store, [(p, "name", name)], self.notify, "重命名项目"))

    def duplicate_project(self) -> None:
        at = self._index_of_current()
        if at is None:
            return
        doc, i = at
        self.undo_stack.push(InsertChildCommand(self.store, doc, "projects", i + 1, duplicate_of(doc.projects[i]),
                                                self.notify, "复制项目"))
        self.select_project(doc, doc.projects[i + 1])

    def delete_project(self) -> None:
        at = self._index_of_current()
        if at is None:
            return
        doc, i = at
        p = doc.projects[i]
        if not confirm(self, "删除项目", f"确定删除项目“{p.name or '（未命名）'}”及其{len(p.indicators)}条绩效指标吗？\n"
                                      "删除后可用“撤销”（Ctrl+Z）恢复。"):
            return
        self.undo_stack.push(RemoveChildCommand(self.store, doc, "projects", i, self.notify, "删除项目"))
        self.select_project(doc, doc.projects[min(i, len(doc.projects) - 1)] if doc.projects else None)

    def move_project(self, step: int) -> None:
        at = self._index_of_current()
        if at is None:
            return
        doc, i = at
        j = i + step
        if not 0 <= j < len(doc.projects):
            return
        project = doc.projects[i]
        self.undo_stack.push(MoveChildCommand(self.store, doc, "projects", i, j, self.notify,
                                              "上移项目" if step < 0 else "下移项目"))
        self.select_project(doc, project)

    def _target_document(self, doc: Document, title: str) -> Document | None:
        year = ask_year(self, title, "延续到预算年度：", doc.year + 1)
        if year is None:
            return None
        if year == doc.year:
            QMessageBox.warning(self, APP_TITLE_ZH, "目标年度与当前年度相同")
            return None
        try:
            doc_id, created = ensure_document(self.store, doc.unit.code, doc.unit.name, year)
        except PerfGoalsError as exc:
            QMessageBox.warning(self, APP_TITLE_ZH, exc.message)
            return None
        if created:
            self.refresh()
        return self.document(doc_id)

    def carry_project_over(self) -> None:
        """延续项目: copy the current project into the unit's next-year document (undoable)."""
        at = self._index_of_current()
        if at is None:
            return
        doc, i = at
        target = self._target_document(doc, "延续项目")
        if target is None:
            return
        self.undo_stack.push(InsertChildCommand(self.store, target, "projects", len(target.projects),
                                                carry_project(doc.projects[i]), self.notify, "延续项目"))
        self.select_project(target, target.projects[-1])
        self._carry_done(target)

    def carry_unit_over(self) -> None:
        """Carry part 1 and every project of the unit over to the next year (one undo step)."""
        doc = self.current_document()
        if doc is None:
            return
        target = self._target_document(doc, "延续整个单位")
        if target is None:
            return
        if target.projects and not confirm(
            self, "延续整个单位", f"{target.year}年度已有{len(target.projects)}个项目，将在其后追加本单位的全部项目，是否继续？"
        ):
            return
        self.undo_stack.beginMacro("延续整个单位")
        if not target.has_part1 and doc.has_part1:
            changes = [(target, f, getattr(doc, f)) for f in PART1_FIELDS]
            self.undo_stack.push(SetFieldsCommand(self.store, changes, self.notify, "延续部门整体绩效目标"))
            subgoals, measures = carry_part1(doc)
            for n, s in enumerate(subgoals):
                self.undo_stack.push(InsertChildCommand(self.store, target, "subgoals", n, s, self.notify))
            for n, m in enumerate(measures):
                self.undo_stack.push(InsertChildCommand(self.store, target, "measures", n, m, self.notify))
        for p in doc.projects:
            self.undo_stack.push(InsertChildCommand(self.store, target, "projects", len(target.projects),
                                                    carry_project(p), self.notify))
        self.undo_stack.endMacro()
        self.select_project(target, None)
        self._carry_done(target)

    def _carry_done(self, target: Document) -> None:
        flags = [f for f in self.live.findings.get(target.id, []) if f.rule == CARRY_OVER_RULE]
        self.statusBar().showMessage(
            f"已延续到{target.year}年度；{len(flags)}处含年度的文字已标记为“延续内容待核实”，请在问题面板中逐条核实", 10000)

    # ================================================================ units, help, closing
    def new_unit(self) -> None:
        """新建单位 (undoable: undo deletes the document, and the unit when it was new)."""
        values = NewUnitDialog.ask(self)
        if values is None:
            return
        self.commit_pending()
        try:
            command = CreateDocumentCommand(self, *values)
        except PerfGoalsError as exc:
            QMessageBox.warning(self, APP_TITLE_ZH, exc.message)
            return
        self.undo_stack.push(command)

    def delete_unit(self) -> None:
        """Delete the current unit's document of this year, after confirming (undoable)."""
        doc = self.current_document()
        if doc is None:
            return
        self.commit_pending()
        others = any(d.unit_code == doc.unit.code and d.id != doc.id for d in list_documents(self.store))
        text = (f"删除单位“{doc.unit.code} {doc.unit.name}”{doc.year}年度的全部绩效目标"
                f"（{len(doc.projects)}个项目）？" + ("" if others else "该单位没有其他年度，单位也将一并删除。")
                + "\n可以用“撤销”（Ctrl+Z）恢复。")
        if QMessageBox.question(self, APP_TITLE_ZH, text) != QMessageBox.StandardButton.Yes:
            return
        self.undo_stack.push(DeleteDocumentCommand(self, doc))

    def document_added(self, doc_id: int, detached: Document | None) -> None:
        """A document was created or restored by an undo command: list it and show it."""
        self.live.forget(doc_id)
        self.docs.pop(doc_id, None)
        if detached is not None:
            self.docs[doc_id] = detached  # the very objects older commands on the stack hold
            self.live.validate(detached)  # refresh() pushes these badges, the page the rest
        self.refresh()
        self.tree.select_node(doc_id)

    def document_removed(self, doc_id: int) -> None:
        """A document was deleted by an undo command: drop it and show another one."""
        self.docs.pop(doc_id, None)
        self.live.forget(doc_id)
        self._pending.pop(doc_id, None)
        if self.current_doc_id == doc_id:
            self.current_doc_id = None
            self.current_project = None
        self.refresh()
        if self.current_doc_id is None:
            first = self.tree.tree_model.root.children
            if first and first[-1].children:
                self.tree.select_node(first[-1].children[0].doc_id)

    # ================================================================ several writers
    def others_changed(self, batch: ChangeBatch) -> None:
        """Another window or program committed: show its changes (tree, open documents)."""
        self.commit_pending()
        reload_documents(self, None if batch.everything else set(batch.documents))
        who = "、".join(sorted(batch.by)) or "其他用户"
        self.statusBar().showMessage(f"{who} 修改了数据库，已刷新", 5000)

    def _conflict_later(self, store: object, exc: EditConflictError) -> None:
        QTimer.singleShot(0, self, lambda: self.edit_refused(store, exc))

    def edit_refused(self, store: object, exc: EditConflictError) -> None:
        """An edit collided with another writer's: say so and reload what they changed."""
        if store is not self.store or not self.isVisible():
            return  # another window's edit
        reload_documents(self, {self.current_doc_id} if self.current_doc_id is not None else None)
        self.watcher.seq = max(self.watcher.seq, current_seq(self.store))
        box = QMessageBox(QMessageBox.Icon.Warning, APP_TITLE_ZH, exc.message, QMessageBox.StandardButton.Ok, self)
        box.setObjectName("editConflictMessage")
        box.open()  # not modal-blocking: the reloaded project is already shown behind it
        self._conflict_box = box

    def show_guide(self) -> HelpDialog:
        from app.resources import help_guide

        dlg = HelpDialog(help_guide(), self)
        dlg.setModal(False)
        dlg.show()
        self._help = dlg
        return dlg

    def about(self) -> None:
        QMessageBox.about(self, "关于", f"{APP_TITLE_ZH} {__version__}\n部门预算绩效目标编制、校验与报送工具")

    def closeEvent(self, event: Any) -> None:  # noqa: N802
        self.watcher.timer.stop()
        self.commit_pending()
        self._save_position()
        self.layout_state.save()
        super().closeEvent(event)
