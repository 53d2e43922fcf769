"""Assign curated topics to papers by phrase rules, with the evidence kept for the page.

A phrase matches whole words of the folded text (case, accents and punctuation ignored). A title
match weighs TITLE_WEIGHT, each abstract phrase 1 (a `key` phrase, one naming the topic itself,
KEY_WEIGHT), at most ABSTRACT_CAP together. A topic's
`generic` phrases (words too general alone) count, as title or abstract evidence, only when one
of its specific phrases matched too; when it names a `context` (the setting it is about), one of
those phrases must occur for any of its phrases to count. A paper joins the topics scoring at least THRESHOLD, at
most MAX_TOPICS of them. One that reaches none is never forced into its best guess: it is
reported as needing a topic, for a curator to pin or to write a better rule. A pinned paper
has exactly its pinned topics.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from generator.models import (
    PINNED_SCORE,
    Paper,
    Problem,
    ProblemKind,
    Severity,
    SplitWork,
    Topic,
    TopicMatch,
    one_process,
)
from generator.texfrag import fold, phrase_pieces, phrase_words
from generator.words import plural

TITLE_WEIGHT = 3
KEY_WEIGHT = 2
"""What a `key` phrase (one naming the topic itself) weighs in the abstract."""
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


def compile_phrase(phrase: str) -> re.Pattern[str]:
    """`vision-language action*` -> a whole-word pattern over folded text; a final `*` matches a word's beginning."""
    words = [re.escape(core) + (r"[a-z0-9]*" if star else "") for core, star in phrase_pieces(phrase)]
    return re.compile(r"\b" + " ".join(words) + r"\b")


class _Check(NamedTuple):
    """How to confirm one phrase in a text that holds its trigger word."""

    phrase: str
    needs: frozenset[str] | None
    """Its whole words (not `word*` prefixes), all of which a matching text holds; None when the
    trigger word alone is the phrase."""
    needle: str | None
    """What ` text ` must contain (a phrase of whole words, or ending on a prefix)."""
    pattern: re.Pattern[str] | None
    """Otherwise the phrase's regex (a prefix word before its last word: rare)."""


def _check(phrase: str) -> tuple[str, bool, _Check] | None:
    """(trigger word, whether it is a prefix, check) for a phrase; None for one without words.

    A phrase of several words is triggered by its longest whole word (longer words are rarer, so
    fewer phrases need confirming), or by its first word when all its words are prefixes."""
    words = phrase_words(phrase)
    if not words:
        return None
    if len(words) == 1:
        return words[0][0], words[0][1], _Check(phrase, None, None, None)
    exact = [w for w, star in words if not star]
    if words[0][1] or any(star for _, star in words[1:-1]):
        needle, pattern = None, compile_phrase(phrase)
    else:
        needle, pattern = " " + " ".join(w for w, _ in words) + ("" if words[-1][1] else " "), None
    check = _Check(phrase, frozenset(exact), needle, pattern)
    return (max(exact, key=len), False, check) if exact else (words[0][0], True, check)


class _Matcher:
    """Which rule phrases occur in a folded text, equal to `compile_phrase(p).search(text)` for
    each phrase p, without a regex scan per phrase: only phrases whose trigger word occurs in the
    text (found by set intersection) are confirmed, most by one substring test."""

    def __init__(self, phrases: Sequence[str]) -> None:
        self._exact: dict[str, list[_Check]] = defaultdict(list)
        self._prefix: dict[str, list[_Check]] = defaultdict(list)
        for phrase in dict.fromkeys(phrases):
            found = _check(phrase)
            if found is not None:
                trigger, is_prefix, check = found
                (self._prefix if is_prefix else self._exact)[trigger].append(check)
        self._lengths = sorted({len(p) for p in self._prefix})
        self._seen: set[str] = set()
        self._starts: dict[str, tuple[_Check, ...]] = {}
        """Text word -> the phrases it triggers (learnt once per distinct word)."""
        self._triggers: set[str] = set()

    def _learn(self, words: set[str]) -> None:
        for w in words:
            checks = [*self._exact.get(w, ()), *(c for n in self._lengths for c in self._prefix.get(w[:n], ()))]
            if checks:
                self._starts[w] = tuple(checks)
                self._triggers.add(w)
        self._seen |= words

    def find(self, text: str) -> set[str]:
        words = set(text.split())
        new = words - self._seen
        if new:
            self._learn(new)
        found: set[str] = set()
        padded = f" {text} "
        for w in words & self._triggers:
            for phrase, needs, needle, pattern in self._starts[w]:
                if (
                    needs is None
                    or needs <= words
                    and (needle in padded if needle is not None else pattern is not None and pattern.search(text))
                ):
                    found.add(phrase)
        return found


