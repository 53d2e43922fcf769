"""Dates, never invented: the day a paper was added to the catalogue, kept in the URL ledger; for a
ledger written before dates, the day of the commit that first listed the slug, from git."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.inputs.ledger import LedgerError, Published, format_ledger, parse_ledger

from .conftest import DATA, ROOT, run_cli

SMALL = ROOT / "tests" / "golden" / "small" / "data"


def test_the_ledger_keeps_each_slug_s_date_and_reads_entries_written_before_dates() -> None:
    ledger = {"a-paper": Published("A paper", ("x.txt:3",), "2026-11-21"), "old-one": Published("Old", ("x.txt:9",))}
    text = format_ledger(ledger)
    assert '"a-paper": {"title": "A paper", "added": "2026-11-21", "sources": ["x.txt:3"]}' in text
    assert parse_ledger(text) == ledger


@pytest.mark.parametrize("added", ['"2026-13-01"', '"21 Nov 2026"', "20261121", '"2026-02-30"'])
def test_a_date_that_is_not_a_calendar_day_is_a_ledger_error_with_its_line(added: str) -> None:
    text = '{"papers": {\n  "a": {"title": "A", "sources": []},\n  "b": {"title": "B", "added": ' + added
    text += ', "sources": []}\n}}\n'
    with pytest.raises(LedgerError) as err:
        parse_ledger(text)
    assert err.value.line == 3 and "YYYY-MM-DD" in str(err.value)


def _git(folder: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True, env=env)


def test_git_dates_a_ledger_written_before_dates_and_a_new_paper_gets_the_build_s_day(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(SMALL, data)
    first = run_cli("generate", "--data", str(data), "--docs", str(tmp_path / "docs"))
    assert first.returncode == 0, first.stdout + first.stderr
    # The ledger as a build before dates wrote it, less one paper a later dump brings.
    papers = json.loads((data / "published.json").read_text(encoding="utf-8"))["papers"]
    for value in papers.values():
        value.pop("added", None)
    cat = json.loads((tmp_path / "docs" / "catalogue.json").read_text(encoding="utf-8"))
    kept, new = [p["slug"] for p in cat["papers"][1:]], cat["papers"][0]["slug"]
    del papers[new]
    (data / "published.json").write_text(
        format_ledger({s: Published(v["title"], tuple(v["sources"])) for s, v in papers.items()})
    )
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "data/published.json")
    _git(tmp_path, "commit", "-q", "-m", "ledger", date="2026-10-05T12:00:00Z")

    proc = run_cli("generate", "--data", str(data), "--docs", str(tmp_path / "docs"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    written = json.loads((data / "published.json").read_text(encoding="utf-8"))["papers"]
    assert {written[s]["added"] for s in papers} == {"2026-10-05"}
    assert written[new]["added"] == "2026-12-01"  # SOURCE_DATE_EPOCH (conftest)
    cat = json.loads((tmp_path / "docs" / "catalogue.json").read_text(encoding="utf-8"))
    assert all(p["added"] == written[p["slug"]]["added"] for p in cat["papers"])
    page = (tmp_path / "docs" / "papers" / f"{kept[0]}.md").read_text(encoding="utf-8")
    assert "Added to the catalogue on 5 Oct 2026" in page

    before = (data / "published.json").read_bytes()
    again = run_cli("generate", "--data", str(data), "--docs", str(tmp_path / "docs"))
    assert again.returncode == 0 and (data / "published.json").read_bytes() == before


def test_every_bundled_paper_has_the_day_it_was_added() -> None:
    ledger = json.loads((DATA / "published.json").read_text(encoding="utf-8"))["papers"]
    assert ledger and all(v.get("added") == "2026-11-21" for v in ledger.values())
