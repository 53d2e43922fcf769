"""Where pages live is said once, in generator/urls.py: the page templates name a page by a path
function (`paper_path(slug)`, `AZ_PATH`...) and make it a link with `|md` or `|href`, never by
spelling out a folder; the functions agree with where MkDocs serves each page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mkdocs.structure.files import File

from generator import urls

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

_SAMPLE_PATHS = [
    urls.HOME_PATH,
    urls.AZ_PATH,
    urls.LISTINGS_PATH,
    urls.NEWEST_PATH,
    urls.REPORT_PATH,
    urls.paper_path("a-paper"),
    urls.topic_path("a-topic"),
    urls.area_path("an-area"),
    urls.listing_path("003-2eac55ab"),
    urls.az_letter_path("0-9"),
    urls.report_path("merges"),
    urls.page_path(urls.topic_path("a-topic"), 3),
    urls.page_path(urls.report_path("review"), 2),
]


def _site_names() -> set[str]:
    """Every folder and top-level page name the site has, as urls.py makes them."""
    names = {p.split("/")[0] for p in _SAMPLE_PATHS if "/" in p}
    names.add(urls.page_path("x.md", 2).split("/")[1])
    names.add(urls.paper_index_path("a").split("/")[0])
    return names


def test_no_page_template_spells_out_a_site_path() -> None:
    folders = _site_names()
    assert {"papers", "topics", "areas", "listings", "a-z", "report", "page", "paper-index"} <= folders
    folder_re = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(f) for f in sorted(folders)) + r")/")
    pages = (urls.HOME_PATH, urls.AZ_PATH, urls.LISTINGS_PATH, urls.NEWEST_PATH, urls.REPORT_PATH)
    page_re = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(p) for p in pages) + r")(?![\w.])")
    # Hand-made links: a Markdown target ending in `.md`, or the per-page roots templates used to
    # prefix paths with (now inside the `|md` and `|href` filters).
    hand_re = re.compile(r"\.md\)|\{\{-?\s*(?:link_)?root\b|\.\./")
    templates = sorted(TEMPLATES.glob("*.j2"))
    assert len(templates) > 10
    found = [
        f"{t.name}:{n}: {line.strip()}"
        for t in templates
        for n, line in enumerate(t.read_text(encoding="utf-8").splitlines(), start=1)
        if folder_re.search(line) or page_re.search(line) or hand_re.search(line)
    ]
    assert not found, "site paths spelled out in templates (use urls.py's functions):\n" + "\n".join(found)


@pytest.mark.parametrize("path", _SAMPLE_PATHS)
def test_url_of_is_where_mkdocs_serves_the_page(path: str) -> None:
    assert File(path, "/docs", "/site", use_directory_urls=True).url == (urls.url_of(path) or "./")


def test_paged_lists_continue_under_their_first_page() -> None:
    assert urls.page_path("topics/x.md", 1) == "topics/x.md"
    assert urls.page_path("topics/x.md", 3) == "topics/x/page/3.md"
    assert urls.url_of(urls.page_path("topics/x.md", 3)) == "topics/x/page/3/"


def test_links_from_a_page() -> None:
    assert urls.paper_url("p") == "papers/p/" and urls.topic_url("t") == "topics/t/"
    assert urls.listing_url("d") == "listings/d/"
    # Markdown links go from the source file; HTML links from the URL it is served at.
    assert urls.md_link("topics/t.md", urls.area_path("a")) == "../areas/a.md"
    assert urls.md_link(urls.HOME_PATH, urls.AZ_PATH) == "a-z.md"
    assert urls.html_link("topics/t.md", urls.paper_path("p")) == "../../papers/p/"
    assert urls.html_link("topics/t/page/2.md", urls.topic_path("t")) == "../../../../topics/t/"
    assert urls.html_link(urls.HOME_PATH, urls.paper_path("p")) == "papers/p/"
    assert urls.sibling_link(urls.paper_path("old"), urls.paper_path("new")) == "../new/"
    assert urls.sibling_link(urls.paper_path("old"), urls.topic_path("t")) == "../../topics/t/"
    assert urls.permalink("https://x.org/site/", urls.paper_path("p")) == "https://x.org/site/papers/p/"
