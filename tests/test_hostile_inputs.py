"""Hostile input found by a red-team pass: special files among the dumps, hidden dumps, stray
control bytes, UTF-16 without a byte order mark, huge lines, separator lines, very long titles and
abstracts pasted over two lines. Each is read where it can be and reported where it cannot."""

from __future__ import annotations

import os
import random
import re
import tempfile
import threading
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.inputs import dump_parse, dumps_folder
from generator.inputs.dump_parse import ORPHAN_TITLE, decode_dump, parse_dump
from generator.models import Problem, Record, Severity

from .conftest import DATA
from .dumps import LAYOUT_A_HEAD, LAYOUT_B_HEAD, layout_a, layout_b, pairs

DUMP_B = next((DATA / "sources").glob("003_*.txt"))
REAL_B, _ = parse_dump(DUMP_B.name, DUMP_B.read_text(encoding="utf-8"))
REAL = [(r.title, r.abstract) for r in REAL_B[:6]]


def _records(text: str) -> tuple[list[tuple[int, str, str]], list[Problem]]:
    records, problems = parse_dump("x.txt", text)
    return [(r.line, r.title, r.abstract) for r in records], problems


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if needle in line)


def _real_folder(folder: Path) -> list[Record]:
    (folder / DUMP_B.name).write_bytes(DUMP_B.read_bytes())
    return REAL_B


# --- 1. Only regular files are read, and only up to a size ---------------------------------


