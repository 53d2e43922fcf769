"""Dedup evidence table: every variant kind from the brief merges; every near-miss kind stays apart."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.inputs.dumps_folder import read_sources
from generator.models import Record, Rule
from generator.stages.dedupe import find_duplicates

from .conftest import DATA

_REAL, _, _ = read_sources(DATA / "sources")
_ABSTRACTS = sorted({r.abstract for r in _REAL})
ABS = _ABSTRACTS[10]
OTHER = _ABSTRACTS[200]
SIMILAR_TOPIC = _ABSTRACTS[11]


def revised(abstract: str) -> str:
    """A revised abstract: one sentence reworded, one added at the end."""
    sentences = abstract.split(". ")
    sentences[1] = "In contrast to prior work, " + sentences[1][0].lower() + sentences[1][1:]
    return ". ".join(sentences) + " Code and models are publicly available."


def cut(abstract: str) -> str:
    return abstract[: len(abstract) // 2].rsplit(" ", 1)[0] + "…"


T = "Iterated Q-Network: Beyond One-Step Bellman Updates in Deep Reinforcement Learning"

SAME_PAPER = [
    ("case change", T, ABS, T.upper(), ABS),
    ("trailing punctuation", T, ABS, T + ".", ABS),
    ("non-breaking space", T, ABS, T.replace(" ", "\u00a0", 3), ABS),
    ("U+2010 hyphen", T, ABS, T.replace("-", "\u2010"), ABS),
    ("em dash for --", "Rayleigh--Benard Convection Control", ABS, "Rayleigh\u2014Benard Convection Control", ABS),
    ("LaTeX accent vs letter", "Rayleigh-B\\'enard Convection Control", ABS, "Rayleigh-Bénard Convection Control", ABS),
    ("accent dropped", "Rayleigh-Bénard Convection Control", ABS, "Rayleigh-Benard Convection Control", ABS),
    ("TeX vs plain superscript", "$A^2$Nav: Action-Aware Navigation", ABS, "A^2Nav: Action-Aware Navigation", ABS),
    ("doubled spaces", T, ABS, T.replace(" ", "  "), ABS.replace(". ", ".  ")),
    ("one-letter typo", T, ABS, T.replace("Reinforcement", "Reinforcment"), ABS),
    ("abstract cut short with …", T, ABS, T, cut(ABS)),
    ("revised abstract", T, ABS, T, revised(ABS)),
    ("lost its subtitle", T, ABS, "Iterated Q-Network", ABS),
    ("typo and cut abstract", T, ABS, T.replace("Bellman", "Belman"), cut(ABS)),
    ("case change and revised abstract", T, ABS, T.lower(), revised(ABS)),
]

DIFFERENT_PAPERS = [
    ("version-numbered reports", "Qwen2 Technical Report", ABS, "Qwen2.5 Technical Report", OTHER),
    (
        "version numbers, near-identical abstracts",
        "Qwen2 Technical Report",
        ABS,
        "Qwen2.5 Technical Report",
        revised(ABS),
    ),
    ("one word swapped", "Denoising Diffusion Probabilistic Models", ABS, "Denoising Diffusion Implicit Models", OTHER),
    (
        "long shared prefix",
        "Learning Latent Actions from Unlabeled Videos for Robot Manipulation",
        ABS,
        "Learning Latent Actions from Unlabeled Videos for Humanoid Locomotion",
        SIMILAR_TOPIC,
    ),
    (
        "from the seeds",
        "A Dataset Perspective on Offline Reinforcement Learning",
        ABS,
        "A Distributional Perspective on Reinforcement Learning",
        OTHER,
    ),
    ("same title, unrelated abstracts", "Action Matching", ABS, "Action Matching", OTHER),
]


def _pair(t1: str, a1: str, t2: str, a2: str) -> list[Record]:
    return [Record("a.txt", 3, t1, a1), Record("b.txt", 7, t2, a2)]


@pytest.mark.parametrize(("kind", "t1", "a1", "t2", "a2"), SAME_PAPER, ids=[c[0] for c in SAME_PAPER])
def test_variant_kinds_merge(kind: str, t1: str, a1: str, t2: str, a2: str) -> None:
    result = find_duplicates(_pair(t1, a1, t2, a2))
    assert len(result.papers) == 1, (kind, result.review)
    (merge,) = result.merges
    assert merge.rule.merges and not merge.rule.curated and merge.score > 0


@pytest.mark.parametrize(("kind", "t1", "a1", "t2", "a2"), DIFFERENT_PAPERS, ids=[c[0] for c in DIFFERENT_PAPERS])
def test_near_miss_kinds_stay_apart(kind: str, t1: str, a1: str, t2: str, a2: str) -> None:
    result = find_duplicates(_pair(t1, a1, t2, a2))
    assert len(result.papers) == 2, kind


def test_close_pairs_kept_apart_go_to_review_with_scores() -> None:
    result = find_duplicates(
        _pair("Denoising Diffusion Probabilistic Models", ABS, "Denoising Diffusion Implicit Models", OTHER)
    )
    (pair,) = result.review
    assert pair.rule is Rule.BELOW_BAR and not pair.merges
    assert pair.title_score >= 80 and pair.abstract_score < 60


def test_canonical_choice_prefers_frequent_then_clean_and_longest_whole_abstract() -> None:
    records = [
        Record("a.txt", 3, T + ".", cut(ABS)),
        Record("b.txt", 3, T, ABS),
        Record("c.txt", 3, T, cut(ABS)),
        Record("d.txt", 3, T.upper(), cut(ABS)),
    ]
    (paper,) = find_duplicates(records).papers
    assert paper.title == T and paper.abstract == ABS
    assert set(paper.aliases) == {T + ".", T.upper()}


def test_chains_are_not_merged_blindly() -> None:
    # a~b by abstract, b~c by title and a revised abstract; a and c share neither title nor abstract.
    a = Record("a.txt", 3, "Short Name", ABS)
    b = Record("b.txt", 3, "Iterated Q-Network Beyond One-Step Bellman Updates", ABS)
    c = Record("c.txt", 3, "Iterated Q-Network: Beyond One-Step Bellman Update", revised(revised(ABS))[:400])
    result = find_duplicates([a, b, c])
    for paper in result.papers:
        refs = {r.file for r in paper.sources}
        assert refs != {"a.txt", "b.txt", "c.txt"} or all(m.score >= 90 for m in result.merges)


def test_curation_keeps_apart_and_merges() -> None:
    a, b = _pair(T, ABS, T.upper(), ABS)
    apart = find_duplicates([a, b], keep_apart=[(frozenset([a]), frozenset([b]))])
    assert len(apart.papers) == 2 and apart.review == ()
    assert [p.rule for p in apart.kept_apart] == [Rule.KEPT_APART]
    c, d = _pair("Completely Different", ABS, "Unrelated Words Here", OTHER)
    merged = find_duplicates([c, d], merge=[frozenset([c, d])])
    assert len(merged.papers) == 1 and merged.merges[0].rule is Rule.CURATION_MERGE


def test_bundled_dumps_give_364_papers() -> None:
    result = find_duplicates(_REAL)
    assert len(_REAL) == 436 and len(result.papers) == 364


_POOL = [r for case in SAME_PAPER[:8] for r in _pair(*case[1:])] + [
    r for case in DIFFERENT_PAPERS for r in _pair(*case[1:])
]


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False), st.integers(min_value=4, max_value=len(_POOL)))
def test_shuffling_changes_nothing(rnd: random.Random, size: int) -> None:
    records = [Record(f"{i:03d}.txt", 3, r.title, r.abstract) for i, r in enumerate(_POOL[:size])]
    shuffled = records[:]
    rnd.shuffle(shuffled)
    assert find_duplicates(shuffled) == find_duplicates(records)


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=4, max_value=len(_POOL)))
def test_deduping_the_output_again_merges_nothing(size: int) -> None:
    records = [Record(f"{i:03d}.txt", 3, r.title, r.abstract) for i, r in enumerate(_POOL[:size])]
    papers = find_duplicates(records).papers
    again = find_duplicates([Record(f"p{i}.txt", 1, p.title, p.abstract) for i, p in enumerate(papers)])
    assert len(again.papers) == len(papers) and again.merges == ()


def test_unicode_superscript_and_tex_agree_on_numbers() -> None:
    result = find_duplicates(_pair("A²Nav: Action-Aware Navigation", ABS, "$A^2$Nav: Action-Aware Navigation", ABS))
    assert len(result.papers) == 1
