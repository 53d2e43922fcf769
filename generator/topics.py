"""Assign curated topics to papers by phrase rules, with the evidence kept for the page.

A phrase matches whole words of the folded text (case, accents and punctuation ignored). A title
match weighs TITLE_WEIGHT, each abstract phrase 1 (at most ABSTRACT_CAP together). A paper joins
the topics scoring at least THRESHOLD, at most MAX_TOPICS of them; a paper that reaches no
threshold joins its single best-scoring topic, and one that matches nothing is reported.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .models import Paper, Problem, Severity, Topic, TopicMatch
from .texfrag import fold

TITLE_WEIGHT = 3
ABSTRACT_CAP = 3
THRESHOLD = 3
MAX_TOPICS = 4


@dataclass(frozen=True)
class _Compiled:
    topic: Topic
    title: tuple[tuple[str, re.Pattern[str]], ...]
    abstract: tuple[tuple[str, re.Pattern[str]], ...]
    exclude: tuple[re.Pattern[str], ...]
    gate: re.Pattern[str]
    """Any of the topic's phrases: one search rules out most topics for a paper."""


@dataclass(frozen=True)
class Assignment:
    """Topics per paper, and the rule phrases that matched no paper at all."""

    by_paper: dict[str, tuple[TopicMatch, ...]]
    """Paper key -> its topics, best first."""
    unused: dict[str, tuple[str, ...]]
    """Topic slug -> its phrases (title and abstract) that never matched."""


def compile_phrase(phrase: str) -> re.Pattern[str]:
    """`vision-language action*` -> a whole-word pattern over folded text; a final `*` matches a word's beginning."""
    words = []
    for raw in re.split(r"[\s\-_/]+", phrase.strip()):
        core = re.escape(fold(raw))
        if core:
            words.append(core + (r"[a-z0-9]*" if raw.endswith("*") else ""))
    return re.compile(r"\b" + " ".join(words) + r"\b")


def _compile(topic: Topic) -> _Compiled:
    rule = topic.rule
    phrases = [compile_phrase(p).pattern for p in (*rule.title, *rule.abstract)]
    return _Compiled(
        topic,
        tuple((p, compile_phrase(p)) for p in rule.title),
        tuple((p, compile_phrase(p)) for p in rule.abstract),
        tuple(compile_phrase(p) for p in rule.exclude),
        re.compile("|".join(phrases) or r"(?!)"),
    )


def _score(c: _Compiled, title: str, abstract: str, matched: set[tuple[str, str]]) -> tuple[int, str]:
    if not (c.gate.search(title) or c.gate.search(abstract)):
        return 0, ""
    if any(x.search(title) or x.search(abstract) for x in c.exclude):
        return 0, ""
    in_title = [p for p, rx in c.title if rx.search(title)]
    in_abstract = [p for p, rx in c.abstract if rx.search(abstract)]
    matched.update((c.topic.slug, p) for p in in_title + in_abstract)
    score = TITLE_WEIGHT * min(len(in_title), 1) + min(len(in_abstract), ABSTRACT_CAP)
    reasons = []
    if in_title:
        reasons.append("title: " + ", ".join(f"“{p.rstrip('*')}”" for p in in_title[:2]))
    if in_abstract:
        reasons.append("abstract: " + ", ".join(f"“{p.rstrip('*')}”" for p in in_abstract[:ABSTRACT_CAP]))
    return score, "; ".join(reasons)


def assign_topics(
    papers: Sequence[Paper], topics: Sequence[Topic], pins: Mapping[str, Sequence[str]] | None = None
) -> Assignment:
    """Each paper's topics, best first. `pins` (paper key -> topic slugs) win over rules."""
    compiled = [_compile(t) for t in topics]
    pins = pins or {}
    out: dict[str, tuple[TopicMatch, ...]] = {}
    matched: set[tuple[str, str]] = set()
    for paper in papers:
        title, abstract = fold(" ".join((paper.title, *paper.aliases))), fold(paper.abstract)
        scored = [(c.topic.slug, *_score(c, title, abstract, matched)) for c in compiled]
        order = {c.topic.slug: i for i, c in enumerate(compiled)}
        scored.sort(key=lambda s: (-s[1], order[s[0]]))
        chosen = [s for s in scored if s[1] >= THRESHOLD][:MAX_TOPICS]
        if not chosen and scored and scored[0][1] > 0:
            chosen = scored[:1]
        matches = [TopicMatch(slug, score, reason) for slug, score, reason in chosen]
        pinned = [TopicMatch(slug, 99, "pinned by curator") for slug in pins.get(paper.key, ())]
        if pinned:
            rest = [m for m in matches if m.topic not in {p.topic for p in pinned}]
            matches = (pinned + rest)[: max(MAX_TOPICS, len(pinned))]
        out[paper.key] = tuple(matches)
    unused = {
        t.slug: tuple(p for p in dict.fromkeys((*t.rule.title, *t.rule.abstract)) if (t.slug, p) not in matched)
        for t in topics
    }
    return Assignment(out, {k: v for k, v in unused.items() if v})


def report_topics(papers: Sequence[Paper], topics: Sequence[Topic], assignment: Assignment) -> list[Problem]:
    """Papers without a topic, topics with fewer than 3 papers, phrases that never match."""
    assigned = assignment.by_paper
    problems: list[Problem] = []
    counts = {t.slug: 0 for t in topics}
    for paper in papers:
        matches = list(assigned.get(paper.key, ()))
        for m in matches:
            counts[m.topic] += 1
        if not matches:
            first = paper.sources[0]
            problems.append(Problem(first.file, first.line, f"no topic matches {paper.title!r}: add a phrase or a pin"))
    for topic in topics:
        if counts[topic.slug] < 3:
            problems.append(Problem("topics.yml", None, f"topic {topic.name!r} has {counts[topic.slug]} papers (fewer than 3)"))
    for slug, phrases in sorted(assignment.unused.items()):
        listed = ", ".join(repr(p) for p in phrases)
        problems.append(Problem("topics.yml", None, f"topic {slug!r}: phrases that match no paper: {listed}", Severity.INFO))
    return problems
