"""Atom feeds of the papers added last: one for the whole catalogue, one per topic and per area.

Each holds the FEED_ENTRIES newest papers (by the day they were added, then the latest listing
first), with the day added, the listing day where a dump gives one, the abstract and the paper's
URL. A feed is deterministic: its `updated` is its newest entry's day, never the build's clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from xml.etree import ElementTree as ET

from generator import urls
from generator.models import Catalogue, Entry, Record
from generator.render.cards import SITE_NAME
from generator.render.pages import listed_phrase
from generator.texfrag import to_plain

FEED_ENTRIES = 50
ATOM = "http://www.w3.org/2005/Atom"


def latest_record(entry: Entry) -> Record:
    """A paper's record in the latest listing that holds it (the curator's file numbering: dumps
    carry no year), its first there."""
    return max(entry.paper.sources, key=lambda r: (r.file, -r.line))


def newest_first(cat: Catalogue) -> list[Entry]:
    """Every paper, the ones added last first; on one day, those of the latest listing, in their
    listed order; undated ones last."""
    rank = {file: n for n, file in enumerate(sorted(cat.files, reverse=True))}

    def key(entry: Entry) -> tuple[int, int, int, str]:
        latest = latest_record(entry)
        added = -int(entry.added.replace("-", "")) if entry.added else 0
        return added, rank.get(latest.file, len(rank)), latest.line, entry.slug

    return sorted(cat.entries, key=key)


def _stamp(day: str | None, fallback: str) -> str:
    return f"{day or fallback}T00:00:00Z"


def atom_feed(cat: Catalogue, title: str, feed_url: str, page_url: str, entries: Sequence[Entry], site_url: str) -> str:
    """One Atom 1.0 document; `entries` newest first (at most FEED_ENTRIES are kept)."""
    kept = list(entries[:FEED_ENTRIES])
    newest = max((e.added for e in kept if e.added), default="1970-01-01")
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_url
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _stamp(newest, newest)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", type="application/atom+xml", href=feed_url)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=page_url)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "The catalogue's curators"
    for entry in kept:
        url = urls.permalink(site_url, urls.paper_path(entry.slug))
        item = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(item, f"{{{ATOM}}}id").text = url
        ET.SubElement(item, f"{{{ATOM}}}title").text = to_plain(entry.paper.title)
        ET.SubElement(item, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=url)
        ET.SubElement(item, f"{{{ATOM}}}published").text = _stamp(entry.added, newest)
        ET.SubElement(item, f"{{{ATOM}}}updated").text = _stamp(entry.added, newest)
        listed = listed_phrase(cat, entry)
        note = f"{listed[0].upper()}{listed[1:]}. " if listed else ""
        ET.SubElement(item, f"{{{ATOM}}}summary", type="text").text = note + to_plain(entry.paper.abstract)
        for m in entry.topics:
            ET.SubElement(item, f"{{{ATOM}}}category", term=m.topic)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def render_feeds(cat: Catalogue, site_url: str, site_name: str = SITE_NAME) -> Iterator[tuple[str, str]]:
    """(docs-relative path, Atom text) of the site's feed and of every topic's and area's."""
    order = newest_first(cat)

    def feed(path: str, title: str, page: str, entries: Iterable[Entry]) -> tuple[str, str]:
        url = site_url + path  # a file, served at its own path
        return path, atom_feed(cat, title, url, urls.permalink(site_url, page), list(entries), site_url)

    yield feed(urls.SITE_FEED_PATH, f"{site_name}: new papers", urls.NEWEST_PATH, order)
    newest = _newest_by_group(cat, order)
    for topic in cat.topics:
        path, page = urls.feed_path("topic", topic.slug), urls.topic_path(topic.slug)
        yield feed(path, f"{site_name}: {topic.name}", page, newest[("topic", topic.slug)])
    for area in cat.areas:
        path, page = urls.feed_path("area", area.slug), urls.area_path(area.slug)
        yield feed(path, f"{site_name}: {area.name}", page, newest[("area", area.slug)])


def _newest_by_group(cat: Catalogue, order: Sequence[Entry]) -> dict[tuple[str, str], list[Entry]]:
    """("topic" or "area", slug) -> its FEED_ENTRIES first papers of `order`: one pass over the
    catalogue for every feed, not one per topic and area."""
    areas_of: dict[str, list[str]] = {t.slug: [] for t in cat.topics}
    for area in cat.areas:
        for t in area.topics:
            areas_of.setdefault(t, []).append(area.slug)
    groups: dict[tuple[str, str], list[Entry]] = {("topic", t.slug): [] for t in cat.topics}
    groups.update({("area", a.slug): [] for a in cat.areas})
    open_groups = len(groups)
    for entry in order:
        slugs = [m.topic for m in entry.topics]
        keys = dict.fromkeys([("topic", t) for t in slugs] + [("area", a) for t in slugs for a in areas_of.get(t, ())])
        for key in keys:
            members = groups.get(key)
            if members is not None and len(members) < FEED_ENTRIES:
                members.append(entry)
                open_groups -= len(members) == FEED_ENTRIES
        if not open_groups:
            break
    return groups
