"""延续项目: what is carried, and which year-dependent text is flagged for review."""

from __future__ import annotations

from app.models import Indicator, Project
from app.services.carry_over import carry_project, is_carried, review_flags
from app.services.export_scope import default_file_name, subset_document
from app.services.projects import duplicate_of
from tests.factories import full_document


def test_carry_project_copies_everything_but_identity() -> None:
    doc = full_document()
    p = doc.projects[0]
    new = carry_project(p)
    assert new.id is None and new.code == p.code and new.name == p.name and new.heading is None
    assert [i.value_raw for i in new.indicators] == [i.value_raw for i in p.indicators]
    assert all(i.id is None for i in new.indicators)


def test_flags_in_carried_project_and_previous_year_elsewhere() -> None:
    doc = full_document(year=2025)
    doc.overall_text = "2024年度全面完成各项任务；依据2019年印发的规划。"
    carried = Project(position=1, code="13020924P000628100002", name="2024年食品安全监管",
                      goal="2023年12月31日前完成。")
    carried.indicators = [Indicator(position=0, level3="完成时间", value_raw="2024年12月31日前")]
    fresh = Project(position=2, code="13020925P000628100003", name="新项目",
                    goal="依据2020年文件，2024年试点基础上推广。")
    doc.projects += [carried, fresh]
    assert is_carried(carried, 2025) and not is_carried(fresh, 2025)
    flags = review_flags(doc)
    where = {(f.project, f.row, f.field) for f in flags}
    assert (None, None, "overall_text") in where  # previous year in part 1; 2019 alone would not be
    assert (2, None, "name") in where and (2, None, "goal") in where and (2, 1, "value") in where
    assert (3, None, "goal") in where  # 2024 is the previous year; 2020 in a new project is not flagged
    assert all(f.rule == "Y01" and f.severity == "hint" for f in flags)
    msg = next(f.message for f in flags if f.project == 2 and f.field == "goal")
    assert "2023年" in msg and "2025年度" in msg
    carried.goal = "2025年12月31日前完成。"
    assert (2, None, "goal") not in {(f.project, f.row, f.field) for f in review_flags(doc)}


def test_subset_and_duplicate() -> None:
    doc = full_document()
    doc.projects[0].id = 7
    part = subset_document(doc, [7])
    assert not part.has_part1 and [p.name for p in part.projects] == ["食品安全监管"]
    whole = subset_document(doc)
    assert whole.has_part1 and len(whole.subgoals) == 2 and whole.unit is not doc.unit
    assert default_file_name(doc, "docx", "食品/安全") == "422001_2024_食品_安全.docx"
    assert duplicate_of(doc.projects[0]).name == "食品安全监管（副本）"
