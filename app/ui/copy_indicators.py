"""编辑 → 从其他项目复制指标…: pick a project of the unit (this year or another), tick rows, copy.

The rows are appended to the shown project as ONE undo step (app/services/workspace/
copy_indicators.py lists the sources and reads their rows).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from app import APP_TITLE_ZH
from app.services.workspace.copy_indicators import COPIED, indicator_rows, source_projects
from app.services.workspace.ops import Batch

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

HEADERS = ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据")


class CopyIndicatorsDialog(QDialog):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("copyIndicatorsDialog")
        self.setWindowTitle("从其他项目复制指标")
        self.window_ = window
        doc, project = window.current_document(), window.current_project
        assert doc is not None and project is not None
        self.sources = source_projects(window.store, doc, project)
        self.rows: list[dict[str, str | None]] = []
        self.source_box = QComboBox()
        self.source_box.setObjectName("copySource")
        for s in self.sources:
            self.source_box.addItem(s.label)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("copyRows")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setText("复制到当前项目")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"复制到：{project.name or '（未命名项目）'}（追加在指标表末尾，可撤销）"))
        layout.addWidget(self.source_box)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(900, 460)
        self.source_box.currentIndexChanged.connect(self.load_rows)
        self.load_rows()

    def load_rows(self) -> None:
        i = self.source_box.currentIndex()
        self.rows = indicator_rows(self.window_.store, self.sources[i]) if 0 <= i < len(self.sources) else []
        self.table.setRowCount(len(self.rows))
        for r, values in enumerate(self.rows):
            for c, attr in enumerate(COPIED):
                item = QTableWidgetItem(values.get(attr) or "")
                if c == 0:
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    item.setCheckState(Qt.CheckState.Checked)
                self.table.setItem(r, c, item)

    def chosen(self) -> list[dict[str, str | None]]:
        out = []
        for r, values in enumerate(self.rows):
            item = self.table.item(r, 0)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                out.append(values)
        return out

    def copy(self) -> int:
        """Append the ticked rows to the current project (one undo step); how many."""
        w = self.window_
        project = w.current_project
        rows = self.chosen()
        if project is None or not rows:
            return 0
        start = len(project.indicators)
        ops = tuple(w.edits.insert_ops(project, "indicators", start + k, dict(values))
                    for k, values in enumerate(rows))
        if w.edits.push(Batch(ops), f"复制{len(rows)}行指标") is None:
            return 0
        w.statusBar().showMessage(f"已复制{len(rows)}行指标；可用“撤销”（Ctrl+Z）一步恢复", 8000)
        return len(rows)


def copy_indicators(window: MainWindow) -> int:
    """The 从其他项目复制指标 dialog for the shown project; the number of rows copied."""
    if window.current_project is None or window.current_document() is None:
        QMessageBox.information(window, APP_TITLE_ZH, "请先在左侧选择要复制到的项目")
        return 0
    window.commit_pending()
    dialog = CopyIndicatorsDialog(window)
    if not dialog.sources:
        QMessageBox.information(window, APP_TITLE_ZH, "本单位没有其他项目可复制")
        return 0
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return 0
    return dialog.copy()
