"""The curator's report: what was read, merged, left without a topic, or could not be used."""

from __future__ import annotations

from collections import Counter

from . import sources
from .build import Result
from .texfrag import to_plain


def format_report(result: Result, verbose: bool = False) -> str:
    """Human-readable report; the last line is the one-line summary."""
    cat = result.catalogue
    lines: list[str] = []
    if cat.merges:
        lines.append(f"Merged ({len(cat.merges)} records folded into papers):")
        shown = cat.merges if verbose else cat.merges[:20]
        for m in shown:
            lines.append(f"  {m.record.ref} -> {m.into.ref} [{m.rule}, {m.score:.0f}] {to_plain(m.into.title)[:70]}")
        if len(shown) < len(cat.merges):
            lines.append(f"  ... {len(cat.merges) - len(shown)} more (use --verbose)")
    if cat.review:
        lines.append(f"Review queue ({len(cat.review)} pairs kept apart, just below the merge bar):")
        for p in cat.review:
            lines.append(
                f"  {p.a.ref} ~ {p.b.ref} [{p.rule}; title {p.title_score:.0f}, abstract {p.abstract_score:.0f}]"
                f" {to_plain(p.a.title)[:50]!r} / {to_plain(p.b.title)[:50]!r}"
            )
    if cat.excluded:
        lines.append(f"Excluded by curation ({len(cat.excluded)}):")
        lines.extend(f"  {r.ref} {to_plain(r.title)[:60]!r}: {reason}" for r, reason in cat.excluded)
    counts = Counter(m.topic for e in cat.entries for m in e.topics)
    if verbose:
        lines.append("Topics:")
        for t in cat.topics:
            lines.append(f"  {counts[t.slug]:5d}  {t.name}")
    notes = [p for p in cat.problems if not p.counts]
    problems = [p for p in cat.problems if p.counts]
    if notes and verbose:
        lines.append(f"Notes ({len(notes)}):")
        lines.extend(f"  {p}" for p in notes)
    elif notes:
        lines.append(f"{len(notes)} notes (topic phrases that match no paper yet; use --verbose)")
    if problems:
        lines.append(f"Problems ({len(problems)}):")
        lines.extend(f"  {p}" for p in problems)
    lines.append(accounting(result))
    lines.append(summary(result))
    return "\n".join(lines)


def accounting(result: Result) -> str:
    """One line: records read = published papers + merged + excluded; lines and files not used."""
    cat = result.catalogue
    excluded = len(cat.excluded)
    published = sum(len(e.paper.sources) for e in cat.entries)
    titles = sum(p.message.startswith(sources.ORPHAN_TITLE) for p in cat.problems)
    abstracts = sum(p.message.startswith(sources.ORPHAN_ABSTRACT) for p in cat.problems)
    used = {r.file for e in cat.entries for r in e.paper.sources}
    skipped = [f for f in cat.files if f not in used]
    line = f"accounted: {cat.records_read} records = {len(cat.entries)} papers + {len(cat.merges)} merged"
    line += f" + {excluded} excluded" if excluded else ""
    if published + excluded != cat.records_read:
        line += f" (error: {cat.records_read - published - excluded} records unaccounted for)"
    line += f"; not used: {_count(titles, 'title')} without abstract, {_count(abstracts, 'abstract')} without title"
    line += f", {_count(len(skipped), 'file')} skipped" + (f" ({', '.join(skipped)})" if skipped else "")
    return line


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def summary(result: Result) -> str:
    cat = result.catalogue
    return (
        f"{cat.records_read} records read from {len(cat.files)} files -> {len(cat.entries)} papers, "
        f"{len(cat.merges)} merged, {len(cat.excluded)} excluded, {len(cat.review)} to review, {len(cat.topics)} topics, "
        f"{sum(p.counts for p in cat.problems)} problems"
    )
