"""Edits go to the database at once and to the detached graph the window shows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.services.formats.importing import commit_documents
from app.services.storage.documents import load_documents
from app.services.storage.store import Store
from app.services.workspace.editing import (
    insert_child,
    move_child,
    remove_child,
    set_field,
    set_fields,
)
from tests.factories import full_document


@pytest.fixture
def store(both_backends: Store) -> Store:
    """Every editing test runs on SQLite and on PostgreSQL."""
    return both_backends


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


def _add_waiver(store: Store, doc, project_n: int, row: int | None, rule: str) -> None:
    from app.models import Waiver

    with store.session() as sess:
        from app.models import Project

        project = sess.get(Project, doc.projects[project_n].id)
        ind = project.indicators[row] if row is not None else None
        sess.add(Waiver(document_id=doc.id, rule_id=rule, project_id=project.id,
                        indicator_id=ind.id if ind is not None else None, field="value" if ind else None,
                        location=f"{rule}|P:{project.code}" + (f"|R:{row + 1}|F:value" if ind else ""),
                        explanation=f"说明{rule}"))


def _stored_waivers(store: Store, doc_id: int):
    from app.services.workspace.waivers import load_waivers

    return load_waivers(store, doc_id)


def test_undo_of_a_row_delete_brings_its_waivers_back(store: Store) -> None:
    from app.services.workspace.editing import remove_child_with_waivers, restore_child

    commit_documents(store, [full_document()])
    doc = _reload(store)
    _add_waiver(store, doc, 0, 1, "G09")
    _add_waiver(store, doc, 0, None, "F05")
    doc = _reload(store)  # the open document, waivers loaded as the window loads them
    project = doc.projects[0]
    row = project.indicators[1]
    snapshot, waivers = remove_child_with_waivers(store, project, "indicators", 1)
    # full_document() has a G08 waiver on that row too, and A02 on part 1.
    assert [w.rule_id for w in waivers] == ["G08", "G09"] and waivers[0].row is None
    assert [w.rule_id for w in _stored_waivers(store, doc.id)] == ["A02", "F05"]  # FK cascade
    assert [w.rule_id for w in doc.waivers] == ["A02", "F05"]  # the open document follows
    restore_child(store, project, "indicators", 1, row, waivers)
    stored = {w.rule_id: w for w in _stored_waivers(store, doc.id)}
    assert set(stored) == {"A02", "G08", "G09", "F05"}
    assert stored["G08"].location == "P1/R2/value" and stored["G08"].created_at.year == 2024
    assert stored["G09"].indicator_id == row.id and stored["G09"].project_id == project.id
    assert stored["G09"].location == "G09|P:13020924P00070710002F|R:2|F:value"
    assert stored["G09"].explanation == "说明G09"
    mine = next(w for w in doc.waivers if w.rule_id == "G09")
    assert mine.id == stored["G09"].id and mine.indicator is row and mine.project is project


def test_undo_of_a_project_delete_brings_its_waivers_back(store: Store) -> None:
    from app.services.workspace.editing import remove_child_with_waivers, restore_child

    commit_documents(store, [full_document()])
    doc = _reload(store)
    _add_waiver(store, doc, 0, 2, "G09")
    _add_waiver(store, doc, 0, None, "F05")
    doc = _reload(store)
    project = doc.projects[0]
    _snap, waivers = remove_child_with_waivers(store, doc, "projects", 0)
    assert sorted((w.rule_id, w.row) for w in waivers) == [("F05", None), ("G08", 1), ("G09", 2)]
    assert [w.rule_id for w in _stored_waivers(store, doc.id)] == ["A02"]
    assert [w.rule_id for w in doc.waivers] == ["A02"]
    restore_child(store, doc, "projects", 0, project, waivers)
    stored = {w.rule_id: w for w in _stored_waivers(store, doc.id)}
    assert stored["G09"].indicator_id == project.indicators[2].id
    assert stored["F05"].project_id == project.id and stored["F05"].indicator_id is None
    assert {w.rule_id for w in doc.waivers} == {"A02", "G08", "G09", "F05"}
    assert next(w for w in doc.waivers if w.rule_id == "G09").indicator is project.indicators[2]
