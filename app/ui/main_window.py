"""The main window: menus, the empty state, and (later) the project tree and editors."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import APP_TITLE_ZH, __version__
from app.resources import sample_document
from app.services.documents import list_documents
from app.services.errors import PerfGoalsError
from app.services.storage import Store
from app.ui.dialogs import NewUnitDialog


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
            b.setMaximumWidth(360)
            layout.addWidget(b, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)


class MainWindow(QMainWindow):
    """The one window of the application."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.store = store
        self.setWindowTitle(f"{APP_TITLE_ZH} — {store.path}")
        self.resize(1280, 800)
        self.stack = QStackedWidget()
        self.empty_state = EmptyState()
        self.workspace = QLabel()  # replaced by the project workspace (tree + editors)
        self.workspace.setObjectName("workspace")
        self.workspace.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.empty_state)
        self.stack.addWidget(self.workspace)
        self.setCentralWidget(self.stack)
        self._build_menus()
        self.empty_state.import_button.clicked.connect(self.import_files)
        self.empty_state.new_unit_button.clicked.connect(self.new_unit)
        self.empty_state.sample_button.clicked.connect(self.open_sample)
        self.statusBar().showMessage(f"数据库：{store.path}")
        self.refresh()

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("文件(&F)")
        file_menu.setObjectName("menuFile")
        self.action_import = self._action(file_menu, "导入(&I)…", self.import_files, QKeySequence("Ctrl+I"))
        self.action_new_unit = self._action(file_menu, "新建单位(&N)…", self.new_unit, QKeySequence.StandardKey.New)
        self._action(file_menu, "打开示例文档", self.open_sample)
        file_menu.addSeparator()
        self._action(file_menu, "退出(&X)", self.close, QKeySequence("Ctrl+Q"))
        edit_menu = bar.addMenu("编辑(&E)")
        edit_menu.setObjectName("menuEdit")
        view_menu = bar.addMenu("视图(&V)")
        view_menu.setObjectName("menuView")
        help_menu = bar.addMenu("帮助(&H)")
        help_menu.setObjectName("menuHelp")
        self._action(help_menu, "关于(&A)", self.about)

    def _action(self, menu, text, slot, shortcut=None) -> QAction:  # noqa: ANN001
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def refresh(self) -> None:
        """Show the empty state or the workspace, depending on what the database holds."""
        docs = list_documents(self.store)
        if not docs:
            self.stack.setCurrentWidget(self.empty_state)
            return
        lines = [f"{d.year}年度 {d.unit_code} {d.unit_name}：{d.projects}个项目" for d in docs]
        self.workspace.setText("\n".join(lines))
        self.stack.setCurrentWidget(self.workspace)

    def _import_paths(self, paths: list[str]) -> None:
        from app.services.file_io import read_file
        from app.services.importing import commit_documents

        try:
            for path in paths:
                res = read_file(path)
                commit_documents(self.store, res.documents, source=path)
        except PerfGoalsError as exc:
            QMessageBox.warning(self, APP_TITLE_ZH, exc.message)
        self.refresh()

    def import_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, "导入文件", "", "绩效目标文件 (*.docx *.xlsx *.json);;所有文件 (*)"
        )
        if paths:
            self._import_paths(paths)

    def open_sample(self) -> None:
        self._import_paths([str(sample_document())])

    def new_unit(self) -> None:
        from app.services.documents import create_document

        values = NewUnitDialog.ask(self)
        if values is None:
            return
        try:
            create_document(self.store, *values)
        except PerfGoalsError as exc:
            QMessageBox.warning(self, APP_TITLE_ZH, exc.message)
        self.refresh()

    def about(self) -> None:
        QMessageBox.about(self, "关于", f"{APP_TITLE_ZH} {__version__}\n部门预算绩效目标编制、校验与报送工具")
