"""Rules that compare projects: B03, B06, F23 and I01–I03 (copy-paste checks)."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from app.models import Document, Project
from app.models.values import norm

from .findings import Hit, project_ref
from .profile import Profile
from .rules_indicators import RowFacts
from .text import NameGrams, attrs, fast_squash, ktext, name_grams


@dataclass(slots=True)
class Digest:
    """What the cross-project rules need of one project, computed with its own rules and
    cached with them (so a live revalidation only recomputes the edited project's digest)."""

    project: Project
    code: str
    name: str
    own: str
    core: str
    facts: list[RowFacts]
    name_grams: NameGrams
    budget: Decimal | None
    signature: set[tuple[str, str, str]]
    pairs: set[tuple[str, str]]
    bases: Counter[str]


def digest(project: Project, facts: list[RowFacts], profile: Profile) -> Digest:
    code, name, purpose, goal, budget = attrs(project, ("code", "name", "purpose", "goal", "budget_total"))
    fixed = ktext(profile.fixed_cost.name) if profile.fixed_cost else None
    signature: set[tuple[str, str, str]] = set()
    pairs: set[tuple[str, str]] = set()
    bases: Counter[str] = Counter()
    for f in facts:
        if f.basis:
            bases[f.basis] += 1
        if not f.name or not f.value:
            continue
        signature.add((f.l2, f.name, f.value))
        if f.l1 not in profile.copy_exclude_l1 and f.name != fixed:
            pairs.add((f.name, f.value))
    return Digest(
        project=project, code=fast_squash(code), name=norm(name),
        own=ktext(f"{name or ''}{purpose or ''}{goal or ''}"), core=_core_name(name, profile),
        facts=facts, name_grams=name_grams(name, profile.match_min_common), budget=budget, signature=signature, pairs=pairs,
        bases=bases,
    )


def _region(doc: Document, codes: list[str], profile: Profile) -> str | None:
    """The unit's 区划: configured on the unit, else the strict majority of the codes."""
    configured = fast_squash(doc.unit.region_code) if doc.unit is not None else ""
    if configured:
        return configured
    prefixes = Counter(c[:6] for c in codes if profile.code_re.match(c))
    if not prefixes:
        return None
    prefix, n = prefixes.most_common(1)[0]
    return prefix if n * 2 > sum(prefixes.values()) else None


def check_codes(doc: Document, digests: list[Digest], profile: Profile) -> list[Hit]:
    """B03 (区划 prefix) and B06 (duplicate codes)."""
    hits: list[Hit] = []
    codes = [d.code for d in digests]
    region = _region(doc, codes, profile)
    positions: dict[str, list[int]] = defaultdict(list)
    for i, code in enumerate(codes):
        if code:
            positions[code].append(i)
    for i, (d, code) in enumerate(zip(digests, codes, strict=True)):
        if region and code[:6] != region and profile.code_re.match(code):
            hits.append(Hit("B03", f"项目编码区划{code[:6]}与本单位区划{region}不一致", d.project, None, "code"))
        same = positions.get(code, ())
        if len(same) > 1:
            others = [j + 1 for j in same if j != i]
            hits.append(Hit("B06", f"项目编码重复（与第{'、'.join(map(str, others))}个项目相同）",
                            d.project, None, "code"))
    return hits


def _core_name(name: str | None, profile: Profile) -> str:
    core = ktext(name)
    for _ in range(3):  # strip a year prefix and boilerplate suffixes (补贴资金, 经费 …)
        stripped = profile.project_core_strip_re.sub("", core)
        if stripped == core:
            break
        core = stripped
    return core


def check_foreign_rows(digests: list[Digest], profile: Profile) -> list[Hit]:
    """F23: a 三级 names a target group that belongs to another project (copied row)."""
    hits: list[Hit] = []
    min_chars = profile.target_group_min_chars
    cores = [d.core if len(d.core) >= min_chars else "" for d in digests]
    groups = profile.target_groups
    for i, d in enumerate(digests):
        own = d.own
        terms = [c for j, c in enumerate(cores) if c and j != i and c not in own]
        terms += [g for g in groups if g not in own]
        if not terms:
            continue
        for f in d.facts:
            if not f.name:
                continue
            for term in terms:
                if term in f.name:
                    hits.append(Hit("F23", f"指标“{f.name}”与本项目内容不符（“{term}”不属于本项目），"
                                           "疑似从其他项目复制", d.project, f.index, "level3", indicator=f.ind))
                    break
    return hits


def check_copies(digests: list[Digest], profile: Profile) -> list[Hit]:
    """I01 (same row in many projects), I02 (two near-identical tables), I03 (one basis for all)."""
    p = profile
    hits: list[Hit] = []
    n_projects = len(digests)
    pair_count: Counter[tuple[str, str]] = Counter()
    bases: Counter[str] = Counter()
    n_rows = 0
    for d in digests:
        pair_count.update(d.pairs)
        bases.update(d.bases)
        n_rows += len(d.facts)

    need = max(p.copy_min_projects, math.ceil(p.copy_share * n_projects))
    copied = {pair: n for pair, n in pair_count.items() if n >= need}
    if copied:
        for d in digests:
            for f in d.facts:
                n = copied.get((f.name, f.value))
                if n and (f.name, f.value) in d.pairs:
                    hits.append(Hit("I01", f"指标“{f.name}”（{(f.rawv or '').strip()}）在{n}个项目中完全相同，疑似套用",
                                    d.project, f.index, "value", indicator=f.ind))

    for a in range(n_projects):
        sa = digests[a].signature
        if len(sa) < p.similar_min_rows:
            continue
        for b in range(a + 1, n_projects):
            sb = digests[b].signature
            if len(sb) < p.similar_min_rows:
                continue
            if len(sa & sb) / max(len(sa), len(sb)) >= p.similar_share:
                pa, pb = digests[a].project, digests[b].project
                na = digests[a].name or f"第{a + 1}个项目"
                nb = digests[b].name or f"第{b + 1}个项目"
                msg = f"项目“{na}”与“{nb}”绩效指标高度雷同"
                hits.append(Hit("I02", msg, pa, None, None, extra=project_ref(pb, b + 1)))
                hits.append(Hit("I02", msg, pb, None, None, extra=project_ref(pa, a + 1)))

    if n_rows >= p.same_basis_min_rows and bases:
        basis, n = bases.most_common(1)[0]
        if n / n_rows >= p.same_basis_share:
            hits.append(Hit("I03", f"全部指标使用相同取值依据（“{basis}”，{n}/{n_rows}行）", field="basis"))
    return hits
