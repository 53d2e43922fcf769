from generator.models import Severity
from generator.sources import decode_dump, looks_like_abstract, parse_dump

ABSTRACT = (
    "We study how agents learn to act from reward in large action spaces. We propose a method that "
    "scales to millions of actions and show that it improves sample efficiency on several benchmarks."
)
ABSTRACT2 = (
    "Action recognition in videos remains hard when labels are scarce. We introduce a semi-supervised "
    "approach with temporal perturbations and report strong results on fine-grained datasets."
)

LAYOUT_A = f"""new

Get trending papers in your email inbox!

Subscribe

byAK and the research community

Apr 3

Learning to Act in Large Action Spaces

{ABSTRACT}

SeFAR: Semi-supervised Fine-grained Action Recognition

{ABSTRACT2}
"""

LAYOUT_B = f"""Get trending papers in your email inbox once a day!
Get trending papers in your email inbox!
SubscribeOn Many-Actions Policy Gradient
{ABSTRACT}
$A^2$Nav: Action-Aware Zero-Shot Robot Navigation
{ABSTRACT2}
"""


def test_layout_a_titles_lines_and_date() -> None:
    records, problems = parse_dump("a.txt", LAYOUT_A)
    assert problems == []
    assert [(r.line, r.title, r.listed) for r in records] == [
        (11, "Learning to Act in Large Action Spaces", "Apr 3"),
        (15, "SeFAR: Semi-supervised Fine-grained Action Recognition", "Apr 3"),
    ]
    assert records[0].abstract == ABSTRACT


def test_layout_b_unglues_subscribe_and_has_no_date() -> None:
    records, problems = parse_dump("b.txt", LAYOUT_B)
    assert problems == []
    assert [(r.line, r.title, r.listed) for r in records] == [
        (3, "On Many-Actions Policy Gradient", None),
        (5, "$A^2$Nav: Action-Aware Zero-Shot Robot Navigation", None),
    ]


def test_missing_abstract_mid_file_does_not_shift_later_pairs() -> None:
    text = LAYOUT_B.replace("$A^2$Nav", "Orphan Title Without Abstract\n$A^2$Nav")
    records, problems = parse_dump("b.txt", text)
    assert [r.title for r in records] == ["On Many-Actions Policy Gradient", "$A^2$Nav: Action-Aware Zero-Shot Robot Navigation"]
    assert records[1].abstract == ABSTRACT2
    assert len(problems) == 1 and problems[0].line == 5 and "no abstract" in problems[0].message


def test_long_question_title_is_still_a_title() -> None:
    title = (
        "Reinforcement Learning in the Era of LLMs: What is Essential? What is needed? An RL Perspective "
        "on RLHF, Prompting, and Beyond"
    )
    assert not looks_like_abstract(title)
    assert looks_like_abstract(ABSTRACT)


def test_crlf_and_bom_are_read() -> None:
    data = ("\ufeff" + LAYOUT_B).replace("\n", "\r\n").encode("utf-8")
    text, problems = decode_dump("b.txt", data)
    assert problems == [] and text is not None
    records, _ = parse_dump("b.txt", text)
    assert records[0].title == "On Many-Actions Policy Gradient" and records[0].line == 3


def test_cp1252_is_read_with_a_warning() -> None:
    data = LAYOUT_B.replace("On Many", "Caf\u00e9 Many").encode("cp1252")
    text, problems = decode_dump("b.txt", data)
    assert text is not None and "Café Many" in text
    assert problems[0].severity is Severity.WARNING and problems[0].line == 3


def test_empty_and_binary_files_are_errors() -> None:
    assert decode_dump("e.txt", b"  \n")[1][0].severity is Severity.ERROR
    assert decode_dump("b.txt", b"\x00\x01\x02binary")[1][0].severity is Severity.ERROR


def test_text_that_is_not_a_dump_is_reported() -> None:
    records, problems = parse_dump("x.txt", "hello\nworld\n")
    assert records == []
    assert any(p.severity is Severity.ERROR for p in problems)
