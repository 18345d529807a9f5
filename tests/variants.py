"""Variant files built from seed.docx / seed.xlsx, one per case of FORMAT.md.

Each builder writes a file that a real Word/WPS/Excel user could send and that must give the
same records as the seed. docx variants transform the seed's XML with lxml; xlsx variants
rebuild the seed workbook with openpyxl (and patch XML where openpyxl cannot write the case,
such as a formula with a cached value).
"""

from __future__ import annotations

import copy
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"


def _w(tag: str, **attrs: str) -> etree._Element:
    el = etree.Element(f"{W}{tag}")
    for k, v in attrs.items():
        el.set(f"{W}{k}", v)
    return el


def _para(text: str) -> etree._Element:
    p = _w("p")
    if text:
        r = etree.SubElement(p, f"{W}r")
        t = etree.SubElement(r, f"{W}t")
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return p


def _text_of(el: etree._Element) -> str:
    return "".join(t.text or "" for t in el.iter(f"{W}t"))


def _set_text(tc: etree._Element, text: str) -> None:
    ts = list(tc.iter(f"{W}t"))
    ts[0].text = text
    for t in ts[1:]:
        t.text = ""


def _transform_docx(src: Path, dst: Path, fn: Callable[[etree._Element], None]) -> Path:
    with zipfile.ZipFile(src) as zin:
        root = etree.fromstring(zin.read("word/document.xml"))
        fn(root.find(f"{W}body"))
        with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                data = zin.read(info.filename)
                if info.filename == "word/document.xml":
                    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
                zout.writestr(info.filename, data)
    return dst


def _basic_tables(body: etree._Element) -> list[etree._Element]:
    return [t for t in body.findall(f"{W}tbl") if "项目编码" in _text_of(t)]


# --- docx variants ---------------------------------------------------------------------------


def unit_line_own_table(body: etree._Element) -> None:
    """The unit line as a one-row two-cell table just before the basic table."""
    for tbl in _basic_tables(body):
        first = tbl.find(f"{W}tr")
        tbl.remove(first)
        new = etree.Element(f"{W}tbl")
        new.append(copy.deepcopy(tbl.find(f"{W}tblPr")))
        grid = _w("tblGrid")
        grid.append(_w("gridCol", w="6350"))
        grid.append(_w("gridCol", w="2720"))
        new.append(grid)
        for tc in first.findall(f"{W}tc"):
            span = tc.find(f"{W}tcPr/{W}gridSpan")
            span.getparent().remove(span)
        new.append(first)
        tbl.addprevious(new)


def _unit_line_paragraph(space: str) -> Callable[[etree._Element], None]:
    def fn(body: etree._Element) -> None:
        for tbl in _basic_tables(body):
            first = tbl.find(f"{W}tr")
            left, right = (_text_of(tc) for tc in first.findall(f"{W}tc"))
            tbl.remove(first)
            tbl.addprevious(_para(f"{left}{space}{right}"))
    return fn


unit_line_paragraph_ideographic = _unit_line_paragraph("\u3000\u3000\u3000")
unit_line_paragraph_nbsp = _unit_line_paragraph("\xa0\xa0 \xa0")


def nine_column_grid(body: etree._Element) -> None:
    """The basic table on 9 grid columns: old columns 0 and 3 now span 2 grid columns each."""
    new_start = {0: 0, 1: 2, 2: 3, 3: 4, 4: 6, 5: 7, 6: 8, 7: 9}
    widths = (750, 750, 1000, 1000, 775, 775, 1300, 1100, 1620)
    for tbl in _basic_tables(body):
        grid = tbl.find(f"{W}tblGrid")
        for gc in list(grid):
            grid.remove(gc)
        for w in widths:
            grid.append(_w("gridCol", w=str(w)))
        for tr in tbl.findall(f"{W}tr"):
            col = 0
            for tc in tr.findall(f"{W}tc"):
                pr = tc.find(f"{W}tcPr")
                span_el = pr.find(f"{W}gridSpan")
                span = int(span_el.get(f"{W}val")) if span_el is not None else 1
                new_span = new_start[col + span] - new_start[col]
                if span_el is None:
                    span_el = _w("gridSpan")
                    pr.find(f"{W}tcW").addnext(span_el)
                span_el.set(f"{W}val", str(new_span))
                col += span


