"""One loader for bundled resources (fonts, rule profiles, sample, migrations).

Works the same from a source checkout and from a PyInstaller bundle, where the data files
sit under ``sys._MEIPASS``. Nothing else in the app builds paths to ``resources/``.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """The folder holding the bundled resources."""
    frozen_base = getattr(sys, "_MEIPASS", None)
    if frozen_base:
        return Path(frozen_base) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """Path of a bundled resource, e.g. ``resource_path("fonts", "wqy-microhei.ttc")``."""
    return resources_dir().joinpath(*parts)


def font_path() -> Path:
    """The bundled open-licence CJK TrueType font (WenQuanYi Micro Hei)."""
    return resource_path("fonts", "wqy-microhei.ttc")


def sample_document() -> Path:
    """The bundled sample: the reference document of 曹妃甸区市场监督管理局, 2024."""
    return resource_path("sample", "sample.docx")


def help_guide() -> str:
    """The built-in guide to filling the tables (HTML, Chinese)."""
    return resource_path("help", "guide.html").read_text(encoding="utf-8")
