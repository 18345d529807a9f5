"""Reading seed.docx gives exactly the values of the reference text."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from app.services.formats.file_io import read_file
from app.services.formats.grid import docx_table_grid
from app.services.formats.layout import label
from app.services.formats.layout_parser import split_unit_line
from app.services.formats.ooxml import SafePackage

REFERENCE = Path(__file__).resolve().parent / "fixtures" / "seed_reference.txt"


@pytest.fixture(scope="module")
def seed(request):
    from tests.conftest import FIXTURES

    res = read_file(FIXTURES / "seed.docx")
    assert len(res.documents) == 1
    return res


def test_unit_year_region(seed) -> None:
    doc = seed.documents[0]
    assert doc.unit.code == "422001"
    assert doc.unit.name == "曹妃甸区市场监督管理局本级"
    assert doc.unit.region_code == "130209"
    assert doc.unit_line == "422001曹妃甸区市场监督管理局本级"
    assert doc.year == 2024
    assert seed.kind == "docx"
    assert seed.notes == []


def test_projects_headings_and_basic_table(seed) -> None:
    doc = seed.documents[0]
    assert len(doc.projects) == 11
    assert [p.seq for p in doc.projects] == list(range(1, 12))
    p1 = doc.projects[0]
    assert p1.heading == "1.2023年食品药品安全协管员补贴资金绩效目标表"
    assert p1.code == "13020923P00062810002D"
    assert p1.name == "2023年食品药品安全协管员补贴资金"
    assert (p1.budget_total_raw, p1.budget_fiscal_raw, p1.budget_other_raw) == ("1.74", "1.74", " ")
    assert p1.budget_total == Decimal("1.74") and p1.budget_other is None
    assert p1.purpose == "主要用于我区2023年食品药品安全协管员的补贴"
    assert p1.plan_raw() == {3: " ", 6: " ", 10: " ", 12: "100%"}
    assert p1.plan_dec == Decimal("100") and p1.plan_mar is None
    assert p1.goal.count("\n") == 2 and p1.goal.startswith("1.根据唐山市财政局")
    p2 = doc.projects[1]
    assert p2.plan_raw() == {3: "25%", 6: " ", 10: "75%", 12: "100%"}
    assert p2.budget_total_raw == "20.00"
    assert doc.projects[10].code == "13020924P001013100030"
    assert doc.projects[10].heading == "11.质量强区经费绩效目标表"


def test_indicators_keep_every_character(seed) -> None:
    doc = seed.documents[0]
    assert [len(p.indicators) for p in doc.projects] == [9, 9, 9, 6, 9, 9, 9, 9, 9, 9, 9]
    first = doc.projects[0].indicators
    assert [i.level1 for i in first] == ["产出指标"] * 4 + ["效益指标"] * 4 + ["满意度指标"]
    assert first[0].level3 == "举报食品药品案件线索核查数占所"
    assert first[2].value_raw == "预计2023年12月31日前完成"
    assert first[3].value_raw == "12.42万元"
    p6 = doc.projects[5].indicators
    assert any(i.value_raw == "≥92%\n" for i in p6)
    p4 = doc.projects[3].indicators
    assert any(i.level3 == "对监管企业发展\n\n的影响" for i in p4)
    for p in doc.projects:
        for ind in p.indicators:
            assert ind.level1 in ("产出指标", "效益指标", "满意度指标")


def test_part1(seed) -> None:
    doc = seed.documents[0]
    assert doc.has_part1
    assert doc.overall_label == "总体绩效信息："
    assert doc.overall_text.startswith("（一）坚持党建引领") and doc.overall_text.count("\n") == 3
    assert doc.subgoals_label == "分项绩效目标：" and doc.measures_label == "工作保障措施："
    assert len(doc.subgoals) == 10
    assert doc.subgoals[0].title == "障一级伤残抚恤金及时发放"
    assert doc.subgoals[0].goal_label == "绩效目标："
    assert doc.subgoals[0].indicator_label == "绩效指标："
    assert doc.subgoals[0].indicator_text.endswith("发放抚恤金11万元。")
    assert [s.goal_label for s in doc.subgoals[8:]] == ["绩效评价：", "绩效评价："]
    assert doc.subgoals[2].indicator_label is None
    assert len(doc.measures) == 7
    assert doc.measures[0].title == "完善制度建设。"
    assert doc.measures[0].text.startswith("  制定完善预算绩效管理制度")
    assert doc.measures[1].title == "加强支出管理。"
    assert doc.measures[1].text.startswith("加强支出管理，通过优化支出结构")


def _reference_table_cells() -> list[str]:
    """Every table cell text of the reference (Tika prints a cell on lines after a tab)."""
    cells: list[str] = []
    current: list[str] | None = None
    for raw in REFERENCE.read_text(encoding="utf-8").split("\n"):
        if raw.startswith("\t"):
            if current is not None:
                cells.append("\n".join(current))
            current = [raw[1:]]
        elif raw == "" and current is not None:
            # an empty line ends a row, unless the cell continues (next line has no tab)
            current.append("")
        elif current is not None:
            current.append(raw)
    if current is not None:
        cells.append("\n".join(current))
    return cells


def test_every_reference_value_is_read(seed) -> None:
    """Each project's values appear verbatim among the reference's table cells."""
    cells = _reference_table_cells()
    ref = {c.rstrip() for c in cells}
    doc = seed.documents[0]
    for p in doc.projects:
        values = [p.code, p.name, p.budget_total_raw, p.budget_fiscal_raw, p.purpose, p.goal]
        for ind in p.indicators:
            values += [ind.level2, ind.level3, ind.description, ind.value_raw, ind.basis]
        for v in values:
            # The last cell of a table runs on into the following paragraphs in the text dump.
            assert v.rstrip() in ref or any(c.startswith(v.rstrip() + "\n") for c in cells), v


def test_grid_walks_gridbefore_span_and_vmerge() -> None:
    xml = (
        '<w:tbl xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:tr><w:tc><w:tcPr><w:vMerge w:val='restart'/></w:tcPr><w:p><w:r><w:t>A</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:tcPr><w:gridSpan w:val='2'/></w:tcPr><w:p><w:r><w:t>B</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>b2</w:t></w:r></w:p></w:tc></w:tr>"
        "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>"
        "<w:sdt><w:sdtContent><w:tc><w:p><w:ins><w:r><w:t>C</w:t></w:r></w:ins>"
        "<w:del><w:r><w:delText>x</w:delText></w:r></w:del></w:p></w:tc></w:sdtContent></w:sdt>"
        "<w:tc><w:p><w:r><w:t>D</w:t></w:r></w:p></w:tc></w:tr>"
        "<w:tr><w:trPr><w:gridBefore w:val='2'/></w:trPr><w:tc><w:p><w:r><w:t>E</w:t></w:r></w:p></w:tc></w:tr>"
        "</w:tbl>"
    )
    grid = docx_table_grid(etree.fromstring(xml))
    assert grid.shape() == [
        (0, 0, 2, 1, "A"), (0, 1, 1, 2, "B\nb2"), (1, 1, 1, 1, "C"), (1, 2, 1, 1, "D"), (2, 2, 1, 1, "E"),
    ]
    assert grid.rows[1][0].covered and grid.ncols == 3


def test_label_and_unit_line_helpers() -> None:
    assert label("项目\u3000名称：") == "项目名称"
    assert label(" 预\xa0算 数 :") == "预算数"
    assert label("其中：财政    资金") == "其中：财政资金"
    assert split_unit_line("422001曹妃甸区市场监督管理局本级") == ("422001", "曹妃甸区市场监督管理局本级")


def test_seed_tables_have_reference_merges(seed_docx) -> None:
    with SafePackage(seed_docx) as pkg:
        root = pkg.read_xml("word/document.xml")
    tables = root.findall(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tbl")
    assert len(tables) == 22
    basic = docx_table_grid(tables[0])
    assert [(c.col, c.colspan) for c in basic.rows[0]] == [(0, 5), (5, 2)]
    assert [(c.col, c.colspan) for c in basic.rows[4]] == [(0, 1), (1, 2), (3, 1), (4, 2), (6, 1)]
    assert basic.rows[2][0].rowspan == 2 and basic.rows[3][0].covered


def test_unknown_content_is_reported_with_its_place(tmp_path, seed_docx) -> None:
    """A cover line before part 1 and a stray table are skipped and named in the notes."""
    import zipfile

    with zipfile.ZipFile(seed_docx) as z:
        xml = z.read("word/document.xml").decode("utf-8")
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    cover = '<w:p><w:r><w:t>曹妃甸区2024年部门预算公开</w:t></w:r></w:p>'
    stray = '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>审核人</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>张三</w:t></w:r></w:p></w:tc></w:tr></w:tbl>'
    xml = xml.replace("<w:body>", f"<w:body>{cover}", 1)
    xml = xml.replace("<w:sectPr", f"{stray}<w:sectPr", 1)
    parts["word/document.xml"] = xml.encode("utf-8")
    path = tmp_path / "extra.docx"
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    res = read_file(path)
    assert len(res.documents[0].projects) == 11
    assert any(n.startswith("第1段") and "曹妃甸区2024年部门预算公开" in n for n in res.notes), res.notes
    assert any("第23个表格第1行" in n and "审核人" in n for n in res.notes), res.notes
