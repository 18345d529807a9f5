"""Choosing what an export or a print holds: everything, one unit, one project or a selection.

The one home of this choice for the window (export, print, PDF) and the CLI. Writers take
whole documents; a selection is expressed as transient documents that hold only the chosen
projects (copies, never attached to a session) with their 出错说明, so every writer — docx,
xlsx, pdf, json — exports a selection without knowing about it.
"""

from __future__ import annotations

from collections.abc import Collection

from app.models import Document, Project, Unit, Waiver
from app.models.clone import clone_measure, clone_project, clone_subgoal, copy_columns

_PART1_FIELDS = ("overall_label", "overall_text", "subgoals_label", "measures_label")


def select_documents(
    docs: list[Document],
    project_ids: Collection[int] | None = None,
    unit_code: str | None = None,
    year: int | None = None,
    include_part1: bool | None = None,
) -> list[Document]:
    """The documents to export, reduced to a unit, a year and/or a set of projects.

    Args:
        docs: stored (detached) or transient documents.
        project_ids: ids of the projects to export (``Project.id``); None exports all.
        unit_code: only this unit's documents.
        year: only this budget year.
        include_part1: export part 1 too; by default only when no project filter is given.

    Returns:
        The original documents when nothing is filtered out, else transient copies holding
        only the chosen projects, their waivers and opinions (documents left without content are
        dropped).
    """
    chosen = [d for d in docs if (unit_code is None or d.unit.code == unit_code)
              and (year is None or d.year == year)]
    if project_ids is None and include_part1 is not False:
        return chosen
    ids = set(project_ids) if project_ids is not None else None
    part1 = include_part1 if include_part1 is not None else ids is None
    out = []
    for doc in chosen:
        projects = [p for p in doc.projects if ids is None or p.id in ids]
        if not projects and not (part1 and doc.has_part1):
            continue
        out.append(_copy(doc, projects, part1))
    return out


def default_file_name(docs: list[Document], fmt: str) -> str:
    """A file name the user can keep for exporting ``docs``.

    “422001_2024_单位名称.docx”, or with the project's name when the export is one project
    without part 1.
    """
    doc = docs[0]
    name = doc.unit.name or "绩效目标"
    if len(docs) == 1 and len(doc.projects) == 1 and not doc.has_part1:
        name = doc.projects[0].name or name
    base = f"{doc.unit.code}_{doc.year}_{name}"
    safe = "".join("_" if ch in '\\/:*?"<>|' else ch for ch in base)
    return f"{safe}.{fmt}"


def _copy(doc: Document, projects: list[Project], part1: bool) -> Document:
    new = copy_columns(doc)
    new.unit = Unit(code=doc.unit.code, name=doc.unit.name, region_code=doc.unit.region_code)
    new.has_part1 = part1 and doc.has_part1
    if new.has_part1:
        new.subgoals = [clone_subgoal(s) for s in doc.subgoals]
        new.measures = [clone_measure(m) for m in doc.measures]
    else:
        for f in _PART1_FIELDS:
            setattr(new, f, None)
    copies: dict[int, Project] = {}
    for n, p in enumerate(projects):
        copy = clone_project(p)
        copy.position = n
        new.projects.append(copy)
        copies[id(p)] = copy
    # The explanations (出错说明) of what is exported go with it.
    for w in doc.waivers:
        project = indicator = None
        if w.project is None:
            if not new.has_part1:
                continue
        else:
            project = copies.get(id(w.project))
            if project is None:
                continue
            if w.indicator is not None:
                rows = list(w.project.indicators)
                if w.indicator not in rows:
                    continue
                indicator = project.indicators[rows.index(w.indicator)]
        new.waivers.append(Waiver(rule_id=w.rule_id, project=project, indicator=indicator,
                                  field=w.field, location=w.location, explanation=w.explanation,
                                  created_at=w.created_at))
    # So do the 审核意见 on them (and on the unit when part 1 goes too), with their answers.
    codes = {p.code for p in projects if p.code}
    new.opinions = [copy_columns(o) for o in doc.opinions
                    if (o.project_code is None and new.has_part1) or o.project_code in codes]
    return new
