"""The review of a unit's document: status, and the review file that carries 审核意见.

The reviewer sets a status (未审 / 审核中 / 已退回 / 已通过) and exports a review file per
unit: JSON for the round trip (the unit imports it; its opinions come back answered in the
next submission), docx and PDF for paper. Importing a review file checks that the database
holds that unit and year, and changes nothing when it does not or the file is damaged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Document, DocumentVersion, Opinion, ReviewState
from app.models.review import STATUS_NEW, STATUSES
from app.services.atomic import write_bytes_atomic, write_with
from app.services.bureau.opinions import merge_opinions
from app.services.bureau.versions import find_document_id
from app.services.errors import InputError, UnsupportedFormatError, file_error
from app.services.formats.json_format import opinion_from_dict, opinion_to_dict
from app.services.storage.store import Store

REVIEW_FORMAT = "perfgoals-review"
REVIEW_VERSION = 1
REVIEW_SUFFIXES = (".json", ".docx", ".pdf")


def document_id(store: Store, unit_code: str, year: int) -> int:
    """The stored document of a unit and year.

    Raises:
        InputError: the database has no such document.
    """
    doc_id = find_document_id(store, unit_code, year)
    if doc_id is None:
        raise InputError(f"数据库中没有单位{unit_code}的{year}年度文档")
    return doc_id


def _state(sess: Session, doc_id: int) -> ReviewState | None:
    return sess.scalars(select(ReviewState).where(ReviewState.document_id == doc_id)).first()


def get_status(store: Store, doc_id: int) -> str:
    """The review status of a document (未审 when never set)."""
    with store.read_session() as sess:
        state = _state(sess, doc_id)
        return state.status if state is not None else STATUS_NEW


def set_status(store: Store, doc_id: int, status: str | None, version: int | None = None,
               latest: bool = True) -> None:
    """Set the review status; the version it was set on is remembered (what 已退回 refers to).

    Args:
        status: one of STATUSES; None removes the state (as if never set: an undo).
        version: the version to remember when ``latest`` is False (an undo restoring it).
        latest: remember the latest version received.

    Raises:
        InputError: an unknown status.
    """
    if status is not None and status not in STATUSES:
        raise InputError(f"审核状态“{status}”无效（可用：{'、'.join(STATUSES)}）")
    with store.session() as sess:
        state = _state(sess, doc_id)
        if status is None:
            if state is not None:
                sess.delete(state)
            return
        if latest:
            version = sess.scalar(
                select(func.max(DocumentVersion.number)).where(DocumentVersion.document_id == doc_id)
            )
        if state is None:
            state = ReviewState(document_id=doc_id)
            sess.add(state)
        state.status, state.reviewed_version, state.updated_at = status, version, datetime.now()


def review_state(store: Store, doc_id: int) -> tuple[str, int | None] | None:
    """(status, reviewed version) as stored, None when the status was never set."""
    with store.read_session() as sess:
        state = _state(sess, doc_id)
        return (state.status, state.reviewed_version) if state is not None else None


def reviewed_version(store: Store, doc_id: int) -> int | None:
    """The version the status was last set on (the one a resubmission is compared with)."""
    with store.read_session() as sess:
        state = _state(sess, doc_id)
        return state.reviewed_version if state is not None else None


@dataclass(slots=True)
class ReviewFile:
    """The content of a review file."""

    unit_code: str
    unit_name: str
    year: int
    status: str
    document_version: int | None
    opinions: list[Opinion]


def _review(store: Store, doc_id: int) -> ReviewFile:
    with store.read_session() as sess:
        doc = sess.get(Document, doc_id)
        assert doc is not None
        opinions = list(doc.opinions)
        for o in opinions:
            sess.expunge(o)
        return ReviewFile(doc.unit.code, doc.unit.name, doc.year, get_status(store, doc_id),
                          reviewed_version(store, doc_id), opinions)


def review_to_dict(review: ReviewFile) -> dict[str, Any]:
    """The JSON form of a review file (see README "Review file")."""
    return {
        "format": REVIEW_FORMAT, "version": REVIEW_VERSION,
        "unit": {"code": review.unit_code, "name": review.unit_name}, "year": review.year,
        "status": review.status, "document_version": review.document_version,
        "exported_at": datetime.now().isoformat(timespec="seconds"),
        "opinions": [opinion_to_dict(o) for o in review.opinions],
    }


def export_review(store: Store, doc_id: int, out: str | Path, font: str | None = None) -> Path:
    """Write the review file of a document: .json (round trip), .docx or .pdf (paper).

    Raises:
        UnsupportedFormatError: another suffix.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in REVIEW_SUFFIXES:
        raise UnsupportedFormatError(f"审核意见文件“{out}”的格式不支持（可用：{'、'.join(REVIEW_SUFFIXES)}）")
    review = _review(store, doc_id)
    if suffix == ".json":
        text = json.dumps(review_to_dict(review), ensure_ascii=False, indent=1)
        write_bytes_atomic(out, text.encode("utf-8"))
    elif suffix == ".docx":
        write_with(out, lambda tmp: _review_docx(review).save(str(tmp)))
    else:
        from app.services.paper.report import write_review_pdf

        write_review_pdf(out, _title(review), _intro(review), review.opinions, font=font)
    return out


