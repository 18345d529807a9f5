"""Files from USB sticks: every bad input gets a Chinese message naming the file, quickly."""

from __future__ import annotations

import io
import shutil
import struct
import zipfile
from pathlib import Path

import pytest

from app.cli import main
from app.services.errors import InputError
from app.services.formats import ooxml
from app.services.formats.file_io import read_file
from app.services.storage.documents import load_documents
from app.services.storage.store import Store


def _rezip(src: Path, dst: Path, replace: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
    return dst


def _expect_error(path: Path, *words: str) -> str:
    with pytest.raises(InputError) as err:
        read_file(path)
    msg = str(err.value)
    assert f"“{path}”" in msg, msg
    for w in words:
        assert w in msg, msg
    assert "Traceback" not in msg
    return msg


def test_empty_file(tmp_path) -> None:
    p = tmp_path / "空.docx"
    p.write_bytes(b"")
    _expect_error(p, "空文件")


def test_truncated_zip(tmp_path, seed_docx) -> None:
    p = tmp_path / "truncated.docx"
    p.write_bytes(seed_docx.read_bytes()[:20000])
    _expect_error(p, "损坏")


def test_not_an_office_file(tmp_path) -> None:
    p = tmp_path / "notes.docx"
    p.write_text("这不是Word文件", encoding="utf-8")
    _expect_error(p, "不是可识别")


def test_xlsx_renamed_docx_is_read_as_xlsx(tmp_path, seed_xlsx) -> None:
    p = tmp_path / "actually_xlsx.docx"
    shutil.copy(seed_xlsx, p)
    res = read_file(p)
    assert res.kind == "xlsx" and len(res.documents[0].projects) == 11


def test_docx_renamed_xlsx_is_read_as_docx(tmp_path, seed_docx) -> None:
    p = tmp_path / "actually_docx.xlsx"
    shutil.copy(seed_docx, p)
    assert read_file(p).kind == "docx"


def test_password_protected_ole(tmp_path) -> None:
    p = tmp_path / "加密.docx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    _expect_error(p, "加密")


def test_external_entity_docx_refused(tmp_path, seed_docx) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    with zipfile.ZipFile(seed_docx) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    head, rest = xml.split("?>", 1)
    evil = (
        f'{head}?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        + rest.replace("第一部分", "&xxe;", 1)
    )
    p = _rezip(seed_docx, tmp_path / "xxe.docx", {"word/document.xml": evil.encode("utf-8")})
    msg = _expect_error(p, "DTD")
    assert "TOPSECRET" not in msg


def test_entity_expansion_xlsx_refused(tmp_path, seed_xlsx) -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol2;</styleSheet>'
    )
    p = _rezip(seed_xlsx, tmp_path / "bomb.xlsx", {"xl/styles.xml": bomb})
    _expect_error(p, "DTD")


def test_zip_bomb_declared_size(tmp_path, seed_docx) -> None:
    p = tmp_path / "bomb.docx"
    with zipfile.ZipFile(seed_docx) as zin, zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info.filename))
        with zout.open("word/media/huge.bin", "w", force_zip64=True) as fh:
            block = b"\0" * (1024 * 1024)
            for _ in range(160):
                fh.write(block)
    assert p.stat().st_size < 2 * 1024 * 1024
    _expect_error(p, "压缩炸弹")


def test_zip_bomb_ratio(tmp_path, seed_docx) -> None:
    p = tmp_path / "ratio.docx"
    with zipfile.ZipFile(seed_docx) as zin, zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info.filename))
        zout.writestr("word/media/zeros.bin", b"\0" * (20 * 1024 * 1024))
    _expect_error(p, "压缩")


def test_part_larger_than_declared_is_capped(tmp_path, seed_docx) -> None:
    """A header that lies about the size: reading stops at the declared size."""
    with zipfile.ZipFile(seed_docx) as z:
        real = z.read("word/document.xml")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout, zipfile.ZipFile(seed_docx) as zin:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info.filename))
    data = bytearray(buf.getvalue())
    # Patch the declared uncompressed size of document.xml in both headers to 1000 bytes.
    name = b"word/document.xml"
    for sig, size_off in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        pos = 0
        while (pos := data.find(sig, pos)) != -1:
            name_len_off = 26 if sig == b"PK\x03\x04" else 28
            n = struct.unpack_from("<H", data, pos + name_len_off)[0]
            hdr = 30 if sig == b"PK\x03\x04" else 46
            if bytes(data[pos + hdr: pos + hdr + n]) == name:
                struct.pack_into("<I", data, pos + size_off, 1000)
            pos += 4
    p = tmp_path / "liar.docx"
    p.write_bytes(bytes(data))
    assert len(real) > 1000
    _expect_error(p)


