"""The layering rule: app/models and app/services never import Qt; app/ui runs no SQL."""

from __future__ import annotations

import re
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app"


def test_models_and_services_do_not_import_qt() -> None:
    pattern = re.compile(r"^\s*(from|import)\s+PySide6", re.M)
    offenders = [
        str(p) for sub in ("models", "services") for p in (APP / sub).rglob("*.py")
        if pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_ui_runs_no_queries() -> None:
    # A bare select( is SQL; a method call such as selectionModel().select( is not.
    pattern = re.compile(r"session\.(query|execute)|(?<![.\w])select\(|\bsqlalchemy\b")
    offenders = [str(p) for p in (APP / "ui").rglob("*.py") if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
