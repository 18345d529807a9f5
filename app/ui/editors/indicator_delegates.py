"""Cell editors of the indicator table, with Excel-like keys.

* 一级 / 二级: editable combo boxes offering the profile's framework (二级 of the row's 一级);
* 三级: line edit completing from the user's indicator library, with a live 15-字 counter;
* 绩效指标描述: multi-line text (Alt+Enter = line break);
* 指标值: line edit; Alt+. / Alt+, / Alt+= insert ≥ ≤ ＝; parsed live in the status line;
* 依据: editable combo offering the standard types.

Keys inside an editor: Enter commits and moves down (Shift+Enter up), Tab / Shift+Tab commit
and move right / left, Up / Down in one-line editors commit and move, Esc cancels. Text is
written back exactly as typed (no trimming); an editor left unchanged writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QApplication,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from app.services.validation.framework import (
    BASIS_TYPES,
    framework,
    level2_choices,
    level3_limit_bytes,
)
from app.services.workspace.indicator_library import gbk_length
from app.ui.editors.indicator_model import (
    COL_BASIS,
    COL_DESCRIPTION,
    COL_LEVEL1,
    COL_LEVEL2,
    COL_LEVEL3,
    COL_VALUE,
    IndicatorTableModel,
)

Index = QModelIndex | QPersistentModelIndex
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
QUICK_COMPARATORS: tuple[tuple[str, str], ...] = (("≥", "Alt+."), ("≤", "Alt+,"), ("＝", "Alt+="))


def level3_counter_text(text: str, limit_bytes: int = 30) -> tuple[str, bool]:
    """The counter shown while typing a 三级 name: ('12/15', over_limit).

    Counted as the validator does (GBK bytes of the normalised text), in 汉字 = 2 bytes.
    """
    size = gbk_length(text)
    return f"{(size + 1) // 2}/{limit_bytes // 2}", size > limit_bytes


class Level3Editor(QWidget):
    """Line edit with a live counter of the 15-字 limit (red when over)."""

    def __init__(self, parent: QWidget | None = None, limit_bytes: int = 30) -> None:
        super().__init__(parent)
        self.limit_bytes = limit_bytes
        self.setAutoFillBackground(True)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 2, 0)
        lay.setSpacing(2)
        self.line = QLineEdit(self)
        self.line.setFrame(False)
        self.counter = QLabel(self)
        self.counter.setObjectName("level3Counter")
        lay.addWidget(self.line, 1)
        lay.addWidget(self.counter)
        self.setFocusProxy(self.line)
        self.line.textChanged.connect(self._update)
        self._update(self.line.text())

    def _update(self, text: str) -> None:
        label, over = level3_counter_text(text, self.limit_bytes)
        self.counter.setText(label)
        self.counter.setToolTip(
            f"三级指标名称按GBK计{gbk_length(text)}字节，上限{self.limit_bytes}字节（{self.limit_bytes // 2}个汉字）"
        )
        self.counter.setStyleSheet("color:#c62828;font-weight:bold;" if over else "color:#666;")

    def over_limit(self) -> bool:
        return level3_counter_text(self.line.text(), self.limit_bytes)[1]


class ValueLineEdit(QLineEdit):
    """指标值 editor: quick inserts of comparators at the cursor."""

    def insert_comparator(self, comparator: str) -> None:
        """Insert ``comparator`` at the cursor (replacing the selection)."""
        self.insert(comparator)


class DescriptionEdit(QPlainTextEdit):
    """Multi-line text; the delegate handles Enter / Tab like a spreadsheet."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(False)
        self.setFrameShape(QPlainTextEdit.Shape.NoFrame)


def editor_text(editor: QWidget) -> str:
    """The text an editor holds (combo, line edit, multi-line, 三级 editor)."""
    if isinstance(editor, Level3Editor):
        return editor.line.text()
    if isinstance(editor, QComboBox):
        return editor.currentText()
    if isinstance(editor, QPlainTextEdit):
        return editor.toPlainText()
    if isinstance(editor, QLineEdit):
        return editor.text()
    return ""


