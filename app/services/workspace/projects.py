"""Project-level operations of the window that go beyond single edits.

Light listings for the project tree (titles only, so the tree of a 100-unit database opens
without loading every indicator), finding or creating a unit's document for a year, and the
transient rows that new / duplicated projects start from. The edits themselves go through
ops of :mod:`app.services.workspace.workspace`, so they are committed at once and can be undone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.models import Document, Indicator, Project, Unit
from app.models.clone import clone_project
from app.services.storage.documents import create_document
from app.services.storage.store import Store

DUPLICATE_SUFFIX = "（副本）"
NEW_PROJECT_NAME = "新项目"


@dataclass(frozen=True, slots=True)
class ProjectTitle:
    """What the tree shows of a project before its document is opened."""

    document_id: int
    project_id: int
    position: int
    code: str | None
    name: str | None


def list_project_titles(store: Store) -> dict[int, list[ProjectTitle]]:
    """Every project's code and name by document id, in document order (one query)."""
    out: dict[int, list[ProjectTitle]] = {}
    with store.read_session() as sess:
        rows = sess.execute(
            select(Project.document_id, Project.id, Project.position, Project.code, Project.name)
            .order_by(Project.document_id, Project.position)
        ).all()
    for doc_id, pid, pos, code, name in rows:
        out.setdefault(doc_id, []).append(ProjectTitle(doc_id, pid, pos, code, name))
    return out


def find_document(store: Store, unit_code: str, year: int) -> int | None:
    """The id of the document of unit ``unit_code`` for ``year``, or None."""
    with store.read_session() as sess:
        return sess.scalars(
            select(Document.id).join(Document.unit).where(Unit.code == unit_code, Document.year == year)
        ).first()


def ensure_document(store: Store, unit_code: str, unit_name: str, year: int) -> tuple[int, bool]:
    """The document of a unit for a year, created empty when missing; (id, created)."""
    existing = find_document(store, unit_code, year)
    if existing is not None:
        return existing, False
    return create_document(store, unit_code, unit_name, year), True


def new_project_values(doc: Document) -> Project:
    """A new project for ``doc``, its indicator table laid out by the framework, ready to fill.

    The rows are those of the document's profile (``new_project_rows``: 产出 数量/质量/时效/
    成本, 效益, 满意度 in hebei2015), with 一级 and 二级 filled and the rest blank, so the user
    types 三级 names and values instead of building the structure.
    """
    from app.services.validation.profile import load_profile

    project = Project(seq=len(doc.projects) + 1, name=NEW_PROJECT_NAME, code=None)
    rows = starter_rows(load_profile(doc.profile or "hebei2015").data)
    project.indicators = [Indicator(level1=l1, level2=l2, position=n) for n, (l1, l2) in enumerate(rows)]
    return project


def starter_rows(profile_data: dict[str, Any]) -> list[tuple[str, str]]:
    """(一级, 二级) rows a new project starts with: the profile's list, else one per 二级 of 产出."""
    listed = profile_data.get("new_project_rows")
    if listed:
        return [(str(a), str(b)) for a, b in listed]
    rows: list[tuple[str, str]] = []
    for level1, level2s in profile_data.get("framework", {}).items():
        picks = level2s if level1 == profile_data.get("levels", {}).get("output") else level2s[:1]
        rows += [(level1, l2) for l2 in picks]
    return rows


def duplicate_of(project: Project) -> Project:
    """A transient copy of ``project`` (with its indicators) named “…（副本）”."""
    copy = clone_project(project, with_executions=False)  # actual spending stays with the original
    copy.name = f"{project.name or ''}{DUPLICATE_SUFFIX}"
    copy.heading = None
    return copy


def project_label(project: Project | ProjectTitle, number: int) -> str:
    """“5. 项目名称” as the tree and the problems panel show it."""
    name = (project.name or "").strip() or "（未命名项目）"
    return f"{number}. {name}"
