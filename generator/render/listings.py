"""List pages that must never grow with the catalogue: A–Z by letter, one listing per dump, the
newest listings, and the curation report. Every list is split into numbered pages."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

from generator import urls
from generator.models import Catalogue, DumpChange, Entry, Record
from generator.render.feeds import latest_record, newest_first, render_feeds
from generator.render.pages import PAGE_SIZE, PaperLink, Renderer, collect, human_date
from generator.stages.changes import change_rows, describe, in_this_build
from generator.texfrag import to_plain

NEWEST_COUNT = PAGE_SIZE
"""Papers on the newest page: the most recent dump's records first."""


def render_site(catalogue: Catalogue, template_dir: Path, site_url: str = urls.DEFAULT_SITE_URL) -> dict[str, str]:
    """Docs-relative path -> text of every generated file (a path made twice is an error)."""
    return collect(iter_site(catalogue, template_dir, site_url))


def iter_site(
    catalogue: Catalogue, template_dir: Path, site_url: str = urls.DEFAULT_SITE_URL
) -> Iterator[tuple[str, str]]:
    """Every generated file as (docs-relative path, text), rendered one at a time as asked for:
    the writer consumes them one by one, so a catalogue's pages are never all held at once."""
    r = Renderer(catalogue, template_dir, site_url)
    yield from r.core_pages()
    by_dump = _records_by_dump(r)
    yield from render_az(r)
    yield from render_dumps(r, by_dump)
    yield from render_newest(r)
    yield from render_report(r)
    yield from render_redirects(r)
    yield from render_feeds(catalogue, site_url)


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


def _records_by_dump(r: Renderer) -> dict[str, list[tuple[Record, Entry]]]:
    """Dump file -> its records, in the dump's order, each with the paper it is part of."""
    by_dump: dict[str, list[tuple[Record, Entry]]] = defaultdict(list)
    for record, slug in r.cat.owner.items():
        by_dump[record.file].append((record, r.by_slug[slug]))
    for rows in by_dump.values():
        rows.sort(key=lambda re_: re_[0].position)
    return by_dump


def _dump_label(r: Renderer, slug: str, rows: list[tuple[Record, Entry]]) -> str:
    """A listing's name: its day (from sources.yml, else as the dump shows it) and its source."""
    info = r.cat.source_info.get(rows[0][0].file) if rows else None
    dates = Counter(day for rec, _ in rows if (day := r.cat.listed_day(rec)))
    if info and info.date:
        label = f"Listed on {human_date(info.date)}"
    else:
        label = f"Listed on {dates.most_common(1)[0][0]}" if dates else f"Listing {slug}"
    notes = [info.source] if info and info.source else []
    notes += [] if dates or (info and info.date) else ["no day shown"]
    return f"{label} ({', '.join(notes)})" if notes else label


def render_dumps(r: Renderer, by_dump: dict[str, list[tuple[Record, Entry]]]) -> list[tuple[str, str]]:
    """One page per dump, in the dump's own order, and an index of dumps (newest first)."""
    slugs = r.dump_slugs
    dumps = [(f, slugs[f], _dump_label(r, slugs[f], by_dump[f]), len(by_dump[f])) for f in r.cat.files if f in by_dump]
    # Newest first: by the listing's date where a curator knows it, else by the dump's number.
    dated = {f: info.date for f, info in r.cat.source_info.items() if info.date}
    dumps.sort(key=lambda d: (dated.get(d[0], ""), d[0]), reverse=True)
    page = r._render("listings.md.j2", urls.LISTINGS_PATH, dumps=dumps)
    out = [(urls.LISTINGS_PATH, page)]
    for file, slug, label, count in dumps:
        rows = [(rec, r.link(entry)) for rec, entry in by_dump[file]]
        path = urls.listing_path(slug)
        out += r.render_paged("listing.md.j2", path, rows, file=file, label=label, count=count)
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


REPORT_ROWS = 20
"""Records shown per dump in the report's "This build" section; the dump's listing page has all."""
PROBLEM_ROWS = 200
"""Problems (and papers needing a topic) the report page lists; `check` prints every one, so the
page stays small however many a large catalogue has."""


def _change_rows(c: DumpChange) -> tuple[DumpChange, list[tuple[Record, str, str]], int]:
    rows = change_rows(c)
    return c, rows[:REPORT_ROWS], max(0, len(rows) - REPORT_ROWS)


def render_report(r: Renderer) -> list[tuple[str, str]]:
    """The curation report: summary page, then every merge and every review pair on numbered pages."""
    cat = r.cat
    changed = [_change_rows(c) for c in cat.changes if in_this_build(c)]
    page = r._render("report.md.j2", urls.REPORT_PATH, cat=cat, changed=changed, describe=describe, rows=PROBLEM_ROWS)
    out = [(urls.REPORT_PATH, page)]
    owner = cat.owner
    merges = [(m, owner[m.into]) for m in cat.merges]
    out += r.render_paged("report-merges.md.j2", urls.report_path("merges"), merges)
    review = [(p, owner[p.a], owner[p.b]) for p in cat.review]
    out += r.render_paged("report-review.md.j2", urls.report_path("review"), review)
    return out
