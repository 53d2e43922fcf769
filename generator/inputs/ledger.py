"""The URL ledger file (`data/published.json`, committed): every paper slug ever published, with the
title it was published under and the records (`file:line`) it was made of. Read with limits and
checked for shape (an unusable ledger is an error, never a fresh start); written one slug per
line, so a diff shows what a build added. What the ledger implies (redirects, pages for papers
that are gone) is stages/redirects.py."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.inputs import safe_read, yaml_text
from generator.models import ConfigError, Problem, Severity, is_iso_date


@dataclass(frozen=True)
class Published:
    """What a slug was published as."""

    title: str
    sources: tuple[str, ...]
    """`file:line` of every record the page was made of."""
    added: str | None = None
    """`YYYY-MM-DD`: when the slug was first published (None in a ledger written before dates)."""


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
        title, sources, added = value.get("title"), value.get("sources"), value.get("added")
        if (
            isinstance(title, str)
            and isinstance(sources, list)
            and all(isinstance(s, str) for s in sources)
            and (added is None or is_iso_date(added))
        ):
            return Published(title, tuple(sources), added)
    shape = '{"title": "text", "added": "YYYY-MM-DD", "sources": ["file.txt:LINE", ...]}'
    raise LedgerError(ledger_line(text, slug), f"ledger entry {slug!r} must be a URL slug with {shape}")


def ledger_line(text: str, slug: str) -> int | None:
    """1-based line of a slug's entry in the ledger text (one entry per line, as written)."""
    at = text.find(json.dumps(slug) + ":")
    return text.count("\n", 0, at) + 1 if at >= 0 else None


def read_ledger(path: Path | None) -> tuple[str, str, dict[str, Published]]:
    """(file name, text, entries) of the URL ledger; a missing file is a new, empty ledger, and one
    that cannot be read is a ConfigError (never a fresh start: published redirects would be lost)."""
    if path is None:
        return "", "", {}
    try:
        raw = safe_read.read_regular(path, MAX_LEDGER_BYTES)
    except FileNotFoundError:
        return path.name, "", {}
    restore = f"restore it from version control (`git checkout -- {path}`), or delete it to start a new ledger"
    if isinstance(raw, (str, safe_read.TooLarge)):
        why = raw if isinstance(raw, str) else f"larger than {raw.cap >> 20} MB"
        raise ConfigError([Problem(path.name, None, f"the URL ledger is {why}; {restore}", Severity.ERROR)])
    text = yaml_text.decode_curated(path.name, raw)
    try:
        return path.name, text, parse_ledger(text)
    except LedgerError as err:
        raise ConfigError([Problem(path.name, err.line, f"{err}; {restore}", Severity.ERROR)]) from None


def _entry(p: Published) -> dict[str, object]:
    entry: dict[str, object] = {"title": p.title}
    if p.added:
        entry["added"] = p.added
    entry["sources"] = list(p.sources)
    return entry


def format_ledger(ledger: Mapping[str, Published]) -> str:
    """Deterministic JSON: slugs sorted, one per line, so a diff shows what a build added."""
    body = ",\n".join(
        f"  {json.dumps(slug)}: " + json.dumps(_entry(p), ensure_ascii=False) for slug, p in sorted(ledger.items())
    )
    return '{"papers": {\n' + body + "\n}}\n" if body else '{"papers": {}}\n'
