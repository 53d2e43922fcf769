"""The pages Pagefind indexes, kept between site builds (pagefind_index.sync_pages): after a sync
the folder holds exactly the pages asked for, whatever it held before, and only changed pages
are written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.site.pagefind_index import PAGES_MARK, PagesNotOurs, sync_pages


def _held(folder: Path) -> dict[str, str]:
    """Every file under `folder` (links named as such) and its text."""
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            out[rel] = "<link>"
        elif path.is_file():
            out[rel] = path.read_text(encoding="utf-8")
    return out


PAGES = {
    "papers/a/index.html": "<p>a</p>",
    "papers/b/index.html": "<p>b</p>",
    "topics/t/index.html": "<p>t</p>",
}


def test_a_first_sync_writes_every_page_and_marks_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "kept"
    assert sync_pages(folder, PAGES.items()) == (3, 0)
    held = _held(folder)
    assert held.pop(PAGES_MARK)
    assert held == PAGES


def test_the_next_sync_writes_only_changed_pages_and_removes_the_pages_gone(tmp_path: Path) -> None:
    folder = tmp_path / "kept"
    sync_pages(folder, PAGES.items())
    kept = folder / "papers/a/index.html"
    os.utime(kept, ns=(1, 1))  # a rewrite would give it a new modification time
    now = {"papers/a/index.html": "<p>a</p>", "papers/b/index.html": "<p>b, new</p>", "papers/c/index.html": "<p>c</p>"}
    written, removed = sync_pages(folder, now.items())
    assert written == 2  # b changed, c is new
    assert removed == 3  # topics/t/index.html, then the folders topics/t and topics
    assert kept.stat().st_mtime_ns == 1
    held = _held(folder)
    held.pop(PAGES_MARK)
    assert held == now
    assert not (folder / "topics").exists()


def test_whatever_stands_in_the_way_is_put_right(tmp_path: Path) -> None:
    """What a killed build or a hand left: a truncated page, a stray file, a link, a folder where a
    page goes, a file where a folder goes."""
    folder = tmp_path / "kept"
    sync_pages(folder, PAGES.items())
    (folder / "papers/a/index.html").write_text("<p", encoding="utf-8")
    (folder / "papers/stray.html").write_text("stray", encoding="utf-8")
    (folder / "papers/b/index.html").unlink()
    (folder / "papers/b/index.html").symlink_to(tmp_path / "elsewhere.html")
    (folder / "topics/t/index.html").unlink()
    (folder / "topics/t/index.html").mkdir()
    (folder / "topics/t/index.html/inside.html").write_text("x", encoding="utf-8")
    (folder / "more").write_text("a file where a folder goes", encoding="utf-8")
    outside = tmp_path / "elsewhere.html"
    outside.write_text("not ours", encoding="utf-8")
    wanted = {**PAGES, "more/x/index.html": "<p>x</p>"}
    sync_pages(folder, wanted.items())
    held = _held(folder)
    held.pop(PAGES_MARK)
    assert held == wanted
    assert outside.read_text(encoding="utf-8") == "not ours"  # a link is removed, never written through


def test_a_folder_it_did_not_make_is_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "kept"
    folder.mkdir()
    (folder / "mine.html").write_text("a reader's own page", encoding="utf-8")
    with pytest.raises(PagesNotOurs, match="did not write"):
        sync_pages(folder, PAGES.items())
    assert _held(folder) == {"mine.html": "a reader's own page"}
