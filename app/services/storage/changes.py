"""Several writers on one database: every commit is counted and logged, and others poll it.

Each committing session that changed rows bumps ``change_counter`` (one row, so on a server
the counter is taken under a row lock and numbers follow commit order), bumps ``version`` and
sets ``changed_by`` on the documents and projects it touched, and logs them in ``change_log``
under that number with the store's ``origin``. A window polls :func:`poll_changes` every
second: a new counter value that is not one of its own commits tells it which documents and
projects to refresh. Polling rather than LISTEN/NOTIFY: it is the same code on SQLite (two
windows on one file) and on PostgreSQL, and a 1 s query of one row costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, event, func, insert, select, update
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.attributes import instance_dict

from app.models import (
    ChangeCounter,
    ChangeLog,
    Document,
    Execution,
    Indicator,
    Measure,
    Project,
    SubGoal,
    Unit,
    Waiver,
)

if TYPE_CHECKING:
    from app.services.storage.store import Store

LOG_KEPT = 10_000  # change_log rows kept (older ones pruned on open); a window polls every second
_KEY = "perfgoals_changes"
_SEQ = "perfgoals_seq"


def _affected(obj: Any) -> tuple[int | None, int | None] | None:
    """(document id, project id) a changed row belongs to; None for rows not tracked."""
    d = instance_dict(obj)
    if isinstance(obj, Document):
        return d.get("id"), None
    if isinstance(obj, Project):
        return d.get("document_id"), d.get("id")
    if isinstance(obj, (Indicator, Execution)):
        return None, d.get("project_id")
    if isinstance(obj, Waiver):
        return d.get("document_id"), d.get("project_id")
    if isinstance(obj, (SubGoal, Measure)):
        return d.get("document_id"), None
    if isinstance(obj, Unit):
        return None, None
    return None


def note_change(sess: Session, document_id: int | None = None, project_id: int | None = None) -> None:
    """Record that this session's commit touches a document / project (done for ORM rows)."""
    sess.info.setdefault(_KEY, set()).add((document_id, project_id))


def _after_flush(sess: Session, _ctx: Any) -> None:
    for obj in (*sess.new, *sess.dirty, *sess.deleted):
        key = _affected(obj)
        if key is not None:
            note_change(sess, *key)


def _before_commit(store: Store, sess: Session) -> None:
    sess.flush()  # before_commit runs before the commit's own flush
    changes: set[tuple[int | None, int | None]] = sess.info.pop(_KEY, set())
    if not changes:
        return
    projects = {p for _d, p in changes if p is not None}
    parent: dict[int, int] = {}
    if projects:
        parent = dict(sess.execute(select(Project.id, Project.document_id).where(Project.id.in_(projects))).all())
    rows = {(d if d is not None else parent.get(p) if p is not None else None, p) for d, p in changes}
    documents = {d for d, _p in rows if d is not None}
    sess.execute(update(ChangeCounter).where(ChangeCounter.id == 1).values(value=ChangeCounter.value + 1))
    seq = sess.scalar(select(ChangeCounter.value).where(ChangeCounter.id == 1)) or 0
    by = store.user_label
    # No session sync: the rows in this session are not read again before the commit.
    plain = {"synchronize_session": False}
    if documents:
        sess.execute(update(Document).where(Document.id.in_(documents))
                     .values(version=Document.version + 1, changed_by=by), execution_options=plain)
    if projects:
        sess.execute(update(Project).where(Project.id.in_(projects))
                     .values(version=Project.version + 1, changed_by=by), execution_options=plain)
    sess.execute(insert(ChangeLog), [
        {"seq": seq, "origin": store.origin, "document_id": d, "project_id": p, "changed_by": by}
        for d, p in sorted(rows, key=lambda r: (r[0] or 0, r[1] or 0))
    ])
    sess.info[_SEQ] = seq


def install_change_tracking(store: Store, sessions: sessionmaker[Session]) -> None:
    """Count, version and log every commit made through ``sessions``."""
    event.listen(sessions, "after_flush", _after_flush)
    event.listen(sessions, "before_commit", lambda sess: _before_commit(store, sess))

    def _after_commit(sess: Session) -> None:
        seq = sess.info.pop(_SEQ, None)
        if seq is not None:
            store.own_seqs.add(seq)

    def _after_rollback(sess: Session) -> None:
        sess.info.pop(_KEY, None)
        sess.info.pop(_SEQ, None)

    event.listen(sessions, "after_commit", _after_commit)
    event.listen(sessions, "after_soft_rollback", lambda sess, _prev: _after_rollback(sess))


@dataclass(slots=True)
class ChangeBatch:
    """Changes committed by others since the last poll."""

    seq: int
    documents: set[int] = field(default_factory=set)
    projects: set[int] = field(default_factory=set)
    # A change not tied to one document (a unit renamed, a document deleted…): refresh all.
    everything: bool = False
    by: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return self.everything or bool(self.documents or self.projects)


def current_seq(store: Store) -> int:
    """The change counter now (a window starts polling from here)."""
    with store.read_session() as sess:
        return sess.scalar(select(ChangeCounter.value).where(ChangeCounter.id == 1)) or 0


def poll_changes(store: Store, since: int) -> ChangeBatch:
    """What others committed after counter value ``since`` (cheap when nothing changed)."""
    with store.read_session() as sess:
        seq = sess.scalar(select(ChangeCounter.value).where(ChangeCounter.id == 1)) or 0
        batch = ChangeBatch(seq)
        if seq <= since:
            return batch
        if all(n in store.own_seqs for n in range(since + 1, seq + 1)):
            return batch
        rows = sess.execute(
            select(ChangeLog.document_id, ChangeLog.project_id, ChangeLog.changed_by)
            .where(ChangeLog.seq > since, ChangeLog.origin != store.origin)
        ).all()
        if not rows and since < seq - LOG_KEPT:
            batch.everything = True
        for doc_id, project_id, by in rows:
            if doc_id is None:
                batch.everything = True
            else:
                batch.documents.add(doc_id)
            if project_id is not None:
                batch.projects.add(project_id)
            if by:
                batch.by.add(by)
        return batch


def prune_change_log(store: Store) -> None:
    """Drop log rows no window polling every second can still need."""
    with store.read_session() as sess:
        seq = sess.scalar(select(ChangeCounter.value).where(ChangeCounter.id == 1)) or 0
        old = sess.scalar(select(func.count()).select_from(ChangeLog).where(ChangeLog.seq < seq - LOG_KEPT))
    if old:
        with store.engine.begin() as conn:
            conn.execute(delete(ChangeLog).where(ChangeLog.seq < seq - LOG_KEPT))
