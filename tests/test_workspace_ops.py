"""The workspace keeps the database and the open graph equal through any ops, undo and redo."""

from __future__ import annotations

import tempfile
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.models import Document
from app.services.bureau.opinions import answered
from app.services.errors import PerfGoalsError
from app.services.formats.docx.reader import read_docx
from app.services.formats.file_io import export_documents
from app.services.formats.importing import commit_documents
from app.services.formats.json_format import document_from_dict, document_to_dict, read_json
from app.services.storage.documents import list_documents, load_document
from app.services.storage.store import Store
from app.services.workspace.ops import (
    Batch,
    CarryOver,
    CreateDocument,
    DeleteDocument,
    DeleteRow,
    FieldValue,
    ImportDocuments,
    InsertRow,
    MoveRow,
    Op,
    OpinionSnapshot,
    Ref,
    SetExecution,
    SetFields,
    SetOpinion,
    SetWaiver,
)
from app.services.workspace.workspace import Workspace, row_snapshot
from tests.conftest import FIXTURES

# Bookkeeping the database keeps for other writers (when, how often, by whom), not data the
# window shows or edits: the open graph need not follow it.
_VOLATILE = {"updated_at", "version", "changed_by"}


def _columns(obj: Any) -> dict[str, Any]:
    return {c.key: getattr(obj, c.key) for c in obj.__table__.columns if c.key not in _VOLATILE}


def dump(doc: Document) -> dict[str, Any]:
    """Every stored field of a document graph, with waivers' rows as positions."""
    where = {}
    for n, p in enumerate(doc.projects):
        where[id(p)] = n
        for k, i in enumerate(p.indicators):
            where[id(i)] = (n, k)
    return {
        "doc": _columns(doc),
        "unit": (doc.unit.code, doc.unit.name),
        "subgoals": [_columns(s) for s in doc.subgoals],
        "measures": [_columns(m) for m in doc.measures],
        "projects": [
            {**_columns(p), "indicators": [_columns(i) for i in p.indicators],
             "executions": [_columns(e) for e in p.executions]}
            for p in doc.projects
        ],
        "waivers": [
            {**_columns(w), "at": (where.get(id(w.project)), where.get(id(w.indicator)))}
            for w in doc.waivers
        ],
        "opinions": sorted((_columns(o) for o in doc.opinions), key=lambda o: o["uid"]),
    }


@cache
def _seed_data() -> dict[str, Any]:
    (doc,) = read_docx(FIXTURES / "seed.docx").documents
    return document_to_dict(doc)


def _open_seed(store: Store) -> int:
    return commit_documents(store, [document_from_dict(_seed_data())], backup=False).document_ids[0]


def assert_same(ws: Workspace) -> None:
    """Every open document equals the one reloaded from the database, field by field."""
    stored = {d.id for d in list_documents(ws.store)}
    for doc_id in list(stored):
        if ws.is_open(doc_id):
            assert dump(ws.document(doc_id)) == dump(load_document(ws.store, doc_id))


# ---------------------------------------------------------------- random op sequences
_TEXT = st.sampled_from(["", " ", "≥95%", "≤3天", "100万元", "新文字", "2024年完成", None])
_IND_FIELDS = ("level1", "level2", "level3", "description", "value_raw", "basis")
_PROJ_FIELDS = ("name", "code", "budget_total_raw", "plan_mar_raw", "goal", "purpose")


