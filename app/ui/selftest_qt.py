"""The Qt part of ``--self-test``: is the packaged Qt complete (PITFALLS 1.4)?

Checks what a trimmed bundle can lose: the platform plugin (else Qt aborts before this runs),
styles, image formats, print support (per platform, see :func:`print_support`), Qt's Chinese
translation and the bundled font; then builds the main window without showing it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QLibraryInfo
from PySide6.QtGui import QGuiApplication, QImageReader
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import QStyleFactory

from app.selftest import StepFailed
from app.ui.main import create_app

BUNDLED_FONT_FAMILY = "WenQuanYi Micro Hei"


def qt_report(store: Any, pdf: Path | None = None) -> str:
    """One line describing the Qt set-up; raises StepFailed naming what is missing.

    ``pdf``: the PDF the self-test exported; it is printed (to a PDF printer) the way
    文件 → 打印 does, through PDFium and QtPrintSupport.
    """
    app = create_app()
    frozen = bool(getattr(sys, "frozen", False))
    on_windows = sys.platform == "win32"
    problems: list[str] = []

    styles = QStyleFactory.keys()
    if not styles:
        problems.append("没有任何界面样式")
    native = {"windowsvista", "windows11"}  # Windows 10 look / Windows 11 look (Qt >= 6.7)
    if on_windows and frozen and not native & {s.lower() for s in styles}:
        problems.append("缺少Windows界面样式插件（styles文件夹：windowsvista/windows11）")

    formats = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
    if frozen and not {"ico", "jpg"} <= formats:
        problems.append("缺少图片格式插件（imageformats文件夹：ico/jpeg）")

    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    printing = print_support(plugins, frozen)
    if printing.startswith("缺少"):
        problems.append(printing)

    translated = QCoreApplication.translate("QPlatformTheme", "Cancel") != "Cancel"
    if not translated:
        problems.append("Qt中文翻译（qtbase_zh_CN.qm）未加载")
    family = app.font().family()
    if family != BUNDLED_FONT_FAMILY:
        problems.append(f"内置字体未加载（当前字体{family}）")

    printed = ""
    if not problems and pdf is not None and pdf.is_file():
        printed = _print_pdf(pdf, problems)
    if problems:
        raise StepFailed("；".join(problems) + f"（插件目录{plugins}）")

    from app.ui.main_window import MainWindow

    window = MainWindow(store)
    title = window.windowTitle()
    window.close()
    window.deleteLater()
    return (f"平台{QGuiApplication.platformName()}，样式{app.style().name()}（可用：{'、'.join(styles)}），"
            f"字体{family}，中文翻译已加载，{printing}，"
            f"主窗口“{title}”已创建{printed}（插件目录{plugins}）")


def print_support(plugins: Path, frozen: bool) -> str:
    """Print support as the platform really has it; a text starting with 缺少 is a defect.

    Windows: the printer backend is built into Qt6PrintSupport.dll (the PySide6 wheel has no
    printsupport plugin folder), so importing QtPrintSupport is the check. Linux: printers come
    from CUPS through the ``cupsprintersupport`` plugin; without it no printer is ever listed.
    Either way ``QPrinterInfo`` reports what the system offers (an empty list is no defect: a
    PC may have no printer, and CI has none).
    """
    names = QPrinterInfo.availablePrinterNames()
    default = QPrinterInfo.defaultPrinterName()
    if sys.platform.startswith("linux") and frozen:
        folder = plugins / "printsupport"
        if not any("cups" in p.name for p in folder.glob("*")):
            return f"缺少打印插件（{folder}中没有cupsprintersupport），将无法选择打印机"
    where = "Qt6PrintSupport内置" if sys.platform == "win32" else "插件"
    return (f"打印支持（{where}）可用，打印机{len(names)}台"
            + (f"，默认“{default}”" if default else ""))


def _print_pdf(pdf: Path, problems: list[str]) -> str:
    """Print ``pdf`` to a PDF file as the print command does; '' when printing is not built in."""
    try:
        from app.ui.printing import render_pdf_to_printer
    except ModuleNotFoundError as exc:
        if exc.name == "app.ui.printing":
            return ""
        problems.append(f"打印模块缺少{exc.name}（PDFium：pypdfium2）")
        return ""
    except ImportError as exc:
        problems.append(f"打印模块无法加载：{exc}")
        return ""
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(pdf.with_name("自检打印.pdf")))
    pages = render_pdf_to_printer(pdf, printer, dpi=40)
    if pages <= 0:
        problems.append("导出的PDF无法打印（PDFium没有渲染任何页面）")
    return f"，打印{pages}页"