def test_huge_file_refused_by_size(tmp_path, monkeypatch, seed_docx) -> None:
    monkeypatch.setattr(ooxml, "MAX_FILE_BYTES", 10_000)
    _expect_error(seed_docx.parent / "seed.docx", "过大")


def test_hundreds_of_mb_are_refused_without_reading(tmp_path) -> None:
    p = tmp_path / "huge.docx"
    with open(p, "wb") as fh:
        fh.write(b"PK\x03\x04")
        fh.truncate(300 * 1024 * 1024)  # sparse: 300 MB on paper
    _expect_error(p, "过大")


def test_malformed_xml(tmp_path, seed_docx) -> None:
    p = _rezip(seed_docx, tmp_path / "bad.docx", {"word/document.xml": b"<w:document><unclosed>"})
    _expect_error(p, "损坏")


def test_docx_without_tables(tmp_path) -> None:
    from docx import Document as Docx

    d = Docx()
    d.add_paragraph("会议纪要")
    p = tmp_path / "memo.docx"
    d.save(p)
    _expect_error(p, "没有")


def test_bad_file_leaves_database_unchanged(tmp_path, seed_docx, db_path, capsys) -> None:
    assert main(["import", str(seed_docx), "--db", str(db_path)]) == 0
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04garbage")
    assert main(["import", str(seed_docx), str(bad), "--db", str(db_path), "--on-conflict", "copy"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("文件“") and "bad.xlsx" in err and "\n" not in err
    store = Store.open(db_path)
    try:
        docs = load_documents(store)
    finally:
        store.close()
    assert len(docs) == 1 and len(docs[0].projects) == 11


def test_strict_ooxml_gets_a_clear_message(tmp_path, seed_docx) -> None:
    with zipfile.ZipFile(seed_docx) as z:
        xml = z.read("word/document.xml").replace(
            b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
            b"http://purl.oclc.org/ooxml/wordprocessingml/main",
        )
    p = _rezip(seed_docx, tmp_path / "strict.docx", {"word/document.xml": xml})
    _expect_error(p, "Strict")


def test_huge_spans_and_merges_stay_bounded(tmp_path, seed_docx, seed_xlsx) -> None:
    with zipfile.ZipFile(seed_docx) as z:
        xml = z.read("word/document.xml").replace(b'w:gridSpan w:val="5"', b'w:gridSpan w:val="999999999"', 1)
    p = _rezip(seed_docx, tmp_path / "span.docx", {"word/document.xml": xml})
    assert read_file(p).documents[0].projects  # read, with the span capped
    with zipfile.ZipFile(seed_xlsx) as z:
        sheet = z.read("xl/worksheets/sheet2.xml")
    sheet = sheet.replace(b'<mergeCell ref="A1:G1"/>', b'<mergeCell ref="A1:XFD1048576"/><mergeCell ref="A1:G1"/>')
    assert b"XFD1048576" in sheet
    p = _rezip(seed_xlsx, tmp_path / "merge.xlsx", {"xl/worksheets/sheet2.xml": sheet})
    try:
        read_file(p)
    except InputError as exc:
        assert "merge.xlsx" in str(exc)


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_damaged_content_never_escapes_as_a_traceback(kind, tmp_path, seed_docx, seed_xlsx) -> None:
    """Random deletions and edits of the XML: the file reads, or fails with an InputError."""
    import random

    from lxml import etree

    from app.services.errors import PerfGoalsError

    seed = seed_docx if kind == "docx" else seed_xlsx
    with zipfile.ZipFile(seed) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    xml_parts = sorted(n for n in parts if n.endswith(".xml"))
    rng = random.Random(7)
    for k in range(25):
        name = "word/document.xml" if kind == "docx" else rng.choice(xml_parts)
        root = etree.fromstring(parts[name])
        elements = list(root.iter())
        for _ in range(rng.randint(1, 25)):
            el = rng.choice(elements)
            if el.getparent() is not None and rng.random() < 0.6:
                el.getparent().remove(el)
            else:
                for attr in list(el.attrib):
                    el.set(attr, rng.choice(["", "x", "-1", "99999999", "A0", "ZZZ1"]))
                if el.text is not None:
                    el.text = rng.choice(["", " ", "项目编码", "一级指标", "1.x绩效目标表", "abc"])
        path = tmp_path / f"m{k}.{kind}"
        with zipfile.ZipFile(path, "w") as out:
            for n, data in parts.items():
                out.writestr(n, etree.tostring(root) if n == name else data)
        try:
            read_file(path)
        except PerfGoalsError as exc:
            assert str(exc).startswith(f"文件“{path}”"), str(exc)
