"""Prototypes of the fixes BENCHMARKS.md suggests, checked against the current stage functions.

Nothing here is used by the generator. Each prototype is compared with the function it would
replace (same output on the given catalogue) and both are timed in CPU seconds:

    .venv/bin/python benchmarks/prototypes.py --data DIR            # compare on DIR (synth.py output or data/)
    .venv/bin/python benchmarks/prototypes.py --data DIR --stages   # the generate stages at DIR's size,
                                                                    # topics by the word matcher

`--stages` runs the benchmark's generate step (benchmarks/bench_build.py) with the topics stage
swapped for the word matcher, to measure the stages after it at a size where the current topics
stage alone runs past the time limit.
"""

from __future__ import annotations

import argparse
import heapq
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generator import build, config, dedupe, related, texfrag, topics  # noqa: E402
from generator.models import Paper, Topic, TopicMatch  # noqa: E402
from generator.pages import yaml_quote  # noqa: E402
from generator.texfrag import fold  # noqa: E402

# ---------------------------------------------------------------- topics: phrases matched on words


def phrase_words(phrase: str) -> tuple[tuple[str, bool], ...]:
    """`vision-language action*` -> ((word, is_prefix), ...) over folded text, as compile_phrase reads it."""
    out = []
    for raw in re.split(r"[\s\-_/]+", phrase.strip()):
        words = fold(raw).split()
        out += [(w, raw.endswith("*") and i == len(words) - 1) for i, w in enumerate(words)]
    return tuple(out)


