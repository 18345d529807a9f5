"""Hand-made hostile files, built from the seed documents on demand (not stored: some are
large). Each builder writes one file and returns its path; the tests and
``bench/bench_hostile.py`` run them through the program."""

from __future__ import annotations

import itertools
import json
import random
import re
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SEED_DOCX = FIXTURES / "seed.docx"
SEED_XLSX = FIXTURES / "seed.xlsx"
GOOD_JSON = FIXTURES / "good_document.json"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _parts(src: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(src) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


def _write_zip(dst: Path, parts: list[tuple[str, bytes]]) -> Path:
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in parts:
            zf.writestr(name, body)
    return dst


def _replace(src: Path, dst: Path, name: str, body: bytes) -> Path:
    return _write_zip(dst, [(n, body if n == name else b) for n, b in _parts(src)])


def _body_insert(xml: bytes, fragment: bytes) -> bytes:
    """Insert ``fragment`` as the first children of ``w:body``."""
    i = xml.index(b"<w:body>") + len(b"<w:body>")
    return xml[:i] + fragment + xml[i:]


def corrupt_deflate(dst: Path) -> Path:
    """word/document.xml's deflate stream damaged; the zip directory still valid."""
    data = bytearray(SEED_DOCX.read_bytes())
    with zipfile.ZipFile(SEED_DOCX) as zf:
        info = zf.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k in range(40, 80):
        data[start + k] ^= 0x5A
    dst.write_bytes(bytes(data))
    return dst


def version_needed(dst: Path) -> Path:
    """A part whose local header asks for an unknown compression method."""
    data = bytearray(SEED_XLSX.read_bytes())
    with zipfile.ZipFile(SEED_XLSX) as zf:
        info = zf.getinfo("xl/workbook.xml")
    struct.pack_into("<H", data, info.header_offset + 4, 99)  # local header: version needed
    name = info.filename.encode()
    pos = data.find(b"PK\x01\x02")
    while pos >= 0:
        if data[pos + 46:pos + 46 + len(name)] == name:
            struct.pack_into("<H", data, pos + 6, 99)  # version needed to extract: 9.9
            break
        pos = data.find(b"PK\x01\x02", pos + 4)
    dst.write_bytes(bytes(data))
    return dst


def sheet_listed_many_times(dst: Path, times: int = 3000) -> Path:
    """A workbook listing its first sheet part ``times`` times."""
    parts = dict(_parts(SEED_XLSX))
    wb = parts["xl/workbook.xml"].decode()
    first = wb.index("<sheet ")
    end = wb.index("/>", first) + 2
    sheet = wb[first:end]
    many = "".join(sheet.replace('name="', f'name="S{k}_', 1) for k in range(times))
    parts["xl/workbook.xml"] = (wb[:first] + many + wb[end:]).encode()
    return _write_zip(dst, list(parts.items()))


def huge_paragraph(dst: Path, megabytes: int = 40) -> Path:
    """One paragraph of ``megabytes`` of XML (runs of random text: not a zip bomb by ratio)."""
    rng = random.Random(1)
    runs = []
    size = 0
    while size < megabytes * 1024 * 1024:
        text = "".join(chr(rng.randint(0x4E00, 0x9FFF)) for _ in range(64)).encode()
        run = b"<w:r><w:t>" + text + b"</w:t></w:r>"
        runs.append(run)
        size += len(run)
    doc = dict(_parts(SEED_DOCX))["word/document.xml"]
    return _replace(SEED_DOCX, dst, "word/document.xml", _body_insert(doc, b"<w:p>" + b"".join(runs) + b"</w:p>"))


def huge_table(dst: Path, rows: int = 200_000) -> Path:
    """A table of ``rows`` small rows (a few hundred KB zipped)."""
    rng = random.Random(2)
    body = b"".join(
        b"<w:tr><w:tc><w:p><w:r><w:t>%d</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc></w:tr>" % rng.randrange(10**9)
        for _ in range(rows)
    )
    tbl = b"<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>" + body + b"</w:tbl>"
    doc = dict(_parts(SEED_DOCX))["word/document.xml"]
    return _replace(SEED_DOCX, dst, "word/document.xml", _body_insert(doc, tbl))


def empty_rows(dst: Path, rows: int = 200_000) -> Path:
    """A table of ``rows`` empty rows: a few KB zipped, small enough XML to pass the size caps."""
    tbl = b"<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid>" + b"<w:tr/>" * rows + b"</w:tbl>"
    doc = dict(_parts(SEED_DOCX))["word/document.xml"]
    return _replace(SEED_DOCX, dst, "word/document.xml", _body_insert(doc, tbl))


def huge_numbers(dst: Path) -> Path:
    """Numeric cells holding 1E+2147483648, NaN, a 5,000-digit number and 1E+30 (a few KB)."""

    parts = dict(_parts(SEED_XLSX))
    values = [b"1E+2147483648", b"NaN", b"9" * 5000, b"1E+30", b"-1E+999999", b"1E-999999"]
    cycled = itertools.cycle(values)
    for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        parts[name] = re.sub(rb'(<c [^>]*t="n"[^>]*>(?:<f>[^<]*</f>)?<v>)[^<]*(</v>)',
                             lambda m: m.group(1) + next(cycled) + m.group(2), parts[name])
    return _write_zip(dst, list(parts.items()))


def dtd_after_comment(dst: Path) -> Path:
    """A DTD declared after a 64 KB comment, and an entity used in the text."""
    doc = dict(_parts(SEED_DOCX))["word/document.xml"]
    decl, rest = doc.split(b"?>", 1)
    head = decl + b"?>\n<!--" + b"x" * 70_000 + b'-->\n<!DOCTYPE w:document [<!ENTITY u "">]>'
    rest = rest.replace("预算".encode(), "预算&u;".encode(), 1)
    return _replace(SEED_DOCX, dst, "word/document.xml", head + rest)


def entity_without_dtd(dst: Path) -> Path:
    """An entity reference with no DTD at all ("预算&u;200.00万元")."""
    doc = dict(_parts(SEED_DOCX))["word/document.xml"]
    return _replace(SEED_DOCX, dst, "word/document.xml", doc.replace("预算".encode(), "预算&u;".encode(), 1))


def many_projects(dst: Path, count: int = 3300) -> Path:
    """One unit whose document has ``count`` projects (the cross-project rules' worst case)."""
    data = json.loads(GOOD_JSON.read_text(encoding="utf-8"))
    doc = data["documents"][0]
    template = doc["projects"][0]
    doc["projects"] = []
    for k in range(count):
        p = json.loads(json.dumps(template))
        p["seq"] = k + 1
        p["code"] = f"P{k:06d}"
        p["name"] = f"{template['name']}{k}"
        doc["projects"].append(p)
    doc["waivers"] = []
    dst.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return dst


def deep_json(dst: Path) -> Path:
    """JSON nested 200,000 levels deep."""
    dst.write_text('{"format": "perfgoals", "version": 1, "documents": ' + "[" * 200_000 + "]" * 200_000 + "}")
    return dst


BUILDERS: dict[str, tuple[str, Callable[[Path], Path]]] = {
    "corrupt_deflate": ("docx", corrupt_deflate),
    "version_needed": ("xlsx", version_needed),
    "sheet_listed_3000_times": ("xlsx", sheet_listed_many_times),
    "paragraph_40mb": ("docx", huge_paragraph),
    "table_200k_rows": ("docx", huge_table),
    "table_200k_empty_rows": ("docx", empty_rows),
    "dtd_after_comment": ("docx", dtd_after_comment),
    "huge_numbers": ("xlsx", huge_numbers),
    "entity_without_dtd": ("docx", entity_without_dtd),
    "projects_3300": ("json", many_projects),
    "deep_json": ("json", deep_json),
}


def build(name: str, folder: Path) -> Path:
    """Write hostile file ``name`` into ``folder``."""
    kind, fn = BUILDERS[name]
    return fn(folder / f"{name}.{kind}")


def zipped_size(path: Path) -> int:
    """Size on disk (for the bench's table)."""
    return path.stat().st_size





def big_sheet(dst: Path, megabytes: int = 10) -> Path:
    """One worksheet of ``megabytes`` of numeric cells (about 1 MB zipped)."""
    parts = dict(_parts(SEED_XLSX))
    rows, size, r = [], 0, 1
    while size < megabytes * 1024 * 1024:
        row = b'<row r="%d">' % r + b"".join(b'<c r="%s%d"><v>%d</v></c>' % (c, r, r * 7 % 9973)
                                              for c in (b"A", b"B", b"C", b"D", b"E", b"F")) + b"</row>"
        rows.append(row)
        size += len(row)
        r += 1
    name = "xl/worksheets/sheet1.xml"
    head = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    parts[name] = head + b"".join(rows) + b"</sheetData></worksheet>"
    return _write_zip(dst, list(parts.items()))


BUILDERS["sheet_10mb"] = ("xlsx", big_sheet)
BUILDERS["sheet_7mb_33k_rows"] = ("xlsx", lambda dst: big_sheet(dst, 7))


def cells_near_cap(dst: Path, sheets: int = 10, rows: int = 9_900, cols: int = 10) -> Path:
    """``sheets`` worksheets of ``rows`` × ``cols`` numeric and text cells: just under the
    1M-cell cap and the 10k-row cap per sheet (a few MB zipped)."""
    parts = dict(_parts(SEED_XLSX))
    letters = [chr(ord("A") + k).encode() for k in range(cols)]
    body = b"".join(
        b'<row r="%d">' % r + b"".join(
            (b'<c r="%s%d"><v>%d</v></c>' % (c, r, r * 7 % 9973)) if k % 2 else
            (b'<c r="%s%d" t="inlineStr"><is><t>x%d</t></is></c>' % (c, r, r))
            for k, c in enumerate(letters)) + b"</row>"
        for r in range(1, rows + 1))
    head = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet '
            b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
    sheet = head + body + b"</sheetData></worksheet>"
    ns_r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    wb = parts["xl/workbook.xml"].decode()
    start, end = wb.index("<sheets>") + len("<sheets>"), wb.index("</sheets>")
    listed = "".join(f'<sheet name="大表{k}" sheetId="{100 + k}" r:id="rBig{k}" xmlns:r="{ns_r}"/>'
                     for k in range(sheets))
    parts["xl/workbook.xml"] = (wb[:start] + wb[start:end] + listed + wb[end:]).encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    extra = "".join(f'<Relationship Id="rBig{k}" Type="{ns_r}/worksheet" Target="worksheets/big{k}.xml"/>'
                    for k in range(sheets))
    parts["xl/_rels/workbook.xml.rels"] = rels.replace("</Relationships>", extra + "</Relationships>").encode()
    for k in range(sheets):
        parts[f"xl/worksheets/big{k}.xml"] = sheet
    return _write_zip(dst, list(parts.items()))


BUILDERS["cells_990k"] = ("xlsx", cells_near_cap)


# --- what a hostile sender tries next (issue 17 item 6) ------------------------------------
_S_HEAD = b'<?xml version="1.0" encoding="UTF-8"?>'
_S_NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _with(src: Path, dst: Path, **parts: bytes) -> Path:
    """``src`` with parts replaced or added (keyword names use ``__`` for ``/``)."""
    got = dict(_parts(src))
    got.update({k.replace("__", "/").replace("_DOT_", "."): v for k, v in parts.items()})
    return _write_zip(dst, list(got.items()))


def huge_shared_strings(dst: Path, count: int = 1_500_000) -> Path:
    """A shared-string table of ``count`` distinct strings (random: not a bomb by ratio)."""
    rng = random.Random(3)
    body = b"".join(b"<si><t>%x</t></si>" % rng.getrandbits(48) for _ in range(count))
    return _with(SEED_XLSX, dst, xl__sharedStrings_DOT_xml=_S_HEAD + b"<sst " + _S_NS + b">" + body + b"</sst>")


def styles_bomb(dst: Path, count: int = 300_000) -> Path:
    """styles.xml with ``count`` number formats and cell formats (about 20 MB of XML)."""
    fmts = b"".join(b'<numFmt numFmtId="%d" formatCode="0.00"/>' % (200 + i) for i in range(count))
    xfs = b'<xf numFmtId="0"/>' * count
    xml = _S_HEAD + b"<styleSheet " + _S_NS + b"><numFmts>" + fmts + b"</numFmts><cellXfs>" + xfs + b"</cellXfs></styleSheet>"
    return _with(SEED_XLSX, dst, xl__styles_DOT_xml=xml)


def thousands_of_sheets(dst: Path, count: int = 5000) -> Path:
    """``count`` extra sheets, each its own small part."""
    parts = dict(_parts(SEED_XLSX))
    wb = parts["xl/workbook.xml"].decode()
    end = wb.index("</sheets>")
    parts["xl/workbook.xml"] = (wb[:end] + "".join(
        f'<sheet name="s{k}" sheetId="{1000 + k}" r:id="rX{k}" xmlns:r="{_R_NS}"/>' for k in range(count))
        + wb[end:]).encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    parts["xl/_rels/workbook.xml.rels"] = rels.replace("</Relationships>", "".join(
        f'<Relationship Id="rX{k}" Type="{_R_NS}/worksheet" Target="worksheets/x{k}.xml"/>' for k in range(count))
        + "</Relationships>").encode()
    small = (_S_HEAD + b"<worksheet " + _S_NS + b'><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t>'
             b"</is></c></row></sheetData></worksheet>")
    for k in range(count):
        parts[f"xl/worksheets/x{k}.xml"] = small
    return _write_zip(dst, list(parts.items()))


def nested_tables(dst: Path, depth: int = 3000) -> Path:
    """Tables nested ``depth`` deep in one cell."""
    doc = dict(_parts(SEED_DOCX))["word/document.xml"]
    nest = b"<w:tbl><w:tr><w:tc>" * depth + b"<w:p/>" + b"</w:tc></w:tr></w:tbl>" * depth
    return _replace(SEED_DOCX, dst, "word/document.xml", _body_insert(doc, nest))


def document_in_subfolder(dst: Path) -> Path:
    """The main part moved to word/sub/document.xml, found only through _rels/.rels."""
    parts = dict(_parts(SEED_DOCX))
    parts["word/sub/document.xml"] = parts.pop("word/document.xml")
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(b"word/document.xml", b"word/sub/document.xml")
    return _write_zip(dst, list(parts.items()))


def number_1e999(dst: Path) -> Path:
    """Every numeric cell holds 1e999 (beyond any float)."""
    parts = dict(_parts(SEED_XLSX))
    for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        parts[name] = re.sub(rb'(<c [^>]*t="n"[^>]*>(?:<f>[^<]*</f>)?<v>)[^<]*(</v>)', rb"\g<1>1e999\g<2>", parts[name])
    return _write_zip(dst, list(parts.items()))


def json_nan(dst: Path) -> Path:
    text = GOOD_JSON.read_text(encoding="utf-8")
    dst.write_text(text.replace('"budget_total_raw": "', '"budget_total_raw": NaN, "x": "', 1), encoding="utf-8")
    return dst


def json_infinity(dst: Path) -> Path:
    dst.write_text(re.sub(r'"year": \d+', '"year": Infinity', GOOD_JSON.read_text(encoding="utf-8"), count=1),
                   encoding="utf-8")
    return dst


def json_utf16(dst: Path) -> Path:
    """The good json saved as UTF-16 with a byte order mark (Notepad's "Unicode")."""
    dst.write_bytes(GOOD_JSON.read_text(encoding="utf-8").encode("utf-16"))
    return dst


def xml_with_bom(dst: Path) -> Path:
    return _replace(SEED_DOCX, dst, "word/document.xml", b"\xef\xbb\xbf" + dict(_parts(SEED_DOCX))["word/document.xml"])


def xml_utf16(dst: Path) -> Path:
    doc = dict(_parts(SEED_DOCX))["word/document.xml"].decode("utf-8")
    return _replace(SEED_DOCX, dst, "word/document.xml", doc.replace('encoding="UTF-8"', 'encoding="UTF-16"', 1)
                    .encode("utf-16"))


def duplicate_entries(dst: Path) -> Path:
    """word/document.xml twice in the zip: the second a different, tiny document."""
    import warnings

    with zipfile.ZipFile(dst, "w") as zf:
        for name, body in _parts(SEED_DOCX):
            zf.writestr(name, body)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            zf.writestr("word/document.xml", b"<x/>")
    return dst


def zip64(dst: Path) -> Path:
    """Every entry with zip64 extra fields."""
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        for name, body in _parts(SEED_XLSX):
            with zf.open(name, "w", force_zip64=True) as fh:
                fh.write(body)
    return dst


def ole_file(dst: Path) -> Path:
    """A compound file (an encrypted xlsx, or a .doc renamed .docx): the CFB signature."""
    dst.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(4088))
    return dst


def empty_file(dst: Path) -> Path:
    dst.write_bytes(b"")
    return dst


def directory(dst: Path) -> Path:
    dst.mkdir()
    return dst


BUILDERS.update({
    "huge_shared_strings": ("xlsx", huge_shared_strings),
    "styles_bomb": ("xlsx", styles_bomb),
    "sheets_5000": ("xlsx", thousands_of_sheets),
    "nested_tables": ("docx", nested_tables),
    "document_in_subfolder": ("docx", document_in_subfolder),
    "number_1e999": ("xlsx", number_1e999),
    "json_nan": ("json", json_nan),
    "json_infinity": ("json", json_infinity),
    "json_utf16": ("json", json_utf16),
    "xml_bom": ("docx", xml_with_bom),
    "xml_utf16": ("docx", xml_utf16),
    "duplicate_entries": ("docx", duplicate_entries),
    "zip64": ("xlsx", zip64),
    "encrypted_xlsx": ("xlsx", ole_file),
    "doc_as_docx": ("docx", ole_file),
    "empty_docx": ("docx", empty_file),
    "empty_json": ("json", empty_file),
    "directory_docx": ("docx", directory),
})
