"""Forms for part 1 (部门整体绩效目标) and a project's basic information.

Each field commits through an undo command: after a short pause in typing (so killing the
process loses at most the last second) and when the field loses focus; one typing session
in one field is one undo step. Fields carry validation markers: a coloured frame and fill
AND a severity icon beside the field, the messages as tooltip.
"""

from __future__ import annotations

import itertools
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFocusEvent, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.models import Document, Project
from app.services.validation import SEVERITIES, SEVERITY_LABELS, Finding, worst_severity
from app.ui.commands import Edits
from app.ui.live import finding_field
from app.ui.markers import INK, TINT, marker_icon, marker_line, marker_pixmap

COMMIT_DELAY_MS = 800
_sessions = itertools.count(1)


class PlainTextField(QPlainTextEdit):
    """A plain-text editor that reports losing focus."""

    focus_left = Signal()
    focus_entered = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.focus_left.emit()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.focus_entered.emit()


class LineField(QLineEdit):
    """A line editor that reports gaining focus (to start a new undo session)."""

    focus_entered = Signal()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.focus_entered.emit()


class MarkedField(QWidget):
    """An editor with its validation marker (colour + icon + tooltip)."""

    def __init__(self, field: str, editor: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.editor = editor
        self.editor.setObjectName(f"field_{field}")
        self.icon = QLabel()
        self.icon.setObjectName(f"marker_{field}")
        self.icon.setFixedSize(18, 18)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(editor, 1)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        self.severity: str | None = None
        self.messages: list[str] = []
        self.set_findings([])

    def set_findings(self, findings: list[Finding]) -> None:
        active = [f for f in findings if not f.waived]
        self.severity = worst_severity([f.severity for f in active])
        self.messages = [marker_line(f) for f in active]
        tip = "\n".join(self.messages)
        cls = type(self.editor).__name__
        if isinstance(self.editor, QLabel):  # a list's summary line, not an input field
            counts = {k: sum(1 for f in active if f.severity == k) for k in SEVERITIES}
            text = "，".join(f"{SEVERITY_LABELS[k]}{n}个" for k, n in counts.items() if n)
            self.editor.setText(f"本部分有{text}（见标记的行，鼠标停留查看说明）" if text else "")
            self.editor.setStyleSheet(f"color: {INK[self.severity]};" if self.severity else "")
            self.icon.setPixmap(marker_pixmap(self.severity)) if self.severity else self.icon.clear()
        elif self.severity:
            self.editor.setStyleSheet(
                f"{cls} {{ border: 2px solid {INK[self.severity]}; background: {TINT[self.severity]}; }}"
            )
            self.icon.setPixmap(marker_pixmap(self.severity))
        else:
            self.editor.setStyleSheet("")
            self.icon.clear()
        self.editor.setProperty("severity", self.severity or "")
        self.editor.setToolTip(tip)
        self.icon.setToolTip(tip)


class _FormBase(QScrollArea):
    """Common plumbing: fields bound to attributes of one object, committed via the stack."""

    def __init__(self, edits: Edits, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits = edits
        self.target: Any = None
        self.fields: dict[str, MarkedField] = {}
        self._session: dict[str, int] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COMMIT_DELAY_MS)
        self._timer.timeout.connect(self.commit_pending)
        self._dirty: set[str] = set()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)

    def _line(self, field: str, placeholder: str = "") -> MarkedField:
        edit = LineField()
        edit.setPlaceholderText(placeholder)
        edit.textEdited.connect(lambda _t, f=field: self._edited(f))
        edit.editingFinished.connect(lambda f=field: self._commit(f, close=True))
        edit.focus_entered.connect(lambda f=field: self._new_session(f))
        return self._add(field, edit)

    def _text(self, field: str, placeholder: str = "", height: int = 70) -> MarkedField:
        edit = PlainTextField()
        edit.setPlaceholderText(placeholder)
        edit.setTabChangesFocus(True)
        edit.setMinimumHeight(height)
        edit.setMaximumHeight(height * 2)
        edit.textChanged.connect(lambda f=field: self._edited(f))
        edit.focus_left.connect(lambda f=field: self._commit(f, close=True))
        edit.focus_entered.connect(lambda f=field: self._new_session(f))
        return self._add(field, edit)

    def _add(self, field: str, editor: QWidget) -> MarkedField:
        marked = MarkedField(field, editor)
        self.fields[field] = marked
        return marked

    def _new_session(self, field: str) -> None:
        self._session[field] = next(_sessions)

    def _edited(self, field: str) -> None:
        if self._loading or self.target is None:
            return
        self._dirty.add(field)
        self._timer.start()

    _loading = False

    @staticmethod
    def _value_of(editor: QWidget) -> str:
        return editor.toPlainText() if isinstance(editor, QPlainTextEdit) else editor.text()  # type: ignore[attr-defined]

    def attr_of(self, field: str) -> str:
        """The model attribute a field edits (raw text for amounts and percentages)."""
        return field

    def changes_for(self, field: str, value: str | None) -> list[tuple[Any, str, Any]]:
        return [(self.target, self.attr_of(field), value)]

    def _commit(self, field: str, close: bool = False) -> None:
        if self.target is None or field not in self.fields:
            return
        self._dirty.discard(field)
        text = self._value_of(self.fields[field].editor)
        attr = self.attr_of(field)
        old = getattr(self.target, attr)
        # An emptied field is blank (None) unless it held an empty string already.
        value: str | None = text if text else ("" if old == "" else None)
        if value != old:
            key = (id(self.target), field, self._session.setdefault(field, next(_sessions)))
            self.edits.set_fields(self.changes_for(field, value), f"修改{self.label_of(field)}", merge_key=key)
        if close:
            self._new_session(field)

    def label_of(self, field: str) -> str:
        return field

    def commit_pending(self) -> None:
        """Commit every field typed into but not yet committed (before switching away)."""
        self._timer.stop()
        for field in list(self._dirty):
            self._commit(field)

    def refresh(self) -> None:
        """Show the target's current values (after undo/redo or an edit elsewhere)."""
        if self.target is None:
            return
        self._loading = True
        try:
            for field, marked in self.fields.items():
                if field in self._dirty:
                    continue
                value = getattr(self.target, self.attr_of(field)) or ""
                ed = marked.editor
                if self._value_of(ed) != value:
                    with QSignalBlocker(ed):
                        if isinstance(ed, QPlainTextEdit):
                            ed.setPlainText(value)
                        else:
                            ed.setText(value)  # type: ignore[attr-defined]
        finally:
            self._loading = False

    def _place_findings(self, findings: list[Finding]) -> dict[str, list[Finding]]:
        by_field: dict[str, list[Finding]] = {}
        for f in findings:
            field = finding_field(f)
            if field and field.startswith("plan") and "plan" in self.fields:
                field = "plan"
            if field in self.fields:
                by_field.setdefault(field, []).append(f)
        for field, marked in self.fields.items():
            marked.set_findings(by_field.get(field, []))
        return by_field