class PhraseMatcher:
    """Which phrases occur in a folded text: the same test as `\\bphrase\\b` on `[0-9a-z ]` text,
    found by set operations on its words instead of one regex scan per phrase."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self.by_first: dict[str, list[tuple[str, tuple[tuple[str, bool], ...]]]] = defaultdict(list)
        self.by_prefix: dict[str, list[tuple[str, tuple[tuple[str, bool], ...]]]] = defaultdict(list)
        for phrase in dict.fromkeys(phrases):
            words = phrase_words(phrase)
            if words:
                (self.by_prefix if words[0][1] else self.by_first)[words[0][0]].append((phrase, words))
        self.lengths = sorted({len(k) for k in self.by_prefix})
        self.seen: set[str] = set()
        self.trigger: dict[str, list[tuple[str, tuple[tuple[str, bool], ...]]]] = {}
        """Word -> phrases that can start at it (learnt once per distinct word)."""

    def _learn(self, words: set[str]) -> None:
        for w in words:
            found = list(self.by_first.get(w, ()))
            for n in self.lengths:
                if n <= len(w):
                    found += self.by_prefix.get(w[:n], ())
            if found:
                self.trigger[w] = found
        self.seen |= words

    def find(self, text: str) -> set[str]:
        words = text.split()
        unique = set(words)
        if not unique <= self.seen:
            self._learn(unique - self.seen)
        found: set[str] = set()
        pairs: set[tuple[str, str]] | None = None
        padded = f" {text} "
        for w in unique.intersection(self.trigger):
            for phrase, parts in self.trigger[w]:
                if len(parts) == 1:
                    found.add(phrase)
                    continue
                second, second_is_prefix = parts[1]
                if not second_is_prefix:
                    pairs = pairs if pairs is not None else set(zip(words, words[1:], strict=False))
                    if (w, second) not in pairs:
                        continue
                    if len(parts) == 2:
                        found.add(phrase)
                        continue
                if any(is_prefix for _, is_prefix in parts[1:-1]):
                    tail = " ".join(re.escape(x) + ("[a-z0-9]*" if p else "") for x, p in parts[1:])
                    if re.search(rf"\b{re.escape(w)} {tail}\b", text):
                        found.add(phrase)
                    continue
                needle = f" {w} " + " ".join(x for x, _ in parts[1:]) + ("" if parts[-1][1] else " ")
                if needle in padded:
                    found.add(phrase)
        return found


def _reasons(in_title: list[str], in_abstract: list[str]) -> str:
    reasons = []
    if in_title:
        reasons.append("title: " + ", ".join(f"“{p.rstrip('*')}”" for p in in_title[:2]))
    if in_abstract:
        reasons.append("abstract: " + ", ".join(f"“{p.rstrip('*')}”" for p in in_abstract[: topics.ABSTRACT_CAP]))
    return "; ".join(reasons)


def assign_topics_by_words(
    papers: Sequence[Paper], taxonomy: Sequence[Topic], pins: Mapping[str, Sequence[str]] | None = None
) -> dict[str, tuple[TopicMatch, ...]]:
    """topics.assign_topics(...).by_paper, scoring only the topics a matched phrase belongs to."""
    rules = [(t, t.rule) for t in taxonomy]
    matcher = PhraseMatcher(p for _, r in rules for p in (*r.title, *r.abstract, *r.exclude))
    touches: dict[str, set[int]] = defaultdict(set)
    for i, (_, r) in enumerate(rules):
        for p in (*r.title, *r.abstract, *r.exclude):
            touches[p].add(i)
    out: dict[str, tuple[TopicMatch, ...]] = {}
    for paper in papers:
        in_t = matcher.find(fold(" ".join((paper.title, *paper.aliases))))
        in_a = matcher.find(fold(paper.abstract))
        scored = []
        for i in sorted({i for p in in_t | in_a for i in touches[p]}):
            topic, r = rules[i]
            if any(p in in_t or p in in_a for p in r.exclude):
                continue
            title_hits, abstract_hits = [p for p in r.title if p in in_t], [p for p in r.abstract if p in in_a]
            score = topics.TITLE_WEIGHT * min(len(title_hits), 1) + min(len(abstract_hits), topics.ABSTRACT_CAP)
            if score:
                scored.append((-score, i, TopicMatch(topic.slug, score, _reasons(title_hits, abstract_hits))))
        scored.sort(key=lambda s: (s[0], s[1]))
        chosen = [m for _, _, m in scored if m.score >= topics.THRESHOLD][: topics.MAX_TOPICS]
        matches = chosen or [m for _, _, m in scored[:1]]
        pinned = [TopicMatch(slug, 99, "pinned by curator") for slug in (pins or {}).get(paper.key, ())]
        if pinned:
            rest = [m for m in matches if m.topic not in {p.topic for p in pinned}]
            matches = (pinned + rest)[: max(topics.MAX_TOPICS, len(pinned))]
        out[paper.key] = tuple(matches)
    return out


# ---------------------------------------------------------------- related: rank only what can still rank


def find_related_pruned(
    papers: Sequence[Paper], assigned: Mapping[str, Sequence[TopicMatch]], count: int = 6
) -> dict[str, tuple[str, ...]]:
    """related.find_related with the topic bonus and tie-break sort only on candidates within the
    largest possible bonus of the count-th text score (exact: the others cannot reach the top)."""
    keys = [p.key for p in papers]
    vectors = related._vectors(papers)
    postings: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for i, vec in enumerate(vectors):
        for term, w in vec.items():
            postings[term].append((w, i))
    for term, plist in postings.items():
        if len(plist) > related.POSTINGS_CAP:
            postings[term] = heapq.nlargest(related.POSTINGS_CAP, plist)
    topic_sets = [frozenset(m.topic for m in assigned.get(k, ())) for k in keys]
    by_topic: dict[str, list[int]] = defaultdict(list)
    for i, ts in enumerate(topic_sets):
        for t in sorted(ts):
            by_topic[t].append(i)
    out = {}
    for i, vec in enumerate(vectors):
        scores: dict[int, float] = defaultdict(float)
        for term, w in vec.items():
            for w2, j in postings[term]:
                scores[j] += w * w2
        scores.pop(i, None)
        if len(scores) > count:
            floor = heapq.nlargest(count, scores.values())[-1] - related.TOPIC_BONUS * len(topic_sets[i])
            scores = defaultdict(float, {j: s for j, s in scores.items() if s >= floor})
        for j in scores:
            scores[j] += related.TOPIC_BONUS * len(topic_sets[i] & topic_sets[j])
        if len(scores) < count:
            related._top_up(i, scores, topic_sets, by_topic, count)
        best = heapq.nsmallest(count, scores.items(), key=lambda kv: (-kv[1], keys[kv[0]]))
        out[keys[i]] = tuple(keys[j] for j, _ in best)
    return out


# ---------------------------------------------------------------- render: text escapes without per-character loops

_ENTITY = {ch: f"&#{ord(ch)};" for ch in texfrag._MARKUP_CHARS}
_MARKUP_RE = re.compile("[" + re.escape("".join(sorted(texfrag._MARKUP_CHARS))) + "]")
_YAML_UNSAFE_RE = re.compile('["\\\\]|[^\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]')


def escape_text_fast(text: str) -> str:
    """texfrag.escape_text: one precompiled character class instead of a generator per character."""
    return _MARKUP_RE.sub(lambda m: _ENTITY[m.group()], text)


def yaml_quote_fast(text: str) -> str:
    """pages.yaml_quote with a fast path for text that needs no escape."""
    return f'"{text}"' if _YAML_UNSAFE_RE.search(text) is None else yaml_quote(text)


# ---------------------------------------------------------------- comparisons


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.process_time()
    out = fn()
    return out, time.process_time() - start


def compare(name: str, current: Callable[[], Any], prototype: Callable[[], Any], unit: int, what: str) -> None:
    old, t_old = _timed(current)
    new, t_new = _timed(prototype)
    same = "same output" if old == new else "DIFFERENT OUTPUT"
    print(
        f"{name}: current {t_old:.2f} s CPU ({t_old / unit * 1e3:.3f} ms per {what}), "
        f"prototype {t_new:.2f} s CPU ({t_new / unit * 1e3:.3f} ms per {what}), {t_old / max(t_new, 1e-9):.1f}x, {same}"
    )


def run_comparisons(data: Path, limit: int) -> None:
    taxonomy = config.parse_taxonomy("topics.yml", (data / "topics.yml").read_text(encoding="utf-8"))
    records, _, _ = build.read_sources(data / "sources")
    papers = dedupe.find_duplicates(records).papers
    sample = papers[:limit] if limit else papers
    print(f"{data}: {len(papers)} papers ({len(sample)} for the topics comparison)")
    compare(
        "topics",
        lambda: topics.assign_topics(sample, taxonomy.topics).by_paper,
        lambda: assign_topics_by_words(sample, taxonomy.topics),
        len(sample),
        "paper",
    )
    assigned = assign_topics_by_words(papers, taxonomy.topics)
    compare(
        "related",
        lambda: related.find_related(papers, assigned),
        lambda: find_related_pruned(papers, assigned),
        len(papers),
        "paper",
    )
    abstracts = [p.abstract for p in papers]
    compare(
        "escape_text",
        lambda: [texfrag.escape_text(a) for a in abstracts],
        lambda: [escape_text_fast(a) for a in abstracts],
        len(abstracts),
        "abstract",
    )
    compare(
        "yaml_quote",
        lambda: [yaml_quote(a) for a in abstracts],
        lambda: [yaml_quote_fast(a) for a in abstracts],
        len(abstracts),
        "abstract",
    )


def run_stages(data: Path, docs: Path) -> None:
    """The benchmark's generate step with topics by the word matcher (same assignments)."""
    import bench_build

    def assign(papers: Sequence[Paper], taxonomy: Sequence[Topic], pins: Any = None) -> Any:
        return topics.Assignment(assign_topics_by_words(papers, taxonomy, pins), {})

    topics.assign_topics = assign  # type: ignore[assignment]
    out = bench_build.child_generate(argparse.Namespace(data=data, docs=bench_build.fresh_docs(docs)))
    print(json.dumps(out, indent=1, default=str))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="folder with sources/ and topics.yml")
    parser.add_argument("--limit", type=int, default=2000, help="papers for the topics comparison (0: all)")
    parser.add_argument("--stages", action="store_true", help="run the generate stages, topics by the word matcher")
    parser.add_argument("--docs", type=Path, default=Path("/tmp/prototype-docs"), help="docs folder for --stages")
    args = parser.parse_args(argv)
    if args.stages:
        run_stages(args.data, args.docs)
    else:
        run_comparisons(args.data, args.limit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