def _shown(phrase: str) -> str:
    """A rule phrase as a reader reads it: `manipulat*` (a word's beginning) -> `manipulat…`."""
    return f"“{phrase[:-1]}…”" if phrase.endswith("*") else f"“{phrase}”"


def _reasons(in_title: Sequence[str], in_abstract: Sequence[str]) -> str:
    """Why the rules placed a paper in a topic, in reader words: `its title says “x”; its
    abstract mentions “y”, “z…”`."""
    reasons = []
    if in_title:
        reasons.append("its title says " + ", ".join(_shown(p) for p in in_title[:2]))
    if in_abstract:
        reasons.append("its abstract mentions " + ", ".join(_shown(p) for p in in_abstract[:ABSTRACT_CAP]))
    return "; ".join(reasons)


class _Rules(NamedTuple):
    slug: str
    title: tuple[str, ...]
    abstract: tuple[str, ...]
    exclude: frozenset[str]
    generic: tuple[str, ...] = ()
    context: frozenset[str] = frozenset()
    key: frozenset[str] = frozenset()


def _owners(rules: Sequence[_Rules], part: str) -> dict[str, tuple[int, ...]]:
    """Phrase -> indexes of the topics listing it under `part` (title or abstract)."""
    out: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rules):
        for p in dict.fromkeys(getattr(r, part)):
            out[p].append(i)
    return {p: tuple(ix) for p, ix in out.items()}


_Scored = tuple[int, int, list[str], list[str]]
"""(-score, topic index, title phrases found, abstract phrases found)."""


def _score(rules: Sequence[_Rules], touched: Iterable[int], in_t: set[str], in_a: set[str]) -> list[_Scored]:
    """The touched topics that score, best first (ties: taxonomy order)."""
    scored = []
    for i in touched:
        r = rules[i]
        if r.exclude and not (in_t.isdisjoint(r.exclude) and in_a.isdisjoint(r.exclude)):
            continue
        if r.context and in_t.isdisjoint(r.context) and in_a.isdisjoint(r.context):
            continue
        title_hits = [p for p in r.title if p in in_t]
        abstract_hits = [p for p in r.abstract if p in in_a]
        if (title_hits or abstract_hits) and r.generic:  # general words count only beside specific ones
            title_hits += [p for p in r.generic if p in in_t]
            abstract_hits += [p for p in r.generic if p in in_a and p not in in_t]
        if title_hits or abstract_hits:
            weight = sum(KEY_WEIGHT if p in r.key else 1 for p in abstract_hits)
            score = TITLE_WEIGHT * min(len(title_hits), 1) + min(weight, ABSTRACT_CAP)
            scored.append((-score, i, title_hits, abstract_hits))
    scored.sort(key=lambda s: s[:2])
    return scored


class _Setup(NamedTuple):
    rules: Sequence[_Rules]
    matcher: _Matcher
    in_title_of: Mapping[str, tuple[int, ...]]
    in_abstract_of: Mapping[str, tuple[int, ...]]
    pins: Mapping[str, Sequence[str]]
    fold_text: Callable[[str], str]


