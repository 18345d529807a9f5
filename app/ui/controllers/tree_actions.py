"""What the project tree and the 编辑 menu do to projects and units (all undoable ops).

New / rename / duplicate / delete / move a project, carry a project or the whole unit over
to another year, 新建单位 and 删除单位: each is one op pushed on the window's history.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QStatusBar, QWidget

from app import APP_TITLE_ZH
from app.models import Document
from app.services.storage.documents import list_documents
from app.services.validation import CARRY_OVER_RULE
from app.services.workspace.ops import CarryOver, CreateDocument, DeleteDocument
from app.services.workspace.projects import duplicate_of, find_document, new_project_values
from app.ui.commands import Edits
from app.ui.controllers.documents import DocumentsController
from app.ui.dialogs import NewUnitDialog, ask_text, ask_year, confirm

# Actions that need a shown project (the others need a shown document).
NEEDS_DOCUMENT_ONLY = ("新建项目", "延续整个单位到下一年度…", "删除单位（本年度）…")


class TreeActions(QObject):
    """Project and unit operations on the shown document."""

    def __init__(self, edits: Edits, documents: DocumentsController, host: QWidget, status: QStatusBar) -> None:
        super().__init__(host)
        self.edits, self.documents, self.host, self.status = edits, documents, host, status

    def new_project(self) -> None:
        doc = self.documents.current_document()
        if doc is None:
            return
        at = self.documents.index_of_current()
        index = at[1] + 1 if at else len(doc.projects)
        self.edits.insert_row(doc, "projects", index, new_project_values(doc), "新建项目")
        self.documents.select_project(doc, doc.projects[index])

    def rename_project(self) -> None:
        p = self.documents.current_project
        if p is None:
            return
        name = ask_text(self.host, "重命名项目", "项目名称：", p.name or "")
        if name is not None and name != (p.name or ""):
            self.edits.set_fields([(p, "name", name)], "重命名项目")

    def duplicate_project(self) -> None:
        at = self.documents.index_of_current()
        if at is None:
            return
        doc, i = at
        self.edits.insert_row(doc, "projects", i + 1, duplicate_of(doc.projects[i]), "复制项目")
        self.documents.select_project(doc, doc.projects[i + 1])

    def delete_project(self) -> None:
        at = self.documents.index_of_current()
        if at is None:
            return
        doc, i = at
        p = doc.projects[i]
        if not confirm(self.host, "删除项目", f"确定删除项目“{p.name or '（未命名）'}”及其{len(p.indicators)}条绩效指标吗？\n"
                                      "删除后可用“撤销”（Ctrl+Z）恢复。"):
            return
        self.edits.delete_rows(doc, "projects", [i], "删除项目")
        self.documents.select_project(doc, doc.projects[min(i, len(doc.projects) - 1)] if doc.projects else None)

    def move_project(self, step: int) -> None:
        at = self.documents.index_of_current()
        if at is None:
            return
        doc, i = at
        j = i + step
        if not 0 <= j < len(doc.projects):
            return
        project = doc.projects[i]
        self.edits.move_row(doc, "projects", i, j, "上移项目" if step < 0 else "下移项目")
        self.documents.select_project(doc, project)

    def _carry(self, doc: Document, title: str, projects: tuple[int, ...] | None) -> Document | None:
        """Carry projects (None: the whole unit) over to a year the user picks; the target."""
        year = ask_year(self.host, title, "延续到预算年度：", doc.year + 1)
        if year is None:
            return None
        if year == doc.year:
            QMessageBox.warning(self.host, APP_TITLE_ZH, "目标年度与当前年度相同")
            return None
        target_id = find_document(self.edits.store, doc.unit.code, year)
        if projects is None and target_id is not None:
            target = self.documents.document(target_id)
            if target.projects and not confirm(
                self.host, title, f"{target.year}年度已有{len(target.projects)}个项目，将在其后追加本单位的全部项目，是否继续？"
            ):
                return None
        changes = self.edits.push(CarryOver(doc.id, year, projects), title)
        if changes is None:
            return None
        target_id = find_document(self.edits.store, doc.unit.code, year)
        return self.documents.document(target_id) if target_id is not None else None

    def carry_project_over(self) -> None:
        """延续项目: copy the current project into the unit's next-year document (undoable)."""
        at = self.documents.index_of_current()
        if at is None:
            return
        target = self._carry(at[0], "延续项目", (at[1],))
        if target is not None:
            self.documents.select_project(target, target.projects[-1])
            self._carry_done(target)

    def carry_unit_over(self) -> None:
        """Carry part 1 and every project of the unit over to the next year (one undo step)."""
        doc = self.documents.current_document()
        target = self._carry(doc, "延续整个单位", None) if doc is not None else None
        if target is not None:
            self.documents.select_project(target, None)
            self._carry_done(target)

    def _carry_done(self, target: Document) -> None:
        flags = [f for f in self.documents.live.findings.get(target.id, []) if f.rule == CARRY_OVER_RULE]
        self.status.showMessage(
            f"已延续到{target.year}年度；{len(flags)}处含年度的文字已标记为“延续内容待核实”，请在问题面板中逐条核实", 10000)

    # ================================================================ units, help, closing
    def new_unit(self) -> None:
        """新建单位 (undoable: undo deletes the document, and the unit when it was new)."""
        values = NewUnitDialog.ask(self.host)
        if values is None:
            return
        self.documents.commit_pending()
        self.edits.push(CreateDocument(*values), f"新建单位{values[0]}")

    def delete_unit(self) -> None:
        """Delete the current unit's document of this year, after confirming (undoable)."""
        doc = self.documents.current_document()
        if doc is None:
            return
        self.documents.commit_pending()
        others = any(d.unit_code == doc.unit.code and d.id != doc.id for d in list_documents(self.edits.store))
        text = (f"删除单位“{doc.unit.code} {doc.unit.name}”{doc.year}年度的全部绩效目标"
                f"（{len(doc.projects)}个项目）？" + ("" if others else "该单位没有其他年度，单位也将一并删除。")
                + "\n可以用“撤销”（Ctrl+Z）恢复。")
        if QMessageBox.question(self.host, APP_TITLE_ZH, text) != QMessageBox.StandardButton.Yes:
            return
        self.edits.push(DeleteDocument(doc.id), f"删除单位{doc.unit.code} {doc.year}年度")
