"""An automated accessibility audit: axe-core (pinned, installed from the npm registry by
`make axe`) injected into the built pages in a real Chromium, in both color schemes. No serious or
critical violation on the pages a reader meets: home, a paper, a topic, an area, A–Z and a letter,
a listing, newest, the report, the browse page and a topic narrowed with its form (results
shown), search with results, and the 404 page.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.render.facets import month_name

from .axe import AXE, serious_violations
from .browser import Reader, reader

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def site_reader(engine_site: Path) -> Iterator[Reader]:
    assert AXE.is_file(), f"axe-core is not installed: run `make axe` ({AXE})"
    with reader(engine_site / "site") as r:
        yield r


def _pages(site: Path) -> dict[str, str]:
    cat = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
    paper = next(p for p in cat["papers"] if p["related"])
    topic = cat["topics"][0]["slug"]
    area = cat["areas"][0]["slug"] if "areas" in cat else next(iter(cat["topics"]))["area"]
    listing = next(p.parent.name for p in sorted((site / "listings").glob("*/index.html")))
    month = month_name(cat["papers"][0]["added"])
    letter = next(p.parent.name for p in sorted((site / "a-z").glob("*/index.html")))
    return {
        "home": "",
        "paper": f"papers/{paper['slug']}/",
        "topic": f"topics/{topic}/",
        "area": f"areas/{area}/",
        "a-z": "a-z/",
        "letter": f"a-z/{letter}/",
        "listing": f"listings/{listing}/",
        "newest": "newest/",
        "report": "report/",
        "404": "no-such-page/",
        "browse": "browse/",
        "topic, narrowed": f"topics/{topic}/?" + urllib.parse.urlencode({"added": month, "sort": "added"}),
    }


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_or_critical_violation_on_the_pages_a_reader_meets(
    site_reader: Reader, engine_site: Path, scheme: str
) -> None:
    found: dict[str, object] = {}
    for name, path in _pages(engine_site / "site").items():
        with site_reader.page(color_scheme=scheme) as page:
            page.goto(site_reader.url(path))
            if name in ("browse", "topic, narrowed"):
                page.wait_for_selector(".catalogue-browse__results li, .catalogue-browse__status:has-text('No paper')")
            violations = serious_violations(page)
            if violations:
                found[name] = violations
    with site_reader.page(color_scheme=scheme) as page:  # search, with its results open
        page.goto(site_reader.url())
        page.keyboard.press("/")
        page.keyboard.type("diffusion policy")
        page.wait_for_selector(".md-search-result__item", timeout=15_000)
        violations = serious_violations(page)
        if violations:
            found["search"] = violations
    assert not found, json.dumps(found, indent=1)
