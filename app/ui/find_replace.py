"""编辑 → 查找 (Ctrl+F) / 替换 (Ctrl+H) across the shown unit, with a preview of every change.

The texts come from app/services/workspace/find_replace.py; the chosen replacements are
applied as ONE undo step, so Ctrl+Z takes a whole “2024年 → 2025年” back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from app.services.workspace.find_replace import Replacement, field_changes, plan_replace

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


class FindReplaceDialog(QDialog):
    """Non-modal: find, preview (tick what to change), replace all ticked as one step."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("findReplaceDialog")
        self.setWindowTitle("查找和替换")
        self.window_ = window
        self.plan: list[Replacement] = []
        self.find_edit = QLineEdit()
        self.find_edit.setObjectName("findText")
        self.find_edit.setPlaceholderText("如 2024年")
        self.replace_edit = QLineEdit()
        self.replace_edit.setObjectName("replaceText")
        self.replace_edit.setPlaceholderText("如 2025年（留空则删除查找的文字）")
        self.scope = QComboBox()
        self.scope.setObjectName("findScope")
        self.scope.addItem("整个单位（含部门整体绩效目标）", "unit")
        self.scope.addItem("当前项目", "project")
        form = QFormLayout()
        form.addRow("查找：", self.find_edit)
        form.addRow("替换为：", self.replace_edit)
        form.addRow("范围：", self.scope)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("replacePreview")
        self.table.setHorizontalHeaderLabels(["位置", "原文", "替换后"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(0, 200)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemDoubleClicked.connect(self._jump)
        self.summary = QLabel()
        self.summary.setObjectName("findSummary")
        self.find_button = QPushButton("查找")
        self.find_button.setObjectName("findButton")
        self.replace_button = QPushButton("全部替换（勾选的）")
        self.replace_button.setObjectName("replaceAllButton")
        close = QPushButton("关闭")
        self.find_button.clicked.connect(self.preview)
        self.replace_button.clicked.connect(self.replace_all)
        close.clicked.connect(self.close)
        self.find_edit.returnPressed.connect(self.preview)
        self.replace_edit.returnPressed.connect(self.preview)
        self.scope.currentIndexChanged.connect(self.preview)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        for b in (self.find_button, self.replace_button, close):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(820, 480)
        self.preview()

    def start(self, replace: bool) -> None:
        """Show the dialog with the cursor in 查找 (Ctrl+F) or 替换为 (Ctrl+H)."""
        self.show()
        self.raise_()
        self.activateWindow()
        target = self.replace_edit if replace and self.find_edit.text() else self.find_edit
        target.setFocus()
        target.selectAll()
        self.preview()

    def preview(self) -> None:
        """List every change the replacement would make (each one ticked)."""
        w = self.window_
        doc = w.current_document()
        find, replace = self.find_edit.text(), self.replace_edit.text()
        projects = None
        if self.scope.currentData() == "project":
            projects = [w.current_project] if w.current_project is not None else []
        self.plan = plan_replace(doc, find, replace, projects) if doc is not None else []
        self.table.setRowCount(len(self.plan))
        for r, rep in enumerate(self.plan):
            where = QTableWidgetItem(rep.where)
            where.setFlags(where.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            where.setCheckState(Qt.CheckState.Checked)
            self.table.setItem(r, 0, where)
            self.table.setItem(r, 1, QTableWidgetItem(rep.before))
            self.table.setItem(r, 2, QTableWidgetItem(rep.after))
        self.table.resizeRowsToContents()
        total = sum(r.count for r in self.plan)
        self.summary.setText(f"找到{total}处，在{len(self.plan)}个栏目中" if find else "")
        self.replace_button.setEnabled(bool(self.plan))

    def chosen(self) -> list[Replacement]:
        ticked = []
        for r, rep in enumerate(self.plan):
            item = self.table.item(r, 0)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                ticked.append(rep)
        return ticked

    def replace_all(self) -> int:
        """Apply the ticked replacements as one undo step; the number of texts changed."""
        w = self.window_
        chosen = self.chosen()
        if not chosen:
            return 0
        w.commit_pending()
        text = f"替换“{self.find_edit.text()}”为“{self.replace_edit.text()}”"
        if w.edits.set_fields(field_changes(chosen), text) is None:
            return 0
        w.statusBar().showMessage(f"已替换{len(chosen)}个栏目；可用“撤销”（Ctrl+Z）一步恢复", 8000)
        self.preview()
        return len(chosen)

    def _jump(self, item: QTableWidgetItem) -> None:
        rep = self.plan[item.row()] if 0 <= item.row() < len(self.plan) else None
        if rep is not None:
            self.window_.validation.jump_to(rep)  # type: ignore[arg-type]  # has project, row and field as a finding


def open_find_replace(window: MainWindow, replace: bool = False) -> FindReplaceDialog:
    """The window's one find / replace dialog, opened (created on first use)."""
    dialog = getattr(window, "_find_replace", None)
    if dialog is None:
        dialog = window._find_replace = FindReplaceDialog(window)  # type: ignore[attr-defined]
    dialog.start(replace)
    return dialog
