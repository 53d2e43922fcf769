"""Stable URLs: a ledger of every paper slug ever published, and the redirects it implies.

The ledger (`data/published.json`, committed) remembers, for each slug, the title it was
published under and the records (`file:line`) it was made of. Records outlive titles: when a
curator fixes a title or two papers merge, the old slug's records now belong to a paper with
another slug, and the old URL redirects there. Entries are added and their records extended,
never removed, so a URL once pasted into a discussion keeps leading somewhere.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .models import Entry, Redirect
from .urls import slug_for_title


@dataclass(frozen=True)
class Published:
    """What a slug was published as."""

    title: str
    sources: tuple[str, ...]
    """`file:line` of every record the page was made of."""


def parse_ledger(text: str) -> dict[str, Published]:
    """Ledger file text (JSON) -> slug -> Published; empty text is an empty ledger."""
    if not text.strip():
        return {}
    data = json.loads(text)
    return {slug: Published(v["title"], tuple(v["sources"])) for slug, v in data["papers"].items()}


def format_ledger(ledger: Mapping[str, Published]) -> str:
    """Deterministic JSON: slugs sorted, one per line, so a diff shows what a build added."""
    body = ",\n".join(
        f"  {json.dumps(slug)}: " + json.dumps({"title": p.title, "sources": list(p.sources)}, ensure_ascii=False)
        for slug, p in sorted(ledger.items())
    )
    return '{"papers": {\n' + body + "\n}}\n" if body else '{"papers": {}}\n'


def _refs(entry: Entry) -> tuple[str, ...]:
    return tuple(f"{r.file}:{r.line}" for r in entry.paper.sources)


def update_ledger(ledger: Mapping[str, Published], entries: Sequence[Entry]) -> dict[str, Published]:
    """The ledger with every current page added; an entry still published gains its new records."""
    out = dict(ledger)
    for entry in entries:
        old = out.get(entry.slug)
        sources = tuple(dict.fromkeys((*(old.sources if old else ()), *_refs(entry))))
        out[entry.slug] = Published(entry.paper.title, sources)
    return out


def plan_redirects(ledger: Mapping[str, Published], entries: Sequence[Entry]) -> list[Redirect]:
    """Redirects for published slugs that no longer name a page, and for alias titles' slugs."""
    current = {e.slug for e in entries}
    owner = {ref: e.slug for e in entries for ref in _refs(e)}
    redirects: dict[str, Redirect] = {}
    for slug, published in sorted(ledger.items()):
        if slug in current:
            continue
        votes = Counter(owner[ref] for ref in published.sources if ref in owner)
        if votes:
            target = min(votes, key=lambda s: (-votes[s], s))
            redirects[slug] = Redirect(slug, target, published.title, "renamed or merged")
    for entry in entries:
        for alias in entry.paper.aliases:
            slug = slug_for_title(alias)
            if slug not in current and slug not in redirects:
                redirects[slug] = Redirect(slug, entry.slug, alias, "alias title")
    return sorted(redirects.values(), key=lambda r: r.slug)
