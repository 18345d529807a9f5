"""Rule profiles: the indicator framework, thresholds, word lists and limits of a rule set.

A profile is a JSON file in ``resources/profiles/<name>.json`` (``hebei2015`` is the default,
``cz2021`` the 2021 framework with 成本指标 as a 一级). Everything a rule compares against
lives there, not in code; this module reads it once per name and precompiles its patterns.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from app.models.values import norm
from app.resources import resource_path
from app.services.errors import InputError

DEFAULT_PROFILE = "hebei2015"
PROFILE_NAMES = ("hebei2015", "cz2021")


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _alt(words: list[str] | tuple[str, ...]) -> re.Pattern[str]:
    """A pattern matching any of the literal words."""
    return re.compile("|".join(re.escape(w) for w in words)) if words else re.compile(r"(?!x)x")


@dataclass(frozen=True, slots=True)
class FixedCostIndicator:
    """The cost indicator the Hebei system inserts by itself (RULES.md F24)."""

    name: str
    comparator: str
    number: Decimal
    unit: str
    skip_project_words: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class CarryOverConfig:
    """Rule Y01 (延续内容待核实): which texts are read, how a year is found, what it defers to.

    Fields are ``(model attribute, Chinese label)`` pairs; ``defer_to`` lists the rules whose
    hit on the same cell makes a Y01 there redundant.
    """

    enabled: bool
    year_re: re.Pattern[str]
    project_fields: tuple[tuple[str, str], ...]
    indicator_fields: tuple[tuple[str, str], ...]
    part1_fields: tuple[tuple[str, str], ...]
    defer_to: frozenset[str]
    group_same_text: bool


def _carry_over(data: dict[str, Any]) -> CarryOverConfig:
    return CarryOverConfig(
        enabled=bool(data["enabled"]),
        year_re=_re(data["year_pattern"]),
        project_fields=tuple(data["project_fields"].items()),
        indicator_fields=tuple(data["indicator_fields"].items()),
        part1_fields=tuple(data["part1_fields"].items()),
        defer_to=frozenset(data.get("defer_to") or ()),
        group_same_text=bool(data.get("group_same_text", True)),
    )


class Profile:
    """A loaded rule profile (read-only after construction).

    Attributes mirror the JSON sections; patterns are compiled ``re.Pattern`` objects.
    """

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.name: str = data["name"]
        self.title: str = data.get("title", self.name)
        self.framework: dict[str, tuple[str, ...]] = {
            k: tuple(v) for k, v in data["framework"].items()
        }
        lv = data["levels"]
        self.output_l1: str = lv["output"]
        self.benefit_l1: str = lv["benefit"]
        self.satisfaction_l1: str = lv["satisfaction"]
        self.quantity_l2: str = lv["quantity"]
        self.quality_l2: str = lv["quality"]
        self.timeliness_l2: str = lv["timeliness"]
        self.cost_level: int = data["cost"]["level"]
        self.cost_name: str = data["cost"]["name"]
        self.required_output_l2: tuple[str, ...] = tuple(data.get("required_output_level2") or ())
        self.generic_hint_l2: frozenset[str] = frozenset(data.get("generic_hint_level2") or ())
        self.all_l2: frozenset[str] = frozenset(x for v in self.framework.values() for x in v)
        self.benefit_l2: frozenset[str] = frozenset(self.framework.get(self.benefit_l1, ()))
        # Names a 三级 must not merely repeat (F08): every 一级/二级 and the 二级 minus "指标".
        names = set(self.framework) | set(self.all_l2)
        names |= {n.removesuffix("指标") for n in list(names)}
        allowed = {norm(n) for n in data["level3"].get("allowed_level_names") or ()}
        self.level_names: frozenset[str] = frozenset(norm(n) for n in names if n and norm(n) not in allowed)

        fixed = data.get("fixed_cost_indicator")
        self.fixed_cost: FixedCostIndicator | None = None
        if fixed:
            self.fixed_cost = FixedCostIndicator(
                fixed["name"], fixed["comparator"], Decimal(fixed["number"]), fixed["unit"],
                _alt(fixed.get("skip_project_words") or []),
            )

        lim = data["limits"]
        self.level3_gbk_bytes: int = lim["level3_gbk_bytes"]
        self.value_gbk_bytes: int = lim["value_gbk_bytes"]
        self.goal_chars: int = lim["goal_chars"]
        self.min_indicators: int = lim["min_indicators"]
        self.amount_decimals: int = lim["amount_decimals"]
        self.number_decimals: int = lim["number_decimals"]
        self.money_tolerance: Decimal = Decimal(lim["money_tolerance"])
        self.plan_max: Decimal = Decimal(str(lim["plan_max_percent"]))

        self.code_re = _re(data["code"]["pattern"])
        self.code_length: int = data["code"]["length"]
        unit_code = data.get("unit_code") or {}
        self.unit_code_re = _re(unit_code["pattern"]) if unit_code.get("pattern") else None
        self.unit_code_hint: str = unit_code.get("hint", "")

        nc = data["name_classes"]
        self.rate_re = _re(nc["rate"])
        self.count_suffix_re = _re(nc["count_suffix"])
        self.count_contains_re = _re(nc["count_contains"])
        self.duration_re = _re(nc["duration"])
        self.time_re = _re(nc["time"])
        self.satisf_re = _re(nc["satisf"])
        self.reverse_re = _re(nc["reverse"])
        self.reverse_exclude_re = _re(nc["reverse_exclude"])

        vp = data["value_patterns"]
        self.date_re = _re(vp["date"])
        self.duration_units: frozenset[str] = frozenset(vp["duration_units"])
        self.forbidden_value_re = _re(vp["forbidden_chars"])
        self.not_a_value_re = _re(vp["not_a_value_words"])
        self.uncertain_re = _re(vp["uncertain_words"])
        self.sentence_verb_re = _re(vp["sentence_verbs"])
        self.sentence_min_chars: int = vp["sentence_min_chars"]

        money = data["money"]
        self.money_re = _re(money["pattern"])
        self.money_to_wan: dict[str, Decimal] = {k: Decimal(v) for k, v in money["to_wan"].items()}

        l3 = data["level3"]
        self.placeholder_re = _alt(l3["placeholders"])
        self.placeholder_exact: frozenset[str] = frozenset(l3["placeholder_exact"])
        self.generic_re = _re(l3["generic_pattern"])
        self.generic_names: frozenset[str] = frozenset(norm(n) for n in l3["generic_names"])
        self.generic_effect_re = _re(l3["generic_effect_pattern"])
        self.output_in_benefit_re = _re(l3["output_words_in_benefit"])
        self.effect_start_re = _re(l3["effect_verbs_start"])
        self.quality_effect_re = _re(l3["quality_effect_words"])
        self.qualitative_start_re = _re(l3["qualitative_start"])
        self.qualitative_end_re = _re(l3["qualitative_end"])
        self.growth_re = _re(l3["growth_words"])
        self.diagnostic_re = _re(l3["diagnostic_words"])
        self.entitlement_re = _re(l3["entitlement_words"])
        self.category_re = _re(l3["category_words"])
        self.category_bad_units: frozenset[str] = frozenset(l3["category_bad_units"])
        self.count_word_units: dict[str, frozenset[str]] = {
            k: frozenset(v) for k, v in l3["count_word_units"].items()
        }
        self.noun_units: dict[str, frozenset[str]] = {
            k: frozenset(v) for k, v in l3["noun_units"].items()
        }
        self.target_groups: tuple[str, ...] = tuple(l3["target_groups"])
        self.target_group_min_chars: int = l3["target_group_min_chars"]
        self.project_core_strip_re = _re(l3["project_core_strip"])

        g = data["goal"]
        self.item_split_re = _re(g["item_split"])
        self.citation_only_re = _re(g["citation_only"])
        self.citation_re = _re(g["citation"])
        self.spending_re = _re(g["spending_words"])
        self.spending_start_re = _re(g["spending_start"])
        self.spending_strong_re = _re(g["spending_strong"])
        self.effect_re = _re(g["effect_words"])
        self.closing_chars: str = g["closing_chars"]
        self.brackets: tuple[tuple[str, str], ...] = tuple((a, b) for a, b in g["brackets"])
        self.truncation_min_chars: int = g["truncation_min_chars"]
        self.completed_re = _re(g["completed_words"])
        self.part1_completed_re = _re(g["part1_completed_words"])
        self.area_re = _re(g["area_words"])
        self.unit_level_re = _re(g["unit_level"])
        self.stale_years: int = g["stale_years"]
        self.year_re = _re(g["year_pattern"])
        self.measurable_re = _re(g["measurable_words"])
        self.min_quantitative: int = g["min_quantitative_indicators"]
        self.purpose_prefix_re = _re(g["purpose_prefixes"])
        self.same_text_ratio: float = g["same_text_ratio"]

        self.purpose_stop_re = _alt(data["purpose"]["stop_words"])

        b = data["basis"]
        self.basis_types_re = _re(b["types_pattern"])
        self.allocation_notice_re = _re(b["allocation_notice"])
        self.basis_cost_re = _re(b["cost_pattern"])
        self.standard_basis_types: tuple[str, ...] = tuple(b["standard_types"])

        p1 = data["part1"]
        self.subgoal_goal_labels: frozenset[str] = frozenset(norm(x) for x in p1["subgoal_goal_labels"])
        self.subgoal_wrong_labels: frozenset[str] = frozenset(norm(x) for x in p1["subgoal_wrong_labels"])
        self.match_min_common: int = p1["match_min_common_chars"]
        self.match_min_bigram_share: float = p1["match_min_bigram_share"]
        self.stale_words: tuple[str, ...] = tuple(p1["stale_words"])
        self.part1_number_re = _re(p1["number_pattern"])

        t = data["thresholds"]
        self.satisfaction_min = Decimal(str(t["satisfaction_min"]))
        self.growth_max = Decimal(str(t["growth_max_percent"]))
        self.diagnostic_max = Decimal(str(t["diagnostic_max_percent"]))
        self.tiny_count_max = Decimal(str(t["tiny_count_max"]))
        self.tiny_count_min_budget = Decimal(str(t["tiny_count_min_budget"]))
        self.tiny_count_units: frozenset[str] = frozenset(t["tiny_count_units"])
        self.copy_share: float = t["copy_share"]
        self.copy_min_projects: int = t["copy_min_projects"]
        self.copy_exclude_l1: frozenset[str] = frozenset(t["copy_exclude_level1"])
        self.similar_share: float = t["similar_share"]
        self.similar_min_rows: int = t["similar_min_rows"]
        self.same_basis_share: float = t["same_basis_share"]
        self.same_basis_min_rows: int = t["same_basis_min_rows"]

        a = data["assessment"]
        self.poor_min_errors: int = a["poor_min_errors"]
        self.fair_min_warnings: int = a["fair_min_warnings"]
        self.good_min_hints: int = a["good_min_hints"]
        self.assessment_label: str = a["label"]
        self.grades: dict[str, str] = dict(a["grades"])

        self.monitoring: dict[str, Any] = data["monitoring"]
        self.carry_over: CarryOverConfig = _carry_over(data["carry_over"])

    def band_for(self, percent: Decimal | float | int) -> str:
        """Monitoring colour (``red``/``yellow``/``green``) of an execution rate in percent."""
        value = Decimal(str(percent))
        for band in self.monitoring["bands"]:
            below = band.get("below")
            if below is None or value < Decimal(str(below)):
                return str(band["color"])
        return str(self.monitoring["bands"][-1]["color"])

    def is_cost_row(self, level1: str, level2: str) -> bool:
        """True for a row of the cost dimension (二级 成本指标 in 2015, 一级 in 2021)."""
        return (level2 if self.cost_level == 2 else level1) == self.cost_name

    def level2_of(self, level1: str) -> tuple[str, ...]:
        """The 二级 names allowed under a 一级 (empty when the 一级 is unknown)."""
        return self.framework.get(level1, ())


@lru_cache(maxsize=8)
def load_profile(name: str = DEFAULT_PROFILE) -> Profile:
    """Load ``resources/profiles/<name>.json`` (cached: each profile is read once).

    Raises:
        InputError: no such profile, or the file is not a valid profile.
    """
    name = (name or DEFAULT_PROFILE).strip()
    if not re.fullmatch(r"[A-Za-z0-9_\-]+", name):
        raise InputError(f"校验规则配置“{name}”名称无效")
    path = resource_path("profiles", f"{name}.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Profile(data)
    except FileNotFoundError as exc:
        raise InputError(f"校验规则配置“{name}”不存在（{path}）") from exc
    except (ValueError, KeyError, TypeError, re.error) as exc:
        raise InputError(f"校验规则配置文件“{path}”有误：{exc}") from exc
