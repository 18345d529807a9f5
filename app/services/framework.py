"""The indicator framework (一级指标 → 二级指标) of a document's rule profile.

The profile files (``resources/profiles/<profile>.json``) belong to the validator; this
module only reads their framework so editors can offer the right choices. When a profile
file is missing or has no framework, the 2015 framework of 财预〔2015〕88号 (the one Hebei
county documents use, FRAMEWORK.md §1.1) is the default.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from app.resources import resource_path

DEFAULT_PROFILE = "hebei2015"

HEBEI2015: dict[str, tuple[str, ...]] = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}

# 指标值确定依据: the standard types (88号 绩效标准 + 预算支出标准 for 成本指标).
BASIS_TYPES: tuple[str, ...] = ("计划标准", "行业标准", "历史标准", "预算支出标准", "其他标准")


def _from_json(data: Any) -> dict[str, tuple[str, ...]] | None:
    """Accept {"framework": {一级: [二级...]}} or a list of {"level1"/"name", "level2"/"children"}."""
    fw = data.get("framework") if isinstance(data, dict) else None
    if isinstance(fw, dict):
        out: dict[str, tuple[str, ...]] = {}
        for key, value in fw.items():
            if isinstance(value, dict):  # {一级: {"level2": [...]}} or {二级: ...}
                value = value.get("level2") or value.get("children") or list(value)
            out[str(key)] = tuple(str(v) for v in value or ())
        return out or None
    if isinstance(fw, list):
        out = {}
        for item in fw:
            if isinstance(item, dict):
                name = item.get("level1") or item.get("name")
                subs = item.get("level2") or item.get("children") or ()
                if name:
                    out[str(name)] = tuple(
                        str(s.get("name") if isinstance(s, dict) else s) for s in subs
                    )
        return out or None
    return None


@lru_cache(maxsize=8)
def framework(profile: str | None = None) -> dict[str, tuple[str, ...]]:
    """一级 → its 二级 names, in the profile's order (default: the hebei2015 framework)."""
    path = resource_path("profiles", f"{profile or DEFAULT_PROFILE}.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return dict(HEBEI2015)
    return _from_json(data) or dict(HEBEI2015)


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
