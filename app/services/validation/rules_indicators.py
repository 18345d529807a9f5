"""Rules F (indicator structure), G (指标值) and H (确定依据) on one project's table."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from app.models import Indicator, Project

from .findings import Hit
from .profile import Profile
from .text import (
    attrs,
    blank,
    cnorm,
    fast_squash,
    fmt_amount,
    fmt_number,
    gbk_len,
    has_digit,
    ktext,
)

GE = ("≥", "＞")
PCT = "%"
_MALFORMED_NUMBER_RE = re.compile(r"^(?:>=|<=|≥|≤|＞|＜|＝|>|<|=)\s*([\d.,，]+)")


_ROW_ATTRS = ("level1", "level2", "level3", "description", "value_raw", "basis", "value_kind",
              "comparator", "number", "unit")


@dataclass(slots=True)
class RowFacts:
    """What the rules need to know about one indicator row, computed once."""

    index: int
    ind: Indicator
    l1: str
    l2: str
    name: str  # ktext(三级)
    desc: str  # ktext(描述)
    value: str  # ktext(指标值)
    kind: str
    comparator: str | None
    number: Decimal | None
    unit: str | None
    rate: bool
    count: bool
    duration: bool
    time: bool
    satisf: bool
    reverse: bool
    cost: bool
    raw3: str | None  # the cells as written (read once: ORM attribute access is not free)
    rawd: str | None
    rawv: str | None
    basis: str  # norm(指标值确定依据)


def row_facts(project: Project, profile: Profile) -> list[RowFacts]:
    """Facts of every row; 一级 is filled down (merged cells may reach us blank)."""
    facts = []
    last_l1 = ""
    p = profile
    for i, ind in enumerate(project.indicators):
        (lv1, lv2, raw3, rawd, rawv, basis, kind, comparator, number, unit) = attrs(ind, _ROW_ATTRS)
        l1 = cnorm(lv1)
        if l1:
            last_l1 = l1
        else:
            l1 = last_l1
        l2 = cnorm(lv2)
        name = ktext(raw3)
        desc = ktext(rawd)
        both = f"{name}|{desc}"
        count_name = bool(p.count_suffix_re.search(name)) or bool(p.count_contains_re.search(name))
        # A count-named row whose description mentions a rate stays a count (tuning, see profile).
        rate = bool(p.rate_re.search(name)) or (bool(p.rate_re.search(desc)) and not count_name)
        satisf = bool(p.satisf_re.search(both))
        count = not rate and not satisf and (count_name or bool(p.count_contains_re.search(desc)))
        # Free-text descriptions mention complaints, deadlines… in passing: the reverse and
        # time classes come from the name (plus an explicit "反向指标" in the description).
        reverse = (bool(p.reverse_re.search(name)) and not p.reverse_exclude_re.search(name)) or (
            "反向指标" in desc)
        facts.append(RowFacts(
            index=i, ind=ind, l1=l1, l2=l2, name=name, desc=desc, value=ktext(rawv),
            kind=kind, comparator=comparator, number=number, unit=unit,
            rate=rate, count=count,
            duration=bool(p.duration_re.search(name)) or (
                bool(p.duration_re.search(desc)) and not (rate or satisf or count_name)),
            time=bool(p.time_re.search(name)), satisf=satisf, reverse=reverse,
            cost=p.is_cost_row(l1, l2), raw3=raw3, rawd=rawd, rawv=rawv, basis=cnorm(basis),
        ))
    return facts


def is_generic_name(name: str, profile: Profile) -> bool:
    """F11's test: a 三级 that names a whole dimension rather than something measurable."""
    return bool(
        profile.generic_re.match(name)
        or name in profile.generic_names
        or profile.generic_effect_re.match(name)
    )


def _repeats_level(f: RowFacts, profile: Profile) -> bool:
    """F08's test: the 三级 merely repeats a 一级/二级 name."""
    return bool(f.name) and (f.name in profile.level_names or f.name == f.l1 or f.name == f.l2)


def _show(text: str | None) -> str:
    return cnorm(text) or "（空）"


