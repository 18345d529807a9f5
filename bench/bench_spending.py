"""Spending calendar figures on the bureau workload (run on demand, prints figures).

    python bench/bench_spending.py [units]

Measures the calendar computation of every unit (unit_plan + project_execution), the xlsx
export of one unit, recording 12 months of 执行数 for one unit through the database, and
building the calendar widget for one unit offscreen.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.workload import make_workload  # noqa: E402


def _timed(label: str, fn) -> None:  # noqa: ANN001
    start = time.perf_counter()
    fn()
    print(f"{label:<48} {time.perf_counter() - start:8.3f} s")


def main() -> None:
    from app.services.formats.importing import commit_documents
    from app.services.spending.plan import (
        DEFAULT_BANDS,
        project_execution,
        record_execution,
        unit_plan,
    )
    from app.services.spending.xlsx import write_spending_xlsx
    from app.services.storage.documents import load_documents
    from app.services.storage.store import Store

    units = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    docs = make_workload(units)
    print(f"{units} units, {sum(len(d.projects) for d in docs)} projects")

    def calendars() -> None:
        for d in docs:
            plan = unit_plan(d)
            for pp in plan.projects:
                project_execution(pp.project, DEFAULT_BANDS, pp)

    _timed("calendar of every unit (plan + execution)", calendars)
    with tempfile.TemporaryDirectory() as tmp:
        _timed("xlsx export of one unit", lambda: write_spending_xlsx(Path(tmp) / "u.xlsx", docs[0]))
        store = Store.open(Path(tmp) / "b.db")
        commit_documents(store, docs[:1])
        (doc,) = load_documents(store)

        def record() -> None:
            for p in doc.projects:
                for m in range(1, 13):
                    record_execution(store, p, m, str(m))

        n = len(doc.projects) * 12
        start = time.perf_counter()
        record()
        per = (time.perf_counter() - start) / n * 1000
        print(f"{'record one 执行数 (committed)':<48} {per:8.2f} ms each ({n} edits)")

        from app.services.workspace.ops import FieldValue, SetFields
        from app.services.workspace.workspace import Workspace
        from app.ui.commands import Edits

        workspace = Workspace(store)
        start = time.perf_counter()
        for p in doc.projects:
            workspace.apply(SetFields((FieldValue(workspace.ref_of(p), "plan_mar_raw", "30%"),)))
        per = (time.perf_counter() - start) / len(doc.projects) * 1000
        print(f"{'edit one checkpoint (SetFields op)':<48} {per:8.2f} ms each")

        from app.ui.editors.spending_calendar import SpendingCalendar
        from app.ui.main import create_app

        create_app()
        widget = SpendingCalendar(Edits(workspace))
        _timed("calendar widget set_document (one unit)", lambda: widget.set_document(doc))
        _timed("calendar widget refresh after an edit", lambda: widget.plan_model.refresh())
        store.close()


if __name__ == "__main__":
    main()
