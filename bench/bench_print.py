"""Print benchmark, run on demand: ``python bench/bench_print.py [--units N]``.

Measures what a user waits for after 文件 → 打印预览 on N units (default 10): the PDF export,
then the preview dialog until its first page is on screen (the preview records every page
before it shows one), and printing the same PDF to a PDF printer at print resolution.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=10)
    args = parser.parse_args()

    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewWidget
    from PySide6.QtWidgets import QApplication

    from app.services.paper.writer import write_pdf
    from app.ui import printing
    from app.ui.main import create_app
    from bench.workload import make_workload

    app = create_app()
    docs = make_workload(args.units, projects=3)
    tmp = Path(tempfile.mkdtemp(prefix="bench-print-"))
    src = write_pdf(tmp / "src.pdf", docs)
    t = time.perf_counter()
    dialog = printing.print_preview(None, docs)
    assert dialog is not None
    widget = dialog.findChild(QPrintPreviewWidget)
    while widget.pageCount() == 0:
        QApplication.processEvents()
    first_page = time.perf_counter() - t
    pages = widget.pageCount()
    dialog.reject()
    QApplication.processEvents()

    printer = printing.make_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp / "printed.pdf"))
    t = time.perf_counter()
    printed = printing.render_pdf_to_printer(src, printer)
    print_s = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"preview ({pages} pages, {args.units} units, export included): first page shown after "
          f"{first_page:.2f} s; print {printed} pages at {printing.PRINT_DPI} dpi: {print_s:.2f} s; "
          f"peak memory {peak:.0f} MB")
    app.quit()


if __name__ == "__main__":
    main()
