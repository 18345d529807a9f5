"""Review summaries per project and per unit, with this program's 优/良/中/差 assessment.

RULES.md section J suggests mapping findings to the 88号 review outcome: any error → 差/中,
only warnings → 中/良, hints only → 良/优. The thresholds that split each pair are in the
profile ("assessment"). This is the program's own assessment, never the finance bureau's
verdict, and every summary says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.models import Document
from app.models.values import norm

from .catalog import DIMENSIONS, SEVERITIES
from .findings import Finding
from .profile import Profile

GRADE_ORDER = ("优", "良", "中", "差")


@dataclass(slots=True)
class Counts:
    """Unwaived findings by severity and by dimension, plus how many were waived."""

    error: int = 0
    warning: int = 0
    hint: int = 0
    waived: int = 0
    by_dimension: dict[str, dict[str, int]] = field(
        default_factory=lambda: {d: {s: 0 for s in SEVERITIES} for d in DIMENSIONS}
    )

    def add(self, f: Finding) -> None:
        if f.waived:
            self.waived += 1
            return
        sev = f.severity
        if sev == "error":
            self.error += 1
        elif sev == "warning":
            self.warning += 1
        else:
            self.hint += 1
        self.by_dimension.setdefault(f.dimension, {s: 0 for s in SEVERITIES})[sev] += 1

    def merge(self, other: Counts) -> None:
        """Add another set of counts to this one."""
        self.error += other.error
        self.warning += other.warning
        self.hint += other.hint
        self.waived += other.waived
        for dim, sev in other.by_dimension.items():
            mine = self.by_dimension.setdefault(dim, {s: 0 for s in SEVERITIES})
            for k, n in sev.items():
                mine[k] += n

    def to_dict(self) -> dict[str, Any]:
        return {
            "error": self.error, "warning": self.warning, "hint": self.hint, "waived": self.waived,
            "by_dimension": {d: dict(v) for d, v in self.by_dimension.items()},
        }


def grade(counts: Counts, profile: Profile) -> str:
    """优/良/中/差 from the counts (RULES.md J; thresholds from the profile)."""
    if counts.error:
        return "差" if counts.error >= profile.poor_min_errors else "中"
    if counts.warning:
        return "中" if counts.warning >= profile.fair_min_warnings else "良"
    if counts.hint >= profile.good_min_hints:
        return "良"
    return "优"


def worst(grades: list[str]) -> str:
    return max(grades, key=GRADE_ORDER.index) if grades else "优"


@dataclass(slots=True)
class ProjectReview:
    """Summary of one project (position is 1-based)."""

    project: int
    project_code: str | None
    name: str
    counts: Counts
    assessment: str
    meaning: str


@dataclass(slots=True)
class UnitReview:
    """Summary of one document (one unit, one year)."""

    unit: str
    unit_name: str
    year: int
    profile: str
    counts: Counts
    part1: Counts
    projects: list[ProjectReview]
    assessment: str
    meaning: str
    assessment_label: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit, "unit_name": self.unit_name, "year": self.year, "profile": self.profile,
            "counts": self.counts.to_dict(), "part1": self.part1.to_dict(),
            "assessment": self.assessment, "meaning": self.meaning,
            "assessment_label": self.assessment_label,
            "projects": [
                {"project": p.project, "project_code": p.project_code, "name": p.name,
                 "counts": p.counts.to_dict(), "assessment": p.assessment, "meaning": p.meaning}
                for p in self.projects
            ],
        }


def review_document(doc: Document, findings: list[Finding], profile: Profile) -> UnitReview:
    """Counts and assessment per project and for the whole unit.

    The unit's assessment is that of its weakest part (part 1 or a project): the bureau sends
    a submission back when any table fails.
    """
    total, part1 = Counts(), Counts()
    per_project = [Counts() for _ in doc.projects]
    for f in findings:
        total.add(f)
        if f.project is None:
            part1.add(f)
        elif 1 <= f.project <= len(per_project):
            per_project[f.project - 1].add(f)
    projects = []
    for n, (p, c) in enumerate(zip(doc.projects, per_project, strict=True), start=1):
        g = grade(c, profile)
        projects.append(ProjectReview(n, (p.code or "").strip() or None, norm(p.name), c, g, profile.grades[g]))
    unit_grade = worst([grade(part1, profile)] + [p.assessment for p in projects])
    return UnitReview(
        unit=doc.unit.code if doc.unit is not None else "",
        unit_name=doc.unit.name if doc.unit is not None else "",
        year=doc.year, profile=profile.name, counts=total, part1=part1, projects=projects,
        assessment=unit_grade, meaning=profile.grades[unit_grade],
        assessment_label=profile.assessment_label,
    )
