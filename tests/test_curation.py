"""curation.yml: keep apart, merge, fix a title, exclude, pin; validated with file, line and example."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.inputs.curation import parse_curation
from generator.models import ConfigError
from generator.pipeline import Paths, build_catalogue, render

from .conftest import DATA, run_cli

A2NAV_1 = "000_5b7c4531eed45f94.txt:131"
A2NAV_2 = "001_a620df61e05b83db.txt:71"

CURATION = f"""
keep_apart:
  - ["{A2NAV_1}", "{A2NAV_2}"]
merge:
  - ["Dynamical Linear Bandits", "Combinatorial Neural Bandits"]
titles:
  - {{paper: "Submodular Reinforcement Learning", title: "Submodular Reinforcement Learning (fixed)"}}
exclude:
  - {{record: "Introduction to Multi-Armed Bandits", reason: "a textbook, not a paper"}}
pins:
  - {{paper: "Diffusion World Model", topics: [bandits]}}
"""


def _data(tmp_path: Path, curation: str) -> Paths:
    data = tmp_path / "data"
    shutil.copytree(DATA / "sources", data / "sources")
    shutil.copy2(DATA / "topics.yml", data / "topics.yml")
    (data / "curation.yml").write_text(curation, encoding="utf-8")
    return Paths(data, data / "sources", tmp_path / "docs", tmp_path / "site")


def test_overrides_work_end_to_end(tmp_path: Path) -> None:
    cat = build_catalogue(_data(tmp_path, CURATION)).catalogue
    by_title = {e.paper.title: e for e in cat.entries}
    a2nav = [e for e in cat.entries if "Nav: Action-Aware" in e.paper.title]
    refs = [{f"{r.file}:{r.line}" for r in e.paper.sources} for e in a2nav]
    assert not any(A2NAV_1 in s and A2NAV_2 in s for s in refs) and len(a2nav) == 2
    pair = {"Dynamical Linear Bandits", "Combinatorial Neural Bandits"}
    merged = [e for e in cat.entries if pair & ({e.paper.title} | set(e.paper.aliases))]
    assert len(merged) == 1
    assert any(m.rule == "curation: merge" for m in cat.merges)
    fixed = by_title["Submodular Reinforcement Learning (fixed)"]
    assert "Submodular Reinforcement Learning" in fixed.paper.aliases
    assert not any(e.paper.title == "Introduction to Multi-Armed Bandits" for e in cat.entries)
    assert [r.title for r, _ in cat.excluded] == ["Introduction to Multi-Armed Bandits"]
    assert by_title["Diffusion World Model"].topics[0].topic == "bandits"
    # Nothing lost: every record read is published, merged, or excluded.
    assert sum(len(e.paper.sources) for e in cat.entries) + len(cat.excluded) == cat.records_read == 436


def test_report_pages_show_merges_and_exclusions(tmp_path: Path) -> None:
    result = build_catalogue(_data(tmp_path, CURATION))
    files = render(result)
    assert "a textbook, not a paper" in files["report.md"]
    assert "curation&#58; merge" in files["report/merges.md"]  # dump-free text, still made inert
    assert "kept apart by curation" in files["report/review.md"]


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("colour: red\n", 1, "unknown key"),
        ("merge:\n  - [only one]\n", 2, "two or more"),
        ("exclude:\n  - {record: x.txt:1}\n", 2, "exactly `record:` and `reason:`"),
        ("pins:\n  # a comment\n  - {paper: x, topics: []}\n", 3, "non-empty `topics:`"),
        ("keep_apart: {a: b}\n", 1, "must be a list"),
    ],
)
def test_malformed_entries_name_the_line(text: str, line: int, fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_curation("curation.yml", text)
    problem = next(p for p in info.value.problems if fragment in p.message)
    assert problem.line == line and "a valid file looks like" in problem.message


def test_entry_naming_nothing_is_an_error_with_line(tmp_path: Path) -> None:
    text = (
        'merge:\n  - ["No Such Paper Anywhere", "Dynamical Linear Bandits"]\n'
        'pins:\n  - {paper: "Diffusion World Model", topics: [no-such-topic]}\n'
    )
    paths = _data(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        build_catalogue(paths)
    messages = {(p.line, p.message.split("\n")[0]) for p in info.value.problems}
    assert (2, "'No Such Paper Anywhere' names no record in the dumps") in messages
    assert any(line == 4 and "unknown topic 'no-such-topic'" in m for line, m in messages)
    proc = run_cli("check", "--data", str(paths.data))
    assert proc.returncode == 1 and "curation.yml:2" in proc.stderr and "Traceback" not in proc.stderr
