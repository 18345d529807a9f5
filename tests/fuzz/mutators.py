"""Mutations of a docx, xlsx or json file as a hostile sender would make them.

Each mutator takes the bytes of a valid file and a seeded ``random.Random`` and returns new
bytes; the same seed always gives the same file, so any failure can be replayed.
"""

from __future__ import annotations

import io
import json
import random
import struct
import zipfile
from collections.abc import Callable
from typing import Any

from lxml import etree

NASTY_TEXT = [
    "", " ", "\u3000", "0", "-1", "1e400", "9" * 5000, "NaN", "Infinity", "-0.000",
    "\x0b", "\x0c", "预算\x0b200.00万元", "1,2,3", "=A1", "=SUM(A1:XFD1048576)",
    "A" * 70000, "\ufeff", "𠀀", "＞＝95%", "1E+30", "0x10", "${x}", "&amp;", "]]>",
]
NASTY_NUMBERS = ["1e999999", "-1e999999", "9" * 4000, "1E+2147483648", "nan", "inf", "0.1e-999999", "4294967297"]


def _rng_text(rng: random.Random) -> str:
    if rng.random() < 0.7:
        return rng.choice(NASTY_TEXT)
    return "".join(chr(rng.choice([rng.randint(0x20, 0x7E), rng.randint(0x4E00, 0x9FFF), rng.randint(1, 31)]))
                   for _ in range(rng.randint(1, 40)))


# --- zip ------------------------------------------------------------------------------------


def _entries(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(i, zf.read(i)) for i in zf.infolist()]


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in entries:
            zf.writestr(name, body)
    return buf.getvalue()


def zip_flip_bytes(data: bytes, rng: random.Random) -> bytes:
    """Corrupt a few bytes anywhere (headers, deflate streams, directory)."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def zip_truncate(data: bytes, rng: random.Random) -> bytes:
    """Cut the file short."""
    return data[: rng.randrange(1, len(data))]


def zip_version_needed(data: bytes, rng: random.Random) -> bytes:
    """An unusual "version needed to extract" or compression method in a local header."""
    out = bytearray(data)
    offsets = [i for i in range(len(out) - 30) if out[i:i + 4] == b"PK\x03\x04"]
    off = rng.choice(offsets)
    if rng.random() < 0.5:
        struct.pack_into("<H", out, off + 4, rng.choice([63, 99, 255, 0xFFFF]))
    else:
        struct.pack_into("<H", out, off + 8, rng.choice([1, 9, 12, 14, 99]))
    return bytes(out)


def zip_entries(data: bytes, rng: random.Random) -> bytes:
    """Drop, duplicate, rename or empty an entry."""
    entries = [(i.filename, body) for i, body in _entries(data)]
    n = rng.randrange(len(entries))
    op = rng.randrange(4)
    if op == 0:
        del entries[n]
    elif op == 1:
        entries.append(entries[n])
    elif op == 2:
        entries[n] = (entries[n][0].upper(), entries[n][1])
    else:
        entries[n] = (entries[n][0], b"")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are the point
        return _zip(entries)


def zip_corrupt_part(data: bytes, rng: random.Random) -> bytes:
    """Damage the deflate stream of one entry but keep the zip directory valid."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = rng.choice([i for i in zf.infolist() if i.compress_size > 16])
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for _ in range(rng.randint(1, 4)):
        out[start + rng.randrange(info.compress_size)] = rng.randrange(256)
    return bytes(out)


# --- xml ------------------------------------------------------------------------------------


def _xml_parts(entries: list[tuple[zipfile.ZipInfo, bytes]]) -> list[int]:
    return [n for n, (i, _) in enumerate(entries) if i.filename.endswith((".xml", ".rels"))]


def _mutate_tree(root: etree._Element, rng: random.Random) -> None:
    elements = list(root.iter())
    el = rng.choice(elements)
    op = rng.randrange(7)
    parent = el.getparent()
    if op == 0 and parent is not None:
        parent.remove(el)
    elif op == 1 and parent is not None:
        from copy import deepcopy

        for _ in range(rng.choice([1, 2, 50, 3000])):
            parent.insert(parent.index(el), deepcopy(el))
    elif op == 2:
        el.text = _rng_text(rng).replace("\x00", "")
    elif op == 3 and el.attrib:
        key = rng.choice(list(el.attrib))
        el.set(key, rng.choice([*NASTY_NUMBERS, "-1", "0", "", "A0", "XFD1048576", "A1:XFD1048576", "s", "b"]))
    elif op == 4:
        child = etree.SubElement(el, el.tag)
        child.text = _rng_text(rng)
    elif op == 5 and parent is not None:
        sibling = rng.choice(elements)
        if sibling is not el and el not in sibling.iterancestors() and sibling not in el.iterancestors():
            el.addnext(sibling)
    else:
        for node in elements:
            if node.text and rng.random() < 0.05:
                node.text = rng.choice(NASTY_NUMBERS + NASTY_TEXT)