def _title(review: ReviewFile) -> str:
    return f"{review.unit_code}{review.unit_name}（{review.year}年度）审核意见"


def _intro(review: ReviewFile) -> list[str]:
    version = f"第{review.document_version}版" if review.document_version else "当前版本"
    done = sum(1 for o in review.opinions if o.resolved)
    return [f"审核状态：{review.status}（审核的是{version}）",
            f"共{len(review.opinions)}条审核意见，已处理{done}条。请逐条修改或回复后重新报送。"]


def _review_docx(review: ReviewFile) -> Any:
    from docx import Document as DocxDocument

    from app.services.formats.opinion_table import OPINION_HEADERS, opinion_rows

    d = DocxDocument()
    d.add_heading(_title(review), level=1)
    for line in _intro(review):
        d.add_paragraph(line)
    rows = opinion_rows(review.opinions)
    table = d.add_table(rows=1 + len(rows), cols=len(OPINION_HEADERS))
    table.style = "Table Grid"
    for c, head in enumerate(OPINION_HEADERS):
        table.cell(0, c).text = head
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    return d


def read_review(path: str | Path) -> ReviewFile:
    """Read a review file (.json).

    Raises:
        InputError: missing, not a review file, or damaged (one line naming the file).
    """
    path = Path(path)
    try:
        payload = json.loads(path.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        raise file_error(path, f"无法读取：{exc.strerror or exc}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise file_error(path, "不是有效的审核意见文件（应为本程序导出的json）") from exc
    if not isinstance(payload, dict) or payload.get("format") != REVIEW_FORMAT:
        raise file_error(path, "不是绩效目标编报导出的审核意见文件")
    if not isinstance(payload.get("version"), int) or payload["version"] > REVIEW_VERSION:
        raise file_error(path, f"的格式版本{payload.get('version')}高于本程序支持的版本{REVIEW_VERSION}")
    try:
        unit = payload["unit"]
        status = payload.get("status") or STATUS_NEW
        if status not in STATUSES or not isinstance(payload["year"], int):
            raise ValueError("审核状态或年度无效")
        return ReviewFile(str(unit["code"]), str(unit.get("name") or ""), payload["year"], status,
                          payload.get("document_version"),
                          [opinion_from_dict(o) for o in payload.get("opinions") or []])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise file_error(path, f"数据有误：{exc}") from exc


@dataclass(frozen=True, slots=True)
class ReviewImport:
    """What importing a review file changed."""

    unit_code: str
    year: int
    status: str
    added: int
    total: int


def import_review(store: Store, path: str | Path) -> ReviewImport:
    """Take in a review file at the unit's end: opinions merged, the bureau's status shown.

    Raises:
        InputError: damaged file, or the database has no document of its unit and year
            (nothing changed).
    """
    review = read_review(path)
    doc_id = find_document_id(store, review.unit_code, review.year)
    if doc_id is None:
        raise file_error(path, f"是单位{review.unit_code}{review.unit_name}{review.year}年度的审核意见，"
                               "数据库中没有该单位该年度的文档；未作任何修改")
    with store.session() as sess:
        doc = sess.get(Document, doc_id)
        assert doc is not None
        added = merge_opinions(doc, review.opinions)
        state = _state(sess, doc_id) or ReviewState(document_id=doc_id)
        state.status, state.reviewed_version = review.status, review.document_version
        state.updated_at = datetime.now()
        sess.add(state)
        total = len(doc.opinions)
    return ReviewImport(review.unit_code, review.year, review.status, added, total)
