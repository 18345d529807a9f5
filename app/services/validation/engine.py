"""The rule engine: whole-document validation and the incremental API for live editing.

Project-local rules (B01/B02/B04/B05/B07/B08, C, D, E, F, G, H, Y01) are cached per project; the
rules that look across projects (B03, B06, F23, I01–I03) and part 1 (A) are cheap and are
recomputed on every call, so they are always current after an edit.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from app.models import Document, Project, Waiver

from .catalog import RULES
from .findings import Finding, Hit, key_extra, make_key, waivable
from .profile import Profile, load_profile
from .rules_carry import carry_hits
from .rules_cross import Digest, check_codes, check_copies, check_foreign_rows, digest
from .rules_indicators import check_basis, check_structure, check_values, row_facts
from .rules_part1 import Part1Info, link_hits, part1_info
from .rules_project import check_budget, check_code_name, check_goal, check_plan
from .rules_unit import check_unit

_RULE_ORDER = {rule_id: n for n, rule_id in enumerate(RULES)}


@dataclass(slots=True)
class _ProjectState:
    project: Project
    digest: Digest
    hits: list[Hit]
    placed: list[Finding] | None = None
    placed_sig: tuple[object, ...] | None = None


@dataclass(slots=True)
class _DocState:
    projects: dict[int, _ProjectState] = field(default_factory=dict)
    part1: Part1Info | None = None


def project_hits(project: Project, doc: Document, profile: Profile) -> tuple[Digest, list[Hit]]:
    """Run every project-local rule on one project."""
    year = doc.year
    unit_name = (doc.unit.name if doc.unit is not None else "") or doc.unit_line or ""
    facts = row_facts(project, profile)
    quantitative = sum(1 for f in facts if f.kind == "quantity")
    hits = check_code_name(project, profile, year)
    hits += check_budget(project, profile)
    hits += check_plan(project, profile)
    hits += check_goal(project, profile, year, unit_name, quantitative)
    hits += check_structure(project, facts, profile)
    hits += check_values(project, facts, profile, year)
    hits += check_basis(project, facts, profile)
    hits += carry_hits(project, year, profile, hits)
    return digest(project, facts, profile), hits


class DocumentValidator(Protocol):
    """What the window needs of a validator: :class:`Validator`, or a test's stand-in."""

    def validate_document(self, doc: Document) -> list[Finding]:
        """Every finding of the document (opening it)."""
        ...

    def revalidate_project(self, doc: Document, project: Project) -> list[Finding]:
        """Every finding of the document after an edit of ``project``."""
        ...

    def revalidate_part1(self, doc: Document) -> list[Finding]:
        """Every finding of the document after an edit of part 1, waivers or the project list."""
        ...


