"""What each listing (one dump) is called and where it stands in time, for the listing pages,
`catalogue.json` and the browse filters: one account, so the three name a listing alike."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace

from generator import urls
from generator.models import Catalogue, Entry, Record
from generator.words import human_date


@dataclass(frozen=True)
class Listing:
    """One dump as a listing: its file, URL slug, reader-facing name and, where a curator knows
    it, its ISO date."""

    file: str
    slug: str
    name: str
    date: str | None
    count: int


def records_by_dump(cat: Catalogue, by_slug: dict[str, Entry]) -> dict[str, list[tuple[Record, Entry]]]:
    """Dump file -> its records, in the dump's order, each with the paper it is part of."""
    by_dump: dict[str, list[tuple[Record, Entry]]] = defaultdict(list)
    for record, slug in cat.owner.items():
        by_dump[record.file].append((record, by_slug[slug]))
    for rows in by_dump.values():
        rows.sort(key=lambda re_: re_[0].position)
    return by_dump


def listing_name(cat: Catalogue, slug: str, records: list[Record]) -> str:
    """A listing's name: its day (from sources.yml, else as the dump shows it) and its source."""
    info = cat.source_info.get(records[0].file) if records else None
    dates = Counter(day for rec in records if (day := cat.listed_day(rec)))
    if info and info.date:
        label = f"Listed on {human_date(info.date)}"
    else:
        number = re.match(r"\d+(?=[-_])", slug)  # `004-1b49bb1a8d6ff8f5`: the curators' dump number
        label = f"Listed on {dates.most_common(1)[0][0]}" if dates else f"Listing {number[0] if number else slug}"
    notes = [info.source] if info and info.source else []
    notes += [] if dates or (info and info.date) else ["no day shown"]
    return f"{label} ({', '.join(notes)})" if notes else label


def listings_newest_first(
    cat: Catalogue, slugs: dict[str, str], by_dump: dict[str, list[tuple[Record, Entry]]]
) -> list[Listing]:
    """Every dump that holds a record, newest first: by the listing's date where a curator knows
    it, else by the dump's number."""
    out = []
    for file in cat.files:
        if file in by_dump:
            records = [rec for rec, _ in by_dump[file]]
            info = cat.source_info.get(file)
            date = info.date if info else None
            out.append(Listing(file, slugs[file], listing_name(cat, slugs[file], records), date, len(records)))
    out.sort(key=lambda d: (d.date or "", d.file), reverse=True)
    # Names are what the browse form filters by: two listings never share one (`Listing 004`
    # twice, or two dumps of one day and source) — those are told apart by their slug.
    seen = Counter(li.name for li in out)
    return [li if seen[li.name] == 1 else replace(li, name=f"{li.name} [{li.slug}]") for li in out]


def listing_record(listing: Listing) -> dict[str, object]:
    """A listing as `catalogue.json` gives it."""
    return {
        "file": listing.file,
        "name": listing.name,
        "url": urls.listing_url(listing.slug),
        "date": listing.date,
        "papers": listing.count,
    }
