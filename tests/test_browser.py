"""What a reader does, in a real headless Chromium against the built site on localhost.

One browser for the module; every test opens its own context (fresh localStorage). Every page
any test visits must log no console error, and no request may leave localhost.
"""

from __future__ import annotations

import json
import re
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .browser import PHONE, Reader, reader

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LOOKUP_HOSTS = {
    "arXiv": ("arxiv.org", "query"),
    "Hugging Face": ("huggingface.co", "q"),
    "Semantic Scholar": ("www.semanticscholar.org", "q"),
    "Google Scholar": ("scholar.google.com", "q"),
}


@pytest.fixture(scope="module")
def site_reader(engine_site: Path) -> Iterator[Reader]:
    with reader(engine_site / "site") as r:
        yield r
    assert r.all_outside == [], f"requests left localhost during the module: {r.all_outside}"


@pytest.fixture(autouse=True)
def _fresh_record(site_reader: Reader) -> None:
    site_reader.reset()


@pytest.fixture(scope="module")
def catalogue(engine_site: Path) -> dict[str, Any]:
    cat = json.loads((engine_site / "site" / "catalogue.json").read_text(encoding="utf-8"))
    cat["paper"] = {p["slug"]: p for p in cat["papers"]}
    cat["topic"] = {t["slug"]: t for t in cat["topics"]}
    return cat


def _slug(url: str, kind: str) -> str:
    match = re.search(rf"/{kind}/([^/#?]+)/", url)
    assert match, f"{url} is not a /{kind}/<slug>/ page"
    return match.group(1)


def _heading(page: Any) -> str:
    """The page's H1 as a reader sees it, without Material's permalink sign."""
    return page.locator("article h1").first.evaluate(
        "h => Array.from(h.childNodes).filter(n => !(n.classList && n.classList.contains('headerlink')))"
        ".map(n => n.innerText ?? n.textContent).join('').trim()"
    )


def _follow(page: Any, link: Any, kind: str) -> str:
    """Click `link` (an <a> in the page), wait for the page it points to; returns its slug."""
    text = link.inner_text().strip()
    target = urllib.parse.urljoin(page.url, link.get_attribute("href") or "")
    assert f"/{kind}/" in target, f"link {text!r} goes to {target}, not a {kind} page"
    link.click()
    page.wait_for_url(target)
    assert _heading(page) == text, f"{target}: heading is not {text!r}"
    return _slug(target, kind)


def test_search_a_word_from_an_abstract_and_open_the_paper(site_reader: Reader, catalogue: dict[str, Any]) -> None:
    paper = next(p for p in catalogue["papers"] if p["title"].startswith("Iterated Q-Network"))
    with site_reader.page() as page:
        page.goto(site_reader.url())
        page.keyboard.press("/")
        # Material answers queries once its worker has loaded the index; a query typed while it
        # still says "Initializing search" can stay unanswered on a slow first start. Then type
        # as a reader does: Material runs a query on key presses, not on a value set by script.
        page.wait_for_function(
            "() => !/Initializing/.test("
            "document.querySelector('.md-search-result__meta')?.textContent || 'Initializing')",
            timeout=30000,
        )
        page.locator("input.md-search__input").press_sequentially("Bellman iterated", delay=20)
        first = page.locator(".md-search-result__item a").first
        # The results of "Bellman" alone show while the rest is typed: wait for the whole query's.
        expect(first).to_have_attribute("href", re.compile(re.escape(paper["slug"])), timeout=30000)
        first.click()
        page.wait_for_url(lambda url: f"/papers/{paper['slug']}/" in url)
        assert "Iterated Q-Network" in page.locator("h1").first.inner_text()
        page.locator("article a[href*='/topics/']").first.click()
        page.wait_for_url(lambda url: "/topics/" in url)
    site_reader.assert_clean()


