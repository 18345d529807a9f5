"""Storing documents read from files: conflicts, backups, one transaction per file.

Readers (json, docx, xlsx) produce transient :class:`Document` graphs; this module decides
how they join what is stored. A document for a new unit/year goes in whole. For an existing
unit/year, part 1 is taken from the file when the file has one, and a project whose code is
already there is replaced, kept, or imported as a copy, as the user chooses; without a
choice a conflict stops the import and nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Document, Project, Unit, Waiver
from app.models.clone import clone_measure, clone_project, clone_subgoal, copy_columns
from app.services.bureau.opinions import merge_opinions
from app.services.bureau.versions import VersionCounts, record_version
from app.services.errors import InputError, PerfGoalsError
from app.services.formats.json_schema import MAX_YEAR, MIN_YEAR
from app.services.storage.store import Store
from app.services.validation.profile import PROFILE_NAMES


class OnConflict(StrEnum):
    """What to do with an incoming project whose code the unit/year already has."""

    REPLACE = "replace"
    KEEP = "keep"
    COPY = "copy"
    # The whole file is a resubmission: it becomes a new version of the stored document
    # (the earlier versions kept as snapshots, see app.services.bureau.versions).
    VERSION = "version"


COPY_SUFFIX = "（副本）"


class ConflictError(PerfGoalsError):
    """Projects in the file already exist and no choice was given."""

    exit_code = 5


@dataclass(slots=True)
class Conflict:
    """An incoming project whose code exists for the same unit and year."""

    unit_code: str
    year: int
    code: str
    stored_name: str | None
    incoming_name: str | None


@dataclass(slots=True)
class ImportResult:
    """What an import stored."""

    documents: int = 0
    projects_added: int = 0
    projects_replaced: int = 0
    projects_kept: int = 0
    projects_copied: int = 0
    document_ids: list[int] = field(default_factory=list)
    versions: list[int] = field(default_factory=list)  # version number recorded per document


def find_conflicts(store: Store, docs: list[Document]) -> list[Conflict]:
    """The projects of ``docs`` whose codes already exist for their unit and year."""
    out = []
    with store.read_session() as sess:
        for doc in docs:
            existing = _existing(sess, doc.unit.code, doc.year)
            if existing is None:
                continue
            stored = {p.code: p for p in existing.projects if p.code}
            for p in doc.projects:
                if p.code and p.code in stored:
                    out.append(
                        Conflict(doc.unit.code, doc.year, p.code, stored[p.code].name, p.name)
                    )
    return out


def _existing(sess: Session, unit_code: str, year: int) -> Document | None:
    return sess.scalars(
        select(Document).join(Document.unit).where(Unit.code == unit_code, Document.year == year)
    ).first()


def commit_documents(
    store: Store,
    docs: list[Document],
    on_conflict: OnConflict | None = None,
    source: str = "",
    backup: bool = True,
    counts: list[VersionCounts] | None = None,
) -> ImportResult:
    """Store transient documents read from one file, in one transaction.

    Args:
        store: the open database.
        docs: transient documents (not attached to any session).
        on_conflict: the choice for projects whose code exists; None refuses conflicts.
        source: the file name, for messages.
        backup: back the database up first (imports replace many rows).
        counts: the findings of each of ``docs`` when already known (the intake preview
            validated them). Given, or with ``OnConflict.VERSION``, each document brought in
            whole is recorded as a version (app.services.bureau.versions).

    Raises:
        ConflictError: conflicts exist and ``on_conflict`` is None. Nothing is stored.
    """
    check_importable(docs, source)
    conflicts = [] if on_conflict is OnConflict.VERSION else find_conflicts(store, docs)
    if conflicts and on_conflict is None:
        codes = "、".join(c.code for c in conflicts[:5])
        more = f"等{len(conflicts)}个" if len(conflicts) > 5 else ""
        raise ConflictError(
            f"文件“{source}”中的项目{codes}{more}已存在于相同单位和年度，"
            "请选择替换（replace）、保留（keep）或作为副本导入（copy）；未导入任何内容"
        )
    if on_conflict is OnConflict.REPLACE:
        _refuse_ambiguous_replace(docs, conflicts, source)
    if _has_data(store):
        # A damaged database is not written into (the import would spread the damage), and
        # a backup that does not fit is reported before anything changes.
        store.check_integrity()
        if backup:
            store.backup("import")
    result = ImportResult()
    with store.session() as sess:
        units: dict[str, Unit] = {}
        for n, doc in enumerate(docs):
            unit = units.get(doc.unit.code) or merge_unit(sess, doc.unit)
            units[unit.code] = unit
            existing = _existing(sess, unit.code, doc.year)
            # Two documents of a new unit share its Unit object, so adding the first one
            # cascades the second into the session: found here, it is already stored whole
            # (merging it into itself would append to the list being iterated, forever).
            if existing is None or existing is doc:
                incoming_unit = doc.unit
                doc.unit = unit
                if incoming_unit is not unit:
                    detach_unit(incoming_unit, doc)
                sess.add(doc)
                sess.flush()
                result.projects_added += len(doc.projects)
                versioned = True
            elif on_conflict is OnConflict.VERSION:
                result.projects_replaced += len(existing.projects)
                replace_content(existing, doc)
                sess.flush()
                doc = existing
                versioned = True
            else:
                _merge_into(existing, doc, on_conflict or OnConflict.KEEP, result)
                merge_opinions(existing, doc.opinions)
                sess.flush()
                doc = existing
                versioned = False
            result.documents += 1
            result.document_ids.append(doc.id)
            # Versions are the bureau's record of what it received: kept by the intake (which
            # knows the counts) and by resubmissions, not by a department's own imports.
            if versioned and (counts is not None or on_conflict is OnConflict.VERSION):
                known = counts[n] if counts is not None else None
                result.versions.append(record_version(sess, doc, Path(source).name, known).number)
    return result


def _refuse_ambiguous_replace(docs: list[Document], conflicts: list[Conflict], source: str) -> None:
    """Replacing needs one incoming project per stored code: two with one code is refused."""
    clashing = {(c.unit_code, c.year, c.code) for c in conflicts}
    for doc in docs:
        seen: set[str] = set()
        for p in doc.projects:
            if p.code and (doc.unit.code, doc.year, p.code) in clashing:
                if p.code in seen:
                    raise PerfGoalsError(
                        f"文件“{source}”中单位{doc.unit.code} {doc.year}年度有多个项目使用同一项目编码{p.code}，"
                        "无法确定用哪一个替换已有项目；请改正文件中的项目编码，或选择保留、作为副本导入；未导入任何内容"
                    )
                seen.add(p.code)
def check_importable(docs: list[Document], source: str) -> None:
    """Refuse, before anything is stored, documents that would store nonsense.

    The readers check these too; this is the last gate for every reader (and for documents
    built elsewhere): a unit/year twice in one file (which one wins would be an accident),
    an unknown rule profile (every later check of the unit would fail), a year out of range.

    Raises:
        InputError: naming the file, the unit and the problem. Nothing is stored.
    """
    seen: set[tuple[str, int]] = set()
    for doc in docs:
        key = (doc.unit.code, doc.year)
        where = f"文件“{source}”中单位{doc.unit.code}的{doc.year}年度"
        if key in seen:
            raise InputError(f"{where}出现了两次，请分开导入或合并后再导入；未导入任何内容")
        seen.add(key)
        if doc.profile not in PROFILE_NAMES:
            raise InputError(f"{where}使用了未知的规则配置“{doc.profile}”；未导入任何内容")
        if not isinstance(doc.year, int) or not MIN_YEAR <= doc.year <= MAX_YEAR:
            raise InputError(f"文件“{source}”中的预算年度{doc.year}超出范围（{MIN_YEAR}–{MAX_YEAR}）；未导入任何内容")


def _has_data(store: Store) -> bool:
    with store.read_session() as sess:
        return sess.scalars(select(Document.id).limit(1)).first() is not None


def merge_unit(sess: Session, incoming: Unit) -> Unit:
    """The stored unit of ``incoming``'s code (names filled in from it), or ``incoming``."""
    unit = sess.scalars(select(Unit).where(Unit.code == incoming.code)).first()
    if unit is None:
        return incoming
    if not unit.name and incoming.name:
        unit.name = incoming.name
    if not unit.region_code and incoming.region_code:
        unit.region_code = incoming.region_code
    return unit


