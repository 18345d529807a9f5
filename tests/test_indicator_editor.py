"""The indicator-table editor driven as a user would (pytest-qt, offscreen)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QEvent, QMimeData, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit

from app.models import Document
from app.services.formats.importing import commit_documents
from app.services.storage.documents import load_documents
from app.services.storage.store import Store
from app.services.validation import Finding
from app.services.workspace.workspace import Workspace
from app.ui.commands import Edits
from app.ui.editors.indicator_delegates import Level3Editor, ValueLineEdit
from app.ui.editors.indicator_editor import IndicatorEditor
from app.ui.editors.indicator_model import (
    COL_BASIS,
    COL_DESCRIPTION,
    COL_LEVEL1,
    COL_LEVEL2,
    COL_LEVEL3,
    COL_PARSED,
    COL_VALUE,
)
from tests.factories import full_document
from tests.ui_helpers import WAIT_MS, wait_shown

pytestmark = pytest.mark.gui


def row_finding(rule: str, severity: str, message: str, row: int | None, field: str | None) -> Finding:
    """A finding on the first project (the one the editor shows), as the validator reports it."""
    return Finding(rule, severity, message, "适当性", "422001", 2024, 1, None, row, field,
                   f"{rule}|P:#1|R:{row}|F:{field}")


class Harness:
    """An editor on the stored full_document(), with what notify saw."""

    def __init__(self, store: Store, qtbot) -> None:
        commit_documents(store, [full_document()])
        (self.doc,) = load_documents(store)
        self.store = store
        self.edits = Edits(Workspace(store))
        self.stack = self.edits.stack
        self.notified: list[object] = []
        self.edits.changed.connect(self.notified.append)
        self.editor = IndicatorEditor(self.edits)
        qtbot.addWidget(self.editor)
        self.editor.resize(1200, 420)
        self.editor.set_project(self.doc, self.doc.projects[0])
        self.editor.show()
        wait_shown(qtbot, self.editor)
        self.view = self.editor.view
        self.model = self.editor.model

    def stored(self) -> Document:
        (doc,) = load_documents(self.store)
        return doc

    def stored_rows(self, attr: str) -> list[str | None]:
        return [getattr(i, attr) for i in self.stored().projects[0].indicators]

    def select(self, top: int, left: int, bottom: int, right: int) -> None:
        self.view.setFocus()
        self.view.select_block(top, left, bottom, right)


@pytest.fixture
def h(store: Store, qtbot) -> Harness:
    return Harness(store, qtbot)


def _key(widget, key, text: str = "", mods=Qt.KeyboardModifier.NoModifier) -> None:
    QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, key, mods, text))


def test_model_passes_qtmodeltester(h: Harness, qtmodeltester) -> None:
    qtmodeltester.check(h.model)
    h.editor.set_findings([row_finding("F12", "warning", "过长", 1, "level3"), row_finding("F05", "warning", "缺少", None, None)])
    qtmodeltester.check(h.model)


def test_edit_commits_at_once_and_undoes(h: Harness) -> None:
    idx = h.model.index(0, COL_VALUE)
    assert h.model.data(idx) == "≥1600批次"
    assert h.model.setData(idx, "≥1700批次 ")
    stored = h.stored().projects[0].indicators[0]
    assert stored.value_raw == "≥1700批次 "  # kept exactly, trailing space included
    assert stored.number == Decimal("1700")
    assert h.model.data(h.model.index(0, COL_PARSED)) == "≥ | 1700 | 批次"
    assert h.notified and h.notified[-1].rows == {("indicators", h.doc.projects[0].indicators[0].id)}
    assert h.stack.count() == 1
    h.stack.undo()
    assert h.stored_rows("value_raw")[0] == "≥1600批次"
    assert h.model.data(idx) == "≥1600批次"
    h.stack.redo()
    assert h.stored_rows("value_raw")[0] == "≥1700批次 "
    assert not h.model.setData(idx, "≥1700批次 ")  # unchanged text is no undo step
    assert h.stack.count() == 1


def test_typing_in_cell_editor_then_enter_commits_and_moves_down(h: Harness, qtbot) -> None:
    h.view.setFocus()
    h.view.setCurrentIndex(h.model.index(0, COL_VALUE))
    h.view.edit(h.model.index(0, COL_VALUE))
    editor = h.editor.delegate.active_editor
    assert isinstance(editor, ValueLineEdit) and editor.text() == "≥1600批次"
    editor.setText("1650批次")
    editor.setCursorPosition(0)
    _key(editor, Qt.Key.Key_Period, "", Qt.KeyboardModifier.AltModifier)  # Alt+. inserts ≥
    assert editor.text() == "≥1650批次"
    assert "1650" in h.editor.status.text()  # parsed live while typing
    _key(editor, Qt.Key.Key_Return)
    assert h.stored_rows("value_raw")[0] == "≥1650批次"
    assert h.view.currentIndex().row() == 1 and h.view.currentIndex().column() == COL_VALUE
    assert h.editor.delegate.active_editor is None or not h.editor.delegate.active_editor.isVisible()


def test_typing_a_character_replaces_and_tab_moves_right(h: Harness, qtbot) -> None:
    h.view.setFocus()
    h.view.setCurrentIndex(h.model.index(1, COL_DESCRIPTION))
    _key(h.view, Qt.Key.Key_unknown, "新")  # Chinese typed (as an input method commits it)
    editor = h.editor.delegate.active_editor
    assert editor is not None
    assert editor.toPlainText() == "新"  # the old text was replaced, as in Excel
    editor.insertPlainText("描述")
    _key(editor, Qt.Key.Key_Return, "", Qt.KeyboardModifier.AltModifier)  # Alt+Enter: line break
    editor.insertPlainText("第二行")
    _key(editor, Qt.Key.Key_Tab)
    assert h.stored_rows("description")[1] == "新描述\n第二行"
    assert h.view.currentIndex().column() == COL_VALUE


def test_navigation_keys_when_not_editing(h: Harness) -> None:
    h.view.setFocus()
    h.view.setCurrentIndex(h.model.index(0, COL_BASIS))
    _key(h.view, Qt.Key.Key_Tab)
    assert (h.view.currentIndex().row(), h.view.currentIndex().column()) == (0, COL_PARSED)
    _key(h.view, Qt.Key.Key_Tab)  # wraps to the next row
    assert (h.view.currentIndex().row(), h.view.currentIndex().column()) == (1, COL_LEVEL1)
    _key(h.view, Qt.Key.Key_Backtab)
    assert (h.view.currentIndex().row(), h.view.currentIndex().column()) == (0, COL_PARSED)
    _key(h.view, Qt.Key.Key_Return)
    assert h.view.currentIndex().row() == 1
    _key(h.view, Qt.Key.Key_Return, "", Qt.KeyboardModifier.ShiftModifier)
    assert h.view.currentIndex().row() == 0
    _key(h.view, Qt.Key.Key_Down)
    _key(h.view, Qt.Key.Key_Left)
    assert (h.view.currentIndex().row(), h.view.currentIndex().column()) == (1, COL_BASIS)
    assert h.stack.count() == 0  # moving around changes nothing


def test_level3_editor_counts_15_characters_live(h: Harness) -> None:
    h.view.setFocus()
    h.view.setCurrentIndex(h.model.index(0, COL_LEVEL3))
    h.view.edit(h.model.index(0, COL_LEVEL3))
    editor = h.editor.delegate.active_editor
    assert isinstance(editor, Level3Editor)
    assert editor.counter.text() == "4/15" and not editor.over_limit()
    editor.line.setText("食品安全抽检监测问题发现处置率")  # 15 汉字
    assert editor.counter.text() == "15/15" and not editor.over_limit()
    editor.line.setText("食品安全抽检监测问题发现及时处置率")  # 17
    assert editor.counter.text() == "17/15" and editor.over_limit()
    assert "c62828" in editor.counter.styleSheet()  # red
    assert "17/15" in h.editor.status.text() and "截断" in h.editor.status.text()
    completer = editor.line.completer()
    names = completer.model().stringList()
    assert names[0] == "抽检批次"  # names used under this row's 二级 first
    assert "服务对象满意度" in names
    _key(editor.line, Qt.Key.Key_Escape)
    assert h.stored_rows("level3")[0] == "抽检批次"  # Esc cancels


def test_combo_delegates_offer_the_profile_framework(h: Harness) -> None:
    h.view.setFocus()
    h.view.edit(h.model.index(2, COL_LEVEL2))  # row 3 is 满意度指标
    combo = h.editor.delegate.active_editor
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == ["服务对象满意度指标", "社会公众或服务对象满意度指标"]
    _key(combo.lineEdit(), Qt.Key.Key_Escape)
    h.view.edit(h.model.index(0, COL_LEVEL2))  # 产出指标
    combo = h.editor.delegate.active_editor
    assert [combo.itemText(i) for i in range(combo.count())] == ["数量指标", "质量指标", "时效指标", "成本指标"]
    combo.setCurrentIndex(3)
    combo.activated.emit(3)  # the user picks 成本指标 from the list
    assert h.stored_rows("level2")[0] == "成本指标"
    h.view.edit(h.model.index(0, COL_LEVEL1))
    combo = h.editor.delegate.active_editor
    assert [combo.itemText(i) for i in range(combo.count())] == ["产出指标", "效益指标", "满意度指标"]
    _key(combo.lineEdit(), Qt.Key.Key_Escape)
    h.doc.profile = "cz2021"  # the 2021 framework: 成本指标 is a 一级
    h.view.edit(h.model.index(0, COL_LEVEL1))
    combo = h.editor.delegate.active_editor
    assert combo.itemText(0) == "成本指标"
    _key(combo.lineEdit(), Qt.Key.Key_Escape)
    h.doc.profile = "hebei2015"
    h.view.edit(h.model.index(0, COL_BASIS))
    combo = h.editor.delegate.active_editor
    assert combo.currentText() == "年度工作计划"  # own text kept, not replaced by a list item
    assert [combo.itemText(i) for i in range(combo.count())][:3] == ["计划标准", "行业标准", "历史标准"]
    combo.lineEdit().setText("计划标准（年度工作计划）")
    _key(combo.lineEdit(), Qt.Key.Key_Return)
    assert h.stored_rows("basis")[0] == "计划标准（年度工作计划）"


def test_copy_puts_tsv_and_html_on_the_clipboard(h: Harness) -> None:
    h.select(0, COL_LEVEL3, 1, COL_DESCRIPTION)
    h.editor.act_copy.trigger()
    mime = QApplication.clipboard().mimeData()
    assert mime.text() == '抽检批次\t全年抽检食品批次\r\n"对监管企业发展\n\n的影响"\t对经济发展带来效果 \r\n'
    assert "<table>" in mime.html() and "对监管企业发展<br><br>的影响" in mime.html()


def test_paste_tsv_block_is_one_undo_step_and_adds_rows(h: Harness) -> None:
    block = "\r\n".join(
        "\t".join(f"{c}{r}" for c in ("三级", "描述", "≥9", "依据")) for r in range(3)
    ) + "\r\n"
    mime = QMimeData()
    mime.setText(block)
    QApplication.clipboard().setMimeData(mime)
    h.select(1, COL_LEVEL3, 1, COL_LEVEL3)
    h.editor.act_paste.trigger()
    assert h.stack.count() == 1
    assert h.stored_rows("level3") == ["抽检批次", "三级0", "三级1", "三级2"]
    assert h.stored_rows("value_raw")[1:] == ["≥90", "≥91", "≥92"]
    assert h.stored_rows("basis")[3] == "依据2"
    assert h.model.rowCount() == 4
    h.stack.undo()
    assert h.stored_rows("level3") == ["抽检批次", "对监管企业发展\n\n的影响", "服务对象满意度"]
    assert h.model.rowCount() == 3
    h.stack.redo()
    assert h.stored_rows("level3")[3] == "三级2" and h.model.rowCount() == 4


def test_paste_html_table_only(h: Harness) -> None:
    mime = QMimeData()
    mime.setHtml("<table><tr><td>甲<br>乙</td><td>丙</td></tr></table>")
    QApplication.clipboard().setMimeData(mime)
    h.select(2, COL_LEVEL3, 2, COL_LEVEL3)
    h.editor.act_paste.trigger()
    assert h.stored_rows("level3")[2] == "甲\n乙"
    assert h.stored_rows("description")[2] == "丙"


def test_fill_down_with_ctrl_d(h: Harness) -> None:
    h.select(0, COL_BASIS, 2, COL_BASIS)
    _key(h.view, Qt.Key.Key_D, "", Qt.KeyboardModifier.ControlModifier)
    assert h.stored_rows("basis") == ["年度工作计划"] * 3
    assert h.stack.count() == 1
    h.stack.undo()
    assert h.stored_rows("basis") == ["年度工作计划", "部门职责", "历史标准"]


def test_insert_delete_move_rows_with_undo(h: Harness) -> None:
    h.select(1, COL_LEVEL3, 1, COL_LEVEL3)
    h.editor.act_insert_above.trigger()
    assert h.stored_rows("level3") == ["抽检批次", None, "对监管企业发展\n\n的影响", "服务对象满意度"]
    assert h.stored_rows("level2")[1] == "质量指标"  # 一级/二级 taken from the row
    assert h.view.currentIndex().row() == 1
    h.model.setData(h.model.index(1, COL_LEVEL3), "新指标")
    h.select(1, COL_LEVEL1, 2, COL_LEVEL1)
    h.editor.act_move_down.trigger()
    assert h.stored_rows("level3") == ["抽检批次", "服务对象满意度", "新指标", "对监管企业发展\n\n的影响"]
    assert {i.row() for i in h.view.selectionModel().selectedIndexes()} == {2, 3}  # selection follows
    h.editor.act_move_up.trigger()
    assert h.stored_rows("level3")[1:3] == ["新指标", "对监管企业发展\n\n的影响"]
    h.select(0, COL_LEVEL1, 1, COL_LEVEL1)
    h.editor.act_delete_rows.trigger()
    assert h.stored_rows("level3") == ["对监管企业发展\n\n的影响", "服务对象满意度"]
    assert h.model.rowCount() == 2
    h.stack.undo()  # the delete of two rows is one step
    assert h.stored_rows("level3") == ["抽检批次", "新指标", "对监管企业发展\n\n的影响", "服务对象满意度"]
    # every earlier step still undoes, although the rows it touched were deleted and restored
    while h.stack.canUndo():
        h.stack.undo()
    assert h.stored_rows("level3") == ["抽检批次", "对监管企业发展\n\n的影响", "服务对象满意度"]
    while h.stack.canRedo():
        h.stack.redo()
    assert h.stored_rows("level3") == ["对监管企业发展\n\n的影响", "服务对象满意度"]
    assert h.model.rowCount() == 2


def test_quick_comparator_on_a_cell(h: Harness) -> None:
    h.view.setFocus()
    h.view.setCurrentIndex(h.model.index(2, COL_VALUE))
    h.editor.comparator_actions["＝"].trigger()
    assert h.stored_rows("value_raw")[2] == "＝90%"
    assert h.model.data(h.model.index(2, COL_PARSED)) == "＝ | 90 | %"


def test_clear_cells_with_delete(h: Harness) -> None:
    h.select(0, COL_DESCRIPTION, 1, COL_DESCRIPTION)
    _key(h.view, Qt.Key.Key_Delete)
    assert h.stored_rows("description")[:2] == ["", ""]
    assert h.stack.count() == 1


def test_markers_for_findings(h: Harness) -> None:
    h.editor.set_findings([
        row_finding("F12", "error", "三级指标名称超过15个汉字", 1, "level3"),
        row_finding("F09", "warning", "“指标值”含空格或换行", 2, "value"),
        row_finding("F14", "hint", "单位不应写在指标名称中", 2, "value"),
        row_finding("F13", "warning", "整行问题", 3, None),
        row_finding("F05", "warning", "产出指标缺少时效指标", None, None),
    ])
    idx = h.model.index(0, COL_LEVEL3)
    assert h.model.data(idx, Qt.ItemDataRole.BackgroundRole).color().name() == "#f9d6d5"
    assert not h.model.data(idx, Qt.ItemDataRole.DecorationRole).isNull()
    assert h.model.data(idx, Qt.ItemDataRole.ToolTipRole) == "错误：三级指标名称超过15个汉字"
    both = h.model.index(1, COL_VALUE)
    assert h.model.data(both, Qt.ItemDataRole.BackgroundRole).color().name() == "#fdefc3"  # worst wins
    assert h.model.data(both, Qt.ItemDataRole.ToolTipRole) == "警告：“指标值”含空格或换行\n提示：单位不应写在指标名称中"
    assert h.model.data(h.model.index(0, COL_VALUE), Qt.ItemDataRole.DecorationRole) is None
    assert h.model.headerData(2, Qt.Orientation.Vertical, Qt.ItemDataRole.ToolTipRole) == "警告：整行问题"
    assert h.model.headerData(2, Qt.Orientation.Vertical, Qt.ItemDataRole.DecorationRole) is not None
    assert "错误1" in h.editor.summary.text() and "警告3" in h.editor.summary.text()
    h.editor.focus_cell(2, "value")
    assert (h.view.currentIndex().row(), h.view.currentIndex().column()) == (1, COL_VALUE)
    assert "含空格或换行" in h.editor.status.text()
    h.editor.set_findings([])
    assert h.model.data(idx, Qt.ItemDataRole.BackgroundRole) is None
    assert h.model.data(idx, Qt.ItemDataRole.ToolTipRole) is None


def test_findings_update_emits_one_signal_over_changed_cells(h: Harness) -> None:
    """A revalidation moving many markers repaints once: one dataChanged over the changed range."""
    seen: list[tuple[int, int, int, int]] = []
    headers: list[tuple[int, int]] = []
    h.model.dataChanged.connect(lambda a, b, roles=(): seen.append((a.row(), a.column(), b.row(), b.column())))
    h.model.headerDataChanged.connect(lambda _o, first, last: headers.append((first, last)))
    first = [row_finding("F12", "error", "过长", 1, "level3"), row_finding("F09", "warning", "空格", 3, "value"),
             row_finding("F13", "warning", "整行", 2, None), row_finding("F13", "warning", "整行", 3, None)]
    h.editor.set_findings(first)
    assert seen == [(0, COL_LEVEL3, 2, COL_VALUE)] and headers == [(1, 2)]
    seen.clear()
    h.editor.set_findings(first)  # nothing changed: nothing repainted
    assert seen == []
    h.editor.set_findings(first[1:])  # only row 1's marker goes
    assert seen == [(0, COL_LEVEL3, 0, COL_LEVEL3)]
    assert h.model.data(h.model.index(0, COL_LEVEL3), Qt.ItemDataRole.BackgroundRole) is None
    assert h.model.data(h.model.index(2, COL_VALUE), Qt.ItemDataRole.BackgroundRole) is not None
    row_height = h.view.rowHeight(0)
    h.editor.set_findings([])
    assert h.view.rowHeight(0) == row_height  # markers never re-fit rows


def test_edit_to_markers_cycle(store: Store, qtbot) -> None:
    """notify → the window revalidates → set_findings: markers follow the edit."""
    commit_documents(store, [full_document()])
    (doc,) = load_documents(store)
    edits = Edits(Workspace(store))
    stack = edits.stack

    def revalidate(_changes) -> None:
        rows = doc.projects[0].indicators
        editor.set_findings([row_finding("G", "error", "指标值为空", n + 1, "value")
                             for n, i in enumerate(rows) if not (i.value_raw or "").strip()])

    editor = IndicatorEditor(edits)
    edits.changed.connect(revalidate)
    qtbot.addWidget(editor)
    editor.set_project(doc, doc.projects[0])
    editor.model.setData(editor.model.index(2, COL_VALUE), " ")
    assert editor.model.data(editor.model.index(2, COL_VALUE), Qt.ItemDataRole.ToolTipRole) == "错误：指标值为空"
    stack.undo()
    assert editor.model.data(editor.model.index(2, COL_VALUE), Qt.ItemDataRole.ToolTipRole) is None


def test_empty_project_and_no_project(store: Store, qtbot) -> None:
    from tests.factories import blank_document

    commit_documents(store, [blank_document()])
    (doc,) = load_documents(store)
    editor = IndicatorEditor(Edits(Workspace(store)))
    qtbot.addWidget(editor)
    editor.set_project(None, None)
    assert editor.model.rowCount() == 0 and not editor.act_paste.isEnabled()
    project = doc.projects[0]
    editor.set_project(doc, project)
    editor.view.setCurrentIndex(editor.model.index(0, COL_LEVEL1))
    editor.act_delete_rows.trigger()
    assert editor.model.rowCount() == 0 and not editor.act_delete_rows.isEnabled()
    editor.act_insert_below.trigger()
    assert editor.model.rowCount() == 1 and len(load_documents(store)[0].projects[0].indicators) == 1


def test_leaving_the_level3_editor_commits(h: Harness, qtbot) -> None:
    other = QLineEdit(h.editor)
    other.show()
    h.view.setFocus()
    h.view.edit(h.model.index(2, COL_LEVEL3))
    editor = h.editor.delegate.active_editor
    assert isinstance(editor, Level3Editor)
    editor.line.setFocus()
    editor.line.setText("服务对象满意度（问卷）")
    other.setFocus()
    qtbot.waitUntil(lambda: h.stored_rows("level3")[2] == "服务对象满意度（问卷）", timeout=WAIT_MS)


def test_seed_project_5_with_the_real_validator(store: Store, seed_docx, qtbot, qtmodeltester) -> None:
    """seed.docx project 5: real findings are marked, an edit that fixes one removes its marker."""
    from app.services.formats.docx.reader import read_docx
    from app.services.validation import Validator

    commit_documents(store, read_docx(seed_docx).documents)
    (doc,) = load_documents(store)
    project = doc.projects[4]
    validator = Validator()
    editor: IndicatorEditor

    def notify(_changes) -> None:
        editor.set_findings(validator.revalidate_project(doc, project))

    edits = Edits(Workspace(store))
    editor = IndicatorEditor(edits)
    edits.changed.connect(notify)
    qtbot.addWidget(editor)
    editor.set_project(doc, project)
    editor.set_findings(validator.validate_document(doc))
    qtmodeltester.check(editor.model)
    model = editor.model
    assert model.rowCount() == 9
    assert model.data(model.index(0, COL_LEVEL3)) == "**产品抽检率"
    value = model.index(2, COL_VALUE)  # 时效指标 “资金拨付完成时限” is not a value
    assert model.data(value) == "资金拨付完成时限"
    assert "错误" in model.data(value, Qt.ItemDataRole.ToolTipRole)
    assert model.data(value, Qt.ItemDataRole.DecorationRole) is not None
    assert model.data(model.index(0, COL_LEVEL3), Qt.ItemDataRole.ToolTipRole).startswith("错误")
    # findings of other projects and of part 1 are not shown here
    assert all(f.project == 5 for f in model._cell_findings.get((2, COL_VALUE), []))
    model.setData(value, "2024年12月31日前")
    assert model.data(model.index(2, COL_PARSED)) == "日期（2024年）"
    tip = model.data(value, Qt.ItemDataRole.ToolTipRole) or ""
    assert "不是取值" not in tip
    assert load_documents(store)[0].projects[4].indicators[2].value_raw == "2024年12月31日前"


def test_real_key_clicks_edit_like_a_spreadsheet(h: Harness) -> None:
    """QTest key clicks (ASCII only: Chinese keyClicks crash) through the shortcut machinery."""
    from PySide6.QtTest import QTest

    h.view.setFocus()
    h.view.setCurrentIndex(h.model.index(0, COL_VALUE))
    QTest.keyClick(h.view, Qt.Key.Key_F2)  # edit keeping the text
    editor = h.editor.delegate.active_editor
    assert isinstance(editor, ValueLineEdit)
    editor.setCursorPosition(0)
    QTest.keyClick(editor, Qt.Key.Key_Delete)  # deletes a character, does not clear the cell
    assert editor.text() == "1600批次" and h.stack.count() == 0
    QTest.keyClick(editor, Qt.Key.Key_Return)
    assert h.stored_rows("value_raw")[0] == "1600批次"
    assert h.view.currentIndex().row() == 1
    QTest.keyClick(h.view, Qt.Key.Key_5)  # typing replaces the cell
    QTest.keyClick(h.editor.delegate.active_editor, Qt.Key.Key_Tab)
    assert h.stored_rows("value_raw")[1] == "5"
    assert h.view.currentIndex().column() == COL_BASIS
    h.view.setCurrentIndex(h.model.index(0, COL_LEVEL3))
    QTest.keyClick(h.view, Qt.Key.Key_Delete)
    assert h.stored_rows("level3")[0] == ""
    h.stack.undo()
    assert h.stored_rows("level3")[0] == "抽检批次"