def test_home_to_area_to_topic_to_paper_to_related_paper_to_its_topic(
    site_reader: Reader, catalogue: dict[str, Any]
) -> None:
    with site_reader.page() as page:
        page.goto(site_reader.url())
        article = page.locator("article")

        _follow(page, article.locator("a[href*='areas/']").first, "areas")
        topic = _follow(page, article.locator("a[href*='topics/']").first, "topics")
        assert topic in catalogue["topic"]

        links = article.locator("a[href*='papers/']")
        listed = [links.nth(n).get_attribute("href") or "" for n in range(links.count())]
        first = next(
            n for n, href in enumerate(listed) if catalogue["paper"][href.rstrip("/").rsplit("/", 1)[-1]]["related"]
        )
        paper = _follow(page, links.nth(first), "papers")
        assert paper in catalogue["topic"][topic]["papers"], f"{paper} is listed on {topic} but not in it"
        assert catalogue["paper"][paper]["related"], f"{paper} has no related papers"

        related = _follow(page, article.locator("h2#related-papers + ul a").first, "papers")
        assert related in catalogue["paper"][paper]["related"]

        its_topic = _follow(page, article.locator("h2#topics + ul a").first, "topics")
        assert its_topic in catalogue["paper"][related]["topics"]
        assert related in catalogue["topic"][its_topic]["papers"]
        # The topic page lists the paper we came from.
        assert article.locator(f"a[href$='papers/{related}/']").count() >= 1
    site_reader.assert_clean()


def _lookups(page: Any) -> dict[str, str]:
    links = page.locator("article p.lookups a")
    return {links.nth(i).inner_text().strip(): links.nth(i).get_attribute("href") or "" for i in range(links.count())}


@pytest.mark.parametrize("title_start", ["Iterated Q-Network", "A^2Nav"])
def test_look_up_links_are_https_searches_for_the_title(
    site_reader: Reader, catalogue: dict[str, Any], title_start: str
) -> None:
    """Checked, never followed: the look-up links search arXiv, HF Papers, Semantic Scholar, Google Scholar."""
    paper = next(p for p in catalogue["papers"] if p["title"].lstrip("$").startswith(title_start))
    with site_reader.page() as page:
        page.goto(site_reader.url(f"papers/{paper['slug']}/"))
        plain_title = page.title().rsplit(" - ", 1)[0].strip()
        links = _lookups(page)
        assert len(links) == len(LOOKUP_HOSTS), links
        for label, (host, param) in LOOKUP_HOSTS.items():
            href = next((h for text, h in links.items() if text.startswith(label)), None)
            assert href, f"no {label} link among {list(links)}"
            url = urllib.parse.urlsplit(href)
            assert (url.scheme, url.hostname) == ("https", host), href
            query = urllib.parse.parse_qs(url.query).get(param, [""])[0]
            assert query == plain_title, f"{label} searches for {query!r}, not the title {plain_title!r}"
            assert not re.search(r"[$\\^{}]", query), f"{label} searches for raw TeX: {query!r}"
        rels = page.locator("article p.lookups a").evaluate_all("els => els.map(e => e.rel)")
        assert all("noopener" in rel for rel in rels), rels
    site_reader.assert_clean()


def test_dark_mode_switches_to_slate_and_persists_across_reload_and_navigation(site_reader: Reader) -> None:
    from playwright.sync_api import expect

    with site_reader.page(color_scheme="light") as page:
        page.goto(site_reader.url())
        body = page.locator("body")
        expect(body).to_have_attribute("data-md-color-scheme", "default")

        page.locator('label.md-header__button[for^="__palette"]:visible').click()
        expect(body).to_have_attribute("data-md-color-scheme", "slate")
        stored = page.evaluate(
            "() => Object.keys(localStorage).filter(k => k.endsWith('__palette')).map(k => localStorage.getItem(k))"
        )
        assert len(stored) == 1 and '"slate"' in stored[0], f"palette not stored in localStorage: {stored}"

        page.reload()
        expect(body).to_have_attribute("data-md-color-scheme", "slate")

        link = page.locator("article a[href*='topics/']").first
        _follow(page, link, "topics")
        expect(body).to_have_attribute("data-md-color-scheme", "slate")
        _follow(page, page.locator("article a[href*='papers/']").first, "papers")
        expect(body).to_have_attribute("data-md-color-scheme", "slate")

        # And back: the reader's second choice sticks too.
        page.locator('label.md-header__button[for^="__palette"]:visible').click()
        expect(body).to_have_attribute("data-md-color-scheme", "default")
        page.reload()
        expect(body).to_have_attribute("data-md-color-scheme", "default")
    site_reader.assert_clean()


