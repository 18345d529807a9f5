"""Live validation in the window: revalidate what an op changed, show it, jump to and waive findings.

``Edits.changed`` says what each op (do, undo, redo) changed; changes are collected and,
once the undo stack settles, the edited projects (or the whole document after a structural
change) are revalidated and the findings pushed to the badges and views.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

from app.services.validation import Finding
from app.services.workspace.changes import Changes
from app.ui.commands import Edits
from app.ui.controllers.documents import DocumentsController, Views
from app.ui.dialogs import WaiveDialog
from app.ui.live import finding_field

PLAN_FIELDS = {"plan", "plan_mar", "plan_jun", "plan_oct", "plan_dec"}


class LiveController(QObject):
    """Follows the ops of the history; the problems panel's jump, 豁免 and 取消豁免."""

    def __init__(self, edits: Edits, documents: DocumentsController, views: Views, host: QWidget) -> None:
        super().__init__(host)
        self.edits, self.documents, self.v, self.host = edits, documents, views, host
        self._pending: dict[int, set[int] | None] = {}  # doc id -> project ids, None = whole doc
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)
        edits.stack.indexChanged.connect(self.flush)
        edits.changed.connect(self.on_changes)
        documents.forgotten.append(self._forget)
        views.problems.jump_requested.connect(self.jump_to)
        views.problems.waive_requested.connect(self.waive)
        views.problems.unwaive_requested.connect(self.unwaive)

    def _forget(self, doc_id: int) -> None:
        self._pending.pop(doc_id, None)

    def on_changes(self, changes: Changes) -> None:
        """After every op: note what to revalidate, follow documents coming and going."""
        workspace = self.edits.workspace
        for doc_id in changes.removed:
            self.documents.document_removed(doc_id)
        for doc_id in changes.documents - changes.removed:
            if not workspace.is_open(doc_id):
                continue
            if changes.whole(doc_id):
                self._pending[doc_id] = None
            elif self._pending.get(doc_id, set()) is not None:
                mine = {pid for d, pid in changes.projects if d == doc_id}
                self._pending.setdefault(doc_id, set()).update(mine)  # type: ignore[union-attr]
        if changes.structural or changes.row_lists or "code" in changes.fields:
            for doc_id in changes.documents:
                self.documents.opinions_changed(doc_id)  # opinions are placed by project code
                self.documents.change_marks.pop(doc_id, None)  # marks by position: rows moved
        for doc_id in changes.review:
            # 审核意见 or status: no finding changes, the opinion rows and markers do.
            self.documents.opinions_changed(doc_id)
            if workspace.is_open(doc_id):
                self._pending.setdefault(doc_id, set())
        if changes.added:
            self.documents.documents_added(sorted(changes.added))
        self._timer.start(0)  # ops run outside the stack still get flushed

    def flush(self, *_args: object) -> None:
        """Revalidate what changed and update every view (once per undo step)."""
        self._timer.stop()
        docs, live = self.documents, self.documents.live
        pending, self._pending = self._pending, {}
        for doc_id, changed in pending.items():
            doc = self.edits.workspace.opened(doc_id)
            if doc is None:
                continue
            if changed is None:
                findings = live.validate(doc, fresh=False)
            else:
                findings = live.findings.get(doc.id, [])
                edited = [p for p in doc.projects if p.id in changed]
                for project in edited:
                    findings = live.revalidate(doc, project)
                if (doc.id == docs.current_doc_id and len(edited) == 1 and not self.edits.pushing
                        and edited[0] is not docs.current_project):
                    # An undo/redo changed another project: show it, as Excel shows the cell.
                    # (A new edit never navigates: the unit calendar edits every project.)
                    live.findings[doc.id] = findings
                    docs.select_project(doc, edited[0])
            self.v.tree.tree_model.sync_document(doc)
            docs.refresh_views(doc)
            docs.push_badges(doc_id, findings)
            docs.push_views(doc)

    def revalidate_current(self) -> None:
        doc = self.documents.current_document()
        if doc is not None:
            self.documents.push_badges(doc.id, self.documents.live.validate(doc))
            self.documents.push_views(doc)

    def jump_to(self, finding: Finding) -> None:
        """Show the project (and cell or field) a finding is about."""
        doc = self.documents.current_document()
        if doc is None:
            return
        v = self.v
        n = finding.project
        project = doc.projects[n - 1] if n and 0 < n <= len(doc.projects) else None
        if project is not self.documents.current_project or project is None:
            self.documents.select_project(doc, project)
        field = finding_field(finding)
        row = finding.row
        if project is None:
            v.unit_tabs.setCurrentWidget(v.part1_form)
            marked = v.part1_form.fields.get(field or "")
            if marked is not None:
                marked.editor.setFocus()
            return
        if row:
            v.project_tabs.setCurrentWidget(v.indicator_editor)
            v.indicator_editor.focus_cell(row, field)
        elif field in PLAN_FIELDS:
            v.project_tabs.setCurrentIndex(1)
        elif field in v.project_form.fields:
            v.project_fold.set_folded(False)
            v.project_form.fields[field].editor.setFocus()

    def waive(self, finding: Finding) -> None:
        """Accept a warning or hint with an explanation (undoable)."""
        doc = self.documents.current_document()
        if doc is None or finding.severity == "error":
            return
        text = WaiveDialog.ask(f"{finding.rule} {finding.message}", self.host)
        if text:
            self.edits.waive(doc, finding, text)

    def unwaive(self, finding: Finding) -> None:
        """Withdraw a waiver (undoable); the finding counts again."""
        doc = self.documents.current_document()
        if doc is not None and finding.waived:
            self.edits.waive(doc, finding, None)

