"""The seed document (seed.docx): every finding was read and judged; these tests pin them.

RULES.md names, per rule, the seed tables (T1…T11) that should trigger it. Where the data of
another table has the same defect the rule fires there too (e.g. F08 on T6's 经济效益指标);
where a finding on the seed was judged wrong the rule was tuned (see the profile "tuning").
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from app.services.formats.file_io import read_file
from app.services.validation import Finding, Validator, check_documents

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def seed_findings() -> list[Finding]:
    doc = read_file(ROOT / "tests" / "fixtures" / "seed.docx").documents[0]
    return Validator().validate_document(doc)


def _tables(found: list[Finding], rule: str) -> set[int]:
    return {f.project for f in found if f.rule == rule and f.project is not None}


ALL = set(range(1, 12))

# rule -> the seed tables it must fire on (exactly), as judged by reading every finding.
EXPECTED_TABLES = {
    "B05": {1}, "B08": {1}, "A06": {1},
    "C05": {3, 4, 5, 7, 11},  # 绩效目标 repeats 资金用途 (RULES: T3/T4; T5/T7/T11 copy it too)
    "D01": {1, 2}, "D05": {1},
    "E02": {1}, "E03": {1, 9}, "E04": {5, 7, 11}, "E05": {1, 7, 9, 10}, "E08": {6}, "E09": {9},
    "F08": {1, 2, 5, 6, 7, 8, 9, 10, 11}, "F09": {3, 4, 6, 9}, "F10": {5},
    "F11": ALL, "F17": {1, 5, 6, 8}, "F23": {10},
    "G03": {11}, "G04": ALL - {1}, "G05": {1}, "G08": {1, 8}, "G09": ALL, "G12": {7}, "G13": ALL - {4},
    "G14": {4}, "G16": {8}, "G17": {1}, "G19": ALL - {1}, "G20": ALL - {1}, "G21": {1}, "G23": {1, 3},
    "G24": {3}, "G27": {5, 6}, "G28": {10}, "G30": {4, 8, 9, 11},
    "H03": {1}, "I01": ALL - {4},
    "Y01": {1},  # T1 is a 延续 project (code year 23) still describing 2023: see test_seed_y01_judged
}

# Rules the seed must not trigger anywhere (checked by reading the data: no such defect).
NEVER = {"A01", "A02", "A03", "A05", "B01", "B02", "B03", "B04", "B06", "B07", "C01", "C02", "C03",
         "C04", "C06", "D02", "D03", "D04", "E01", "E06", "E07", "F01", "F02", "F03", "F04", "F05",
         "F06", "F07", "F12", "F13", "F15", "F18", "F19", "F20", "F21", "G01", "G02", "G05a", "G06",
         "G07", "G10", "G11", "G15", "G18", "G22", "G25", "H01", "H02", "I02", "I03"}


@pytest.mark.parametrize("rule", sorted(EXPECTED_TABLES))
def test_seed_rule_fires_on_the_judged_tables(seed_findings, rule: str) -> None:
    assert _tables(seed_findings, rule) == EXPECTED_TABLES[rule]


def test_seed_never_fires_rules_without_a_defect(seed_findings) -> None:
    assert {f.rule for f in seed_findings} & NEVER == set()


def test_seed_part1_findings(seed_findings) -> None:
    part1 = sorted((f.rule, f.item) for f in seed_findings if f.project is None)
    assert part1 == [("A04", 9), ("A04", 10), ("A07", 1), ("A08", None), ("A08", None),
                     ("A09", 1), ("A09", 2), ("A10", 2)]
    a07 = next(f for f in seed_findings if f.rule == "A07")
    assert "11.00万元" in a07.message and "13.80万元" in a07.message
    a09 = [f.message for f in seed_findings if f.rule == "A09"]
    assert any("85个" in m for m in a09)


def test_seed_precise_locations(seed_findings) -> None:
    by = defaultdict(list)
    for f in seed_findings:
        by[f.rule].append((f.project, f.row, f.field))
    assert by["G17"] == [(1, 4, "value")]  # 12.42万元 > 1.74
    assert by["F10"] == [(5, 1, "level3")]  # **产品抽检率
    assert by["G14"] == [(4, 1, "value")]  # 抽检设备种类 ≥1600批次
    assert sorted(by["D01"]) == [(1, None, "plan_jun"), (1, None, "plan_mar"), (1, None, "plan_oct"),
                                 (2, None, "plan_jun")]
    assert (6, 7, "value") in by["F09"]  # "≥92%\n"
    assert sorted(by["E02"]) == [(1, None, "goal"), (1, None, "goal")]


def test_seed_y01_judged(seed_findings) -> None:
    # T1 (13020923P…, in the 2024 document) keeps 2023 text. Judged useful: 资金用途 "我区2023年…的补贴",
    # 绩效目标 citing the 2023 allocation notice, and the same 2023 notice as the 依据 of rows 1–9
    # (one finding for the nine copies). Left to other rules: the name (B08) and the row-3 date
    # "预计2023年12月31日前完成" (G21).
    y01 = [(f.project, f.row, f.field) for f in seed_findings if f.rule == "Y01"]
    assert y01 == [(1, None, "purpose"), (1, None, "goal"), (1, 1, "basis")]
    basis = next(f for f in seed_findings if f.rule == "Y01" and f.field == "basis")
    assert "第1–9行指标值确定依据" in basis.message and "2023年" in basis.message
    at = {(f.rule, f.project, f.row, f.field) for f in seed_findings}
    assert ("B08", 1, None, "name") in at and ("G21", 1, 3, "value") in at


def test_seed_satisfaction_name_not_flagged_as_level_copy(seed_findings) -> None:
    # 服务对象满意度 (T1, T3, T8, T10, T11) is a concrete survey population, not F08.
    assert not [f for f in seed_findings if f.rule == "F08" and "满意度" in f.message]


def test_seed_effect_phrase_not_output(seed_findings) -> None:
    # T8 "促进特种设备检验检测事业发展": effect phrase (G30 fires), not an output (no F19).
    assert (8, 6) in {(f.project, f.row) for f in seed_findings if f.rule == "G30"}


def test_seed_summary_and_assessment() -> None:
    doc = read_file(ROOT / "tests" / "fixtures" / "seed.docx").documents[0]
    report = check_documents([doc])
    s = report.summary
    assert (s["error"], s["warning"], s["hint"]) == (43, 104, 178)
    unit = s["units"][0]
    assert unit["assessment"] == "差" and unit["assessment_label"] == "本程序的评估，非财政部门审核结论"
    assert report.has_errors


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_check_cli_on_seed_json() -> None:
    res = _cli("check", "tests/fixtures/seed.docx", "--json")
    assert res.returncode == 1, res.stderr
    data = json.loads(res.stdout)
    required = {"rule", "severity", "message", "dimension", "unit", "project", "project_code", "row",
                "field", "waived"}
    assert all(required <= set(f) for f in data["findings"])
    g17 = next(f for f in data["findings"] if f["rule"] == "G17")
    assert (g17["project"], g17["row"], g17["project_code"]) == (1, 4, "13020923P00062810002D")
    d01 = next(f for f in data["findings"] if f["rule"] == "D01")
    assert d01["row"] is None
    y01 = [f for f in data["findings"] if f["rule"] == "Y01"]  # 延续内容待核实, in check like any rule
    assert [(f["project"], f["row"], f["field"], f["severity"]) for f in y01] == [
        (1, None, "purpose", "hint"), (1, None, "goal", "hint"), (1, 1, "basis", "hint")]
    assert y01[0]["key"] == "Y01|P:13020923P00062810002D|F:purpose" and y01[0]["dimension"] == "可行性"
    assert data["summary"]["hint"] == 178
    assert data["summary"]["error"] == 43


def test_check_cli_readable_report_grouped_by_project() -> None:
    res = _cli("check", "tests/fixtures/seed.docx")
    assert res.returncode == 1
    out = res.stdout
    assert "项目1 13020923P00062810002D 2023年食品药品安全协管员补贴资金" in out
    assert out.index("项目1 ") < out.index("G17") < out.index("项目2 ")
    assert "本程序的评估，非财政部门审核结论" in out


def test_check_cli_good_document_exit_0() -> None:
    res = _cli("check", "tests/fixtures/good_document.json")
    assert res.returncode == 0, res.stdout
    assert "错误0，警告0" in res.stdout


def test_check_cli_unreadable_input_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    res = _cli("check", str(bad))
    assert res.returncode == 2 and "Traceback" not in res.stderr and res.stderr.strip()


def test_seed_xlsx_gives_the_same_findings_as_docx(seed_findings) -> None:
    doc = read_file(ROOT / "tests" / "fixtures" / "seed.xlsx").documents[0]
    got = {(f.key, f.message) for f in Validator().validate_document(doc)}
    assert got == {(f.key, f.message) for f in seed_findings}


def test_seed_keys_are_unique(seed_findings) -> None:
    # A waiver must match exactly one finding.
    keys = [f.key for f in seed_findings]
    assert len(keys) == len(set(keys))
