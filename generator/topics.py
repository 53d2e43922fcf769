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
class _Phrase:
    """One rule phrase, ready to test against folded text."""

    text: str
    pattern: re.Pattern[str]
    needs: frozenset[str]
    """Its whole words (not `word*`): it can match only where all of them occur, so a set
    look-up rules it out before any regex runs; a one-word phrase needs no regex at all."""
    single: bool


def _phrase(text: str) -> _Phrase:
    words = [w for w in re.split(r"[\s\-_/]+", text.strip()) if w]
    needs = frozenset(part for w in words if not w.endswith("*") for part in fold(w).split())
    single = len(words) == 1 and not words[0].endswith("*") and " " not in fold(words[0])
    return _Phrase(text, compile_phrase(text), needs, single)


def _found(p: _Phrase, text: str, words: frozenset[str]) -> bool:
    if not p.needs <= words:
        return False
    return p.single or p.pattern.search(text) is not None


@dataclass(frozen=True)
class _Compiled:
    topic: Topic
    title: tuple[_Phrase, ...]
    abstract: tuple[_Phrase, ...]
    exclude: tuple[_Phrase, ...]


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
    return _Compiled(
        topic,
        tuple(_phrase(p) for p in rule.title),
        tuple(_phrase(p) for p in rule.abstract),
        tuple(_phrase(p) for p in rule.exclude),
    )


@dataclass(frozen=True)
class _Text:
    title: str
    abstract: str
    title_words: frozenset[str]
    abstract_words: frozenset[str]


def _score(c: _Compiled, t: _Text, matched: set[tuple[str, str]]) -> tuple[int, str]:
    in_title = [p.text for p in c.title if _found(p, t.title, t.title_words)]
    in_abstract = [p.text for p in c.abstract if _found(p, t.abstract, t.abstract_words)]
    if not (in_title or in_abstract):
        return 0, ""
    if any(_found(x, t.title, t.title_words) or _found(x, t.abstract, t.abstract_words) for x in c.exclude):
        return 0, ""
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
        text = _Text(title, abstract, frozenset(title.split()), frozenset(abstract.split()))
        scored = [(c.topic.slug, *_score(c, text, matched)) for c in compiled]
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
