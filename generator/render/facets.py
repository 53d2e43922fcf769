"""What a reader narrows and sorts papers by in the browser: the filters and sort keys Pagefind
records for every paper (topic, area, listing, month added; newest, latest listing, title).

Made from `catalogue.json` alone (a paper's record and the catalogue's topics, areas and
listings), so that the built paper page (theme/paper.html) and the page the search index is made
from (generator/site/pagefind_index.py) carry the same facets: both call `paper_facets` on the
same record. `facets_html` prints them as hidden elements outside what Pagefind indexes as text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import escape

from generator.texfrag import to_plain

KIND = "kind"
PAPER_KIND = "Paper"
TOPIC_KIND = "Topic"
TOPIC = "topic"
AREA = "area"
LISTING = "listing"
ADDED = "added"
"""Filter names (Pagefind `data-pagefind-filter`)."""

SORT_ADDED = "added"
SORT_LISTED = "listed"
SORT_TITLE = "title"
"""Sort keys (Pagefind `data-pagefind-sort`): the ISO day added, the rank of the paper's newest
listing (larger is newer), the title folded for comparison."""

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def month_name(iso: str) -> str:
    """`2026-11-21` -> `November 2026`: what the "added" filter narrows by."""
    year, month = iso.split("-")[:2]
    return f"{MONTH_NAMES[int(month) - 1]} {year}"


@dataclass(frozen=True)
class FacetIndex:
    """The names a paper's facets are made of, from `catalogue.json`."""

    topic_names: Mapping[str, str]
    topic_areas: Mapping[str, str]
    """Topic slug -> the name of its area."""
    listing_names: Mapping[str, str]
    """Dump file -> the listing's name."""
    listing_rank: Mapping[str, int]
    """Dump file -> its place in time, 1 for the oldest listing."""

    @classmethod
    def of(cls, catalogue: Mapping[str, Any]) -> FacetIndex:
        areas = {a["slug"]: a["name"] for a in catalogue.get("areas", ())}
        listings = list(catalogue.get("listings", ()))  # newest first
        return cls(
            topic_names={t["slug"]: t["name"] for t in catalogue["topics"]},
            topic_areas={t["slug"]: areas.get(t["area"], t["area"]) for t in catalogue["topics"] if "area" in t},
            listing_names={li["file"]: li["name"] for li in listings},
            listing_rank={li["file"]: len(listings) - i for i, li in enumerate(listings)},
        )


@dataclass(frozen=True)
class Facets:
    """A page's filters and sort keys, as (name, value) pairs in a fixed order."""

    filters: tuple[tuple[str, str], ...]
    sorts: tuple[tuple[str, str], ...]

    @property
    def words(self) -> tuple[str, ...]:
        """The words the page holds for browsing (`facet_word`): one for every paper, one per
        topic, area, listing and month it carries."""
        if (KIND, PAPER_KIND) not in self.filters:
            return ()
        return (EVERY_PAPER, *(facet_word(n, v) for n, v in self.filters if n in FACET_WORD_PREFIX))


EVERY_PAPER = "everypaper"
FACET_WORD_PREFIX = {TOPIC: "zt", AREA: "za", LISTING: "zl", ADDED: "zm"}
"""Browsing with no words typed searches for a word the papers it lists hold: a search for no
word makes Pagefind fetch every chunk of its index (megabytes at 10,000 papers), and a word every
paper holds is slow to score at 100,000 (16 s); a topic's own word matches only its papers. The
browse script (theme/assets/javascripts/catalogue-browse.js) makes the same words from the names
it filters by."""


def facet_word(name: str, value: str) -> str:
    """`topic`, `Robot manipulation` -> `ztrobotmanipulation`: one word, as Pagefind splits words."""
    return FACET_WORD_PREFIX[name] + re.sub(r"[^a-z0-9]", "", value.lower())


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def paper_facets(paper: Mapping[str, Any], index: FacetIndex) -> Facets:
    """The facets of one paper record of `catalogue.json` (what it lacks, it is not filtered by)."""
    slugs, sources = paper.get("topics", ()), paper.get("sources", ())
    topics = [index.topic_names[t] for t in slugs if t in index.topic_names]
    areas = _unique([index.topic_areas[t] for t in slugs if t in index.topic_areas])
    files = _unique([s["file"] for s in sources if s["file"] in index.listing_names])
    filters = [(KIND, PAPER_KIND)]
    filters += [(TOPIC, name) for name in topics]
    filters += [(AREA, name) for name in areas]
    filters += [(LISTING, index.listing_names[f]) for f in files]
    if paper.get("added"):
        filters.append((ADDED, month_name(paper["added"])))
    sorts = [(SORT_TITLE, to_plain(paper["title"]).casefold())]
    if paper.get("added"):
        sorts.append((SORT_ADDED, paper["added"]))
    if files:
        sorts.append((SORT_LISTED, str(max(index.listing_rank[f] for f in files))))
    return Facets(tuple(filters), tuple(sorts))


TOPIC_FACETS = Facets(((KIND, TOPIC_KIND),), ())
"""A topic's page is found by search but never listed among papers."""


def words_html(facets: Facets) -> str:
    """The facet words as an attribute Pagefind indexes, inside the indexed part of the page
    (nothing a reader sees or hears); empty for a page that is not a paper."""
    words = " ".join(facets.words)
    return f'<span data-pagefind-index-attrs="data-facets" data-facets="{words}"></span>' if words else ""


def facets_html(facets: Facets) -> str:
    """The facets as hidden elements (Pagefind reads them wherever they are on the page), outside
    the indexed part: inside it, their text would be indexed as the page's own."""
    parts = [f'<span data-pagefind-filter="{n}" hidden>{escape(v)}</span>' for n, v in facets.filters]
    parts += [f'<span data-pagefind-sort="{n}" hidden>{escape(v)}</span>' for n, v in facets.sorts]
    return "".join(parts)
