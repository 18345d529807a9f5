"""The window's export and the CLI's export of the same selection hold the same content.

Both go through :func:`app.services.formats.selection.select_documents`; this test drives
the window through its 文件 → 导出 actions (scope and file dialogs patched) and the CLI
through ``python -m app export``, and compares docx, xlsx, pdf (text) and json — the
出错说明 (waivers) included, which the window once dropped.
"""

from __future__ import annotations

import json
from pathlib import Path

import docx
import openpyxl
import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QFileDialog

from app.cli import main as cli_main
from app.services.formats.file_io import export_documents
from app.services.storage.documents import list_documents, load_document, load_documents
from app.services.storage.store import Store
from app.services.validation import validate, waivable
from app.services.workspace.waivers import add_waiver
from app.ui.dialogs import ExportScopeDialog
from app.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

FORMATS = ("docx", "xlsx", "pdf", "json")


@pytest.fixture
def waived_store(store: Store, seed_docx: Path) -> tuple[Store, list[str]]:
    """The seed stored, with 出错说明 on part 1, a project field and an indicator row of project 5."""
    from app.services.formats.file_io import read_file
    from app.services.formats.importing import commit_documents

    commit_documents(store, read_file(seed_docx).documents)
    (summary,) = list_documents(store)
    doc = load_document(store, summary.id)
    texts = []
    picks = {
        "part1": lambda f: f.project is None,
        "field": lambda f: f.project == 5 and f.row is None,
        "row": lambda f: f.project == 5 and f.row is not None,
    }
    findings = [f for f in validate(doc) if waivable(f)]
    for name, where in picks.items():
        finding = next(f for f in findings if where(f))
        texts.append(f"说明{name}：按上级口径填写")
        add_waiver(store, summary.id, finding, texts[-1])
    return store, texts


def _content(path: Path, fmt: str) -> object:
    """What a reader sees in an exported file (no timestamps or zip details)."""
    if fmt == "docx":
        d = docx.Document(str(path))
        paras = [p.text for p in d.paragraphs]
        tables = [[[c.text for c in row.cells] for row in t.rows] for t in d.tables]
        return paras, tables
    if fmt == "xlsx":
        wb = openpyxl.load_workbook(path)
        return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}
    if fmt == "pdf":
        return [page.extract_text() for page in PdfReader(str(path)).pages]
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("exported_at", None)
    return data


def _window_export(qtbot, monkeypatch, store: Store, fmt: str, scope: str, out: Path) -> MainWindow:
    w = MainWindow(store)
    qtbot.addWidget(w)
    w.show()
    doc = w.current_document()
    if scope == "project":
        from tests.ui_helpers import click_tree

        click_tree(qtbot, w.tree, w.tree.tree_model.find(doc.id, doc.projects[4].id))
        assert w.current_project is doc.projects[4]
    monkeypatch.setattr(ExportScopeDialog, "ask", classmethod(lambda cls, options, parent=None: scope))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    w.export_actions[fmt].trigger()
    assert out.is_file()
    return w


@pytest.mark.parametrize("fmt", FORMATS)
def test_unit_export_from_window_equals_cli(qtbot, monkeypatch, tmp_path, waived_store, db_path, fmt) -> None:
    store, texts = waived_store
    by_window = tmp_path / f"window.{fmt}"
    _window_export(qtbot, monkeypatch, store, fmt, "unit", by_window)
    by_cli = tmp_path / f"cli.{fmt}"
    # The window adds the 资金支出计划 calendar page by default (文件 → 打印字体); the CLI on request.
    calendar = ["--with-calendar"] if fmt == "pdf" else []
    assert cli_main(["export", "--db", str(db_path), "--format", fmt, "--out", str(by_cli),
                     "--unit", "422001", *calendar]) == 0
    window_content = _content(by_window, fmt)
    assert window_content == _content(by_cli, fmt)
    dumped = json.dumps(window_content, ensure_ascii=False, default=str)
    for text in texts:  # every 出错说明 is in the file (pdf: text may wrap, so compare unbroken)
        assert text in dumped or text in dumped.replace("\\n", "").replace("\n", "")


@pytest.mark.parametrize("fmt", FORMATS)
def test_project_export_from_window_equals_service(qtbot, monkeypatch, tmp_path, waived_store, fmt) -> None:
    """One project: the window's file equals the CLI's service call with that project's id."""
    store, texts = waived_store
    by_window = tmp_path / f"window.{fmt}"
    w = _window_export(qtbot, monkeypatch, store, fmt, "project", by_window)
    project_id = w.current_document().projects[4].id
    by_service = tmp_path / f"service.{fmt}"
    export_documents(load_documents(store), fmt, by_service, project_ids=[project_id],
                     with_calendar=fmt == "pdf")
    window_content = _content(by_window, fmt)
    assert window_content == _content(by_service, fmt)
    dumped = json.dumps(window_content, ensure_ascii=False, default=str).replace("\\n", "")
    assert texts[0] not in dumped  # part 1 is not exported with one project, nor its 出错说明
    for text in texts[1:]:
        assert text in dumped


def test_print_preview_prints_what_the_cli_exports(qtbot, monkeypatch, tmp_path, waived_store, db_path) -> None:
    """文件 → 打印预览 of the unit gets the same documents (出错说明 included) as the CLI's PDF."""
    from app.services.paper.writer import write_pdf
    from app.ui import printing

    store, texts = waived_store
    w = MainWindow(store)
    qtbot.addWidget(w)
    w.show()
    printed: list[dict] = []
    monkeypatch.setattr(ExportScopeDialog, "ask", classmethod(lambda cls, options, parent=None: "unit"))
    monkeypatch.setattr(printing, "print_preview",
                        lambda parent, docs, **options: printed.append({"docs": docs, **options}))
    w.action_print_preview.trigger()
    (job,) = printed
    by_window = write_pdf(tmp_path / "printed.pdf", job["docs"], font=job["font"],
                          with_calendar=job["with_calendar"])
    by_cli = tmp_path / "cli.pdf"
    assert cli_main(["export", "--db", str(db_path), "--format", "pdf", "--out", str(by_cli),
                     "--with-calendar"]) == 0
    pages = _content(by_window, "pdf")
    assert pages == _content(by_cli, "pdf")
    assert sum(len(d.waivers) for d in job["docs"]) == len(texts)
