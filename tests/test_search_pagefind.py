"""Search at scale: the bundled catalogue built for Pagefind (forced with SEARCH_ENGINE), checked in
the HTML and in a real headless Chromium; and the default build checked to use Pagefind too.

The default build uses Pagefind too (test_browser.py searches it); here the reader journeys run on
a build forced with SEARCH_ENGINE, which also checks the index made from the catalogue against
the index of the built pages. tests/test_browse_search.py runs the query set and the filters.
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .browser import PHONE, Reader, reader
from .conftest import (
    DATA,
    build_site,
    copy_data,
    pagefind_bundle_files,
    pagefind_fragments,
    pagefind_of_built_site,
    pagefind_of_catalogue_on_disk,
)
from .dumps import layout_b

pytestmark = pytest.mark.slow

# One more dump: a paper listed under two spellings of its title (TeX in both), so that a paper
# page shows the other title, which is indexed too.
_TITLE = r"Otter Offline RL with $\beta$-Pessimistic Critics"
_ABSTRACT = (
    "We study pessimism for offline reinforcement learning with an otter agent, using $\\beta$-weighted critics. "
    "Our method is simple and improves sample efficiency on standard benchmarks over strong baselines."
)
VARIANTS = layout_b([_TITLE, _ABSTRACT, f"{_TITLE.upper()}.", _ABSTRACT])


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def pagefind_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled dumps built with `python -m generator build --strict`, search forced to
    Pagefind, by each engine (issue 18: the search box must work under both)."""
    tmp = tmp_path_factory.mktemp("pagefind")
    data = copy_data(tmp / "data")
    (data / "sources" / "999_variants.txt").write_text(VARIANTS, encoding="utf-8")
    env = {**os.environ, "SEARCH_ENGINE": "pagefind"}
    proc = build_site(tmp, data, "--strict", engine=request.param, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "search: Pagefind" in proc.stdout
    assert DATA.is_dir()
    return tmp / "site"


@pytest.fixture(scope="module")
def catalogue(pagefind_site: Path) -> dict[str, Any]:
    return json.loads((pagefind_site / "catalogue.json").read_text(encoding="utf-8"))


def _paper_pages(site: Path) -> list[Path]:
    return sorted(p for p in (site / "papers").glob("*/index.html") if "data-md-component" in p.read_text("utf-8"))


def test_pagefind_build_ships_a_pagefind_index_and_no_material_index(pagefind_site: Path, catalogue: dict) -> None:
    assert not (pagefind_site / "search" / "search_index.json").exists()
    assert (pagefind_site / "pagefind" / "pagefind.js").is_file()
    entry = json.loads((pagefind_site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    indexed = sum(lang["page_count"] for lang in entry["languages"].values())
    # Every paper page and every topic's first page; nothing else (no home, A-Z, listings, stubs).
    assert indexed == len(catalogue["papers"]) + len(catalogue["topics"])


def test_the_index_made_from_the_catalogue_is_the_index_of_the_built_pages(pagefind_site: Path, tmp_path: Path) -> None:
    # The build indexes minimal pages made from catalogue.json while MkDocs builds
    # (generator/site/pagefind_index.py); Pagefind run over the built site must give the same files.
    # Pagefind numbers pages in the order it lists their folders, so both are listed from the same
    # kind of folder here (the disk): the build writes its pages into RAM when it can, where the
    # order is the pages' own, and the pages' fragments are compared with the built site's below.
    from_site = pagefind_of_built_site(pagefind_site, tmp_path / "pagefind")
    on_disk = pagefind_of_catalogue_on_disk(pagefind_site / "catalogue.json", tmp_path / "work")
    assert pagefind_bundle_files(from_site) == pagefind_bundle_files(on_disk)
    assert pagefind_fragments(from_site) == pagefind_fragments(pagefind_site / "pagefind")
    assert len(list((from_site / "fragment").iterdir())) > 300
    # The variant dump's paper shows its other title, so that part of the page is compared too.
    assert sum('id="also-listed-as"' in p.read_text("utf-8") for p in _paper_pages(pagefind_site)) >= 1


def test_paper_pages_mark_only_title_abstract_and_aliases_for_indexing(pagefind_site: Path, catalogue: dict) -> None:
    by_slug = {p["slug"]: p for p in catalogue["papers"]}
    pages = _paper_pages(pagefind_site)
    assert len(pages) == len(catalogue["papers"])
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert html.count("data-pagefind-body") == 1, page
        body = html.split("data-pagefind-body", 1)[1]
        body = body[: body.index('<h2 id="topics"')]
        assert 'class="paper-abstract"' in body and "Related papers" not in body, page
        title = re.search(r'<span data-pagefind-meta="title" hidden>(.*?)</span>', html).group(1)
        assert f"<title>{title} - " in html, page
        assert not re.search(r"[$^\\]", title), title
        paper = by_slug[page.parent.name]
        assert _words(paper["abstract"]) & _words(body), page


def test_the_header_has_the_pagefind_box_and_not_materials(pagefind_site: Path) -> None:
    for page in [pagefind_site / "index.html", pagefind_site / "404.html", *_paper_pages(pagefind_site)[:5]]:
        html = page.read_text(encoding="utf-8")
        assert 'data-catalogue-search="pagefind"' in html and 'class="md-search__input"' in html, page
        assert 'data-md-component="search"' not in html and 'name="search"' not in html, page
        # The loader shared with the browse form names the bundle; the search box script follows it.
        loader = re.search(r'<script src="([^"]*catalogue-pagefind\.js)" data-bundle="([^"]*)"', html)
        box = re.search(r'<script src="([^"]*pagefind-search\.js)"', html)
        assert loader and box and loader.start() < box.start(), page
        for src in (*loader.groups(), box[1]):
            assert not re.match(r"(https?:)?//", src), src
    for name in ("catalogue-pagefind.js", "pagefind-search.js"):
        assert (pagefind_site / "assets" / "javascripts" / name).is_file()


def test_the_default_build_of_the_bundled_catalogue_uses_pagefind(bundled_site: Path) -> None:
    site = bundled_site / "site"
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert not (site / "search" / "search_index.json").exists()
    for page in [site / "index.html", *list((site / "papers").glob("*/index.html"))[:20]]:
        html = page.read_text(encoding="utf-8")
        assert 'data-md-component="search"' not in html, page
        assert "pagefind-search.js" in html, page


# --- In the browser --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site_reader(pagefind_site: Path) -> Iterator[Reader]:
    with reader(pagefind_site) as r:
        yield r
    assert r.all_outside == [], f"requests left localhost during the module: {r.all_outside}"


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{6,}", text.lower())}


def _rare_words(catalogue: dict[str, Any], count: int = 3) -> list[tuple[dict[str, Any], str]]:
    """Papers, each with a word of its abstract that no other paper has in its title or abstract,
    even with another ending (Pagefind stems: "architectural" finds "architecture")."""

    def stems(text: str) -> set[str]:
        return {w[:6] for w in _words(text)}

    seen = Counter(s for p in catalogue["papers"] for s in stems(p["title"] + " " + p["abstract"]))
    picked = []
    for paper in catalogue["papers"][:: max(1, len(catalogue["papers"]) // 40)]:
        title = stems(paper["title"])
        unique = sorted(w for w in _words(paper["abstract"]) if seen[w[:6]] == 1 and w[:6] not in title)
        if unique:
            picked.append((paper, unique[0]))
        if len(picked) == count:
            break
    assert len(picked) == count
    return picked


def _results(page: Any) -> Any:
    first = page.locator(".md-search-result__item a.md-search-result__link").first
    first.wait_for(timeout=30000)
    return page.locator(".md-search-result__item a.md-search-result__link")


@pytest.mark.browser
def test_keyboard_reader_finds_a_paper_by_words_of_its_abstract(site_reader: Reader, catalogue: dict) -> None:
    """As test_browser.py does with Material's search: "/" then a query, then Enter opens the paper."""
    site_reader.reset()
    paper = next(p for p in catalogue["papers"] if p["title"].startswith("Iterated Q-Network"))
    requested: list[str] = []
    with site_reader.page() as page:
        page.on("request", lambda request: requested.append(request.url))
        page.goto(site_reader.url())
        page.keyboard.press("/")
        assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
        page.keyboard.type("Bellman iterated")
        results = _results(page)
        assert paper["slug"] in (results.first.get_attribute("href") or "")
        assert results.first.locator("h1").inner_text().startswith("Iterated Q-Network")
        assert results.first.locator("mark").count() >= 1  # the words found are highlighted
        page.keyboard.press("Enter")
        page.wait_for_url(lambda url: f"/papers/{paper['slug']}/" in url)
        assert "Iterated Q-Network" in page.locator("h1").first.inner_text()
    assert any("/pagefind/index/" in url for url in requested), requested
    assert any("/pagefind/fragment/" in url for url in requested), requested
    assert not any("search_index.json" in url for url in requested)
    site_reader.assert_clean()


@pytest.mark.browser
def test_a_rare_word_of_an_abstract_finds_its_paper_first(site_reader: Reader, catalogue: dict) -> None:
    site_reader.reset()
    with site_reader.page() as page:
        page.goto(site_reader.url("a-z/"))
        for paper, word in _rare_words(catalogue):
            page.locator("input.md-search__input").fill(word)
            page.wait_for_function(
                "w => { const m = document.querySelector('.md-search-result__item mark');"
                " return m && m.textContent.toLowerCase().startsWith(w.slice(0, 5)); }",
                arg=word,
                timeout=30000,
            )
            href = _results(page).first.get_attribute("href") or ""
            assert f"/papers/{paper['slug']}/" in href, f"{word!r} from {paper['title']!r} found {href} first"
        _results(page).first.click()
        page.wait_for_url(lambda url: "/papers/" in url)
    site_reader.assert_clean()


@pytest.mark.browser
def test_results_show_plain_titles_and_escape_closes_the_box(site_reader: Reader) -> None:
    site_reader.reset()
    with site_reader.page() as page:
        page.goto(site_reader.url("404.html"))  # absolute links there: the box must still find the bundle
        page.locator("input.md-search__input").click()
        page.keyboard.type("A2Nav zero-shot navigation")
        first = _results(page).first
        assert first.locator("h1").inner_text().startswith("A²Nav: Action-Aware Zero-Shot Robot Navigation")
        href = urllib.parse.urljoin(page.url, first.get_attribute("href") or "")
        assert href.startswith(site_reader.base + "papers/a2nav-"), href
        page.keyboard.press("Escape")
        assert not page.locator("#__search").is_checked()
        page.keyboard.press("s")
        assert page.locator("#__search").is_checked()
    site_reader.assert_clean()


@pytest.mark.browser
def test_phone_reader_opens_search_from_the_header_and_reaches_the_paper(site_reader: Reader, catalogue: dict) -> None:
    site_reader.reset()
    paper, word = _rare_words(catalogue, 1)[0]
    with site_reader.page(viewport=PHONE, is_mobile=True, has_touch=True) as page:
        page.goto(site_reader.url("newest/"))
        box = page.locator("input.md-search__input")
        button = page.locator('label.md-header__button[for="__search"]')
        assert button.is_visible()
        button.tap()
        page.wait_for_function("document.activeElement.classList.contains('md-search__input')", timeout=5000)
        assert (box.bounding_box() or {}).get("width", 0) > PHONE["width"] / 2  # the dialog takes the screen
        page.keyboard.type(word)
        first = _results(page).first
        assert f"/papers/{paper['slug']}/" in (first.get_attribute("href") or "")
        first.tap()
        page.wait_for_url(lambda url: f"/papers/{paper['slug']}/" in url)
    site_reader.assert_clean()
