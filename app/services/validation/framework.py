"""The indicator framework (一级指标 → 二级指标) of a document's rule profile, for editors.

The framework lives in the validator's profile (``resources/profiles/<profile>.json``);
this module offers it as choices. An unknown profile falls back to the default profile.
"""

from __future__ import annotations

from app.services.errors import PerfGoalsError
from app.services.validation.profile import DEFAULT_PROFILE, Profile, load_profile

# 指标值确定依据: the standard types (88号 绩效标准 + 预算支出标准 for 成本指标).
BASIS_TYPES: tuple[str, ...] = ("计划标准", "行业标准", "历史标准", "预算支出标准", "其他标准")


def profile_or_default(profile: str | None) -> Profile:
    """The named profile, or the default one when the name is empty or unknown."""
    try:
        return load_profile(profile or DEFAULT_PROFILE)
    except (PerfGoalsError, OSError, ValueError, KeyError):
        return load_profile(DEFAULT_PROFILE)


def framework(profile: str | None = None) -> dict[str, tuple[str, ...]]:
    """一级 → its 二级 names, in the profile's order."""
    return dict(profile_or_default(profile).framework)


def level2_choices(profile: str | None, level1: str | None) -> list[str]:
    """The 二级 names offered for a row: those of its 一级, or all of them when 一级 is unknown."""
    fw = framework(profile)
    key = (level1 or "").strip()
    if key in fw:
        return list(fw[key])
    seen: dict[str, None] = {}
    for subs in fw.values():
        seen.update(dict.fromkeys(subs))
    return list(seen)


def level3_limit_bytes(profile: str | None) -> int:
    """The GBK byte limit of a 三级指标 name (30 = 15 汉字 in the Hebei system)."""
    return profile_or_default(profile).level3_gbk_bytes
