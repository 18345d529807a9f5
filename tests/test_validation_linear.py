"""The indexed cross-project rules find exactly what comparing every pair finds."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from app.services.validation.rules_cross import MAX_SIMILAR_PARTNERS, _foreign_core, similar_pairs

ROWS = st.sets(st.tuples(st.sampled_from("ab"), st.sampled_from("xyzw"), st.sampled_from("12")), max_size=8)


@settings(max_examples=300, deadline=None)
@given(tables=st.lists(ROWS, max_size=12), share=st.sampled_from([0.5, 0.8, 1.0]), min_rows=st.sampled_from([1, 3]))
def test_similar_pairs_match_every_pair_compared(tables, share, min_rows) -> None:
    digests = [SimpleNamespace(signature=t) for t in tables]
    profile = SimpleNamespace(similar_share=share, similar_min_rows=min_rows)
    expected: dict[int, list[int]] = {}
    for a, sa in enumerate(tables):
        for b, sb in enumerate(tables):
            if a != b and len(sa) >= min_rows and len(sb) >= min_rows and \
                    len(sa & sb) / max(len(sa), len(sb)) >= share:
                expected.setdefault(a, []).append(b)
    got = similar_pairs(digests, profile)  # type: ignore[arg-type]
    assert {a: v[:MAX_SIMILAR_PARTNERS] for a, v in expected.items()} == got


@settings(max_examples=300, deadline=None)
@given(cores=st.lists(st.text("甲乙丙丁", min_size=2, max_size=4), max_size=6),
       name=st.text("甲乙丙丁戊", max_size=12), own=st.text("甲乙丙", max_size=6))
def test_foreign_core_matches_a_scan_in_project_order(cores, name, own) -> None:
    me = 0
    owners: dict[str, list[int]] = {}
    for j, c in enumerate(cores):
        if len(owners.setdefault(c, [])) < 2:
            owners[c].append(j)
    lengths = sorted({len(c) for c in owners})
    scan = next((c for j, c in enumerate(cores) if j != me and c not in own and c in name), None)
    assert _foreign_core(name, owners, lengths, me, own) == scan
