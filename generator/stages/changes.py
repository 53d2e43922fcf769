"""What a build did, for the curator's report: per dump, what its records became (papers first
listed there, records merged into a paper, exclusions, problems) and what is new since the URL
ledger (new papers; records that joined a paper published before or one new in this build); and
the curator's overrides in force. Pure: catalogue values in, report values out."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from generator.inputs.curation import Curation, Resolved
from generator.models import DumpChange, Entry, Joined, Override, Problem, Record
from generator.words import plural


def dump_changes(
    files: Sequence[str],
    entries: Sequence[Entry],
    excluded: Iterable[Record],
    problems: Iterable[Problem],
    published_refs: set[str],
    published_slugs: set[str],
) -> tuple[DumpChange, ...]:
    """Per dump in `files` order. `published_refs` / `published_slugs`: the records (`file:line`)
    and slugs in the URL ledger before this build."""
    first: dict[str, list[tuple[Record, str]]] = defaultdict(list)
    joined: dict[str, list[Joined]] = defaultdict(list)
    merged: dict[str, int] = defaultdict(int)
    new: dict[str, int] = defaultdict(int)
    for entry in entries:
        head, *rest = entry.paper.sources
        first[head.file].append((head, entry.slug))
        before = entry.slug in published_slugs
        for record in entry.paper.sources:
            if record.ref in published_refs:
                continue
            new[record.file] += 1
            if record is not head or before:
                joined[record.file].append(Joined(record, entry.slug, before))
        for record in rest:
            merged[record.file] += 1
    out_of: dict[str, int] = defaultdict(int)
    for record in excluded:
        out_of[record.file] += 1
        new[record.file] += record.ref not in published_refs
    by_file: dict[str, list[Problem]] = defaultdict(list)
    for problem in problems:
        by_file[problem.file].append(problem)
    return tuple(
        DumpChange(
            file=f,
            records=len(first[f]) + merged[f] + out_of[f],
            first_listed=len(first[f]),
            merged=merged[f],
            excluded=out_of[f],
            new_records=new[f],
            new_papers=tuple((r, s) for r, s in first[f] if s not in published_slugs),
            joined=tuple(sorted(joined[f], key=lambda j: j.record.line)),
            problems=tuple(by_file[f]),
        )
        for f in files
    )


def in_this_build(change: DumpChange) -> bool:
    """A dump the "this build" section shows: one with records new since the ledger, or one of
    which no record could be used (say, a new dump that is broken)."""
    return bool(change.new_records or (not change.records and change.problems))


NEW_PAPER = "new paper"
JOINED_PUBLISHED = "joined a paper published before"
JOINED_NEW = "joined a paper new in this build"


def change_rows(change: DumpChange) -> list[tuple[Record, str, str]]:
    """(record, slug of its paper, NEW_PAPER / JOINED_PUBLISHED / JOINED_NEW) for every record the
    dump adds, in line order: what the console report and the report page list."""
    rows = [(record, slug, NEW_PAPER) for record, slug in change.new_papers]
    rows += [(j.record, j.slug, JOINED_PUBLISHED if j.published_before else JOINED_NEW) for j in change.joined]
    return sorted(rows, key=lambda row: row[0].line)


def describe(change: DumpChange) -> str:
    """`4 new records -> 2 new papers, 1 joined a paper published before; 2 problems`."""
    before = sum(j.published_before for j in change.joined)
    new_here = len(change.joined) - before
    parts = [plural(len(change.new_papers), "new paper")]
    parts += [f"{before} joined {'a paper' if before == 1 else 'papers'} published before"] if before else []
    parts += [f"{new_here} joined {'a paper' if new_here == 1 else 'papers'} new in this build"] if new_here else []
    parts += [f"{change.excluded} excluded"] if change.excluded else []
    return (
        f"{plural(change.new_records, 'new record')} -> {', '.join(parts)}; {plural(len(change.problems), 'problem')}"
    )


def overrides_in_force(curated: Curation, resolved: Resolved, owner: Mapping[Record, str]) -> tuple[Override, ...]:
    """The curator's titles, pins, keep-apart pairs and merges, each with its line in curation.yml
    and the papers it acts on (exclusions are reported with their records)."""

    def slugs(records: Iterable[Record]) -> tuple[str, ...]:
        return tuple(sorted({owner[r] for r in records if r in owner}))

    out = [
        Override("title", ref.line, f"{ref.text!r} retitled {title!r}", slugs(found))
        for (ref, title), (found, _) in zip(curated.titles, resolved.titles, strict=True)
    ]
    out += [
        Override("pin", ref.line, f"{ref.text!r} pinned to {', '.join(topics)}", slugs(found))
        for (ref, topics), (found, _) in zip(curated.pins, resolved.pins, strict=True)
    ]
    out += [
        Override("keep apart", a.line, f"{a.text!r} kept apart from {b.text!r}", slugs(left | right))
        for (a, b), (left, right) in zip(curated.keep_apart, resolved.keep_apart, strict=True)
    ]
    out += [
        Override("merge", refs[0].line, "merged: " + " + ".join(repr(r.text) for r in refs), slugs(found))
        for refs, found in zip(curated.merge, resolved.merge, strict=True)
    ]
    return tuple(sorted(out, key=lambda o: o.line))
