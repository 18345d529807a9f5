"""xlsx import: the workbook's XML read directly (safely), then the shared layout parser.

The sheets are parsed with lxml under :class:`~app.services.formats.ooxml.SafePackage` (size, ratio
and DTD checks) rather than openpyxl, for two reasons: the formula and its cached value come
in one pass (``<f>`` and ``<v>`` of the same ``<c>``), and the reader stays fast and bounded
on bureau workbooks with thousands of sheets.

Cell values become the text a person sees: a number formatted ``0.00`` reads ``"1.74"``,
a fraction formatted ``0%`` reads ``"25%"``, text stays text (``" "`` stays ``" "``), an empty
cell is None. A formula gives its cached value; without one it is computed (:mod:`.formulas`,
hidden sheets and defined names included); one that cannot be is imported blank with an error
naming sheet and cell (never a silent 0 or an invented number).
"""

from __future__ import annotations

import functools
import posixpath
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from pathlib import Path

from lxml import etree

from app.services.errors import file_error
from app.services.formats.budget_year import YEAR_NAME, year_title
from app.services.formats.file_io import ReadResult
from app.services.formats.grid import GridCell, Line
from app.services.formats.layout import PROJECTS_TITLE
from app.services.formats.layout_parser import UNEXPECTED_PARSE_ERRORS, read_lines
from app.services.formats.ooxml import SafePackage
from app.services.formats.xlsx.formulas import Evaluator, FormulaError, Value

S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
S = f"{{{S_NS}}}"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
MAX_CELLS = 1_000_000  # in all sheets (README "Hostile files")
# XML of one worksheet. Sheets are streamed (memory bounded by one row), so this only bounds
# the time spent on whitespace and ignored elements; rows and cells have their own caps.
MAX_SHEET_BYTES = 64 * 1024 * 1024
MAX_SHEET_ROWS = 10_000  # a unit's tables in one sheet are a few thousand rows
MAX_MERGED_AREA = 5_000_000
MAX_FORMULA_LOOKUPS = 1_000_000

BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%",
    11: "0.00E+00", 12: "# ?/?", 13: "# ??/??", 14: "yyyy/m/d", 15: "d-mmm-yy", 16: "d-mmm",
    17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss",
    22: "yyyy/m/d h:mm", 37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)",
    39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)", 49: "@",
    # Chinese-locale built-ins Excel/WPS write without a <numFmt> entry.
    27: "yyyy\"年\"m\"月\"", 28: "m\"月\"d\"日\"", 29: "m\"月\"d\"日\"", 30: "m-d-yy",
    31: "yyyy\"年\"m\"月\"d\"日\"", 36: "yyyy\"年\"m\"月\"", 50: "yyyy\"年\"m\"月\"",
    57: "yyyy\"年\"m\"月\"", 58: "m\"月\"d\"日\"",
}
_V, _F, _IS, _C = f"{S}v", f"{S}f", f"{S}is", f"{S}c"
_T, _SI = f"{S}t", f"{S}si"
_ROW, _MERGE, _SHEET_DATA = f"{S}row", f"{S}mergeCell", f"{S}sheetData"
_CELL_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


