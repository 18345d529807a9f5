"""Rules B (code, name), C (budget, 资金用途), D (spending plan) and E (绩效目标) of one project."""

from __future__ import annotations

import re
from decimal import Decimal

from app.models import Project
from app.models.document import PLAN_FIELDS, PLAN_LABELS, PLAN_MONTHS

from .findings import Hit
from .profile import Profile
from .text import (
    blank,
    cnorm,
    fast_squash,
    fmt_amount,
    has_digit,
    ktext,
    money_amounts,
    ngrams,
    split_items,
)

_YEAR_IN_NAME_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_ITEM_NUMBER_RE = re.compile(r"(?m)^\s*\d+[.、．]")
_PUNCT_RE = re.compile(r"[\s，。、；：！？,.;:!?“”\"'（）()《》【】]")
_AMOUNT_LABELS = {"budget_fiscal": "财政资金", "budget_other": "其他资金"}


def code_year(code: str | None, profile: Profile) -> int | None:
    """The two year digits of a well-formed project code (None when blank or malformed)."""
    code = fast_squash(code)
    return int(code[6:8]) if code and profile.code_re.match(code) else None


def check_code_name(project: Project, profile: Profile, year: int) -> list[Hit]:
    """B01, B02, B04, B05, B07, B08 (B03 and B06 compare projects: see rules_cross)."""
    hits: list[Hit] = []
    code = fast_squash(project.code)
    registered = code_year(code, profile)
    if not code:
        hits.append(Hit("B01", "项目编码不能为空", project, None, "code"))
    elif registered is None:
        hits.append(Hit("B02", f"项目编码“{code}”格式不正确（应为{profile.code_length}位："
                               "6位财政区划+2位年度+P+12位）", project, None, "code"))
    else:
        if registered > year % 100:
            hits.append(Hit("B04", f"项目编码年度位“{code[6:8]}”晚于预算年度{year}年", project, None, "code"))
        elif registered < year % 100:
            hits.append(Hit("B05", f"项目为以前年度（20{code[6:8]}年）入库项目（延续/结转），"
                                   "请确认资金及目标为本年度", project, None, "code"))
    name = cnorm(project.name)
    if not name:
        hits.append(Hit("B07", "项目名称不能为空", project, None, "name"))
    else:
        for y in sorted({int(m.group(1)) for m in _YEAR_IN_NAME_RE.finditer(name)}):
            if y != year:
                hits.append(Hit("B08", f"项目名称中的年度“{y}”与预算年度{year}年不一致", project, None,
                                "name", extra=str(y)))
    return hits


def _decimals(value: Decimal) -> int:
    exp = value.as_tuple().exponent
    return -exp if isinstance(exp, int) and exp < 0 else 0


def _core(text: str, profile: Profile) -> str:
    """A text reduced for sameness checks: no numbering, prefix verbs or punctuation."""
    t = _ITEM_NUMBER_RE.sub("", text or "")
    t = ktext(t)
    t = _PUNCT_RE.sub("", t)
    return profile.purpose_prefix_re.sub("", t)


def check_budget(project: Project, profile: Profile) -> list[Hit]:
    """C01–C07."""
    p = profile
    hits: list[Hit] = []
    total = project.budget_total
    if total is None or total <= 0 or _decimals(total) > p.amount_decimals:
        shown = cnorm(project.budget_total_raw) or "（空）"
        hits.append(Hit("C01", f"预算数“{shown}”应为大于0、最多两位小数的金额（万元）", project, None,
                        "budget_total"))
    bad_source = False
    for field, label in _AMOUNT_LABELS.items():
        raw = getattr(project, f"{field}_raw")
        value = getattr(project, field)
        if not blank(raw) and (value is None or value < 0):
            bad_source = True
            hits.append(Hit("C02", f"{label}“{cnorm(raw)}”应为非负金额", project, None, field))
    if total is not None and not bad_source:
        fiscal = project.budget_fiscal or Decimal(0)
        other = project.budget_other or Decimal(0)
        if abs(total - (fiscal + other)) > p.money_tolerance:
            hits.append(Hit("C03", f"预算数{fmt_amount(total)}≠财政资金{fmt_amount(fiscal)}+其他资金"
                                   f"{fmt_amount(other)}", project, None, "budget_total"))
    purpose = cnorm(project.purpose)
    goal = cnorm(project.goal)
    if not purpose:
        hits.append(Hit("C04", "资金用途不能为空", project, None, "purpose"))
    if purpose and goal:
        a, b = _core(project.purpose or "", p), _core(project.goal or "", p)
        if a and b:
            short, long_ = sorted((a, b), key=len)
            if a == b or (short in long_ and len(short) / len(long_) > p.same_text_ratio):
                hits.append(Hit("C05", "绩效目标与资金用途表述相同，绩效目标应描述预期产出和效果",
                                project, None, "goal"))
    if total is not None:
        for field, text in (("purpose", project.purpose), ("goal", project.goal)):
            amounts = money_amounts(text or "", p)
            if amounts and sum(amounts, Decimal(0)) > total + p.money_tolerance:
                hits.append(Hit("C06", f"文字中的金额{fmt_amount(sum(amounts, Decimal(0)))}万元超过项目预算数"
                                       f"{fmt_amount(total)}万元", project, None, field))
    if purpose:
        words = _content_bigrams(purpose, p)
        other_text = ktext(f"{project.name or ''}{project.goal or ''}")
        if words and not any(w in other_text for w in words):
            hits.append(Hit("C07", "资金用途与项目名称/绩效目标内容不一致，请核实", project, None, "purpose"))
    return hits


