"""What changed in a resubmission: projects added / removed / moved, fields, rows, findings."""

from __future__ import annotations

import json
from pathlib import Path

from app.cli import main
from app.models import Indicator, Project
from app.models.clone import clone_project
from app.services.bureau.diff import diff_documents
from app.services.formats.json_format import write_json
from tests.factories import full_document


def _second(code: str, name: str) -> Project:
    p = clone_project(full_document().projects[0])
    p.code, p.name = code, name
    return p


def test_unchanged_document_has_no_changes() -> None:
    d = diff_documents(full_document(), full_document())
    assert not d.changed and d.findings_fixed == [] and d.findings_new == []


def test_fields_rows_and_projects() -> None:
    old, new = full_document(), full_document()
    old.projects.append(_second("B", "乙项目"))
    old.projects.append(_second("C", "丙项目"))
    new.projects.append(_second("D", "丁项目"))  # added
    new.projects.append(_second("C", "丙项目"))
    new.projects.insert(0, new.projects.pop(2))  # C moved to the front
    p = next(x for x in new.projects if x.code == "13020924P00070710002F")
    p.name = "食品安全监管（修改）"
    p.indicators.insert(1, Indicator(level1="产出指标", level2="时效指标", level3="完成时间",
                                     value_raw="2024年12月31日前"))
    p.indicators[-1].value_raw = "≥95%"
    d = diff_documents(old, new)
    assert [r.code for r in d.added] == ["D"] and [r.code for r in d.removed] == ["B"]
    names = {(c.where, c.label, c.old, c.new) for c in d.changes if c.kind == "changed"}
    assert ("项目2 13020924P00070710002F", "项目名称", "食品安全监管", "食品安全监管（修改）") in names
    assert ("项目2 13020924P00070710002F 第4行", "指标值", "≥90%", "≥95%") in names
    added_rows = [c for c in d.changes if c.kind == "row_added"]
    assert [(c.project, c.row) for c in added_rows] == [("13020924P00070710002F", 2)]
    # rows after the inserted one are not reported as changed
    assert not any(c.row == 3 and c.kind == "changed" for c in d.changes)


def test_moved_project_is_only_the_one_that_moved() -> None:
    old, new = full_document(), full_document()
    for doc in (old, new):
        doc.projects += [_second(c, c) for c in ("B", "C", "D")]
    new.projects.append(new.projects.pop(0))
    d = diff_documents(old, new)
    assert [r.code for r in d.moved] == ["13020924P00070710002F"]


def test_findings_fixed_and_new() -> None:
    old, new = full_document(), full_document()
    old.projects[0].budget_fiscal_raw = "abc"  # not a number: an error in the old version
    new.projects[0].plan_dec_raw = "90%"
    d = diff_documents(old, new)
    assert any(f["field"] == "budget_fiscal" for f in d.findings_fixed)
    assert d.findings_new


def test_cli_diff_files_and_versions(tmp_path: Path, capsys) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    write_json(a, [full_document()])
    changed = full_document()
    changed.overall_text = "新的总体目标"
    write_json(b, [changed])
    assert main(["diff", str(a), str(b), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["changed"] and out["changes"][0]["field"] == "overall_text"
    db = tmp_path / "d.db"
    assert main(["import", str(a), "--db", str(db), "--on-conflict", "version"]) == 0
    assert main(["import", str(b), "--db", str(db), "--on-conflict", "version"]) == 0
    capsys.readouterr()
    assert main(["diff", "422001:2024:1", "422001:2024:2", "--db", str(db)]) == 0
    assert "新的总体目标" in capsys.readouterr().out
    assert main(["diff", "422001:2024:1", "422001:2024", "--db", str(db)]) == 0
    assert main(["diff", "422001:2024:1", "422001:2024:7", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "第7版" in err
    write_json(tmp_path / "other.json", [full_document("422009")])
    assert main(["diff", str(a), str(tmp_path / "other.json")]) == 2
    assert "不是同一单位" in capsys.readouterr().err


def test_change_marks_place_each_change_in_the_new_version() -> None:
    from app.services.bureau.diff import CHANGE_KIND, change_marks

    old, new = full_document(), full_document()
    new.projects.append(_second("D", "丁项目"))  # added: marks the project
    p = new.projects[0]
    p.budget_total_raw = "999"
    p.indicators.insert(1, Indicator(level1="产出指标", level2="时效指标", level3="完成时间",
                                     value_raw="2024年12月31日前"))
    old_value = p.indicators[-1].value_raw
    p.indicators[-1].value_raw = "≥95%"
    new.overall_text = "新的总体目标"
    new.measures[0].title = "新的措施"
    marks = change_marks(diff_documents(old, new, with_findings=False), new)
    assert {m.severity for m in marks} == {CHANGE_KIND}
    placed = {(m.project, m.row, m.field, m.item): m.message for m in marks}
    assert placed[(2, None, None, None)] == "新增的项目"
    assert placed[(1, None, "budget_total", None)].startswith("预算数原为“")
    assert placed[(1, 2, None, None)] == "新增的指标行"
    assert placed[(1, len(p.indicators), "value", None)] == f"指标值原为“{old_value}”"
    assert (None, None, "overall_text", None) in placed
    assert (None, None, "measures", 1) in placed
    assert len({m.key for m in marks}) == len(marks)
