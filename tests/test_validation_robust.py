"""The validator never crashes, whatever the cells hold (files come from anywhere)."""

from __future__ import annotations

import itertools

from app.models import Document, Indicator, Project, Unit
from app.services.validation import Validator, check_documents, format_report
from tests.factories import blank_document, full_document
from tests.validation_helpers import good_doc

WEIRD = [None, "", " ", "\u3000", "\n", "0", "-1", "1e5", "≥", "≥%", "＝", "100", "≥1,000家",
         "≥1.2.3%", "9" * 40, "2099年13月45日前", "（（", "》", "*", "…", "\t≥96%\n", "≥-5%",
         "１２３", "≦３０天", "abc", "零", "2024年度", "≥0.0001万元", "≤999999999亿元"]
PROJECT_FIELDS = ("code", "name", "budget_total_raw", "budget_fiscal_raw", "budget_other_raw",
                  "purpose", "plan_mar_raw", "plan_jun_raw", "plan_oct_raw", "plan_dec_raw", "goal")
ROW_FIELDS = ("level1", "level2", "level3", "description", "value_raw", "basis")


def test_weird_cells_never_crash() -> None:
    v = Validator()
    doc = good_doc()
    v.validate_document(doc)
    p = doc.projects[0]
    for field, value in itertools.product(PROJECT_FIELDS, WEIRD):
        setattr(p, field, value)
        v.revalidate_project(doc, p)
    ind = p.indicators[0]
    for field, value in itertools.product(ROW_FIELDS, WEIRD):
        setattr(ind, field, value)
        v.revalidate_project(doc, p)
    for value in WEIRD:
        doc.overall_text = value
        doc.subgoals[0].title = value or ""
        doc.subgoals[0].indicator_text = value
        v.revalidate_part1(doc)


def test_empty_and_odd_documents() -> None:
    empty = Document(unit=Unit(code="1", name=""), year=2024, has_part1=True)
    no_rows = Document(unit=Unit(code="2", name="x"), year=2024)
    no_rows.projects = [Project(position=0), Project(position=1)]
    one_row = Document(unit=Unit(code="3", name="y"), year=2024, profile="cz2021")
    one_row.projects = [Project(position=0, indicators=[Indicator(position=0, level1=" ")])]
    report = check_documents([empty, no_rows, one_row, blank_document(), full_document()])
    assert report.has_errors and format_report(report)
    assert {f["rule"] for f in report.findings} >= {"A01", "A02", "A05", "B01", "B06"} - {"B06"}
