"""The main window's menu bar, as tables: one row per entry, in menu order.

A row names its text, what it runs (called with the window when triggered), the shortcut's
name in :mod:`app.ui.shortcuts` (keys live only there), the window attribute that holds the
QAction and its objectName. Entries that are more than an action (the 导出 submenu, 审核报告,
字体, 最近的数据库, undo/redo, the dock toggles) are small builder functions in the table.
Other parts add their own entries afterwards (the bureau's after 导入, before 导出).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from app.ui.shortcuts import bind

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


@dataclass(frozen=True)
class Item:
    """One menu action."""

    text: str
    run: Callable[[MainWindow], object]
    key: str | None = None  # shortcut name in app/ui/shortcuts.py
    attr: str | None = None  # window attribute holding the action (tests, other modules)
    name: str | None = None  # objectName
    tree: bool = False  # also in the project tree's context menu; its key works only there


@dataclass(frozen=True)
class Sep:
    """A separator (``tree``: in the project tree's context menu too)."""

    tree: bool = False


Builder = Callable[["MainWindow", QMenu], None]
Entry = Item | Sep | Builder

EXPORT_FORMATS = (("docx", "Word 文档（docx）…"), ("xlsx", "Excel 工作簿（xlsx）…"),
                  ("pdf", "PDF…"), ("json", "PerfGoals 数据（json）…"))


def _export_menu(w: MainWindow, menu: QMenu) -> None:
    export_menu = menu.addMenu("导出(&E)")
    export_menu.setObjectName("menuExport")
    w.export_actions = {fmt: add_action(w, export_menu, Item(label, partial(_export, fmt=fmt)))
                        for fmt, label in EXPORT_FORMATS}


def _export(w: MainWindow, fmt: str) -> object:
    return w.files.export_as(fmt)


def _report_and_font(w: MainWindow, menu: QMenu) -> None:
    from app.ui.audit_report import add_report_menu
    from app.ui.font_menu import FontMenu, include_calendar, set_include_calendar

    w.report_actions = add_report_menu(w, menu)
    w.font_menu = FontMenu(w)
    menu.addMenu(w.font_menu)
    action = QAction("打印和PDF包含资金支出计划页", w)
    action.setObjectName("actionPrintCalendar")
    action.setCheckable(True)
    action.setChecked(include_calendar())
    action.toggled.connect(set_include_calendar)
    menu.addAction(action)
    w.action_print_calendar = action


def _recent_menu(w: MainWindow, menu: QMenu) -> None:
    w.recent_menu = menu.addMenu("最近的数据库")
    w.recent_menu.setObjectName("menuRecent")
    w.recent_menu.aboutToShow.connect(w.files.rebuild_recent_menu)
    w.files.recent_menu = w.recent_menu


def _undo_redo(w: MainWindow, menu: QMenu) -> None:
    w.action_undo = bind(w.undo_stack.createUndoAction(w, "撤销"), "undo")
    w.action_redo = bind(w.undo_stack.createRedoAction(w, "重做"), "redo")
    menu.addAction(w.action_undo)
    menu.addAction(w.action_redo)


def _dock_toggles(w: MainWindow, menu: QMenu) -> None:
    for dock, text in ((w.tree_dock, "项目树"), (w.problems_dock, "问题面板")):
        toggle = dock.toggleViewAction()
        toggle.setText(text)
        menu.addAction(toggle)


def _copy_indicators(w: MainWindow) -> object:
    from app.ui.copy_indicators import copy_indicators

    return copy_indicators(w)


def _find(w: MainWindow, replace: bool = False) -> object:
    from app.ui.find_replace import open_find_replace

    return open_find_replace(w, replace)


def menu_table() -> list[tuple[str, str, list[Entry]]]:
    """Title, objectName and entries of each menu, left to right (a function: the rows refer to
    the window's parts, whose types mypy learns only after main_window.py)."""
    file: list[Entry] = [
        Item("导入(&I)…", lambda w: w.files.import_files(), "import", "action_import"),
        _export_menu,
        Item("打印预览(&V)…", lambda w: w.files.print_preview(), attr="action_print_preview"),
        Item("打印(&P)…", lambda w: w.files.print_documents(), "print", "action_print"),
        _report_and_font,
        Sep(),
        Item("新建单位(&N)…", lambda w: w.tree_ops.new_unit(), "new_unit", "action_new_unit"),
        Item("打开示例文档", lambda w: w.files.open_sample()),
        Sep(),
        Item("新建数据库…", lambda w: w.files.new_database_dialog()),
        Item("打开数据库(&O)…", lambda w: w.files.open_database_dialog(), "open_database"),
        Item("连接服务器数据库…", lambda w: w.files.connect_server_dialog(), attr="action_connect_server",
             name="actionConnectServer"),
        _recent_menu,
        Sep(),
        Item("退出(&X)", lambda w: w.close(), "quit"),
    ]

    edit: list[Entry] = [
        _undo_redo,
        Sep(),
        Item("查找(&F)…", _find, "find", "action_find"),
        Item("替换(&H)…", lambda w: _find(w, True), "replace", "action_replace"),
        Item("从其他项目复制指标…", _copy_indicators, attr="action_copy_indicators"),
        Sep(),
        # The project tree's entries: in its context menu too, and their keys work only there
        # (in the indicator table F2 edits a cell). They land in window.tree_actions by text.
        Item("新建项目", lambda w: w.tree_ops.new_project(), "new_project", tree=True),
        Item("重命名项目…", lambda w: w.tree_ops.rename_project(), "rename_project", tree=True),
        Item("复制项目", lambda w: w.tree_ops.duplicate_project(), tree=True),
        Item("删除项目…", lambda w: w.tree_ops.delete_project(), tree=True),
        Item("上移项目", lambda w: w.tree_ops.move_project(-1), "move_project_up", tree=True),
        Item("下移项目", lambda w: w.tree_ops.move_project(1), "move_project_down", tree=True),
        Sep(tree=True),
        Item("延续项目到下一年度…", lambda w: w.tree_ops.carry_project_over(), tree=True),
        Item("延续整个单位到下一年度…", lambda w: w.tree_ops.carry_unit_over(), tree=True),
        Sep(tree=True),
        Item("删除单位（本年度）…", lambda w: w.tree_ops.delete_unit(), tree=True),
    ]

    view: list[Entry] = [
        _dock_toggles,
        Sep(),
        Item("重新校验(&R)", lambda w: w.validation.revalidate_current(), "revalidate"),
        Sep(),
        Item("收起/展开项目信息", lambda w: w.project_fold.set_folded(not w.project_fold.folded), "fold_form",
             "action_fold_form"),
        Item("恢复默认布局", lambda w: w.layout_state.reset(), attr="action_reset_layout"),
    ]

    help_: list[Entry] = [
        Item("填报指南(&G)", lambda w: w.show_guide(), "guide"),
        Item("关于(&A)", lambda w: w.about()),
    ]
    return [
        ("文件(&F)", "menuFile", file),
        ("编辑(&E)", "menuEdit", edit),
        ("视图(&V)", "menuView", view),
        ("帮助(&H)", "menuHelp", help_),
    ]


def add_action(w: MainWindow, menu: QMenu, item: Item) -> QAction:
    """Add ``item`` to ``menu`` (and to the tree's context menu when it is a tree entry)."""
    action = QAction(item.text, w)
    action.triggered.connect(lambda _checked=False: item.run(w))
    if item.key:
        bind(action, item.key)
    if item.name:
        action.setObjectName(item.name)
    if item.attr:
        setattr(w, item.attr, action)
    if item.tree:
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        w.tree.addAction(action)
        w.tree_actions[item.text] = action
    menu.addAction(action)
    return action


def build_menus(w: MainWindow) -> None:
    """Fill the window's menu bar from :func:`menu_table`."""
    w.tree_actions = {}
    for title, name, entries in menu_table():
        menu = w.menuBar().addMenu(title)
        menu.setObjectName(name)
        for entry in entries:
            if isinstance(entry, Item):
                add_action(w, menu, entry)
            elif isinstance(entry, Sep):
                menu.addSeparator()
                if entry.tree:
                    separator = QAction(w)
                    separator.setSeparator(True)
                    w.tree.addAction(separator)
            else:
                entry(w, menu)
