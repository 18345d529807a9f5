"""The mutation fuzzer (tests/fuzz) for a fixed number of cases with a fixed seed.

Fails on any exception that is not the program's own error, any case over 20 s, or a peak
over 1 GiB. ``PERFGOALS_FUZZ_CASES=20000 PERFGOALS_FUZZ_SEED=7`` runs a longer campaign
(or ``python -m tests.fuzz.runner --cases 20000 --seed 7 --save DIR``); every failure it
finds is kept in tests/fixtures/hostile as a regression fixture.
"""

from __future__ import annotations

import os

from tests.fuzz.runner import run_campaign


def test_fuzz_campaign() -> None:
    cases = int(os.environ.get("PERFGOALS_FUZZ_CASES", "2000"))
    seed = int(os.environ.get("PERFGOALS_FUZZ_SEED", "1"))
    report = run_campaign(seed, range(cases))
    assert report.cases == cases
    # The campaign must reach past the readers: some files import, some are refused.
    assert report.counts.get("ok", 0) > cases // 10 and report.counts.get("refused", 0) > cases // 10
    details = "\n".join(f"case {f['n']} ({f.get('kind')}, {f.get('mutator')}): {f['status']}\n{f.get('detail')}"
                        for f in report.failures[:5])
    assert not report.failures, f"{len(report.failures)} failures, replay with --only N:\n{details}"
