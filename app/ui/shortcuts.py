"""The one table of keyboard shortcuts, and the check that no two of them collide.

Keys keep the habits of Excel / WPS in the indicator table (Ctrl+D fill down, Ctrl+; today,
F2 edit, Delete clear, Ctrl+Enter fill the selection). Two actions may share a key only when
they are never active together: e.g. F2 renames a project in the tree and edits a cell in
the table, because each is bound to its own widget. 导入 is Ctrl+Shift+O (open a file) so
that Ctrl+I stays 下方插入行 as in WPS.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

Key = str | QKeySequence.StandardKey

# name -> keys. "window": anywhere in the main window; "tree", "table": only while that
# widget (or a child, such as a cell editor) has the focus.
SHORTCUTS: dict[str, tuple[str, tuple[Key, ...]]] = {
    # 文件
    "import": ("window", ("Ctrl+Shift+O",)),
    "print": ("window", (QKeySequence.StandardKey.Print,)),
    "audit_report": ("window", ("Ctrl+R",)),
    "new_unit": ("window", (QKeySequence.StandardKey.New,)),
    "open_database": ("window", (QKeySequence.StandardKey.Open,)),
    "quit": ("window", ("Ctrl+Q",)),
    # 编辑
    "undo": ("window", (QKeySequence.StandardKey.Undo,)),
    "redo": ("window", ("Ctrl+Y", "Ctrl+Shift+Z")),
    "find": ("window", ("Ctrl+F",)),
    "replace": ("window", ("Ctrl+H",)),
    # 项目树
    "new_project": ("tree", ("Ctrl+Shift+N",)),
    "rename_project": ("tree", ("F2",)),
    "move_project_up": ("tree", ("Alt+Up",)),
    "move_project_down": ("tree", ("Alt+Down",)),
    # 视图 / 帮助
    "revalidate": ("window", ("F5",)),
    "fold_form": ("window", ("Ctrl+Shift+M",)),
    "guide": ("window", (QKeySequence.StandardKey.HelpContents,)),
    # 绩效指标表
    "insert_above": ("table", ("Ctrl+Shift+I",)),
    "insert_below": ("table", ("Ctrl+I",)),
    "delete_rows": ("table", ("Ctrl+-",)),
    "move_rows_up": ("table", ("Alt+Shift+Up",)),
    "move_rows_down": ("table", ("Alt+Shift+Down",)),
    "fill_down": ("table", ("Ctrl+D",)),
    "fill_selection": ("table", ("Ctrl+Return", "Ctrl+Enter")),
    "today": ("table", ("Ctrl+;",)),
    "copy": ("table", (QKeySequence.StandardKey.Copy,)),
    "cut": ("table", (QKeySequence.StandardKey.Cut,)),
    "paste": ("table", (QKeySequence.StandardKey.Paste,)),
    "clear": ("table", (QKeySequence.StandardKey.Delete,)),
    "comparator_ge": ("table", ("Alt+.",)),
    "comparator_le": ("table", ("Alt+,",)),
    "comparator_eq": ("table", ("Alt+=",)),
}


def keys(name: str) -> list[QKeySequence]:
    """The key sequences of shortcut ``name`` (a standard key may stand for several)."""
    out: list[QKeySequence] = []
    for k in SHORTCUTS[name][1]:
        out += QKeySequence.keyBindings(k) if isinstance(k, QKeySequence.StandardKey) else [QKeySequence(k)]
    return out


def bind(action: QAction, name: str) -> QAction:
    """Give ``action`` the keys of ``name``; a widget-bound shortcut acts only in its widget."""
    action.setShortcuts(keys(name))
    if SHORTCUTS[name][0] != "window":
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    return action


def _scopes(action: QAction, window: QWidget) -> list[QWidget]:
    """The widgets within which ``action``'s shortcut is live."""
    context = action.shortcutContext()
    if context in (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut):
        return [window]
    return [w for w in action.associatedObjects() if isinstance(w, QWidget) and not w.inherits("QMenu")]


def _overlap(a: QWidget, b: QWidget) -> bool:
    return a is b or a.isAncestorOf(b) or b.isAncestorOf(a)


def conflicts(window: QWidget, actions: Iterable[QAction] | None = None) -> list[tuple[str, str, str]]:
    """(key, action, action) for every two actions that one key would trigger at once."""
    found = []
    pool = [a for a in (actions if actions is not None else window.findChildren(QAction)) if a.shortcuts()]
    for i, a in enumerate(pool):
        for b in pool[i + 1:]:
            shared = {s.toString() for s in a.shortcuts()} & {s.toString() for s in b.shortcuts()}
            if not shared:
                continue
            if any(_overlap(x, y) for x in _scopes(a, window) for y in _scopes(b, window)):
                found += [(k, a.text(), b.text()) for k in sorted(shared)]
    return found
