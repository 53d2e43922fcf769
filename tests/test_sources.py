import pytest

from generator.inputs.dump_parse import (
    ORPHAN_ABSTRACT,
    ORPHAN_TITLE,
    Layout,
    _content_lines,
    _split_lines,
    decode_dump,
    detect_layout,
    looks_like_abstract,
    parse_dump,
)
from generator.models import ProblemKind, Severity

from .dumps import layout_a, layout_b

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
    assert [r.title for r in records] == [
        "On Many-Actions Policy Gradient",
        "$A^2$Nav: Action-Aware Zero-Shot Robot Navigation",
    ]
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


# --- Layouts, recovery and encodings (issue 6) ---------------------------------------------

SHORT_CUT = "We anticipate the next actions of a person from egocentric video and a short…"
NO_PUNCTUATION = (
    "we model human skeletons as graphs and learn spatial and temporal relations between joints with a light "
    "transformer that runs in real time on commodity hardware and improves accuracy on two skeleton benchmarks"
)
TITLES = [f"Title Number {word} for Action Recognition" for word in ("One", "Two", "Three", "Four", "Five")]


def _parsed(text: str) -> tuple[list[tuple[int, str, str]], list[tuple[int | None, ProblemKind]]]:
    records, problems = parse_dump("x.txt", text)
    return [(r.line, r.title, r.abstract) for r in records], [(p.line, p.kind) for p in problems]


def test_layout_is_detected_per_file() -> None:
    assert detect_layout(_content_lines(_split_lines(LAYOUT_A))[0]) is Layout.A
    assert detect_layout(_content_lines(_split_lines(LAYOUT_B))[0]) is Layout.B


