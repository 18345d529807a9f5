"""Text as XML 1.0 can carry it: one rule for every writer of docx and xlsx.

XML 1.0 forbids most C0 control characters, U+FFFE/U+FFFF and lone surrogates; a document
holding one is not well-formed and no reader (ours included) opens it. Word puts a vertical
tab (VT) on the clipboard for Shift+Enter and some systems paste form feeds, so those two
become a line break (what the user meant); the rest carry no meaning and are removed. The
export reports how many texts were changed (:func:`forbidden_count`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_LINE_BREAKS = re.compile("[\x0b\x0c]")
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_REMOVED = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """``text`` with VT/FF as ``\\n`` and every other character XML 1.0 forbids removed."""
    if not _FORBIDDEN.search(text):
        return text
    return _REMOVED.sub("", _LINE_BREAKS.sub("\n", text))


def has_forbidden(text: str | None) -> bool:
    """True when ``text`` holds a character XML 1.0 forbids."""
    return bool(text) and _FORBIDDEN.search(text) is not None  # type: ignore[arg-type]


def forbidden_count(texts: Iterable[str | None]) -> int:
    """How many of ``texts`` :func:`xml_safe` changes."""
    return sum(1 for t in texts if has_forbidden(t))


def document_texts(doc: object) -> Iterable[str]:
    """Every text column of a document and of the rows it owns (for the export's note)."""
    from sqlalchemy import inspect

    def columns(obj: object) -> Iterable[str]:
        for attr in inspect(obj).mapper.column_attrs:
            value = getattr(obj, attr.key)
            if isinstance(value, str):
                yield value

    yield from columns(doc)
    yield from columns(doc.unit)  # type: ignore[attr-defined]
    for rows in (doc.subgoals, doc.measures, doc.waivers):  # type: ignore[attr-defined]
        for row in rows:
            yield from columns(row)
    for p in doc.projects:  # type: ignore[attr-defined]
        yield from columns(p)
        for ind in p.indicators:
            yield from columns(ind)


def export_note(docs: Iterable[object]) -> str | None:
    """The Chinese note of a docx/xlsx export when texts held characters XML forbids."""
    n = sum(forbidden_count(document_texts(d)) for d in docs)
    if not n:
        return None
    return (f"注意：{n}处文字含有XML不允许的控制字符，导出时垂直制表符/换页符已改为换行，"
            "其余已删除（数据库中的原文未改动）")
