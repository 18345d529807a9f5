"""Edits go to the database at once and to the detached graph the window shows."""

from __future__ import annotations

from decimal import Decimal

from app.services.documents import load_documents
from app.services.editing import insert_child, move_child, remove_child, set_field, set_fields
from app.services.importing import commit_documents
from app.services.storage import Store
from tests.factories import full_document


def _open(store: Store):
    commit_documents(store, [full_document()])
    (doc,) = load_documents(store)
    return doc


def _reload(store: Store):
    (doc,) = load_documents(store)
    return doc


def test_set_field_commits_and_derives(store: Store) -> None:
    doc = _open(store)
    ind = doc.projects[0].indicators[0]
    old = set_field(store, ind, "value_raw", "≥1700批次")
    assert old == "≥1600批次"
    assert ind.number == Decimal("1700")
    again = _reload(store).projects[0].indicators[0]
    assert again.value_raw == "≥1700批次" and again.number == Decimal("1700")
    set_field(store, doc.projects[0], "budget_total_raw", "12.50")
    assert _reload(store).projects[0].budget_total == Decimal("12.50")


def test_set_fields_is_one_transaction(store: Store) -> None:
    doc = _open(store)
    rows = doc.projects[0].indicators
    olds = set_fields(store, [(rows[0], "level3", "甲"), (rows[1], "level3", "乙")])
    assert olds == ["抽检批次", "对监管企业发展\n\n的影响"]
    assert [i.level3 for i in _reload(store).projects[0].indicators[:2]] == ["甲", "乙"]


def test_insert_remove_move_rows(store: Store) -> None:
    doc = _open(store)
    project = doc.projects[0]
    new = insert_child(store, project, "indicators", 1, {"level1": "产出指标", "value_raw": "≥5个"})
    assert new.id is not None and project.indicators[1] is new
    assert [i.position for i in project.indicators] == [0, 1, 2, 3]
    stored = _reload(store).projects[0].indicators
    assert [i.value_raw for i in stored] == ["≥1600批次", "≥5个", "≥92%\n", "≥90%"]
    move_child(store, project, "indicators", 1, 3)
    assert [i.value_raw for i in _reload(store).projects[0].indicators][-1] == "≥5个"
    snap = remove_child(store, project, "indicators", 3)
    assert snap.value_raw == "≥5个" and len(_reload(store).projects[0].indicators) == 3
    again = insert_child(store, project, "indicators", 3, snap)
    assert _reload(store).projects[0].indicators[3].value_raw == "≥5个"
    assert again.id is not None


def test_remove_and_restore_project_with_indicators(store: Store) -> None:
    doc = _open(store)
    snap = remove_child(store, doc, "projects", 0)
    assert _reload(store).projects == []
    insert_child(store, doc, "projects", 0, snap)
    restored = _reload(store).projects[0]
    assert restored.code == "13020924P00070710002F" and len(restored.indicators) == 3
    assert doc.projects[0].indicators[0].id == restored.indicators[0].id
