"""Names that collide: dumps whose names make one listing URL, a dump named like a folder's
index page, and text that reaches the terminal with control characters in it."""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import pytest

from generator.urls import dump_slug_problems, dump_slugs

from .conftest import copy_hand_written_docs, run_cli
from .dumps import layout_b
from .test_hostile_write import small_data


def test_dump_slugs_are_unique_and_never_an_index() -> None:
    slugs = dump_slugs(["400_x.txt", "400-x.txt", "index.txt", "README.txt", "!!!.txt", "???.txt", "003_a.txt"])
    assert len(set(slugs.values())) == len(slugs)
    assert slugs["400-x.txt"] == "400-x" and slugs["400_x.txt"].startswith("400-x-")
    assert slugs["index.txt"] == "index-dump" and slugs["README.txt"] == "readme-dump"
    assert slugs["003_a.txt"] == "003-a"
    assert dump_slugs(reversed(list(slugs))) == slugs  # order never matters
    problems = dump_slug_problems(slugs)
    assert sorted(p.file for p in problems) == ["400_x.txt", "???.txt"]
    assert all(p.counts for p in problems)


@pytest.mark.slow
def test_colliding_dump_names_are_reported_by_check_and_built(tmp_path: Path) -> None:
    data = small_data(tmp_path / "data", 3)
    (dump,) = (data / "sources").iterdir()
    for name in ("400_x.txt", "400-x.txt", "index.txt"):
        shutil.copy2(dump, data / "sources" / name)
    check = run_cli("check", "--data", str(data))
    assert (
        check.returncode == 0 and "400_x.txt: warning: its name makes the same listing URL as 400-x.txt" in check.stdout
    )
    assert run_cli("check", "--data", str(data), "--strict").returncode == 1
    docs = copy_hand_written_docs(tmp_path / "docs")
    proc = run_cli("build", "--data", str(data), "--docs", str(docs), "--site", str(tmp_path / "site"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    listings = tmp_path / "site" / "listings"
    index = html.unescape((listings / "index.html").read_text(encoding="utf-8"))
    # Two dumps numbered 400 are told apart by their slugs; the index of dumps is not a dump's page.
    assert "Listing index-dump" in index and "Listing 400 (no day shown) [400-x]" in index
    built = {p.name for p in listings.iterdir() if p.is_dir()}
    assert {"400-x", "index-dump", dump_slugs(["400_x.txt", "400-x.txt"])["400_x.txt"]} <= built


# --- Terminal injection -------------------------------------------------------------------

# Control characters cost their dump line (inputs/dump_parse.py); bidi controls survive into
# titles, and any control character into file names.
TITLE_CONTROLS = ["\u202e", "\u2066", "\u200f"]
NAME_CONTROLS = "\x1b]0;owned\x07\x1b[2J"


def test_control_characters_in_dump_text_never_reach_the_terminal(tmp_path: Path) -> None:
    data = small_data(tmp_path / "data", 2)
    title = "Escape Sequences" + "".join(TITLE_CONTROLS) + " in a Title"
    abstract = "We study terminals. " * 10 + "This abstract is long enough to read as one, and it ends here."
    # Two dumps list it (a merge line shows it), and a record without abstract is reported by title.
    (data / "sources" / "200_a.txt").write_text(layout_b([title, abstract]), encoding="utf-8")
    (data / "sources" / f"201_{NAME_CONTROLS}.txt").write_text(
        layout_b([title + ".", abstract, title + " Again"]), encoding="utf-8"
    )
    proc = run_cli("check", "--data", str(data), "--verbose")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout + proc.stderr
    assert "201_\\x1b]0;owned\\x07\\x1b[2J.txt:3 " in out  # the merge line is there
    assert not any(ch in out for ch in "\x1b\x07\u202e\u2066\u200f")
    assert "\\x1b]0;owned\\x07" in out and "\\u202e" in out
