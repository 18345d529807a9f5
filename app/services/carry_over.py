"""延续项目: carrying a project, or a whole unit, over to the next budget year.

A carried project keeps its code (a 延续 project keeps its 项目编码; the code's year digits
then mark it as an earlier year's project) and every text, amount and indicator, because
most of it stays valid. What usually does not is text tied to a year ("2024年12月31日前",
"2024年度…"). Rather than rewriting it blindly, such text is flagged for review:
:func:`review_flags` finds it, live, in any document, so a flag disappears as soon as the
text is corrected and nothing extra needs storing.

Which text is flagged:
* in a carried project (code year digits earlier than the budget year), every mention of an
  earlier year;
* anywhere else (part 1, new projects), mentions of the previous year only — citing older
  documents is normal there, the previous year rarely is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from app.models import Document, Measure, Project, SubGoal
from app.models.clone import clone_measure, clone_project, clone_subgoal

RULE_ID = "Y01"
_YEAR = re.compile(r"(20\d{2})\s*(?:年|－|-|—)")
_CODE_YEAR = re.compile(r"^\d{6}(\d{2})P")

PROJECT_FIELDS = (("name", "项目名称"), ("purpose", "资金用途"), ("goal", "绩效目标"))
INDICATOR_FIELDS = (
    ("level3", "三级指标"), ("description", "绩效指标描述"), ("value_raw", "指标值"), ("basis", "指标值确定依据"),
)


@dataclass(slots=True)
class ReviewFlag:
    """Year-dependent text to review; shaped like a validation finding (duck-typed)."""

    message: str
    unit: str
    year: int
    project: int | None = None
    project_code: str | None = None
    row: int | None = None
    field: str | None = None
    rule: str = RULE_ID
    severity: str = "hint"
    dimension: str = "可行性"
    waived: bool = False
    waiver: object | None = None

    @property
    def key(self) -> str:
        return f"{self.rule}/P{self.project}/R{self.row}/{self.field}"


def carry_project(project: Project) -> Project:
    """A transient copy of ``project`` for the next year's document (no heading, no waivers)."""
    new = clone_project(project, with_executions=False)  # next year's spending starts at nothing
    new.heading = None
    return new


def carry_part1(doc: Document) -> tuple[list[SubGoal], list[Measure]]:
    """Transient copies of part 1's 分项绩效目标 and 工作保障措施."""
    return [clone_subgoal(s) for s in doc.subgoals], [clone_measure(m) for m in doc.measures]


PART1_FIELDS = ("has_part1", "overall_label", "overall_text", "subgoals_label", "measures_label", "profile")


def is_carried(project: Project, year: int) -> bool:
    """True for a project whose code was registered in an earlier year (延续/结转)."""
    m = _CODE_YEAR.match(project.code or "")
    return bool(m) and int(m.group(1)) < year % 100


@lru_cache(maxsize=65536)
def _stale_years(text: str | None, year: int, carried: bool) -> tuple[int, ...]:
    # Runs on every text of a document after each edit: cached, and most texts have no 年.
    if not text or "年" not in text and "-" not in text and "—" not in text and "－" not in text:
        return ()
    found = []
    for m in _YEAR.finditer(text):
        y = int(m.group(1))
        if (carried and y < year) or y == year - 1:
            found.append(y)
    return tuple(sorted(set(found)))


def _message(label: str, years: tuple[int, ...], year: int) -> str:
    shown = "、".join(f"{y}年" for y in years)
    return f"延续内容待核实：“{label}”中含有“{shown}”，请确认是否应更新为{year}年度"


def part1_flags(doc: Document) -> list[ReviewFlag]:
    """Year-dependent text in part 1 (the previous year mentioned in 总体绩效目标)."""
    year, unit = doc.year, doc.unit.code if doc.unit else ""
    ys = _stale_years(doc.overall_text, year, False)
    return [ReviewFlag(_message("总体绩效目标", ys, year), unit, year, field="overall_text")] if ys else []


def project_flags(doc: Document, project: Project, number: int) -> list[ReviewFlag]:
    """Year-dependent text of one project (``number`` is its 1-based position)."""
    year, unit = doc.year, doc.unit.code if doc.unit else ""
    carried = is_carried(project, year)
    flags: list[ReviewFlag] = []
    for field, label in PROJECT_FIELDS:
        ys = _stale_years(getattr(project, field), year, carried)
        if ys:
            flags.append(ReviewFlag(_message(label, ys, year), unit, year, number, project.code, None, field))
    for r, ind in enumerate(project.indicators, start=1):
        for field, label in INDICATOR_FIELDS:
            ys = _stale_years(getattr(ind, field), year, carried)
            if ys:
                flags.append(ReviewFlag(_message(f"第{r}行{label}", ys, year), unit, year, number, project.code, r,
                                        field.removesuffix("_raw")))
    return flags


def review_flags(doc: Document) -> list[ReviewFlag]:
    """Year-dependent text of ``doc`` that likely needs updating for its budget year."""
    flags = part1_flags(doc)
    for n, p in enumerate(doc.projects, start=1):
        flags += project_flags(doc, p, n)
    return flags
