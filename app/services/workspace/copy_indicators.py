"""从其他项目复制指标 (no Qt): the projects of the unit, this year and other years, to copy from.

Projects are listed by title only (nothing loaded until one is chosen); the rows copied are
the indicator texts as written (一级 … 指标值确定依据), appended to the current project by the
window as one undo step.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.models import Document, Project
from app.services.storage.documents import list_documents, load_document
from app.services.storage.store import Store
from app.services.workspace.projects import list_project_titles, project_label

COPIED = ("level1", "level2", "level3", "description", "value_raw", "basis")


@dataclass(frozen=True, slots=True)
class SourceProject:
    label: str  # “2023年度 5. 食品安全监管”
    document_id: int
    project_id: int


def source_projects(store: Store, doc: Document, current: Project | None) -> list[SourceProject]:
    """The unit's other projects: this year first, then earlier (and later) years, newest first."""
    titles = list_project_titles(store)
    years = [d for d in list_documents(store) if d.unit_code == doc.unit.code]
    years.sort(key=lambda d: (d.id != doc.id, -d.year))
    out = []
    for d in years:
        for n, t in enumerate(titles.get(d.id, []), start=1):
            if current is not None and t.project_id == current.id:
                continue
            out.append(SourceProject(f"{d.year}年度 {project_label(t, n)}", d.id, t.project_id))
    return out


def indicator_rows(store: Store, source: SourceProject) -> list[dict[str, str | None]]:
    """The indicator rows of ``source`` as column values, in order."""
    doc = load_document(store, source.document_id)
    project = next((p for p in doc.projects if p.id == source.project_id), None)
    if project is None:
        return []
    return [{attr: getattr(ind, attr) for attr in COPIED} for ind in project.indicators]