def _read_with_timeout(folder: Path, unblock: Path | None = None) -> tuple[list[Record], list[Problem], list[str]]:
    out: list[tuple[list[Record], list[Problem], list[str]]] = []
    worker = threading.Thread(target=lambda: out.append(dumps_folder.read_sources(folder)), daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive() and unblock is not None:
        os.close(os.open(unblock, os.O_WRONLY | os.O_NONBLOCK))  # let the stuck reader go
        worker.join(10)
    assert out, "read_sources did not return"
    return out[0]


def _errors_for(problems: list[Problem], name: str) -> list[str]:
    return [p.message for p in problems if p.file == name and p.severity is Severity.ERROR]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_among_the_dumps_is_reported_not_waited_on(tmp_path: Path) -> None:
    expected = _real_folder(tmp_path)
    os.mkfifo(tmp_path / "pipe.txt")
    records, problems, _ = _read_with_timeout(tmp_path, unblock=tmp_path / "pipe.txt")
    assert records == expected
    assert any("not a regular file" in m for m in _errors_for(problems, "pipe.txt"))


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_symlink_to_a_device_is_reported_not_read(tmp_path: Path) -> None:
    expected = _real_folder(tmp_path)
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    records, problems, _ = _read_with_timeout(tmp_path)
    assert records == expected
    assert any("not a regular file" in m for m in _errors_for(problems, "zero.txt"))


def test_a_symlink_to_a_regular_dump_is_read(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    target = tmp_path / "elsewhere" / "dump.txt"
    target.write_bytes(DUMP_B.read_bytes())
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "linked.txt").symlink_to(target)
    (folder / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    records, problems, _ = dumps_folder.read_sources(folder)
    assert [r.title for r in records] == [r.title for r in REAL_B]
    assert {r.file for r in records} == {"linked.txt"}
    assert _errors_for(problems, "dangling.txt")


def test_an_oversize_dump_is_reported_and_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    small = layout_b(pairs(REAL[:2])).encode("utf-8")
    monkeypatch.setattr(dumps_folder, "MAX_DUMP_BYTES", len(small), raising=False)
    (tmp_path / "small.txt").write_bytes(small)
    (tmp_path / "big.txt").write_bytes(small + b"x")
    records, problems, _ = dumps_folder.read_sources(tmp_path)
    assert {r.file for r in records} == {"small.txt"} and len(records) == 2
    assert any("larger than" in m for m in _errors_for(problems, "big.txt"))
    assert not _errors_for(problems, "small.txt")


def test_a_file_claiming_a_huge_size_is_not_read_into_memory(tmp_path: Path) -> None:
    expected = _real_folder(tmp_path)
    with open(tmp_path / "sparse.txt", "wb") as handle:
        try:
            handle.truncate(1 << 40)  # 1 TiB of nothing, on file systems that allow sparse files
        except OSError:
            pytest.skip("no sparse files here")
    records, problems, _ = dumps_folder.read_sources(tmp_path)
    assert records == expected
    assert any("larger than" in m for m in _errors_for(problems, "sparse.txt"))


def test_the_size_cap_is_a_generous_module_constant() -> None:
    assert getattr(dumps_folder, "MAX_DUMP_BYTES", 0) >= 16 * 1024 * 1024


# --- 2. Hidden files are reported ------------------------------------------------------------


def test_a_hidden_dump_is_reported_and_junk_is_a_note(tmp_path: Path) -> None:
    expected = _real_folder(tmp_path)
    (tmp_path / ".name.txt").write_bytes(DUMP_B.read_bytes())
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    records, problems, _ = dumps_folder.read_sources(tmp_path)
    assert records == expected
    hidden = [p for p in problems if p.file == ".name.txt"]
    assert [p.severity for p in hidden] == [Severity.WARNING]
    assert "hidden file" in hidden[0].message and "rename it without the leading dot" in hidden[0].message
    junk = [p for p in problems if p.file == ".DS_Store"]
    assert [p.severity for p in junk] == [Severity.INFO] and "hidden file" in junk[0].message


# --- 3. A few bad bytes cost their lines, not the dump ---------------------------------------


@pytest.mark.parametrize("layout", [layout_a, layout_b])
@pytest.mark.parametrize("bad", [b"\x00", b"\x07\x08", b"\x00" * 3])
def test_a_few_control_bytes_cost_only_their_lines(layout, bad: bytes) -> None:  # type: ignore[no-untyped-def]
    text = layout(pairs(REAL[:4]))
    data = text.encode("utf-8").replace(REAL[1][1][:20].encode("utf-8"), REAL[1][1][:10].encode() + bad + b"xx", 1)
    decoded, decode_problems = decode_dump("x.txt", data)
    assert decode_problems == [] and decoded is not None
    records, problems = _records(decoded)
    bad_line = _line_of(text, REAL[1][1][20:60])
    assert [r[1] for r in records] == [REAL[0][0], REAL[2][0], REAL[3][0]]
    assert [(p.line, "control" in p.message) for p in problems] == [
        (bad_line - (2 if layout is layout_a else 1), False),
        (bad_line, True),
    ]
    assert ORPHAN_TITLE in problems[0].message


def test_control_bytes_in_a_title_cost_that_record_only() -> None:
    text = layout_b(pairs(REAL[:3])).replace(REAL[1][0], REAL[1][0][:5] + "\x00" + REAL[1][0][5:])
    records, problems = _records(text)
    assert [r[1] for r in records] == [REAL[0][0], REAL[2][0]]
    assert [p.line for p in problems] == [5, 6]


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(1).randbytes(4000),
        zlib.compress(random.Random(2).randbytes(3000)),
        b"\x7fELF\x02\x01\x01" + bytes(60) + random.Random(3).randbytes(2000),
    ],
)
def test_real_binary_files_are_still_skipped_as_binary(data: bytes) -> None:
    text, problems = decode_dump("f.png", data)
    assert text is None and [(p.severity, "binary" in p.message) for p in problems] == [(Severity.ERROR, True)]


# --- 4. UTF-16 without a byte order mark -----------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_utf16_without_bom_is_read_with_a_warning(encoding: str, newline: str) -> None:
    text = layout_b(pairs([("TÜLU 3: Pushing Frontiers in Open Language Model Post-Training", REAL[0][1]), *REAL[1:4]]))
    decoded, problems = decode_dump("w.txt", text.replace("\n", newline).encode(encoding))
    assert decoded is not None and parse_dump("w.txt", decoded) == parse_dump("w.txt", text)
    assert [p.severity for p in problems] == [Severity.WARNING]
    assert "UTF-16" in problems[0].message and "byte order mark" in problems[0].message


