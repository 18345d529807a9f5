"""The headless CLI: verbs, exit codes, one Chinese line on failure, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.services.formats.json_format import write_json
from tests.factories import blank_document, full_document

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_json_round_trip_via_cli(tmp_path: Path) -> None:
    src = tmp_path / "in.json"
    write_json(src, [full_document(), blank_document()])
    db = tmp_path / "cli.db"
    res = run_cli("import", str(src), "--db", str(db))
    assert res.returncode == 0, res.stderr
    assert "422001" in res.stdout
    out = tmp_path / "out.json"
    res = run_cli("export", "--db", str(db), "--format", "json", "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert json.loads(out.read_text("utf-8"))["documents"] == json.loads(src.read_text("utf-8"))["documents"]


def test_export_filters_by_unit_and_year(tmp_path: Path) -> None:
    src = tmp_path / "in.json"
    write_json(src, [full_document(), blank_document()])
    db = str(tmp_path / "f.db")
    assert main(["import", str(src), "--db", db]) == 0
    out = tmp_path / "one.json"
    assert main(["export", "--db", db, "--format", "json", "--out", str(out), "--unit", "999001"]) == 0
    docs = json.loads(out.read_text("utf-8"))["documents"]
    assert [d["unit"]["code"] for d in docs] == ["999001"]
    assert main(["export", "--db", db, "--format", "json", "--out", str(out), "--year", "1999"]) == 1


def test_conflict_stops_import_unchanged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.json"
    write_json(src, [full_document()])
    db = str(tmp_path / "c.db")
    assert main(["import", str(src), "--db", db]) == 0
    assert main(["import", str(src), "--db", db]) == 5
    assert "已存在" in capsys.readouterr().err
    assert main(["import", str(src), "--db", db, "--on-conflict", "copy"]) == 0
    out = tmp_path / "o.json"
    assert main(["export", "--db", db, "--format", "json", "--out", str(out)]) == 0
    names = [p["name"] for p in json.loads(out.read_text("utf-8"))["documents"][0]["projects"]]
    assert names == ["食品安全监管", "食品安全监管（副本）"]


def test_dry_run_stores_nothing(tmp_path: Path) -> None:
    src = tmp_path / "in.json"
    write_json(src, [full_document()])
    db = tmp_path / "d.db"
    assert main(["import", str(src), "--db", str(db), "--dry-run"]) == 0
    assert main(["export", "--db", str(db), "--format", "json", "--out", str(tmp_path / "x.json")]) == 1


def test_failures_are_one_chinese_line(tmp_path: Path) -> None:
    bad = tmp_path / "坏文件.docx"
    bad.write_bytes(b"PK\x03\x04 truncated")
    res = run_cli("import", str(bad), "--db", str(tmp_path / "x.db"))
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "坏文件.docx" in lines[0] and "损坏" in lines[0]
    res = run_cli("export", "--db", str(tmp_path / "missing.db"), "--format", "json", "--out", "x.json")
    assert res.returncode == 2 and "不存在" in res.stderr
    res = run_cli("check")
    assert res.returncode == 2 and "Traceback" not in res.stderr
    res = run_cli("export", "--db", str(tmp_path / "x.db"), "--format", "odt", "--out", "x")
    assert res.returncode == 2 and "参数错误" in res.stderr


def test_check_json_output(tmp_path: Path) -> None:
    src = tmp_path / "in.json"
    write_json(src, [full_document()])
    res = run_cli("check", str(src), "--json")
    assert res.returncode in (0, 1), res.stderr
    data = json.loads(res.stdout)
    assert set(data) == {"findings", "summary"}
