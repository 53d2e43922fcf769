"""A paper that trends for weeks is listed in dozens of daily dumps: dedup merges any number of
copies and variants of it, and still keeps distinct papers apart, with bounded work."""

from __future__ import annotations

import time

import pytest

from generator.inputs.dumps_folder import read_sources
from generator.models import Record
from generator.stages.dedupe import _BLOCK_LIMIT, _normalize, candidate_pairs, find_duplicates

from .conftest import DATA
from .test_dedupe import B1, B2

TITLE = "A Dataset Perspective on Offline Reinforcement Learning"
OTHER = "A Distributional Perspective on Reinforcement Learning"


def _copies(n: int, title: str = TITLE, abstract: str = B1, start: int = 0) -> list[Record]:
    return [Record(f"{start + i:04d}_daily.txt", 3, title, abstract) for i in range(n)]


@pytest.mark.parametrize("copies", [2, _BLOCK_LIMIT, _BLOCK_LIMIT + 1, 200, 1000])
def test_any_number_of_identical_copies_is_one_paper(copies: int) -> None:
    records = _copies(copies) + [Record("9999_other.txt", 3, OTHER, B2)]
    result = find_duplicates(records)
    assert sorted(len(p.sources) for p in result.papers) == [1, copies]
    assert len(result.merges) == copies - 1


def test_variants_among_many_copies_merge() -> None:
    """30 copies, 11 with a typo in the title, 10 with the abstract cut short, 5 upper-cased: the
    title-word and abstract blocks hold 56 records, past the all-pairs limit."""
    typo = TITLE.replace("Offline", "Ofline")
    cut = B1[: len(B1) // 2].rsplit(" ", 1)[0] + "…"
    records = (
        _copies(30)
        + _copies(11, title=typo, start=100)
        + _copies(10, abstract=cut, start=200)
        + _copies(5, title=TITLE.upper(), start=300)
    )
    result = find_duplicates(records + [Record("9999_other.txt", 3, OTHER, B2)])
    assert sorted(len(p.sources) for p in result.papers) == [1, 56]
    assert not result.review


def test_many_distinct_papers_sharing_a_title_opening_are_not_compared_all_with_all() -> None:
    """`A survey of ...` titles share a word-run block that says nothing: the work stays bounded."""
    records = [
        Record("a.txt", 3 + 2 * i, f"A survey of topic number {i} in depth", f"Abstract {i} " + B1[: 40 + i])
        for i in range(400)
    ]
    norms = [_normalize(r) for r in records]
    assert len(candidate_pairs(norms)) < 400 * _BLOCK_LIMIT


def test_a_thousand_copies_stay_fast() -> None:
    records = _copies(1000) + read_sources(DATA / "sources")[0]
    start = time.perf_counter()
    result = find_duplicates(records)
    elapsed = time.perf_counter() - start
    assert max(len(p.sources) for p in result.papers) >= 1000
    assert elapsed < 30  # generous: the benchmark measures it (benchmarks/bench_dedupe.py --copies)