def detach_unit(incoming: Unit, doc: Document) -> None:
    """Unhook ``doc`` from a transient unit that the stored one replaces."""
    if doc in incoming.documents:
        incoming.documents.remove(doc)


def replace_content(existing: Document, doc: Document) -> None:
    """Make the stored ``existing`` hold exactly what ``doc`` holds (a new version of it).

    Copies, never the incoming objects (see :func:`_merge_into`). The reviewer's opinions stay;
    the unit's answers carried in ``doc`` are merged into them.
    """
    for f in ("unit_line", "profile", "has_part1", "overall_label", "overall_text",
              "subgoals_label", "measures_label"):
        setattr(existing, f, getattr(doc, f))
    if doc.unit.name:
        existing.unit.name = doc.unit.name
    existing.subgoals = [clone_subgoal(s) for s in doc.subgoals]
    existing.measures = [clone_measure(m) for m in doc.measures]
    copies = {id(p): clone_project(p) for p in doc.projects}
    existing.waivers = []
    existing.projects = [copies[id(p)] for p in doc.projects]
    existing.waivers = [_copy_waiver(w, copies) for w in doc.waivers]
    merge_opinions(existing, doc.opinions)


def _copy_waiver(w: Waiver, copies: dict[int, Project]) -> Waiver:
    new_w = copy_columns(w)
    if w.project is not None:
        new_w.project = copies[id(w.project)]
        if w.indicator is not None:
            new_w.indicator = new_w.project.indicators[w.project.indicators.index(w.indicator)]
    return new_w


