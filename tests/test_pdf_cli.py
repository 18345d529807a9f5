"""``python -m app export --format pdf``: the database's documents as one PDF."""

from __future__ import annotations

from pathlib import Path

from app.models.values import squash
from app.services.formats.json_format import write_json
from tests.factories import full_document
from tests.pdf_helpers import body_text, document_values, footers
from tests.test_cli import run_cli


def test_export_pdf_via_cli(tmp_path: Path) -> None:
    src = tmp_path / "in.json"
    doc = full_document()
    write_json(src, [doc])
    db = tmp_path / "cli.db"
    assert run_cli("import", str(src), "--db", str(db)).returncode == 0
    out = tmp_path / "导出 结果.pdf"  # Chinese name with a space
    res = run_cli("export", "--db", str(db), "--format", "pdf", "--out", str(out))
    assert res.returncode == 0, res.stderr
    text = body_text(out, doc.unit.name)
    for value in document_values(doc):
        assert value in text
    # summary, part 1, the project, and the 出错说明 page (full_document() has two waivers)
    assert footers(out) == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert "按上级文件口径填写" in text
    assert squash("1.食品安全监管绩效目标表") in text


def test_export_pdf_to_missing_folder_fails_cleanly(tmp_path: Path) -> None:
    src = tmp_path / "in.json"
    write_json(src, [full_document()])
    db = tmp_path / "cli.db"
    assert run_cli("import", str(src), "--db", str(db)).returncode == 0
    res = run_cli("export", "--db", str(db), "--format", "pdf", "--out", str(tmp_path / "无" / "x.pdf"))
    assert res.returncode != 0
    assert "Traceback" not in res.stderr
    assert "目标文件夹不存在" in res.stderr


def test_check_writes_report_pdf(tmp_path: Path, seed_docx: Path) -> None:
    out = tmp_path / "审核报告.pdf"
    res = run_cli("check", str(seed_docx), "--pdf", str(out))
    assert res.returncode == 1, res.stderr  # the seed has errors: exit code unchanged
    text = body_text(out, "曹妃甸区市场监督管理局本级")
    assert "绩效目标审核报告" in text and "出错说明汇总" in text
