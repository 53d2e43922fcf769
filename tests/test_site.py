"""End to end: the real bundled dumps built into a real site with `mkdocs build --strict`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.texfrag import to_plain

pytestmark = pytest.mark.slow


def test_catalogue_json_accounts_for_every_record(bundled_site: Path) -> None:
    cat = json.loads((bundled_site / "site" / "catalogue.json").read_text(encoding="utf-8"))
    assert len(cat["papers"]) == 364
    sources = [(s["file"], s["line"]) for p in cat["papers"] for s in p["sources"]]
    assert len(sources) == 436 and len(set(sources)) == 436
    a2nav = [p for p in cat["papers"] if "Nav: Action-Aware Zero-Shot" in p["title"]]
    assert len(a2nav) == 1 and len(a2nav[0]["sources"]) == 3
    for paper in cat["papers"]:
        assert paper["topics"] and paper["slug"] not in paper["related"]
        assert paper["url"] == f"papers/{paper['slug']}/"


def test_one_page_per_paper_and_topic(bundled_site: Path) -> None:
    site = bundled_site / "site"
    cat = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
    pages = [p for p in (site / "papers").iterdir() if (p / "index.html").is_file()]
    assert len(pages) == 364
    for topic in cat["topics"]:
        html = (site / "topics" / topic["slug"] / "index.html").read_text(encoding="utf-8")
        assert f"{len(topic['papers'])} papers" in html


def test_every_paper_page_links_to_a_topic_and_has_a_plain_title(bundled_site: Path) -> None:
    for page in (bundled_site / "site" / "papers").glob("*/index.html"):
        html = page.read_text(encoding="utf-8")
        assert re.search(r'href="\.\./\.\./topics/[a-z0-9-]+/"', html), page
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert "$" not in title and "^" not in title and "\\" not in title, title


def test_math_title_renders_and_nav_has_no_papers(bundled_site: Path) -> None:
    site = bundled_site / "site"
    page = next((site / "papers").glob("a2nav-*/index.html")).read_text(encoding="utf-8")
    assert "A<sup>2</sup>Nav" in page and "<title>A²Nav" in page
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "papers/a2nav" not in home.split('class="md-content"')[0]


def test_site_makes_no_outside_requests(bundled_site: Path) -> None:
    for page in [
        bundled_site / "site" / "index.html",
        *list((bundled_site / "site" / "papers").glob("*/index.html"))[:20],
    ]:
        html = page.read_text(encoding="utf-8")
        fetched = re.findall(r'<(?:script|img|iframe)[^>]+src="((?:https?:)?//[^"]+)"', html)
        fetched += [
            href
            for tag in re.findall(r"<link[^>]+>", html)
            if re.search(r'rel="(?:stylesheet|preload|preconnect|icon|modulepreload)"', tag)
            for href in re.findall(r'href="((?:https?:)?//[^"]+)"', tag)
        ]
        assert fetched == [], f"{page}: outside resources {fetched}"


def test_topic_counts_equal_the_paper_pages_linking_to_them(bundled_site: Path) -> None:
    site = bundled_site / "site"
    cat = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
    linking: dict[str, set[str]] = {t["slug"]: set() for t in cat["topics"]}
    for page in (site / "papers").glob("*/index.html"):
        article = page.read_text(encoding="utf-8").split("<article", 1)[1]
        for slug in set(re.findall(r'href="\.\./\.\./topics/([a-z0-9-]+)/"', article)):
            linking[slug].add(page.parent.name)
    for topic in cat["topics"]:
        assert len(linking[topic["slug"]]) == len(topic["papers"]) >= 3, topic["slug"]
    sizes = [len(t["papers"]) for t in cat["topics"]]
    assert 20 <= len(sizes) <= 40 and max(sizes) <= 0.25 * len(cat["papers"])


def test_related_papers_are_distinct_never_self_and_say_why(bundled_site: Path) -> None:
    cat = json.loads((bundled_site / "site" / "catalogue.json").read_text(encoding="utf-8"))
    slugs = {p["slug"] for p in cat["papers"]}
    for paper in cat["papers"]:
        related = paper["related"]
        assert len(related) <= 6 and len(set(related)) == len(related) and paper["slug"] not in related
        assert set(related) <= slugs
    assert sum(len(p["related"]) >= 3 for p in cat["papers"]) >= len(cat["papers"]) / 2
    # Each link on a page says why, in a few words; a page without any says so.
    with_links = next(p for p in cat["papers"] if len(p["related"]) >= 3)
    html = (bundled_site / "site" / "papers" / with_links["slug"] / "index.html").read_text(encoding="utf-8")
    section = html.split('id="related-papers"', 1)[1].split("<h2", 1)[0]
    assert section.count("shared terms") == len(with_links["related"])
    without = next(p for p in cat["papers"] if not p["related"])
    html = (bundled_site / "site" / "papers" / without["slug"] / "index.html").read_text(encoding="utf-8")
    assert "No other paper of the catalogue is close enough" in html


def test_listing_newest_area_and_report_pages_exist(bundled_site: Path) -> None:
    site = bundled_site / "site"
    listing = (site / "listings" / "000-5b7c4531eed45f94" / "index.html").read_text(encoding="utf-8")
    assert "Listed on Apr 3" in listing
    for page in ["newest", "listings", "a-z", "report", "report/merges", "areas/reinforcement-learning"]:
        assert (site / page / "index.html").is_file(), page


def test_link_previews_and_cite_block_on_paper_pages(bundled_site: Path) -> None:
    import html as html_lib

    cat = json.loads((bundled_site / "site" / "catalogue.json").read_text(encoding="utf-8"))
    for paper in cat["papers"][:50]:
        page = (bundled_site / "site" / "papers" / paper["slug"] / "index.html").read_text(encoding="utf-8")
        metas = dict(
            re.findall(r'<meta (?:property|name)="((?:og|twitter):[a-z_]+|description)" content="([^"]*)"', page)
        )
        for key in ("og:title", "og:description", "og:url", "og:type", "og:site_name", "twitter:card", "description"):
            assert metas.get(key), (paper["slug"], key)
        assert metas["og:url"].endswith(f"/papers/{paper['slug']}/") and metas["og:type"] == "article"
        assert "$" not in metas["og:title"] and "\\" not in metas["og:title"]
        description = html_lib.unescape(metas["og:description"])
        assert len(description) <= 201
        assert " ".join(to_plain(paper["abstract"]).split()).startswith(description.rstrip("…"))
        shown = html_lib.unescape(page)  # the BibTeX block as the reader sees it
        assert f"@misc{{{paper['slug']}," in shown and "/papers/" + paper["slug"] + "/" in page


def _visible_text(html_text: str) -> str:
    """A built page's text as a reader sees it (scripts, styles and tags dropped, entities decoded)."""
    import html as html_lib

    body = re.sub(r"(?is)<(script|style|template)\b.*?</\1>", " ", html_text)
    body = re.sub(r"(?s)<[^>]+>", " ", body)
    return " ".join(html_lib.unescape(body).split())


