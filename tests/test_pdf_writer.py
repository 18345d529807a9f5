"""PDF export: every value printed, fonts embedded, headers repeated, pages counted."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.models import Indicator, Project
from app.models.values import squash
from app.resources import font_path
from app.services.errors import PerfGoalsError
from app.services.formats.file_io import export_documents, read_file
from app.services.formats.layout import INDICATOR_HEADERS
from app.services.paper.fonts import available_fonts
from app.services.paper.layout import level1_groups
from app.services.paper.writer import write_pdf
from tests.factories import blank_document, full_document
from tests.pdf_helpers import (
    body_text,
    document_values,
    font_is_embedded,
    fonts_of,
    footers,
    long_document,
    page_texts,
)

HEADER = squash("".join(INDICATOR_HEADERS))


def test_full_document_prints_every_value(tmp_path: Path) -> None:
    doc = full_document()
    out = write_pdf(tmp_path / "full.pdf", [doc], print_date=date(2024, 3, 1))
    text = body_text(out, doc.unit.name)
    for value in document_values(doc):
        assert value in text, value
    # layout labels of both tables, the summary and part 1
    for label in ("预算项目绩效目标汇总表", "合计", "第一部分", "部门整体绩效目标", "一、总体绩效目标",
                  "（一）障一级伤残抚恤金及时发放", "（二）公众开放日试剂补贴", "1、完善制度建设。",
                  "1.食品安全监管绩效目标表", "项目编码", "预算规模及资金用途", "其中：财政资金",
                  "资金支出计划（%）", "3月底", "6月底", "10月底", "12月底", "绩效目标", HEADER,
                  "单位：万元"):
        assert squash(label) in text, label
    assert "打印日期：2024年3月1日" in page_texts(out)[0]


def test_page_count_and_numbers(tmp_path: Path) -> None:
    doc = full_document()
    second = Project(position=1, seq=2, code="X2", name="第二个项目", budget_total_raw="5")
    second.indicators = [Indicator(position=0, level1="产出指标", level3="唯一指标")]
    doc.projects.append(second)
    out = write_pdf(tmp_path / "two.pdf", [doc])
    # summary, part 1, one page per project, 出错说明 (full_document() has waivers)
    assert footers(out) == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    texts = page_texts(out)
    assert "1.食品安全监管绩效目标表" in texts[2]
    assert "2.第二个项目绩效目标表" in texts[3]
    assert "第二个项目" in texts[0] and "205.00" in texts[0]  # summary with the total


def test_pages_numbered_per_unit(tmp_path: Path) -> None:
    out = write_pdf(tmp_path / "units.pdf", [full_document(), blank_document()])
    assert footers(out) == [(1, 4), (2, 4), (3, 4), (4, 4), (1, 1)]  # with its 出错说明 page
    texts = page_texts(out)
    assert texts[4].endswith(squash("999001") + texts[4][texts[4].index("第1页"):])


def test_every_font_embedded(tmp_path: Path) -> None:
    out = write_pdf(tmp_path / "fonts.pdf", [full_document(), long_document(40)])
    fonts = fonts_of(out)
    assert fonts
    for font in fonts:
        assert font_is_embedded(font), font.get("/BaseFont")
    assert all("WenQuanYi" in str(f.get("/BaseFont")) for f in fonts)


def test_header_repeats_and_rows_never_split(tmp_path: Path) -> None:
    doc = long_document(120)
    out = write_pdf(tmp_path / "long.pdf", [doc], project_ids=[doc.projects[0]])
    texts = page_texts(out)
    assert len(texts) >= 4
    for text in texts:
        assert HEADER in text
    for i in range(120):
        pages = [n for n, t in enumerate(texts) if f"标记{i}对辖区" in t]
        assert len(pages) == 1, (i, pages)
        # the row's last cell is on the same page as its first cells: the row is whole
        assert f"依据{i}：" in texts[pages[0]]


def test_level1_groups_merge_and_long_groups_still_print(tmp_path: Path) -> None:
    doc = long_document(90, group_size=45)  # a group far taller than half a page
    assert level1_groups(doc.projects[0]) == [(0, 44), (45, 89)]
    out = write_pdf(tmp_path / "groups.pdf", [doc], project_ids=[doc.projects[0]])
    body = body_text(out, doc.unit.name)
    for i in range(90):
        assert f"标记{i}" in body
    # a group cut by a page break is named again on the next page, right under the header
    texts = page_texts(out)
    assert len(texts) >= 4
    for text in texts[1:]:
        after_header = text[text.index(HEADER) + len(HEADER):]
        assert after_header.startswith(("产出指标", "效益指标")), after_header[:20]


def test_row_taller_than_a_page_still_prints(tmp_path: Path) -> None:
    doc = long_document(3)
    sentence = "这是一段很长的指标值确定依据，用于检验超过一页的单元格。"
    doc.projects[0].indicators[1].basis = sentence * 150
    out = write_pdf(tmp_path / "huge.pdf", [doc])
    # continued over several pages under the repeated header (and the repeated 一级指标 of
    # its group), nothing lost, no empty pages
    body = body_text(out, doc.unit.name).replace(HEADER, "").replace("产出指标", "")
    assert squash(sentence * 150) in body
    texts = page_texts(out)
    assert len(texts) >= 4
    assert all(t.count(HEADER) <= 1 for t in texts)


def test_selection_prints_only_chosen_projects(tmp_path: Path) -> None:
    doc = full_document()
    second = Project(position=1, seq=2, code="X2", name="第二个项目")
    doc.projects.append(second)
    out = write_pdf(tmp_path / "sel.pdf", [doc], project_ids=[second])
    texts = page_texts(out)
    assert len(texts) == 1
    assert "2.第二个项目绩效目标表" in texts[0]
    assert "食品安全监管" not in texts[0] and "汇总表" not in texts[0]
    with pytest.raises(PerfGoalsError):
        write_pdf(tmp_path / "none.pdf", [doc], project_ids=[12345])
    assert not (tmp_path / "none.pdf").exists()


def test_selection_by_database_id(tmp_path: Path) -> None:
    doc = full_document()
    doc.projects[0].id = 77
    out = write_pdf(tmp_path / "id.pdf", [doc], project_ids=[77], with_summary=True)
    texts = page_texts(out)
    assert len(texts) == 3 and "汇总表" in texts[0]
    assert "出错说明" in texts[2] and "本单位无分项" not in texts[2]  # part-1 waivers stay out


def test_blank_document_prints(tmp_path: Path) -> None:
    out = write_pdf(tmp_path / "blank.pdf", [blank_document()])
    assert len(PdfReader(str(out)).pages) == 1  # one project, no part 1: no summary page
    out = write_pdf(tmp_path / "blank2.pdf", [blank_document()], with_summary=True)
    assert len(PdfReader(str(out)).pages) == 2


def test_text_is_kept_exactly(tmp_path: Path) -> None:
    doc = full_document()
    ind = doc.projects[0].indicators[0]
    ind.description = "a<b>&c \"引号\" 多  空格"
    out = write_pdf(tmp_path / "markup.pdf", [doc])
    assert squash(ind.description) in body_text(out, doc.unit.name)


def test_export_documents_pdf(tmp_path: Path) -> None:
    out = export_documents([full_document()], "pdf", tmp_path / "e.pdf")
    assert out.read_bytes().startswith(b"%PDF")


def test_system_font_choice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fonts_dir = tmp_path / "Fonts"
    fonts_dir.mkdir()
    shutil.copy(font_path(), fonts_dir / "SIMSUN.TTC")  # any TrueType collection will do
    monkeypatch.setenv("PERFGOALS_SYSTEM_FONTS", str(fonts_dir))
    keys = [c.key for c in available_fonts()]
    assert keys == ["wqy", "simsun"]
    out = write_pdf(tmp_path / "simsun.pdf", [full_document()], font="simsun")
    assert all(font_is_embedded(f) for f in fonts_of(out))
    with pytest.raises(PerfGoalsError, match="仿宋|simfang"):
        write_pdf(tmp_path / "x.pdf", [full_document()], font="simfang")


def test_no_system_fonts_off_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PERFGOALS_SYSTEM_FONTS", raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    assert [c.key for c in available_fonts()] == ["wqy"]


def test_seed_docx_every_value(tmp_path: Path, seed_docx: Path) -> None:
    docs = read_file(seed_docx).documents
    out = write_pdf(tmp_path / "seed.pdf", docs)
    doc = docs[0]
    text = body_text(out, doc.unit.name)
    missing = [v for v in document_values(doc) if v not in text]
    assert not missing, missing[:5]
    # summary + part 1 + one page (at least) per project
    assert len(page_texts(out)) >= 2 + len(doc.projects)


def test_calendar_page_on_request(tmp_path: Path) -> None:
    from tests.factories import spending_document

    doc = spending_document()
    plain = write_pdf(tmp_path / "plain.pdf", [doc])
    with_cal = write_pdf(tmp_path / "cal.pdf", [doc], with_calendar=True)
    texts = page_texts(with_cal)
    assert len(texts) > len(page_texts(plain))
    assert "资金支出计划（按月累计）" in texts[1]  # right after the summary page
    assert all("资金支出计划（按月累计）" not in t for t in page_texts(plain))
    assert all(font_is_embedded(f) for f in fonts_of(with_cal))


def test_selection_copies_from_select_documents(tmp_path: Path) -> None:
    """The window prints a selection as copied documents (select_documents): no summary."""
    from app.services.formats.selection import select_documents

    doc = full_document()
    doc.projects[0].id = 5
    docs = select_documents([doc], project_ids=[5])
    out = write_pdf(tmp_path / "copy.pdf", docs)
    texts = page_texts(out)
    assert len(texts) == 2 and "1.食品安全监管绩效目标表" in texts[0]
    assert "按上级文件口径填写" in texts[1]  # the project's 出错说明 comes with the copy