def check_structure(project: Project, facts: list[RowFacts], profile: Profile) -> list[Hit]:
    """Rules F01–F22 and F24 (F23 needs the other projects: see rules_cross)."""
    p = profile
    hits: list[Hit] = []

    def hit(rule: str, msg: str, f: RowFacts | None = None, field: str | None = None,
            extra: str = "") -> None:
        hits.append(Hit(rule, msg, project, f.index if f else None, field, extra,
                        indicator=f.ind if f else None))

    l1s = {f.l1 for f in facts}
    output_l2 = {f.l2 for f in facts if f.l1 == p.output_l1}
    if facts:
        for l1 in (p.output_l1, p.benefit_l1):
            if l1 not in l1s:
                hit("F03", f"缺少{l1}", extra=l1)
        if p.satisfaction_l1 not in l1s:
            hit("F04", "缺少满意度指标")
        if p.output_l1 in l1s:
            for l2 in p.required_output_l2:
                if l2 not in output_l2:
                    hit("F05", f"产出指标缺少{l2}", extra=l2)
        if not any(f.cost for f in facts):
            hit("F06", "缺少成本指标")
    if len(facts) < p.min_indicators:
        hit("F21", f"绩效指标过少（{len(facts)}个，一般不少于{p.min_indicators}个）")

    seen: dict[str, int] = {}
    for f in facts:
        ind = f.ind
        if f.l1 not in p.framework:
            hit("F01", f"一级指标“{f.l1 or '（空）'}”不在指标框架内", f, "level1")
        elif f.l2 not in p.level2_of(f.l1):
            hit("F02", f"二级指标“{_show(ind.level2)}”不属于一级指标“{f.l1}”", f, "level2")
        if not f.name:
            hit("F07", "三级指标名称不能为空", f, "level3")
        repeats = _repeats_level(f, p)
        if repeats:
            hit("F08", f"三级指标“{f.name}”与二级指标同名，未细化为具体指标", f, "level3")
        for field, raw in (("level3", f.raw3), ("description", f.rawd), ("value", f.rawv)):
            if raw and not blank(raw) and (raw != raw.strip() or "\t" in raw or "\n" in raw or "\r" in raw):
                label = {"level3": "三级指标", "description": "绩效指标描述", "value": "指标值"}[field]
                hit("F09", f"“{label}”含空格或换行（“{cnorm(raw)}”）", f, field)
        if f.name:
            ph = p.placeholder_re.search(f.name)
            if ph or f.name in p.placeholder_exact:
                hit("F10", f"三级指标含占位符“{ph.group(0) if ph else f.name}”，请填写具体内容", f, "level3")
        generic = bool(f.name) and is_generic_name(f.name, p)
        if generic and not repeats:
            hit("F11", f"三级指标“{f.name}”过于笼统、不可衡量，请改为具体可衡量的效益指标", f, "level3")
        if gbk_len(cnorm(f.raw3)) > p.level3_gbk_bytes:
            hit("F12", f"三级指标名称“{f.name}”超过{p.level3_gbk_bytes // 2}个汉字，省级系统将截断"
                       "（请精简并把完整含义写入指标描述）", f, "level3")
        if f.name:
            if f.name in seen:
                hit("F13", f"三级指标“{f.name}”重复（与第{seen[f.name] + 1}行相同）", f, "level3")
            else:
                seen[f.name] = f.index
        if "%" in f.name and not repeats and not generic:
            hit("F14", f"三级指标“{f.name}”含“%”：单位不应写在指标名称中", f, "level3")
        if blank(f.rawd):
            hit("F15", "绩效指标描述未填写", f, "description")
        elif f.desc == f.name:
            hit("F16", "指标描述应说明指标含义、计算方法或统计口径，不宜与名称相同", f, "description")
        if f.l2 == p.quantity_l2 and f.rate:
            hit("F17", f"数量指标“{f.name}”是比率，应设为绝对数量（或移至质量指标）", f, "level3")
        if f.l2 in p.benefit_l2:
            if f.satisf:
                hit("F18", f"以满意度代替效益指标（“{f.name}”）", f, "level3")
            if (p.output_in_benefit_re.search(f.name) and not p.effect_start_re.search(f.name)
                    and not f.reverse):
                hit("F19", f"效益指标“{f.name}”更像产出指标（产出与效益混淆）", f, "level3")
        if f.l2 == p.quality_l2 and p.quality_effect_re.search(f.name):
            hit("F20", f"质量指标“{f.name}”更像效益/满意度指标", f, "level3")
        if f.l2 in p.generic_hint_l2 and (generic or repeats):
            hit("F22", f"本项目无明显{f.l2.removesuffix('指标')}时，可不设置该二级指标而不是填写笼统指标", f, "level3")

    fixed = p.fixed_cost
    if fixed is not None and facts:
        text = f"{cnorm(project.name)}{cnorm(project.purpose)}"
        if not fixed.skip_project_words.search(text):
            present = any(
                f.cost and f.name == ktext(fixed.name) and f.comparator == fixed.comparator
                and f.number == fixed.number and f.unit == fixed.unit
                for f in facts
            )
            if not present:
                hit("F24", f"河北一体化系统对此类项目固化成本指标“{fixed.name}{fixed.comparator}"
                           f"{fmt_number(fixed.number)}{fixed.unit}”，导入系统时将自动添加")
    return hits


