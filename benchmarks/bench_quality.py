"""Curation quality against a judged sample: topic precision and recall, the share of papers with
exactly the right set of topics, related-paper precision, and the largest hub.

Every bundled paper is pinned by its curators (`data/curation.yml`), so the published topics of
the judged papers are the judgements themselves. What is measured is the *automatic* assignment,
the one a paper of a new dump gets: the catalogue is assembled again with the pins of all 120
judged papers withdrawn, so the rules place them. Related papers are measured on the published
catalogue, the one readers see.

    .venv/bin/python benchmarks/bench_quality.py            # both parts of the sample
    .venv/bin/python benchmarks/bench_quality.py --json out.json
    .venv/bin/python benchmarks/bench_quality.py --tuning-only --errors   # while changing rules

The line "tuning, whole catalogue" measures the rules on every pinned paper outside the held-aside
part (the 60 tuning papers and the 244 the curators judged the same way for `data/curation.yml`),
with every pin withdrawn: a larger tuning set than the 60, so that a rule is not fitted to a few
papers. `--errors` lists where the rules and the curators disagree on those papers (never on the
held-aside ones), with the evidence each rule found.

The judgements live in `benchmarks/judged/` (see its README): `topics_N.yml` (the right set of
topics for each paper, judged blind from the taxonomy's names and descriptions) and, when
present, `related_N.yml` (verdicts on related papers). Parts 1 and 2 are the tuning part; parts 3
and 4 are held aside and never tuned on. Both are reported, each on its own line.

Two ceilings are printed beside them. "a second judge" scores another curator's blind sets for
each part (`topics_second_1-2.yml`, `topics_second_3-4.yml`) against the first judge's, as the
rules are scored: no rule can agree with one curator much more than a second curator does.
"rules vs either" scores the rules against both judges at once: an assigned topic fits when
either judge chose it, the topics both chose must be assigned, and a set is right when it is
one judge's exact set (what two curators disagree on counts for neither side). The related
"ceiling" is the most the "clearly" share could be with as many links per paper as the generator
gives: every link one of the paper's candidates judged `related`, as far as its verdicts hold any.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import pipeline  # noqa: E402
from generator.models import Catalogue  # noqa: E402

JUDGED = ROOT / "benchmarks" / "judged"
PARTS = {"tuning (parts 1-2)": (1, 2), "held aside (parts 3-4)": (3, 4)}
SECOND = {
    "tuning (parts 1-2)": JUDGED / "topics_second_1-2.yml",
    "held aside (parts 3-4)": JUDGED / "topics_second_3-4.yml",
}
"""A second judge's topics for each part, judged blind on its own: how far two curators agree."""
RELATED_OK = {"related", "loosely related"}


@dataclass(frozen=True)
class TopicScores:
    papers: int
    """Judged papers found in the catalogue."""
    missing: int
    """Judged papers whose slug is not in the catalogue (renamed or gone)."""
    precision: float
    """Assigned topics that the judge also chose, over all assigned topics."""
    recall: float
    """Judged topics that were assigned, over all judged topics."""
    exact: float
    """Share of papers whose assigned set is exactly the judged set."""
    without_topic: int


@dataclass(frozen=True)
class RelatedScores:
    papers: int
    links: int
    """Related links of those papers that have a verdict."""
    unjudged: int
    """Related links of those papers without a verdict (a new neighbour: judge it)."""
    precision: float
    """Related or loosely related, over judged links."""
    clearly: float
    """Related, over judged links."""
    ceiling: float
    """The most `clearly` could be with as many links per paper: each paper's links the ones
    judged related, as far as its verdicts have any (two judged pools give few per paper)."""


def load(kind: str, part: int) -> list[dict[str, object]]:
    path = JUDGED / f"{kind}_{part}.yml"
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(data, list):
        raise SystemExit(f"{path}: expected a list of judgements")
    return data


def topic_scores(cat: Catalogue, judged: list[dict[str, object]]) -> TopicScores | None:
    assigned = {e.slug: {m.topic for m in e.topics} for e in cat.entries}
    return set_scores(assigned, judged, {t.slug for t in cat.topics})


def set_scores(
    assigned: Mapping[str, set[str]], judged: list[dict[str, object]], known: set[str]
) -> TopicScores | None:
    """`assigned` (slug -> topics, from the rules or from another judge) against `judged`."""
    hits = n_assigned = n_right = exact = papers = missing = without = 0
    for item in judged:
        slug, right = str(item["slug"]), set(item["topics"])  # type: ignore[call-overload]
        unknown = right - known
        if unknown:
            raise SystemExit(f"judged topics not in the taxonomy for {slug}: {sorted(unknown)}")
        if slug not in assigned:
            missing += 1
            continue
        got = assigned[slug]
        papers += 1
        hits += len(got & right)
        n_assigned += len(got)
        n_right += len(right)
        exact += got == right
        without += not got
    if not papers:
        return None
    return TopicScores(papers, missing, hits / max(1, n_assigned), hits / max(1, n_right), exact / papers, without)


