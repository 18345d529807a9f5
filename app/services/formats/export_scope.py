"""What an export or a print covers: one project, a selection of projects, or whole units.

Writers take whole documents; a partial export is a transient copy of the document holding
only the chosen projects (and part 1 only when the whole unit is exported).
"""

from __future__ import annotations

from collections.abc import Iterable

from app.models import Document, Unit
from app.models.clone import clone_measure, clone_project, clone_subgoal, copy_columns


def subset_document(doc: Document, project_ids: Iterable[int] | None = None) -> Document:
    """A transient copy of ``doc``; with ``project_ids`` only those projects and no part 1.

    Args:
        doc: a loaded (detached) document.
        project_ids: the ids of the projects to keep, or None for the whole document.
    """
    unit = Unit(code=doc.unit.code, name=doc.unit.name, region_code=doc.unit.region_code)
    out = copy_columns(doc)
    out.unit = unit
    keep = None if project_ids is None else set(project_ids)
    out.projects = [clone_project(p) for p in doc.projects if keep is None or p.id in keep]
    if keep is None:
        out.subgoals = [clone_subgoal(s) for s in doc.subgoals]
        out.measures = [clone_measure(m) for m in doc.measures]
    else:
        out.has_part1 = False
    return out


def default_file_name(doc: Document, fmt: str, project_name: str | None = None) -> str:
    """A file name the user can keep: “422001_2024_单位名称.docx” or with the project name."""
    base = f"{doc.unit.code}_{doc.year}_{project_name or doc.unit.name or '绩效目标'}"
    safe = "".join("_" if ch in '\\/:*?"<>|' else ch for ch in base)
    return f"{safe}.{fmt}"
