"""Row ops of the workspace: the database and the open graph change together; undo brings
rows back with their waivers (出错说明); documents are deleted and restored with their ids."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.models import Document, Project, Unit, Waiver
from app.services.formats.importing import commit_documents
from app.services.formats.json_format import document_to_dict
from app.services.storage.documents import list_documents, load_document, load_documents
from app.services.storage.store import Store
from app.services.workspace.ops import (
    CreateDocument,
    DeleteDocument,
    DeleteRow,
    FieldValue,
    InsertRow,
    MoveRow,
    Ref,
    SetFields,
)
from app.services.workspace.projects import find_document
from app.services.workspace.waivers import list_waivers, load_waivers
from app.services.workspace.workspace import Workspace, row_snapshot
from tests.factories import blank_document, full_document


def _open(store: Store) -> tuple[Workspace, int]:
    (doc_id,) = commit_documents(store, [full_document()]).document_ids
    ws = Workspace(store)
    ws.document(doc_id)
    return ws, doc_id


def _reload(store: Store) -> Document:
    (doc,) = load_documents(store)
    return doc


def test_set_fields_commits_derives_and_undoes(store: Store) -> None:
    ws, doc_id = _open(store)
    ind = ws.document(doc_id).projects[0].indicators[0]
    op = SetFields((FieldValue(Ref(doc_id, "indicators", 0, 0), "value_raw", "≥1700批次"),))
    inverse, changes = ws.apply(op)
    assert ind.number == Decimal("1700")  # the open row, in place
    again = _reload(store).projects[0].indicators[0]
    assert again.value_raw == "≥1700批次" and again.number == Decimal("1700")
    assert changes.fields == {"value_raw"} and changes.rows == {("indicators", ind.id)}
    assert not changes.structural and not changes.whole(doc_id)
    ws.apply(inverse)
    assert _reload(store).projects[0].indicators[0].value_raw == "≥1600批次" == ind.value_raw


@pytest.mark.parametrize("name", ["number", "id", "nonexistent"])
def test_set_fields_refuses_derived_and_unknown_columns(store: Store, name: str) -> None:
    ws, doc_id = _open(store)
    with pytest.raises(ValueError):
        ws.apply(SetFields((FieldValue(Ref(doc_id, "indicators", 0, 0), name, "1"),)))


def test_set_fields_is_one_transaction(store: Store) -> None:
    ws, doc_id = _open(store)
    ws.apply(SetFields((FieldValue(Ref(doc_id, "indicators", 0, 0), "level3", "甲"),
                        FieldValue(Ref(doc_id, "indicators", 1, 0), "level3", "乙"))))
    assert [i.level3 for i in _reload(store).projects[0].indicators[:2]] == ["甲", "乙"]


def test_insert_move_delete_rows(store: Store) -> None:
    ws, doc_id = _open(store)
    project = ws.document(doc_id).projects[0]
    ws.apply(InsertRow(Ref(doc_id, "indicators", 1, 0), row_snapshot({"level1": "产出指标", "value_raw": "≥5个"})))
    assert project.indicators[1].id is not None
    assert [i.position for i in project.indicators] == [0, 1, 2, 3]
    assert [i.value_raw for i in _reload(store).projects[0].indicators] == ["≥1600批次", "≥5个", "≥92%\n", "≥90%"]
    ws.apply(MoveRow(Ref(doc_id, "indicators", 1, 0), 3))
    assert [i.value_raw for i in _reload(store).projects[0].indicators][-1] == "≥5个"
    inverse, _ = ws.apply(DeleteRow(Ref(doc_id, "indicators", 3, 0)))
    assert len(_reload(store).projects[0].indicators) == 3
    ws.apply(inverse)
    assert _reload(store).projects[0].indicators[3].value_raw == "≥5个"


def _add_waiver(store: Store, doc: Document, project_n: int, row: int | None, rule: str) -> None:
    with store.session() as sess:
        project = sess.get(Project, doc.projects[project_n].id)
        assert project is not None
        ind = project.indicators[row] if row is not None else None
        sess.add(Waiver(document_id=doc.id, rule_id=rule, project_id=project.id,
                        indicator_id=ind.id if ind is not None else None, field="value" if ind else None,
                        location=f"{rule}|P:{project.code}" + (f"|R:{row + 1}|F:value" if ind else ""),
                        explanation=f"说明{rule}"))


def test_undo_of_a_row_delete_brings_its_waivers_back(store: Store) -> None:
    commit_documents(store, [full_document()])
    doc = _reload(store)
    _add_waiver(store, doc, 0, 1, "G09")
    _add_waiver(store, doc, 0, None, "F05")
    ws = Workspace(store)
    doc = ws.document(doc.id)
    inverse, _ = ws.apply(DeleteRow(Ref(doc.id, "indicators", 1, 0)))
    assert isinstance(inverse, InsertRow)
    # full_document() has a G08 waiver on that row too, and A02 on part 1.
    assert [w.rule_id for w in inverse.row.waivers] == ["G08", "G09"]
    assert [w.rule_id for w in load_waivers(store, doc.id)] == ["A02", "F05"]  # FK cascade
    assert [w.rule_id for w in doc.waivers] == ["A02", "F05"]  # the open document follows
    ws.apply(inverse)
    stored = {w.rule_id: w for w in load_waivers(store, doc.id)}
    assert set(stored) == {"A02", "G08", "G09", "F05"}
    assert stored["G08"].location == "P1/R2/value" and stored["G08"].created_at.year == 2024
    row = doc.projects[0].indicators[1]
    assert stored["G09"].indicator_id == row.id and stored["G09"].project_id == doc.projects[0].id
    assert stored["G09"].location == "G09|P:13020924P00070710002F|R:2|F:value"
    mine = next(w for w in doc.waivers if w.rule_id == "G09")
    assert mine.id == stored["G09"].id and mine.indicator is row and mine.project is doc.projects[0]


def test_undo_of_a_project_delete_brings_its_waivers_back(store: Store) -> None:
    commit_documents(store, [full_document()])
    doc = _reload(store)
    _add_waiver(store, doc, 0, 2, "G09")
    _add_waiver(store, doc, 0, None, "F05")
    ws = Workspace(store)
    doc = ws.document(doc.id)
    inverse, _ = ws.apply(DeleteRow(Ref(doc.id, "projects", 0)))
    assert isinstance(inverse, InsertRow)
    assert sorted((w.rule_id, w.row) for w in inverse.row.waivers) == [("F05", None), ("G08", 1), ("G09", 2)]
    assert [w.rule_id for w in load_waivers(store, doc.id)] == ["A02"] == [w.rule_id for w in doc.waivers]
    ws.apply(inverse)
    project = doc.projects[0]
    stored = {w.rule_id: w for w in load_waivers(store, doc.id)}
    assert stored["G09"].indicator_id == project.indicators[2].id
    assert stored["F05"].project_id == project.id and stored["F05"].indicator_id is None
    assert {w.rule_id for w in doc.waivers} == {"A02", "G08", "G09", "F05"}


def _strip(data: dict) -> dict:
    data = dict(data)
    data.pop("updated_at", None)
    return data


def test_delete_and_restore_document_keeps_its_id_and_content(store: Store) -> None:
    commit_documents(store, [full_document(), blank_document(code="422001", year=2023)])
    ws = Workspace(store)
    doc_id = find_document(store, "422001", 2024)
    assert doc_id is not None
    before = document_to_dict(load_document(store, doc_id))
    inverse, _ = ws.apply(DeleteDocument(doc_id))
    assert [d.year for d in list_documents(store)] == [2023]  # the unit keeps its 2023 document
    ws.apply(inverse)
    assert _strip(document_to_dict(load_document(store, doc_id))) == _strip(before)
    assert len(list_waivers(store, doc_id)) == 2


def test_deleting_the_only_document_removes_the_unit(store: Store) -> None:
    ws = Workspace(store)
    _inv, changes = ws.apply(CreateDocument("999001", "新单位", 2025))
    (doc_id,) = changes.added
    inverse, _ = ws.apply(DeleteDocument(doc_id))
    assert list_documents(store) == [] and find_document(store, "999001", 2025) is None
    ws.apply(inverse)
    (summary,) = list_documents(store)
    assert summary.id == doc_id and summary.unit_code == "999001"


def test_restore_with_a_taken_id_gets_a_new_one_that_ops_still_find(store: Store) -> None:
    commit_documents(store, [full_document()])
    ws = Workspace(store)
    (doc,) = load_documents(store)
    inverse, _ = ws.apply(DeleteDocument(doc.id))
    with store.session() as sess:  # something outside the history takes the freed id
        sess.add(Document(id=doc.id, unit=Unit(code="422099", name="别的单位"), year=2024))
    ws.apply(inverse)
    moved = find_document(store, "422001", 2024)
    assert moved is not None and moved != doc.id
    # An op that names the old id (further down the history) reaches the restored document.
    ws.apply(SetFields((FieldValue(Ref(doc.id, "projects", 0), "name", "改名"),)))
    assert load_document(store, moved).projects[0].name == "改名"
