"""Optimistic concurrency for several writers: refuse an edit made on a stale value.

An edit carries the value the user saw. Under a row lock (``SELECT … FOR UPDATE`` on
PostgreSQL; SQLite serialises writers anyway) the stored value is compared with it: when
someone else changed that field meanwhile, the edit is refused with a message naming who
and what, and the window reloads the project. The check is per field, not per row version:
two people filling in different fields (or different projects) never conflict, which a
whole-row ``version_id_col`` would refuse. The row versions bumped by
:mod:`app.services.storage.changes` name who changed a document or project last.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Document, Indicator, Measure, Project, SubGoal
from app.models.document import Base
from app.services.errors import StorageError

T = TypeVar("T", bound=Base)

_KIND = {Document: "部门整体绩效目标", Project: "项目", Indicator: "指标行", SubGoal: "分项绩效目标",
         Measure: "工作保障措施"}
_EXTRA_LABELS = {"value_raw": "指标值", "budget_total_raw": "预算数", "budget_fiscal_raw": "财政资金",
                 "budget_other_raw": "其他资金", "plan_mar_raw": "3月底", "plan_jun_raw": "6月底",
                 "plan_oct_raw": "10月底", "plan_dec_raw": "12月底", "unit_line": "单位行", "title": "标题",
                 "text": "内容", "goal_text": "绩效目标", "indicator_text": "绩效指标", "position": "顺序"}
SHOWN_CHARS = 30


class EditConflictError(StorageError):
    """Someone else changed or deleted what this edit was made on; nothing was saved."""


def field_label(field: str) -> str:
    """The Chinese name of a column, as the problems panel and forms call it."""
    from app.services.validation import FIELD_LABELS

    return _EXTRA_LABELS.get(field) or FIELD_LABELS.get(field, field)


def lock_row(sess: Session, cls: type[T], row_id: int | None) -> T | None:
    """The current stored row, locked until commit (None when it was deleted)."""
    if row_id is None:
        return None
    # OF <table>: a document's unit comes joined, and PostgreSQL cannot lock an outer join's side.
    table = cls.__table__
    return sess.get(cls, row_id, with_for_update={"of": table}, populate_existing=True)


def _owner(sess: Session, obj: Base) -> tuple[str, str | None]:
    """(what, who changed it last) for the message: the project or document of a row."""
    project_id = obj.id if isinstance(obj, Project) else getattr(obj, "project_id", None)
    if project_id is not None:
        named = sess.execute(select(Project.name, Project.code, Project.changed_by)
                             .where(Project.id == project_id)).first()
        if named is not None:
            return f"项目“{named[0] or named[1] or '（未命名）'}”", named[2]
    doc_id = obj.id if isinstance(obj, Document) else getattr(obj, "document_id", None)
    if doc_id is not None:
        row = sess.execute(select(Document.unit_line, Document.year, Document.changed_by)
                           .where(Document.id == doc_id)).first()
        if row is not None:
            return f"“{row[0] or ''}{row[1]}年度”", row[2]
    return _KIND.get(type(obj), "内容"), None


def _shown(value: Any) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


def row_gone(kind_obj: Base) -> EditConflictError:
    """The row an edit was made on no longer exists."""
    return EditConflictError(
        f"{_KIND.get(type(kind_obj), '内容')}已被其他用户删除，您的修改未保存；已重新载入"
    )


def check_unchanged(sess: Session, db_obj: Base, field: str, expected: Any, wanted: Any = None) -> None:
    """Refuse the edit when ``field`` of the locked row no longer holds ``expected``.

    Raises:
        EditConflictError: naming the project/document, the field, who changed it and to what.
    """
    current = getattr(db_obj, field)
    if current == expected:
        return
    what, who = _owner(sess, db_obj)
    mine = "" if wanted is None else f"（您输入的“{_shown(wanted)}”未保存）"
    raise EditConflictError(
        f"{what}的“{field_label(field)}”已被{who or '其他用户'}改为“{_shown(current)}”，"
        f"与您看到的“{_shown(expected)}”不同；您的修改未保存{mine}，已重新载入该项目"
    )
