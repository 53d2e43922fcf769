"""Assign curated topics to papers by phrase rules, with the evidence kept for the page.

A phrase matches whole words of the folded text (case, accents and punctuation ignored). A title
match weighs TITLE_WEIGHT, each abstract phrase 1 (at most ABSTRACT_CAP together). A paper joins
the topics scoring at least THRESHOLD, at most MAX_TOPICS of them; a paper that reaches no
threshold joins its single best-scoring topic, and one that matches nothing is reported.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .models import Paper, Problem, Severity, Topic, TopicMatch
from .texfrag import fold

TITLE_WEIGHT = 3
ABSTRACT_CAP = 3
THRESHOLD = 3
MAX_TOPICS = 4


@dataclass(frozen=True)
class Assignment:
    """Topics per paper, and the rule phrases that matched no paper at all."""

    by_paper: dict[str, tuple[TopicMatch, ...]]
    """Paper key -> its topics, best first."""
    unused: dict[str, tuple[str, ...]]
    """Topic slug -> its phrases (title and abstract) that never matched."""


def _pieces(phrase: str) -> list[tuple[str, bool]]:
    """`vision-language action*` -> [(folded piece, ends with `*`), ...]; empty pieces dropped."""
    out = []
    for raw in re.split(r"[\s\-_/]+", phrase.strip()):
        core = fold(raw)
        if core:
            out.append((core, raw.endswith("*")))
    return out


def compile_phrase(phrase: str) -> re.Pattern[str]:
    """`vision-language action*` -> a whole-word pattern over folded text; a final `*` matches a word's beginning."""
    words = [re.escape(core) + (r"[a-z0-9]*" if star else "") for core, star in _pieces(phrase)]
    return re.compile(r"\b" + " ".join(words) + r"\b")


def phrase_words(phrase: str) -> tuple[tuple[str, bool], ...]:
    """The words a phrase matches in folded text, each with whether it is a prefix (`word*`).

    Folded text holds only `[0-9a-z]` words between single spaces, so `compile_phrase(phrase)`
    matches exactly where these words follow each other, a prefix word matching any word it starts."""
    out: list[tuple[str, bool]] = []
    for core, star in _pieces(phrase):
        words = core.split()
        out += [(w, star and i == len(words) - 1) for i, w in enumerate(words)]
    return tuple(out)


@dataclass(frozen=True)
class _Rule:
    """One phrase as words: found by set look-ups on a text's words and one substring test."""

    text: str
    first: str
    first_is_prefix: bool
    needs: frozenset[str]
    """Its whole words (not prefixes): all must occur in a text it matches."""
    tail: str
    """` word word` after the first word, as it must follow it in ` text `."""
    tail_closed: bool
    """Whether the phrase ends on a whole word (so a space must follow in ` text `)."""
    pattern: re.Pattern[str] | None
    """The regex, only for a phrase with a prefix word before its last (rare)."""


def _rule(phrase: str) -> _Rule | None:
    words = phrase_words(phrase)
    if not words:
        return None
    (first, first_is_prefix), rest = words[0], words[1:]
    tricky = any(star for _, star in rest[:-1])
    return _Rule(
        phrase,
        first,
        first_is_prefix,
        frozenset(w for w, star in words if not star),
        "".join(" " + w for w, _ in rest),
        not (words[-1][1]),
        compile_phrase(phrase) if tricky else None,
    )