def col_index(letters: str) -> int:
    """``"A"`` -> 1, ``"AB"`` -> 28."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


@functools.lru_cache(maxsize=65536)
def split_ref(ref: str) -> tuple[int, int]:
    """``"B7"`` -> (row 7, column 2)."""
    m = _CELL_REF.match(ref.replace("$", "").upper())
    if not m:
        raise ValueError(ref)
    return int(m.group(2)), col_index(m.group(1))


@dataclass(slots=True)
class RawCell:
    """A cell as stored: its value (str, Decimal, bool or None), format and formula."""

    value: str | Decimal | bool | None
    fmt: str = "General"
    formula: str | None = None
    is_text: bool = False


@dataclass(slots=True)
class Sheet:
    """One worksheet: cells by (row, col), merged ranges, visibility."""

    name: str
    state: str
    cells: dict[tuple[int, int], RawCell] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2


def _text_of(si: etree._Element) -> str:
    """Text of a shared or inline string: ``<t>`` and rich-text runs, phonetics skipped."""
    if len(si) == 1 and si[0].tag == _T:  # the common plain string, without a tree walk
        return si[0].text or ""
    parts = []
    for el in si.iter(f"{S}t", f"{S}rPh"):
        if el.tag == f"{S}t" and el.getparent().tag != f"{S}rPh":
            parts.append(el.text or "")
    return "".join(parts)


class _Workbook:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.notes: list[str] = []
        self.sheets: list[Sheet] = []
        self.names: dict[str, str] = {}  # defined names (workbook scope) -> formula text
        self.local_names: dict[tuple[str, str], str] = {}  # (sheet, name) -> formula text
        self._cells_read = 0
        with SafePackage(path) as pkg:
            pkg.check_all_xml()
            self._read(pkg)

    def _read(self, pkg: SafePackage) -> None:
        wb = pkg.read_xml("xl/workbook.xml")
        rels = self._rels(pkg, "xl/_rels/workbook.xml.rels")
        shared: list[str] = []
        if pkg.has("xl/sharedStrings.xml"):
            # Streamed: a table of millions of strings builds no tree (a cell can use each once).
            for si in pkg.iter_elements("xl/sharedStrings.xml", (_SI,), MAX_SHEET_BYTES):
                shared.append(_text_of(si))
                if len(shared) > MAX_CELLS:
                    raise file_error(self.path, f"的共享字符串表超过{MAX_CELLS}项，不像是绩效目标表")
        formats = self._formats(pkg)
        # Each sheet part is parsed at most once however often the workbook lists it (a
        # 53 KB workbook listing one part 3,000 times took 90 s and 3.9 GB).
        parsed: set[str] = set()
        for sh in wb.iter(f"{S}sheet"):
            name = sh.get("name") or ""
            state = sh.get("state") or "visible"
            target = rels.get(sh.get(f"{{{R_NS}}}id") or "")
            if target is None or not pkg.has(target):
                self.notes.append(f"工作表“{name}”缺少内容，已跳过")
                continue
            if target in parsed:
                self.notes.append(f"工作表“{name}”与前面的工作表是同一内容（{target}），已跳过")
                continue
            parsed.add(target)
            sheet = Sheet(name, state)
            # Hidden sheets are read too: visible formulas refer to them ('数据'!C5).
            self._sheet(pkg, target, sheet, shared, formats)
            self.sheets.append(sheet)
        names = [sh.get("name") or "" for sh in wb.iter(f"{S}sheet")]
        for dn in wb.iter(f"{S}definedName"):
            name, text = dn.get("name") or "", (dn.text or "").strip()
            if not name or not text or name.startswith("_xlnm."):
                continue
            local = dn.get("localSheetId")
            if local is not None and local.isdigit() and int(local) < len(names):
                self.local_names[(names[int(local)], name)] = text
            else:
                self.names[name] = text

    @staticmethod
    def _rels(pkg: SafePackage, name: str) -> dict[str, str]:
        out: dict[str, str] = {}
        if not pkg.has(name):
            return out
        for rel in pkg.read_xml(name).iter(f"{PKG_REL}Relationship"):
            target = rel.get("Target") or ""
            target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            out[rel.get("Id") or ""] = target
        return out

    @staticmethod
    def _formats(pkg: SafePackage) -> list[str]:
        if not pkg.has("xl/styles.xml"):
            return []
        styles = pkg.read_xml("xl/styles.xml")
        custom = {int(f.get("numFmtId", "0")): f.get("formatCode") or "General"
                  for f in styles.iter(f"{S}numFmt")}
        out = []
        xfs = styles.find(f"{S}cellXfs")
        if xfs is not None:
            for xf in xfs.iter(f"{S}xf"):
                fid = int(xf.get("numFmtId", "0") or 0)
                out.append(custom.get(fid) or BUILTIN_FORMATS.get(fid, "General"))
        return out

    def _sheet(self, pkg: SafePackage, part: str, sheet: Sheet, shared: list[str], formats: list[str]) -> None:
        """Read one worksheet as a stream of rows and merged ranges (no tree of the sheet)."""
        shared_formulas: dict[str, tuple[str, int, int]] = {}
        n_rows = 0
        for el in pkg.iter_elements(part, (_ROW, _MERGE), MAX_SHEET_BYTES):
            if el.tag == _MERGE:
                self._merge(el, sheet)
                continue
            if el.getparent() is None or el.getparent().tag != _SHEET_DATA:
                continue
            n_rows += 1
            if n_rows > MAX_SHEET_ROWS:
                raise file_error(self.path, f"的工作表“{sheet.name}”超过{MAX_SHEET_ROWS}行，不像是绩效目标表")
            for c in el.iter(_C):
                self._cells_read += 1
                if self._cells_read > MAX_CELLS:
                    raise file_error(self.path, f"单元格过多（超过{MAX_CELLS}个），不像是绩效目标表")
                ref = c.get("r")
                if not ref:
                    continue
                try:
                    rc = split_ref(ref)
                except ValueError:
                    continue
                # One scan of the children (lxml's find() is slow in a loop of this size).
                v = f = is_el = None
                for child in c:
                    tag = child.tag
                    if tag == _V:
                        v = child
                    elif tag == _F:
                        f = child
                    elif tag == _IS:
                        is_el = child
                cell = self._cell(c, v, is_el, shared, formats)
                if f is not None:
                    if f.get("t") == "shared" and f.get("si") is not None:
                        si = f.get("si") or ""
                        if f.text:
                            shared_formulas[si] = (f.text, *rc)
                        elif si in shared_formulas:
                            cell.formula = _shift_formula(*shared_formulas[si], *rc)
                    cell.formula = cell.formula or f.text or ""
                if cell.value is None and cell.formula is None and c.get("s") is None:
                    continue
                sheet.cells[rc] = cell

    @staticmethod
    def _merge(m: etree._Element, sheet: Sheet) -> None:
        ref = m.get("ref") or ""
        if ":" not in ref:
            return
        a, b = ref.split(":", 1)
        try:
            (r1, c1), (r2, c2) = split_ref(a), split_ref(b)
        except ValueError:
            return
        sheet.merges.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))

    @staticmethod
    def _cell(c: etree._Element, v: etree._Element | None, is_el: etree._Element | None,
              shared: list[str], formats: list[str]) -> RawCell:
        t = c.get("t") or "n"
        try:
            s = int(c.get("s") or 0)
        except ValueError:
            s = 0
        fmt = formats[s] if 0 <= s < len(formats) else "General"
        vtext = v.text if v is not None else None
        if t == "s":
            try:
                return RawCell(shared[int(vtext or "")], fmt, is_text=True)
            except (ValueError, IndexError):
                return RawCell(None, fmt)
        if t == "inlineStr":
            return RawCell(_text_of(is_el) if is_el is not None else "", fmt, is_text=True)
        if t in ("str", "e"):
            # <v></v> is a cached empty text (a formula giving ""), not a missing value.
            return RawCell(vtext if vtext is not None or v is None else "", fmt, is_text=True)
        if t == "b":
            return RawCell(vtext == "1" if vtext is not None else None, fmt)
        if vtext is None or vtext == "":
            return RawCell(None, fmt)
        try:
            number = Decimal(vtext)
        except InvalidOperation:
            return RawCell(vtext, fmt, is_text=True)
        if not _plausible(number):
            # 1E+2147483648 or NaN in a cell: kept as the text written, never computed with
            # (int() of it alone would build a number of two billion digits).
            return RawCell(vtext, fmt, is_text=True)
        return RawCell(number, fmt)


def _shift_formula(text: str, r0: int, c0: int, r: int, c: int) -> str:
    """A shared formula moved from its master cell to (r, c): relative references shift."""
    def shift(m: re.Match[str]) -> str:
        cabs, col, rabs, row = m.group(1), m.group(2), m.group(3), m.group(4)
        nc = col_index(col) + (0 if cabs else c - c0)
        nr = int(row) + (0 if rabs else r - r0)
        return f"{cabs}{_col_letters(nc)}{rabs}{nr}"
    return re.sub(r"(\$?)([A-Z]{1,3})(\$?)(\d+)", shift, text)


def _col_letters(n: int) -> str:
    out = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


# --- display text -------------------------------------------------------------------------


@functools.lru_cache(maxsize=1024)  # per format, not per cell: a workbook has a few dozen
def _decimals(fmt: str) -> int | None:
    m = re.search(r"0\.(0+)", fmt)
    if m:
        return min(len(m.group(1)), 30)  # Excel shows at most 30 places
    return 0 if re.search(r"[0#]", fmt) else None


@functools.lru_cache(maxsize=1024)
def _is_date_format(fmt: str) -> bool:
    bare = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", fmt).lower()
    return bool(re.search(r"[ymd]", bare)) and "general" not in bare


MAX_MAGNITUDE = 40  # decimal exponent of the largest or smallest number a cell may hold


def _plausible(value: Decimal) -> bool:
    return value.is_finite() and (value.is_zero() or abs(value.adjusted()) <= MAX_MAGNITUDE)


def display_text(value: Decimal | str | bool | None, fmt: str) -> str | None:
    """The text Excel/WPS shows for a value under a number format (the subset forms use)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if not _plausible(value):
        return str(value)  # a computed result out of any form's range: shown as is, bounded
    # Enough digits for any plausible number at any number of places (1E+30 as "0.00").
    with localcontext() as ctx:
        ctx.prec = 4 * MAX_MAGNITUDE
        return _number_text(value, fmt)