def test_layout_is_logged_with_its_record_count(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO", logger="generator.inputs.dump_parse")
    parse_dump("b.txt", LAYOUT_B)
    assert "b.txt: layout B" in caplog.text and "2 records" in caplog.text


@pytest.mark.parametrize("layout", [layout_a, layout_b])
def test_orphan_title_at_start_middle_and_end(layout) -> None:  # type: ignore[no-untyped-def]
    text = layout([TITLES[0], TITLES[1], ABSTRACT, TITLES[2], TITLES[3], ABSTRACT2, TITLES[4]])
    records, problems = _parsed(text)
    assert [r[1:] for r in records] == [(TITLES[1], ABSTRACT), (TITLES[3], ABSTRACT2)]
    lines = text.split("\n")
    assert [lines[n - 1].removeprefix("Subscribe") for n, _ in problems] == [TITLES[0], TITLES[2], TITLES[4]]
    assert all(kind is ProblemKind.ORPHAN_TITLE for _, kind in problems)
    assert all(lines[n - 1].removeprefix("Subscribe") == t for n, t, _ in records)


@pytest.mark.parametrize("layout", [layout_a, layout_b])
def test_two_abstracts_in_a_row_and_an_abstract_first(layout) -> None:  # type: ignore[no-untyped-def]
    text = layout([ABSTRACT2, TITLES[0], ABSTRACT, ABSTRACT2, TITLES[1], ABSTRACT])
    records, problems = _parsed(text)
    assert [r[1:] for r in records] == [(TITLES[0], ABSTRACT), (TITLES[1], ABSTRACT)]
    lines = text.split("\n")
    assert [lines[n - 1].removeprefix("Subscribe") for n, _ in problems] == [ABSTRACT2, ABSTRACT2]
    assert all(kind is ProblemKind.ORPHAN_ABSTRACT for _, kind in problems)


@pytest.mark.parametrize("layout", [layout_a, layout_b])
@pytest.mark.parametrize(
    "odd", [SHORT_CUT, NO_PUNCTUATION, "A Method That Learns To Act In Large Action Spaces…", "Short abstract."]
)
def test_title_like_abstract_is_read_by_what_surrounds_it(layout, odd: str) -> None:  # type: ignore[no-untyped-def]
    text = layout([TITLES[0], ABSTRACT, TITLES[1], odd, TITLES[2], ABSTRACT2])
    records, problems = _parsed(text)
    assert problems == []
    assert [r[1:] for r in records] == [(TITLES[0], ABSTRACT), (TITLES[1], odd), (TITLES[2], ABSTRACT2)]


@pytest.mark.parametrize("layout", [layout_a, layout_b])
def test_orphans_have_their_kind_and_say_what_they_are(layout) -> None:  # type: ignore[no-untyped-def]
    _, problems = parse_dump("x.txt", layout([ABSTRACT2, TITLES[0], ABSTRACT, TITLES[1]]))
    assert [(p.kind, p.message.split(":")[0], p.severity) for p in problems] == [
        (ProblemKind.ORPHAN_ABSTRACT, ORPHAN_ABSTRACT, Severity.WARNING),
        (ProblemKind.ORPHAN_TITLE, ORPHAN_TITLE, Severity.WARNING),
    ]


def test_other_problems_are_of_the_general_kind() -> None:
    _, problems = decode_dump("x.txt", "Caf\xe9 au lait\n".encode("cp1252"))
    assert problems and all(p.kind is ProblemKind.GENERAL for p in problems)
    _, problems = parse_dump("x.txt", "just some text\n")
    assert problems and all(p.kind is ProblemKind.GENERAL for p in problems)


def test_cut_abstract_after_an_orphan_title_stays_an_abstract() -> None:
    records, problems = _parsed(layout_b([TITLES[0], TITLES[1], SHORT_CUT, TITLES[2], ABSTRACT]))
    assert [r[1:] for r in records] == [(TITLES[1], SHORT_CUT), (TITLES[2], ABSTRACT)]
    assert problems == [(3, ProblemKind.ORPHAN_TITLE)]


def test_sentence_case_and_question_titles_are_titles() -> None:
    titles = [
        "On the limits of agency in agent-based models",
        "Value function estimation using conditional diffusion models for control",
        "Does Sparsity Help in Learning Misspecified Linear Bandits?",
        "Tell me what you see: A zero-shot action recognition method based on natural language descriptions",
    ]
    for title in titles:
        assert not looks_like_abstract(title), title
    records, problems = _parsed(layout_b([titles[0], titles[1], ABSTRACT, titles[2], titles[3], ABSTRACT2]))
    assert [r[1] for r in records] == [titles[1], titles[3]] and len(problems) == 2


def test_subscribe_is_unglued_only_after_a_header() -> None:
    text = layout_b(["Subscribers Matter: Policy Gradient for Newsletters", ABSTRACT])
    text = text.replace("Subscribe", "Subscribe\n", 1)  # a standalone Subscribe line: nothing is glued
    records, _ = _parsed(text)
    assert records[0][1] == "Subscribers Matter: Policy Gradient for Newsletters"


def test_two_listings_pasted_into_one_file() -> None:
    text = layout_b([TITLES[0], ABSTRACT]) + layout_b([TITLES[1], ABSTRACT2])
    records, problems = _parsed(text)
    assert problems == [] and [r[:2] for r in records] == [(3, TITLES[0]), (7, TITLES[1])]


def test_date_lines_set_listed_per_record() -> None:
    text = layout_a([TITLES[0], ABSTRACT, "Apr 4", TITLES[1], ABSTRACT2])
    records, _ = parse_dump("a.txt", text)
    assert [r.listed for r in records] == ["Apr 3", "Apr 4"]


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("layout", [LAYOUT_A, LAYOUT_B])
def test_line_endings_and_bom_keep_line_numbers(newline: str, bom: bytes, layout: str) -> None:
    expected, _ = parse_dump("x.txt", layout)
    text, problems = decode_dump("x.txt", bom + layout.replace("\n", newline).encode("utf-8"))
    assert problems == [] and text is not None
    assert parse_dump("x.txt", text)[0] == expected
    # parse_dump reads raw line endings too (text not from decode_dump)
    assert parse_dump("x.txt", layout.replace("\n", newline))[0] == expected


def test_cp1252_lines_are_named_and_utf8_lines_kept() -> None:
    utf8 = LAYOUT_B.replace("On Many", "TÜLU Many").encode("utf-8")
    mixed = utf8.replace(b"$A^2$Nav", "Caf\u00e9 \u201cNav\u201d".encode("cp1252"))
    text, problems = decode_dump("m.txt", mixed.replace(b"\n", b"\r\n"))
    assert text is not None and "TÜLU Many" in text and "Café “Nav”" in text
    assert [(p.line, p.severity) for p in problems] == [(5, Severity.WARNING)]
    assert "line(s) 5" in problems[0].message and "cp1252" in problems[0].message


def test_cp1252_first_bad_line_counts_cr_only_endings() -> None:
    data = LAYOUT_B.replace("$A^2$Nav", "Caf\u00e9Nav").encode("cp1252").replace(b"\n", b"\r")
    _, problems = decode_dump("c.txt", data)
    assert problems[0].line == 5


def test_bytes_that_no_encoding_reads_are_an_error_with_the_line() -> None:
    data = LAYOUT_B.encode("utf-8").replace(b"$A^2$Nav", b"\x81\x8d Nav")
    text, problems = decode_dump("u.txt", data)
    assert text is None and problems[0].severity is Severity.ERROR and problems[0].line == 5


def test_utf16_with_bom_is_read_with_a_warning() -> None:
    text, problems = decode_dump("w.txt", LAYOUT_B.replace("\n", "\r\n").encode("utf-16"))
    assert text is not None and parse_dump("w.txt", text)[0] == parse_dump("w.txt", LAYOUT_B)[0]
    assert [p.severity for p in problems] == [Severity.WARNING] and "UTF-16" in problems[0].message


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\n\r\n  \t\n",
        b"\xef\xbb\xbf",
        b"\xff\xfe\n\x00",
        bytes(range(256)) * 8,
        b"PK\x03\x04" + bytes(200),
        b"\x89PNG\r\n\x1a\n" + b"\x01\x02\x03" * 50,
    ],
)
def test_empty_and_binary_files_are_skipped_with_an_error(data: bytes) -> None:
    text, problems = decode_dump("f.txt", data)
    assert text is None and len(problems) == 1 and problems[0].severity is Severity.ERROR
    assert problems[0].file == "f.txt"


