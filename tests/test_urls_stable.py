"""Links that survive: title fixes and merges keep old URLs working; alias titles resolve."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.inputs.ledger import Published
from generator.models import Entry, Paper, Record
from generator.stages.redirects import plan_redirects, update_ledger

from .browser import CHROMIUM_ARGS, chromium_path, serve_folder
from .conftest import build_site, copy_data

A2NAV = ("000_5b7c4531eed45f94.txt:131", "001_a620df61e05b83db.txt:71")


def _entry(slug: str, title: str, *refs: str, aliases: tuple[str, ...] = ()) -> Entry:
    records = tuple(Record(ref.split(":")[0], int(ref.split(":")[1]), title, "x") for ref in refs)
    return Entry(slug, Paper(slug, title, "x", aliases, records), (), ())


def test_renamed_and_merged_slugs_redirect_to_the_page_holding_their_records() -> None:
    ledger = {
        "old-title": Published("Old Title", ("a.txt:3",)),
        "other": Published("Other", ("b.txt:3", "c.txt:5")),
        "gone": Published("Gone", ("z.txt:1",)),
    }
    entries = [
        _entry("new-title", "New Title", "a.txt:3", "b.txt:3"),
        _entry("third", "Third", "c.txt:5", aliases=("Third Paper!",)),
    ]
    redirects = {r.slug: r.target for r in plan_redirects(ledger, entries)}
    assert redirects == {"old-title": "new-title", "other": "new-title", "third-paper": "third"}
    grown = update_ledger(ledger, entries)
    assert set(grown) == {"old-title", "other", "gone", "new-title", "third"}  # nothing removed


def _stub_target(site: Path, slug: str) -> str:
    html = (site / "papers" / slug / "index.html").read_text(encoding="utf-8")
    return re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', html).group(1)


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_title_fix_and_merge_keep_old_urls_working(tmp_path: Path, engine: str) -> None:
    """Under both engines (issue 18): the same stubs, and the anchor kept in a browser."""
    data = copy_data(tmp_path / "data")
    (data / "curation.yml").write_text(f'keep_apart:\n  - ["{A2NAV[0]}", "{A2NAV[1]}"]\n', encoding="utf-8")
    first = build_site(tmp_path, data, engine=engine)
    assert first.returncode == 0, first.stderr
    cat = json.loads((tmp_path / "site" / "catalogue.json").read_text(encoding="utf-8"))
    split = sorted(p["slug"] for p in cat["papers"] if p["slug"].startswith("a2nav-"))
    assert len(split) == 2
    old_slug = next(p["slug"] for p in cat["papers"] if p["title"] == "Submodular Reinforcement Learning")
    # Second build: a title fix, and the two A²Nav pages merged again.
    (data / "curation.yml").write_text(
        'titles:\n  - {paper: "Submodular Reinforcement Learning", title: "Submodular RL: Objectives Beyond Sums"}\n',
        encoding="utf-8",
    )
    second = build_site(tmp_path, data, engine=engine)
    assert second.returncode == 0, second.stderr
    site = tmp_path / "site"
    cat = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
    fixed = next(p["slug"] for p in cat["papers"] if p["title"].startswith("Submodular RL"))
    merged = next(p["slug"] for p in cat["papers"] if p["slug"].startswith("a2nav-"))
    assert fixed != old_slug and _stub_target(site, old_slug) == f"../{fixed}/"
    for slug in split:
        if slug != merged:
            assert _stub_target(site, slug) == f"../{merged}/"
    ledger = json.loads((data / "published.json").read_text(encoding="utf-8"))["papers"]
    assert old_slug in ledger and fixed in ledger and set(split) <= set(ledger)
    _follow_in_browser(site, old_slug, fixed)


def _follow_in_browser(site: Path, old: str, new: str) -> None:
    """A reader pasting the old link with an anchor lands on the new page, anchor kept."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    with serve_folder(site) as base, playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{base}papers/{old}/#related-papers")
        page.wait_for_url(lambda url: f"/papers/{new}/" in url)
        assert page.url.endswith("#related-papers")
        assert "Submodular RL" in page.locator("h1").first.inner_text()
        browser.close()
