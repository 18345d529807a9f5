"""Find and replace across a unit's texts (no Qt): e.g. 2024年 → 2025年 after a carry-over.

:func:`plan_replace` lists every change it would make — where, the text before and after —
so the window can preview them all; :func:`field_changes` turns the chosen ones into the
(object, field, value) triples that one undo step applies. Matching is literal (no patterns)
on the text as stored, as a user who types “2024年” expects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from app.models import Document, Project

# (attribute, label) of the texts a user writes, per kind of object.
PART1_FIELDS = (("unit_line", "单位行"), ("overall_text", "总体绩效目标"))
SUBGOAL_FIELDS = (("title", "名称"), ("goal_text", "绩效目标"), ("indicator_text", "绩效指标"))
MEASURE_FIELDS = (("title", "标题"), ("text", "内容"))
PROJECT_FIELDS = (("name", "项目名称"), ("purpose", "资金用途"), ("goal", "绩效目标"))
INDICATOR_FIELDS = (("level3", "三级指标"), ("description", "绩效指标描述"), ("value_raw", "指标值"),
                    ("basis", "指标值确定依据"))
FIELD_NAMES = {"value_raw": "value"}  # the field name findings and the editors use


@dataclass(frozen=True, slots=True)
class Replacement:
    """One text that changes: ``obj.attr`` from ``before`` to ``after``."""

    obj: Any
    attr: str
    where: str  # “项目3 第2行 指标值”, “部门整体 总体绩效目标”
    before: str
    after: str
    count: int  # occurrences in this text
    project: int | None = None  # 1-based position; None for part 1
    row: int | None = None  # 1-based indicator row

    @property
    def field(self) -> str:
        return FIELD_NAMES.get(self.attr, self.attr)


def _scan(obj: Any, fields: Iterable[tuple[str, str]], where: str, find: str, replace: str,
          project: int | None = None, row: int | None = None) -> list[Replacement]:
    out = []
    for attr, label in fields:
        text = getattr(obj, attr, None)
        if isinstance(text, str) and find in text:
            out.append(Replacement(obj, attr, f"{where} {label}", text, text.replace(find, replace),
                                   text.count(find), project, row))
    return out


def plan_replace(doc: Document, find: str, replace: str,
                 projects: Sequence[Project] | None = None, part1: bool = True) -> list[Replacement]:
    """Every replacement of ``find`` by ``replace`` in ``doc`` (or in ``projects`` of it only)."""
    if not find:
        return []
    out: list[Replacement] = []
    if part1 and projects is None:
        out += _scan(doc, PART1_FIELDS, "部门整体", find, replace)
        for n, s in enumerate(doc.subgoals, start=1):
            out += _scan(s, SUBGOAL_FIELDS, f"部门整体 分项绩效目标第{n}项", find, replace)
        for n, m in enumerate(doc.measures, start=1):
            out += _scan(m, MEASURE_FIELDS, f"部门整体 工作保障措施第{n}项", find, replace)
    chosen = {id(p) for p in projects} if projects is not None else None
    for n, project in enumerate(doc.projects, start=1):
        if chosen is not None and id(project) not in chosen:
            continue
        out += _scan(project, PROJECT_FIELDS, f"项目{n}", find, replace, n)
        for r, ind in enumerate(project.indicators, start=1):
            out += _scan(ind, INDICATOR_FIELDS, f"项目{n} 第{r}行", find, replace, n, r)
    return out


def field_changes(plan: Iterable[Replacement]) -> list[tuple[Any, str, str]]:
    """The (object, attribute, new text) triples of the chosen replacements."""
    return [(r.obj, r.attr, r.after) for r in plan]