def test_nul_padded_binary_is_not_mistaken_for_utf16() -> None:
    data = b"".join(bytes([b, 0]) for b in random.Random(4).randbytes(2000))
    text, problems = decode_dump("f.txt", data)
    assert text is None and problems[0].severity is Severity.ERROR


# --- 5. Overlong lines -----------------------------------------------------------------------


@pytest.mark.parametrize("layout", [layout_a, layout_b])
def test_an_overlong_line_is_skipped_without_shifting_later_pairs(layout) -> None:  # type: ignore[no-untyped-def]
    huge = "We propose a method. " * (dump_parse.MAX_LINE_CHARS // 20)
    text = layout(pairs([REAL[0], (REAL[1][0], huge), *REAL[2:5]]))
    records, problems = _records(text)
    assert [r[1:] for r in records] == [REAL[0], *REAL[2:5]]
    huge_line = _line_of(text, "We propose a method. We propose")
    assert [p.line for p in problems] == sorted([huge_line, _line_of(text, REAL[1][0])])
    assert any("characters" in p.message and p.line == huge_line for p in problems)


def test_an_overlong_line_where_a_title_stood_leaves_its_abstract_reported() -> None:
    text = layout_b(pairs([REAL[0], ("Title " * 5000, REAL[1][1]), *REAL[2:4]]))
    records, problems = _records(text)
    assert [r[1:] for r in records] == [REAL[0], *REAL[2:4]]
    assert [p.line for p in problems] == [5, 6]


def test_the_line_cap_is_far_above_real_abstracts() -> None:
    assert 10_000 <= dump_parse.MAX_LINE_CHARS <= 100_000
    assert max(len(a) for _, a in REAL) < dump_parse.MAX_LINE_CHARS


# --- 6. Separator lines ----------------------------------------------------------------------

SEPARATORS = ["---", "...", "***", "___", "===", "- - -", "—", "* * *", "~~~~", "#"]


@pytest.mark.parametrize("separator", SEPARATORS)
def test_separator_lines_are_skipped_in_layout_a(separator: str) -> None:
    text = layout_a([separator, *pairs(REAL[:2]), separator, *pairs(REAL[2:4]), separator])
    records, problems = _records(text)
    assert [r[1:] for r in records] == REAL[:4] and problems == []


@pytest.mark.parametrize("separator", SEPARATORS)
def test_separator_lines_are_skipped_in_layout_b(separator: str) -> None:
    text = layout_b([*pairs(REAL[:2]), separator, *pairs(REAL[2:4]), separator])
    records, problems = _records(text)
    assert [r[1:] for r in records] == REAL[:4] and problems == []
    assert [r[0] for r in records] == [3, 5, 8, 10]


def test_a_separator_stands_for_a_blank_line_in_layout_a() -> None:
    title, abstract = REAL[1]
    text = LAYOUT_A_HEAD + f"{REAL[0][0]}\n\n{REAL[0][1]}\n---\n{title}\n\n{abstract}\n"
    records, problems = _records(text)
    assert [r[1:] for r in records] == REAL[:2] and problems == []


def test_a_title_made_of_punctuation_and_letters_is_kept() -> None:
    text = layout_b(pairs([("--- A Title With Dashes ---", REAL[0][1]), REAL[1]]))
    assert [r[1] for r in _records(text)[0]] == ["--- A Title With Dashes ---", REAL[1][0]]


# --- 7. Very long titles in layout B ---------------------------------------------------------

LONG_TITLES = [
    "Learning Universal Policies via Text-Guided Video Generation: a study of how video diffusion models that "
    "are trained on internet-scale data can be turned into planners which we use to act in new environments "
    "with only a small amount of robot data and no reward",
    "Towards a unified view of action recognition and anticipation: how self-supervised video transformers "
    "that are trained on large egocentric datasets learn what we do with our hands, which objects we use, and "
    "when the next action is going to start in long untrimmed videos of daily activities",
]


@pytest.mark.parametrize("title", LONG_TITLES)
@pytest.mark.parametrize("where", [0, 3, 5])
def test_a_very_long_title_is_read_as_a_title_in_layout_b(title: str, where: int) -> None:
    recs = list(REAL)
    recs[where] = (title, recs[where][1])
    records, problems = _records(layout_b(pairs(recs)))
    assert [r[1:] for r in records] == recs and problems == []


def test_a_very_long_title_without_its_abstract_is_still_reported() -> None:
    text = layout_b([*pairs(REAL[:2]), LONG_TITLES[0], *pairs(REAL[2:4])])
    records, problems = _records(text)
    assert [r[1:] for r in records] == REAL[:4] and [p.line for p in problems] == [7]


# --- 8. Abstracts pasted over two lines in layout A ------------------------------------------


def _split_abstract(abstract: str) -> tuple[str, str]:
    cut = abstract.index(" ", len(abstract) // 2)
    return abstract[:cut], abstract[cut + 1 :]


@pytest.mark.parametrize("which", [0, 2, 3])
def test_an_abstract_over_two_lines_is_joined_in_layout_a(which: int) -> None:
    first, second = _split_abstract(REAL[which][1])
    paragraphs = pairs(REAL[:4])
    paragraphs[2 * which + 1] = f"{first}\n{second}"
    text = layout_a(paragraphs)
    records, problems = _records(text)
    assert [r[1:] for r in records] == REAL[:4] and problems == []
    assert records[which][0] == _line_of(text, REAL[which][0])
    assert [r[0] for r in records[which + 1 :]] == [_line_of(text, t) for t, _ in REAL[which + 1 : 4]]


def test_an_abstract_over_three_lines_at_a_sentence_break_is_joined() -> None:
    abstract = REAL[1][1]
    parts = re.split(r"(?<=\.) (?=[A-Z])", abstract, maxsplit=2)
    assert len(parts) == 3
    text = layout_a([*pairs(REAL[:1]), REAL[1][0], "\n".join(parts), *pairs(REAL[2:3])])
    records, problems = _records(text)
    assert [r[1:] for r in records] == REAL[:3] and problems == []


def test_a_title_right_above_its_abstract_is_not_joined_to_it() -> None:
    text = layout_a([*pairs(REAL[:1]), f"{REAL[1][0]}\n{REAL[1][1]}", *pairs(REAL[2:3])])
    records, problems = _records(text)
    assert [r[1:] for r in records] == REAL[:3] and problems == []


def test_two_abstract_lines_in_layout_b_are_not_joined() -> None:
    text = LAYOUT_B_HEAD + "\n".join([*pairs(REAL[:2]), REAL[3][1], *pairs(REAL[2:3])]) + "\n"
    records, problems = _records(text)
    assert [r[1:] for r in records] == REAL[:3]
    assert [p.line for p in problems] == [7]


# --- Property: any bytes in a sources folder --------------------------------------------------

_NAMES = st.sampled_from(["a.txt", "b.TXT", "c.md", ".hidden.txt", "._a.txt", ".DS_Store", "d.txt"])
_HEAD = st.sampled_from([b"", LAYOUT_A_HEAD.encode(), LAYOUT_B_HEAD.encode(), b"\xff\xfe", b"\xef\xbb\xbf"])
_BODY = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=600).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.lists(st.sampled_from([*(t for r in REAL for t in r), "", "---", "\x00", "Apr 3"]), max_size=12).map(
        lambda lines: "\n".join(lines).encode("utf-8", "surrogatepass")
    ),
)
_ENCODE = st.sampled_from([lambda b: b, lambda b: b.decode("utf-8", "replace").encode("utf-16-le")])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_NAMES, st.tuples(_HEAD, _BODY, _ENCODE), max_size=4))
@example({"a.txt": (b"", b"\x00" * 50, lambda b: b)})
def test_any_bytes_in_the_sources_folder_never_crash(files) -> None:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        written = {}
        for name, (head, body, encode) in files.items():
            written[name] = encode(head + body)
            (folder / name).write_bytes(written[name])
        records, problems, names = dumps_folder.read_sources(folder)
    assert set(names) <= set(written)
    for problem in problems:
        assert problem.file in written, problem
        data = written[problem.file]
        most = data.count(b"\n") + data.count(b"\r") + 1
        assert problem.line is None or 1 <= problem.line <= most, problem
    for record in records:
        assert record.file in names and record.title and record.abstract