def related_scores(cat: Catalogue, judged: list[dict[str, object]]) -> RelatedScores | None:
    related = {e.slug: e.related for e in cat.entries}
    papers = links = unjudged = ok = clearly = best = 0
    for item in judged:
        slug = str(item["slug"])
        verdicts: dict[str, str] = dict(item.get("related") or {})  # type: ignore[call-overload]
        if slug not in related:
            continue
        papers += 1
        best += min(len(related[slug]), sum(v == "related" for v in verdicts.values()))
        for other in related[slug]:
            verdict = verdicts.get(other)
            if verdict is None:
                unjudged += 1
                continue
            links += 1
            ok += verdict in RELATED_OK
            clearly += verdict == "related"
    if not links:
        return None
    return RelatedScores(papers, links, unjudged, ok / links, clearly / links, best / (links + unjudged))


def load_second(part: str) -> dict[str, set[str]]:
    """The second judge's sets for a part (slug -> topics); empty when that part has none."""
    path = SECOND[part]
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return {str(j["slug"]): set(j["topics"]) for j in data}


def second_judge(cat: Catalogue, judged: list[dict[str, object]], theirs: Mapping[str, set[str]]) -> TopicScores | None:
    """A second judge's sets, scored against the first judge's as the rules are."""
    mine = [j for j in judged if j["slug"] in theirs]
    return set_scores(theirs, mine, {t.slug for t in cat.topics}) if mine else None


def either_judge(cat: Catalogue, judged: list[dict[str, object]], theirs: Mapping[str, set[str]]) -> TopicScores | None:
    """The rules against two judges at once: an assigned topic fits when either judge chose it
    (precision), a topic both chose must be assigned (recall), and a set is right when it is
    exactly one judge's set. What two careful curators disagree on counts for neither side."""
    assigned = {e.slug: {m.topic for m in e.topics} for e in cat.entries}
    hits = n_assigned = both_hit = n_both = exact = papers = without = 0
    for item in judged:
        slug = str(item["slug"])
        if slug not in theirs or slug not in assigned:
            continue
        first, second, got = set(item["topics"]), theirs[slug], assigned[slug]  # type: ignore[call-overload]
        papers += 1
        hits += len(got & (first | second))
        n_assigned += len(got)
        both_hit += len(got & first & second)
        n_both += len(first & second)
        exact += got in (first, second)
        without += not got
    if not papers:
        return None
    return TopicScores(papers, 0, hits / max(1, n_assigned), both_hit / max(1, n_both), exact / papers, without)


def hubs(cat: Catalogue) -> tuple[int, str]:
    """The most related-listed paper: in how many lists it appears, and its slug."""
    counts = Counter(s for e in cat.entries for s in e.related)
    slug, count = max(counts.items(), key=lambda kv: (kv[1], kv[0]), default=("", 0))
    return count, slug


def without_pins(inputs: pipeline.Inputs, cat: Catalogue, slugs: set[str]) -> pipeline.Inputs:
    """The inputs with the pins of the papers `slugs` withdrawn."""
    records = {r for e in cat.entries if e.slug in slugs for r in e.paper.sources}
    keep = [not members & records for members, _ in inputs.overrides.pins]
    curated = tuple(pin for pin, k in zip(inputs.curated.pins, keep, strict=True) if k)
    resolved = tuple(pin for pin, k in zip(inputs.overrides.pins, keep, strict=True) if k)
    return replace(
        inputs,
        curated=replace(inputs.curated, pins=curated),
        overrides=replace(inputs.overrides, pins=resolved),
    )


def pinned_judgements(cat: Catalogue, held: set[str]) -> list[dict[str, object]]:
    """Every published paper outside `held`, with its curators' topics (its pins) as the judgement."""
    return [{"slug": e.slug, "topics": [m.topic for m in e.topics]} for e in cat.entries if e.slug not in held]


