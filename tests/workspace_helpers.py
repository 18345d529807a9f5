"""Headless edits through the workspace, as a second program or window would make them.

Each store gets one :class:`Workspace` (the owner of the documents it has loaded); the
helpers apply one op each, so the storage-level checks (row locks, per-field conflict
checks on a server database) run exactly as in the window.
"""

from __future__ import annotations

import weakref
from typing import Any

from app.models.document import Base
from app.services.storage.store import Store
from app.services.workspace.ops import DeleteRow, FieldValue, InsertRow, SetFields
from app.services.workspace.workspace import Workspace, row_snapshot

_workspaces: weakref.WeakKeyDictionary[Store, Workspace] = weakref.WeakKeyDictionary()


def workspace_of(store: Store) -> Workspace:
    ws = _workspaces.get(store)
    if ws is None:
        ws = _workspaces[store] = Workspace(store)
    return ws


def set_field(store: Store, obj: Base, field: str, value: Any) -> None:
    ws = workspace_of(store)
    ws.apply(SetFields((FieldValue(ws.ref_of(obj), field, value),)))


def insert_child(store: Store, parent: Base, rel: str, index: int, values: dict[str, Any]) -> None:
    ws = workspace_of(store)
    ws.apply(InsertRow(ws.child_ref(parent, rel, index), row_snapshot(values)))


def remove_child(store: Store, parent: Base, rel: str, index: int) -> None:
    ws = workspace_of(store)
    ws.apply(DeleteRow(ws.child_ref(parent, rel, index)))