PROJECT_LABELS = {
    "code": "项目编码", "name": "项目名称", "budget_total": "预算数", "budget_fiscal": "其中：财政资金",
    "budget_other": "其他资金", "purpose": "资金用途", "goal": "绩效目标",
}
RAW_FIELDS = {"budget_total", "budget_fiscal", "budget_other"}


class ProjectForm(_FormBase):
    """项目编码、名称、预算数、资金用途、绩效目标 of one project."""

    def __init__(self, edits: Edits, parent: QWidget | None = None) -> None:
        super().__init__(edits, parent)
        self.setObjectName("projectForm")
        body = QWidget()
        grid = QGridLayout(body)
        grid.setContentsMargins(6, 6, 6, 6)
        grid.setHorizontalSpacing(8)
        self.title = QLabel()
        self.title.setObjectName("projectTitle")
        font = self.title.font()
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        self.title.setFont(font)
        grid.addWidget(self.title, 0, 0, 1, 6)
        code = self._line("code", "21位项目编码，如 13020924P000628100002")
        name = self._line("name", "项目名称")
        grid.addWidget(QLabel("项目编码"), 1, 0)
        grid.addWidget(code, 1, 1, 1, 2)
        grid.addWidget(QLabel("项目名称"), 1, 3)
        grid.addWidget(name, 1, 4, 1, 2)
        for col, field in enumerate(("budget_total", "budget_fiscal", "budget_other")):
            grid.addWidget(QLabel(PROJECT_LABELS[field] + "（万元）"), 2, col * 2)
            grid.addWidget(self._line(field, "空白"), 2, col * 2 + 1)
        grid.addWidget(QLabel("资金用途"), 3, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self._text("purpose", "资金用于哪些支出", 44), 3, 1, 1, 5)
        grid.addWidget(QLabel("绩效目标"), 4, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self._text("goal", "1.预期产出……\n2.预期效果……", 60), 4, 1, 1, 5)
        for c in (1, 3, 5):
            grid.setColumnStretch(c, 1)
        self.setWidget(body)
        self.doc: Document | None = None
        self.setEnabled(False)

    def attr_of(self, field: str) -> str:
        return f"{field}_raw" if field in RAW_FIELDS else field

    def label_of(self, field: str) -> str:
        return PROJECT_LABELS.get(field, field)

    def set_project(self, doc: Document, project: Project) -> None:
        self.commit_pending()
        self.doc, self.target = doc, project
        self._dirty.clear()
        self.setEnabled(True)
        self.refresh()

    def refresh(self) -> None:
        if self.target is None or self.doc is None:
            return
        n = self.doc.projects.index(self.target) + 1 if self.target in self.doc.projects else 0
        self.title.setText(f"{n}. {self.target.name or '（未命名项目）'}绩效目标表")
        super().refresh()

    def set_findings(self, findings: list[Finding]) -> None:
        """Findings of this project (already filtered to it), minus indicator rows."""
        self._place_findings([f for f in findings if f.row is None])