LABEL_VARIANTS = {
    "项目编码": "项目编码：",
    "项目名称": "项目\u3000名称:",
    "预算数": "预\u3000算\u3000数",
    "其他资金": " 其他\xa0资金 ",
    "绩效目标": "绩效目标：",
    "资金支出计划（%）": "资金支出计划\n（%）",
    "一级指标": "一级 指标",
    "指标值确定依据": "指标值确定依据：",
}


def spaced_labels(body: etree._Element) -> None:
    """Labels with NBSP, U+3000, spaces, a line break and trailing colons."""
    for tc in body.iter(f"{W}tc"):
        text = _text_of(tc)
        if text in LABEL_VARIANTS:
            new = LABEL_VARIANTS[text]
            if "\n" in new:
                first, second = new.split("\n")
                _set_text(tc, first)
                p = tc.find(f"{W}p")
                p2 = copy.deepcopy(p)
                for t in p2.iter(f"{W}t"):
                    t.text = ""
                next(p2.iter(f"{W}t")).text = second
                p.addnext(p2)
            else:
                _set_text(tc, new)


def many_runs(body: etree._Element) -> None:
    """Every run split into runs of 2 characters with alternating fonts; a content control
    around a cell, tracked insertions and deletions, a bookmark in the middle of a value."""
    for r in list(body.iter(f"{W}r")):
        t = r.find(f"{W}t")
        if t is None or not t.text or len(t.text) < 3:
            continue
        text = t.text
        parts = [text[k:k + 2] for k in range(0, len(text), 2)]
        for n, part in enumerate(parts):
            nr = copy.deepcopy(r)
            nr.find(f"{W}t").text = part
            fonts = nr.find(f"{W}rPr/{W}rFonts")
            if fonts is not None and n % 2:
                fonts.set(f"{W}ascii", "Times New Roman")
            if n % 3 == 1:
                ins = _w("ins", id=str(9000 + n), author="x")
                ins.append(nr)
                r.addprevious(ins)
            else:
                r.addprevious(nr)
            if n == 1:
                r.addprevious(_w("bookmarkStart", id="99", name="x"))
                d = _w("del", id="77", author="x")
                dr = etree.SubElement(d, f"{W}r")
                etree.SubElement(dr, f"{W}delText").text = "删掉的字"
                r.addprevious(d)
        r.getparent().remove(r)
    # Wrap the second cell of every indicator row in a content control.
    for tr in body.iter(f"{W}tr"):
        tcs = tr.findall(f"{W}tc")
        if len(tcs) == 6:
            sdt = _w("sdt")
            content = etree.SubElement(sdt, f"{W}sdtContent")
            tcs[1].addprevious(sdt)
            content.append(tcs[1])


def empty_paragraphs_auto_width(body: etree._Element) -> None:
    """Extra empty paragraphs around tables; tblW type auto."""
    for tbl in body.findall(f"{W}tbl"):
        tbl.addprevious(_para(""))
        tbl.addnext(_para(""))
        tbl.addnext(_para(" "))
        tw = tbl.find(f"{W}tblPr/{W}tblW")
        tw.set(f"{W}type", "auto")
        tw.set(f"{W}w", "0")


def plain_headings(body: etree._Element) -> None:
    """Headings as plain paragraphs (no heading styles, no bookmarks)."""
    for p in body.iter(f"{W}p"):
        for st in p.findall(f"{W}pPr/{W}pStyle"):
            st.getparent().remove(st)
        for b in p.findall(f"{W}bookmarkStart") + p.findall(f"{W}bookmarkEnd"):
            p.remove(b)


