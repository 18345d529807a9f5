"""Reading back the PDFs we write: text per page without footers, fonts, values of a document."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader

from app.models import Document, Indicator, Project, Unit
from app.models.values import squash

FOOTER_RE = re.compile(r"第(\d+)页共(\d+)页打印日期：\d+年\d+月\d+日$")


def page_texts(path: Path) -> list[str]:
    """Each page's extracted text with all whitespace removed."""
    return [squash(page.extract_text()) for page in PdfReader(str(path)).pages]


def body_text(path: Path, footer_unit: str) -> str:
    """The text of all pages joined, footers cut off (so paragraphs run across pages)."""
    out = []
    for text in page_texts(path):
        m = FOOTER_RE.search(text)
        assert m, f"page without footer: {text[-80:]}"
        body = text[: m.start()]
        assert body.endswith(squash(footer_unit)), body[-80:]
        out.append(body[: len(body) - len(squash(footer_unit))])
    return "".join(out)


def footers(path: Path) -> list[tuple[int, int]]:
    """(N, M) of 第N页 共M页 on each page."""
    result = []
    for text in page_texts(path):
        m = FOOTER_RE.search(text)
        assert m
        result.append((int(m.group(1)), int(m.group(2))))
    return result


def fonts_of(path: Path) -> list[dict]:
    """Every font resource used by any page (resolved dictionaries)."""
    fonts: dict[int, dict] = {}
    for page in PdfReader(str(path)).pages:
        res = page.get("/Resources")
        if res is None:
            continue
        res = res.get_object()
        for ref in (res.get("/Font") or {}).values():
            obj = ref.get_object()
            fonts[id(obj)] = obj
    return list(fonts.values())


def font_is_embedded(font: dict) -> bool:
    """True when the font (or its CID descendant) carries a FontFile/2/3 stream."""
    candidates = [font]
    for d in font.get("/DescendantFonts") or []:
        candidates.append(d.get_object())
    for f in candidates:
        desc = f.get("/FontDescriptor")
        if desc is None:
            continue
        desc = desc.get_object()
        if any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            return True
    return False


def document_values(doc: Document) -> list[str]:
    """Every printed text of a document, squashed (labels, amounts, cells, part 1)."""
    values: list[str | None] = [doc.unit_line]
    if doc.has_part1:
        values += [doc.overall_label, doc.subgoals_label, doc.measures_label]
        values += (doc.overall_text or "").split("\n")
        for sg in doc.subgoals:
            values += [sg.title, (sg.goal_label or "") + (sg.goal_text or ""),
                       (sg.indicator_label or "") + (sg.indicator_text or "")]
        for m in doc.measures:
            values += [m.title, *(m.text or "").split("\n")]
    for p in doc.projects:
        values += [p.code, p.name, p.budget_total_raw, p.budget_fiscal_raw, p.budget_other_raw,
                   p.purpose, p.plan_mar_raw, p.plan_jun_raw, p.plan_oct_raw, p.plan_dec_raw,
                   p.goal]
        for ind in p.indicators:
            values += [ind.level1, ind.level2, ind.level3, ind.description, ind.value_raw,
                       ind.basis]
    return [squash(v) for v in values if squash(v)]


def long_document(n_indicators: int = 120, group_size: int = 10) -> Document:
    """One project with a long indicator table (markers 标记N in 三级指标 and 依据N in basis)."""
    unit = Unit(code="500001", name="长表测试单位")
    doc = Document(unit=unit, year=2025, unit_line="500001长表测试单位")
    p = Project(position=0, seq=1, code="13020925P00000010001A", name="长表项目",
                budget_total_raw="10", budget_fiscal_raw="10", budget_other_raw="0",
                purpose="用途", goal="目标")
    levels = ["产出指标", "效益指标", "满意度指标"]
    p.indicators = [
        Indicator(position=i, level1=levels[(i // group_size) % 3], level2="数量指标",
                  level3=f"标记{i}", description="对辖区内食品生产经营单位开展监督检查，确保覆盖率。",
                  value_raw="≥95%", basis=f"依据{i}：根据年度工作计划和上级文件要求确定的指标值。")
        for i in range(n_indicators)
    ]
    doc.projects = [p]
    return doc
