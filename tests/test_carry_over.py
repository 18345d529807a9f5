"""延续项目: what is carried, and which year-dependent text is flagged for review."""

from __future__ import annotations

from app.models import Indicator, Project
from app.services.formats.selection import default_file_name, select_documents
from app.services.validation import CARRY_OVER_RULE, Validator, load_profile
from app.services.validation.rules_carry import is_carried
from app.services.workspace.carry_over import carry_project
from app.services.workspace.projects import duplicate_of
from tests.factories import full_document


def test_carry_project_copies_everything_but_identity() -> None:
    doc = full_document()
    p = doc.projects[0]
    new = carry_project(p)
    assert new.id is None and new.code == p.code and new.name == p.name and new.heading is None
    assert [i.value_raw for i in new.indicators] == [i.value_raw for i in p.indicators]
    assert all(i.id is None for i in new.indicators)


def test_flags_in_carried_project_and_previous_year_elsewhere() -> None:
    # Year-dependent text is flagged by the validator's rule Y01 (延续内容待核实).
    doc = full_document(year=2025)
    doc.overall_text = "2024年度全面完成各项任务；依据2019年印发的规划。"
    carried = Project(position=1, code="13020924P000628100002", name="2024年食品安全监管",
                      purpose="用于2023年食品安全抽检。", goal="2023年12月31日前完成。")
    carried.indicators = [
        Indicator(position=0, level3="完成时间", value_raw="2024年12月31日前"),
        Indicator(position=1, level3="抽检批次", description="按2024年度抽检计划统计"),
    ]
    fresh = Project(position=2, code="13020925P000628100003", name="新项目",
                    goal="依据2020年文件，2024年试点基础上推广。")
    doc.projects += [carried, fresh]
    profile = load_profile()
    assert is_carried(carried, 2025, profile) and not is_carried(fresh, 2025, profile)
    found = Validator().validate_document(doc)
    flags = [f for f in found if f.rule == CARRY_OVER_RULE == "Y01"]
    where = {(f.project, f.row, f.field) for f in flags}
    assert (None, None, "overall_text") in where  # previous year in part 1; 2019 alone would not be
    assert {(2, None, "purpose"), (2, None, "goal"), (2, 2, "description")} <= where
    # Cells another rule already flags for the same year are left to it: B08 (name), G21 (date).
    assert (2, None, "name") not in where and (2, None, "name") in {(f.project, f.row, f.field)
                                                                   for f in found if f.rule == "B08"}
    assert (2, 1, "value") not in where and any(f.rule == "G21" and f.project == 2 for f in found)
    assert (3, None, "goal") in where  # 2024 is the previous year; 2020 in a new project is not flagged
    assert all(f.severity == "hint" and f.dimension == "可行性" for f in flags)
    msg = next(f.message for f in flags if f.project == 2 and f.field == "goal")
    assert "2023年" in msg and "2025年度" in msg
    carried.goal = "2025年12月31日前完成。"
    assert (2, None, "goal") not in {(f.project, f.row, f.field) for f in Validator().validate_document(doc)
                                     if f.rule == "Y01"}


def test_subset_and_duplicate() -> None:
    doc = full_document()
    doc.projects[0].id = 7
    (part,) = select_documents([doc], [7])
    assert not part.has_part1 and [p.name for p in part.projects] == ["食品安全监管"]
    assert part.unit is not doc.unit and part.overall_text is None
    (whole,) = select_documents([doc])
    assert whole is doc and whole.has_part1 and len(whole.subgoals) == 2
    assert default_file_name([doc], "docx") == "422001_2024_" + doc.unit.name + ".docx"
    part.projects[0].name = "食品/安全"
    assert default_file_name([part], "docx") == "422001_2024_食品_安全.docx"
    assert duplicate_of(doc.projects[0]).name == "食品安全监管（副本）"
