"""CJK TrueType fonts for PDF export and printing, always embedded.

reportlab embeds only TrueType outlines (PITFALLS.md §5.1): the bundled WenQuanYi Micro Hei
(a .ttc, so a ``subfontIndex``) is the default everywhere; on Windows the user may choose
宋体 (simsun.ttc) or 仿宋 (simfang.ttf) when they are in the system fonts. Never the
non-embedded ``STSong-Light`` CID font.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from app.resources import font_path
from app.services.errors import PerfGoalsError

DEFAULT_FONT = "wqy"


@dataclass(frozen=True, slots=True)
class FontChoice:
    """A font the user can print with.

    Attributes:
        key: stable identifier stored in settings ("wqy", "simsun", "simfang").
        label: Chinese name shown in the UI.
        path: the font file.
        subfont_index: the face inside a .ttc collection.
        heading_path: an optional separate face for titles (黑体 beside 宋体/仿宋).
    """

    key: str
    label: str
    path: Path
    subfont_index: int = 0
    heading_path: Path | None = None


def system_fonts_dir() -> Path | None:
    """The Windows fonts folder (``%WINDIR%\\Fonts``), or None off Windows."""
    override = os.environ.get("PERFGOALS_SYSTEM_FONTS")  # lets tests stand in for Windows
    if override:
        return Path(override)
    if sys.platform != "win32":
        return None
    return Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"


def _find(folder: Path, name: str) -> Path | None:
    """A file in ``folder`` by name, ignoring case (SIMSUN.TTC on some installs)."""
    direct = folder / name
    if direct.is_file():
        return direct
    try:
        for entry in folder.iterdir():
            if entry.name.lower() == name:
                return entry
    except OSError:
        return None
    return None


def available_fonts() -> list[FontChoice]:
    """The font choices on this machine, the bundled default first."""
    choices = [FontChoice(DEFAULT_FONT, "文泉驿微米黑（内置）", font_path())]
    folder = system_fonts_dir()
    if folder is not None and folder.is_dir():
        heading = _find(folder, "simhei.ttf")
        simsun = _find(folder, "simsun.ttc")
        if simsun is not None:
            choices.append(FontChoice("simsun", "宋体", simsun, 0, heading))
        simfang = _find(folder, "simfang.ttf")
        if simfang is not None:
            choices.append(FontChoice("simfang", "仿宋", simfang, 0, heading))
    return choices


def font_choice(key: str | None) -> FontChoice:
    """The choice for ``key`` (None = default).

    Raises:
        PerfGoalsError: the font is not installed on this machine.
    """
    choices = available_fonts()
    if key is None or key == DEFAULT_FONT:
        return choices[0]
    for choice in choices:
        if choice.key == key:
            return choice
    names = "、".join(c.label for c in choices)
    raise PerfGoalsError(f"字体“{key}”在本机不可用（可用：{names}）")


_registered: dict[tuple[str, int], str] = {}


def _register_file(path: Path, index: int) -> str:
    """Register one TrueType face with reportlab once; return its reportlab name."""
    cache_key = (str(path), index)
    name = _registered.get(cache_key)
    if name is not None:
        return name
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    name = f"PG{len(_registered)}-{path.stem}-{index}"
    try:
        font = TTFont(name, str(path), subfontIndex=index) if path.suffix.lower() == ".ttc" \
            else TTFont(name, str(path))
    except (TTFError, OSError) as exc:
        raise PerfGoalsError(f"字体文件“{path}”无法使用：{exc}") from exc
    pdfmetrics.registerFont(font)
    _registered[cache_key] = name
    return name


@dataclass(frozen=True, slots=True)
class RegisteredFonts:
    """reportlab font names for body text and titles."""

    body: str
    heading: str
    label: str


def register_fonts(key: str | FontChoice | None = None) -> RegisteredFonts:
    """Register the chosen font (and its heading face) with reportlab.

    Raises:
        PerfGoalsError: the font is missing or not a usable TrueType font.
    """
    choice = key if isinstance(key, FontChoice) else font_choice(key)
    body = _register_file(choice.path, choice.subfont_index)
    heading = body
    if choice.heading_path is not None:
        try:
            heading = _register_file(choice.heading_path, 0)
        except PerfGoalsError:
            heading = body  # titles in the body face rather than no PDF at all
    return RegisteredFonts(body, heading, choice.label)
