"""Rules A01–A10 on part 1 (部门整体绩效目标) and its links to the projects."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from app.models import Document, Project, SubGoal
from app.models.values import norm

from .findings import Hit
from .profile import Profile
from .text import blank, fmt_amount, fmt_number, ktext, money_amounts, ngrams


@dataclass(slots=True)
class _Name:
    text: str
    grams4: set[str]
    grams2: set[str]


def _name(text: str | None) -> _Name:
    t = ktext(text)
    return _Name(t, ngrams(t, 4), ngrams(t, 2))


def _share(project: _Name, subgoal: _Name) -> float:
    if not project.grams2:
        return 0.0
    return len(project.grams2 & subgoal.grams2) / len(project.grams2)


def _matches(project: _Name, subgoal: _Name, profile: Profile) -> float:
    """Match strength of a project name and a 分项 title (0 = no match)."""
    if not project.text or not subgoal.text:
        return 0.0
    share = _share(project, subgoal)
    common = profile.match_min_common
    long_common = (
        bool(project.grams4 & subgoal.grams4) if common == 4
        else bool(ngrams(project.text, common) & ngrams(subgoal.text, common))
    )
    if long_common or share >= profile.match_min_bigram_share:
        return 1.0 + share
    return 0.0


def match_subgoals(doc: Document, profile: Profile) -> tuple[dict[int, Project], set[int]]:
    """Pair 分项 and projects by name.

    Returns:
        ({subgoal index: best matching project}, {indices of projects matched by some 分项}).
    """
    projects = [(i, p, _name(p.name)) for i, p in enumerate(doc.projects)]
    best_for_subgoal: dict[int, Project] = {}
    matched_projects: set[int] = set()
    for s_index, sg in enumerate(doc.subgoals):
        s_name = _name(sg.title)
        best: tuple[float, Project] | None = None
        for i, p, pn in projects:
            score = _matches(pn, s_name, profile)
            if score:
                matched_projects.add(i)
                if best is None or score > best[0]:
                    best = (score, p)
        if best:
            best_for_subgoal[s_index] = best[1]
    return best_for_subgoal, matched_projects


def _texts(sg: SubGoal) -> str:
    return f"{sg.goal_text or ''}\n{sg.indicator_text or ''}"


def check_part1(doc: Document, profile: Profile) -> list[Hit]:
    """A01–A10. Only for documents that have a part 1."""
    p = profile
    hits: list[Hit] = []
    if not doc.has_part1:
        return hits
    if blank(doc.overall_text):
        hits.append(Hit("A01", "部门整体绩效目标的“总体绩效目标”未填写", field="overall_text"))
    if not doc.subgoals:
        hits.append(Hit("A02", "未填写分项绩效目标", field="subgoal"))
    if not doc.measures or all(blank(m.title) and blank(m.text) for m in doc.measures):
        hits.append(Hit("A05", "未填写工作保障措施", field="measure"))

    by_subgoal, matched = match_subgoals(doc, p)
    for i, proj in enumerate(doc.projects):
        if i not in matched and norm(proj.name) and doc.subgoals:
            hits.append(Hit("A06", f"项目“{norm(proj.name)}”在分项绩效目标中没有对应说明", proj, None, "name"))

    for word in p.stale_words:
        if word in (doc.overall_text or ""):
            hits.append(Hit("A08", f"总体绩效目标含有可能已过时的表述“{word}”，请核实是否为本年度任务",
                            field="overall_text", extra=word))
    done = p.part1_completed_re.search(doc.overall_text or "")
    if done:
        hits.append(Hit("A10", f"绩效目标应表述预期达到的产出和效果，不宜使用已完成时（“{done.group(0)}”）",
                        field="overall_text"))

    for s_index, sg in enumerate(doc.subgoals):
        item = s_index + 1
        title = norm(sg.title) or f"第{item}项"

        def hit(rule: str, msg: str, extra: str = "", _item: int = item) -> None:
            hits.append(Hit(rule, msg, field="subgoal", extra=extra, item=_item))

        if blank(sg.goal_text):
            hit("A03", f"分项“{title}”缺少绩效目标")
        label = norm(sg.goal_label)
        if label in p.subgoal_wrong_labels:
            hit("A04", f"分项“{title}”误用“绩效评价”标签，应为“绩效目标”")
        text = _texts(sg)
        for word in p.stale_words:
            if word in text:
                hit("A08", f"分项“{title}”含有可能已过时的表述“{word}”，请核实是否为本年度任务", extra=word)
        done = p.part1_completed_re.search(text)
        if done:
            hit("A10", f"分项“{title}”：绩效目标应表述预期达到的产出和效果，不宜使用已完成时（“{done.group(0)}”）")
        proj = by_subgoal.get(s_index)
        if proj is None:
            continue
        amounts = money_amounts(text, p)
        budget = proj.budget_total
        if amounts and budget is not None:
            tol = p.money_tolerance
            if all(abs(a - budget) > tol for a in amounts) and abs(sum(amounts) - budget) > tol:
                hit("A07", f"分项“{title}”中金额{fmt_amount(amounts[0])}万元与项目“{norm(proj.name)}”"
                           f"预算数{fmt_amount(budget)}万元不一致")
        missing = _missing_numbers(sg.indicator_text or "", proj, p)
        if missing:
            hit("A09", f"分项“{title}”中的量化表述（{'、'.join(missing)}）未在项目“{norm(proj.name)}”"
                       "的绩效指标中体现")
    return hits


def _missing_numbers(text: str, project: Project, profile: Profile) -> list[str]:
    """Quantities of a 分项 绩效指标 text (with a unit) that no indicator of the project carries."""
    if blank(text):
        return []
    numbers: set[Decimal] = set()
    blob = []
    for ind in project.indicators:
        if ind.number is not None:
            numbers.add(ind.number)
        blob.append(ktext(ind.value_raw))
        blob.append(ktext(ind.level3))
        blob.append(ktext(ind.description))
    blob_text = "|".join(blob)
    out: list[str] = []
    src = ktext(text)
    for m in profile.part1_number_re.finditer(src):
        unit = m.group(2)
        if not unit:
            continue
        end = m.end()
        if src[end:end + 1] == "年":
            continue
        try:
            value = Decimal(m.group(1))
        except InvalidOperation:  # pragma: no cover
            continue
        shown = f"{fmt_number(value)}{unit}"
        if value in numbers or shown in blob_text or shown in out:
            continue
        out.append(shown)
    return out
