"""Safe opening of OOXML (zip) packages from untrusted sources (USB sticks).

Every check answers within seconds and in bounded memory, before any XML is parsed:

* the file size is capped (:data:`MAX_FILE_BYTES`);
* the zip directory must be readable (an empty or truncated file fails here);
* declared uncompressed sizes are capped per part and in total, and so is the compression
  ratio (zip bombs); reading a part stops at its cap whatever the header claims;
* XML parts may not carry a DTD (``<!DOCTYPE``): no legitimate docx/xlsx has one, and refusing
  it rules out external entities and entity expansion. The parser is also configured never
  to resolve entities or touch the network.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable, Generator
from pathlib import Path

from lxml import etree

from app.services.errors import PerfGoalsError, file_error

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_PART_BYTES = 150 * 1024 * 1024  # a part read whole into memory
MAX_STREAM_BYTES = 1024 * 1024 * 1024  # a part parsed as a stream (memory stays bounded)
MAX_TOTAL_BYTES = 1536 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, for parts larger than RATIO_FLOOR
RATIO_FLOOR = 2 * 1024 * 1024
MAX_PARTS = 10_000
MAX_TREE_BYTES = 24 * 1024 * 1024  # an XML part parsed whole (xlsx sheets, shared strings)
MAX_PROLOG_BYTES = 1024 * 1024  # comments and declarations before the root element
MAX_BODY_ELEMENT_BYTES = 16 * 1024 * 1024  # XML of one paragraph or table of a docx body
_CHUNK = 1024 * 1024
# What reading a damaged part can raise: a bad header or CRC (BadZipFile), corrupt deflate
# data (zlib.error), a compression method or "version needed" zipfile lacks
# (NotImplementedError), a short file (EOFError/OSError), a bad size field (ValueError).
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError)

XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
    huge_tree=False, remove_blank_text=False,
)


def xml_error(path: Path, name: str, exc: etree.XMLSyntaxError) -> PerfGoalsError:
    """The message for a part lxml cannot parse: too deeply nested, or damaged."""
    if "depth" in str(exc).lower():  # lxml: "Excessive depth in document: 256 …"
        return file_error(path, f"的部件{name}嵌套过深（如表格套表格数百层），可能是恶意文件，已拒绝读取")
    return file_error(path, f"已损坏（{name}不是有效的XML）")


def zip_kind(path: Path) -> str:
    """docx, xlsx or zip, by the parts the package holds.

    Raises:
        InputError: the package names its main document somewhere else than Word and
            Excel write it (the program reads the usual place only).
    """
    with SafePackage(path) as pkg:
        names = set(pkg.names)
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "_rels/.rels" in names:
            for rel in pkg.read_xml("_rels/.rels").iter("{*}Relationship"):
                target = (rel.get("Target") or "").lstrip("/")
                if (rel.get("Type") or "").endswith("/officeDocument") and target.endswith(".xml"):
                    raise file_error(path, f"的主文档位于{target[:80]}，不在通常的word/document.xml或"
                                           "xl/workbook.xml；请在Word/Excel/WPS中打开并另存后再导入")
    return "zip"


class SafePackage:
    """A zip package opened with size, ratio and DTD checks.

    Raises:
        InputError: on construction when the file is too large, not a zip, truncated, or
            declares parts that are too large or too compressed.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            size = self.path.stat().st_size
        except OSError as exc:
            raise file_error(path, f"无法读取：{exc.strerror or exc}") from exc
        if size == 0:
            raise file_error(path, "是空文件")
        if size > MAX_FILE_BYTES:
            raise file_error(
                path, f"过大（{size / 1024 / 1024:.0f} MB，上限{MAX_FILE_BYTES // 1024 // 1024} MB），不像是绩效目标表"
            )
        try:
            self._zf = zipfile.ZipFile(self.path)
        except ZIP_ERRORS as exc:
            raise file_error(path, "已损坏或不完整（不是有效的docx/xlsx压缩包）") from exc
        try:
            self._check_directory()
        except BaseException:
            self._zf.close()
            raise

    def _check_directory(self) -> None:
        infos = self._zf.infolist()
        if len(infos) > MAX_PARTS:
            raise file_error(self.path, f"包含的部件过多（{len(infos)}个），可能是恶意文件")
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise file_error(self.path, "已加密，请在Word/Excel/WPS中取消密码后再导入")
            total += info.file_size
            if info.file_size > MAX_STREAM_BYTES:
                raise file_error(self.path, f"中的部件{info.filename}解压后过大（{info.file_size // 1024 // 1024} MB），可能是压缩炸弹")
            if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise file_error(self.path, f"中的部件{info.filename}压缩比异常（可能是压缩炸弹），已拒绝读取")
        seen: set[str] = set()
        for info in infos:
            # Two entries of one name: which one a reader takes differs between programs.
            if info.filename in seen:
                raise file_error(self.path, f"包含重复的部件{info.filename[:80]}，可能是恶意文件，已拒绝读取")
            seen.add(info.filename)
        if total > MAX_TOTAL_BYTES:
            raise file_error(self.path, f"解压后总大小过大（{total // 1024 // 1024} MB），可能是压缩炸弹")
        self.names = [i.filename for i in infos]

    def __enter__(self) -> SafePackage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the zip file."""
        self._zf.close()

    def has(self, name: str) -> bool:
        """True when the package holds part ``name``."""
        return name in self.names

    def read(self, name: str) -> bytes:
        """Read a part, never more than its cap whatever its header declares.

        Raises:
            InputError: the part is missing, damaged, or larger than allowed.
        """
        try:
            info = self._zf.getinfo(name)
        except KeyError as exc:
            raise file_error(self.path, f"缺少部件{name}，文件不完整") from exc
        cap = min(info.file_size, MAX_PART_BYTES)
        chunks: list[bytes] = []
        got = 0
        try:
            with self._zf.open(info) as fh:
                while True:
                    chunk = fh.read(_CHUNK)
                    if not chunk:
                        break
                    got += len(chunk)
                    if got > cap:
                        raise file_error(self.path, f"中的部件{name}实际大小超过声明（可能是压缩炸弹），已拒绝读取")
                    chunks.append(chunk)
        except ZIP_ERRORS as exc:
            raise file_error(self.path, f"已损坏或不完整（读取{name}失败）") from exc
        data = b"".join(chunks)
        check_no_dtd(self.path, name, data, complete=True)
        return data

    def read_xml(self, name: str, cap: int | None = None) -> etree._Element:
        """Parse an XML part safely (no DTD, no entities, no network).

        Raises:
            InputError: the part is not well-formed XML or carries a DTD.
        """
        data = self.read(name)
        cap = MAX_TREE_BYTES if cap is None else cap
        if len(data) > cap:
            # A parsed tree takes about 20 times its XML: 48 MB of cells took 900 MB.
            raise file_error(
                self.path, f"中的部件{name}过大（{len(data) // 2**20} MB，上限{cap // 2**20} MB），不像是绩效目标表"
            )
        try:
            return etree.fromstring(data, XML_PARSER)
        except etree.XMLSyntaxError as exc:
            raise xml_error(self.path, name, exc) from exc

    def stream(self, name: str) -> _CappedStream:
        """A file object over a part that refuses to yield more than its declared size.

        Raises:
            InputError: the part is missing or declares a DTD.
        """
        try:
            info = self._zf.getinfo(name)
        except KeyError as exc:
            raise file_error(self.path, f"缺少部件{name}，文件不完整") from exc
        try:
            self._check_part_prolog(name)
            return _CappedStream(self, info)
        except ZIP_ERRORS as exc:
            raise file_error(self.path, f"已损坏或不完整（读取{name}失败）") from exc

    def iter_body(self, name: str = "word/document.xml") -> Generator[etree._Element, None, None]:
        """The children of ``w:body`` one at a time, each freed after use (bounded memory).

        One paragraph or table may not be larger than MAX_BODY_ELEMENT_BYTES of XML (a 120 MB
        paragraph took 2.5 GB).

        Raises:
            InputError: the part is damaged, unsafe or larger than declared.
        """
        w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
        body_tag = f"{w}body"
        # Events only for the elements that can stand in the body: far fewer callbacks. Nested
        # ones (a paragraph in a table cell) are kept until their body element ends.
        yield from self.iter_elements(
            name, (f"{w}p", f"{w}tbl", f"{w}sdt", f"{w}customXml"),
            accept=lambda el: (parent := el.getparent()) is not None and parent.tag == body_tag,
        )

    def iter_elements(
        self, name: str, tags: tuple[str, ...], cap: int | None = None,
        element_cap: int = MAX_BODY_ELEMENT_BYTES,
        accept: Callable[[etree._Element], bool] | None = None,
    ) -> Generator[etree._Element, None, None]:
        """The elements ``tags`` of part ``name`` as they end, each freed after use.

        No tree of the whole part is built (an xlsx sheet near the cell cap took seconds and
        hundreds of MB as one tree): memory stays bounded by the largest element, which may not
        exceed ``element_cap`` bytes of XML, and the part by ``cap`` bytes (when given).
        Elements ``accept`` refuses are neither yielded nor freed (they belong to a later one).

        Raises:
            InputError: the part is missing, damaged, unsafe or too large.
        """
        try:
            declared = self._zf.getinfo(name).file_size
        except KeyError as exc:
            raise file_error(self.path, f"缺少部件{name}，文件不完整") from exc
        if cap is not None and declared > cap:
            raise file_error(
                self.path, f"中的部件{name}过大（{declared // 2**20} MB，上限{cap // 2**20} MB），不像是绩效目标表"
            )
        stream = self.stream(name)
        stream.mark_cap = element_cap
        try:
            events = etree.iterparse(
                stream, events=("end",), tag=tags, resolve_entities=False, no_network=True, load_dtd=False,
                huge_tree=False, remove_blank_text=False,
            )
            for _event, el in events:
                if accept is not None and not accept(el):
                    continue
                stream.since_mark = 0
                yield el
                el.clear()
                parent = el.getparent()
                if parent is not None:
                    while el.getprevious() is not None:
                        del parent[0]
        except etree.XMLSyntaxError as exc:
            raise xml_error(self.path, name, exc) from exc
        finally:
            stream.close()

    def check_all_xml(self) -> None:
        """Check every XML part for a DTD, reading only the prolog of each part."""
        for name in self.names:
            if name.endswith((".xml", ".rels")):
                self._check_part_prolog(name)

    def _check_part_prolog(self, name: str) -> None:
        """Read a part until its root element starts (at most :data:`MAX_PROLOG_BYTES`)."""
        head = b""
        try:
            with self._zf.open(name) as fh:
                while len(head) <= MAX_PROLOG_BYTES:
                    chunk = fh.read(65536)
                    head += chunk
                    if not chunk or prolog_end(head) is not None:
                        break
                complete = not chunk
        except ZIP_ERRORS as exc:
            raise file_error(self.path, f"已损坏或不完整（读取{name}失败）") from exc
        check_no_dtd(self.path, name, head, complete)


class _CappedStream:
    """A read-only stream of a zip part that stops at the part's declared size."""

    def __init__(self, pkg: SafePackage, info: zipfile.ZipInfo) -> None:
        self._pkg = pkg
        self._name = info.filename
        self._fh = pkg._zf.open(info)
        self._left = min(info.file_size, MAX_STREAM_BYTES)
        self.since_mark = 0  # bytes read since the last body element ended (see iter_body)
        self.mark_cap: int | None = None

    def read(self, n: int = -1) -> bytes:
        """Read up to ``n`` bytes; more than declared is refused."""
        want = _CHUNK if n is None or n < 0 else n
        try:
            data = self._fh.read(want)
        except ZIP_ERRORS as exc:
            raise file_error(self._pkg.path, f"已损坏或不完整（读取{self._name}失败）") from exc
        self._left -= len(data)
        self.since_mark += len(data)
        if self.mark_cap is not None and self.since_mark > self.mark_cap:
            raise file_error(
                self._pkg.path,
                f"的部件{self._name}中有一个段落或表格超过{self.mark_cap // 1024 // 1024} MB，"
                "不像是绩效目标表（可能是恶意文件），已拒绝读取",
            )
        if self._left < 0:
            raise file_error(self._pkg.path, f"中的部件{self._name}实际大小超过声明（可能是压缩炸弹），已拒绝读取")
        return data

    def close(self) -> None:
        """Close the underlying part."""
        self._fh.close()