def _assign(paper: Paper, setup: _Setup, matched: set[tuple[str, str]]) -> tuple[TopicMatch, ...]:
    """One paper's topics; adds the (topic, phrase) pairs that counted to `matched`."""
    rules, matcher, fold_text = setup.rules, setup.matcher, setup.fold_text
    in_t = matcher.find(fold_text(" ".join((paper.title, *paper.aliases)) if paper.aliases else paper.title))
    in_a = matcher.find(fold_text(paper.abstract))
    touched = {i for p in in_t for i in setup.in_title_of.get(p, ())}
    touched.update(i for p in in_a for i in setup.in_abstract_of.get(p, ()))
    scored = _score(rules, sorted(touched), in_t, in_a)
    for _, i, title_hits, abstract_hits in scored:
        matched.update((rules[i].slug, p) for p in title_hits + abstract_hits)
    chosen = [s for s in scored if -s[0] >= THRESHOLD][:MAX_TOPICS]
    matches = [TopicMatch(rules[i].slug, -neg, _reasons(t_hits, a_hits)) for neg, i, t_hits, a_hits in chosen]
    pinned = setup.pins.get(paper.key)
    if pinned:  # a curator's choice is the paper's set of topics: rules neither add nor remove one
        return tuple(TopicMatch(slug, PINNED_SCORE, "chosen by the curators") for slug in dict.fromkeys(pinned))
    return tuple(matches)


def _assign_range(
    papers: Sequence[Paper], setup: _Setup, start: int, stop: int
) -> list[tuple[list[tuple[TopicMatch, ...]], set[tuple[str, str]]]]:
    matched: set[tuple[str, str]] = set()
    return [([_assign(paper, setup, matched) for paper in papers[start:stop]], matched)]


def assign_topics(
    papers: Sequence[Paper],
    topics: Sequence[Topic],
    pins: Mapping[str, Sequence[str]] | None = None,
    fold_text: Callable[[str], str] = fold,
    split: SplitWork = one_process,
) -> Assignment:
    """Each paper's topics, best first. `pins` (paper key -> topic slugs) are a paper's whole set.

    `fold_text` is `texfrag.fold` or a memo of it shared with the related-papers stage; `split`
    (models.SplitWork) only changes the speed."""
    rules = [
        _Rules(
            t.slug,
            tuple(dict.fromkeys((*t.rule.key, *t.rule.title))),
            tuple(dict.fromkeys((*t.rule.key, *t.rule.abstract))),
            frozenset(t.rule.exclude),
            t.rule.generic,
            frozenset(t.rule.context),
            frozenset(t.rule.key),
        )
        for t in topics
    ]
    matcher = _Matcher([p for r in rules for p in (*r.title, *r.abstract, *r.exclude, *r.generic, *r.context)])
    setup = _Setup(rules, matcher, _owners(rules, "title"), _owners(rules, "abstract"), pins or {}, fold_text)
    n = len(papers)
    parts = split(lambda start, stop: _assign_range(papers, setup, start, stop), n, n)
    found = [matches for part, _ in parts for matches in part]
    out = {paper.key: matches for paper, matches in zip(papers, found, strict=True)}
    matched = set().union(*(part_matched for _, part_matched in parts))
    unused = {
        t.slug: tuple(
            p
            for p in dict.fromkeys((*t.rule.key, *t.rule.title, *t.rule.abstract, *t.rule.generic))
            if (t.slug, p) not in matched
        )
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
            msg = f"needs a topic: {paper.title!r} has too little evidence for any; pin it or add a phrase"
            problems.append(Problem(first.file, first.line, msg, kind=ProblemKind.NEEDS_TOPIC))
    for topic in topics:
        if counts[topic.slug] < 3:
            problems.append(
                Problem(
                    "topics.yml", None, f"topic {topic.name!r} has {plural(counts[topic.slug], 'paper')} (fewer than 3)"
                )
            )
    for slug, phrases in sorted(assignment.unused.items()):
        listed = ", ".join(repr(p) for p in phrases)
        problems.append(
            Problem("topics.yml", None, f"topic {slug!r}: phrases that match no paper: {listed}", Severity.INFO)
        )
    return problems
