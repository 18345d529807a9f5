"""The 审核意见 table: one row per opinion, shared by the review file (docx/PDF) and the
document exports that carry opinions after 出错说明 (docx, xlsx, PDF).

The document exports add the opinion's uid (:data:`OPINION_KEY_HEADER`), and the layout
parser reads the rows back (:func:`opinion_from_cells`): the unit's answers travel back to the
bureau in the next submission, merged by uid like a json file's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.models import Opinion
from app.services.bureau.opinions import parse_place, place_label
from app.services.formats.layout import OPINION_HEADERS, OPINION_KEY_HEADER, OPINION_TITLE

__all__ = ["OPINION_HEADERS", "OPINION_KEY_HEADER", "OPINION_TITLE", "opinion_from_cells",
           "opinion_rows", "opinion_state"]

STATE_RESOLVED = "已处理"
_RULE_TAIL_RE = re.compile(r"（规则([A-Za-z]{1,3}\d{1,4})）\s*$")  # rule ids fit the column (8)
_UID_RE = re.compile(r"^[0-9A-Za-z_-]{1,40}$")


def opinion_state(o: Opinion) -> str:
    """已处理 / 已回复 / 待处理."""
    if o.resolved:
        return STATE_RESOLVED
    return "已回复" if o.reply else "待处理"


def opinion_rows(opinions: Iterable[Opinion]) -> list[tuple[str, str, str, str, str]]:
    """The printed rows: number, place, opinion (with the rule it refers to), answer, state."""
    rows = []
    for n, o in enumerate(opinions, start=1):
        text = o.text if not o.rule_id else f"{o.text}（规则{o.rule_id}）"
        rows.append((str(n), place_label(o), text, o.reply or "", opinion_state(o)))
    return rows


def opinion_key_rows(opinions: Iterable[Opinion]) -> list[tuple[str, ...]]:
    """The rows of a document export: :func:`opinion_rows` and the uid (编号)."""
    chosen = list(opinions)
    return [(*row, o.uid) for row, o in zip(opinion_rows(chosen), chosen, strict=True)]


def opinion_from_cells(values: dict[str, str], where: str, notes: list[str]) -> Opinion | None:
    """One row read back (header -> text) as a transient Opinion; None (with a note) when
    it cannot be used. The held opinion's text wins on merge; the file brings the answer."""
    text = (values.get("审核意见") or "").strip()
    uid = (values.get(OPINION_KEY_HEADER) or "").strip()
    if not text and not uid:
        return None  # an empty row
    if not _UID_RE.match(uid):
        notes.append(f"{where}：审核意见没有编号（或编号无法识别），已跳过")
        return None
    place = parse_place(values.get("位置") or "")
    if place is None:
        notes.append(f"{where}：审核意见的位置“{(values.get('位置') or '')[:20]}”无法识别，已跳过")
        return None
    rule = _RULE_TAIL_RE.search(text)
    reply = (values.get("回复") or "").strip()
    return Opinion(
        uid=uid, project_code=place.project_code, row=place.row, field=place.field,
        rule_id=rule.group(1).upper() if rule else None,
        text=_RULE_TAIL_RE.sub("", text) if rule else text,
        reply=reply or None, resolved=(values.get("状态") or "").strip() == STATE_RESOLVED,
    )
