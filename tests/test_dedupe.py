import random

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.models import Record, Rule
from generator.stages.dedupe import find_duplicates

A1 = (
    "We study the task of zero-shot vision-and-language navigation, a practical yet challenging problem in "
    "which an agent learns to navigate following a path described by language instructions."
)
B1 = (
    "Offline reinforcement learning learns policies from fixed datasets. We study how dataset "
    "characteristics such as trajectory quality and state coverage influence offline algorithms."
)
B2 = (
    "We argue for the fundamental importance of the value distribution: the distribution of the random "
    "return received by a reinforcement learning agent, and design a new algorithm."
)


def rec(file: str, line: int, title: str, abstract: str) -> Record:
    return Record(file, line, title, abstract)


def test_latex_variants_merge() -> None:
    result = find_duplicates(
        [
            rec("a.txt", 3, "$A^2$Nav: Action-Aware Navigation", A1),
            rec("b.txt", 5, "A^2Nav: Action-Aware Navigation", A1),
        ]
    )
    assert len(result.papers) == 1
    assert result.merges[0].rule is Rule.SAME_TITLE_KEY
    assert set(result.papers[0].aliases) | {result.papers[0].title} == {
        "$A^2$Nav: Action-Aware Navigation",
        "A^2Nav: Action-Aware Navigation",
    }


def test_near_titles_of_distinct_papers_stay_apart() -> None:
    result = find_duplicates(
        [
            rec("a.txt", 3, "A Dataset Perspective on Offline Reinforcement Learning", B1),
            rec("b.txt", 3, "A Distributional Perspective on Reinforcement Learning", B2),
        ]
    )
    assert len(result.papers) == 2


def test_version_numbers_keep_reports_apart() -> None:
    result = find_duplicates([rec("a.txt", 3, "X2 Technical Report", B1), rec("b.txt", 3, "X2.5 Technical Report", B2)])
    assert len(result.papers) == 2


RECORDS = [
    rec("a.txt", 3, "$A^2$Nav: Action-Aware Navigation", A1),
    rec("b.txt", 5, "A^2Nav: Action-Aware Navigation", A1),
    rec("c.txt", 7, "A Dataset Perspective on Offline Reinforcement Learning", B1),
    rec("d.txt", 9, "A Distributional Perspective on Reinforcement Learning", B2),
    rec("e.txt", 3, "a distributional perspective on reinforcement learning.", B2),
]


@settings(max_examples=30, deadline=None)
@given(st.randoms(use_true_random=False))
def test_input_order_never_changes_the_result(rnd: random.Random) -> None:
    shuffled = RECORDS[:]
    rnd.shuffle(shuffled)
    assert find_duplicates(shuffled) == find_duplicates(RECORDS)


def test_every_record_is_in_exactly_one_paper() -> None:
    result = find_duplicates(RECORDS)
    seen = [r for p in result.papers for r in p.sources]
    assert sorted(seen, key=lambda r: r.file) == sorted(RECORDS, key=lambda r: r.file)
    assert len(result.papers) == 3
