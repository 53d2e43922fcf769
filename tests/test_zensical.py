"""Issue 18: `python -m generator build --engine zensical` (Material's successor,
`zensical` 0.0.73) builds the bundled catalogue from the same `mkdocs.yml` and `templates/theme/`
(written in the subset of Jinja that MiniJinja runs: no Python string methods), strict, with
Pagefind; the site has the same pages, canonical links and link previews as the MkDocs build,
and in Chromium its browse form narrows and its search finds a paper by a distinctive word.

The whole browser suite, the accessibility audit and the 404 finder run against both engines'
sites (conftest.engine_site), as do the redirect stubs (test_urls_stable.py) and the strict-link
check below.
"""

from __future__ import annotations

import importlib.util
import re
import urllib.parse
from pathlib import Path

import pytest

from .browser import reader
from .conftest import DATA, ROOT, build_site

pytestmark = pytest.mark.slow

_META = re.compile(r'<(?:link rel="canonical" href|meta property="og:(?:title|image|type)" content)="([^"]*)"')


def _pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def test_zensical_builds_the_same_pages_as_mkdocs(zensical_site: Path, bundled_site: Path) -> None:
    mkdocs_pages = _pages(bundled_site / "site")
    assert len(mkdocs_pages) > 400
    assert _pages(zensical_site / "site") == mkdocs_pages


def test_paper_and_topic_pages_carry_the_same_canonical_link_and_previews(
    zensical_site: Path, bundled_site: Path
) -> None:
    pages = sorted(p for p in _pages(bundled_site / "site") if p.startswith(("papers/", "topics/")))
    for rel in pages:
        mkdocs_html = (bundled_site / "site" / rel).read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in mkdocs_html:
            continue  # a redirect stub: checked below
        zensical_html = (zensical_site / "site" / rel).read_text(encoding="utf-8")
        assert _META.findall(zensical_html) == _META.findall(mkdocs_html), rel
        for card in re.findall(r'property="og:image" content="[^"]*/(cards/[^"]+)"', zensical_html):
            assert (zensical_site / "site" / card).is_file(), card


def _article(html: str, page: str) -> tuple[str, list[str]]:
    """A page's article as a reader meets it: its text, and where its links lead (resolved, since
    the engines may spell the same relative link differently)."""
    article = html[html.index("<article") : html.index("</article>")]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", article)).strip()
    base = f"https://catalogue.invalid/{page}"
    return text, [urllib.parse.urljoin(base, href) for href in re.findall(r'href="([^"]*)"', article)]


def test_paper_and_topic_pages_say_the_same_and_link_to_the_same_pages(zensical_site: Path, bundled_site: Path) -> None:
    pages = sorted(p for p in _pages(bundled_site / "site") if p.startswith(("papers/", "topics/")))
    assert len(pages) > 390
    for rel in pages:
        mkdocs_html = (bundled_site / "site" / rel).read_text(encoding="utf-8")
        zensical_html = (zensical_site / "site" / rel).read_text(encoding="utf-8")
        assert _article(zensical_html, rel) == _article(mkdocs_html, rel), rel


def test_the_not_found_page_is_there_with_its_paper_finder(zensical_site: Path) -> None:
    page = (zensical_site / "site" / "404.html").read_text(encoding="utf-8")
    assert "paper-index/" in page  # the script that finds the paper a mangled address meant


@pytest.mark.browser
def test_in_the_browser_the_browse_form_narrows_and_search_finds_a_paper(zensical_site: Path) -> None:
    with reader(zensical_site / "site") as r, r.page() as page:
        page.goto(r.url("browse/?topic=Bandits"))
        page.wait_for_function(
            "() => /papers?$/.test(document.querySelector('.catalogue-browse__status').textContent.trim())"
        )
        count = int(page.inner_text(".catalogue-browse__status").split()[0])
        assert 0 < count < 364
        page.goto(r.url())
        page.keyboard.press("/")
        page.keyboard.type("ArrayBot")
        first = page.locator(".md-search-result__link").first
        first.wait_for()
        assert "arraybot" in (first.get_attribute("href") or "")
        r.assert_clean()


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_strict_build_fails_on_a_broken_link_under_both_engines(tmp_path: Path, engine: str) -> None:
    """A curator's page linking to a page that does not exist stops the (strict) site build, with
    the engine's message naming the link, and no site is written."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "notes.md").write_text("# Notes\n\nSee [the old list](old-list.md).\n", encoding="utf-8")
    proc = build_site(tmp_path, DATA, "--strict", engine=engine)
    assert proc.returncode != 0, proc.stdout[-2000:]
    out = proc.stdout + proc.stderr
    assert "old-list.md" in out and "notes.md" in out
    assert "Traceback" not in out and "\x1b[" not in out  # the engine's message, plain
    assert not (tmp_path / "site" / "index.html").exists()


def test_the_search_box_css_is_what_the_pinned_material_gives() -> None:
    """docs/stylesheets/search-box.css (loaded only under Zensical) is regenerated from Material's
    stylesheet, not edited: after a Material upgrade this says to regenerate it."""
    from generator.site.search_box_css import extract

    material = Path(importlib.util.find_spec("material").origin).parent  # type: ignore[arg-type, union-attr]
    (main_css,) = (material / "templates" / "assets" / "stylesheets").glob("main.*.min.css")
    expected = extract(main_css.read_text(encoding="utf-8"))
    assert ".md-search__form{" in expected and "@media" in expected
    shipped = (ROOT / "docs" / "stylesheets" / "search-box.css").read_text(encoding="utf-8")
    assert shipped == expected, "regenerate docs/stylesheets/search-box.css with generator/site/search_box_css.py"
