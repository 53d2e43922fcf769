"""Issue 19: incremental site builds. After a new dump, `build` starts from the previous site and
MkDocs rebuilds only the pages whose source changed; the result is the site a full build makes,
file for file. A failed incremental build leaves the previous site as it was; a change to what
every page shows (configuration, theme, navigation) makes a full build by itself; `--full` too.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from generator.site.incremental import STATE_FILE

from .conftest import ROOT, copy_data, copy_hand_written_docs, pagefind_bundle_files, pagefind_fragments, run_cli
from .dumps import WEEKLY_PAPERS, layout_b, pairs

pytestmark = pytest.mark.slow

NEW_DUMP = "900_weekly.txt"
NEW_PAPERS = WEEKLY_PAPERS
ENV = {"SOURCE_DATE_EPOCH": "1790000000"}  # the same "today" for every build compared


def _tree(site: Path) -> dict[str, str]:
    """Every file of a built site -> a hash of its bytes (the build's own record left out), with
    the search index as what it holds: Pagefind 1.5 writes its filter chunks in an order that
    changes from run to run (the same catalogue, indexed twice, gives other bytes), so the index
    counts as its files' layout and its decoded fragments."""
    out = {}
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.is_file() and path.name != STATE_FILE and not rel.startswith("pagefind/"):
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    fragments = sorted(json.dumps(f, sort_keys=True) for f in pagefind_fragments(site / "pagefind"))
    out["pagefind/ fragments"] = hashlib.sha256("\n".join(fragments).encode()).hexdigest()
    out["pagefind/ files"] = " ".join(sorted(pagefind_bundle_files(site / "pagefind")))
    return out


def _build(work: Path, *extra: str) -> str:
    # Not --strict: the new papers are reported as needing a topic (no curator pinned them yet).
    # The site build is strict either way.
    command = ["build", "--data", str(work / "data"), "--docs", str(work / "docs")]
    command += ["--site", str(work / "site"), "--config", str(work / "mkdocs.yml"), *extra]
    proc = run_cli(*command, env=ENV)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout


def _project(work: Path) -> Path:
    """A catalogue folder of its own: data (the bundled dumps), docs, and the config and the
    theme beside them (a test may change them)."""
    copy_data(work / "data")
    copy_hand_written_docs(work / "docs")
    shutil.copytree(ROOT / "templates", work / "templates")
    shutil.copy2(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    return work


def _add_new_dump(work: Path) -> None:
    """A week's dump: three new papers, close to papers already there (their related lists and
    topics change too)."""
    (work / "data" / "sources" / NEW_DUMP).write_text(layout_b(pairs(NEW_PAPERS)), encoding="utf-8")


def _rebuilt(stdout: str) -> int:
    found = re.search(r"site: built .* incrementally \((\d+) changed sources rebuilt", stdout)
    assert found, stdout[-1500:]
    return int(found.group(1))


def test_a_new_dump_rebuilds_only_what_changed_and_gives_the_site_a_full_build_gives(tmp_path: Path) -> None:
    inc = _project(tmp_path / "incremental")
    first = _build(inc)
    assert "site: built" in first and "full build (no earlier build to start from)" in first
    # The same catalogue state, copied before the new dump: built from scratch for comparison.
    full = tmp_path / "full"
    shutil.copytree(inc, full, ignore=shutil.ignore_patterns("site", ".site.*"))
    for work in (inc, full):
        _add_new_dump(work)
    second = _build(inc)
    sources = sum(1 for p in (inc / "docs").rglob("*") if p.is_file() and not p.name.startswith("."))
    assert 0 < _rebuilt(second) < sources / 2, second[-1500:]
    from_scratch = _build(full, "--full")
    assert "(full build (--full))" in from_scratch
    assert _tree(inc / "site") == _tree(full / "site")
    # Once more: only the report changes ("nothing new in this build"); then nothing at all.
    assert _rebuilt(_build(inc)) == 1
    assert "is up to date" in _build(inc)  # nothing to do at all (run_stamp.py)
    assert _tree(inc / "site") == _tree(full / "site") | {"report/index.html": _tree(inc / "site")["report/index.html"]}


def test_a_failed_incremental_build_leaves_the_previous_site_as_it_was(tmp_path: Path) -> None:
    work = _project(tmp_path / "work")
    _build(work)
    before = _tree(work / "site")
    inodes = {p: p.stat().st_ino for p in (work / "site").rglob("*.html")}
    _add_new_dump(work)
    (work / "docs" / "notes.md").write_text("# Notes\n\nSee [the old list](old-list.md).\n", encoding="utf-8")
    command = ["build", "--data", str(work / "data"), "--docs", str(work / "docs"), "--site", str(work / "site")]
    proc = run_cli(*command, "--config", str(work / "mkdocs.yml"), env=ENV)
    assert proc.returncode == 1 and "old-list.md" in proc.stdout + proc.stderr
    assert _tree(work / "site") == before  # not one byte written through a link
    assert {p: p.stat().st_ino for p in (work / "site").rglob("*.html")} == inodes
    assert not [p for p in work.iterdir() if p.name.startswith(".site.")]  # the copy is gone


def test_a_change_every_page_shows_makes_a_full_build_by_itself(tmp_path: Path) -> None:
    work = _project(tmp_path / "work")
    _build(work)
    config = work / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("site_name: ", "site_name: The "), encoding="utf-8")
    assert "(full build (configuration, theme, navigation or packages changed))" in _build(work)
    assert "The Papers about actions" in (work / "site" / "papers").glob("*/index.html").__next__().read_text("utf-8")
    header = work / "templates" / "theme" / "partials" / "header.html"
    os.utime(header)  # touched only: the same bytes, still incremental
    assert "is up to date" in _build(work)
    header.write_text(header.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert "(full build (configuration, theme, navigation or packages changed))" in _build(work)
    assert "(full build (--full))" in _build(work, "--full")


def test_a_run_with_nothing_to_do_writes_nothing_and_a_change_anywhere_runs_in_full(tmp_path: Path) -> None:
    """The no-change regenerate (output/run_stamp.py): the same inputs and an untouched docs
    folder print the last report and write nothing, docs or site; a changed dump, a changed
    template or a docs file deleted by hand make a full run, which puts everything back."""
    work = _project(tmp_path / "work")
    _build(work)
    _add_new_dump(work)
    _build(work)  # the ledger grows: the next run reads another ledger, so it runs
    _build(work)
    before = _tree(work / "site")
    docs_before = {p: p.stat().st_mtime_ns for p in (work / "docs").rglob("*") if p.is_file()}
    quiet = _build(work)
    assert "docs: up to date" in quiet and "is up to date" in quiet, quiet[-800:]
    assert "records read from" in quiet  # the report is printed all the same
    assert _tree(work / "site") == before
    assert {p: p.stat().st_mtime_ns for p in (work / "docs").rglob("*") if p.is_file()} == docs_before
    # A docs file removed by hand: a full run writes it again.
    page = next((work / "docs" / "papers").glob("*.md"))
    page.unlink()
    again = _build(work)
    assert "docs: up to date" not in again and page.is_file()
    assert _rebuilt(again) == 1 and _tree(work / "site") == before
    # A dump touched only: the same bytes, nothing to do; a byte more: a full run.
    dump = work / "data" / "sources" / NEW_DUMP
    os.utime(dump)
    assert "docs: up to date" in _build(work)
    dump.write_text(dump.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert "docs: up to date" not in _build(work)
