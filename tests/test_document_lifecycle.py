"""Deleting a document (and its unit) and bringing it back, as the window's undo does."""

from __future__ import annotations

import pytest

from app.services.formats.importing import commit_documents
from app.services.formats.json_format import document_to_dict
from app.services.storage.documents import (
    create_document,
    list_documents,
    load_document,
    load_documents,
)
from app.services.storage.store import Store
from app.services.workspace.lifecycle import delete_document, restore_document
from app.services.workspace.waivers import list_waivers
from tests.factories import blank_document, full_document


def _strip(data: dict) -> dict:
    data = dict(data)
    data.pop("updated_at", None)
    data.pop("created_at", None)
    return data


def test_delete_and_restore_keeps_ids_and_content(store: Store) -> None:
    commit_documents(store, [full_document(), blank_document(code="422001", year=2023)])
    doc = next(d for d in load_documents(store) if d.year == 2024)
    before = document_to_dict(doc)
    deleted = delete_document(store, doc.id)
    assert not deleted.unit_removed  # the unit still has its 2023 document
    assert [d.year for d in list_documents(store)] == [2023]
    assert restore_document(store, deleted, doc) == doc.id
    again = load_document(store, doc.id)
    assert _strip(document_to_dict(again)) == _strip(before)
    assert [i.id for i in again.projects[0].indicators] == [i.id for i in doc.projects[0].indicators]
    assert len(list_waivers(store, doc.id)) == 2


def test_deleting_the_only_document_removes_the_unit(store: Store) -> None:
    doc_id = create_document(store, "999001", "新单位", 2025)
    deleted = delete_document(store, doc_id)
    assert deleted.unit_removed and list_documents(store) == []
    from app.services.workspace.projects import find_document

    assert find_document(store, "999001", 2025) is None
    new_id = restore_document(store, deleted)  # without the open graph: from the JSON snapshot
    (summary,) = list_documents(store)
    assert summary.id == new_id and summary.unit_code == "999001"


def test_restore_with_taken_ids_falls_back_to_new_ids(store: Store) -> None:
    commit_documents(store, [full_document()])
    (doc,) = load_documents(store)
    deleted = delete_document(store, doc.id)
    commit_documents(store, [full_document(code="422099")])  # takes the freed ids (SQLite)
    new_id = restore_document(store, deleted, doc)
    # PostgreSQL's sequences never hand a freed id out again: there the old ids stay free.
    assert (new_id == doc.id) if store.is_server else (new_id != doc.id)
    assert sorted(d.unit_code for d in list_documents(store)) == ["422001", "422099"]
    restored = load_document(store, new_id)
    assert restored.projects[0].code == doc.projects[0].code and len(restored.waivers) == 2


@pytest.fixture
def store(both_backends: Store) -> Store:
    """These tests run on SQLite and on PostgreSQL (tests/pg.py)."""
    return both_backends
