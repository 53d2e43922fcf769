"""Browse, filter and search as a reader does them, in a real headless Chromium, at both ends of the
size range: the bundled site (364 papers) and a 10,000-paper synthetic site that holds the bundled
dumps too (benchmarks/synth.py). Each checks dates on paper, listing and newest pages, the feeds,
a filter by topic and by listing that narrows results to exactly the papers `catalogue.json` says,
a filter by month added, the sorts, and the query set of tests/search_queries.yml.

The facets themselves (render/facets.py) are checked without a browser at the top.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser
import pytest
import yaml

from generator.render.facets import FacetIndex, month_name, paper_facets

from .axe import serious_violations
from .browser import Reader, reader
from .conftest import ROOT, build_site, copy_data

QUERIES = yaml.safe_load((Path(__file__).parent / "search_queries.yml").read_text(encoding="utf-8"))
SYNTH_PAPERS = 10_000


# --- Facets, without a browser ----------------------------------------------------------------------


def _doc() -> dict[str, Any]:
    return {
        "topics": [
            {"slug": "a", "name": "Alpha", "area": "x"},
            {"slug": "b", "name": "Beta", "area": "y"},
            {"slug": "c", "name": "Gamma", "area": "x"},
        ],
        "areas": [{"slug": "x", "name": "Area X"}, {"slug": "y", "name": "Area Y"}],
        "listings": [{"file": "new.txt", "name": "Listed on Jun 26"}, {"file": "old.txt", "name": "Listed on Apr 3"}],
    }


def test_a_paper_carries_its_topics_areas_listings_and_month_and_sorts() -> None:
    paper = {
        "title": r"The $\alpha$ Otter",
        "topics": ["a", "c"],
        "added": "2026-11-21",
        "sources": [{"file": "old.txt"}, {"file": "new.txt"}, {"file": "old.txt"}],
    }
    facets = paper_facets(paper, FacetIndex.of(_doc()))
    assert facets.filters == (
        ("kind", "Paper"),
        ("topic", "Alpha"),
        ("topic", "Gamma"),
        ("area", "Area X"),  # once, though two of its topics are in it
        ("listing", "Listed on Apr 3"),
        ("listing", "Listed on Jun 26"),
        ("added", "November 2026"),
    )
    # Newest listing ranks highest; the title sorts as its plain text, folded (TeX as written).
    assert dict(facets.sorts) == {"title": "the alpha otter", "added": "2026-11-21", "listed": "2"}


def test_a_paper_without_dates_or_topics_is_still_a_paper_and_sorts_by_title() -> None:
    facets = paper_facets({"title": "Bare", "topics": [], "sources": []}, FacetIndex.of(_doc()))
    assert facets.filters == (("kind", "Paper"),)
    assert facets.sorts == (("title", "bare"),)
    assert month_name("2024-01-05") == "January 2024"


# --- Sites --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["bundled", "zensical", "10k"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled catalogue as MkDocs and as Zensical build it (issue 18), and 10,000 synthetic
    papers past it (MkDocs)."""
    if request.param in ("bundled", "zensical"):
        return request.getfixturevalue(f"{request.param}_site") / "site"
    tmp = tmp_path_factory.mktemp("synth10k")
    data = copy_data(tmp / "data")
    synth = tmp / "synth"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "synth.py"), "--papers", str(SYNTH_PAPERS), "--out", str(synth)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    for dump in sorted((synth / "sources").glob("*.txt")):
        shutil.copy(dump, data / "sources" / f"9{dump.name}")
    # Without --strict: synthetic papers that match no topic rule are reported (needs a topic), as
    # they would be for a curator, and published without a topic.
    proc = build_site(tmp, data)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "search: Pagefind" in proc.stdout
    return tmp / "site"


