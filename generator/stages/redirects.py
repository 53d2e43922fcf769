"""Stable URLs: what the URL ledger implies for this build. Records outlive titles: when a curator
fixes a title or two papers merge, the old slug's records now belong to a paper with another
slug, and the old URL redirects there. A published slug none of whose records is in a page any
more gets a page saying the paper is gone. The ledger grows, never shrinks, so a URL once pasted
into a discussion keeps leading somewhere."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from generator.inputs.ledger import Published, ledger_line
from generator.models import Entry, Gone, Problem, Redirect, Severity, record_owners
from generator.urls import paper_url, slug_for_title


def _refs(entry: Entry) -> tuple[str, ...]:
    return tuple(r.ref for r in entry.paper.sources)


def update_ledger(ledger: Mapping[str, Published], entries: Sequence[Entry]) -> dict[str, Published]:
    """The ledger with every current page added; an entry still published gains its new records."""
    out = dict(ledger)
    for entry in entries:
        old = out.get(entry.slug)
        sources = tuple(dict.fromkeys((*(old.sources if old else ()), *_refs(entry))))
        out[entry.slug] = Published(entry.paper.title, sources, old.added if old and old.added else entry.added)
    return out


def plan_redirects(ledger: Mapping[str, Published], entries: Sequence[Entry]) -> list[Redirect]:
    """Redirects for published slugs that no longer name a page, and for alias titles' slugs."""
    current = {e.slug for e in entries}
    owner = {r.ref: slug for r, slug in record_owners(entries).items()}
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


def lost_pages(
    name: str,
    text: str,
    ledger: Mapping[str, Published],
    entries: Sequence[Entry],
    redirects: Sequence[Redirect],
    excluded: Mapping[str, str],
) -> tuple[list[Gone], list[Problem]]:
    """Published slugs with no page and none of their records in a page to redirect to: each gets
    a page saying the paper is no longer in the catalogue, so that a pasted link explains itself,
    and a problem. Records a curator excluded (`excluded`: `file:line` -> reason) make it a note;
    records gone from the dumps (a dump removed or replaced) make it a warning."""
    leading = {e.slug for e in entries} | {r.slug for r in redirects}
    gone: list[Gone] = []
    problems: list[Problem] = []
    for slug, published in sorted(ledger.items()):
        if slug in leading:
            continue
        reasons = sorted({excluded[ref] for ref in published.sources if ref in excluded})
        where = f"published URL {paper_url(slug)} ({published.title!r}) has no paper any more"
        line = ledger_line(text, slug)
        if reasons:
            gone.append(Gone(slug, published.title, f"a curator excluded it ({'; '.join(reasons)})"))
            problems.append(Problem(name, line, f"{where}: excluded by curation ({'; '.join(reasons)})", Severity.INFO))
            continue
        gone.append(Gone(slug, published.title, "the listings it came from are no longer read"))
        shown = ", ".join(published.sources[:3]) + (" ..." if len(published.sources) > 3 else "")
        msg = f"{where}: its records ({shown or 'none recorded'}) are in no dump read, so its page says it is gone"
        problems.append(Problem(name, line, msg + "; restore the dump to bring the paper back"))
    return gone, problems