def grid_before(body: etree._Element) -> None:
    """The purpose and plan rows start late (gridBefore) instead of a vMerge continuation."""
    for tbl in _basic_tables(body):
        for tr in tbl.findall(f"{W}tr"):
            tcs = tr.findall(f"{W}tc")
            vm = tcs[0].find(f"{W}tcPr/{W}vMerge")
            if vm is not None and vm.get(f"{W}val") is None:
                tr.remove(tcs[0])
                trpr = tr.find(f"{W}trPr")
                trpr.insert(0, _w("gridBefore", val="1"))


def only_projects(body: etree._Element) -> None:
    """No part 1: the file starts at 预算项目绩效目标."""
    for el in list(body):
        if el.tag == f"{W}p" and "预算项目绩效目标" in _text_of(el):
            break
        body.remove(el)


def only_part1(body: etree._Element) -> None:
    """Part 1 alone: everything from 预算项目绩效目标 on is gone."""
    gone = False
    for el in list(body):
        if el.tag == f"{W}p" and "预算项目绩效目标" in _text_of(el):
            gone = True
        if gone and el.tag != f"{W}sectPr":
            body.remove(el)


DOCX_VARIANTS: dict[str, Callable[[etree._Element], None]] = {
    "unit_line_own_table": unit_line_own_table,
    "unit_line_paragraph_ideographic": unit_line_paragraph_ideographic,
    "unit_line_paragraph_nbsp": unit_line_paragraph_nbsp,
    "nine_column_grid": nine_column_grid,
    "spaced_labels": spaced_labels,
    "many_runs": many_runs,
    "empty_paragraphs_auto_width": empty_paragraphs_auto_width,
    "plain_headings": plain_headings,
    "grid_before": grid_before,
}


def build_docx(seed: Path, out_dir: Path, name: str) -> Path:
    """Write the docx variant ``name`` (see DOCX_VARIANTS, plus only_projects/only_part1)."""
    fn = {**DOCX_VARIANTS, "only_projects": only_projects, "only_part1": only_part1}[name]
    return _transform_docx(seed, out_dir / f"{name}.docx", fn)


# --- xlsx variants ---------------------------------------------------------------------------


def _copy_sheet(src, dst, row_off: int = 0, col_off: int = 0) -> int:  # noqa: ANN001
    """Copy values, formats and merges of ``src`` into ``dst`` shifted; returns the last row."""
    last = 0
    for row in src.iter_rows():
        for c in row:
            if c.value is None and type(c).__name__ == "MergedCell":
                continue
            if c.value is None:
                continue
            d = dst.cell(row=c.row + row_off, column=c.column + col_off, value=c.value)
            d.number_format = c.number_format
            last = max(last, c.row + row_off)
    for rng in src.merged_cells.ranges:
        dst.merge_cells(
            start_row=rng.min_row + row_off, start_column=rng.min_col + col_off,
            end_row=rng.max_row + row_off, end_column=rng.max_col + col_off,
        )
        last = max(last, rng.max_row + row_off)
    return last


def _rebuild(seed: Path, out: Path, place: Callable) -> Path:  # noqa: ANN001
    src = openpyxl.load_workbook(seed)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    place(src, wb)
    wb.save(out)
    return out


def offset_blocks(seed: Path, out_dir: Path) -> Path:
    """Every block moved away from A1 (3 rows down, 2 columns right)."""
    def place(src, wb):  # noqa: ANN001, ANN202
        for ws in src.worksheets:
            _copy_sheet(ws, wb.create_sheet(ws.title), 3, 2)
    return _rebuild(seed, out_dir / "offset_blocks.xlsx", place)


def stacked_blocks(seed: Path, out_dir: Path) -> Path:
    """All project blocks stacked on one sheet (two blank rows between), part 1 on its own."""
    def place(src, wb):  # noqa: ANN001, ANN202
        _copy_sheet(src.worksheets[0], wb.create_sheet(src.worksheets[0].title))
        ws = wb.create_sheet("项目")
        row = 0
        for s in src.worksheets[1:]:
            row = _copy_sheet(s, ws, row, 1) + 2
    return _rebuild(seed, out_dir / "stacked_blocks.xlsx", place)


