"""One vocabulary of findings (validation catalogue) and one place text, used everywhere."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from app.services.validation import (
    FIELD_LABELS,
    SEVERITIES,
    SEVERITY_LABELS,
    Finding,
    location_text,
    place_text,
    severity_rank,
    worst_severity,
)

APP = Path(__file__).resolve().parent.parent / "app"


def _finding(project: int | None, row: int | None, field: str | None, item: int | None = None) -> Finding:
    return Finding("G09", "warning", "问题", "适当性", "422001", 2024, project, None, row, field,
                   "G09|…", item=item)


def test_severity_order_and_labels() -> None:
    assert [severity_rank(s) for s in SEVERITIES] == [0, 1, 2]
    assert severity_rank("waived") > severity_rank("hint")
    assert list(SEVERITY_LABELS) == list(SEVERITIES)
    assert worst_severity(["hint", "error", "warning"]) == "error"
    assert worst_severity([]) is None


@given(st.lists(st.sampled_from(SEVERITIES), min_size=1))
def test_worst_is_the_most_serious(severities: list[str]) -> None:
    worst = worst_severity(severities)
    assert worst in severities
    assert all(severity_rank(worst) <= severity_rank(s) for s in severities)


def test_location_and_place_text() -> None:
    assert location_text(_finding(5, 3, "value")) == "项目5 第3行 指标值"
    assert location_text(_finding(None, None, "overall_text")) == "部门整体 总体绩效目标"
    assert location_text(_finding(None, None, None, item=2), field="subgoals") == "部门整体 第2项 分项绩效目标"
    assert place_text(None, None) == ""
    assert place_text(4, "plan_mar") == "第4行 " + FIELD_LABELS["plan_mar"]


def test_no_copies_of_the_severity_labels() -> None:
    """The 错误/警告/提示 map is written once, in the validation catalogue."""
    copies = []
    pattern = re.compile(r"""["']error["']\s*:\s*["']错误["']""")
    for path in APP.rglob("*.py"):
        if pattern.search(path.read_text(encoding="utf-8")):
            copies.append(path.relative_to(APP).as_posix())
    assert copies == ["services/validation/catalog.py"]


def test_check_json_entry_keeps_its_keys_in_order(capsys) -> None:
    """``check --json`` is an interface: each finding's keys, in this order."""
    import json

    from app.cli import main

    seed = Path(__file__).resolve().parent / "fixtures" / "seed.docx"
    assert main(["check", str(seed), "--json"]) in (0, 1)
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert findings
    assert {tuple(f) for f in findings} == {(
        "rule", "severity", "message", "dimension", "unit", "year", "project", "project_code",
        "row", "field", "item", "key", "waived", "waiver",
    )}
