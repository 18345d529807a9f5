"""The bureau's part of the window: 审核总览 dock, batch intake of a folder, 汇总 export,
status and opinions from the dashboard. Calls the bureau services; runs no SQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMenu, QMessageBox

from app import APP_TITLE_ZH
from app.models import Opinion, Project
from app.models.review import STATUSES
from app.services.bureau import opinions, review
from app.services.bureau.dashboard import dashboard_rows
from app.services.bureau.intake import preview_intake, preview_lines
from app.services.errors import PerfGoalsError
from app.services.workspace.changes import Changes
from app.services.workspace.ops import OpinionSnapshot, SetOpinion, SetReviewStatus, TakeIn
from app.ui.busy import progress
from app.ui.dialogs import ImportPreviewDialog, ask_text
from app.ui.file_dialogs import ask_folder, ask_save_file, offer_open_folder
from app.ui.panels.review_dashboard import ReviewDashboard

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


class BureauUi:
    """Builds the dock and the actions on ``window`` and keeps the dashboard current."""

    def __init__(self, window: MainWindow) -> None:
        self.w = window
        self.dashboard = ReviewDashboard()
        self.dashboard.open_requested.connect(self.open_document)
        self.dashboard.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.dashboard.table.customContextMenuRequested.connect(self._context_menu)
        self.dock = QDockWidget("审核总览", window)
        self.dock.setObjectName("reviewDock")
        self.dock.setWidget(self.dashboard)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        window.tabifyDockWidget(window.problems_dock, self.dock)
        window.problems_dock.raise_()
        self.dock.visibilityChanged.connect(self._shown)
        file_menu = window.findChild(QMenu, "menuFile")
        view_menu = window.findChild(QMenu, "menuView")
        assert file_menu is not None and view_menu is not None
        anchor = file_menu.actions()[1]  # after 导入, before 导出
        self.action_batch = QAction("批量导入文件夹(&B)…", window)
        self.action_batch.setObjectName("actionBatchImport")
        self.action_batch.triggered.connect(lambda _c=False: self.batch_import())
        self.action_summary = QAction("导出汇总表…", window)
        self.action_summary.setObjectName("actionExportSummary")
        self.action_summary.triggered.connect(lambda _c=False: self.export_summary())
        file_menu.insertAction(anchor, self.action_batch)
        file_menu.insertAction(anchor, self.action_summary)
        window.edits.changed.connect(self._follow)
        window.problems.reply_requested.connect(self.reply_opinion)
        window.problems.resolve_requested.connect(self.resolve_opinion)
        # 添加审核意见 at a place: a tree row (unit or project), an indicator cell, a finding.
        self.action_opinion_tree = self._opinion_action("添加审核意见…", "actionOpinionTree", self._opinion_from_tree)
        window.tree.addAction(self.action_opinion_tree)
        self.action_opinion_cell = self._opinion_action("对此单元格添加审核意见…", "actionOpinionCell",
                                                        self._opinion_from_cell)
        window.indicator_editor.extra_actions.append(self.action_opinion_cell)
        self.action_opinion_finding = self._opinion_action("对此问题添加审核意见…", "actionOpinionFinding",
                                                           self._opinion_from_finding)
        window.problems.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        window.problems.view.addAction(self.action_opinion_finding)
        toggle = self.dock.toggleViewAction()
        toggle.setText("审核总览")
        view_menu.insertAction(view_menu.actions()[2], toggle)

    # --- dashboard ------------------------------------------------------------------
    def _shown(self, visible: bool) -> None:
        if visible:
            self.reload()

    def reload(self) -> None:
        """Read the dashboard rows again (after an import, a status change, another database)."""
        self.dashboard.set_rows(dashboard_rows(self.w.store))

    def open_document(self, doc_id: int) -> None:
        """Open a unit's part 1 in the window (double-click on the dashboard)."""
        self.w.tree_dock.show()
        self.w.tree.select_node(doc_id)

    def _context_menu(self, pos: QPoint) -> None:
        doc_id = self.dashboard.selected_document()
        if doc_id is None:
            return
        menu = QMenu(self.dashboard)
        for status in STATUSES:
            menu.addAction(f"设为“{status}”", partial(self.set_status, doc_id, status))
        menu.addSeparator()
        menu.addAction("添加审核意见（单位整体）…", lambda: self.add_opinion(doc_id))
        menu.addAction("导出审核意见文件…", lambda: self.export_review(doc_id))
        menu.addAction("与审核过的版本比较…", lambda: self.show_changes(doc_id))
        menu.exec(self.dashboard.table.viewport().mapToGlobal(pos))

    def set_status(self, doc_id: int, status: str) -> None:
        """设为“…”: one undoable step (the dashboard follows the change)."""
        self.w.edits.push(SetReviewStatus(doc_id, status), f"审核状态设为“{status}”")

    def add_opinion(self, doc_id: int) -> None:
        text = ask_text(self.w, "审核意见", "意见内容：")
        if not text:
            return
        uid = opinions.new_uid()
        self.w.edits.push(SetOpinion(doc_id, uid, OpinionSnapshot(uid, text, created_at=datetime.now())),
                          "添加审核意见")

    def _opinion_action(self, text: str, name: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self.w)
        action.setObjectName(name)
        action.triggered.connect(lambda _c=False: slot())
        return action

    def add_opinion_at(self, doc_id: int, place: opinions.OpinionPlace, rule_id: str | None = None,
                       finding_key: str | None = None) -> bool:
        """Ask for the text of an opinion at ``place`` and add it (one undoable step)."""
        where = opinions.place_label(Opinion(project_code=place.project_code, row=place.row, field=place.field))
        text = ask_text(self.w, "审核意见", f"{where}{f'（{rule_id}）' if rule_id else ''}：意见内容：")
        if not text or not text.strip():
            return False
        uid = opinions.new_uid()
        snapshot = OpinionSnapshot(uid, text.strip(), place.project_code, place.row, place.field, rule_id,
                                   finding_key, created_at=datetime.now())
        return self.w.edits.push(SetOpinion(doc_id, uid, snapshot), "添加审核意见") is not None

    def _project_place(self, project: Project | None, row: int | None = None,
                       field: str | None = None) -> opinions.OpinionPlace | None:
        """Opinions are placed by project code: a project without one cannot hold them."""
        if project is None:
            return opinions.OpinionPlace(field=field)
        if not (project.code or "").strip():
            QMessageBox.warning(self.w, APP_TITLE_ZH, "该项目没有项目编码，审核意见按项目编码定位：请先填写项目编码，"
                                                      "或对单位整体添加意见")
            return None
        return opinions.OpinionPlace(project.code, row, field)

    def _opinion_from_tree(self) -> None:
        node = self.w.tree.current_node()
        if node is None or node.doc_id is None:
            return
        doc = self.w.documents.document(node.doc_id)
        project = next((p for p in doc.projects if p.id == node.project_id), None) if node.project_id else None
        place = self._project_place(project)
        if place is not None:
            self.add_opinion_at(doc.id, place)

    def _opinion_from_cell(self) -> None:
        from app.ui.editors.indicator_model import COL_PARSED, COLUMNS

        doc, project = self.w.current_document(), self.w.documents.current_project
        index = self.w.indicator_editor.view.currentIndex()
        if doc is None or project is None or not index.isValid():
            return
        column = COLUMNS[index.column()] if index.column() != COL_PARSED else next(c for c in COLUMNS if c.field == "value")
        place = self._project_place(project, index.row() + 1, column.field)
        if place is not None:
            self.add_opinion_at(doc.id, place)

    def _opinion_from_finding(self) -> None:
        doc, f = self.w.current_document(), self.w.problems.selected_finding()
        if doc is None or f is None or f.severity == opinions.OPINION_KIND:
            return
        project = doc.projects[f.project - 1] if f.project and 0 < f.project <= len(doc.projects) else None
        place = self._project_place(project, f.row, f.field)
        if place is not None:
            self.add_opinion_at(doc.id, place, f.rule, f.key)

    def _follow(self, changes: Changes) -> None:
        """Opinions, a status or the documents changed (an edit, its undo or redo): the
        dashboard follows."""
        if (changes.review or changes.added or changes.removed) and self.dock.isVisible():
            self.reload()

    # --- answering opinions (the unit's end) -------------------------------------------
    def _answer(self, finding: opinions.OpinionFinding, reply: str | None, resolved: bool | None) -> None:
        doc = self.w.current_document()
        if doc is None:
            return
        held = next((o for o in doc.opinions if o.id == finding.opinion_id), None)
        if held is None:
            return
        text = "回复审核意见" if reply is not None else "标记审核意见已处理"
        self.w.edits.push(SetOpinion(doc.id, held.uid, opinions.answered(held, reply, resolved)), text)

    def reply_opinion(self, finding: opinions.OpinionFinding) -> None:
        """回复: the unit's answer to an opinion (travels back in the next submission)."""
        text = ask_text(self.w, "回复审核意见", finding.message, finding.reply or "")
        if text is not None and text.strip():
            self._answer(finding, text.strip(), None)

    def resolve_opinion(self, finding: opinions.OpinionFinding) -> None:
        """已处理: the unit marks an opinion as dealt with."""
        self._answer(finding, None, True)

    def show_changes(self, doc_id: int) -> str:
        """What changed in the latest version since the reviewed one: marked in place in the
        unit's forms and indicator tables (teal 改, the old value in the tooltip), and listed
        in a dialog."""
        from app.services.bureau.diff import change_marks, diff_lines, diff_with_reviewed
        from app.ui.dialogs import show_text

        self.w.commit_pending()
        found = diff_with_reviewed(self.w.store, doc_id)
        if found is None:
            text = "该单位只收到一个版本，没有可比较的版本。"
        else:
            old, new, d = found
            text = "\n".join([f"第{old}版 → 第{new}版", *diff_lines(d)])
            documents = self.w.documents
            doc = documents.document(doc_id)
            documents.change_marks[doc_id] = change_marks(d, doc)
            self.open_document(doc_id)
            documents.push_views(doc)
        show_text(self.w, "版本比较", text)
        return text

    def export_review(self, doc_id: int) -> Path | None:
        out = ask_save_file(self.w, "review", "导出审核意见文件", "审核意见.json",
                            "审核意见 (*.json);;Word 文档 (*.docx);;PDF (*.pdf)")
        if not out:
            return None
        try:
            path = review.export_review(self.w.store, doc_id, out)
        except PerfGoalsError as exc:
            QMessageBox.warning(self.w, APP_TITLE_ZH, exc.message)
            return None
        self.w.statusBar().showMessage(f"已导出：{path}", 8000)
        offer_open_folder(self.w, path, "审核意见文件")
        return path

    # --- intake and 汇总 ----------------------------------------------------------------
    def batch_import(self, folder: str | None = None) -> list[int]:
        """文件 → 批量导入文件夹: preview every file, confirm, store each file; return doc ids."""
        self.w.commit_pending()
        if folder is None:
            folder = ask_folder(self.w, "intake", "选择要导入的文件夹（如U盘）")
            if not folder:
                return []
        try:
            with progress(self.w, "正在读取和校验文件…") as step:
                preview = preview_intake(self.w.store, [folder], step)
            if preview.cancelled:
                return []
            ok, _choice = ImportPreviewDialog.ask("\n".join(preview_lines(preview)), [], self.w)
            if not ok or not preview.accepted:
                return []
            # One step of the window's undo history: 撤销 deletes what came in and puts back
            # what it replaced (with its versions and review status).
            with progress(self.w, "正在导入…") as step:
                op = TakeIn(preview, progress=step)
                self.w.edits.push(op, f"批量导入{len(preview.accepted)}个文件")
        except PerfGoalsError as exc:
            QMessageBox.warning(self.w, APP_TITLE_ZH, exc.message)
            return []
        if not op.outcome:  # refused as a whole (the window has said why)
            return []
        report = op.outcome[0]
        problems = report.failed + [f.refusal or "" for f in preview.refused]
        # The undo step keeps the op, never applied again (a redo applies its inverse's
        # inverse): let the parsed documents of the batch go.
        preview.files.clear()
        if problems:
            QMessageBox.warning(self.w, APP_TITLE_ZH, f"{len(problems)}个文件未导入：\n" + "\n".join(problems[:10]))
        self.dock.show()
        self.dock.raise_()
        self.reload()
        self.w.statusBar().showMessage(f"已导入{len(report.stored)}个文件", 8000)
        return report.document_ids

    def export_summary(self, out: str | None = None) -> Path | None:
        """文件 → 导出汇总表."""
        from app.services.bureau.summary import write_summary

        self.w.commit_pending()
        if out is None:
            out = ask_save_file(self.w, "summary", "导出汇总表", "汇总.xlsx", "Excel 工作簿 (*.xlsx)")
            if not out:
                return None
        try:
            path = write_summary(self.w.store, out)
        except PerfGoalsError as exc:
            QMessageBox.warning(self.w, APP_TITLE_ZH, exc.message)
            return None
        self.w.statusBar().showMessage(f"已导出汇总表：{path}", 8000)
        offer_open_folder(self.w, path, "汇总表")
        return path
