"""Waivers (出错说明): a written explanation that accepts a warning or a hint.

A waiver is stored with the document (table ``waiver``): the rule id, the finding's stable
location key, and references to its project and indicator row so that it follows the row
when rows move. The validator matches waivers to findings (``Finding.waived``/``waiver``);
errors can never be waived.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.models import Document, Waiver
from app.services.errors import PerfGoalsError
from app.services.storage.store import Store
from app.services.validation import Finding, waivable

MAX_EXPLANATION = 2000


@dataclass(frozen=True, slots=True)
class WaiverInfo:
    """A stored waiver as the UI lists it."""

    id: int
    rule: str
    location: str
    field: str | None
    explanation: str
    created_at: datetime


def check_explanation(explanation: str | None) -> str:
    """The explanation to store (stripped).

    Raises:
        PerfGoalsError: it is empty or too long.
    """
    text = (explanation or "").strip()
    if not text:
        raise PerfGoalsError("请填写出错说明")
    if len(text) > MAX_EXPLANATION:
        raise PerfGoalsError(f"出错说明不能超过{MAX_EXPLANATION}字")
    return text


def add_waiver(store: Store, doc_id: int, finding: Finding, explanation: str) -> int:
    """Store an explanation for a warning or hint; return the waiver id.

    An existing waiver at the same location is updated instead of duplicated.

    Raises:
        PerfGoalsError: the finding is an error, the explanation is empty or too long, or
            the document / project / row no longer exists.
    """
    if not waivable(finding):
        raise PerfGoalsError(f"错误（{finding.rule}）不能通过出错说明豁免，请修改数据")
    # One writer of waivers: the workspace's SetWaiver op (what the window's 豁免 applies).
    from app.services.workspace.ops import SetWaiver
    from app.services.workspace.workspace import Workspace

    with store.read_session() as sess:
        if sess.get(Document, doc_id) is None:
            raise PerfGoalsError(f"数据库中没有编号为{doc_id}的文档")
    Workspace(store).apply(SetWaiver(doc_id, finding.key, finding.rule, finding.field, finding.project,
                                     finding.row, explanation))
    with store.read_session() as sess:
        return sess.scalars(
            select(Waiver.id).where(Waiver.document_id == doc_id, Waiver.location == finding.key)
        ).one()


def remove_waiver(store: Store, waiver_id: int) -> None:
    """Delete a waiver (the finding shows again at the next validation)."""
    from app.services.workspace.ops import SetWaiver
    from app.services.workspace.workspace import Workspace

    with store.read_session() as sess:
        waiver = sess.get(Waiver, waiver_id)
        if waiver is None:
            raise PerfGoalsError(f"出错说明{waiver_id}不存在")
        doc_id, key, rule, field = waiver.document_id, waiver.location, waiver.rule_id, waiver.field
    Workspace(store).apply(SetWaiver(doc_id, key, rule, field, None, None, None))


def list_waivers(store: Store, doc_id: int) -> list[WaiverInfo]:
    """The waivers of a document, oldest first."""
    with store.read_session() as sess:
        rows = sess.scalars(select(Waiver).where(Waiver.document_id == doc_id).order_by(Waiver.id))
        return [WaiverInfo(w.id, w.rule_id, w.location, w.field, w.explanation, w.created_at) for w in rows]


def load_waivers(store: Store, doc_id: int) -> list[Waiver]:
    """The document's Waiver rows, detached, to pass as ``waivers=`` to the Validator.

    They match findings by location key (object identity differs from an open document).
    """
    with store.read_session() as sess:
        return list(sess.scalars(select(Waiver).where(Waiver.document_id == doc_id).order_by(Waiver.id)))
