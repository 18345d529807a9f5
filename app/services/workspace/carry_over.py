"""延续项目: carrying a project, or a whole unit, over to the next budget year.

A carried project keeps its code (a 延续 project keeps its 项目编码; the code's year digits
then mark it as an earlier year's project) and every text, amount and indicator, because
most of it stays valid. What usually does not is text tied to a year ("2024年12月31日前",
"2024年度…"). Rather than rewriting it blindly, such text is flagged for review by the
validator's rule Y01 (延续内容待核实, :mod:`app.services.validation.rules_carry`): it is found
on every validation, so a finding disappears as soon as the text is corrected and nothing
extra needs storing.
"""

from __future__ import annotations

from app.models import Document, Measure, Project, SubGoal
from app.models.clone import clone_measure, clone_project, clone_subgoal


def carry_project(project: Project) -> Project:
    """A transient copy of ``project`` for the next year's document (no heading, no waivers)."""
    new = clone_project(project, with_executions=False)  # next year's spending starts at nothing
    new.heading = None
    return new


def carry_part1(doc: Document) -> tuple[list[SubGoal], list[Measure]]:
    """Transient copies of part 1's 分项绩效目标 and 工作保障措施."""
    return [clone_subgoal(s) for s in doc.subgoals], [clone_measure(m) for m in doc.measures]


PART1_FIELDS = ("has_part1", "overall_label", "overall_text", "subgoals_label", "measures_label", "profile")