@pytest.fixture(scope="module")
def catalogue(site: Path) -> dict[str, Any]:
    return json.loads((site / "catalogue.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def site_reader(site: Path) -> Iterator[Reader]:
    with reader(site) as r:
        yield r


def _wait_results(page: Any, timeout: float = 20.0) -> str:
    """The browse form's status line once results are shown."""
    page.wait_for_function(
        "() => { const s = document.querySelector('.catalogue-browse__status');"
        " return s && /^(\\d[\\d,]*|1) papers?$|^No paper/.test(s.textContent.trim()); }",
        timeout=timeout * 1000,
    )
    return page.inner_text(".catalogue-browse__status").strip()


def _count(status: str) -> int:
    return 0 if status.startswith("No paper") else int(status.split()[0].replace(",", ""))


def _titles(page: Any) -> list[str]:
    return page.eval_on_selector_all(".catalogue-browse__results > li > a", "els => els.map(e => e.textContent)")


def _biggest_topic(catalogue: dict[str, Any]) -> dict[str, Any]:
    return max(catalogue["topics"], key=lambda t: (len(t["papers"]), t["slug"]))


@pytest.mark.slow
@pytest.mark.browser
def test_a_topic_filtered_by_listing_shows_exactly_its_papers_of_that_listing(
    site_reader: Reader, catalogue: dict[str, Any]
) -> None:
    topic = _biggest_topic(catalogue)
    members = set(topic["papers"])
    by_listing: dict[str, set[str]] = {}
    files = {li["file"]: li["name"] for li in catalogue["listings"]}
    for p in catalogue["papers"]:
        if p["slug"] in members:
            for s in p["sources"]:
                by_listing.setdefault(files[s["file"]], set()).add(p["slug"])
    listing, expected = min(by_listing.items(), key=lambda kv: (len(kv[1]), kv[0]))
    with site_reader.page() as page:
        page.goto(site_reader.url(f"topics/{topic['slug']}/"))
        assert page.locator(".catalogue-browse__static").is_visible()
        assert not page.locator(".catalogue-browse__more").is_visible()  # nothing listed by the form yet
        page.click(".catalogue-browse__panel summary")
        assert page.input_value("select[name=topic]") == topic["name"]  # the page's own topic
        page.select_option("select[name=listing]", label=listing)
        assert _count(_wait_results(page)) == len(expected)
        assert not page.locator(".catalogue-browse__static").is_visible()
        query = urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)
        assert query == {"listing": [listing]}
        # The address restores the narrowed list; Clear brings the page's own list back.
        page.goto(page.url)
        assert _count(_wait_results(page)) == len(expected)
        page.click(".catalogue-browse button[type=reset]")
        page.wait_for_function("() => !document.querySelector('.catalogue-browse__static').hidden")
        assert "?" not in page.url
    site_reader.assert_clean()


@pytest.mark.slow
@pytest.mark.browser
def test_the_browse_page_lists_every_paper_and_narrows_by_area_topic_and_month(
    site_reader: Reader, catalogue: dict[str, Any]
) -> None:
    papers = catalogue["papers"]
    topic = _biggest_topic(catalogue)
    area = next(a for a in catalogue["areas"] if a["slug"] == topic["area"])
    in_area = {p["slug"] for p in papers if set(p["topics"]) & set(area["topics"])}
    month = month_name(papers[0]["added"])
    with site_reader.page() as page:
        chunks: list[str] = []
        page.on("request", lambda r: chunks.append(r.url) if "/pagefind/index/" in r.url else None)
        page.goto(site_reader.url("browse/"))
        assert _count(_wait_results(page)) == len(papers)
        # Listing with no words fetches one chunk of the word index, not all of it.
        assert len(chunks) == 1, chunks
        page.select_option("select[name=area]", label=area["name"])
        time.sleep(0.3)
        assert _count(_wait_results(page)) == len(in_area)
        page.select_option("select[name=topic]", label=topic["name"])
        time.sleep(0.3)
        assert _count(_wait_results(page)) == len(topic["papers"])  # a topic lies in its area
        page.select_option("select[name=added]", label=month)
        time.sleep(0.3)
        assert _count(_wait_results(page)) == sum(
            1 for p in papers if p["slug"] in set(topic["papers"]) and month_name(p["added"]) == month
        )
        page.select_option("select[name=sort]", value="title")
        time.sleep(0.5)
        titles = _titles(page)
        assert len(titles) == min(20, len(topic["papers"]))
        assert [t.casefold() for t in titles] == sorted(t.casefold() for t in titles)
    site_reader.assert_clean()


def _search(page: Any, query: str) -> tuple[str, list[str], str]:
    """Type `query` into the header's search box: (count line, result URLs, topics line)."""
    box = page.locator(".md-search__input")
    box.fill("")
    box.fill(query)
    page.wait_for_function(
        "() => /paper|No matching/i.test(document.querySelector('.md-search-result__meta').textContent)"
    )
    time.sleep(0.4)
    meta = page.inner_text(".md-search-result__meta")
    urls = page.eval_on_selector_all(".md-search-result__link", "els => els.map(e => e.getAttribute('href'))")
    topics = page.locator(".catalogue-search-topics")
    return meta, urls, topics.inner_text() if topics.count() else ""


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("case", QUERIES, ids=[q["query"] for q in QUERIES])
def test_the_query_set(site_reader: Reader, catalogue: dict[str, Any], case: dict[str, Any]) -> None:
    by_url = {p["url"]: p for p in catalogue["papers"]}
    with site_reader.page() as page:
        page.goto(site_reader.base)
        page.keyboard.press("/")
        meta, urls, topics = _search(page, case["query"])
        assert urls, meta
        paths = [urllib.parse.urlparse(u).path for u in urls]
        assert all(p.startswith("/papers/") for p in paths), paths  # papers only: topics are named apart
        slugs = [p.removeprefix("/papers/").strip("/") for p in paths]
        if "first" in case:
            assert slugs[0] == case["first"], (case, slugs[:3])
        if "topic" in case:
            assert case["topic"] in topics, (case, topics)
        for url in urls if "all_words" in case else []:
            paper = by_url[urllib.parse.urlparse(url).path.lstrip("/")]
            text = (paper["title"] + " " + paper["abstract"]).lower()
            assert all(w in text for w in case["all_words"]), (case, paper["slug"])
        # Excerpts are short, with the match marked.
        excerpts = page.eval_on_selector_all(".md-search-result__article p", "els => els.map(e => e.textContent)")
        assert excerpts and max(len(e) for e in excerpts) < 400
        assert page.locator(".md-search-result__article p mark").count() > 0
    site_reader.assert_clean()


@pytest.mark.slow
@pytest.mark.browser
def test_dates_on_paper_listing_and_newest_pages_and_feeds_that_parse(
    site_reader: Reader, site: Path, catalogue: dict[str, Any]
) -> None:
    dated = [li for li in catalogue["listings"] if li["name"].startswith("Listed on")]
    assert dated, catalogue["listings"]
    paper = next(p for p in catalogue["papers"] if any(s["listed"] for s in p["sources"]))
    with site_reader.page() as page:
        page.goto(site_reader.url(paper["url"]))
        dates = page.inner_text(".paper-dates")
        assert "Added to the catalogue on" in dates and "listed on" in dates, dates
        page.goto(site_reader.url(dated[0]["url"]))
        assert page.inner_text("h1").startswith(dated[0]["name"].split(" (")[0])
        page.goto(site_reader.url("newest/"))
        assert page.locator("article h2").first.inner_text().startswith("Added ")
    site_reader.assert_clean()
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo and 0 < len(feed.entries) <= 50
    assert all(e.get("published") or e.get("updated") for e in feed.entries)


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_browse_form_and_its_results_have_no_serious_accessibility_violation(
    site_reader: Reader, catalogue: dict[str, Any], scheme: str
) -> None:
    topic = _biggest_topic(catalogue)
    found = {}
    for path in ("browse/", f"topics/{topic['slug']}/?sort=added"):
        with site_reader.page(color_scheme=scheme) as page:
            page.goto(site_reader.url(path))
            page.wait_for_selector(".catalogue-browse__results li")
            violations = serious_violations(page)
            if violations:
                found[path] = violations
    assert not found, json.dumps(found, indent=1)


def test_facet_words_are_single_words_the_browse_script_can_make_from_names() -> None:
    from generator.render.facets import Facets, facet_word, words_html

    assert facet_word("topic", "GUI, web and device agents") == "ztguiwebanddeviceagents"
    assert facet_word("listing", "Listed on Apr 3 (Hugging Face Papers)") == "zllistedonapr3huggingfacepapers"
    assert facet_word("added", "November 2026") == "zmnovember2026"
    paper = Facets((("kind", "Paper"), ("topic", "Bandits"), ("area", "RL")), ())
    assert paper.words == ("everypaper", "ztbandits", "zarl")
    assert words_html(Facets((("kind", "Topic"),), ())) == ""  # a topic's page is never listed
    script = (ROOT / "templates" / "theme" / "assets" / "javascripts" / "catalogue-browse.js").read_text("utf-8")
    assert 'PREFIX = { topic: "zt", listing: "zl", added: "zm", area: "za" }' in script
