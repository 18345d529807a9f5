"""Which document and project the window shows, and the tree of every unit and year.

The open graphs belong to the workspace (app/services/workspace/workspace.py); this
controller only says which one is shown, puts it into the forms and editors, and shows the
findings the live validation keeps (badges in the tree, markers in the views).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QDockWidget, QLabel, QSplitter, QStackedWidget, QTabWidget, QWidget

from app.models import Document, Project
from app.services.bureau.opinions import OpinionFinding, opinion_findings
from app.services.errors import PerfGoalsError
from app.services.storage.documents import list_documents, load_document
from app.services.storage.store import Store
from app.services.validation import Finding
from app.services.workspace.projects import list_project_titles, project_label
from app.services.workspace.workspace import Workspace
from app.ui.commands import Edits
from app.ui.editors.forms import Part1Form, ProjectForm
from app.ui.editors.indicator_editor import IndicatorEditor
from app.ui.editors.spending_calendar import ProjectSpendingEditor, SpendingCalendar
from app.ui.fold import FoldablePanel
from app.ui.live import LiveValidation, counts, counts_text, project_counts
from app.ui.panels.problems import ProblemsPanel
from app.ui.panels.project_tree import Node, ProjectTree


@dataclass(frozen=True, slots=True)
class Views:
    """The widgets of the window that show a document (built by the window)."""

    stack: QStackedWidget  # empty state or pages
    empty_state: QWidget
    pages: QStackedWidget  # unit page or project page
    unit_tabs: QTabWidget
    project_tabs: QTabWidget
    project_split: QSplitter
    part1_form: Part1Form
    spending_calendar: SpendingCalendar
    project_form: ProjectForm
    indicator_editor: IndicatorEditor
    project_spending: ProjectSpendingEditor
    project_fold: FoldablePanel  # the project form, foldable
    tree: ProjectTree
    tree_dock: QDockWidget
    problems: ProblemsPanel
    problems_dock: QDockWidget
    counts_label: QLabel


BADGE_PAUSE_MS = 1000
POSITION_SAVE_MS = 2000


class DocumentsController(QObject):
    """The shown document and project; the tree; findings pushed to the views."""

    shown = Signal()  # the shown document or project changed
    listed = Signal(bool)  # the tree was rebuilt (with or without documents)

    def __init__(self, edits: Edits, views: Views, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.edits, self.v = edits, views
        self.live = LiveValidation()
        self.current_doc_id: int | None = None
        self.current_project: Project | None = None
        self._pushed_signature: object = None
        self.split_sized = False  # the project splitter got its first sizes (or restored ones)
        # Badges of units not opened yet are filled in the background, one unit per tick.
        self._badge_queue: list[int] = []
        self._badge_timer = QTimer(self)
        self._badge_timer.setInterval(40)
        self._badge_timer.timeout.connect(self._fill_one_badge)
        # A tick loads and validates a whole unit: while the user moves through the tree the
        # ticks wait, so a click is not queued behind one (they resume after a quiet moment).
        self._badge_resume = QTimer(self)
        self._badge_resume.setSingleShot(True)
        self._badge_resume.setInterval(BADGE_PAUSE_MS)
        self._badge_resume.timeout.connect(self._resume_badges)
        # The last position is written once the user settles (and on closing), not on every
        # click: each QSettings write syncs the settings file to disk.
        self._position_timer = QTimer(self)
        self._position_timer.setSingleShot(True)
        self._position_timer.setInterval(POSITION_SAVE_MS)
        self._position_timer.timeout.connect(self.save_position)
        self.forgotten: list[Callable[[int], None]] = []  # told when a document's findings go
        # 审核意见 as finding-shaped rows, per open document graph: rebuilt only after an op
        # touched its opinions (Changes.review) or its projects' codes and order.
        self._opinion_rows: dict[int, tuple[Document, list[OpinionFinding]]] = {}
        # What a resubmission changed since the reviewed version, marked in place (审核总览 →
        # 与审核过的版本比较) until the document's rows move or it is reloaded.
        self.change_marks: dict[int, list[Finding]] = {}
        views.tree.node_activated.connect(self.open_node)

    @property
    def workspace(self) -> Workspace:
        return self.edits.workspace

    @property
    def store(self) -> Store:
        return self.edits.store

    # ------------------------------------------------------------------ database
    def set_store(self, store: Store) -> None:
        """Show another database: a new workspace, an empty history, nothing validated yet."""
        self._badge_queue = []
        self.edits.set_workspace(Workspace(store))
        self.live = LiveValidation()
        self.current_doc_id, self.current_project = None, None
        self.refresh()
        self._restore_position()

    def _settings_key(self) -> str:
        return "lastPosition/" + self.store.display_name.replace("/", "|").replace("\\", "|")

    def _restore_position(self) -> None:
        value = QSettings().value(self._settings_key())
        doc_id = project_id = None
        if isinstance(value, str) and value:
            parts = value.split(":")
            doc_id = int(parts[0])
            project_id = int(parts[1]) if len(parts) > 1 and parts[1] else None
        if doc_id is None or not self.v.tree.select_node(doc_id, project_id):
            self.select_first()

    def select_first(self) -> None:
        """Show the first unit of the latest year."""
        first = self.v.tree.tree_model.root.children
        if first and first[-1].children:
            self.v.tree.select_node(first[-1].children[0].doc_id)

    def save_position(self) -> None:
        self._position_timer.stop()
        if self.current_doc_id is not None:
            pid = self.current_project.id if self.current_project is not None else ""
            QSettings().setValue(self._settings_key(), f"{self.current_doc_id}:{pid}")

    def refresh(self) -> None:
        """Rebuild the tree from the database; show the empty state when there is nothing."""
        v = self.v
        docs = list_documents(self.store)
        was_empty = v.stack.currentWidget() is v.empty_state
        if not docs:
            v.tree.tree_model.rebuild([], {})
            v.stack.setCurrentWidget(v.empty_state)
            # Nothing to list yet: the welcome page alone, without two empty panels.
            v.tree_dock.hide()
            v.problems_dock.hide()
            self.listed.emit(False)
            return
        if was_empty:
            v.tree_dock.show()
            v.problems_dock.show()
        v.tree.tree_model.rebuild(docs, list_project_titles(self.store))
        self.listed.emit(True)
        for doc_id, findings in self.live.findings.items():
            self.push_badges(doc_id, findings)
        self._badge_queue = [d.id for d in reversed(docs) if d.id not in self.live.findings]
        self._badge_timer.start()
        v.stack.setCurrentWidget(v.pages)

    def stop_background(self) -> None:
        """The window is closing: no more background validation (its store is closed next)."""
        self._badge_queue = []
        for timer in (self._badge_timer, self._badge_resume, self._position_timer):
            timer.stop()

    def _pause_badges(self) -> None:
        if self._badge_timer.isActive() or self._badge_resume.isActive():
            self._badge_timer.stop()
            self._badge_resume.start()

    def _resume_badges(self) -> None:
        if self._badge_queue:
            self._badge_timer.start()

    def _fill_one_badge(self) -> None:
        """Validate one unit that is not open, for its tree badges only (nothing is kept)."""
        while self._badge_queue:
            doc_id = self._badge_queue.pop()
            if doc_id in self.live.findings:
                continue
            try:
                doc = load_document(self.store, doc_id)
            except PerfGoalsError:
                continue
            self.push_badges(doc_id, LiveValidation().validate(doc), doc)
            self.opinions_changed(doc_id)  # not kept: the document is not open
            return
        self._badge_timer.stop()

    def documents_added(self, doc_ids: list[int]) -> None:
        """Documents created, restored or imported by an op: list them and show the first."""
        for doc_id in doc_ids:
            self._forget(doc_id)
        if self.current_doc_id in doc_ids:
            self.current_doc_id, self.current_project = None, None
        self.refresh()
        self.v.tree.select_node(doc_ids[0])

    def document_removed(self, doc_id: int) -> None:
        """A document was deleted by an op: drop it and show another one."""
        self._forget(doc_id)
        if self.current_doc_id == doc_id:
            self.current_doc_id = None
            self.current_project = None
        self.refresh()
        if self.current_doc_id is None:
            self.select_first()

    def _forget(self, doc_id: int) -> None:
        self.live.forget(doc_id)
        self._opinion_rows.pop(doc_id, None)
        self.change_marks.pop(doc_id, None)
        for listener in self.forgotten:
            listener(doc_id)

    # ------------------------------------------------------------------ navigation
    def document(self, doc_id: int) -> Document:
        """The open (detached) document ``doc_id``, loaded and validated on first use."""
        fresh = not self.workspace.is_open(doc_id)
        doc = self.workspace.document(doc_id)
        if fresh or doc.id not in self.live.findings:
            self.push_badges(doc.id, self.live.validate(doc))
        return doc

    def current_document(self) -> Document | None:
        return self.workspace.opened(self.current_doc_id) if self.current_doc_id is not None else None

    def open_node(self, node: Node) -> None:
        """Show what a tree row stands for."""
        if node.doc_id is None:
            return
        self.commit_pending()
        v = self.v
        doc = self.document(node.doc_id)
        self.current_doc_id = doc.id
        project = None
        if node.kind == "project":
            project = next((p for p in doc.projects if p.id == node.project_id), None)
        self.current_project = project
        self._pushed_signature = None
        if project is None:
            v.part1_form.set_document(doc)
            v.spending_calendar.set_document(doc)
            v.pages.setCurrentWidget(v.unit_tabs)
        else:
            v.project_form.set_project(doc, project)
            v.indicator_editor.set_project(doc, project)
            v.project_spending.set_project(doc, project)
            v.pages.setCurrentWidget(v.project_split)
            if not self.split_sized:
                # Sized once the page is laid out: the form gets what it needs, the
                # indicator table the rest (the user's own splitter moves are kept after).
                self.split_sized = True
                v.project_fold.fit_splitter()
        self.push_views(doc)
        self.shown.emit()
        self._pause_badges()
        self._position_timer.start()

    def selected_projects(self) -> list[tuple[Document, Project]]:
        out = []
        for node in self.v.tree.selected_nodes():
            if node.kind == "project" and node.doc_id is not None:
                doc = self.document(node.doc_id)
                p = next((p for p in doc.projects if p.id == node.project_id), None)
                if p is not None:
                    out.append((doc, p))
        return out

    def select_project(self, doc: Document, project: Project | None) -> None:
        self.v.tree.select_node(doc.id, project.id if project is not None else None)

    def index_of_current(self) -> tuple[Document, int] | None:
        """The shown document and the position of the shown project in it."""
        doc, p = self.current_document(), self.current_project
        if doc is None or p is None or p not in doc.projects:
            return None
        return doc, doc.projects.index(p)

    def commit_pending(self) -> None:
        """Commit what the user is typing in a form (before switching away or closing)."""
        self.v.part1_form.commit_pending()
        self.v.project_form.commit_pending()

    # ------------------------------------------------------------------ findings to views
    def push_badges(self, doc_id: int, findings: list[Finding], doc: Document | None = None) -> None:
        """Counts of the tree's badges: findings, and the open 审核意见 of ``doc`` (the open graph
        of ``doc_id`` unless given)."""
        doc = doc or self.workspace.opened(doc_id)
        opinions = [] if doc is None else [o for o in self.opinion_rows(doc) if not o.resolved]
        self.v.tree.tree_model.set_counts(doc_id, project_counts([*findings, *opinions]))

    def opinion_rows(self, doc: Document) -> list[OpinionFinding]:
        """The document's 审核意见 as rows of the problems panel (cached per open graph)."""
        cached = self._opinion_rows.get(doc.id)
        if cached is None or cached[0] is not doc:  # a reload brings another graph
            cached = self._opinion_rows[doc.id] = (doc, opinion_findings(doc))
        return cached[1]

    def opinions_changed(self, doc_id: int) -> None:
        """Forget the opinion rows of ``doc_id`` (its opinions, or what places them, changed)."""
        self._opinion_rows.pop(doc_id, None)

    def push_views(self, doc: Document) -> None:
        """Findings of the shown document to the forms, editors, problems panel, status bar."""
        if doc.id != self.current_doc_id:
            return
        v = self.v
        findings = self.live.findings.get(doc.id, [])
        labels = [project_label(p, n) for n, p in enumerate(doc.projects, start=1)]
        # 审核意见 are listed beside the findings (their own kind); the editors mark findings only.
        opinions = self.opinion_rows(doc)
        v.problems.set_findings([*findings, *opinions], labels, scope=doc.id)
        # Open opinions and change marks mark their place in the forms and the indicator table.
        marks: list[Finding] = [*(o for o in opinions if not o.resolved), *self.change_marks.get(doc.id, ())]
        v.part1_form.set_findings([*findings, *(m for m in marks if m.project is None)])
        v.spending_calendar.set_findings(findings)
        project = self.current_project
        if project is not None and project in doc.projects:
            n = doc.projects.index(project) + 1
            mine = [f for f in [*findings, *marks] if f.project == n]
            # Views repaint every marked cell on set_findings: skip when nothing changed.
            signature = (id(project), n, tuple((f.key, f.severity, f.message, f.waived) for f in mine))
            if signature != self._pushed_signature:
                self._pushed_signature = signature
                v.project_form.set_findings(mine)
                v.project_fold.update_summary()
                v.indicator_editor.set_findings(mine)
                v.project_spending.set_findings(mine)
        c = counts(findings)
        v.counts_label.setText(counts_text(c))

    def refresh_views(self, doc: Document) -> None:
        """Show the current values of the shown document (after an op changed it)."""
        if doc.id != self.current_doc_id:
            return
        if self.current_project is not None and self.current_project not in doc.projects:
            # The shown project was deleted (or its deletion redone): go to the unit page.
            self.current_project = None
            self.select_project(doc, None)
            return
        v = self.v
        for form in (v.part1_form, v.project_form):
            form.refresh()
        for pane in (v.spending_calendar, v.project_spending):
            pane.refresh()
