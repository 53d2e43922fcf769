"""`data/sources.yml`: what curators know of each dump (its listing day, its source), validated
like curation.yml, and shown where a reader meets the listing: catalogue.json, listings, papers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.inputs.sources_meta import parse_sources_meta
from generator.models import ConfigError, SourceInfo

from .conftest import DATA, ROOT, run_cli

FILES = ["000_a.txt", "001_b.txt"]


def test_entries_give_an_iso_date_or_the_day_as_shown_and_a_source() -> None:
    text = '000_a.txt: {listed: 2024-04-03, source: "Hugging Face Papers, daily list"}\n001_b.txt: {listed: "Jun 26"}\n'
    meta = parse_sources_meta("sources.yml", text, FILES)
    assert meta == {
        "000_a.txt": SourceInfo("2024-04-03", "Hugging Face Papers, daily list"),
        "001_b.txt": SourceInfo("Jun 26", None),
    }
    assert meta["000_a.txt"].date == "2024-04-03" and meta["001_b.txt"].date is None


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("000_x.txt: {listed: 2024-04-03}\n", 1, "names no dump in the sources folder: did you mean '000_a.txt'?"),
        ('000_a.txt: {listed: "2024-02-30"}\n', 1, "is not a day of the calendar"),
        ("000_a.txt: {listd: 2024-02-03}\n", 1, "did you mean 'listed'?"),
        ("000_a.txt: 2024-02-03\n", 1, "must be a mapping"),
        ("- 000_a.txt\n", 1, "expected a mapping of dump file names"),
        ("000_a.txt: {source: [a, b]}\n", 1, "`source:` must be text"),
    ],
)
def test_a_bad_entry_names_its_line_and_shows_an_example(text: str, line: int, fragment: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_sources_meta("sources.yml", text, FILES)
    problem = err.value.problems[0]
    assert problem.line == line and fragment in problem.message and "a valid file looks like" in problem.message


def test_a_dated_listing_shows_in_catalogue_json_listings_and_paper_pages(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    text = (data / "sources.yml").read_text(encoding="utf-8").replace('{listed: "Apr 3",', "{listed: 2024-04-03,")
    (data / "sources.yml").write_text(text, encoding="utf-8")
    proc = run_cli("generate", "--data", str(data), "--docs", str(tmp_path / "docs"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    cat = json.loads((tmp_path / "docs" / "catalogue.json").read_text(encoding="utf-8"))
    dated = [p for p in cat["papers"] if any(s["file"].startswith("000_") for s in p["sources"])]
    assert dated and all(p["first_listed"] == "2024-04-03" for p in dated)
    assert all(
        s["date"] == ("2024-04-03" if s["file"].startswith("000_") else None)
        for p in cat["papers"]
        for s in p["sources"]
    )
    listings = (tmp_path / "docs" / "listings.md").read_text(encoding="utf-8")
    rows = [line for line in listings.splitlines() if line.startswith("| [")]
    assert "Listed on 3 Apr 2024" in rows[0], "the dated listing comes first"
    page = (tmp_path / "docs" / "papers" / f"{dated[0]['slug']}.md").read_text(encoding="utf-8")
    assert "first listed on 3 Apr 2024" in page
    feed = (tmp_path / "docs" / f"feed-topic-{dated[0]['topics'][0]}.xml").read_text(encoding="utf-8")
    assert "First listed on 3 Apr 2024." in feed  # the feeds say what the page says


def test_without_sources_yml_the_dump_s_own_day_is_used_and_check_notes_dumps_it_misses(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    lines = (data / "sources.yml").read_text(encoding="utf-8").splitlines()
    (data / "sources.yml").write_text("\n".join(x for x in lines if not x.startswith("004_")) + "\n", encoding="utf-8")
    proc = run_cli("check", "--data", str(data), "--verbose")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no entry for '004_1b49bb1a8d6ff8f5.txt'" in proc.stdout + proc.stderr
    (data / "sources.yml").unlink()
    plain = run_cli("generate", "--data", str(data), "--docs", str(tmp_path / "docs"))
    assert plain.returncode == 0, plain.stdout + plain.stderr
    assert "Listed on Apr 3" in (tmp_path / "docs" / "listings.md").read_text(encoding="utf-8")
    assert ROOT.is_dir()