def check_values(project: Project, facts: list[RowFacts], profile: Profile, year: int) -> list[Hit]:
    """Rules G01–G30 on each 指标值."""
    p = profile
    hits: list[Hit] = []
    budget = project.budget_total

    for f in facts:
        def hit(rule: str, msg: str, field: str = "value", _f: RowFacts = f) -> None:
            hits.append(Hit(rule, msg, project, _f.index, field, indicator=_f.ind))

        v = f.value
        shown = cnorm(f.rawv)
        if not v:
            hit("G01", "指标值不能为空")
            continue
        raw_squashed = fast_squash(f.rawv)
        if p.forbidden_value_re.search(raw_squashed):
            hit("G02", f"指标值“{shown}”不符合规范（不得含*、_、-）")
        not_value = v in (f.name, f.desc, ktext(f.l2)) or (
            bool(p.not_a_value_re.search(v)) and not has_digit(v))
        if not_value:
            hit("G04", f"指标值“{shown}”不是取值，请填写具体日期、时长或比例")
        sentence = (f.kind == "unparseable" and len(v) >= p.sentence_min_chars
                    and bool(p.sentence_verb_re.search(v)) and has_digit(v))
        if sentence:
            hit("G24", f"请将“{shown}”拆分为计算符号+数值+单位（如“≥1000家”）")
        if f.kind == "unparseable" and not not_value and not sentence:
            hit("G03", f"指标值“{shown}”无法识别，请采用“计算符号+数值+单位”或定性表述")
        quantity = f.kind == "quantity"
        if quantity and f.comparator is None:
            hit("G05", f"指标值“{shown}”缺少计算符号，请选择（≥、＞、＝、＜、≤）")
        if quantity and f.number is not None and -f.number.as_tuple().exponent > p.number_decimals:  # type: ignore[operator]
            hit("G05a", f"定量指标的指标值应为数值（最多{p.number_decimals}位小数），单位请填入计量单位")
        elif not quantity:
            m = _MALFORMED_NUMBER_RE.match(v)
            if m and ("," in m.group(1) or "，" in m.group(1) or m.group(1).count(".") > 1):
                hit("G05a", f"定量指标的指标值应为数值（最多{p.number_decimals}位小数），单位请填入计量单位")
        if quantity and f.comparator is not None and f.unit is None:
            hit("G06", f"定量指标“{shown}”缺少计量单位")
        num = f.number
        pct = quantity and f.unit == PCT and num is not None
        if pct and num > 100:  # type: ignore[operator]
            hit("G07", f"百分比不能超过100%（“{shown}”）")
        sat100 = f.satisf and pct and f.comparator in ("≥", "＝", "＞") and num >= 100  # type: ignore[operator]
        if sat100:
            hit("G09", "满意度目标值设为100%不切实际，应按调查口径设定（如≥85%、≥90%）")
        if (f.rate or f.satisf) and pct and f.comparator in GE and num == 100 and not sat100:
            hit("G08", "“≥100%”等同于“＝100%”，建议直接填写＝100%")
        if f.satisf and f.kind in ("quantity", "qualitative", "unparseable") and not (
                pct and num >= p.satisfaction_min):  # type: ignore[operator]
            hit("G10", f"满意度指标值“{shown}”应为合理的百分比（不低于{fmt_number(p.satisfaction_min)}%）")
        if f.rate and not f.satisf and quantity and f.unit is not None and f.unit != PCT:
            hit("G11", f"比率类指标“{f.name}”的单位应为%（现为“{f.unit}”）")
        if f.count and pct:
            hit("G12", f"数量类指标“{f.name}”不应使用百分比")
        if f.duration and pct:
            hit("G13", f"期限类指标“{f.name}”应以年/月/天计量，不能为百分比")
        if quantity and f.unit and f.unit != PCT and not f.rate and not f.satisf:
            bad = _unit_mismatch(f, p)
            if bad:
                hit("G14", f"指标名称“{f.name}”与计量单位“{f.unit}”不匹配（应为{bad}）")
        if f.reverse and f.comparator in GE:
            hit("G15", f"反向指标“{f.name}”应使用“≤”或“＝”（越小越好）")
        if f.reverse and f.kind == "qualitative":
            hit("G16", f"反向指标“{f.name}”建议量化，如“＝0次”或“≤0起”")
        if f.cost:
            if quantity and f.unit in p.money_to_wan and num is not None and budget is not None:
                wan = num * p.money_to_wan[f.unit]
                if wan > budget + p.money_tolerance:
                    hit("G17", f"成本指标{fmt_amount(wan)}万元超过项目预算数{fmt_amount(budget)}万元")
            if f.comparator in GE and f.unit != PCT:
                hit("G18", "成本指标应设上限（≤），不宜用“≥”")
            if f.kind == "qualitative":
                limit = f"{fmt_amount(budget)}万元" if budget is not None else "预算数"
                hit("G19", f"成本指标“{shown}”应量化，如“≤{limit}”或单位成本标准")
        timeliness = f.l2 == p.timeliness_l2 or (
            f.time and f.l1 not in (p.benefit_l1, p.satisfaction_l1) and not f.satisf)
        if timeliness:
            ok = f.kind == "date" or (quantity and (f.unit in p.duration_units or f.unit == PCT))
            if not ok:
                hit("G20", f"时效指标应填写完成时间（如“{year}年12月31日前”）、时长或及时率，"
                           f"而不是“{shown}”")
        if f.kind == "date":
            years = [int(m.group(1) or m.group(5)) for m in p.date_re.finditer(v)]
            if years and min(years) < year:
                hit("G21", f"时效目标日期（{min(years)}年）早于预算年度{year}年")
            elif years and max(years) > year:
                hit("G22", f"时效目标（{max(years)}年）超出预算年度{year}年，请确认")
        unc = p.uncertain_re.search(v)
        if unc:
            hit("G23", f"指标值含不确定表述“{unc.group(0)}”，请给出明确目标值")
        if gbk_len(cnorm(f.rawv)) > p.value_gbk_bytes:
            hit("G25", f"指标值超过系统长度（{p.value_gbk_bytes}字节）")
        if pct and p.growth_re.search(f.name) and num >= p.growth_max:  # type: ignore[operator]
            hit("G26", f"增长/提升类指标目标值{shown}明显偏高，请核实测算")
        if pct and f.comparator in GE and p.diagnostic_re.search(f.name) and num >= p.diagnostic_max:  # type: ignore[operator]
            hit("G27", f"“{f.name}”作为目标值{shown}不合理，请核实指标方向与口径")
        if pct and f.rate and p.entitlement_re.search(f.name) and num < 100:  # type: ignore[operator]
            hit("G28", f"“{f.name}”通常应为＝100%，目标值{shown}偏低请说明原因")
        if (f.count and quantity and f.unit in p.tiny_count_units and not f.reverse and f.comparator not in ("≤", "＜")
                and num is not None and num <= p.tiny_count_max and budget is not None
                and budget >= p.tiny_count_min_budget):
            hit("G29", f"产出数量{shown}与资金规模{fmt_amount(budget)}万元可能不匹配，请核实")
        if pct and _qualitative_name(f, p):
            hit("G30", f"定性描述的指标“{f.name}”不应使用百分比；请改为可计算的比率（写明分子分母）或定性分档")
    return hits


