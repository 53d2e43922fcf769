"""Stable URLs: a ledger of every paper slug ever published, and the redirects it implies.

The ledger (`data/published.json`, committed) remembers, for each slug, the title it was
published under and the records (`file:line`) it was made of. Records outlive titles: when a
curator fixes a title or two papers merge, the old slug's records now belong to a paper with
another slug, and the old URL redirects there. Entries are added and their records extended,
never removed, so a URL once pasted into a discussion keeps leading somewhere.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generator.models import Entry, Gone, Problem, Redirect, Severity
from generator.urls import slug_for_title


@dataclass(frozen=True)
class Published:
    """What a slug was published as."""

    title: str
    sources: tuple[str, ...]
    """`file:line` of every record the page was made of."""


class LedgerError(ValueError):
    """The ledger file cannot be used: it is never silently replaced by a fresh one."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line


MAX_LEDGER_BYTES = 1 << 30
"""A ledger of 100,000 papers is about 25 MB; anything near this cap is not a ledger."""


def parse_ledger(text: str) -> dict[str, Published]:
    """Ledger file text (JSON) -> slug -> Published. Text that is empty, not JSON, or not of the
    ledger's shape raises LedgerError with the line at fault: a ledger that cannot be read must be
    restored, since starting afresh would turn every published redirect into a 404."""
    if not text.strip():
        raise LedgerError(None, "the URL ledger is empty")
    if len(text) > MAX_LEDGER_BYTES:
        raise LedgerError(None, f"the URL ledger is larger than {MAX_LEDGER_BYTES >> 20} MB")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise LedgerError(err.lineno, f"the URL ledger is not valid JSON ({err.msg})") from None
    except RecursionError:
        raise LedgerError(None, "the URL ledger is nested too deeply to be a ledger") from None
    papers = data.get("papers") if isinstance(data, dict) else None
    if not isinstance(papers, dict):
        raise LedgerError(1, 'the URL ledger must be an object {"papers": {slug: {...}}}')
    out = {}
    for slug, value in papers.items():
        out[slug] = _published(slug, value, text)
    return out


_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _published(slug: str, value: object, text: str) -> Published:
    if isinstance(value, dict) and _SLUG_RE.match(slug):
        title, sources = value.get("title"), value.get("sources")
        if isinstance(title, str) and isinstance(sources, list) and all(isinstance(s, str) for s in sources):
            return Published(title, tuple(sources))
    shape = '{"title": "text", "sources": ["file.txt:LINE", ...]}'
    raise LedgerError(ledger_line(text, slug), f"ledger entry {slug!r} must be a URL slug with {shape}")


def ledger_line(text: str, slug: str) -> int | None:
    """1-based line of a slug's entry in the ledger text (one entry per line, as written)."""
    at = text.find(json.dumps(slug) + ":")
    return text.count("\n", 0, at) + 1 if at >= 0 else None


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
        where = f"published URL papers/{slug}/ ({published.title!r}) has no paper any more"
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
