"""审核意见: written by the reviewer, answered (回复, 已处理) by the unit, matched by ``uid``.

The reviewer owns an opinion's text and place; the unit owns its answer. Merging opinions
that come back in a file therefore takes the answer from the file and keeps the text held,
and adds opinions not held yet (a review file arriving at the unit).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select

from app.models import Document, Opinion
from app.services.errors import InputError
from app.services.storage.store import Store
from app.services.validation import FIELD_LABELS, Finding
from app.services.workspace.ops import OpinionSnapshot, SetOpinion


def new_uid() -> str:
    """A fresh id for an opinion that travels between databases."""
    return uuid.uuid4().hex


def place_label(o: Opinion) -> str:
    """Where an opinion sits, in Chinese: 单位整体 / 项目 CODE 第N行 指标值."""
    parts = ["单位整体"] if o.project_code is None else [f"项目 {o.project_code}"]
    if o.row is not None:
        parts.append(f"第{o.row}行")
    if o.field:
        parts.append(FIELD_LABELS.get(o.field, o.field))
    return " ".join(parts)


# Bounded as the columns are (code 64, field 32 characters; a row number of at most 5 digits):
# a place read from a file that does not fit is not a place.
_PLACE_RE = re.compile(
    r"^\s*(?:单位整体|项目\s+(?P<code>\S{1,64}))(?:\s+第(?P<row>\d{1,5})行)?(?:\s+(?P<field>\S{1,32}))?\s*$")
_FIELDS_BY_LABEL = {v: k for k, v in FIELD_LABELS.items()}


def parse_place(text: str) -> OpinionPlace | None:
    """The place :func:`place_label` printed, read back (None when it is not one)."""
    m = _PLACE_RE.match(text or "")
    if m is None:
        return None
    field = m.group("field")
    return OpinionPlace(m.group("code"), int(m.group("row")) if m.group("row") else None,
                        _FIELDS_BY_LABEL.get(field, field) if field else None)


def merge_opinions(target: Document, incoming: list[Opinion]) -> int:
    """Merge opinions read from a file into ``target``'s; return how many were new.

    Held opinions take the answer (reply, replied_at, resolved) from the file when the file
    has a newer or any answer; opinions not held are added as copies.
    """
    held = {o.uid: o for o in target.opinions}
    added = 0
    for o in incoming:
        mine = held.get(o.uid)
        if mine is None:
            copy = Opinion(
                uid=o.uid, project_code=o.project_code, row=o.row, field=o.field,
                rule_id=o.rule_id, finding_key=o.finding_key, text=o.text, author=o.author,
                created_at=o.created_at, reply=o.reply, replied_at=o.replied_at,
                resolved=bool(o.resolved),
            )
            target.opinions.append(copy)
            held[o.uid] = copy
            added += 1
        elif (o.reply is not None or o.resolved) and (
            mine.replied_at is None or (o.replied_at or datetime.min) >= mine.replied_at
        ):
            mine.reply, mine.replied_at, mine.resolved = o.reply, o.replied_at, bool(o.resolved)
    return added


@dataclass(frozen=True, slots=True)
class OpinionPlace:
    """Where a new opinion goes: the whole unit, a project, a row of it, a field."""

    project_code: str | None = None
    row: int | None = None
    field: str | None = None


def add_opinion(store: Store, doc_id: int, text: str, place: OpinionPlace | None = None,
                rule_id: str | None = None, finding_key: str | None = None,
                author: str | None = None) -> Opinion:
    """Store a new opinion on document ``doc_id``; return a detached copy.

    Raises:
        InputError: empty text, unknown document, or a place the document does not have.
    """
    place = place or OpinionPlace()
    uid = new_uid()
    doc = _apply(store, doc_id, SetOpinion(doc_id, uid, OpinionSnapshot(
        uid, text, place.project_code, place.row, place.field, rule_id, finding_key, author, datetime.now())))
    return next(o for o in doc.opinions if o.uid == uid)


def check_opinion(doc: Document, text: str, place: OpinionPlace | None) -> None:
    """Refuse an opinion without text, or at a place ``doc`` does not have (None: not moved).

    Raises:
        InputError: naming the problem.
    """
    if not text.strip():
        raise InputError("审核意见不能为空")
    if place is None:
        return
    if place.project_code is None:
        if place.row is not None:
            raise InputError("指定行号时须同时指定项目编码")
        return
    project = next((p for p in doc.projects if p.code == place.project_code), None)
    if project is None:
        raise InputError(f"单位{doc.unit.code}的{doc.year}年度文档中没有项目编码{place.project_code}")
    if place.row is not None and not 1 <= place.row <= len(project.indicators):
        raise InputError(f"项目{place.project_code}没有第{place.row}行指标（共{len(project.indicators)}行）")


def _apply(store: Store, doc_id: int, op: SetOpinion) -> Document:
    """Apply an opinion op through the workspace (the one writer); the document after it."""
    from app.services.workspace.workspace import Workspace

    with store.read_session() as sess:
        if sess.get(Document, doc_id) is None:
            raise InputError(f"数据库中没有编号为{doc_id}的文档")
    workspace = Workspace(store)
    workspace.apply(op)
    return workspace.document(doc_id)


def _held(store: Store, opinion_id: int) -> tuple[int, Opinion]:
    with store.read_session() as sess:
        o = sess.get(Opinion, opinion_id)
        if o is None:
            raise InputError(f"没有编号为{opinion_id}的审核意见")
        sess.expunge(o)
        return o.document_id, o


def answered(o: Opinion, reply: str | None, resolved: bool | None) -> OpinionSnapshot:
    """The snapshot of ``o`` with the unit's answer: a 回复 text and/or 已处理 (None: kept)."""
    snap = opinion_snapshot(o)
    return replace(snap, reply=snap.reply if reply is None else reply,
                   resolved=snap.resolved if resolved is None else resolved, replied_at=datetime.now())