def _content_bigrams(text: str, profile: Profile) -> set[str]:
    """2-character CJK words of a text after removing the profile's stop-words."""
    t = profile.purpose_stop_re.sub("|", ktext(text))
    t = _PUNCT_RE.sub("|", t)
    return {g for g in ngrams(t, 2) if all("\u4e00" <= ch <= "\u9fff" for ch in g)}


def check_plan(project: Project, profile: Profile) -> list[Hit]:
    """D01–D05 on the cumulative spending plan (3月底/6月底/10月底/12月底)."""
    hits: list[Hit] = []
    raw = project.plan_raw()
    values = project.plan()
    filled: list[tuple[int, Decimal]] = []
    for month in PLAN_MONTHS:
        field = PLAN_FIELDS[month]
        label = PLAN_LABELS[month]
        if blank(raw[month]):
            hits.append(Hit("D01", f"资金支出计划“{label}”未填写", project, None, field))
            continue
        value = values[month]
        if value is None or value < 0 or value > profile.plan_max:
            hits.append(Hit("D02", f"资金支出计划“{label}”为“{cnorm(raw[month])}”，应为0%–100%的百分数",
                            project, None, field))
            continue
        filled.append((month, value))
    for (_m0, v0), (m1, v1) in zip(filled, filled[1:], strict=False):
        if v1 < v0:
            hits.append(Hit("D03", f"资金支出计划为累计进度，{PLAN_LABELS[m1]}（{v1}%）不得小于前一时点"
                                   f"（{v0}%）", project, None, PLAN_FIELDS[m1]))
            break
    dec = values[12]
    if not blank(raw[12]) and dec is not None and dec != 100 and dec <= profile.plan_max:
        hits.append(Hit("D04", f"12月底累计支出计划应为100%（现为{cnorm(raw[12])}）", project, None, "plan_dec"))
    early = [values[m] for m in (3, 6, 10)]
    if dec == 100 and all(v is None or v == 0 for v in early) and all(
            blank(raw[m]) or values[m] is not None for m in (3, 6, 10)):
        hits.append(Hit("D05", "资金全部集中在年底支出，建议按实施进度分解", project, None, "plan_dec"))
    return hits


def _unbalanced(text: str, profile: Profile) -> bool:
    return any(text.count(opening) != text.count(closing) for opening, closing in profile.brackets)


def unit_level(unit_name: str, profile: Profile) -> str:
    """The administrative level (县/市/区/镇…) of a unit from its name ('' when none).

    Place names come first and adjoin each other (河北省唐山市曹妃甸区…); the last one counts.
    """
    name = ktext(unit_name)
    level, pos = "", 0
    while True:
        m = profile.unit_level_re.match(name, pos)
        if not m:
            return level
        level, pos = m.group(2), m.end()


def check_goal(project: Project, profile: Profile, year: int, unit_name: str,
               quantitative_rows: int) -> list[Hit]:
    """E01–E10 on the project's 绩效目标."""
    p = profile
    hits: list[Hit] = []
    goal = cnorm(project.goal)
    if not goal:
        hits.append(Hit("E01", "绩效目标不能为空", project, None, "goal"))
        return hits

    def hit(rule: str, msg: str, extra: str = "") -> None:
        hits.append(Hit(rule, msg, project, None, "goal", extra))

    items = split_items(project.goal, p)
    normed = [cnorm(i) for i in items]
    first_at: dict[str, int] = {}
    for n, item in enumerate(normed, start=1):
        if item in first_at:
            hit("E02", f"绩效目标第{first_at[item]}条与第{n}条重复", extra=str(n))
        else:
            first_at[item] = n
    citation_only = bool(normed) and all(p.citation_only_re.match(i) for i in normed)
    if citation_only:
        hit("E03", "绩效目标仅引用文件依据，未说明预期产出和效果")
    if p.spending_re.search(goal) and (
            not p.effect_re.search(goal)
            or any(p.spending_start_re.search(i) and p.spending_strong_re.search(i) for i in normed)):
        hit("E04", "绩效目标只描述资金用途，未体现预期产出和效果")
    last = normed[-1] if normed else goal
    # A short last item without a full stop is normal; a long one that stops mid-phrase
    # is what truncation at a field limit looks like (SEED T7, T10).
    if _unbalanced(goal, p) or (len(last) >= p.truncation_min_chars and last[-1] not in p.closing_chars):
        hit("E05", f"绩效目标疑似被截断或不完整（结尾：“{goal[-10:]}”）")
    if len(project.goal or "") > p.goal_chars:
        hit("E06", f"绩效目标过长（{len(project.goal or '')}字），可能超出系统字段长度（{p.goal_chars}字）")
    done = p.completed_re.search(goal)
    if done:
        hit("E07", f"绩效目标应表述预期达到的产出和效果，不宜使用已完成时（“{done.group(0)}”）")
    level = unit_level(unit_name, p)
    if level:
        for word in sorted({m.group(0) for m in p.area_re.finditer(goal)}):
            if word[-1] != level:
                hit("E08", f"绩效目标中的“{word}”与单位所在“{level}”不一致，疑似套用", extra=word)
    years = [int(y) for y in p.year_re.findall(goal)]
    if years and max(years) <= year - p.stale_years and (citation_only or p.citation_re.search(goal)):
        hit("E09", f"绩效目标依据的年度文件（{max(years)}年）较早，请确认仍有效")
    body = _ITEM_NUMBER_RE.sub("", project.goal or "")
    measurable = has_digit(body) or "%" in ktext(body) or p.date_re.search(body) or p.measurable_re.search(body)
    if not measurable and quantitative_rows < p.min_quantitative:
        hit("E10", "绩效目标缺少可衡量的表述")
    return hits
