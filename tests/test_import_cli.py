"""``python -m app import`` on seed.docx: report, dry run, conflicts."""

from __future__ import annotations

from app.cli import main
from app.services.documents import load_documents
from app.services.storage import Store


def test_import_seed_docx(seed_docx, db_path, capsys) -> None:
    assert main(["import", str(seed_docx), "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "422001" in out and "项目11个" in out
    store = Store.open(db_path)
    try:
        docs = load_documents(store)
    finally:
        store.close()
    assert len(docs) == 1 and len(docs[0].projects) == 11
    assert docs[0].projects[0].budget_other_raw == " "


def test_import_dry_run_stores_nothing(seed_docx, db_path, capsys) -> None:
    assert main(["import", str(seed_docx), "--db", str(db_path), "--dry-run"]) == 0
    store = Store.open(db_path)
    try:
        assert load_documents(store) == []
    finally:
        store.close()


def test_conflict_without_choice_exits_5(seed_docx, db_path, capsys) -> None:
    assert main(["import", str(seed_docx), "--db", str(db_path)]) == 0
    assert main(["import", str(seed_docx), "--db", str(db_path)]) == 5
    err = capsys.readouterr().err
    assert "已存在" in err
    assert main(["import", str(seed_docx), "--db", str(db_path), "--on-conflict", "replace"]) == 0
