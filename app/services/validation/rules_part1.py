"""Rules A01–A10 on part 1 (部门整体绩效目标) and its links to the projects.

Split for live editing: :func:`part1_info` reads part 1 (rules that only look at it, plus
what the linking rules need of each 分项) and is cached until part 1 changes;
:func:`link_hits` pairs 分项 with projects (A06, A07, A09) and runs after every edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from app.models import Document

from .findings import Hit
from .profile import Profile
from .rules_carry import part1_carry_hits
from .rules_cross import Digest
from .text import NameGrams, blank, cnorm, fmt_amount, fmt_number, ktext, money_amounts, name_grams


@dataclass(slots=True)
class SubgoalInfo:
    item: int
    title: str
    name: NameGrams
    amounts: list[Decimal]
    quantities: list[tuple[Decimal, str]]


@dataclass(slots=True)
class Part1Info:
    """Part-1 hits that do not depend on the projects, and the 分项 data for the links."""

    hits: list[Hit] = field(default_factory=list)
    subgoals: list[SubgoalInfo] = field(default_factory=list)


def _matches(project: NameGrams, subgoal: NameGrams, profile: Profile) -> float:
    """Match strength of a project name and a 分项 title (0 = no match)."""
    if not project.text or not subgoal.text or not project.grams2:
        return 0.0
    share = len(project.grams2 & subgoal.grams2) / len(project.grams2)
    if project.grams_long & subgoal.grams_long or share >= profile.match_min_bigram_share:
        return 1.0 + share
    return 0.0


def _quantities(text: str | None, profile: Profile) -> list[tuple[Decimal, str]]:
    """Quantities with a unit in a 分项 绩效指标 text (years excluded)."""
    if blank(text):
        return []
    out: list[tuple[Decimal, str]] = []
    src = ktext(text)
    for m in profile.part1_number_re.finditer(src):
        unit = m.group(2)
        if not unit or src[m.end():m.end() + 1] == "年":
            continue
        try:
            value = Decimal(m.group(1))
        except InvalidOperation:  # pragma: no cover - the regex admits valid numbers only
            continue
        shown = f"{fmt_number(value)}{unit}"
        if all(shown != s for _, s in out):
            out.append((value, shown))
    return out


def part1_info(doc: Document, profile: Profile) -> Part1Info | None:
    """A01–A05, A08, A10, Y01 and the 分项 data for A06/A07/A09 (None without a part 1)."""
    p = profile
    if not doc.has_part1:
        return None
    info = Part1Info()
    hits = info.hits
    overall = doc.overall_text or ""
    if blank(overall):
        hits.append(Hit("A01", "部门整体绩效目标的“总体绩效目标”未填写", field="overall_text"))
    if not doc.subgoals:
        hits.append(Hit("A02", "未填写分项绩效目标", field="subgoal"))
    if not doc.measures or all(blank(m.title) and blank(m.text) for m in doc.measures):
        hits.append(Hit("A05", "未填写工作保障措施", field="measure"))
    for word in p.stale_words:
        if word in overall:
            hits.append(Hit("A08", f"总体绩效目标含有可能已过时的表述“{word}”，请核实是否为本年度任务",
                            field="overall_text", extra=word))
    done = p.part1_completed_re.search(overall)
    if done:
        hits.append(Hit("A10", f"绩效目标应表述预期达到的产出和效果，不宜使用已完成时（“{done.group(0)}”）",
                        field="overall_text"))
    hits += part1_carry_hits(doc, p)

    for s_index, sg in enumerate(doc.subgoals):
        item = s_index + 1
        title = cnorm(sg.title) or f"第{item}项"

        def hit(rule: str, msg: str, extra: str = "", _item: int = item) -> None:
            hits.append(Hit(rule, msg, field="subgoal", extra=extra, item=_item))

        if blank(sg.goal_text):
            hit("A03", f"分项“{title}”缺少绩效目标")
        if cnorm(sg.goal_label) in p.subgoal_wrong_labels:
            hit("A04", f"分项“{title}”误用“绩效评价”标签，应为“绩效目标”")
        text = f"{sg.goal_text or ''}\n{sg.indicator_text or ''}"
        for word in p.stale_words:
            if word in text:
                hit("A08", f"分项“{title}”含有可能已过时的表述“{word}”，请核实是否为本年度任务", extra=word)
        done = p.part1_completed_re.search(text)
        if done:
            hit("A10", f"分项“{title}”：绩效目标应表述预期达到的产出和效果，不宜使用已完成时（“{done.group(0)}”）")
        info.subgoals.append(SubgoalInfo(item, title, name_grams(sg.title, p.match_min_common), money_amounts(text, p),
                                         _quantities(sg.indicator_text, p)))
    return info


def link_hits(info: Part1Info | None, digests: list[Digest], profile: Profile) -> list[Hit]:
    """A06 (project without 分项), A07 (amount ≠ 预算数), A09 (quantity not in the indicators)."""
    if info is None:
        return []
    p = profile
    hits: list[Hit] = []
    matched: set[int] = set()
    for sg in info.subgoals:
        best: tuple[float, Digest] | None = None
        for i, d in enumerate(digests):
            score = _matches(d.name_grams, sg.name, p)
            if score:
                matched.add(i)
                if best is None or score > best[0]:
                    best = (score, d)
        if best is None:
            continue
        d = best[1]
        budget = d.budget
        if sg.amounts and budget is not None:
            tol = p.money_tolerance
            if all(abs(a - budget) > tol for a in sg.amounts) and abs(sum(sg.amounts) - budget) > tol:
                hits.append(Hit("A07", f"分项“{sg.title}”中金额{fmt_amount(sg.amounts[0])}万元与项目“{d.name}”"
                                       f"预算数{fmt_amount(budget)}万元不一致", field="subgoal", item=sg.item))
        if sg.quantities:
            numbers = {f.number for f in d.facts if f.number is not None}
            blob = "|".join(f"{f.value}|{f.name}|{f.desc}" for f in d.facts)
            missing = [shown for value, shown in sg.quantities if value not in numbers and shown not in blob]
            if missing:
                hits.append(Hit("A09", f"分项“{sg.title}”中的量化表述（{'、'.join(missing)}）未在项目“{d.name}”"
                                       "的绩效指标中体现", field="subgoal", item=sg.item))
    if info.subgoals:
        for i, d in enumerate(digests):
            if i not in matched and d.name:
                hits.append(Hit("A06", f"项目“{d.name}”在分项绩效目标中没有对应说明", d.project, None, "name"))
    return hits