def _number_text(value: Decimal, fmt: str) -> str:
    section = fmt.split(";")[0] if fmt else "General"
    if section in ("@",):
        return _general(value)
    if "%" in section:
        places = _decimals(section.replace("%", "")) or 0
        pct = (value * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        return f"{pct}%"
    if _is_date_format(section):
        try:
            day = date(1899, 12, 30) + timedelta(days=int(value))
        except (OverflowError, ValueError):
            return _general(value)
        if "年" in section:
            text = f"{day.year}年{day.month}月"
            return text + f"{day.day}日" if "d" in section.lower() else text
        return f"{day.year}/{day.month}/{day.day}"
    if section.lower() == "general" or _decimals(section) is None:
        return _general(value)
    places = _decimals(section) or 0
    q = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{q:,.{places}f}" if "," in section else f"{q:.{places}f}"
    return text


def _general(value: Decimal) -> str:
    """Excel's General format: at most 11 significant digits (0.1+0.2 shows 0.3)."""
    if value == value.to_integral_value() and abs(value) < 10**11:
        return str(value.quantize(Decimal(1)))
    text = format(float(value), ".11g")
    if "e" in text:
        return format(value.normalize(), "f")
    return text


# --- formulas -----------------------------------------------------------------------------


def _resolve(wb: _Workbook, notes: list[str], errors: list[str] | None = None,
             ) -> dict[str, dict[tuple[int, int], str | None]]:
    """Display text of every cell of every visible sheet, formulas without a cached value computed.

    A formula that cannot be computed leaves its cell blank and adds an error naming the sheet
    and the cell (``errors``; into ``notes`` when no error list is given).
    """
    by_name = {s.name: s for s in wb.sheets} | {s.name.upper(): s for s in wb.sheets}
    computed: dict[tuple[str, int, int], Value] = {}
    busy: set[tuple[str, int, int]] = set()
    budget = [MAX_FORMULA_LOOKUPS]  # total work for formulas without cached values

    def lookup(name: str, r: int, c: int) -> Value:
        budget[0] -= 1
        if budget[0] < 0:
            raise FormulaError("计算量过大")
        sheet = by_name.get(name) or by_name.get(name.upper())
        if sheet is None:
            raise FormulaError(f"没有工作表“{name}”")
        cell = sheet.cells.get((r, c))
        if cell is None:
            return None
        if cell.value is not None or not cell.formula:
            return cell.value
        key = (sheet.name, r, c)
        if key in computed:
            return computed[key]
        if key in busy:
            raise FormulaError("循环引用")
        busy.add(key)
        try:
            value = evaluator.evaluate(cell.formula, sheet.name)
        finally:
            busy.discard(key)
        computed[key] = value
        return value

    evaluator = Evaluator(lookup, wb.names, wb.local_names)
    out: dict[str, dict[tuple[int, int], str | None]] = {}
    for sheet in wb.sheets:
        if sheet.state != "visible":
            continue
        texts: dict[tuple[int, int], str | None] = {}
        for (r, c), cell in sheet.cells.items():
            value: Value = cell.value
            if cell.formula and value is None:
                try:
                    value = lookup(sheet.name, r, c)
                    notes.append(f"工作表“{sheet.name}”{_col_letters(c)}{r}：公式没有缓存值，已按公式计算为{display_text(value, cell.fmt)}")
                except (FormulaError, ValueError, InvalidOperation, ArithmeticError, RecursionError) as exc:
                    reason = str(exc) if isinstance(exc, FormulaError) and str(exc) else type(exc).__name__
                    (errors if errors is not None else notes).append(
                        f"工作表“{sheet.name}”{_col_letters(c)}{r}：公式“={cell.formula.lstrip('=')}”没有缓存值且无法计算"
                        f"（{reason}），该单元格按空白导入，请在Excel/WPS中打开并保存后重新导入"
                    )
                    value = None
            texts[(r, c)] = display_text(value, cell.fmt)
        out[sheet.name] = texts
    return out


def sheet_lines(sheet: Sheet, texts: dict[tuple[int, int], str | None], number: int) -> list[Line]:
    """A worksheet as lines of logical cells (merged ranges become one cell)."""
    anchor: dict[tuple[int, int], tuple[int, int]] = {}  # (r, c) -> (rowspan, colspan)
    covered: dict[tuple[int, int], int] = {}  # first column of a continued merge -> colspan
    hidden: set[tuple[int, int]] = set()
    # Merged ranges are clipped to the cells that exist: "A1:XFD1048576" must not expand.
    max_r = max((r for r, _ in texts), default=1)
    max_c = max((c for _, c in texts), default=1)
    area = 0
    for r1, c1, r2, c2 in sheet.merges:
        if r1 > max_r or c1 > max_c:
            continue
        if (r2 - r1 + 1) * (c2 - c1 + 1) > 10_000:
            r2, c2 = min(r2, max(max_r, r1)), min(c2, max(max_c, c1))
        area += (r2 - r1 + 1) * (c2 - c1 + 1)
        if area > MAX_MERGED_AREA:
            raise ValueError("merged area")
        anchor[(r1, c1)] = (r2 - r1 + 1, c2 - c1 + 1)
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    hidden.add((r, c))
            if r > r1:
                covered[(r, c1)] = c2 - c1 + 1
    rows = {r for r, _ in texts} | {r for r, _ in anchor} | {r for r, _ in covered}
    cols_by_row: dict[int, set[int]] = {}
    for r, c in list(texts) + list(anchor) + list(covered):
        cols_by_row.setdefault(r, set()).add(c)
    lines: list[Line] = []
    for r in sorted(rows):
        cells: list[GridCell] = []
        for c in sorted(cols_by_row.get(r, ())):
            if (r, c) in covered:
                cells.append(GridCell("", r - 1, c - 1, covered[(r, c)], 1, covered=True))
                continue
            if (r, c) in hidden:
                continue
            rs, cs = anchor.get((r, c), (1, 1))
            cells.append(GridCell(texts.get((r, c)), r - 1, c - 1, cs, rs))
        # Drop empty single cells at either end: they are formatting, not content.
        while cells and _trivial(cells[0]):
            cells.pop(0)
        while cells and _trivial(cells[-1]):
            cells.pop()
        if not cells:
            continue
        lines.append(Line("row", cells, f"工作表“{sheet.name}”第{r}行", number))
    return lines


def _trivial(cell: GridCell) -> bool:
    return cell.text is None and not cell.covered and cell.colspan == 1 and cell.rowspan == 1


def read_xlsx(path: Path) -> ReadResult:
    """Read an xlsx workbook in the province's layout into transient documents.

    Raises:
        InputError: the file is damaged, unsafe, or holds no performance-target tables.
    """
    path = Path(path)
    try:
        wb = _Workbook(path)
    except (ValueError, *UNEXPECTED_PARSE_ERRORS) as exc:
        raise file_error(path, f"的内容无法解析（{type(exc).__name__}）") from exc
    notes = list(wb.notes)
    errors: list[str] = []
    for sheet in wb.sheets:
        if sheet.state != "visible":
            notes.append(f"隐藏的工作表“{sheet.name}”已跳过")
    texts = _resolve(wb, notes, errors)
    lines: list[Line] = []
    try:
        for n, sheet in enumerate(wb.sheets, start=1):
            if sheet.state == "visible":
                stated = (wb.local_names.get((sheet.name, YEAR_NAME)) or "").strip()
                if len(stated) == 4 and stated.isdigit():
                    # The year our export states for this sheet's unit, as the docx title does.
                    title = year_title(int(stated), PROJECTS_TITLE)
                    lines.append(Line("p", [GridCell(title, 0, 0)], f"工作表“{sheet.name}”"))
                lines.extend(sheet_lines(sheet, texts[sheet.name], n))
    except ValueError as exc:
        raise file_error(path, "的合并单元格范围异常（可能已损坏或是恶意文件）") from exc
    return read_lines(path, lines, "xlsx", notes, errors)