def _draw_op(data: st.DataObject, ws: Workspace, doc_id: int) -> Op | None:
    doc = ws.document(doc_id)
    kind = data.draw(st.sampled_from([
        "set_ind", "set_proj", "set_doc", "insert_ind", "delete_ind", "move_ind", "insert_proj",
        "delete_proj", "move_proj", "waive", "unwaive", "execution", "batch", "carry", "subgoal",
        "opinion", "answer", "withdraw",
    ]))
    n_proj = len(doc.projects)
    pi = data.draw(st.integers(0, max(n_proj - 1, 0)))
    rows = len(doc.projects[pi].indicators) if n_proj else 0
    ri = data.draw(st.integers(0, max(rows - 1, 0)))
    if kind == "set_ind" and rows:
        return SetFields((FieldValue(Ref(doc_id, "indicators", ri, pi), data.draw(st.sampled_from(_IND_FIELDS)),
                                     data.draw(_TEXT)),))
    if kind == "set_proj" and n_proj:
        return SetFields((FieldValue(Ref(doc_id, "projects", pi), data.draw(st.sampled_from(_PROJ_FIELDS)),
                                     data.draw(_TEXT)),))
    if kind == "set_doc":
        return SetFields((FieldValue(Ref(doc_id), "overall_text", data.draw(_TEXT)),))
    if kind == "insert_ind" and n_proj:
        return InsertRow(Ref(doc_id, "indicators", data.draw(st.integers(0, rows)), pi),
                         row_snapshot({"level1": "产出指标", "value_raw": data.draw(_TEXT)}))
    if kind == "delete_ind" and rows:
        return DeleteRow(Ref(doc_id, "indicators", ri, pi))
    if kind == "move_ind" and rows:
        return MoveRow(Ref(doc_id, "indicators", ri, pi), data.draw(st.integers(0, rows - 1)))
    if kind == "insert_proj":
        return InsertRow(Ref(doc_id, "projects", data.draw(st.integers(0, n_proj))), row_snapshot({"name": "新项目"}))
    if kind == "delete_proj" and n_proj:
        return DeleteRow(Ref(doc_id, "projects", pi))
    if kind == "move_proj" and n_proj:
        return MoveRow(Ref(doc_id, "projects", pi), data.draw(st.integers(0, n_proj - 1)))
    if kind == "waive" and n_proj:
        row = ri + 1 if rows and data.draw(st.booleans()) else None
        key = f"W{pi}/{row}/{data.draw(st.integers(0, 3))}"
        return SetWaiver(doc_id, key, "W01", "value" if row else None, pi + 1, row,
                         data.draw(st.sampled_from(["按文件口径", "已核实"])))
    if kind == "unwaive" and doc.waivers:
        w = data.draw(st.sampled_from(list(doc.waivers)))
        return SetWaiver(doc_id, w.location, w.rule_id, w.field, None, None, None)
    if kind == "execution" and n_proj:
        return SetExecution(Ref(doc_id, "projects", pi), data.draw(st.sampled_from([3, 6, 12])),
                            data.draw(st.sampled_from(["10", "25.5", None, " "])))
    if kind == "batch" and rows:
        return Batch((SetFields((FieldValue(Ref(doc_id, "indicators", ri, pi), "basis", "批量"),)),
                      InsertRow(Ref(doc_id, "indicators", 0, pi), row_snapshot({"level3": "粘贴"}))))
    if kind == "carry" and n_proj:
        return CarryOver(doc_id, doc.year + 1, data.draw(st.sampled_from([None, (pi,)])))
    if kind == "opinion":
        code = doc.projects[pi].code if n_proj and doc.projects[pi].code else None
        uid = f"u{data.draw(st.integers(0, 3))}"
        return SetOpinion(doc_id, uid, OpinionSnapshot(uid, "请核实", code, ri + 1 if code and rows else None,
                                                       created_at=datetime(2026, 3, 1)))
    if kind == "answer" and doc.opinions:
        o = data.draw(st.sampled_from(list(doc.opinions)))
        return SetOpinion(doc_id, o.uid, answered(o, data.draw(st.sampled_from(["已改", None])), data.draw(st.booleans())))
    if kind == "withdraw" and doc.opinions:
        return SetOpinion(doc_id, data.draw(st.sampled_from(list(doc.opinions))).uid, None)
    if kind == "subgoal":
        return InsertRow(Ref(doc_id, "subgoals", 0), row_snapshot({"title": "新分项"}))
    return None


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_ops_with_undo_and_redo_keep_database_and_graph_equal(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "t.db")
        try:
            ws = Workspace(store)
            doc_id = _open_seed(store)
            ws.document(doc_id)
            undo: list[Op] = []
            redo: list[Op] = []
            for _step in range(data.draw(st.integers(1, 12))):
                action = data.draw(st.sampled_from(["op", "op", "op", "undo", "redo"]))
                if action == "undo" and undo:
                    redo.append(ws.apply(undo.pop())[0])
                elif action == "redo" and redo:
                    undo.append(ws.apply(redo.pop())[0])
                else:
                    op = _draw_op(data, ws, doc_id)
                    if op is None:
                        continue
                    try:
                        inverse, _changes = ws.apply(op)
                    except PerfGoalsError:
                        assert_same(ws)
                        continue
                    undo.append(inverse)
                    redo.clear()
                for other in list_documents(store):
                    ws.document(other.id)  # carried-over documents are compared too
                assert_same(ws)
            while undo:  # everything undone: the seed document as it was stored
                ws.apply(undo.pop())
                assert_same(ws)
            assert [d.id for d in list_documents(store)] == [doc_id]
            fresh = load_document(store, doc_id)
            expected = document_to_dict(document_from_dict(_seed_data()))
            assert _without_times(document_to_dict(fresh)) == _without_times(expected)
        finally:
            store.close()


