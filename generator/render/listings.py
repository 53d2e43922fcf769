"""List pages that must never grow with the catalogue: A–Z by letter, one listing per dump, the
newest listings, and the curation report. Every list is split into numbered pages."""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from generator import urls
from generator.models import Catalogue, DumpChange, Entry, FileContent, Problem, Record
from generator.render import exports
from generator.render.cards import PAPER_CARDS_UP_TO, render_png
from generator.render.feeds import latest_record, newest_first, render_feeds
from generator.render.pages import PAGE_SIZE, PageReuse, PaperLink, Renderer, collect
from generator.stages.changes import change_rows, describe, in_this_build
from generator.texfrag import to_plain
from generator.words import human_date

NEWEST_COUNT = PAGE_SIZE
"""Papers on the newest page: the most recent dump's records first."""


def render_site(
    catalogue: Catalogue, template_dir: Path, site_url: str = urls.DEFAULT_SITE_URL
) -> dict[str, FileContent]:
    """Docs-relative path -> text of every generated file (a path made twice is an error)."""
    return collect(iter_site(catalogue, template_dir, site_url))


def iter_site(
    catalogue: Catalogue,
    template_dir: Path,
    site_url: str = urls.DEFAULT_SITE_URL,
    paper_cards_up_to: int = PAPER_CARDS_UP_TO,
    reuse: PageReuse | None = None,
) -> Iterator[tuple[str, FileContent]]:
    """Every generated file as (docs-relative path, text), rendered one at a time as asked for:
    the writer consumes them one by one, so a catalogue's pages are never all held at once.
    With `reuse`, a paper page whose inputs did not change is not rendered (pages.PageReuse)."""
    r = Renderer(catalogue, template_dir, site_url, paper_cards_up_to, reuse)
    yield from r.paper_pages(meanwhile=_other_pages(r, site_url))


def _other_pages(r: Renderer, site_url: str) -> Iterator[tuple[str, FileContent]]:
    """Every generated file but the paper pages, one at a time."""
    yield from r.front_pages()
    yield from r.topic_and_area_pages()
    yield from render_az(r)
    yield from render_dumps(r)
    yield from render_newest(r)
    yield from render_browse(r)
    yield from render_navigation(r)
    yield from render_exports(r)
    yield from render_cards(r)
    yield from render_report(r)
    yield from render_redirects(r)
    yield from render_feeds(r.cat, site_url)


def render_redirects(r: Renderer) -> list[tuple[str, str]]:
    """A stub at every old or alias paper URL, leading to the current page; a page at every
    published URL whose paper is gone, saying so."""
    out = []
    for redirect in r.cat.redirects:
        path, target = urls.paper_path(redirect.slug), urls.paper_path(redirect.target)
        text = r._render(
            "redirect.md.j2",
            path,
            redirect=redirect,
            target_path=target,
            target_title=r.by_slug[redirect.target].paper.title,
            redirect_to=urls.sibling_link(path, target),
            redirect_url=urls.permalink(r.site_url, target),
        )
        out.append((path, text))
    for gone in r.cat.gone:
        path = urls.paper_path(gone.slug)
        lookups = urls.lookup_links(to_plain(gone.title))
        out.append((path, r._render("gone.md.j2", path, gone=gone, lookups=lookups)))
    return out


def _letter(entry: Entry) -> str:
    first = entry.slug[:1]
    return first if first.isalpha() else "0-9"


def render_az(r: Renderer) -> list[tuple[str, str]]:
    letters: dict[str, list[Entry]] = defaultdict(list)
    for entry in r.cat.entries:
        letters[_letter(entry)].append(entry)
    counts = {k: len(v) for k, v in sorted(letters.items())}
    out = [(urls.AZ_PATH, r._render("az-index.md.j2", urls.AZ_PATH, letters=counts))]
    for letter, entries in sorted(letters.items()):
        rows = [r.link(e) for e in r.by_title(entries)]
        path = urls.az_letter_path(letter)
        out += r.render_paged("az-letter.md.j2", path, rows, letter=letter, count=len(entries), letters=list(counts))
    return out


def render_dumps(r: Renderer) -> list[tuple[str, str]]:
    """One page per dump, in the dump's own order, and an index of dumps (newest first)."""
    page = r._render("listings.md.j2", urls.LISTINGS_PATH, listings=r.listings)
    out = [(urls.LISTINGS_PATH, page)]
    for listing in r.listings:
        rows = [(rec, r.link(entry)) for rec, entry in r.by_dump[listing.file]]
        path = urls.listing_path(listing.slug)
        out += r.render_paged(
            "listing.md.j2",
            path,
            rows,
            file=listing.file,
            label=listing.name,
            count=listing.count,
            browse=r.browse(listing=listing.name),
        )
    return out


def render_newest(r: Renderer) -> list[tuple[str, str]]:
    """The papers added last (feeds.newest_first, the order of the feeds), grouped by the day they
    were added; each shown with its record in the latest listing that holds it."""
    groups: list[tuple[str, list[tuple[Record, PaperLink]]]] = []
    for entry in newest_first(r.cat)[:NEWEST_COUNT]:
        day = f"Added {human_date(entry.added)}" if entry.added else "Added before dates were kept"
        if not groups or groups[-1][0] != day:
            groups.append((day, []))
        groups[-1][1].append((latest_record(entry), r.link(entry)))
    return [(urls.NEWEST_PATH, r._render("newest.md.j2", urls.NEWEST_PATH, groups=groups))]


