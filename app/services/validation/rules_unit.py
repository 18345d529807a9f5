"""Rules on the document as a whole (beyond RULES.md): an empty document is not clean.

U01: a document with neither 部门整体绩效目标 nor any project has nothing to report, so it
must not be rated 优 with 错误0 — the required content is missing from the start.
U02: the unit code must have the profile's format (``unit_code.pattern``; 6 digits in
hebei2015), so a mistyped code is caught before the file goes to the bureau.
"""

from __future__ import annotations

from app.models import Document

from .findings import Hit
from .profile import Profile


def check_unit(doc: Document, profile: Profile) -> list[Hit]:
    hits: list[Hit] = []
    if not doc.has_part1 and not doc.projects:
        hits.append(Hit("U01", "尚未填写任何内容：请填写部门整体绩效目标（总体绩效目标），并新建或导入项目",
                        field="overall_text"))
    code = (doc.unit.code if doc.unit is not None else "") or ""
    if profile.unit_code_re is not None and not profile.unit_code_re.fullmatch(code.strip()):
        hits.append(Hit("U02", f"单位编码“{code}”格式不正确：{profile.unit_code_hint}", field="unit_code"))
    return hits