def test_no_page_shows_a_literal_entity_or_a_wrong_plural(bundled_site: Path) -> None:
    wrong = re.compile(r"(?<![\d.,])\b1 (papers|pairs|problems|records|dumps|topics|areas|merges|notes)\b")
    bad: dict[str, list[str]] = {}
    for page in sorted((bundled_site / "site").rglob("*.html")):
        text = _visible_text(page.read_text(encoding="utf-8"))
        found = re.findall(r"&#?\w+;", text) + [m.group() for m in wrong.finditer(text)]
        if found:
            bad[str(page.relative_to(bundled_site / "site"))] = found[:3]
    assert not bad, bad


def test_paper_and_newest_pages_show_the_day_a_paper_was_added(bundled_site: Path) -> None:
    site = bundled_site / "site"
    cat = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
    assert cat["papers"] and all(p["added"] == "2026-11-21" for p in cat["papers"])
    paper = _visible_text((site / "papers" / cat["papers"][0]["slug"] / "index.html").read_text(encoding="utf-8"))
    assert "Added to the catalogue on 21 Nov 2026" in paper
    newest = _visible_text((site / "newest" / "index.html").read_text(encoding="utf-8"))
    assert "Added 21 Nov 2026" in newest


def test_feeds_of_new_papers_parse_and_every_topic_and_area_page_links_its_own(bundled_site: Path) -> None:
    import feedparser

    from generator.texfrag import to_plain

    site = bundled_site / "site"
    cat = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
    by_url = {p["url"]: p for p in cat["papers"]}
    pages = [("", "feed.xml")]
    pages += [(f"topics/{t['slug']}/", f"feed-topic-{t['slug']}.xml") for t in cat["topics"]]
    pages += [(f"areas/{a}/", f"feed-area-{a}.xml") for a in sorted({t["area"] for t in cat["topics"]})]
    for page, feed_file in pages:
        html = (site / page / "index.html").read_text(encoding="utf-8")
        assert 'type="application/atom+xml"' in html and feed_file in html, page
        parsed = feedparser.parse((site / feed_file).read_bytes())
        assert not parsed.bozo, (feed_file, parsed.bozo_exception)
        assert parsed.version == "atom10" and 1 <= len(parsed.entries) <= 50, feed_file
        for item in parsed.entries:
            paper = by_url[item.link.split("/", 3)[3]]
            assert item.title and item.summary.endswith(to_plain(paper["abstract"])[-40:].strip()), item.title
            assert item.published.startswith(paper["added"]), item.title
    topic = cat["topics"][0]
    visible = _visible_text((site / "topics" / topic["slug"] / "index.html").read_text(encoding="utf-8"))
    assert "Atom feed" in visible


def test_every_letter_page_has_a_bar_to_the_others_and_area_pages_show_papers_of_each_topic(
    bundled_site: Path,
) -> None:
    site = bundled_site / "site"
    letters = sorted(p.parent.name for p in (site / "a-z").glob("*/index.html"))
    assert len(letters) > 10
    for letter in letters:
        html = (site / "a-z" / letter / "index.html").read_text(encoding="utf-8")
        linked = set(re.findall(r'href="\.\./([0-9a-z-]+)/"', html))
        assert set(letters) - {letter} <= linked, letter
    cat = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
    topic = max(cat["topics"], key=lambda t: len(t["papers"]))
    area_html = (site / "areas" / topic["area"] / "index.html").read_text(encoding="utf-8")
    section = re.split(r"<h2 [^>]*>", area_html.split(">Topic<", 1)[1])
    mine = next(part for part in section if part.startswith(topic["name"]))
    shown = re.findall(r'href="\.\./\.\./papers/([^/"]+)/"', mine)
    assert 1 <= len(shown) <= 3 and set(shown) <= set(topic["papers"]), shown
    assert f"All {len(topic['papers'])} papers of" in _visible_text(mine)
