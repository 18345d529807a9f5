"""The indicator-table editor of a project (一级 | 二级 | 三级 | 描述 | 指标值 | 依据).

Embedded by the main window. Every edit is an op pushed on the window's one undo history
(:class:`app.ui.commands.Edits`) and committed to the database at once; the editor mirrors
what changed from ``Edits.changed``, and the window revalidates and hands the findings back
via :meth:`set_findings`.

Interface::

    editor = IndicatorEditor(edits, parent=None)
    editor.set_project(doc, project)   # detached objects from documents.load_document
    editor.set_findings(findings)      # Finding(rule, severity, message, row (1-based), field)
    editor.focus_cell(row, field)      # row 1-based; field 'level1'…'basis' or None
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.models import Document, Project
from app.models.values import parse_value
from app.services.formats.clipboard import choose_grid, to_html, to_tsv
from app.services.storage.store import Store
from app.services.validation import SEVERITY_LABELS, Finding, worst_severity
from app.services.validation.framework import level3_limit_bytes
from app.services.workspace.changes import Changes
from app.services.workspace.indicator_library import level3_library, suggestions
from app.services.workspace.ops import Batch, FieldValue, Op, SetFields
from app.ui.commands import Edits
from app.ui.editors.indicator_delegates import (
    QUICK_COMPARATORS,
    IndicatorDelegate,
    ValueLineEdit,
    editor_line,
    level3_counter_text,
)
from app.ui.editors.indicator_model import (
    COL_LEVEL3,
    COL_VALUE,
    COLUMNS,
    EDITABLE_COLUMNS,
    FIELD_COLUMN,
    IndicatorTableModel,
    describe_value,
    findings_tooltip,
)
from app.ui.editors.indicator_view import IndicatorTableView
from app.ui.markers import INK
from app.ui.shortcuts import bind

_LEADING_COMPARATOR = re.compile(r"^\s*(>=|<=|≥|≤|≧|≦|＞|＜|＝|>|<|=)")
_COLUMN_WIDTHS = (90, 130, 170, 230, 110, 150, 140)


class IndicatorEditor(QWidget):
    """Toolbar + spreadsheet-like table + status line for one project's indicators."""

    def __init__(self, edits: Edits, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("indicatorEditor")
        self.edits = edits
        self.doc: Document | None = None
        self.project: Project | None = None
        self._library_cache: dict[str, list[str]] = {}

        self.model = IndicatorTableModel(edits, self)
        edits.changed.connect(self._changed)
        self.view = IndicatorTableView(self)
        self.view.setModel(self.model)
        self.delegate = IndicatorDelegate(self.view, profile=self._profile, library=self._library)
        self.view.setItemDelegate(self.delegate)
        for col, width in enumerate(_COLUMN_WIDTHS):
            self.view.setColumnWidth(col, width)
        self.delegate.navigate.connect(self.view.step)
        self.delegate.editingText.connect(self._on_editing_text)
        self.view.selectionModel().currentChanged.connect(lambda *_: self._update_status())
        self.model.dataChanged.connect(lambda *_: self._update_status())

        self.toolbar = QToolBar("指标表", self)
        self.toolbar.setObjectName("indicatorToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.status = QLabel(self)
        self.status.setObjectName("indicatorStatus")
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.status.setWordWrap(True)
        # A fixed two-line height: a status text that changed height would re-lay out (and
        # repaint) the whole table after every edit. The full text is in the tooltip.
        self.status.setFixedHeight(self.status.fontMetrics().lineSpacing() * 2 + 4)
        self.status.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.summary = QLabel(self)
        self.summary.setObjectName("indicatorSummary")
        self._build_actions()

        bottom = QHBoxLayout()
        bottom.setContentsMargins(4, 0, 4, 2)
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.summary)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.toolbar)
        lay.addWidget(self.view, 1)
        lay.addLayout(bottom)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self._set_enabled()
        self._update_status()

    # -- public interface --------------------------------------------------------------------

    def set_project(self, doc: Document | None, project: Project | None) -> None:
        """Show ``project`` of ``doc`` (detached objects kept in step by the workspace)."""
        self.doc, self.project = doc, project
        self._library_cache.clear()
        self.model.set_project(project)
        if self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(0, COL_LEVEL3))
        self._set_enabled()
        self._update_status()

    def set_findings(self, findings: Iterable[Finding]) -> None:
        """Mark the cells the findings of this project point at (tint + icon + tooltip)."""
        # Finding.project is the 1-based position of the project in its document; findings
        # of other projects or of part 1 may be passed too and are left out.
        position = self._project_position()
        mine = [f for f in findings if f.project == position]
        self.model.set_findings(mine)
        self._update_summary(mine)
        self._update_status()

    def focus_cell(self, row: int | None, field: str | None) -> None:
        """Make cell (1-based ``row``, ``field``) current, scroll to it and focus the table."""
        if row is not None and 1 <= row <= self.model.rowCount():
            col = FIELD_COLUMN.get(field or "", self.view.currentIndex().column())
            idx = self.model.index(row - 1, max(0, col))
            self.view.setCurrentIndex(idx)
            self.view.scrollTo(idx)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- plumbing ----------------------------------------------------------------------------

    def _project_position(self) -> int | None:
        if self.doc is None or self.project is None:
            return None
        for n, p in enumerate(self.doc.projects, start=1):
            if p is self.project:
                return n
        return None

    def _profile(self) -> str | None:
        return self.doc.profile if self.doc is not None else None

    def _library(self, level2: str | None) -> list[str]:
        """Completion list for 三级: names used under this 二级 first, then the whole library."""
        key = (level2 or "").strip()
        if key not in self._library_cache:
            if "" not in self._library_cache:
                self._library_cache[""] = level3_library(self.store)
            first = suggestions(self.store, key) if key else []
            self._library_cache[key] = first + [n for n in self._library_cache[""] if n not in set(first)]
        return self._library_cache[key]

    @property
    def store(self) -> Store:
        return self.edits.store

    def _changed(self, changes: Changes) -> None:
        """After every op (do, undo, redo): mirror what changed in the shown project."""
        self.model.apply_changes(changes)
        if "level3" in changes.fields or changes.row_lists or changes.structural:
            self._library_cache.clear()  # a new 三级 name joins the library
        self._set_enabled()

    def _set_enabled(self) -> None:
        has_project = self.project is not None
        has_rows = self.model.rowCount() > 0
        for action in self._row_actions:
            action.setEnabled(has_rows)
        for action in (self.act_insert_above, self.act_insert_below, self.act_paste):
            action.setEnabled(has_project)

    # -- actions -----------------------------------------------------------------------------

    def _action(self, text: str, shortcut: str | None, slot: Callable[[], Any], tip: str = "") -> QAction:
        """An editor action; ``shortcut`` names its keys in app/ui/shortcuts.py."""
        act = QAction(text, self)
        if shortcut:
            bind(act, shortcut)
        act.setToolTip(f"{tip or text}（{act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)}）" if shortcut else tip or text)
        act.triggered.connect(lambda _checked=False: slot())
        self.addAction(act)
        self.view.key_actions.append(act)
        return act

    def _build_actions(self) -> None:
        # Actions other parts of the window add to the table's context menu (添加审核意见).
        self.extra_actions: list[QAction] = []
        self.act_insert_above = self._action("上方插入行", "insert_above", lambda: self.insert_row(below=False))
        self.act_insert_below = self._action("下方插入行", "insert_below", lambda: self.insert_row(below=True))
        self.act_delete_rows = self._action("删除行", "delete_rows", self.delete_rows, "删除所选行")
        self.act_move_up = self._action("上移", "move_rows_up", lambda: self.move_rows(-1), "所选行上移")
        self.act_move_down = self._action("下移", "move_rows_down", lambda: self.move_rows(1), "所选行下移")
        self.act_fill_down = self._action("向下填充", "fill_down", self.fill_down, "用首行内容填充所选区域")
        self.act_copy = self._action("复制", "copy", self.copy)
        self.act_cut = self._action("剪切", "cut", self.cut)
        self.act_paste = self._action("粘贴", "paste", self.paste, "粘贴（可从Excel/WPS复制的区域）")
        self.act_clear = self._action("清除内容", "clear", self.clear_cells)
        self.act_fill_selection = self._action("填充所选单元格", "fill_selection", self.fill_selection,
                                               "把正在输入的内容填入所有所选单元格")
        self.act_today = self._action("插入今天日期", "today", self.insert_today)
        # Values a refused write left in their cells (app/ui/unsaved.py): saved again or dropped.
        self.act_retry_unsaved = QAction("重试保存", self)
        self.act_retry_unsaved.setObjectName("retryUnsaved")
        self.act_retry_unsaved.triggered.connect(lambda _c=False: self.edits.retry_unsaved())
        self.act_abandon_unsaved = QAction("放弃未保存的修改", self)
        self.act_abandon_unsaved.setObjectName("abandonUnsaved")
        self.act_abandon_unsaved.triggered.connect(lambda _c=False: self.edits.unsaved.abandon())
        self._row_actions = [
            self.act_delete_rows, self.act_move_up, self.act_move_down, self.act_fill_down,
            self.act_copy, self.act_cut, self.act_clear, self.act_fill_selection, self.act_today,
        ]
        for act in (self.act_insert_above, self.act_insert_below, self.act_delete_rows,
                    self.act_move_up, self.act_move_down):
            self.toolbar.addAction(act)
        self.toolbar.addSeparator()
        for act in (self.act_fill_down, self.act_copy, self.act_paste):
            self.toolbar.addAction(act)
        self.toolbar.addSeparator()
        self.comparator_actions: dict[str, QAction] = {}
        for comparator, shortcut in zip((c for c, _key in QUICK_COMPARATORS),
                                        ("comparator_ge", "comparator_le", "comparator_eq"), strict=True):
            act = self._action(comparator, shortcut, functools.partial(self.insert_comparator, comparator),
                               f"在指标值中插入“{comparator}”")
            self.comparator_actions[comparator] = act
            self.toolbar.addAction(act)
            button = self.toolbar.widgetForAction(act)
            if isinstance(button, QToolButton):
                # Clicking must not take focus away from an open cell editor.
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for button in self.toolbar.findChildren(QToolButton):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def _context_menu(self, pos: Any) -> None:
        menu = QMenu(self)
        if self.edits.unsaved:
            menu.addAction(self.act_retry_unsaved)
            menu.addAction(self.act_abandon_unsaved)
            menu.addSeparator()
        extra = [None, *self.extra_actions] if self.extra_actions else []
        for act in (self.act_cut, self.act_copy, self.act_paste, self.act_clear, None,
                    self.act_insert_above, self.act_insert_below, self.act_delete_rows, None,
                    self.act_move_up, self.act_move_down, self.act_fill_down, *extra):
            if act is None:
                menu.addSeparator()
            else:
                menu.addAction(act)
        menu.popup(self.view.viewport().mapToGlobal(pos))

    # -- selection ---------------------------------------------------------------------------

    def selected_block(self) -> tuple[int, int, int, int] | None:
        """(top, left, bottom, right) bounding the selection, or the current cell."""
        indexes = self.view.selectionModel().selectedIndexes()
        if not indexes:
            cur = self.view.currentIndex()
            if not cur.isValid():
                return None
            indexes = [cur]
        rows = [i.row() for i in indexes]
        cols = [i.column() for i in indexes]
        return min(rows), min(cols), max(rows), max(cols)

    def selected_rows(self) -> list[int]:
        rows = {i.row() for i in self.view.selectionModel().selectedIndexes()}
        if not rows and self.view.currentIndex().isValid():
            rows = {self.view.currentIndex().row()}
        return sorted(rows)

    # -- editing operations (each is ONE undo step) -------------------------------------------

    def copy(self) -> None:
        """Put the selected block on the clipboard as TSV and as an HTML table."""
        block = self.selected_block()
        if block is None:
            return
        top, left, bottom, right = block
        grid = [[self.model.raw(r, c) for c in range(left, right + 1)] for r in range(top, bottom + 1)]
        mime = QMimeData()
        mime.setText(to_tsv(grid))
        mime.setHtml(to_html(grid))
        QApplication.clipboard().setMimeData(mime)

    def cut(self) -> None:
        self.copy()
        self.clear_cells(text="剪切")

    def paste(self) -> None:
        """Paste TSV or an HTML table at the current cell; rows are added as needed."""
        mime = QApplication.clipboard().mimeData()
        if mime is None or self.project is None:
            return
        grid = choose_grid(mime.text() if mime.hasText() else None, mime.html() if mime.hasHtml() else None)
        if not grid:
            return
        block = self.selected_block() or (0, 0, 0, 0)
        top, left = block[0], block[1]
        if len(grid) == 1 and len(grid[0]) == 1:  # one value fills the whole selection
            grid = [[grid[0][0]] * (block[3] - block[1] + 1) for _ in range(block[2] - block[0] + 1)]
        width = min(len(grid[0]), EDITABLE_COLUMNS - left)
        if width <= 0:
            return
        self.paste_grid(top, left, [row[:width] for row in grid])

    def paste_grid(self, top: int, left: int, grid: list[list[str]]) -> None:
        """Write ``grid`` with its top-left at (top, left), adding rows at the end if needed."""
        assert self.project is not None
        n_rows = self.model.rowCount()
        cells: list[tuple[int, int, str]] = []
        new_rows: list[dict[str, str]] = []
        for r, row in enumerate(grid):
            target = top + r
            if target < n_rows:
                cells.extend((target, left + c, value) for c, value in enumerate(row))
            else:
                new_rows.append({COLUMNS[left + c].attr: value for c, value in enumerate(row)})  # type: ignore[misc]
        ops: list[Op] = []
        changes = self.model.cell_changes(cells)
        if changes:
            ref_of = self.edits.workspace.ref_of
            ops.append(SetFields(tuple(FieldValue(ref_of(o), f, v) for o, f, v in changes)))
        start = len(self.project.indicators)
        ops += [self.edits.insert_ops(self.project, "indicators", start + k, values) for k, values in enumerate(new_rows)]
        if ops:
            self.edits.push(ops[0] if len(ops) == 1 else Batch(tuple(ops)), "粘贴")
        self.view.select_block(top, left, top + len(grid) - 1, left + len(grid[0]) - 1)

    def fill_down(self) -> None:
        """Excel Ctrl+D: the top row of the selection fills the rows below it (one cell: from above)."""
        block = self.selected_block()
        if block is None:
            return
        top, left, bottom, right = block
        right = min(right, EDITABLE_COLUMNS - 1)
        if top == bottom:
            if top == 0:
                return
            source, targets = top - 1, [top]
        else:
            source, targets = top, list(range(top + 1, bottom + 1))
        cells = [(r, c, self.model.raw(source, c)) for r in targets for c in range(left, right + 1)]
        self.model.set_cells(cells, "向下填充")

    def clear_cells(self, text: str = "清除内容") -> None:
        indexes = self.view.selectionModel().selectedIndexes() or [self.view.currentIndex()]
        cells = [(i.row(), i.column(), "") for i in indexes if i.isValid() and i.column() < EDITABLE_COLUMNS]
        self.model.set_cells(cells, text if isinstance(text, str) else "清除内容")

    def insert_row(self, below: bool = True) -> None:
        """Insert an indicator row above/below the current one (一级/二级 taken from it)."""
        if self.project is None:
            return
        cur = self.view.currentIndex()
        n = self.model.rowCount()
        if cur.isValid():
            ref = cur.row()
            index = ref + 1 if below else ref
            src = self.model.indicator(ref)
            values: dict[str, Any] = {"level1": src.level1, "level2": src.level2}
        else:
            index, values = (n if below else 0), {}
        column = cur.column() if cur.isValid() else COL_LEVEL3
        self.edits.insert_row(self.project, "indicators", index, values, "插入指标行")
        self.view.setCurrentIndex(self.model.index(index, column))

    def delete_rows(self) -> None:
        rows = self.selected_rows()
        if self.project is None or not rows:
            return
        column = max(0, self.view.currentIndex().column())
        self.edits.delete_rows(self.project, "indicators", rows,
                               "删除指标行" if len(rows) == 1 else f"删除{len(rows)}行指标")
        n = self.model.rowCount()
        if n:
            self.view.setCurrentIndex(self.model.index(min(rows[0], n - 1), column))

    def move_rows(self, delta: int) -> None:
        """Move the selected contiguous rows one up (-1) or down (+1): one undo step."""
        rows = self.selected_rows()
        if self.project is None or not rows or rows != list(range(rows[0], rows[-1] + 1)):
            return
        first, last = rows[0], rows[-1]
        n = self.model.rowCount()
        if delta < 0 and first > 0:
            src, dst, text = first - 1, last, "上移指标行"
        elif delta > 0 and last < n - 1:
            src, dst, text = last + 1, first, "下移指标行"
        else:
            return
        block = self.selected_block()
        self.edits.move_row(self.project, "indicators", src, dst, text)
        if block is not None:
            self.view.select_block(block[0] + delta, block[1], block[2] + delta, block[3])

    def fill_selection(self) -> None:
        """Excel Ctrl+Enter: what is typed in the open cell goes into every selected cell (one step)."""
        editor = self.delegate.active_editor
        if editor is not None:
            line = editor_line(editor)
            text = line.text() if isinstance(line, QLineEdit) else editor.toPlainText() \
                if isinstance(editor, QPlainTextEdit) else None
            if text is None:
                return
            self.delegate.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.RevertModelCache)
        else:
            cur = self.view.currentIndex()
            if not cur.isValid():
                return
            text = self.model.raw(cur.row(), cur.column())
        indexes = self.view.selectionModel().selectedIndexes() or [self.view.currentIndex()]
        cells = [(i.row(), i.column(), text) for i in indexes if i.isValid() and i.column() < EDITABLE_COLUMNS]
        self.model.set_cells(cells, "填充所选单元格")

    def insert_today(self) -> None:
        """Excel Ctrl+;: today's date into the open cell, or into the current cell."""
        today = date.today()
        text = f"{today.year}年{today.month}月{today.day}日"
        editor = self.delegate.active_editor
        line = editor_line(editor) if editor is not None else None
        if isinstance(line, QLineEdit):
            line.insert(text)
        elif isinstance(editor, QPlainTextEdit):
            editor.insertPlainText(text)
        else:
            cur = self.view.currentIndex()
            if cur.isValid() and cur.column() < EDITABLE_COLUMNS:
                self.model.set_cells([(cur.row(), cur.column(), text)], "插入今天日期")

    def insert_comparator(self, comparator: str) -> None:
        """≥ ≤ ＝: insert into the open 指标值 editor, or set the current row's comparator."""
        editor = self.delegate.active_editor
        if isinstance(editor, ValueLineEdit):
            editor.insert_comparator(comparator)
            return
        cur = self.view.currentIndex()
        if not cur.isValid():
            return
        raw = self.model.raw(cur.row(), COL_VALUE)
        new = comparator + _LEADING_COMPARATOR.sub("", raw, count=1).lstrip() if raw.strip() else comparator
        self.model.set_cells([(cur.row(), COL_VALUE, new)], f"指标值改为“{comparator}”")
        self.view.setCurrentIndex(self.model.index(cur.row(), COL_VALUE))

    # -- status line ----------------------------------------------------------------------------

    def _on_editing_text(self, column: int, text: str) -> None:
        self._update_status(column, text)

    def _update_status(self, column: int | None = None, text: str | None = None) -> None:
        cur = self.view.currentIndex()
        if column is not None and self.delegate.active_index.isValid():
            cur = self.model.index(self.delegate.active_index.row(), self.delegate.active_index.column())
        if not cur.isValid():
            self.status.setText("")
            return
        if column is None or text is None:
            column, text = cur.column(), self.model.raw(cur.row(), cur.column())
        parts = []
        if column == COL_LEVEL3:
            limit = level3_limit_bytes(self._profile())
            label, over = level3_counter_text(text, limit)
            color = "#c62828" if over else "#444"
            note = f"（超过{limit // 2}个汉字，省级系统将截断）" if over else ""
            parts.append(f"三级指标字数 <b style='color:{color}'>{label}</b>{note}")
        row_raw = self.model.raw(cur.row(), COL_VALUE) if column != COL_VALUE else text
        parsed = describe_value(parse_value(row_raw)) or "（空）"
        parts.append(f"指标值解析：<b>{html.escape(parsed)}</b>")
        findings = self.model.cell_findings(cur.row(), cur.column())
        if findings:
            worst = worst_severity(f.severity for f in findings) or "hint"
            parts.append(f"<span style='color:{INK.get(worst, '#444')}'>"
                         f"{html.escape(findings_tooltip(findings)).replace(chr(10), '；')}</span>")
        header = f"第{cur.row() + 1}行 · {COLUMNS[cur.column()].header}"
        text = f"{header}　" + "　".join(parts)
        self.status.setText(text)
        self.status.setToolTip(text)

    def _update_summary(self, findings: list[Finding]) -> None:
        counts = dict.fromkeys(SEVERITY_LABELS, 0)
        for f in findings:
            if not f.waived:
                counts[f.severity] = counts.get(f.severity, 0) + 1
        table = self.model.table_findings
        text = "本表：" + "　".join(f"{label}{counts[sev]}" for sev, label in SEVERITY_LABELS.items())
        self.summary.setText(text)
        self.summary.setToolTip(findings_tooltip(table) if table else "")