def disagreements(auto: Catalogue, judged: list[dict[str, object]]) -> list[str]:
    """Where the rules' topics differ from the judged set: the paper, both sets and the evidence."""
    placed = {e.slug: e for e in auto.entries}
    out = []
    for item in judged:
        entry = placed.get(str(item["slug"]))
        right = set(item["topics"])  # type: ignore[call-overload]
        if entry is None or {m.topic for m in entry.topics} == right:
            continue
        got = "; ".join(f"{m.topic} ({m.score}: {m.reason})" for m in entry.topics) or "none"
        out.append(f"- {entry.paper.title}\n    judged: {', '.join(sorted(right))}\n    rules:  {got}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="catalogue to measure (default: data)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument(
        "--tuning-only", action="store_true", help="print the tuning part only (while changing rules or weights)"
    )
    parser.add_argument(
        "--errors", action="store_true", help="list the tuning papers where the rules and the curators disagree"
    )
    args = parser.parse_args()
    parts = {k: v for k, v in PARTS.items() if not args.tuning_only or k.startswith("tuning")}
    paths = pipeline.paths_for(args.data, None, None, None, None, None)
    inputs = pipeline.load_inputs(paths, pipeline.Timings())
    cat = pipeline.assemble(inputs, pipeline.Timings()).catalogue
    judged_slugs = {str(j["slug"]) for parts in PARTS.values() for p in parts for j in load("topics", p)}
    auto = pipeline.assemble(without_pins(inputs, cat, judged_slugs), pipeline.Timings()).catalogue
    held = {str(j["slug"]) for p in PARTS["held aside (parts 3-4)"] for j in load("topics", p)}
    wide = pinned_judgements(cat, held)
    everything = pipeline.assemble(without_pins(inputs, cat, {e.slug for e in cat.entries}), pipeline.Timings())
    lines: dict[str, tuple[Catalogue, list[dict[str, object]]]] = {
        name: (auto, [j for p in part for j in load("topics", p)]) for name, part in parts.items()
    }
    lines = {"tuning, whole catalogue": (everything.catalogue, wide), **lines}
    report: dict[str, object] = {}
    print("Topics placed by the rules (pins of the judged papers withdrawn):")
    print(f"{'part':<28}{'papers':>7}{'precision':>11}{'recall':>8}{'exact set':>11}{'no topic':>10}")
    for name, (placed, judged) in lines.items():
        scores = topic_scores(placed, judged)
        report[f"topics {name}"] = asdict(scores) if scores else None
        if scores is None:
            print(f"{name:<28}{'no judgements':>20}")
            continue
        print(
            f"{name:<28}{scores.papers:>7}{scores.precision:>11.1%}{scores.recall:>8.1%}"
            f"{scores.exact:>11.1%}{scores.without_topic:>10}"
            + (f"  ({scores.missing} judged slugs not found)" if scores.missing else "")
        )
    print("\nThe same against two judges (a second curator judged each part blind on its own):")
    for name, part in parts.items():
        judged, theirs = [j for p in part for j in load("topics", p)], load_second(name)
        short = name.split(" (")[0]
        for label, scores in (
            (f"a second judge, {short}", second_judge(cat, judged, theirs)),
            (f"rules vs either, {short}", either_judge(auto, judged, theirs)),
        ):
            if scores is None:
                continue
            report[f"topics {label}"] = asdict(scores)
            print(
                f"{label:<28}{scores.papers:>7}{scores.precision:>11.1%}{scores.recall:>8.1%}"
                f"{scores.exact:>11.1%}{scores.without_topic:>10}"
            )
    if args.errors:
        found = disagreements(everything.catalogue, wide)
        print(f"\n{len(found)} tuning papers where the rules and the curators disagree:")
        print("\n".join(found))
    print("\nRelated papers of the published catalogue:")
    print(f"{'part':<28}{'papers':>7}{'links':>7}{'precision':>11}{'clearly':>9}{'unjudged':>10}{'ceiling':>9}")
    for name, part in parts.items():
        rel = related_scores(cat, [j for p in part for j in load("related", p)])
        report[f"related {name}"] = asdict(rel) if rel else None
        if rel is None:
            print(f"{name:<28}{'no verdicts yet':>22}")
            continue
        print(
            f"{name:<28}{rel.papers:>7}{rel.links:>7}{rel.precision:>11.1%}{rel.clearly:>9.1%}"
            f"{rel.unjudged:>10}{rel.ceiling:>9.1%}"
        )
    count, slug = hubs(cat)
    sizes = Counter(len(e.topics) for e in cat.entries)
    members = {t: len(es) for t, es in cat.topic_members.items()}
    largest = max(members, key=lambda t: (members[t], t))
    lengths = Counter(len(e.related) for e in cat.entries)
    print(f"\nlargest hub: {slug} in {count} related lists")
    print(f"related papers per paper: {dict(sorted(lengths.items()))}")
    print(f"topics per paper: {dict(sorted(sizes.items()))}")
    need, unpinned = sum(not e.topics for e in cat.entries), sum(not e.topics for e in auto.entries)
    print(f"published papers without a topic: {need}; needing one when unpinned: {unpinned}")
    print(f"largest topic: {largest} ({members[largest]} of {len(cat.entries)} papers)")
    report.update(
        hub={"slug": slug, "lists": count},
        topics_per_paper=dict(sizes),
        related_per_paper=dict(lengths),
        largest_topic=largest,
        without_topic=need,
    )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
