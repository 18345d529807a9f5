"""``--self-test``: prove a build works (sample import, validation, every export)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path


def run_self_test() -> int:
    """Open the bundled sample, validate it, export each format to a temp folder; 0 if fine."""
    from app.resources import sample_document
    from app.services.file_io import export_documents, read_file
    from app.services.importing import commit_documents
    from app.services.storage import Store
    from app.services.validation import check_documents

    with tempfile.TemporaryDirectory(prefix="perfgoals-selftest-") as tmp:
        tmpdir = Path(tmp)
        store = Store.open(tmpdir / "selftest.db")
        try:
            res = read_file(sample_document())
            commit_documents(store, res.documents, source="sample")
            from app.services.documents import load_documents

            docs = load_documents(store)
            report = check_documents(docs)
            for fmt in ("json", "docx", "xlsx", "pdf"):
                export_documents(docs, fmt, tmpdir / f"selftest.{fmt}")
        except Exception as exc:  # noqa: BLE001
            sys.stderr.write(f"自检失败：{exc}\n")
            return 1
        finally:
            store.close()
    sys.stdout.write(f"自检通过：{len(docs)}个文档，{len(report.findings)}条校验结果\n")
    return 0