def _merge_into(existing: Document, doc: Document, policy: OnConflict, result: ImportResult) -> None:
    # Copies, never the incoming objects themselves: moving them would drag the transient
    # document (and its unit) into the session along the back-references.
    if doc.has_part1:
        existing.has_part1 = True
        for f in ("overall_label", "overall_text", "subgoals_label", "measures_label"):
            setattr(existing, f, getattr(doc, f))
        existing.subgoals = [clone_subgoal(s) for s in doc.subgoals]
        existing.measures = [clone_measure(m) for m in doc.measures]
    if doc.unit_line and not existing.unit_line:
        existing.unit_line = doc.unit_line
    by_code = {p.code: p for p in existing.projects if p.code}
    next_pos = max((p.position for p in existing.projects), default=-1) + 1
    copies: dict[int, Project] = {}
    # Snapshots: the loops below append to ``existing``; iterate only what came in.
    for p in list(doc.projects):
        old = by_code.get(p.code) if p.code else None
        if old is not None and policy is OnConflict.KEEP:
            result.projects_kept += 1
            continue
        new = clone_project(p)
        copies[id(p)] = new
        if old is not None and policy is OnConflict.REPLACE:
            new.position = old.position
            existing.projects[existing.projects.index(old)] = new
            result.projects_replaced += 1
            continue
        new.position = next_pos
        next_pos += 1
        if old is not None:
            new.name = f"{p.name or ''}{COPY_SUFFIX}"
            result.projects_copied += 1
        else:
            result.projects_added += 1
        existing.projects.append(new)
    for w in list(doc.waivers):
        if w.project is not None and id(w.project) not in copies:
            continue
        existing.waivers.append(_copy_waiver(w, copies))