def xml_tree(data: bytes, rng: random.Random) -> bytes:
    """Change elements, attributes and text of one XML part."""
    entries = _entries(data)
    parts = _xml_parts(entries)
    n = rng.choice(parts)
    info, body = entries[n]
    try:
        root = etree.fromstring(body)
    except etree.XMLSyntaxError:
        return data
    for _ in range(rng.randint(1, 4)):
        _mutate_tree(root, rng)
    new = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return _zip([(i.filename, new if k == n else b) for k, (i, b) in enumerate(entries)])


def xml_text(data: bytes, rng: random.Random) -> bytes:
    """Byte-level damage inside one XML part: splices, entities, DTDs, control characters."""
    entries = _entries(data)
    n = rng.choice(_xml_parts(entries))
    body = bytearray(entries[n][1])
    op = rng.randrange(6)
    pos = rng.randrange(len(body)) if body else 0
    if op == 0:
        body[pos:pos] = rng.choice([b"&u;", b"&#11;", b"&#x0;", b"\x0b", b"\x00", b"&amp;&lt;", b"<!-- -->"])
    elif op == 1:
        head = b'<?xml version="1.0"?>\n<!--' + b"x" * rng.choice([10, 70000]) + b"-->\n"
        body = bytearray(head + b'<!DOCTYPE r [<!ENTITY u "x">]>' + bytes(body).split(b"?>", 1)[-1])
    elif op == 2:
        del body[pos:pos + rng.randint(1, 200)]
    elif op == 3:
        body[pos:pos] = bytes(body[pos:pos + rng.randint(1, 5000)]) * rng.randint(2, 20)
    elif op == 4:
        body = bytearray(bytes(body).replace(b"UTF-8", b"UTF-16", 1))
    else:
        body[pos:pos] = "\udcff".encode("utf-8", "surrogatepass")
    return _zip([(i.filename, bytes(body) if k == n else b) for k, (i, b) in enumerate(entries)])


# --- json -----------------------------------------------------------------------------------


def _json_paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(node, dict):
        for k, v in node.items():
            out.extend(_json_paths(v, (*path, k)))
    elif isinstance(node, list):
        for k, v in enumerate(node):
            out.extend(_json_paths(v, (*path, k)))
    return out


def _nasty_value(rng: random.Random) -> Any:
    return rng.choice([
        None, True, False, 0, -1, 5, 10**30, 2**63, -(10**25), 1.5, 1e308, "", "false", "-1",
        _rng_text(rng), [], [1], {}, {"a": 1}, "x" * 200_000, "\ud800", 2025, 1, "hebei2015", "zz",
    ])


def json_value(data: bytes, rng: random.Random) -> bytes:
    """Replace, delete, duplicate or deepen values anywhere in the document."""
    doc = json.loads(data)
    for _ in range(rng.randint(1, 4)):
        paths = _json_paths(doc)
        path = rng.choice(paths[1:])
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        key = path[-1]
        op = rng.randrange(5)
        if op == 0:
            parent[key] = _nasty_value(rng)
        elif op == 1:
            if isinstance(parent, dict):
                del parent[key]
            else:
                parent.pop(key)
        elif op == 2 and isinstance(parent, list):
            for _ in range(rng.choice([1, 2, 100])):
                parent.append(json.loads(json.dumps(parent[key])))
        elif op == 3:
            nested: Any = 1
            for _ in range(rng.choice([10, 100, 5000])):
                nested = [nested]
            parent[key] = nested
        else:
            parent[key] = rng.choice([str(parent[key]), [parent[key]], {"v": parent[key]}])
    return json.dumps(doc, ensure_ascii=rng.random() < 0.5).encode("utf-8", "surrogatepass")


def json_bytes(data: bytes, rng: random.Random) -> bytes:
    """Byte-level damage of the json text: big numbers, cuts, splices, bad escapes."""
    out = bytearray(data)
    pos = rng.randrange(len(out))
    op = rng.randrange(4)
    if op == 0:
        out[pos:pos] = rng.choice([b"9" * 5000, b"\\ud800", b"1e99999", b"\x00", b"[" * 100000])
    elif op == 1:
        out = out[:pos]
    elif op == 2:
        del out[pos:pos + rng.randint(1, 50)]
    else:
        out[pos] = rng.randrange(256)
    return bytes(out)


Mutator = Callable[[bytes, random.Random], bytes]
ZIP_MUTATORS: list[Mutator] = [
    zip_flip_bytes, zip_truncate, zip_version_needed, zip_entries, zip_corrupt_part,
    xml_tree, xml_tree, xml_tree, xml_text, xml_text,
]
JSON_MUTATORS: list[Mutator] = [json_value, json_value, json_value, json_bytes]


def mutate(kind: str, data: bytes, rng: random.Random) -> tuple[str, bytes]:
    """One hostile variant of ``data`` (a docx, xlsx or json file) and the mutator's name."""
    mutators = JSON_MUTATORS if kind == "json" else ZIP_MUTATORS
    fn = rng.choice(mutators)
    try:
        return fn.__name__, fn(data, rng)
    except (ValueError, IndexError, KeyError, TypeError, zipfile.BadZipFile, RecursionError):
        # The mutator itself could not apply (e.g. nothing to pick): fall back to byte damage.
        return "flip", zip_flip_bytes(data, rng)
