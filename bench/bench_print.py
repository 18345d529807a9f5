"""Print benchmark, run on demand: ``python bench/bench_print.py [--units N]``.

Measures what a user waits for after 文件 → 打印预览 (target: first page in < 0.5 s): on the
seed document (tests/fixtures/seed.docx) and on N units (default 10), the PDF export of the first
unit, then the preview dialog until its first page is painted (pages render as they come into
view; the other units are laid out afterwards); then the time until every unit is in, and
printing the same PDF to a PDF printer at print resolution.
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

    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QApplication

    from app.services.formats.file_io import read_file
    from app.services.paper.writer import write_pdf
    from app.ui import printing
    from app.ui.main import create_app
    from bench.workload import make_workload

    app = create_app()
    write_pdf(Path(tempfile.mkdtemp(prefix="bench-print-")) / "warm.pdf",
              make_workload(1, projects=1))  # fonts registered once, as after the first print
    seed = ROOT / "tests" / "fixtures" / "seed.docx"
    for name, docs in (("seed document", read_file(seed).documents),
                       (f"{args.units} units", make_workload(args.units, projects=3))):
        t = time.perf_counter()
        dialog = printing.print_preview(None, docs)
        assert dialog is not None
        while not dialog.pages_shown:
            QApplication.processEvents()
        first_page = time.perf_counter() - t
        while dialog.loading():
            QApplication.processEvents()
        print(f"preview of the {name} ({dialog.page_count()} pages): first page shown after "
              f"{first_page:.2f} s, every page in after {time.perf_counter() - t:.2f} s")
        dialog.reject()
        QApplication.processEvents()

    tmp = Path(tempfile.mkdtemp(prefix="bench-print-"))
    src = write_pdf(tmp / "src.pdf", docs)

    printer = printing.make_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp / "printed.pdf"))
    t = time.perf_counter()
    printed = printing.render_pdf_to_printer(src, printer)
    print_s = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"print {printed} pages at {printing.PRINT_DPI} dpi: {print_s:.2f} s; "
          f"peak memory {peak:.0f} MB")
    app.quit()


if __name__ == "__main__":
    main()
