"""Benchmark: the edit-to-markers cycle of the indicator-table editor.

One cycle = setData on a cell → SetFields op (committed to SQLite) → Edits.changed → the real
validator (Validator.revalidate_project) → IndicatorEditor.set_findings → markers. Run on a
30-project document whose edited project has 25 indicator rows; target < 50 ms.

    QT_QPA_PLATFORM=offscreen python -m bench.bench_indicator [--units N] [--cycles N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.models import Indicator  # noqa: E402
from app.services.formats.importing import commit_documents  # noqa: E402
from app.services.storage.documents import load_documents  # noqa: E402
from app.services.storage.store import Store  # noqa: E402
from app.services.validation import Validator  # noqa: E402
from app.services.workspace.workspace import Workspace  # noqa: E402
from app.ui.commands import Edits  # noqa: E402
from app.ui.editors.indicator_editor import IndicatorEditor  # noqa: E402
from app.ui.editors.indicator_model import COL_LEVEL3, COL_VALUE  # noqa: E402
from bench.workload import make_workload  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=100, help="units in the database (other units = size of the DB)")
    parser.add_argument("--cycles", type=int, default=200)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])

    docs = make_workload(args.units)
    project = docs[0].projects[0]
    while len(project.indicators) < 25:
        project.indicators.append(Indicator(position=len(project.indicators), level1="产出指标",
                                            level2="数量指标", level3=f"补充指标{len(project.indicators)}",
                                            description="说明", value_raw="≥10个", basis="计划标准"))
    del project.indicators[25:]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "bench.db")
        t0 = time.perf_counter()
        commit_documents(store, docs)
        print(f"database: {args.units} units, built in {time.perf_counter() - t0:.1f} s")
        (doc,) = load_documents(store, unit_code=docs[0].unit.code)
        project = doc.projects[0]
        validator = Validator()
        validator.validate_document(doc)
        workspace = Workspace(store)
        edits = Edits(workspace)
        stack = edits.stack
        editor: IndicatorEditor

        phases: dict[str, list[float]] = {"database": [], "validator": [], "markers": []}
        real_apply = workspace.apply

        def timed_apply(*a, **k):  # type: ignore[no-untyped-def]
            t = time.perf_counter()
            try:
                return real_apply(*a, **k)
            finally:
                phases["database"].append((time.perf_counter() - t) * 1000)

        workspace.apply = timed_apply  # type: ignore[method-assign]

        def notify(_obj: object) -> None:
            t = time.perf_counter()
            found = validator.revalidate_project(doc, project)
            t1 = time.perf_counter()
            editor.set_findings(found)
            phases["validator"].append((t1 - t) * 1000)
            phases["markers"].append((time.perf_counter() - t1) * 1000)

        editor = IndicatorEditor(edits)
        edits.changed.connect(notify)
        editor.resize(1280, 700)
        editor.set_project(doc, project)
        editor.show()
        app.processEvents()
        print(f"project: {len(project.indicators)} rows, document: {len(doc.projects)} projects")

        scenarios = {
            # values and names that keep each row's height (the common case)
            "same-height edits": (["≥98%", "98%", "≥ 98 % ", "≥1600批次", "＝100%"],
                                  ["抽检合格率", "社会效益提升%", "**抽检率", "抽检批次"]),
            # texts that wrap to another line count, so rows below move and repaint
            "re-wrapping edits": (["≥98%", "资金拨付完成时限", "≥1600批次"],
                                  ["抽检合格率", "食品安全抽检监测问题发现及时处置率"]),
        }
        for label, (values, names) in scenarios.items():
            for phase in phases.values():
                phase.clear()
            samples: list[float] = []
            paints: list[float] = []
            for n in range(args.cycles):
                row = n % 25
                if n % 2:
                    index, text = editor.model.index(row, COL_VALUE), values[n % len(values)] + str(n % 7)
                else:
                    index, text = editor.model.index(row, COL_LEVEL3), names[n % len(names)] + str(n % 7)
                t = time.perf_counter()
                editor.model.setData(index, text)
                t_paint = time.perf_counter()
                app.processEvents()  # repaint of the markers
                end = time.perf_counter()
                samples.append((end - t) * 1000)
                paints.append((end - t_paint) * 1000)
            samples.sort()
            p95 = samples[int(len(samples) * 0.95) - 1]
            print(f"{label}: edit-to-markers cycle over {len(samples)} edits: median "
                  f"{statistics.median(samples):.1f} ms, p95 {p95:.1f} ms, max {samples[-1]:.1f} ms "
                  "(target < 50 ms)")
            breakdown = {**phases, "repaint": paints}
            print("  median per phase: " + ", ".join(
                f"{name} {statistics.median(v):.1f} ms" for name, v in breakdown.items() if v))
        t = time.perf_counter()
        while stack.canUndo():
            stack.undo()
        app.processEvents()
        print(f"undo of {stack.count()} edits: {(time.perf_counter() - t) * 1000 / max(1, stack.count()):.1f} ms each")
        store.close()


if __name__ == "__main__":
    main()
