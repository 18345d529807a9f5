"""Documents for the validation tests: a well-formed reference document and small editors."""

from __future__ import annotations

from pathlib import Path

from app.models import Document, Indicator, Project
from app.services.formats.json_format import read_json
from app.services.validation import Finding, Validator

GOOD_DOCUMENT = Path(__file__).resolve().parent / "fixtures" / "good_document.json"


def good_doc() -> Document:
    """A fresh copy of the well-formed document (文化广电和旅游局, 2025, 3 projects)."""
    return read_json(GOOD_DOCUMENT)[0]


def findings(doc: Document) -> list[Finding]:
    return Validator().validate_document(doc)


def rules(doc: Document) -> set[str]:
    return {f.rule for f in findings(doc)}


def row(project: Project, level2: str, nth: int = 0) -> Indicator:
    """The nth indicator row of a project under a 二级."""
    return [i for i in project.indicators if i.level2 == level2][nth]


def drop(project: Project, predicate) -> None:
    project.indicators = [i for i in project.indicators if not predicate(i)]


def add_row(project: Project, level1: str, level2: str, level3: str, value: str,
            desc: str = "按统计口径计算", basis: str = "计划标准：年度工作计划") -> Indicator:
    ind = Indicator(level1=level1, level2=level2, level3=level3, description=desc, value_raw=value,
                    basis=basis, position=len(project.indicators))
    project.indicators.append(ind)
    return ind