class _ItemsTable(QGroupBox):
    """分项绩效目标 / 工作保障措施 items as a small table with add and delete."""

    def __init__(self, title: str, rel: str, columns: list[tuple[str, str]], owner: Part1Form) -> None:
        super().__init__(title)
        self.rel, self.columns, self.owner = rel, columns, owner
        self.setObjectName(f"{rel}Group")
        self.table = QTableWidget(0, len(columns))
        self.table.setObjectName(f"{rel}Table")
        self.table.setHorizontalHeaderLabels([c[1] for c in columns])
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setColumnWidth(0, 220)
        if len(columns) > 2:
            self.table.setColumnWidth(1, 360)
        self.table.setMinimumHeight(150)
        self.table.itemChanged.connect(self._changed)
        self.marker = MarkedField(rel, QLabel(), self)
        add = QPushButton("添加")
        add.setObjectName(f"{rel}Add")
        remove = QPushButton("删除所选")
        remove.setObjectName(f"{rel}Remove")
        add.clicked.connect(self._add)
        remove.clicked.connect(self._remove)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addWidget(self.marker, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        self._loading = False

    def items(self) -> list[Any]:
        return getattr(self.owner.target, self.rel) if self.owner.target is not None else []

    def refresh(self) -> None:
        self._loading = True
        try:
            items = self.items()
            resized = self.table.rowCount() != len(items)
            self.table.setRowCount(len(items))
            for r, item in enumerate(items):
                for c, (attr, _label) in enumerate(self.columns):
                    text = getattr(item, attr) or ""
                    cell = self.table.item(r, c)
                    # Update in place: this runs inside itemChanged while an edit commits, so
                    # the item being edited must not be replaced.
                    if cell is None:
                        self.table.setItem(r, c, QTableWidgetItem(text))
                        resized = True
                    elif cell.text() != text:
                        cell.setText(text)
                        resized = True
            if resized:
                self.table.resizeRowsToContents()
        finally:
            self._loading = False

    def set_item_findings(self, findings: list[Finding]) -> None:
        """Mark the rows that findings point at (``item``, 1-based): fill, icon and tooltip."""
        by_item: dict[int, list[Finding]] = {}
        for f in findings:
            if f.item is not None and not f.waived:
                by_item.setdefault(f.item, []).append(f)
        self._loading = True
        try:
            for r in range(self.table.rowCount()):
                mine = by_item.get(r + 1, [])
                sev = worst_severity([f.severity for f in mine])
                tip = "\n".join(marker_line(f) for f in mine)
                for c in range(self.table.columnCount()):
                    cell = self.table.item(r, c)
                    if cell is None:
                        continue
                    cell.setBackground(QColor(TINT[sev]) if sev else QColor(0, 0, 0, 0))
                    cell.setToolTip(tip)
                    if c == 0:
                        cell.setIcon(marker_icon(sev) if sev else QIcon())
        finally:
            self._loading = False

    def _changed(self, cell: QTableWidgetItem) -> None:
        if self._loading:
            return
        items = self.items()
        if cell.row() >= len(items):
            return
        attr = self.columns[cell.column()][0]
        obj = items[cell.row()]
        value = cell.text()
        if (getattr(obj, attr) or "") == value:
            return
        changes = [(obj, attr, value or None)]
        if attr == "goal_text" and not obj.goal_label:
            changes.append((obj, "goal_label", "绩效目标："))
        self.owner.edits.set_fields(changes, f"修改{self.title()}")

    def _add(self) -> None:
        doc = self.owner.target
        if doc is None:
            return
        row = self.table.currentRow() + 1 if self.table.currentRow() >= 0 else len(self.items())
        values = {"title": "新分项", "goal_label": "绩效目标："} if self.rel == "subgoals" else {"title": "新措施"}
        self.owner.edits.insert_row(doc, self.rel, row, values, f"添加{self.title()}")

    def _remove(self) -> None:
        doc = self.owner.target
        row = self.table.currentRow()
        if doc is None or row < 0 or row >= len(self.items()):
            return
        self.owner.edits.delete_rows(doc, self.rel, [row], f"删除{self.title()}")


class Part1Form(_FormBase):
    """第一部分 部门整体绩效目标: 总体绩效目标, 分项绩效目标, 工作保障措施."""

    def __init__(self, edits: Edits, parent: QWidget | None = None) -> None:
        super().__init__(edits, parent)
        self.setObjectName("part1Form")
        body = QWidget()
        layout = QVBoxLayout(body)
        self.title = QLabel()
        self.title.setObjectName("part1Title")
        font = self.title.font()
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        self.title.setFont(font)
        layout.addWidget(self.title)
        row = QHBoxLayout()
        row.addWidget(QLabel("单位行（表头）"))
        row.addWidget(self._line("unit_line", "如 422001曹妃甸区市场监督管理局本级"), 1)
        layout.addLayout(row)
        layout.addWidget(QLabel("一、总体绩效目标"))
        layout.addWidget(self._text("overall_text", "本单位年度总体绩效目标", 140))
        self.subgoals = _ItemsTable("二、分项绩效目标", "subgoals",
                                    [("title", "名称"), ("goal_text", "绩效目标"), ("indicator_text", "绩效指标")], self)
        self.measures = _ItemsTable("三、工作保障措施", "measures", [("title", "标题"), ("text", "内容")], self)
        self.fields["subgoals"] = self.subgoals.marker
        self.fields["measures"] = self.measures.marker
        layout.addWidget(self.subgoals, 2)
        layout.addWidget(self.measures, 1)
        self.setWidget(body)
        self.setEnabled(False)

    def label_of(self, field: str) -> str:
        return {"unit_line": "单位行", "overall_text": "总体绩效目标"}.get(field, field)

    def changes_for(self, field: str, value: str | None) -> list[tuple[Any, str, Any]]:
        changes: list[tuple[Any, str, Any]] = [(self.target, field, value)]
        doc = self.target
        if field == "overall_text" and not doc.has_part1:
            changes.append((doc, "has_part1", True))
            if not doc.overall_label:
                changes.append((doc, "overall_label", "总体绩效信息："))
        return changes

    def set_document(self, doc: Document) -> None:
        self.commit_pending()
        self.target = doc
        self._dirty.clear()
        self.setEnabled(True)
        self.refresh()

    def refresh(self) -> None:
        if self.target is None:
            return
        doc = self.target
        self.title.setText(f"{doc.year}年度 {doc.unit.code} {doc.unit.name} — 部门整体绩效目标")
        self._loading = True
        try:
            for field in ("unit_line", "overall_text"):
                if field in self._dirty:
                    continue
                ed = self.fields[field].editor
                value = getattr(doc, field) or ""
                if self._value_of(ed) != value:
                    with QSignalBlocker(ed):
                        ed.setPlainText(value) if isinstance(ed, QPlainTextEdit) else ed.setText(value)  # type: ignore[attr-defined]
        finally:
            self._loading = False
        self.subgoals.refresh()
        self.measures.refresh()
        placed = getattr(self, "_findings", {})
        self.subgoals.set_item_findings(placed.get("subgoals", []))
        self.measures.set_item_findings(placed.get("measures", []))

    def set_findings(self, findings: list[Finding]) -> None:
        """Findings of the document not tied to a project (part 1)."""
        placed = self._place_findings([f for f in findings if f.project is None])
        self._findings = placed
        self.subgoals.set_item_findings(placed.get("subgoals", []))
        self.measures.set_item_findings(placed.get("measures", []))
