"""Screenshots of home, a topic, a paper and the browse page (1280x900), as the README shows them.

`UPDATE_SCREENSHOTS=1 python -m pytest tests/test_browser_screenshots.py` rewrites docs/images/;
otherwise they go to a temporary folder, so the pages are still rendered and checked.
"""

from __future__ import annotations

import json
import os
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from .browser import DESKTOP, Reader, png_size, reader
from .conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def site_reader(bundled_site: Path) -> Iterator[Reader]:
    with reader(bundled_site / "site") as r:
        yield r


def _pages(site: Path) -> dict[str, str]:
    """Screenshot name -> site path: the home page, a topic, a paper with a math title, and the
    browse page narrowed to the topic, sorted by date."""
    cat = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
    topics = {t["slug"] for t in cat["topics"]}
    topic = "robot-manipulation" if "robot-manipulation" in topics else cat["topics"][0]["slug"]
    paper = next((p for p in cat["papers"] if p["title"].lstrip("$").startswith("A^2")), cat["papers"][0])
    name = next(t["name"] for t in cat["topics"] if t["slug"] == topic)
    browse = "browse/?" + urllib.parse.urlencode({"q": "policy", "topic": name, "sort": "added"})
    return {"home": "", "topic": f"topics/{topic}/", "paper": f"papers/{paper['slug']}/", "browse": browse}


def test_screenshots_of_home_topic_paper_and_browse(site_reader: Reader, bundled_site: Path, tmp_path: Path) -> None:
    target = ROOT / "docs" / "images" if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    with site_reader.page(viewport=DESKTOP, color_scheme="light") as page:
        for name, path in _pages(bundled_site / "site").items():
            page.goto(site_reader.url(path))
            page.locator("article h1").first.wait_for()
            if name == "browse":
                page.locator(".catalogue-browse__results li").first.wait_for()
            page.evaluate("() => document.fonts.ready")
            shot = target / f"{name}.png"
            page.screenshot(path=str(shot))
            assert png_size(shot) == (DESKTOP["width"], DESKTOP["height"])
            # The README shows the topic's and the paper's preview cards beside the screenshots.
            card = page.locator('meta[property="og:image"]')
            if name in ("topic", "paper") and card.count():
                card_file = (
                    bundled_site / "site" / urllib.parse.urlparse(card.get_attribute("content")).path.lstrip("/")
                )
                (target / f"card-{name}.png").write_bytes(card_file.read_bytes())
                assert png_size(target / f"card-{name}.png") == (1200, 630)
    site_reader.assert_clean()