def test_phone_opens_the_navigation_drawer_and_finds_the_topics(site_reader: Reader, catalogue: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    with site_reader.page(viewport=PHONE, is_mobile=True, has_touch=True) as page:
        page.goto(site_reader.url(""))
        nav = page.locator(".md-nav--primary")
        topic_links = nav.locator("a.md-nav__link[href*='topics/']")
        drawer = page.locator(".md-sidebar--primary")
        assert not _shown_in(drawer, page.locator("body"), wait=0.0), "the drawer is open before asking"

        hamburger = page.locator('.md-header label[for="__drawer"]')
        expect(hamburger).to_be_visible()
        hamburger.click()
        expect(page.locator("#__drawer")).to_be_checked()
        assert _shown_in(drawer, page.locator("body")), "the drawer did not slide in"

        # On a phone, sections are nested panels that slide in: the topics sit in their area's
        # section; open the first area's and find its first topic there.
        opener = nav.locator(".md-nav__item--nested:has(a[href*='topics/']) > label.md-nav__link").filter(visible=True)
        assert opener.count() >= 1, "no section holding topic links in the drawer"
        area = next(a for a in catalogue["areas"] if a["name"] == opener.first.inner_text().strip())
        opener.first.click()
        topic_links = nav.locator(f"a.md-nav__link[href*='topics/{area['topics'][0]}/']")
        assert _shown_in(topic_links.first, drawer), f"the drawer does not show the first topic of {area['name']}"
        _follow(page, topic_links.first, "topics")
    site_reader.assert_clean()


def test_phone_drawer_on_a_paper_page_shows_its_topics(site_reader: Reader, catalogue: dict[str, Any]) -> None:
    """Paper pages carry a small navigation (not the whole tree): the way home and the paper's topics."""
    paper = next(p for p in catalogue["papers"] if p["title"].startswith("Iterated Q-Network"))
    names = {t["slug"]: t["name"] for t in catalogue["topics"]}
    with site_reader.page(viewport=PHONE, is_mobile=True, has_touch=True) as page:
        page.goto(site_reader.url(f"papers/{paper['slug']}/"))
        page.locator('.md-header label[for="__drawer"]').click()
        drawer = page.locator(".md-sidebar--primary")
        topic_links = page.locator(".md-nav--primary a.md-nav__link[href*='topics/']")
        assert _shown_in(topic_links.first, drawer), "the drawer does not show the paper's topics"
        assert [t.strip() for t in topic_links.all_inner_texts()] == [names[s] for s in paper["topics"]]
        _follow(page, topic_links.first, "topics")
    site_reader.assert_clean()


def _shown_in(locator: Any, container: Any, wait: float = 5.0) -> bool:
    """Whether `locator` lies wholly inside `container` on screen (not off-canvas), within `wait` seconds."""
    deadline = time.monotonic() + wait
    while True:
        box, outer = locator.bounding_box(), container.bounding_box()
        if box and outer:
            inside = (
                box["x"] >= outer["x"] - 1
                and box["x"] + box["width"] <= outer["x"] + outer["width"] + 1
                and outer["x"] >= -1
                and box["y"] < locator.page.viewport_size["height"]
            )
            if inside:
                return True
        if time.monotonic() >= deadline:
            return False
        locator.page.wait_for_timeout(100)


def test_no_request_left_localhost_during_the_whole_module(site_reader: Reader) -> None:
    assert site_reader.visited, "no page was visited"
    assert site_reader.all_outside == [], site_reader.all_outside


def test_copy_link_button_copies_the_permalink(site_reader: Reader, catalogue: dict[str, Any]) -> None:
    paper = next(p for p in catalogue["papers"] if p["title"].startswith("Iterated Q-Network"))
    with site_reader.page(permissions=["clipboard-read", "clipboard-write"]) as page:
        page.goto(site_reader.url(f"papers/{paper['slug']}/"))
        block = page.locator("pre.permalink")
        block.hover()
        button = page.locator("pre.permalink button[data-md-type=copy]")
        button.click()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.endswith(f"/papers/{paper['slug']}/") and copied.startswith("http")
    site_reader.assert_clean()
