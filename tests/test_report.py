"""The curator's report, tried as a curator adding a dump: what the new dump did, merges shown
with each record's title as written, the overrides in force, and numbers that add up."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

import pytest

from generator.pipeline import Paths, build_catalogue, own_ledger
from generator.render.console_report import format_report

from .conftest import DATA, copy_data, copy_hand_written_docs, run_cli
from .dumps import layout_b

EXISTING = "Iterated Q-Network: Beyond One-Step Bellman Updates in Deep Reinforcement Learning"
NEW_A = (
    "Counting Actions in Long Videos with Sparse Supervision",
    "We propose a method for counting repeated "
    "actions in long videos using only sparse labels. Our approach learns periodicity from weak supervision.",
)
NEW_B = (
    "A Second New Paper on Reward Models for Robots",
    "We study reward models for robot manipulation trained "
    "from human preferences. We show that such models transfer across tasks and embodiments.",
)


def _existing_abstract() -> str:
    lines = next((DATA / "sources").glob("004_*.txt")).read_text(encoding="utf-8").split("\n")
    (index,) = [i for i, line in enumerate(lines) if line.removeprefix("Subscribe") == EXISTING]
    return lines[index + 1]


def _report(data: Path, verbose: bool = False) -> tuple[str, object]:
    paths = Paths(
        data, data / "sources", data.parent / "docs", data.parent / "site", own_ledger(data, data / "sources")
    )
    result = build_catalogue(paths)
    return format_report(result.catalogue, verbose), result.catalogue


@pytest.fixture
def with_new_dump(tmp_path: Path) -> Path:
    """The bundled data and its ledger, and a new dump: two new papers, the upper-cased title of a
    paper published before, a paper listed twice in it, and a title that lost its abstract."""
    data = copy_data(tmp_path / "data")
    lines = [EXISTING.upper(), _existing_abstract(), *NEW_A, *NEW_B, NEW_B[0] + ".", NEW_B[1], "An Orphan Title"]
    (data / "sources" / "005_new.txt").write_text(layout_b(lines), encoding="utf-8")
    return data


def test_this_build_says_what_the_new_dump_did(with_new_dump: Path) -> None:
    text, _ = _report(with_new_dump)
    section = text.split("\nMerged")[0].splitlines()
    assert section[0].startswith("This build")
    assert section[1] == (
        "  005_new.txt: 4 new records -> 2 new papers, 1 joined a paper published before, "
        "1 joined a paper new in this build; 2 problems"
    )
    body = "\n".join(section[2:])
    assert f"005_new.txt:3 {EXISTING.upper()[:70]!r} -> papers/iterated-q-network" in body
    assert "(published before)" in body
    assert "new paper  005_new.txt:5 'Counting Actions" in body and "new paper  005_new.txt:7 'A Second New" in body
    assert "005_new.txt:11: warning: title with no abstract after it" in body
    assert not any(name in body for name in ("000_", "001_", "002_", "003_", "004_"))  # only the new dump


def test_nothing_new_is_said_plainly() -> None:
    text, _ = _report(DATA)
    assert (
        text.splitlines()[0] == "This build: nothing new since the URL ledger (every record read was published before)"
    )


def test_merge_lines_show_the_record_title_as_written(with_new_dump: Path) -> None:
    text, _ = _report(with_new_dump, verbose=True)
    merged = text.split("\nMerged", 1)[1].split("\n\n")[0]
    assert f"005_new.txt:3 {EXISTING.upper()[:70]!r} -> papers/iterated-q-network" in merged
    assert f"005_new.txt:9 {(NEW_B[0] + '.')!r} -> papers/a-second-new-paper" in merged


def test_overrides_in_force_are_reported_with_their_lines(tmp_path: Path) -> None:
    data = copy_data(tmp_path / "data")
    (data / "curation.yml").write_text(
        "titles:\n"
        f'  - {{paper: "{EXISTING}", title: "Iterated Q-Network (i-QN)"}}\n'
        "pins:\n"
        '  - {paper: "Submodular Reinforcement Learning", topics: [reinforcement-learning-theory]}\n'
        "keep_apart:\n"
        '  - ["A Dataset Perspective on Offline Reinforcement Learning", '
        '"A Distributional Perspective on Reinforcement Learning"]\n',
        encoding="utf-8",
    )
    text, _ = _report(data)
    assert "Overrides in force (3, curation.yml):" in text
    assert "curation.yml:2 title: " in text and "retitled 'Iterated Q-Network (i-QN)'" in text
    assert "curation.yml:4 pin: 'Submodular Reinforcement Learning' pinned to reinforcement-learning-theory" in text
    assert (
        "curation.yml:6 keep apart: " in text
        and "papers/a-dataset-perspective-on-offline-reinforcement-learning/" in text
    )


X2 = ("X2 Technical Report", "We present X2, a family of models for acting in web browsers. " * 3)
X25 = ("X2.5 Technical Report", "We present X2.5, a family of models for acting in web browsers. " * 3)


def test_a_pair_kept_apart_by_curation_is_not_to_review(tmp_path: Path) -> None:
    data = copy_data(tmp_path / "data")
    (data / "sources" / "005_reports.txt").write_text(layout_b([*X2, *X25]), encoding="utf-8")
    text, cat = _report(data)
    assert [(p.a.title, p.b.title) for p in cat.review] == [(X2[0], X25[0])]  # close: to review
    assert "1 to review" in text.splitlines()[-1]
    (data / "curation.yml").write_text(f'keep_apart:\n  - ["{X2[0]}", "{X25[0]}"]\n', encoding="utf-8")
    text, cat = _report(data)
    assert cat.review == () and len(cat.kept_apart) == 1
    assert "0 to review" in text.splitlines()[-1] and "Kept apart by curation: 1 close pair" in text


def test_the_per_dump_numbers_add_up_with_the_header(tmp_path: Path) -> None:
    data = copy_data(tmp_path / "data")
    (data / "curation.yml").write_text(
        'exclude:\n  - {record: "004_1b49bb1a8d6ff8f5.txt:11", reason: "a workshop announcement"}\n'
        '  - {record: "000_5b7c4531eed45f94.txt:79", reason: "not about actions"}\n',
        encoding="utf-8",
    )
    shutil.copy2(next((DATA / "sources").glob("003_*.txt")), data / "sources" / "006_again.txt")
    _, cat = _report(data)
    changes = cat.changes
    assert sum(c.records for c in changes) == cat.records_read
    assert sum(c.first_listed for c in changes) == len(cat.entries)
    assert sum(c.merged for c in changes) == len(cat.merges)
    assert sum(c.excluded for c in changes) == len(cat.excluded) == 2
    for c in changes:
        assert c.records == c.first_listed + c.merged + c.excluded
    again = next(c for c in changes if c.file == "006_again.txt")
    assert again.first_listed == 0 and again.merged == again.records == 119


@pytest.mark.slow
def test_the_report_page_shows_this_build(with_new_dump: Path, tmp_path: Path) -> None:
    docs = copy_hand_written_docs(tmp_path / "docs")
    proc = run_cli("build", "--data", str(with_new_dump), "--docs", str(docs), "--site", str(tmp_path / "site"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    html = (tmp_path / "site" / "report" / "index.html").read_text(encoding="utf-8")
    section = unescape(html.split('id="this-build"')[1].split('id="overrides-in-force"')[0])
    assert (
        "4 new records: 2 new papers, 1 joined a paper published before, 1 joined a paper new in this build" in section
    )
    assert EXISTING.upper() in section and "joined a paper published before" in section
    assert 'href="../papers/iterated-q-network-beyond-one-step-bellman-updates-in-deep-reinforcement/"' in section
    assert "Line 11: warning: title with no abstract after it" in section
    assert "000_5b7c4531eed45f94.txt" not in section
    totals = re.search(r"<strong>All dumps</strong>.*?</tr>", html, re.S)
    assert totals and re.findall(r"<strong>(\d+)</strong>", totals.group()) == ["440", "366", "74", "0"]


def test_the_report_page_stays_small_however_many_problems_there_are() -> None:
    """A large catalogue can have tens of thousands of problems: the page lists the first ones,
    `check` prints them all."""
    from dataclasses import replace

    from generator.models import Problem, ProblemKind
    from generator.render.listings import PROBLEM_ROWS, render_site
    from generator.render.pages import TEMPLATES

    from .test_pages import _catalogue

    needs = [Problem(f"{i:03d}.txt", 3, f"needs a topic: paper {i}", kind=ProblemKind.NEEDS_TOPIC) for i in range(500)]
    others = [Problem("topics.yml", None, f"warning {i}") for i in range(700)]
    cat = replace(_catalogue("Title", "Abstract."), problems=tuple(needs + others))
    page = unescape(render_site(cat, TEMPLATES)["report.md"])
    assert page.count("needs a topic: paper") == PROBLEM_ROWS
    assert page.count("warning: warning") == PROBLEM_ROWS
    assert f"and {500 - PROBLEM_ROWS} more" in page and f"and {700 - PROBLEM_ROWS} more" in page
    assert len(page) < 100_000


def test_this_build_shows_a_dumps_first_problems_and_counts_the_rest() -> None:
    """A new dump of a large catalogue can bring hundreds of problems: "This build" shows the first
    REPORT_ROWS of each dump (it was 3.8 MB of Markdown at 100,000 papers), `check` prints them all."""
    from dataclasses import replace

    from generator.models import DumpChange, Problem
    from generator.render.listings import REPORT_ROWS, render_site
    from generator.render.pages import TEMPLATES

    from .test_pages import _catalogue

    def dump(name: str, problems: int) -> DumpChange:
        found = tuple(Problem(name, 10 + i, f"title with no abstract after it {name} {i}") for i in range(problems))
        return DumpChange(name, problems, 0, 0, 0, problems, (), (), found)

    cat = replace(_catalogue("Title", "Abstract."), changes=(dump("a.txt", 75), dump("b.txt", REPORT_ROWS)))
    page = unescape(render_site(cat, TEMPLATES)["report.md"])
    section = page.split("## This build")[1].split("\n## ")[0]
    assert section.count("title with no abstract after it a.txt") == REPORT_ROWS
    assert f"… and {75 - REPORT_ROWS} more problems in this dump" in section
    assert section.count("title with no abstract after it b.txt") == REPORT_ROWS  # all of them: no "more"
    assert section.count("more problem") == 1