def _without_times(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    data.pop("updated_at", None)
    return data


# ---------------------------------------------------------------- the cases
def _spending_with_waiver(store: Store) -> tuple[Workspace, int]:
    ws = Workspace(store)
    doc_id = _open_seed(store)
    ref = Ref(doc_id, "projects", 0)
    ws.apply(SetExecution(ref, 3, "12.5"))
    ws.apply(SetExecution(ref, 6, "30"))
    ws.apply(SetWaiver(doc_id, "P1/R1/value", "G08", "value", 1, 1, "按上级口径"))
    ws.apply(SetWaiver(doc_id, "P1/name", "B01", "name", 1, None, "名称沿用"))
    return ws, doc_id


def test_delete_project_with_execution_and_waivers_then_undo(both_backends: Store, tmp_path: Path) -> None:
    store = both_backends  # a SQLite file, then a PostgreSQL database
    ws, doc_id = _spending_with_waiver(store)
    before = dump(ws.document(doc_id))
    inverse, changes = ws.apply(DeleteRow(Ref(doc_id, "projects", 0)))
    assert changes.structural and doc_id in changes.documents
    stored = load_document(store, doc_id)
    assert not any(w.location.startswith("P1/") for w in stored.waivers)
    ws.apply(inverse)
    stored = load_document(store, doc_id)
    project = stored.projects[0]
    assert [(e.month, e.amount_raw) for e in project.executions] == [(3, "12.5"), (6, "30")]
    assert {w.location: w.explanation for w in stored.waivers if w.project is not None} == {
        "P1/R1/value": "按上级口径", "P1/name": "名称沿用"}
    assert next(w for w in stored.waivers if w.location == "P1/R1/value").indicator is project.indicators[0]
    after = dump(ws.document(doc_id))
    for d in (before, after):  # new ids, same content
        for p in d["projects"]:
            p.pop("id")
    assert_same(ws)
    # Exports of the database carry both again.
    out = export_documents([load_document(store, doc_id)], "json", tmp_path / "out.json")
    (again,) = read_json(Path(out))
    assert [(e.month, e.amount_raw) for e in again.projects[0].executions] == [(3, "12.5"), (6, "30")]
    assert {w.explanation for w in again.waivers} >= {"按上级口径", "名称沿用"}


def test_delete_and_restore_document_keeps_its_id(both_backends: Store) -> None:
    store = both_backends  # a SQLite file, then a PostgreSQL database
    ws, doc_id = _spending_with_waiver(store)
    before = dump(ws.document(doc_id))
    inverse, changes = ws.apply(DeleteDocument(doc_id))
    assert changes.removed == {doc_id} and list_documents(store) == []
    redo, changes = ws.apply(inverse)
    assert changes.added == {doc_id}
    restored = dump(ws.document(doc_id))
    assert [w["explanation"] for w in restored["waivers"]] == [w["explanation"] for w in before["waivers"]]
    assert [p["executions"] and [e["amount_raw"] for e in p["executions"]] for p in restored["projects"]][0] == ["12.5", "30"]
    assert_same(ws)


def test_create_document_and_undo_leaves_nothing(store: Store) -> None:
    ws = Workspace(store)
    inverse, changes = ws.apply(CreateDocument("999001", "新单位", 2026))
    (doc_id,) = changes.added
    assert ws.document(doc_id).unit.code == "999001"
    ws.apply(inverse)
    assert list_documents(store) == []
    with pytest.raises(PerfGoalsError):
        ws.apply(CreateDocument("", "无编码", 2026))


def test_import_is_one_undoable_step(both_backends: Store) -> None:
    store = both_backends  # a SQLite file, then a PostgreSQL database
    ws, doc_id = _spending_with_waiver(store)
    before = dump(ws.document(doc_id))
    incoming = _seed_data() | {"year": 2030}
    changed = dict(_seed_data())
    changed["projects"] = [dict(changed["projects"][0], name="改名的项目")]
    inverse, changes = ws.apply(ImportDocuments((incoming, changed), "replace", "x.json", backup=False))
    assert len(changes.added) == 2
    assert ws.document(doc_id).projects[0].name == "改名的项目"
    redo, _ = ws.apply(inverse)
    assert [d.id for d in list_documents(store)] == [doc_id]
    assert dump(ws.document(doc_id))["projects"][0]["name"] == before["projects"][0]["name"]
    assert [w["explanation"] for w in dump(ws.document(doc_id))["waivers"]] == [
        w["explanation"] for w in before["waivers"]]
    ws.apply(redo)
    assert len(list_documents(store)) == 2
    assert_same(ws)


def test_replace_with_two_projects_sharing_a_code_is_refused_and_changes_nothing(store: Store) -> None:
    ws, doc_id = _spending_with_waiver(store)
    before = document_to_dict(load_document(store, doc_id))
    data = dict(_seed_data())
    first = data["projects"][0]
    data["projects"] = [dict(first, name="甲"), dict(first, name="乙")]
    with pytest.raises(PerfGoalsError, match="同一项目编码"):
        ws.apply(ImportDocuments((data,), "replace", "两个同编码.json", backup=False))
    assert document_to_dict(load_document(store, doc_id)) == before


def test_failed_batch_changes_nothing(store: Store) -> None:
    ws = Workspace(store)
    doc_id = _open_seed(store)
    before = dump(ws.document(doc_id))
    bad = Batch((SetFields((FieldValue(Ref(doc_id, "projects", 0), "name", "新名"),)),
                 DeleteRow(Ref(doc_id, "projects", 999))))
    with pytest.raises(LookupError):
        ws.apply(bad)
    assert dump(ws.document(doc_id)) == before
    assert_same(ws)


def test_waiver_created_at_round_trips(store: Store) -> None:
    ws = Workspace(store)
    doc_id = _open_seed(store)
    when = datetime(2024, 5, 6, 7, 8, 9)
    inverse, _ = ws.apply(SetWaiver(doc_id, "part1/x", "A02", None, None, None, "说明", when))
    ws.apply(SetWaiver(doc_id, "part1/x", "A02", None, None, None, "改过的说明"))
    assert_same(ws)
    with pytest.raises(PerfGoalsError):
        ws.apply(SetWaiver(doc_id, "part1/y", "A02", None, None, None, "  "))


def test_carry_over_of_a_project_then_the_unit_with_undo(both_backends: Store) -> None:
    ws, doc_id = _spending_with_waiver(both_backends)
    source = ws.document(doc_id)
    inverse, changes = ws.apply(CarryOver(doc_id, source.year + 1, (0,)))
    (target_id,) = changes.added
    target = ws.document(target_id)
    assert target.year == source.year + 1 and [p.code for p in target.projects] == [source.projects[0].code]
    assert target.projects[0].executions == []  # 执行数 belong to the year they were spent in
    assert_same(ws)
    ws.apply(inverse)
    assert [d.id for d in list_documents(both_backends)] == [doc_id]
    inverse, changes = ws.apply(CarryOver(doc_id, source.year + 1))
    (target_id,) = changes.added
    target = ws.document(target_id)
    assert [p.name for p in target.projects] == [p.name for p in source.projects] and target.has_part1
    assert [len(p.indicators) for p in target.projects] == [len(p.indicators) for p in source.projects]
    assert_same(ws)
    ws.apply(inverse)
    assert [d.id for d in list_documents(both_backends)] == [doc_id]
    assert_same(ws)