def hidden_helper_sheet(seed: Path, out_dir: Path) -> Path:
    """A hidden sheet of drop-down lists (with text that looks like a project) in front."""
    wb = openpyxl.load_workbook(seed)
    helper = wb.create_sheet("Lists", 0)
    helper["A1"] = "项目编码"
    helper["B1"] = "不应被导入"
    helper["A2"] = "产出指标"
    helper.sheet_state = "hidden"
    out = out_dir / "hidden_helper_sheet.xlsx"
    wb.save(out)
    return out


def amounts_and_percent_as_text(seed: Path, out_dir: Path) -> Path:
    """Amounts as text ("1.74", "20.00") and plan percentages as text ("25%")."""
    from app.services.formats.xlsx.reader import display_text

    wb = openpyxl.load_workbook(seed)
    from decimal import Decimal

    for ws in wb.worksheets[1:]:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, (int, float)) and not isinstance(c.value, bool):
                    c.value = display_text(Decimal(str(c.value)), c.number_format)
                    c.number_format = "@"
    out = out_dir / "amounts_and_percent_as_text.xlsx"
    wb.save(out)
    return out


def formulas(seed: Path, out_dir: Path, cached: bool) -> Path:
    """预算数 as ``=E4+G4`` and 财政资金 as ``=C4``-style formulas, with or without cached values."""
    wb = openpyxl.load_workbook(seed)
    cached_values: dict[tuple[str, str], object] = {}
    for ws in wb.worksheets[1:]:
        total, fiscal = ws["C4"].value, ws["E4"].value
        ws["E4"] = "=C4"
        ws["C4"] = "=0+D99+" + str(total)  # a reference to an empty cell and arithmetic
        cached_values[(ws.title, "E4")] = fiscal
        cached_values[(ws.title, "C4")] = total
    name = "formulas_cached" if cached else "formulas_uncached"
    out = out_dir / f"{name}.xlsx"
    wb.save(out)
    if cached:
        _add_cached_values(out, wb, cached_values)
    return out


def _add_cached_values(path: Path, wb, values: dict) -> None:  # noqa: ANN001
    """Patch ``<v>`` into formula cells, as Excel does when it saves."""
    order = {ws.title: n for n, ws in enumerate(wb.worksheets, start=1)}
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    for (title, ref), value in values.items():
        name = f"xl/worksheets/sheet{order[title]}.xml"
        xml = parts[name].decode("utf-8")
        pattern = re.compile(rf'(<c r="{ref}"[^>]*>)<f>([^<]*)</f>(?:<v\s*/>|<v></v>)?')
        xml, n = pattern.subn(lambda m, v=value: f"{m.group(1)}<f>{m.group(2)}</f><v>{v}</v>", xml)
        assert n == 1, (name, ref)
        parts[name] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def build_xlsx(seed: Path, out_dir: Path, name: str) -> Path:
    """Write the xlsx variant ``name``."""
    builders = {
        "offset_blocks": lambda: offset_blocks(seed, out_dir),
        "stacked_blocks": lambda: stacked_blocks(seed, out_dir),
        "hidden_helper_sheet": lambda: hidden_helper_sheet(seed, out_dir),
        "amounts_and_percent_as_text": lambda: amounts_and_percent_as_text(seed, out_dir),
        "formulas_cached": lambda: formulas(seed, out_dir, True),
        "formulas_uncached": lambda: formulas(seed, out_dir, False),
    }
    return builders[name]()


XLSX_VARIANTS = (
    "offset_blocks", "stacked_blocks", "hidden_helper_sheet", "amounts_and_percent_as_text",
    "formulas_cached", "formulas_uncached",
)

__all__ = ["DOCX_VARIANTS", "XLSX_VARIANTS", "build_docx", "build_xlsx"]
