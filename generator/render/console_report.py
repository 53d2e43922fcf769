"""The curator's report: what was read, merged, left without a topic, or could not be used."""

from __future__ import annotations

from collections import Counter

from generator.models import Catalogue, ProblemKind, Record, listed_files
from generator.stages.changes import JOINED_PUBLISHED, NEW_PAPER, change_rows, describe, in_this_build
from generator.texfrag import to_plain
from generator.urls import paper_url
from generator.words import plural

_SHOWN = 10
"""Lines of each kind shown per dump or section without --verbose."""


def format_report(cat: Catalogue, verbose: bool = False) -> str:
    """Human-readable report; the last line is the one-line summary."""
    lines = this_build(cat, verbose)
    if cat.merges:
        lines.append(f"Merged ({plural(len(cat.merges), 'record')} folded into papers):")
        shown = cat.merges if verbose else cat.merges[:20]
        lines.extend(
            f"  {_record(m.record)} -> {paper_url(cat.owner[m.record])} [{m.rule}, {m.score:.0f}]" for m in shown
        )
        if len(shown) < len(cat.merges):
            lines.append(f"  ... {len(cat.merges) - len(shown)} more (use --verbose)")
    if cat.overrides:
        lines.append(f"Overrides in force ({len(cat.overrides)}, curation.yml):")
        for o in cat.overrides:
            pages = ", ".join(paper_url(s) for s in o.slugs) or "no paper"
            lines.append(f"  curation.yml:{o.line} {o.kind}: {o.text} -> {pages}")
    if cat.review:
        lines.append(f"Review queue ({plural(len(cat.review), 'pair')} kept apart, just below the merge bar):")
        for p in cat.review:
            lines.append(
                f"  {p.a.ref} ~ {p.b.ref} [{p.rule}; title {p.title_score:.0f}, abstract {p.abstract_score:.0f}]"
                f" {to_plain(p.a.title)[:50]!r} / {to_plain(p.b.title)[:50]!r}"
            )
    if cat.kept_apart:
        lines.append(
            f"Kept apart by curation: {plural(len(cat.kept_apart), 'close pair')} (keep_apart:), not to review"
        )
    if cat.excluded:
        lines.append(f"Excluded by curation ({len(cat.excluded)}):")
        lines.extend(f"  {_record(r)}: {reason}" for r, reason in cat.excluded)
    if verbose:
        lines.append("Topics:")
        for t in cat.topics:
            lines.append(f"  {len(cat.topic_members[t.slug]):5d}  {t.name}")
    notes = [p for p in cat.problems if not p.counts]
    problems = [p for p in cat.problems if p.counts]
    if notes and verbose:
        lines.append(f"Notes ({len(notes)}):")
        lines.extend(f"  {p}" for p in notes)
    elif notes:
        lines.append(f"{plural(len(notes), 'note')} (use --verbose to list them)")
    if problems:
        lines.append(f"Problems ({len(problems)}):")
        lines.extend(f"  {p}" for p in problems)
    lines.append(accounting(cat))
    lines.append(summary(cat))
    return "\n".join(lines)


def _record(record: Record) -> str:
    return f"{record.ref} {to_plain(record.title)[:70]!r}"


def this_build(cat: Catalogue, verbose: bool = False) -> list[str]:
    """What each dump adds since the URL ledger: new papers, records that joined a paper, problems."""
    changed = [c for c in cat.changes if in_this_build(c)]
    if not changed:
        return ["This build: nothing new since the URL ledger (every record read was published before)"]
    lines = ["This build (what each dump adds since the URL ledger):"]
    for c in changed:
        lines.append(f"  {c.file}: {describe(c)}")
        texts = [
            f"    {'new paper ' if what == NEW_PAPER else 'joined    '} {_record(r)} -> {paper_url(slug)}"
            + (" (published before)" if what == JOINED_PUBLISHED else "")
            for r, slug, what in change_rows(c)
        ]
        texts += [f"    problem    {str(p).splitlines()[0]}" for p in c.problems]
        lines += (
            texts
            if verbose or len(texts) <= _SHOWN
            else [*texts[:_SHOWN], f"    ... {len(texts) - _SHOWN} more (use --verbose)"]
        )
    return lines


def accounting(cat: Catalogue) -> str:
    """One line: records read = published papers + merged + excluded; lines and files not used."""
    excluded = len(cat.excluded)
    published = sum(len(e.paper.sources) for e in cat.entries)
    kinds = Counter(p.kind for p in cat.problems)
    titles, abstracts = kinds[ProblemKind.ORPHAN_TITLE], kinds[ProblemKind.ORPHAN_ABSTRACT]
    used = listed_files(cat.entries)
    skipped = [f for f in cat.files if f not in used]
    records, papers = plural(cat.records_read, "record"), plural(len(cat.entries), "paper")
    line = f"accounted: {records} = {papers} + {len(cat.merges)} merged"
    line += f" + {excluded} excluded" if excluded else ""
    if published + excluded != cat.records_read:
        line += f" (error: {plural(cat.records_read - published - excluded, 'record')} unaccounted for)"
    line += f"; not used: {plural(titles, 'title')} without abstract, {plural(abstracts, 'abstract')} without title"
    line += f", {plural(len(skipped), 'file')} skipped" + (f" ({', '.join(skipped)})" if skipped else "")
    return line


def summary(cat: Catalogue) -> str:
    return (
        f"{plural(cat.records_read, 'record')} read from {plural(len(cat.files), 'file')} -> "
        f"{plural(len(cat.entries), 'paper')}, {len(cat.merges)} merged, {len(cat.excluded)} excluded, "
        f"{len(cat.review)} to review, {plural(len(cat.topics), 'topic')}, "
        f"{sum(p.kind is ProblemKind.NEEDS_TOPIC for p in cat.problems)} need a topic, "
        f"{plural(sum(p.counts for p in cat.problems), 'problem')}"
    )
