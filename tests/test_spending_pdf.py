"""The calendar page as reportlab flowables, built into a PDF with the bundled CJK font."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import SimpleDocTemplate

from app.resources import font_path
from app.services.paper.spending_pages import spending_flowables
from tests.factories import blank_document, full_document, spending_document

pypdf = pytest.importorskip("pypdf")
FONT = "SpendingTestWQY"


def _build(out: Path, doc) -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(font_path()), subfontIndex=0))
    pdf = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=70.85, rightMargin=70.85)
    pdf.build(spending_flowables(doc, None, FONT))
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(str(out)).pages)


def test_calendar_page_has_plan_chart_and_execution(tmp_path: Path) -> None:
    text = _build(tmp_path / "cal.pdf", spending_document())
    assert "资金支出计划（按月累计）" in text
    assert "食品安全监管" in text and "单位合计" in text
    assert "78.73" in text and "312.42" in text and "8.33%" in text
    assert "资金支出执行情况" in text and "红色预警" in text and "6月底" in text


def test_without_execution_there_is_no_execution_table(tmp_path: Path) -> None:
    text = _build(tmp_path / "plan.pdf", full_document())
    assert "资金支出计划" in text and "资金支出执行情况" not in text


def test_blank_document_builds(tmp_path: Path) -> None:
    text = _build(tmp_path / "blank.pdf", blank_document())
    assert "项目1" in text


def test_province_pdf_with_the_calendar_page(tmp_path: Path) -> None:
    from app.services.paper.writer import write_pdf
    from tests.pdf_helpers import font_is_embedded, fonts_of, footers, page_texts

    out = write_pdf(tmp_path / "unit.pdf", [spending_document()], with_calendar=True)
    texts = page_texts(out)
    page = next(t for t in texts if "资金支出计划（按月累计）" in t)
    assert "资金支出执行情况" in page and "单位合计" in page
    assert len({total for _, total in footers(out)}) == 1  # counted in the unit's pages
    assert all(font_is_embedded(f) for f in fonts_of(out))
    plain = write_pdf(tmp_path / "plain.pdf", [spending_document()])
    assert not any("资金支出计划（按月累计）" in t for t in page_texts(plain))
