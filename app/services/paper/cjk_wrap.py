"""Chinese line breaking for reportlab paragraphs (禁则: no line starts with ，。、；：？！）」).

reportlab's ``wordWrap='CJK'`` hangs one character that "cannot start a line" at the end of
the previous line, but its list is tuned for Japanese (no full-width ，；：！？》”) and it
gives up when two such marks follow each other (``）。``). PITFALLS.md §5.3. :func:`install`
replaces reportlab's two CJK splitters with versions that share :func:`adjust_break`:

* a closing mark alone at the start of the next line hangs in the margin (标点悬挂);
* two or more pull the last character(s) of the line down with them (推出);
* an opening mark (（《“) never ends a line;
* a run of Latin letters or digits (a project code, ``12.42万元``) is not cut when it can
  start the next line instead; spaces at a break hang at the end of the line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# Chinese (GB/T 15834) plus what reportlab already had for Japanese.
CANNOT_START: frozenset[str] = frozenset(
    "，。、；：？！）」』】〕〗〉》”’…‥·—～％‰℃°′″"
    "．,.;:?!)]}%"
    "ー々ゝゞぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ゛゜・ヽヾ―‐"
)
CANNOT_END: frozenset[str] = frozenset("（「『【〔〖〈《“‘([{")
_SPACES = frozenset(" \u00a0\u3000\t")

_installed = False


def _is_word_char(ch: str) -> bool:
    """A character of a Latin word or number that should not be cut (ASCII-ish, not space)."""
    return bool(ch) and ord(ch) < 0x3000 and ch not in _SPACES and ch not in CANNOT_START


def adjust_break(chars: Sequence[str], start: int, brk: int) -> int:
    """Where to end a line that starts at ``start`` and overflows at ``brk``.

    Args:
        chars: the characters of the paragraph (reportlab's per-glyph strings).
        start: index of the line's first character.
        brk: index of the first character that no longer fits.

    Returns:
        The index at which the next line starts: at most one position after ``brk`` (a
        hanging mark or trailing spaces may go past it), always greater than ``start``.
    """
    n = len(chars)
    if brk >= n:
        return n
    if brk <= start:
        brk = start + 1
    # Spaces at the break hang invisibly at the end of the line.
    if chars[brk] in _SPACES:
        while brk < n and chars[brk] in _SPACES:
            brk += 1
        return brk
    # Do not cut a Latin word or number when it can move down whole (and is not too long).
    if _is_word_char(chars[brk]) and _is_word_char(chars[brk - 1]):
        j = brk - 1
        while j > start and _is_word_char(chars[j - 1]):
            j -= 1
        if j > start and j >= (start + brk) // 2:
            brk = j
    # One closing mark: hang it in the margin.
    if (chars[brk] in CANNOT_START and (brk + 1 >= n or chars[brk + 1] not in CANNOT_START)
            and chars[brk - 1] not in CANNOT_END):
        return brk + 1
    # Otherwise push characters down until the line neither starts with a closing mark nor
    # ends with an opening one.
    j = brk
    while j > start + 1 and (chars[j] in CANNOT_START or chars[j - 1] in CANNOT_END):
        j -= 1
    if chars[j] not in CANNOT_START and chars[j - 1] not in CANNOT_END:
        return j
    # A line made only of punctuation: hang all the closing marks rather than break the rule.
    k = brk
    while k < n and chars[k] in CANNOT_START:
        k += 1
    return k


_width_cache: dict[tuple[str, float], dict[str, float]] = {}


def _char_widths(word: str, font_name: str, font_size: float) -> list[float]:
    """Replacement for ``textsplit.getCharWidths``: the same widths, remembered per font."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    cache = _width_cache.setdefault((font_name, font_size), {})
    out = []
    for ch in word:
        w = cache.get(ch)
        if w is None:
            w = cache[ch] = stringWidth(ch, font_name, font_size)
        out.append(w)
    return out


def _dumb_split(word: str, widths: list[float],
                max_widths: float | Sequence[float]) -> list[list[Any]]:
    """Replacement for ``reportlab.lib.textsplit.dumbSplit`` (single-style paragraphs)."""
    from reportlab.lib.textsplit import _FUZZ

    if not isinstance(max_widths, Sequence):
        max_widths = [max_widths]
    lines: list[list[Any]] = []
    i = start = 0
    used = 0.0
    max_width = max_widths[0]
    n = len(word)
    while i < n:
        used += widths[i]
        i += 1
        if used > max_width + _FUZZ and used > 0:
            nxt = adjust_break(word, start, i - 1)
            extra = max_width - sum(widths[start:nxt])
            lines.append([extra, word[start:nxt].strip()])
            max_width = max_widths[min(len(lines), len(max_widths) - 1)]
            start = i = nxt
            used = 0
    if start < n:
        lines.append([max_width - sum(widths[start:]), word[start:]])
    return lines


def _cjk_frag_split(frags: list[Any], max_widths: Sequence[float], calc_bounds: bool,
                    encoding: str = "utf8") -> Any:
    """Replacement for ``reportlab.platypus.paragraph.cjkFragSplit`` (several fragments)."""
    from reportlab.platypus import paragraph as pp

    glyphs: list[Any] = []
    for f in frags:
        text = f.text
        if isinstance(text, bytes):
            text = text.decode(encoding)
        if text:
            glyphs.extend(pp.cjkU(t, f, encoding) for t in text)
        else:
            glyphs.append(pp.cjkU(text, f, encoding))
    widths = []
    lines = []
    i = used = start = 0
    max_width = max_widths[0]
    n = len(glyphs)
    while i < n:
        u = glyphs[i]
        i += 1
        w = u.width
        if hasattr(w, "normalizedValue"):
            w._normalizer = max_width
            w = w.normalizedValue(max_width)
        widths.append(w)
        used += w
        line_break = hasattr(u.frag, "lineBreak")
        if (used > max_width + pp._FUZZ and used > 0) or line_break:
            nxt = i if line_break else adjust_break(glyphs, start, i - 1)
            for k in range(len(widths), nxt):  # widths of hanging glyphs not yet measured
                gw = glyphs[k].width
                widths.append(gw.normalizedValue(max_width) if hasattr(gw, "normalizedValue") else gw)
            line_width = sum(widths[start:nxt])
            lines.append(pp.makeCJKParaLine(
                glyphs[start:nxt], max_width, line_width, max_width - line_width, line_break,
                calc_bounds,
            ))
            max_width = max_widths[min(len(lines), len(max_widths) - 1)]
            del widths[nxt:]
            start = i = nxt
            used = 0
    used = sum(widths[start:])
    if start < n and used > 0:
        lines.append(pp.makeCJKParaLine(
            glyphs[start:], max_width, used, max_width - used, False, calc_bounds
        ))
    return pp.ParaLines(kind=1, lines=lines)


def install() -> None:
    """Patch reportlab's CJK wrapping once (idempotent; safe to call before every build)."""
    global _installed
    if _installed:
        return
    import reportlab.lib.textsplit as ts
    import reportlab.platypus.paragraph as pp

    extra = "".join(sorted(CANNOT_START - set(ts.ALL_CANNOT_START)))
    ts.ALL_CANNOT_START += extra  # other users of the list see the Chinese marks too
    pp.ALL_CANNOT_START += extra
    ts.dumbSplit = _dumb_split
    ts.getCharWidths = _char_widths  # measuring each glyph anew was half the export time
    pp.cjkFragSplit = _cjk_frag_split
    _installed = True


def line_texts(text: str, font_name: str, font_size: float, width: float) -> list[str]:
    """The lines a CJK paragraph of ``text`` breaks into at ``width`` points (for checks).

    ``text`` is plain text; ``\\n`` starts a new line as in a table cell.
    """
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from app.services.paper.layout import para_markup

    install()
    style = ParagraphStyle("wrapcheck", fontName=font_name, fontSize=font_size,
                           leading=font_size * 1.4, wordWrap="CJK")
    para = Paragraph(para_markup(text), style)
    para.wrap(width, 1e6)
    out: list[str] = []
    for line in para.blPara.lines:
        if isinstance(line, tuple | list):  # single-fragment form: (extra space, [text])
            out.append("".join(line[1]))
        else:
            out.append("".join(getattr(w, "text", "") for w in line.words))
    return out


__all__ = ["CANNOT_END", "CANNOT_START", "adjust_break", "install", "line_texts"]