def answer_opinion(store: Store, opinion_id: int, reply: str | None, resolved: bool | None = None) -> None:
    """The unit's answer to an opinion: a 回复 text and/or 已处理.

    Raises:
        InputError: no such opinion.
    """
    doc_id, o = _held(store, opinion_id)
    _apply(store, doc_id, SetOpinion(doc_id, o.uid, answered(o, reply, resolved)))


def delete_opinion(store: Store, opinion_id: int) -> None:
    """Remove an opinion (the reviewer withdrew it)."""
    try:
        doc_id, o = _held(store, opinion_id)
    except InputError:
        return
    _apply(store, doc_id, SetOpinion(doc_id, o.uid, None))


def opinion_snapshot(o: Opinion) -> OpinionSnapshot:
    """An opinion as a value (for :class:`~app.services.workspace.ops.SetOpinion`)."""
    return OpinionSnapshot(o.uid, o.text, o.project_code, o.row, o.field, o.rule_id, o.finding_key, o.author,
                           o.created_at, o.reply, o.replied_at, bool(o.resolved))


def list_opinions(store: Store, doc_id: int) -> list[Opinion]:
    """The opinions of a document, oldest first, detached."""
    with store.read_session() as sess:
        rows = list(sess.scalars(select(Opinion).where(Opinion.document_id == doc_id).order_by(Opinion.id)))
        for o in rows:
            sess.expunge(o)
        return rows


OPINION_KIND = "opinion"  # the "severity" of an opinion shown among the findings
OPINION_RULE = "审核意见"


@dataclass(frozen=True, slots=True)
class OpinionFinding(Finding):
    """An opinion in the shape of a finding, so the problems panel lists it beside them.

    ``severity`` is :data:`OPINION_KIND`; ``project`` is the 1-based position of the project
    with the opinion's code in the open document (None for the unit, or when no project has
    that code any more).
    """

    opinion_id: int | None = None
    resolved: bool = False
    reply: str | None = None


def opinion_findings(doc: Document) -> list[OpinionFinding]:
    """The document's opinions as finding-shaped rows (text, then the answer and state)."""
    positions = {p.code: n for n, p in enumerate(doc.projects, start=1) if p.code}
    out = []
    for o in doc.opinions:
        message = o.text
        if o.reply:
            message += f"（回复：{o.reply}）"
        message += "【已处理】" if o.resolved else ""
        out.append(OpinionFinding(
            rule=OPINION_RULE, severity=OPINION_KIND, message=message, dimension=OPINION_RULE,
            unit=doc.unit.code, year=doc.year,
            project=positions.get(o.project_code) if o.project_code else None,
            project_code=o.project_code, row=o.row, field=o.field, key=f"OP|{o.uid}",
            opinion_id=o.id, resolved=bool(o.resolved), reply=o.reply,
        ))
    return out
