"""Operations on open documents, as values.

Every change the window (or a test) makes is one of these frozen dataclasses, handed to
:meth:`app.services.workspace.workspace.Workspace.apply`, which returns the inverse op and a
:class:`~app.services.workspace.changes.Changes`. Rows are addressed by position
(:class:`Ref`), never by Python object identity, and removed rows travel as
:class:`RowSnapshot` values: undo is applying the inverse, and a restored row may get a new
database id without any op further down the history noticing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# Ordered row lists: "projects", "subgoals", "measures" of a document; "indicators" of a
# project (then ``project_index`` says which). "document" addresses the document itself.
ROW_LISTS = ("projects", "subgoals", "measures", "indicators")


@dataclass(frozen=True, slots=True)
class Ref:
    """Where a row is: ``document.<list_name>[index]`` (or in project ``project_index``)."""

    doc_id: int
    list_name: str = "document"
    index: int = 0
    project_index: int | None = None

    def at(self, index: int) -> Ref:
        """The same list at another position."""
        return Ref(self.doc_id, self.list_name, index, self.project_index)


@dataclass(frozen=True, slots=True)
class WaiverSnapshot:
    """A waiver (出错说明) as a value; ``project``/``row`` are 0-based positions in the snapshot
    that carries it (for a document-level waiver: positions in the document)."""

    rule_id: str
    field: str | None
    location: str
    explanation: str
    created_at: datetime
    project: int | None = None
    row: int | None = None


@dataclass(frozen=True, slots=True)
class RowSnapshot:
    """A row and what goes with it: a project's indicators and 执行数, and waivers on it.

    ``values`` are the editable column values (no ids, no position); parsed columns are
    derived again from their raw text when stored.
    """

    values: tuple[tuple[str, Any], ...]
    indicators: tuple[RowSnapshot, ...] = ()
    executions: tuple[tuple[int, str | None], ...] = ()
    waivers: tuple[WaiverSnapshot, ...] = ()


@dataclass(frozen=True, slots=True)
class FieldValue:
    """One field of one row and the value to set."""

    ref: Ref
    field: str
    value: Any


@dataclass(frozen=True, slots=True)
class SetFields:
    """Set fields of rows or of the document, in one transaction (a paste is one op)."""

    items: tuple[FieldValue, ...]


@dataclass(frozen=True, slots=True)
class InsertRow:
    """Insert ``row`` at ``ref`` (index clamped to the list's length)."""

    ref: Ref
    row: RowSnapshot


@dataclass(frozen=True, slots=True)
class DeleteRow:
    """Delete the row at ``ref`` with its indicators, 执行数 and waivers."""

    ref: Ref


@dataclass(frozen=True, slots=True)
class MoveRow:
    """Move the row at ``ref`` to position ``to`` of the same list."""

    ref: Ref
    to: int


@dataclass(frozen=True, slots=True)
class SetWaiver:
    """Write (or with ``explanation=None`` withdraw) the waiver at location ``key``.

    ``project``/``row`` are 1-based like a finding's; ``created_at`` None means now.
    """

    doc_id: int
    key: str
    rule_id: str
    field: str | None
    project: int | None
    row: int | None
    explanation: str | None
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class OpinionSnapshot:
    """A 审核意见 and the unit's answer, as a value (the columns of :class:`app.models.Opinion`
    without ids); the place is by project code and 1-based row, as in the files."""

    uid: str
    text: str
    project_code: str | None = None
    row: int | None = None
    field: str | None = None
    rule_id: str | None = None
    finding_key: str | None = None
    author: str | None = None
    created_at: datetime | None = None
    reply: str | None = None
    replied_at: datetime | None = None
    resolved: bool = False


@dataclass(frozen=True, slots=True)
class SetOpinion:
    """Add or change (回复, 已处理, text) the opinion ``uid`` of a document, or with
    ``opinion=None`` withdraw it."""

    doc_id: int
    uid: str
    opinion: OpinionSnapshot | None


@dataclass(frozen=True, slots=True)
class SetReviewStatus:
    """Set the review status of a document (未审 / 审核中 / 已退回 / 已通过), remembering the
    version it was set on: the latest one, unless ``version`` says which (its inverse does).
    ``status=None`` clears the state (the document was never given one)."""

    doc_id: int
    status: str | None
    version: int | None = None
    latest: bool = True


@dataclass(frozen=True, slots=True)
class SetExecution:
    """Record (or with None clear) the 执行数 of project ``ref`` for ``month``."""

    ref: Ref
    month: int
    text: str | None


@dataclass(frozen=True, slots=True)
class CreateDocument:
    """新建单位: the unit (if new) and its empty document for ``year``."""

    unit_code: str
    unit_name: str
    year: int


@dataclass(frozen=True, slots=True)
class DeleteDocument:
    """Delete a document (and its unit when it has no other year)."""

    doc_id: int


@dataclass(frozen=True, slots=True, eq=False)
class RestoreDocument:
    """Store a document again from its JSON form (the inverse of :class:`DeleteDocument`).

    ``doc_id`` is the id it had: kept when free, and mapped otherwise, so ops further
    down the history that name the old id still find it.
    """

    doc_id: int
    data: dict[str, Any]
    # The bureau's versions and review status of it (app.services.bureau.versions.bureau_records).
    records: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class CarryOver:
    """延续: copy projects (all when ``projects`` is None, with part 1 when the target has
    none) of a document into the unit's document of ``year`` (created when missing)."""

    doc_id: int
    year: int
    projects: tuple[int, ...] | None = None


@dataclass(frozen=True, slots=True, eq=False)
class ImportDocuments:
    """Store documents read from a file (JSON form), replacing / keeping / copying projects
    whose code exists as ``on_conflict`` says ("replace", "keep", "copy" or None)."""

    documents: tuple[dict[str, Any], ...]
    on_conflict: str | None = None
    source: str = ""
    backup: bool = True


@dataclass(frozen=True, slots=True, eq=False)
class TakeIn:
    """批量导入: store the accepted files of an intake preview (app.services.bureau.intake),
    each a new unit/year or a new version of one held, one backup first.

    Applied once: what it stored is undone by its inverse (documents deleted, or put back with
    their versions and review status), and a redo applies the inverse's inverse. ``progress``
    is told of each file (and may cancel); the intake's report is appended to ``outcome``.
    """

    preview: Any
    policy: str = "version"
    progress: Any = field(default=None, repr=False)
    outcome: list[Any] = field(default_factory=list, repr=False)


@dataclass(frozen=True, slots=True)
class Batch:
    """Several ops applied in order as one step (paste, fill down, delete of many rows)."""

    ops: tuple[Op, ...] = field(default=())


Op = (SetFields | InsertRow | DeleteRow | MoveRow | SetWaiver | SetOpinion | SetReviewStatus | SetExecution
      | CreateDocument | DeleteDocument | RestoreDocument | CarryOver | ImportDocuments | TakeIn | Batch)
