"""Reading seed.xlsx gives the records of seed.docx; display texts and formulas."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.services.formats.file_io import read_file
from app.services.formats.xlsx.formulas import Evaluator, FormulaError
from app.services.formats.xlsx.reader import display_text
from tests.compare import records


def test_seed_xlsx_equals_seed_docx(seed_docx, seed_xlsx) -> None:
    from_docx = read_file(seed_docx).documents
    res = read_file(seed_xlsx)
    assert res.kind == "xlsx" and res.notes == []
    assert len(res.documents) == 1
    # Only what a workbook cannot hold differs: a cell of one space is empty in Excel.
    assert records(res.documents[0], True) == records(from_docx[0], True)
    p = res.documents[0].projects
    assert p[0].budget_total_raw == "1.74" and p[1].budget_total_raw == "20.00"
    assert p[1].plan_raw() == {3: "25%", 6: None, 10: "75%", 12: "100%"}
    assert p[0].budget_other_raw is None


@pytest.mark.parametrize(
    ("value", "fmt", "text"),
    [
        (Decimal("1.74"), "0.00", "1.74"),
        (Decimal("20"), "0.00", "20.00"),
        (Decimal("1200.5"), "#,##0.00", "1,200.50"),
        (Decimal("0.25"), "0%", "25%"),
        (Decimal("1"), "0%", "100%"),
        (Decimal("0.755"), "0.0%", "75.5%"),
        (Decimal("13.8"), "General", "13.8"),
        (Decimal("30"), "General", "30"),
        (Decimal("0.30000000000000004"), "General", "0.3"),
        (Decimal("1.7399999999999999"), "0.00", "1.74"),
        ("25%", "General", "25%"),
        (" ", "General", " "),
        (None, "0.00", None),
        (Decimal("45657"), "yyyy\"年\"m\"月\"d\"日\"", "2024年12月31日"),
    ],
)
def test_display_text(value, fmt, text) -> None:
    assert display_text(value, fmt) == text


def test_evaluate_simple_formulas() -> None:
    cells = {("S", 4, 3): Decimal("1.5"), ("S", 4, 5): Decimal("2"), ("T", 1, 1): Decimal("10")}

    def lookup(sheet, r, c):
        return cells.get((sheet, r, c))

    ev = Evaluator(lookup, {"率": "'T'!$A$1"})
    assert ev.evaluate("=C4+E4", "S") == Decimal("3.5")
    assert ev.evaluate("=SUM(C4:E4)*2", "S") == Decimal("7")
    assert ev.evaluate("='T'!A1/4-(1)", "S") == Decimal("1.5")
    assert ev.evaluate("=ROUND($C$4*率%,1)", "S") == Decimal("0.2")
    assert ev.evaluate('=IF(D4=0,"-",C4/D4)', "S") == "-"  # the branch not taken is not computed
    assert ev.evaluate("=IF(C4>1,E4,0)+T!A1", "S") == Decimal("12")
    for bad in ("=VLOOKUP(A1,B:C,2)", "=C4/D4", "=SUM(A1:A1000000)", "=C4+"):
        with pytest.raises(FormulaError):
            ev.evaluate(bad, "S")