def _unit_mismatch(f: RowFacts, p: Profile) -> str:
    """G14: the units the name calls for, when the unit used is not one of them ('' if fine)."""
    unit = f.unit or ""
    if (p.category_re.search(f.name) or p.category_re.search(f.desc)) and unit in p.category_bad_units:
        return "、".join(sorted(p.noun_units.get("种类", ())))
    if not f.count:
        return ""
    for word, units in p.count_word_units.items():
        if f.name.endswith(word):
            return "" if unit in units else "、".join(sorted(units))
    best: tuple[int, frozenset[str]] | None = None
    for noun, units in p.noun_units.items():
        pos = f.name.rfind(noun)
        if pos >= 0 and (best is None or pos > best[0]):
            best = (pos, units)
    if best and unit not in best[1]:
        return "、".join(sorted(best[1]))
    return ""


def _qualitative_name(f: RowFacts, p: Profile) -> bool:
    """G30: a 三级 that describes an effect qualitatively (促进…发展, …影响力, …运行)."""
    n = f.name
    if not (p.qualitative_start_re.search(n) or p.qualitative_end_re.search(n)):
        return False
    if p.rate_re.search(n) or p.count_suffix_re.search(n) or p.count_contains_re.search(n):
        return False
    return not (p.duration_re.search(n) or p.satisf_re.search(n))


def check_basis(project: Project, facts: list[RowFacts], profile: Profile) -> list[Hit]:
    """Rules H01–H04 on 指标值确定依据."""
    p = profile
    hits: list[Hit] = []
    bases = []
    for f in facts:
        basis = f.basis
        bases.append(basis)
        if not basis:
            hits.append(Hit("H01", "指标值确定依据未填写", project, f.index, "basis", indicator=f.ind))
            continue
        if not p.basis_types_re.search(basis):
            hits.append(Hit("H02", "建议注明依据类型：计划标准/行业标准/历史标准/预算支出标准/其他标准",
                            project, f.index, "basis", indicator=f.ind))
        if f.cost and not p.basis_cost_re.search(basis):
            hits.append(Hit("H04", "成本指标应以预算支出标准或测算依据为据", project, f.index, "basis",
                            indicator=f.ind))
    if len(bases) >= 2 and len(set(bases)) == 1 and bases[0] and p.allocation_notice_re.search(bases[0]):
        hits.append(Hit("H03", "各指标的取值依据均为资金下达文件，未说明具体取值标准", project, None, "basis"))
    return hits