class _Matcher:
    """Which rule phrases occur in a folded text, equal to `compile_phrase(p).search(text)` for
    each phrase p, without a regex scan per phrase: a phrase can only start at a word that is its
    first word (or begins with its first word, for `word*`), found by set intersection."""

    def __init__(self, phrases: Sequence[str]) -> None:
        self._exact: dict[str, list[_Rule]] = defaultdict(list)
        self._prefix: dict[str, list[_Rule]] = defaultdict(list)
        for phrase in dict.fromkeys(phrases):
            rule = _rule(phrase)
            if rule is not None:
                (self._prefix if rule.first_is_prefix else self._exact)[rule.first].append(rule)
        self._lengths = sorted({len(p) for p in self._prefix})
        self._seen: set[str] = set()
        self._starts: dict[str, tuple[_Rule, ...]] = {}
        """Text word -> the phrases that can start at it (learnt once per distinct word)."""

    def _learn(self, words: set[str]) -> None:
        for w in words:
            rules = [*self._exact.get(w, ()), *(r for n in self._lengths for r in self._prefix.get(w[:n], ()))]
            if rules:
                self._starts[w] = tuple(rules)
        self._seen |= words

    def find(self, text: str) -> set[str]:
        words = set(text.split())
        if not words <= self._seen:
            self._learn(words - self._seen)
        found: set[str] = set()
        padded = f" {text} "
        for w in words.intersection(self._starts):
            for rule in self._starts[w]:
                if rule.text in found or not rule.needs <= words:
                    continue
                if rule.pattern is not None:
                    hit = rule.pattern.search(text) is not None
                elif not rule.tail:
                    hit = True
                else:
                    hit = f" {w}{rule.tail}{' ' if rule.tail_closed else ''}" in padded
                if hit:
                    found.add(rule.text)
        return found


def _reasons(in_title: Sequence[str], in_abstract: Sequence[str]) -> str:
    reasons = []
    if in_title:
        reasons.append("title: " + ", ".join(f"“{p.rstrip('*')}”" for p in in_title[:2]))
    if in_abstract:
        reasons.append("abstract: " + ", ".join(f"“{p.rstrip('*')}”" for p in in_abstract[:ABSTRACT_CAP]))
    return "; ".join(reasons)


def _score(
    topics: Sequence[Topic], touched: Iterable[int], in_t: set[str], in_a: set[str], matched: set[tuple[str, str]]
) -> list[TopicMatch]:
    """The topics (by index) a found phrase belongs to, scored, best first (ties: taxonomy order)."""
    scored = []
    for i in sorted(touched):
        topic = topics[i]
        rule = topic.rule
        title_hits = [p for p in rule.title if p in in_t]
        abstract_hits = [p for p in rule.abstract if p in in_a]
        if not (title_hits or abstract_hits) or any(p in in_t or p in in_a for p in rule.exclude):
            continue
        matched.update((topic.slug, p) for p in title_hits + abstract_hits)
        score = TITLE_WEIGHT * min(len(title_hits), 1) + min(len(abstract_hits), ABSTRACT_CAP)
        scored.append((-score, i, TopicMatch(topic.slug, score, _reasons(title_hits, abstract_hits))))
    scored.sort(key=lambda s: s[:2])
    return [m for _, _, m in scored]


def assign_topics(
    papers: Sequence[Paper], topics: Sequence[Topic], pins: Mapping[str, Sequence[str]] | None = None
) -> Assignment:
    """Each paper's topics, best first. `pins` (paper key -> topic slugs) win over rules."""
    matcher = _Matcher([p for t in topics for p in (*t.rule.title, *t.rule.abstract, *t.rule.exclude)])
    owners: dict[str, set[int]] = defaultdict(set)
    for i, t in enumerate(topics):
        for p in (*t.rule.title, *t.rule.abstract):
            owners[p].add(i)
    pins = pins or {}
    out: dict[str, tuple[TopicMatch, ...]] = {}
    matched: set[tuple[str, str]] = set()
    for paper in papers:
        in_t = matcher.find(fold(" ".join((paper.title, *paper.aliases))))
        in_a = matcher.find(fold(paper.abstract))
        touched = {i for p in in_t | in_a for i in owners.get(p, ())}
        scored = _score(topics, touched, in_t, in_a, matched)
        matches = [m for m in scored if m.score >= THRESHOLD][:MAX_TOPICS] or scored[:1]
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
            problems.append(
                Problem("topics.yml", None, f"topic {topic.name!r} has {counts[topic.slug]} papers (fewer than 3)")
            )
    for slug, phrases in sorted(assignment.unused.items()):
        listed = ", ".join(repr(p) for p in phrases)
        problems.append(
            Problem("topics.yml", None, f"topic {slug!r}: phrases that match no paper: {listed}", Severity.INFO)
        )
    return problems