def render_browse(r: Renderer) -> list[tuple[str, str]]:
    """The browse page: every paper, newest first, narrowed and sorted in the browser."""
    browse = r.browse(sort="added", autorun=True)
    return [(urls.BROWSE_PATH, r._render("browse.md.j2", urls.BROWSE_PATH, browse=browse, count=len(r.cat.entries)))]


def render_cards(r: Renderer) -> Iterator[tuple[str, FileContent]]:
    """Every preview card the pages name, once each, drawn only if the docs folder lacks it."""
    cards = {c.path: c for c in (*(r.paper_card(e) for e in r.cat.entries), *(r.topic_card(t) for t in r.cat.topics))}
    for path in sorted(cards):
        yield path, functools.partial(render_png, cards[path])


def render_exports(r: Renderer) -> Iterator[tuple[str, str]]:
    """BibTeX and RIS files: per topic, split like its pages; for the whole catalogue, in parts
    (render/exports.py). Both in title order, as the topic pages and A–Z list papers."""
    cite = {e.slug: r.citation(e) for e in r.cat.entries}  # each paper once, for its topics and the whole
    made: dict[tuple[str, str], str] = {}  # ...and so is each paper's BibTeX and RIS entry
    for topic in r.cat.topics:
        citations = [cite[e.slug] for e in r.members[topic.slug]]
        for number, part in enumerate(exports.parts(citations, PAGE_SIZE), start=1):
            for kind in (exports.BIB, exports.RIS):
                yield urls.export_path(f"topic-{topic.slug}", number, kind), exports.export_text(kind, part, made)
    everything = [cite[e.slug] for e in r.by_title(r.cat.entries)]
    for number, part in enumerate(exports.parts(everything, exports.CATALOGUE_PART), start=1):
        for kind in (exports.BIB, exports.RIS):
            yield urls.export_path("catalogue", number, kind), exports.export_text(kind, part, made)


def render_navigation(r: Renderer) -> list[tuple[str, str]]:
    """The reader's navigation: the catalogue's own pages, then each area with its topics under
    it (MkDocs' `nav:` form, Markdown source paths). Papers, letters, listings and numbered pages
    stay out of it (mkdocs.yml `not_in_nav`): Material renders the navigation into every page."""
    nav: list[dict[str, object]] = [
        {"Home": urls.HOME_PATH},
        {"Browse and filter": urls.BROWSE_PATH},
        {"All papers, A–Z": urls.AZ_PATH},
        {"Newest papers": urls.NEWEST_PATH},
        {"Listings": urls.LISTINGS_PATH},
        {"About": urls.ABOUT_PATH},
        {"Curation report": urls.REPORT_PATH},
    ]
    for area in r.cat.areas:
        topics = [{r.topics[t].name: urls.topic_path(t)} for t in area.topics]
        nav.append({area.name: [{f"All of {area.name}": urls.area_path(area.slug)}, *topics]})
    return [(urls.NAVIGATION_FILE, json.dumps(nav, ensure_ascii=False, indent=1) + "\n")]


REPORT_ROWS = 20
"""Records, and problems, shown per dump in the report's "This build" section; the dump's listing
page has every record, `check` prints every problem."""
PROBLEM_ROWS = 200
"""Problems (and papers needing a topic) the report page lists; `check` prints every one, so the
page stays small however many a large catalogue has."""


class ReportedDump(NamedTuple):
    """What the report's "This build" section shows of one dump: its first REPORT_ROWS records
    and problems, and how many more of each there are."""

    change: DumpChange
    rows: list[tuple[Record, str, str]]
    more_rows: int
    problems: tuple[Problem, ...]
    more_problems: int


def _reported_dump(c: DumpChange) -> ReportedDump:
    rows = change_rows(c)
    more_problems = max(0, len(c.problems) - REPORT_ROWS)
    return ReportedDump(c, rows[:REPORT_ROWS], max(0, len(rows) - REPORT_ROWS), c.problems[:REPORT_ROWS], more_problems)


def render_report(r: Renderer) -> list[tuple[str, str]]:
    """The curation report: summary page, then every merge and every review pair on numbered pages."""
    cat = r.cat
    changed = [_reported_dump(c) for c in cat.changes if in_this_build(c)]
    page = r._render("report.md.j2", urls.REPORT_PATH, cat=cat, changed=changed, describe=describe, rows=PROBLEM_ROWS)
    out = [(urls.REPORT_PATH, page)]
    owner = cat.owner
    merges = [(m, owner[m.into]) for m in cat.merges]
    out += r.render_paged("report-merges.md.j2", urls.report_path("merges"), merges)
    review = [(p, owner[p.a], owner[p.b]) for p in cat.review]
    out += r.render_paged("report-review.md.j2", urls.report_path("review"), review)
    return out