def prolog_end(data: bytes) -> int | None:
    """Where the root element starts (an index into the decoded text), or None when
    ``data`` ends inside the prolog. A DTD or any other ``<!`` declaration ends the scan too.

    The prolog (declaration, comments, processing instructions, DOCTYPE) is walked whole:
    a DTD placed after a 64 KB comment is still found.
    """
    text = _prolog_text(data)
    i = 0
    while True:
        j = text.find("<", i)
        if j < 0:
            return None
        if text.startswith("<?", j):
            k = text.find("?>", j + 2)
            if k < 0:
                return None
            i = k + 2
        elif text.startswith("<!--", j):
            k = text.find("-->", j + 4)
            if k < 0:
                return None
            i = k + 3
        else:
            return j


def _prolog_text(data: bytes) -> str:
    head = data[:MAX_PROLOG_BYTES + 65536]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head[:4]:
        le = head[:2] == b"\xff\xfe" or (head[:1] != b"\x00" and head[:2] != b"\xfe\xff")
        return head.decode("utf-16-le" if le else "utf-16-be", errors="replace")
    return head.decode("latin-1")  # byte for byte: only ASCII markup matters here


def check_no_dtd(path: Path, name: str, data: bytes, complete: bool = True) -> None:
    """Refuse XML that declares a DTD (external entities, entity expansion), and Strict OOXML.

    Args:
        data: the part, or its beginning up to where the root element starts.
        complete: ``data`` is the whole part (no more bytes follow).
    """
    head = data[:65536]
    if b"purl.oclc.org/ooxml/" in head and name.endswith(("document.xml", "workbook.xml")):
        raise file_error(path, "是“Strict Open XML”格式，请在Word/Excel/WPS中另存为普通的.docx/.xlsx后再导入")
    end = prolog_end(data)
    if end is None:
        if complete and len(data) <= MAX_PROLOG_BYTES:
            return  # no root element at all: the XML parser reports the damage
        raise file_error(path, f"的部件{name}开头的注释或声明过长，可能是恶意文件，已拒绝读取")
    text = _prolog_text(data)
    if text.startswith("<!", end):
        raise file_error(path, f"的部件{name}包含DTD/实体声明，出于安全原因拒绝读取")
