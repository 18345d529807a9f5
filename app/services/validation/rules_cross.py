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
    """F23: a 三级 names a target group that belongs to another project (copied row).

    Linear in the number of projects: instead of testing every other project's core name
    against every row (3,300 projects took minutes), the cores are indexed and each row's
    name is looked up by its substrings of the indexed lengths. The term reported is the
    same as a scan in project order would find.
    """
    hits: list[Hit] = []
    min_chars = profile.target_group_min_chars
    owners: dict[str, list[int]] = {}  # core -> the first two projects having it
    for j, d in enumerate(digests):
        if len(d.core) >= min_chars:
            first = owners.setdefault(d.core, [])
            if len(first) < 2:
                first.append(j)
    lengths = sorted({len(c) for c in owners})
    groups = profile.target_groups
    for i, d in enumerate(digests):
        own = d.own
        group_terms = [g for g in groups if g not in own]
        for f in d.facts:
            if not f.name:
                continue
            term = _foreign_core(f.name, owners, lengths, i, own)
            if term is None:
                term = next((g for g in group_terms if g in f.name), None)
            if term is not None:
                hits.append(Hit("F23", f"指标“{f.name}”与本项目内容不符（“{term}”不属于本项目），"
                                       "疑似从其他项目复制", d.project, f.index, "level3", indicator=f.ind))
    return hits


def _foreign_core(name: str, owners: dict[str, list[int]], lengths: list[int], me: int, own: str) -> str | None:
    """The core name of another project found in ``name`` (the earliest such project)."""
    best: tuple[int, str] | None = None
    seen: set[str] = set()
    for n in lengths:
        if n > len(name):
            break
        for k in range(len(name) - n + 1):
            sub = name[k:k + n]
            if sub in seen:
                continue
            seen.add(sub)
            found = owners.get(sub)
            if found is None:
                continue
            j = next((x for x in found if x != me), None)
            if j is not None and (best is None or j < best[0]) and sub not in own:
                best = (j, sub)
    return best[1] if best else None


# A project similar to very many others (a unit of 3,000 copies of one table) lists the
# first ones only: the findings stay readable and their number linear.
MAX_SIMILAR_PARTNERS = 20


def similar_pairs(digests: list[Digest], profile: Profile) -> dict[int, list[int]]:
    """I02's partners of each project: those whose indicator tables are near-identical.

    A set-similarity join instead of comparing every pair: identical tables are grouped
    first, and two tables can only reach the share if they have one of their rarest rows in
    common (prefix filtering), so only such candidates are compared.
    """
    share = profile.similar_share
    classes: dict[frozenset[tuple[str, str, str]], list[int]] = {}
    for i, d in enumerate(digests):
        if len(d.signature) >= profile.similar_min_rows:
            classes.setdefault(frozenset(d.signature), []).append(i)
    keys = list(classes)
    freq: Counter[tuple[str, str, str]] = Counter(e for k in keys for e in k)
    index: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    near: dict[int, set[int]] = defaultdict(set)  # class -> similar classes
    for x, k in enumerate(keys):
        if len(classes[k]) > 1:
            near[x].add(x)
        rows = sorted(k, key=lambda e: (freq[e], e))
        required = math.ceil(share * len(k) - 1e-9)
        candidates: set[int] = set()
        for e in rows[: len(k) - required + 1]:
            candidates.update(index[e])
            index[e].append(x)
        for y in candidates:
            other = keys[y]
            if len(k & other) / max(len(k), len(other)) >= share:
                near[x].add(y)
                near[y].add(x)
    partners: dict[int, list[int]] = {}
    for x, k in enumerate(keys):
        if not near[x]:
            continue
        members = sorted(i for y in near[x] for i in classes[keys[y]][: MAX_SIMILAR_PARTNERS + 1])
        for a in classes[k]:
            partners[a] = [b for b in members if b != a][:MAX_SIMILAR_PARTNERS]
    return partners


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

    for a, others in sorted(similar_pairs(digests, p).items()):
        for b in others:
            lo, hi = min(a, b), max(a, b)
            nlo = digests[lo].name or f"第{lo + 1}个项目"
            nhi = digests[hi].name or f"第{hi + 1}个项目"
            hits.append(Hit("I02", f"项目“{nlo}”与“{nhi}”绩效指标高度雷同", digests[a].project, None, None,
                            extra=project_ref(digests[b].project, b + 1)))

    if n_rows >= p.same_basis_min_rows and bases:
        basis, n = bases.most_common(1)[0]
        if n / n_rows >= p.same_basis_share:
            hits.append(Hit("I03", f"全部指标使用相同取值依据（“{basis}”，{n}/{n_rows}行）", field="basis"))
    return hits