@pytest.mark.parametrize(
    "text",
    [
        "hello\nworld\n",
        "Notes\n\nSome long paragraph about curating. " * 5,
        "Apr 3\n",
        "new\n\nSubscribe\n",
        "new\nTitle Only Here\n",
    ],
)
def test_unrecognised_text_is_an_error_naming_the_file(text: str) -> None:
    records, problems = parse_dump("notes.txt", text)
    assert records == [] and any(p.severity is Severity.ERROR and p.file == "notes.txt" for p in problems)


def test_headerless_listing_is_refused_with_what_a_dump_looks_like() -> None:
    body = LAYOUT_B.split("\n", 2)[2].removeprefix("Subscribe")
    records, problems = parse_dump("x.txt", body)
    assert records == [] and "listing header" in problems[0].message and "Subscribe" in problems[0].message


def test_every_content_line_is_a_record_line_or_a_reported_line() -> None:
    text = layout_a([ABSTRACT, TITLES[0], ABSTRACT, ABSTRACT2, TITLES[1], TITLES[2], SHORT_CUT, TITLES[3]])
    records, problems = parse_dump("x.txt", text)
    content = [n for n, _, _ in _numbered_content(text)]
    used = sorted([r.line for r in records] + [r.line + 2 for r in records] + [p.line for p in problems if p.line])
    assert used == content


def _numbered_content(text: str) -> list[tuple[int, str, None]]:
    headers = {"new", "subscribe", "get trending papers in your email inbox!", "byak and the research community"}
    return [
        (n, s, None)
        for n, s in enumerate(text.split("\n"), 1)
        if s.strip() and s.casefold() not in headers and s != "Apr 3"
    ]
