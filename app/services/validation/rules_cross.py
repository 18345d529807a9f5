"""Rules that compare projects: B03, B06, F23 and I01–I03 (copy-paste checks)."""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from app.models import Document, Project
from app.models.values import norm

from .findings import Hit, project_ref
from .profile import Profile
from .rules_indicators import RowFacts
from .text import fast_squash, ktext


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


def check_codes(doc: Document, profile: Profile) -> list[Hit]:
    """B03 (区划 prefix) and B06 (duplicate codes)."""
    hits: list[Hit] = []
    codes = [fast_squash(p.code) for p in doc.projects]
    region = _region(doc, codes, profile)
    positions: dict[str, list[int]] = defaultdict(list)
    for i, code in enumerate(codes):
        if code:
            positions[code].append(i)
    for i, (project, code) in enumerate(zip(doc.projects, codes, strict=True)):
        if region and profile.code_re.match(code) and code[:6] != region:
            hits.append(Hit("B03", f"项目编码区划{code[:6]}与本单位区划{region}不一致", project, None, "code"))
        others = [j + 1 for j in positions.get(code, []) if j != i]
        if others:
            hits.append(Hit("B06", f"项目编码重复（与第{'、'.join(map(str, others))}个项目相同）",
                            project, None, "code"))
    return hits


def _core_name(project: Project, profile: Profile) -> str:
    name = ktext(project.name)
    for _ in range(3):  # strip a year prefix and boilerplate suffixes (补贴资金, 经费 …)
        stripped = profile.project_core_strip_re.sub("", name)
        if stripped == name:
            break
        name = stripped
    return name


def check_foreign_rows(doc: Document, facts: dict[int, list[RowFacts]], profile: Profile) -> list[Hit]:
    """F23: a 三级 names a target group that belongs to another project (copied row)."""
    hits: list[Hit] = []
    cores = [_core_name(p, profile) for p in doc.projects]
    min_chars = profile.target_group_min_chars
    groups = list(profile.target_groups)
    for i, project in enumerate(doc.projects):
        own = ktext(f"{project.name or ''}{project.purpose or ''}{project.goal or ''}")
        terms = [c for j, c in enumerate(cores) if j != i and len(c) >= min_chars and c not in own]
        terms += [g for g in groups if g not in own]
        if not terms:
            continue
        for f in facts.get(id(project), []):
            if not f.name:
                continue
            for term in terms:
                if term in f.name:
                    hits.append(Hit("F23", f"指标“{f.name}”与本项目内容不符（“{term}”不属于本项目），"
                                           "疑似从其他项目复制", project, f.index, "level3", indicator=f.ind))
                    break
    return hits


def check_copies(doc: Document, facts: dict[int, list[RowFacts]], profile: Profile) -> list[Hit]:
    """I01 (same row in many projects), I02 (two near-identical tables), I03 (one basis for all)."""
    p = profile
    hits: list[Hit] = []
    projects = doc.projects
    n_projects = len(projects)
    pair_projects: dict[tuple[str, str], set[int]] = defaultdict(set)
    signatures: list[set[tuple[str, str, str]]] = []
    bases: Counter[str] = Counter()
    n_rows = 0
    fixed = ktext(p.fixed_cost.name) if p.fixed_cost else None
    for i, project in enumerate(projects):
        rows = facts.get(id(project), [])
        sig = set()
        for f in rows:
            n_rows += 1
            basis = f.basis
            if basis:
                bases[basis] += 1
            if not f.name or not f.value:
                continue
            sig.add((f.l2, f.name, f.value))
            if f.l1 not in p.copy_exclude_l1 and f.name != fixed:
                pair_projects[(f.name, f.value)].add(i)
        signatures.append(sig)

    need = max(p.copy_min_projects, math.ceil(p.copy_share * n_projects))
    copied = {pair: len(s) for pair, s in pair_projects.items() if len(s) >= need}
    if copied:
        for project in projects:
            for f in facts.get(id(project), []):
                n = copied.get((f.name, f.value))
                if n:
                    hits.append(Hit("I01", f"指标“{f.name}”（{(f.rawv or '').strip()}）在{n}个项目中完全相同，疑似套用",
                                    project, f.index, "value", indicator=f.ind))

    for a in range(n_projects):
        sa = signatures[a]
        if len(sa) < p.similar_min_rows:
            continue
        for b in range(a + 1, n_projects):
            sb = signatures[b]
            if len(sb) < p.similar_min_rows:
                continue
            if len(sa & sb) / max(len(sa), len(sb)) >= p.similar_share:
                na, nb = norm(projects[a].name) or f"第{a + 1}个项目", norm(projects[b].name) or f"第{b + 1}个项目"
                msg = f"项目“{na}”与“{nb}”绩效指标高度雷同"
                hits.append(Hit("I02", msg, projects[a], None, None, extra=project_ref(projects[b], b + 1)))
                hits.append(Hit("I02", msg, projects[b], None, None, extra=project_ref(projects[a], a + 1)))

    if n_rows >= p.same_basis_min_rows and bases:
        basis, n = bases.most_common(1)[0]
        if n / n_rows >= p.same_basis_share:
            hits.append(Hit("I03", f"全部指标使用相同取值依据（“{basis}”，{n}/{n_rows}行）", field="basis"))
    return hits
