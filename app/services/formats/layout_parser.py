"""The layout parser shared by the docx and xlsx readers.

Input: the stream of :class:`~app.services.formats.grid.Line` objects of one file. Output: transient
:class:`Document` graphs. Part 1 and every project block are found by their labels, matched
after removing all Unicode whitespace and a trailing ``：``/``:`` (so ``项目\\u3000名称：``
matches ``项目名称``); values are kept exactly as written. A ``出错说明`` table (written by the
exports after a document's projects) is read back into that document's waivers, and a
``审核意见`` table into its opinions (merged by uid when the document is stored).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeVar

from app.models import Document, Indicator, Measure, Opinion, Project, SubGoal, Unit
from app.models.values import squash
from app.services.errors import file_error
from app.services.formats.budget_year import YearDoubt, decide_year, file_name_years, years_in
from app.services.formats.file_io import ReadResult
from app.services.formats.grid import GridCell, Line
from app.services.formats.layout import (
    BUDGET_LABEL,
    CODE_LABEL,
    EXPECTED_LAYOUT,
    GOAL_LABEL,
    INDICATOR_COLUMNS,
    INDICATOR_FIRST,
    INDICATOR_HEADER_FIELDS,
    OPINION_HEADERS,
    OPINION_KEY_HEADER,
    OPINION_TITLE,
    PAIR_LABELS,
    PLAN_LABEL_PREFIX,
    PLAN_MONTH_FIELDS,
    WAIVER_HEADERS,
    WAIVER_TITLE,
    label,
)
from app.services.formats.opinion_table import opinion_from_cells
from app.services.formats.waiver_table import WaiverEntry, attach_waivers, waiver_from_cells

HEADING_RE = re.compile(r"^\s*(\d+)\s*[.．、]\s*(.*?)\s*绩效目标表\s*$", re.S)
UNIT_TAIL_RE = re.compile(r"[\s\u3000\xa0]*单位[：:][\s\u3000\xa0]*万元[\s\u3000\xa0]*$")
BARE_UNIT_RE = re.compile(r"^[\s\u3000\xa0]*\d{6,}[^\d\s]\S{0,60}[\s\u3000\xa0]*$")
UNIT_LINE_RE = re.compile(r"^[\s\u3000\xa0]*(\d{3,})\S")
SUBGOAL_RE = re.compile(r"^\s*（([一二三四五六七八九十百零〇]+)）\s*(.*)$", re.S)
MEASURE_RE = re.compile(r"^\s*(\d+)\s*[、.．](?!\d)\s*(.*)$", re.S)
TEXT_LABEL_RE = re.compile(r"^\s*(绩\s*效\s*(目\s*标|评\s*价|指\s*标)\s*[：:])(.*)$", re.S)
SECTION_RE = {
    "overall": re.compile(r"^[一1][、.．]?总体绩效目标"),
    "subgoals": re.compile(r"^[二2][、.．]?分项绩效目标"),
    "measures": re.compile(r"^[三3][、.．]?工作保障措施"),
}
PART1_TITLES = {"第一部分", "部门整体绩效目标"}
PROJECTS_TITLE = "预算项目绩效目标"
TITLE_YEAR_RE = re.compile(r"^(20\d\d)年度?")
T = TypeVar("T")


@dataclass(slots=True)
class ParseResult:
    """Documents found and notes about what was skipped or inferred."""

    documents: list[Document] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # content with values that was not imported
    year_doubts: list[YearDoubt] = field(default_factory=list)  # years the user must confirm


@dataclass(slots=True)
class _Part1:
    has: bool = False
    overall_label: str | None = None
    overall_lines: list[str] = field(default_factory=list)
    subgoals_label: str | None = None
    measures_label: str | None = None
    subgoals: list[SubGoal] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    unit_line: str | None = None
    where: str = ""


@dataclass(slots=True)
class _Block:
    project: Project
    unit_line: str | None


def split_unit_line(text: str) -> tuple[str, str]:
    """``"422001曹妃甸区…本级"`` -> (``"422001"``, ``"曹妃甸区…本级"``)."""
    s = text.strip(" \t\r\n\u3000\xa0")
    m = re.match(r"^(\d+)(.*)$", s, re.S)
    if not m:
        return "", s
    return m.group(1), m.group(2).strip(" \u3000\xa0")


def _unit_line_from(line: Line) -> str | None:
    """The unit-line text if ``line`` is a unit line in any of its three forms."""
    filled = line.filled()
    if not filled:
        return None
    if len(filled) >= 2 and label(filled[-1].text) in ("单位：万元", "单位:万元"):
        first = filled[0].text or ""
        return first if UNIT_LINE_RE.match(first) else None
    if len(filled) == 1:
        text = filled[0].text or ""
        if UNIT_TAIL_RE.search(text) and UNIT_LINE_RE.match(text):
            return UNIT_TAIL_RE.sub("", text).lstrip(" \u3000\xa0")
    return None


def _single_text(line: Line) -> str | None:
    """The text of a paragraph or of a row holding a single filled cell."""
    if line.kind == "p":
        return line.cells[0].text or ""
    filled = line.filled()
    if len(filled) == 1 and not any(c.covered for c in line.cells):
        return filled[0].text
    return None


def _is_heading(line: Line) -> re.Match[str] | None:
    text = _single_text(line)
    return HEADING_RE.match(text) if text else None


def _first_label(line: Line) -> str:
    for c in line.cells:
        if c.covered:
            return ""
        if c.text is not None and c.text.strip():
            return label(c.text)
    return ""


def _value(text: str | None) -> str | None:
    """A value cell as stored: text exactly as written; a cell with no characters -> None."""
    return text if text else None


class _Parser:
    def __init__(self, lines: list[Line], source_name: str, source_kind: str = "docx") -> None:
        self.lines = lines
        self.source_name = source_name
        self.source_kind = source_kind
        self.notes: list[str] = []
        self.errors: list[str] = []  # content with values inside a project that was not imported
        self.title_years: list[int] = []  # years the document's titles state
        # (group number, unit line of the document it follows, rows): a 出错说明 table
        # belongs to the document whose projects (or part 1) it follows.
        self.waivers: list[tuple[int, str, list[WaiverEntry]]] = []
        self.opinions: list[tuple[int, str, list[Opinion]]] = []  # 审核意见 tables, likewise

    # -- 出错说明 --------------------------------------------------------------------------

    def _parse_table(self, start: int, title: str, headers: tuple[str, ...], needed: set[str],
                     parse_row: Callable[[dict[str, str], str, list[str]], T | None]) -> tuple[list[T], int]:
        """The rows of the 出错说明 / 审核意见 table after its title at ``lines[start - 1]``."""
        n = len(self.lines)
        i = start
        while i < n and not self.lines[i].filled():
            i += 1
        header = self.lines[i] if i < n else None
        cols = {c.col: label(c.text) for c in header.cells
                if not c.covered and label(c.text) in headers} if header is not None else {}
        if header is None or header.kind != "row" or not needed <= set(cols.values()):
            self.notes.append(f"{self.lines[start - 1].where}：“{title}”下没有可识别的表格，已跳过")
            return [], i
        entries: list[T] = []
        i += 1
        while i < n:
            line = self.lines[i]
            if line.kind != "row" or line.table != header.table:
                break
            values = {cols[c.col]: c.text or "" for c in line.cells if not c.covered and c.col in cols}
            entry = parse_row(values, line.where, self.notes)
            if entry is not None:
                entries.append(entry)
            i += 1
        return entries, i

    # -- projects ----------------------------------------------------------------------

    def _parse_block(self, start: int) -> tuple[Project, int]:
        """Parse the basic table from ``lines[start]`` (the 项目编码 row) and its indicators."""
        p = Project()
        i = start
        section = ""
        month_cols: dict[int, str] = {}
        n = len(self.lines)
        base_col = next((c.col for c in self.lines[start].cells if not c.covered), 0)
        found_header = False
        while i < n:
            line = self.lines[i]
            first = _first_label(line)
            if line.kind == "row" and line.cells:
                lead = line.cells[0]
                if lead.col > base_col and not lead.covered:
                    first = ""  # a row starting late (gridBefore) continues the merged label on its left
                elif lead.col == base_col and not lead.covered and not (lead.text or "").strip():
                    first = ""  # a label cell split from the one above (拆分单元格): a continuation
            if i > start and (first == CODE_LABEL or _is_heading(line) or _unit_line_from(line)):
                break
            if first == INDICATOR_FIRST:
                found_header = True
                break
            if line.kind == "p":
                if (line.cells[0].text or "").strip():
                    break  # a text paragraph ends the block (no indicator table)
                i += 1
                continue
            # The label column's own cell (empty after a split, or covered) holds no value.
            cells = [c for c in line.cells if not (c.col == base_col and not c.covered and not first
                                                   and not (c.text or "").strip())]
            if first == BUDGET_LABEL:
                section = "budget"
            elif first.startswith(PLAN_LABEL_PREFIX):
                section = "plan"
                month_cols = {c.col: PLAN_MONTH_FIELDS[label(c.text)] for c in cells
                              if not c.covered and label(c.text) in PLAN_MONTH_FIELDS}
                i += 1
                continue
            elif first == GOAL_LABEL:
                rest = [c for c in cells[1:] if not c.covered]
                p.goal = _value(rest[0].text) if rest else None
                section = "goal"
                i += 1
                continue
            if first in PAIR_LABELS or first == BUDGET_LABEL:
                self._pairs(p, cells)
            elif not first and section == "budget":
                rest = [c for c in cells if not c.covered]
                if rest:
                    p.purpose = _value("\n".join(c.text or "" for c in rest) if len(rest) > 1 else rest[0].text)
            elif not first and section == "plan":
                for c in cells:
                    if not c.covered and c.col in month_cols:
                        setattr(p, month_cols[c.col], _value(c.text))
            elif line.filled():
                self.errors.append(f"{line.where}：项目“{p.code or p.name or ''}”中无法识别的内容未导入（{_preview(line)}）")
            i += 1
        if not found_header:
            self.errors.append(
                f"{self.lines[start].where}：项目“{p.code or p.name or ''}”没有可识别的指标表"
                f"（应有表头“{' | '.join(c.header for c in INDICATOR_COLUMNS)}”），指标未导入"
            )
            return p, i
        return p, self._parse_indicators(p, i)

    def _header_columns(self, header: Line) -> dict[int, str]:
        """Grid column -> field of an indicator header row (exact headers before aliases)."""
        cols: dict[int, str] = {}
        taken: set[str] = set()
        live = [c for c in header.cells if not c.covered]
        exact = {label(c.header): c.field for c in INDICATOR_COLUMNS}
        for c in live:
            f = exact.get(label(c.text))
            if f is not None and f not in taken:
                cols[c.col] = f
                taken.add(f)
        for c in live:
            f = INDICATOR_HEADER_FIELDS.get(label(c.text))
            if c.col in cols or f is None or (f in taken and not f.startswith("value_")):
                continue
            cols[c.col] = f
            taken.add(f)
        return cols

    def _parse_indicators(self, p: Project, i: int) -> int:
        """The indicator table from its header row ``lines[i]``; returns the line after it."""
        n = len(self.lines)
        header = self.lines[i]
        cols = self._header_columns(header)
        unknown = {c.col: (c.text or "").strip() for c in header.cells
                   if not c.covered and c.col not in cols and (c.text or "").strip()}
        missing = [c.header for c in INDICATOR_COLUMNS if c.field not in cols.values()]
        if missing:  # nothing is lost (the file has no such column): a note, not an error
            self.notes.append(f"{header.where}：项目“{p.code or p.name or ''}”的指标表缺少"
                               f"{'、'.join(f'“{m}”' for m in missing)}列")
        table = header.table
        i += 1
        group: str | None = None
        position = 0
        lost_rows = 0
        while i < n:
            line = self.lines[i]
            if line.kind != "row":
                break
            if line.table != table:
                break
            first = _first_label(line)
            if first == INDICATOR_FIRST and self._header_columns(line) == cols:
                i += 1  # the header repeated (a page break in a pasted table)
                continue
            if first in (CODE_LABEL, INDICATOR_FIRST):
                break
            # Headings and unit lines have one or two filled cells; indicator rows have more.
            if len(line.filled()) <= 2 and (
                _is_heading(line) or _unit_line_from(line)
                or (self.source_kind != "docx" and _looks_like_text(line, cols))
            ):
                break
            values: dict[str, str | None] = {}
            prefix = suffix = None
            lost = False
            for c in line.cells:
                f = cols.get(c.col)
                if f is None:
                    lost = lost or bool(c.text and c.text.strip() and not c.covered)
                    continue
                if f == "level1":
                    if c.covered:
                        values[f] = group
                        continue
                    group = c.text
                if f == "value_prefix":
                    prefix = None if c.covered else c.text
                elif f == "value_suffix":
                    suffix = None if c.covered else c.text
                else:
                    values[f] = _value(c.text)
            if prefix or suffix:
                values["value_raw"] = f"{prefix or ''}{values.get('value_raw') or ''}{suffix or ''}"
            lost_rows += lost
            # One constructor call: every ORM attribute set costs, and there are 50,000 rows
            # in a bureau file.
            p.indicators.append(Indicator(position=position, **values))
            position += 1
            i += 1
        if lost_rows:
            named = "、".join(f"“{t[:10]}”" for t in unknown.values()) or "表头以外"
            self.errors.append(f"{header.where}：项目“{p.code or p.name or ''}”的指标表中{named}列的内容"
                               f"（{lost_rows}行）无法对应到指标字段，未导入")
        return i

    def _pairs(self, p: Project, cells: list[GridCell]) -> None:
        live = [c for c in cells if not c.covered]
        for k, c in enumerate(live):
            f = PAIR_LABELS.get(label(c.text))
            if f is None:
                continue
            value = live[k + 1].text if k + 1 < len(live) else None
            if value is not None and label(value) in PAIR_LABELS:
                value = None  # the value cell is missing: the next cell is a label
            setattr(p, f, _value(value))

    # -- whole stream ------------------------------------------------------------------

    def parse(self) -> tuple[list[tuple[_Part1 | None, list[_Block]]], list[str]]:
        """Split the stream into units: (part 1 or None, project blocks) in order."""
        groups: list[tuple[_Part1 | None, list[_Block]]] = []
        part1: _Part1 | None = None
        blocks: list[_Block] = []
        heading: tuple[int, str] | None = None
        unit_line: str | None = None
        part1_lines: list[Line] = []
        in_projects = False
        i = 0
        n = len(self.lines)
        while i < n:
            line = self.lines[i]
            text = _single_text(line)
            sq = label(text) if text is not None else ""
            sq, title_year = _title_key(sq)
            if title_year is not None and (sq in PART1_TITLES or sq == PROJECTS_TITLE):
                self.title_years.append(title_year)  # 2024年部门整体绩效目标
            if sq in PART1_TITLES or (text is not None and not in_projects and _section_of(sq)):
                if blocks or (part1 is not None and in_projects):
                    groups.append((part1, blocks))
                    part1, blocks = None, []
                if part1 is None:
                    part1 = _Part1(has=True, where=line.where)
                in_projects = False
                part1_lines.append(line)
                i += 1
                seen_section = bool(_section_of(sq))
                # Part 1 runs until the projects title, a heading, a unit line or a table.
                while i < n:
                    nxt = self.lines[i]
                    if nxt.kind == "row" and not nxt.filled() and not any(c.covered for c in nxt.cells):
                        i += 1  # an empty (possibly merged) row
                        continue
                    t = _single_text(nxt)
                    if (t is None or _title_key(label(t))[0] in (PROJECTS_TITLE, WAIVER_TITLE, OPINION_TITLE) or _is_heading(nxt)
                            or _first_label(nxt) == CODE_LABEL):
                        break
                    seen_section = seen_section or bool(_section_of(label(t)))
                    ul = _unit_line_from(nxt)
                    if ul is None and not seen_section and BARE_UNIT_RE.match(t):
                        ul = t.strip()  # a part-1-only file names its unit under the title
                    if ul:
                        if _next_is_block(self.lines, i + 1):
                            break
                        part1.unit_line = ul
                        i += 1
                        continue
                    part1_lines.append(nxt)
                    i += 1
                _fill_part1(part1, part1_lines)
                part1_lines = []
                continue
            if sq == PROJECTS_TITLE:
                in_projects = True
                i += 1
                continue
            if sq in (WAIVER_TITLE, OPINION_TITLE):
                owner = (blocks[-1].unit_line if blocks else None) or (part1.unit_line if part1 else None) or ""
                if sq == WAIVER_TITLE:
                    waivers, i = self._parse_table(i + 1, sq, WAIVER_HEADERS, {"规则", "说明"}, waiver_from_cells)
                    self.waivers.append((len(groups), owner, waivers))
                else:
                    opinions, i = self._parse_table(i + 1, sq, (*OPINION_HEADERS, OPINION_KEY_HEADER),
                                                    {"审核意见", OPINION_KEY_HEADER}, opinion_from_cells)
                    self.opinions.append((len(groups), owner, opinions))
                continue
            m = _is_heading(line)
            if m:
                heading = (int(m.group(1)), text or "")
                in_projects = True
                i += 1
                continue
            ul = _unit_line_from(line)
            if ul:
                unit_line = ul
                i += 1
                continue
            if _first_label(line) == CODE_LABEL:
                project, i = self._parse_block(i)
                if heading is not None:
                    project.seq, project.heading = heading
                blocks.append(_Block(project, unit_line))
                heading = None
                in_projects = True
                continue
            if text is not None and not blocks and heading is None and len(sq) <= 40 and years_in(text):
                self.title_years += years_in(text)  # a document title: 2024年部门预算绩效目标
            if line.filled() and (text is None or sq not in PART1_TITLES):
                self.notes.append(f"{line.where}：未识别的内容已跳过（{_preview(line)}）")
            i += 1
        if part1 is not None or blocks:
            groups.append((part1, blocks))
        return groups, self.notes


def _title_key(sq: str) -> tuple[str, int | None]:
    """A title without its year prefix: ``2024年度部门整体绩效目标`` -> (``部门整体绩效目标``, 2024)."""
    m = TITLE_YEAR_RE.match(sq)
    if m and len(sq) > m.end():
        return sq[m.end():], int(m.group(1))
    return sq, None


def _looks_like_text(line: Line, cols: dict[int, str]) -> bool:
    """In a sheet, a row with a single cell spanning the table is a paragraph, not an indicator."""
    filled = line.filled()
    return len(filled) == 1 and filled[0].colspan >= max(len(cols), 2) and not line.cells[0].covered


def _next_is_block(lines: list[Line], i: int) -> bool:
    while i < len(lines) and not lines[i].filled():
        i += 1
    return i < len(lines) and _first_label(lines[i]) == CODE_LABEL


def _found(lines: list[Line]) -> str:
    """What a foreign file holds, for its refusal: its first table row (a header), else its first text."""
    rows = [ln for ln in lines if ln.kind == "row" and len(ln.filled()) >= 2]
    texts = [ln for ln in lines if ln.filled()]
    if rows:
        return f"{rows[0].where}“{_preview(rows[0], 60)}”"
    if texts:
        return f"{texts[0].where}“{_preview(texts[0], 60)}”"
    return "没有任何文字"


def _preview(line: Line, limit: int = 30) -> str:
    text = " | ".join((c.text or "").strip() for c in line.filled())
    return text[:limit] + ("…" if len(text) > limit else "")


def _section_of(sq: str) -> str | None:
    for name, rx in SECTION_RE.items():
        if rx.match(sq):
            return name
    return None


def _fill_part1(part1: _Part1, lines: list[Line]) -> None:
    section: str | None = None
    target: tuple[object, str] | None = None  # (object, attribute) receiving continuation lines
    for line in lines:
        text = _single_text(line) or ""
        sq = squash(text)
        if not sq:
            continue
        if _title_key(label(text))[0] in PART1_TITLES:
            continue
        sec = _section_of(sq)
        if sec:
            section, target = sec, None
            continue
        if section == "overall":
            if part1.overall_label is None and not part1.overall_lines and sq.endswith(("：", ":")) and len(sq) <= 16:
                part1.overall_label = text
            else:
                part1.overall_lines.append(text)
        elif section == "subgoals":
            m = SUBGOAL_RE.match(text)
            lm = TEXT_LABEL_RE.match(text)
            if part1.subgoals_label is None and not part1.subgoals and label(text) == "分项绩效目标":
                part1.subgoals_label = text
            elif m:
                sg = SubGoal(position=len(part1.subgoals), title=m.group(2))
                part1.subgoals.append(sg)
                target = None
            elif lm and part1.subgoals:
                sg = part1.subgoals[-1]
                kind = squash(lm.group(2))
                attr = "indicator" if kind == "指标" else "goal"
                setattr(sg, f"{attr}_label", lm.group(1))
                setattr(sg, f"{attr}_text", lm.group(3))
                target = (sg, f"{attr}_text")
            elif target is not None:
                _append(target, text)
            elif part1.subgoals:
                _append((part1.subgoals[-1], "goal_text"), text)
        elif section == "measures":
            m = MEASURE_RE.match(text)
            if part1.measures_label is None and not part1.measures and label(text) == "工作保障措施":
                part1.measures_label = text
            elif m:
                title, rest = _split_measure(m.group(2))
                ms = Measure(position=len(part1.measures), title=title, text=rest)
                part1.measures.append(ms)
                target = (ms, "text")
            elif target is not None:
                _append(target, text)
        else:
            part1.overall_lines.append(text)


def _split_measure(rest: str) -> tuple[str, str | None]:
    """``完善制度建设。  制定…`` -> title ``完善制度建设。`` and text ``  制定…`` (spaces kept).

    The leading spaces tell the writer to print title and text in one paragraph again.
    """
    m = re.match(r"^(.*?[。.．])([\s\u3000\xa0]+\S.*)$", rest, re.S)
    if m:
        return m.group(1), m.group(2)
    return rest, None


def _append(target: tuple[object, str], text: str) -> None:
    obj, attr = target
    old = getattr(obj, attr)
    setattr(obj, attr, f"{old}\n{text}" if old else text)


def parse_lines(lines: list[Line], source_name: str, kind: str = "docx") -> ParseResult:
    """Turn the line stream of one file into transient documents.

    Args:
        lines: the file's paragraphs and rows in order.
        source_name: the file name (used to infer a year or unit when the content lacks one).
        kind: "docx" or "xlsx" (a docx indicator table ends with its table).

    Raises:
        ValueError: the content names no unit (message in Chinese, without the file name).
    """
    parser = _Parser(lines, source_name, kind)
    groups, notes = parser.parse()
    result = ParseResult(notes=notes, errors=parser.errors)
    docs: dict[tuple[str, int], Document] = {}
    units: dict[str, Unit] = {}
    waivers: dict[tuple[int, str], list[WaiverEntry]] = {}
    for gi, owner, entries in parser.waivers:
        waivers.setdefault((gi, owner), []).extend(entries)
    pending: list[tuple[Document, list[WaiverEntry]]] = []
    opinions: dict[tuple[int, str], list[Opinion]] = {}
    for gi, owner, rows in parser.opinions:
        opinions.setdefault((gi, owner), []).extend(rows)
    for gi, (part1, blocks) in enumerate(groups):
        # Projects of one group may name different units (bureau files): split by unit line.
        by_line: dict[str, list[Project]] = {}
        for b in blocks:
            key = b.unit_line or (part1.unit_line if part1 else None) or ""
            by_line.setdefault(key, []).append(b.project)
        if not by_line:
            by_line[part1.unit_line or "" if part1 else ""] = []
        for k, (unit_line, projects) in enumerate(by_line.items()):
            code, name = split_unit_line(unit_line) if unit_line else ("", "")
            if not code:
                m = re.match(r"^(\d{6,})", source_name)
                code = m.group(1) if m else ""
                if code:
                    result.notes.append(f"文件中没有单位行，单位编码{code}取自文件名")
            if not code:
                raise ValueError("中没有单位行（如“422001单位名称　单位：万元”），无法确定单位")
            texts = [p.heading or "" for p in projects]
            if part1 is not None and k == 0:
                texts += part1.overall_lines
            decision = decide_year(
                [("标题", parser.title_years), ("单位行", years_in(unit_line)),
                 ("文件名", file_name_years(source_name))],
                [p.code or "" for p in projects], texts)
            year = decision.year if decision.year is not None else date.today().year
            if decision.doubt is not None:
                result.year_doubts.append(YearDoubt(code, year, decision.doubt, decision.candidates or [year]))
            elif decision.source != "项目编码":
                result.notes.append(f"单位{code}：预算年度{year}取自{decision.source}")
            unit = units.get(code)
            if unit is None:
                unit = Unit(code=code, name=name)
                units[code] = unit
            elif not unit.name and name:
                unit.name = name
            doc = docs.get((code, year))
            if doc is None:
                doc = Document(unit=unit, year=year, unit_line=unit_line or None)
                docs[(code, year)] = doc
                result.documents.append(doc)
            if part1 is not None and k == 0 and part1.has:
                _apply_part1(doc, part1)
            for p in projects:
                p.position = len(doc.projects)
                doc.projects.append(p)
            doc.opinions.extend(opinions.pop((gi, unit_line), []))
            entries = waivers.pop((gi, unit_line), [])
            if entries:
                pending.append((doc, entries))
    # Project numbers in a 出错说明 table count the document's projects: attach at the end.
    for doc, entries in pending:
        attach_waivers(doc, entries, result.notes)
    lost = sum(len(e) for e in waivers.values())
    if lost:
        result.notes.append(f"已跳过出错说明{lost}条（找不到所属的绩效目标）")
    lost = sum(len(e) for e in opinions.values())
    if lost:
        result.notes.append(f"已跳过审核意见{lost}条（找不到所属的绩效目标）")
    for doc in result.documents:
        regions = [p.code[:6] for p in doc.projects if p.code and len(p.code) >= 6 and p.code[:6].isdigit()]
        if regions and not doc.unit.region_code:
            doc.unit.region_code = Counter(regions).most_common(1)[0][0]
    return result


def _apply_part1(doc: Document, part1: _Part1) -> None:
    doc.has_part1 = True
    doc.overall_label = part1.overall_label
    doc.overall_text = "\n".join(part1.overall_lines) if part1.overall_lines else None
    doc.subgoals_label = part1.subgoals_label
    doc.measures_label = part1.measures_label
    doc.subgoals = part1.subgoals
    doc.measures = part1.measures


# Errors no file seen so far causes; they still reach the user as one line, not a traceback.
UNEXPECTED_PARSE_ERRORS = (RecursionError, MemoryError, KeyError, IndexError, TypeError, AttributeError)


def read_lines(path: Path, lines: list[Line], kind: str, notes: list[str] | None = None,
               errors: list[str] | None = None) -> ReadResult:
    """Parse the line stream of a docx or xlsx file into a :class:`ReadResult`.

    Raises:
        InputError: the content cannot be parsed or holds no performance-target tables.
    """
    try:
        parsed = parse_lines(lines, path.name, kind)
    except ValueError as exc:
        raise file_error(path, str(exc)) from exc
    except UNEXPECTED_PARSE_ERRORS as exc:
        raise file_error(path, f"的内容无法解析（{type(exc).__name__}）") from exc
    if not parsed.documents:
        raise file_error(path, f"中没有找到部门整体绩效目标或{EXPECTED_LAYOUT}；文件中是：{_found(lines)}")
    return ReadResult(path, kind, parsed.documents, [*(notes or []), *parsed.notes],
                      [*(errors or []), *parsed.errors], parsed.year_doubts)
