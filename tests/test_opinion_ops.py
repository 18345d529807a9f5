"""审核意见 and review status as workspace ops: applied to the database and the open graph,
undone by their inverse, refused with one Chinese line."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.services.bureau import opinions, review
from app.services.bureau.opinions import OpinionPlace, answered, opinion_findings
from app.services.errors import InputError
from app.services.formats.docx.reader import read_docx
from app.services.formats.importing import commit_documents
from app.services.storage.documents import load_document
from app.services.storage.store import Store
from app.services.workspace.ops import OpinionSnapshot, SetOpinion, SetReviewStatus
from app.services.workspace.workspace import Workspace
from tests.conftest import FIXTURES


def _stored(store: Store) -> int:
    (doc,) = read_docx(FIXTURES / "seed.docx").documents
    return commit_documents(store, [doc], backup=False).document_ids[0]


def _held(store: Store, doc_id: int) -> list[tuple]:
    return sorted((o.uid, o.project_code, o.row, o.text, o.reply, o.resolved)
                  for o in load_document(store, doc_id).opinions)


def _open(ws: Workspace, doc_id: int) -> list[tuple]:
    return sorted((o.uid, o.project_code, o.row, o.text, o.reply, o.resolved)
                  for o in ws.document(doc_id).opinions)


def test_add_answer_resolve_withdraw_and_undo_each(store: Store) -> None:
    doc_id = _stored(store)
    ws = Workspace(store)
    code = ws.document(doc_id).projects[0].code
    op = SetOpinion(doc_id, "u1", OpinionSnapshot("u1", "指标值请量化", code, 2, "value", created_at=datetime(2026, 3, 1)))
    undo_add, changes = ws.apply(op)
    assert changes.review == {doc_id} and not changes.documents  # nothing to revalidate
    assert _held(store, doc_id) == _open(ws, doc_id) == [("u1", code, 2, "指标值请量化", None, False)]
    # The window lists it at its project (position by code).
    [finding] = opinion_findings(ws.document(doc_id))
    assert (finding.project, finding.row, finding.field) == (1, 2, "value")

    held = ws.document(doc_id).opinions[0]
    undo_answer, _ = ws.apply(SetOpinion(doc_id, "u1", answered(held, "已改为≥95%", True)))
    assert _held(store, doc_id) == _open(ws, doc_id) == [("u1", code, 2, "指标值请量化", "已改为≥95%", True)]
    undo_withdraw, _ = ws.apply(SetOpinion(doc_id, "u1", None))
    assert _held(store, doc_id) == _open(ws, doc_id) == []

    ws.apply(undo_withdraw)
    assert _held(store, doc_id) == _open(ws, doc_id) == [("u1", code, 2, "指标值请量化", "已改为≥95%", True)]
    ws.apply(undo_answer)
    assert _held(store, doc_id) == _open(ws, doc_id) == [("u1", code, 2, "指标值请量化", None, False)]
    ws.apply(undo_add)
    assert _held(store, doc_id) == _open(ws, doc_id) == []


def test_refused_opinions_change_nothing(store: Store) -> None:
    doc_id = _stored(store)
    ws = Workspace(store)
    code = ws.document(doc_id).projects[0].code
    with pytest.raises(InputError, match="审核意见不能为空"):
        ws.apply(SetOpinion(doc_id, "u1", OpinionSnapshot("u1", "  ")))
    with pytest.raises(InputError, match="没有项目编码X1"):
        ws.apply(SetOpinion(doc_id, "u1", OpinionSnapshot("u1", "意见", "X1")))
    with pytest.raises(InputError, match="没有第99行指标"):
        ws.apply(SetOpinion(doc_id, "u1", OpinionSnapshot("u1", "意见", code, 99)))
    assert _held(store, doc_id) == _open(ws, doc_id) == []


def test_an_answer_stays_possible_when_the_project_code_changed(store: Store) -> None:
    """The opinion names a code the unit has since changed: it can still be answered."""
    doc_id = _stored(store)
    ws = Workspace(store)
    code = ws.document(doc_id).projects[0].code
    ws.apply(SetOpinion(doc_id, "u1", OpinionSnapshot("u1", "编码有误", code)))
    from app.services.workspace.ops import FieldValue, Ref, SetFields

    ws.apply(SetFields((FieldValue(Ref(doc_id, "projects", 0), "code", "NEWCODE"),)))
    held = ws.document(doc_id).opinions[0]
    ws.apply(SetOpinion(doc_id, "u1", answered(held, "已改正编码", True)))
    assert _held(store, doc_id) == [("u1", code, None, "编码有误", "已改正编码", True)]


def test_review_status_and_its_undo(store: Store) -> None:
    doc_id = _stored(store)
    ws = Workspace(store)
    undo_first, changes = ws.apply(SetReviewStatus(doc_id, "审核中"))
    assert changes.review == {doc_id}
    assert review.get_status(store, doc_id) == "审核中"
    undo_second, _ = ws.apply(SetReviewStatus(doc_id, "已退回"))
    assert review.review_state(store, doc_id) == ("已退回", None)
    ws.apply(undo_second)
    assert review.get_status(store, doc_id) == "审核中"
    ws.apply(undo_first)
    assert review.review_state(store, doc_id) is None  # as if never set
    with pytest.raises(InputError, match="审核状态“乱写”无效"):
        ws.apply(SetReviewStatus(doc_id, "乱写"))


def test_headless_opinion_functions_go_through_the_op(store: Store) -> None:
    doc_id = _stored(store)
    code = load_document(store, doc_id).projects[0].code
    o = opinions.add_opinion(store, doc_id, "请补充依据", OpinionPlace(code, 1, "basis"), rule_id="G09")
    assert o.id is not None and o.rule_id == "G09"
    opinions.answer_opinion(store, o.id, "已补充")
    [held] = opinions.list_opinions(store, doc_id)
    assert (held.reply, held.resolved, held.replied_at is not None) == ("已补充", False, True)
    opinions.answer_opinion(store, o.id, None, resolved=True)
    [held] = opinions.list_opinions(store, doc_id)
    assert (held.reply, held.resolved) == ("已补充", True)
    with pytest.raises(InputError, match="没有编号为999的审核意见"):
        opinions.answer_opinion(store, 999, "x")
    with pytest.raises(InputError, match="数据库中没有编号为999的文档"):
        opinions.add_opinion(store, 999, "x")
    opinions.delete_opinion(store, o.id)
    assert opinions.list_opinions(store, doc_id) == []


def test_undoing_a_delete_or_an_import_keeps_versions_status_and_opinions(store: Store) -> None:
    """A unit's received versions and review status are cascaded away with its document:
    the undo of deleting it, or of importing over it, puts them back."""
    from app.services.bureau.versions import list_versions
    from app.services.formats.importing import OnConflict
    from app.services.formats.json_format import document_to_dict
    from app.services.workspace.ops import DeleteDocument, ImportDocuments

    (doc,) = read_docx(FIXTURES / "seed.docx").documents
    doc_id = commit_documents(store, [doc], OnConflict.VERSION, backup=False).document_ids[0]
    (again,) = read_docx(FIXTURES / "seed.docx").documents
    again.projects[0].name = "第二版名称"
    commit_documents(store, [again], OnConflict.VERSION, backup=False)
    review.set_status(store, doc_id, "已退回")
    opinions.add_opinion(store, doc_id, "请修改")

    def state() -> tuple:
        return ([(v.number, v.source, v.errors) for v in list_versions(store, doc_id)],
                review.review_state(store, doc_id), [o.text for o in opinions.list_opinions(store, doc_id)])

    before = state()
    assert len(before[0]) == 2 and before[1] == ("已退回", 2)
    ws = Workspace(store)
    undo, _ = ws.apply(DeleteDocument(doc_id))
    assert review.review_state(store, doc_id) is None
    redo, _ = ws.apply(undo)
    assert state() == before
    ws.apply(redo)
    ws.apply(undo)  # (undo of the redo's inverse: the same again)
    assert state() == before

    (third,) = read_docx(FIXTURES / "seed.docx").documents
    third.projects[0].name = "用户导入的名称"
    undo_import, _ = ws.apply(ImportDocuments((document_to_dict(third),), "replace", "x.docx", backup=False))
    assert load_document(store, doc_id).projects[0].name == "用户导入的名称"
    ws.apply(undo_import)
    assert state() == before
    assert load_document(store, doc_id).projects[0].name == "第二版名称"