def _completing(line: QLineEdit) -> bool:
    """Whether the line's completion list is open (keys then belong to the list)."""
    completer = line.completer()
    popup = completer.popup() if completer is not None else None
    return popup is not None and popup.isVisible()


def editor_line(editor: QWidget) -> QWidget:
    """The widget that has keyboard focus inside an editor."""
    if isinstance(editor, Level3Editor):
        return editor.line
    line = editor.lineEdit() if isinstance(editor, QComboBox) else None
    return line if line is not None else editor


class IndicatorDelegate(QStyledItemDelegate):
    """One delegate for every column; picks the editor by column.

    Signals:
        editingText(int, str): column and current text while an editor is open (status line).
        navigate(int, int): after a commit by Enter/Tab/arrow, move the current cell by (rows, cols).
    """

    editingText = Signal(int, str)
    navigate = Signal(int, int)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        profile: Callable[[], str | None],
        library: Callable[[str | None], list[str]],
    ) -> None:
        super().__init__(parent)
        self._profile = profile
        self._library = library
        self.active_editor: QWidget | None = None
        self.active_column = -1
        self.active_index = QPersistentModelIndex()
        self.replace_on_open = False  # set by the view when typing starts the edit
        self.closeEditor.connect(lambda editor, *_: editor.setProperty("closed", True))

    # -- editors ---------------------------------------------------------------------------

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        col = index.column()
        model: IndicatorTableModel = index.model()  # type: ignore[assignment]
        editor: QWidget
        if col in (COL_LEVEL1, COL_LEVEL2, COL_BASIS):
            combo = QComboBox(parent)
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            if col == COL_LEVEL1:
                items = list(framework(self._profile()))
            elif col == COL_LEVEL2:
                items = level2_choices(self._profile(), model.raw(index.row(), COL_LEVEL1))
            else:
                items = list(BASIS_TYPES)
            combo.addItems(items)
            combo.setCompleter(None)  # type: ignore[arg-type]  # None removes it; the stubs miss that
            combo.activated.connect(lambda _i, c=combo: self._finish(c, 0, 0))
            combo_line = combo.lineEdit()
            assert combo_line is not None  # an editable combo box
            combo_line.textEdited.connect(lambda t, c=col: self.editingText.emit(c, t))
            editor = combo
        elif col == COL_LEVEL3:
            l3 = Level3Editor(parent, level3_limit_bytes(self._profile()))
            level2 = model.raw(index.row(), COL_LEVEL2)
            completer = QCompleter(QStringListModel(self._library(level2), l3), l3)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            l3.line.setCompleter(completer)
            l3.line.textChanged.connect(lambda t, c=col: self.editingText.emit(c, t))
            editor = l3
        elif col == COL_DESCRIPTION:
            edit = DescriptionEdit(parent)
            edit.textChanged.connect(lambda e=edit, c=col: self.editingText.emit(c, e.toPlainText()))
            editor = edit
        else:
            line = ValueLineEdit(parent) if col == COL_VALUE else QLineEdit(parent)
            line.setFrame(False)
            line.textChanged.connect(lambda t, c=col: self.editingText.emit(c, t))
            editor = line
        editor.setProperty("cellEditor", True)
        inner = editor_line(editor)
        if inner is not editor:
            inner.installEventFilter(self)
        self.active_editor, self.active_column = editor, col
        self.active_index = QPersistentModelIndex(index)
        editor.destroyed.connect(lambda *_a, e=editor: self._forget(e))
        return editor

    def _forget(self, editor: QWidget) -> None:
        if self.active_editor is editor:
            self.active_editor, self.active_column = None, -1

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        model: IndicatorTableModel = index.model()  # type: ignore[assignment]
        text = "" if self.replace_on_open else model.raw(index.row(), index.column())
        self.replace_on_open = False
        editor.setProperty("originalText", model.raw(index.row(), index.column()))
        if isinstance(editor, QComboBox):
            editor.setEditText(text)
        elif isinstance(editor, Level3Editor):
            editor.line.setText(text)
            editor.line.selectAll()
        elif isinstance(editor, QPlainTextEdit):
            editor.setPlainText(text)
            editor.selectAll()
        elif isinstance(editor, QLineEdit):
            editor.setText(text)
            editor.selectAll()
        self.editingText.emit(index.column(), text)

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        text = editor_text(editor)
        if text != editor.property("originalText"):
            model.setData(index, text, Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: Index) -> None:
        rect = option.rect
        if isinstance(editor, QPlainTextEdit):
            rect = rect.adjusted(0, 0, 0, max(0, 4 * option.fontMetrics.height() - rect.height()))
        elif isinstance(editor, Level3Editor):
            rect = rect.adjusted(0, 0, max(0, 160 - rect.width()), 0)
        editor.setGeometry(rect)

    # -- keys ------------------------------------------------------------------------------

    def _container(self, obj: QObject) -> QWidget | None:
        w = obj if isinstance(obj, QWidget) else None
        while w is not None and not w.property("cellEditor"):
            w = w.parentWidget()
        return w

    def _finish(self, editor: QWidget, rows: int, cols: int) -> None:
        if editor.property("closed"):  # e.g. a combo emits activated while Esc closes it
            return
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        if rows or cols:
            self.navigate.emit(rows, cols)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        editor = self._container(obj)
        if event.type() == QEvent.Type.KeyPress and editor is not None \
                and self._handle_key(editor, event):  # type: ignore[arg-type]
            return True
        if event.type() == QEvent.Type.FocusOut and editor is not None and editor is not obj:
            self._inner_focus_out(editor, event)  # type: ignore[arg-type]
            return False
        if editor is not obj:
            # An inner widget (the line edit of a combo or of the 三级 editor): the default
            # filter only knows the editor itself; keys it ignores reach the editor anyway.
            return False
        return super().eventFilter(obj, event)

    def _inner_focus_out(self, editor: QWidget, event: QFocusEvent) -> None:
        """Focus left the line edit inside an editor: commit like Qt does for plain editors."""
        if event.reason() == Qt.FocusReason.PopupFocusReason or editor.property("closed"):
            return
        line = editor_line(editor)
        if isinstance(line, QLineEdit) and _completing(line):
            return
        w = QApplication.focusWidget()
        while w is not None:
            if w is editor:
                return
            w = w.parentWidget()
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def _handle_key(self, editor: QWidget, event: QKeyEvent) -> bool:
        key, mods = event.key(), event.modifiers()
        alt = bool(mods & Qt.KeyboardModifier.AltModifier)
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        line = editor_line(editor)
        if isinstance(line, QLineEdit) and _completing(line):
            return False
        if key in _ENTER:
            if alt:
                if isinstance(editor, QPlainTextEdit):
                    editor.insertPlainText("\n")
                return True
            self._finish(editor, -1 if shift else 1, 0)
            return True
        if key == Qt.Key.Key_Tab:
            self._finish(editor, 0, 1)
            return True
        if key == Qt.Key.Key_Backtab:
            self._finish(editor, 0, -1)
            return True
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and not alt and isinstance(line, QLineEdit) \
                and not isinstance(editor, QComboBox):
            self._finish(editor, -1 if key == Qt.Key.Key_Up else 1, 0)
            return True
        if alt and isinstance(editor, ValueLineEdit):
            comparator = {Qt.Key.Key_Period: "≥", Qt.Key.Key_Comma: "≤", Qt.Key.Key_Equal: "＝"}.get(key)  # type: ignore[call-overload]
            if comparator:
                editor.insert_comparator(comparator)
                return True
        return False