class Validator:
    """Validates documents against a rule profile.

    ``Validator()`` uses each document's own ``Document.profile``; ``Validator(profile)``
    (a :class:`Profile` or its name) forces one profile for every document.
    """

    def __init__(self, profile: Profile | str | None = None) -> None:
        self._fixed = load_profile(profile) if isinstance(profile, str) else profile
        self._states: weakref.WeakKeyDictionary[Document, _DocState] = weakref.WeakKeyDictionary()

    def profile_for(self, doc: Document) -> Profile:
        """The profile a document is checked against."""
        return self._fixed or load_profile(doc.profile or "hebei2015")

    # -- public API ---------------------------------------------------------------------
    def validate_document(self, doc: Document, waivers: Sequence[Waiver] | None = None) -> list[Finding]:
        """Validate the whole document (and refresh its cache)."""
        state = _DocState()
        self._states[doc] = state
        profile = self.profile_for(doc)
        state.part1 = part1_info(doc, profile)
        for project in doc.projects:
            dg, hits = project_hits(project, doc, profile)
            state.projects[id(project)] = _ProjectState(project, dg, hits)
        return self._assemble(doc, state, profile, waivers)

    def revalidate_project(self, doc: Document, project: Project,
                           waivers: Sequence[Waiver] | None = None) -> list[Finding]:
        """Re-run one project's rules after an edit; returns all findings of the document.

        Cross-project (B03, B06, F23, I) and part-1 (A) rules are recomputed too. Projects
        not seen before (new, or first call on this document) are validated as needed.
        """
        state = self._states.get(doc)
        if state is None:
            return self.validate_document(doc, waivers)
        profile = self.profile_for(doc)
        dg, hits = project_hits(project, doc, profile)
        state.projects[id(project)] = _ProjectState(project, dg, hits)
        return self._assemble(doc, state, profile, waivers)

    def revalidate_part1(self, doc: Document, waivers: Sequence[Waiver] | None = None) -> list[Finding]:
        """Refresh after an edit of part 1 (or of waivers): only A and cross rules rerun."""
        state = self._states.get(doc)
        if state is None:
            return self.validate_document(doc, waivers)
        profile = self.profile_for(doc)
        state.part1 = part1_info(doc, profile)
        return self._assemble(doc, state, profile, waivers)

    def forget(self, doc: Document) -> None:
        """Drop the cache of a document (e.g. after the year or profile changed)."""
        self._states.pop(doc, None)

    # -- internals ----------------------------------------------------------------------
    def _assemble(self, doc: Document, state: _DocState, profile: Profile,
                  waivers: Sequence[Waiver] | None) -> list[Finding]:
        live: dict[int, _ProjectState] = {}
        for project in doc.projects:
            ps = state.projects.get(id(project))
            if ps is None or ps.project is not project:
                dg, hits = project_hits(project, doc, profile)
                ps = _ProjectState(project, dg, hits)
            live[id(project)] = ps
        state.projects = live
        digests = [ps.digest for ps in live.values()]

        placer = _Placer(doc, doc.waivers if waivers is None else waivers)
        findings: list[Finding] = []
        # Placed findings of unchanged projects are reused: placing is the costliest step
        # of a live revalidation, and only position, code and waivers affect it.
        for pos, project in enumerate(doc.projects, start=1):
            ps = live[id(project)]
            sig = (pos, project.code, placer.signature)
            if ps.placed is None or ps.placed_sig != sig:
                ps.placed = [placer.place(h, pos) for h in ps.hits]
                ps.placed_sig = sig
            findings.extend(ps.placed)
        others = list(state.part1.hits) if state.part1 is not None else []
        others += link_hits(state.part1, digests, profile)
        others += check_codes(doc, digests, profile)
        others += check_foreign_rows(digests, profile)
        others += check_copies(digests, profile)
        others += check_unit(doc, profile)
        positions = {id(p): n for n, p in enumerate(doc.projects, start=1)}
        for h in others:
            findings.append(placer.place(h, positions.get(id(h.project)) if h.project is not None else None))
        findings.sort(key=_order)
        return findings


def _order(f: Finding) -> tuple[int, int, int, int]:
    """Document order: part 1 first, then each project, its own findings before its rows."""
    return (f.project or 0, f.row or 0, f.item or 0, _RULE_ORDER.get(f.rule, 999))


class _Placer:
    """Turns hits into located findings and applies waivers (出错说明)."""

    def __init__(self, doc: Document, waivers: Sequence[Waiver]) -> None:
        self.unit = doc.unit.code if doc.unit is not None else ""
        self.year = doc.year
        self.by_key: dict[str, Waiver] = {}
        self.by_object: dict[tuple[str, int, str | None, str], Waiver] = {}
        sig = []
        for w in waivers:
            location = w.location or ""
            # Relationships read only when already loaded: a detached waiver from another
            # session must not trigger a lazy load; it still matches by its location key.
            loaded = w.__dict__
            target = loaded.get("indicator") or loaded.get("project")
            sig.append((id(w), w.rule_id, location, w.explanation, w.field, id(target)))
            if location:
                self.by_key.setdefault(location, w)
            if target is not None:
                self.by_object.setdefault((w.rule_id, id(target), w.field, key_extra(location)), w)
        self.signature = tuple(sig)

    def place(self, h: Hit, pos: int | None) -> Finding:
        info = RULES[h.rule]
        project = h.project
        code = None
        ref = None
        if project is not None:
            code = (project.code or "").strip() or None
            ref = code or f"#{pos or 0}"
        row = h.row + 1 if h.row is not None else None
        key = make_key(h.rule, ref, row, h.field, h.extra, h.item)
        waiver = None
        if info.severity != "error" and (self.by_key or self.by_object):
            waiver = self.by_key.get(key)
            if waiver is None:
                target = h.indicator if h.indicator is not None else (project if h.row is None else None)
                if target is not None:
                    waiver = self.by_object.get((h.rule, id(target), h.field, h.extra))
        return Finding(
            rule=h.rule, severity=info.severity, message=h.message, dimension=info.dimension,
            unit=self.unit, year=self.year, project=pos, project_code=code, row=row, field=h.field,
            key=key, waived=waiver is not None, waiver=waiver.explanation if waiver else None,
            item=h.item,
        )


def validate(doc: Document) -> list[Finding]:
    """Validate one document with its own profile (convenience for scripts and tests)."""
    return Validator().validate_document(doc)


__all__ = ["Validator", "validate", "project_hits", "waivable"]
