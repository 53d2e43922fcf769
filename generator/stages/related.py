"""Related papers: TF-IDF text similarity over title and abstract, blended with shared topics.

Never all pairs: each paper keeps its TOP_TERMS heaviest terms, and each term's postings keep
only the POSTINGS_CAP papers where it weighs most, so candidates come from a bounded list per
term. A paper with too few text neighbours is topped up from papers sharing its topics.
Deterministic: ties break on the paper key.
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from generator.models import Paper, SplitWork, TopicMatch, one_process
from generator.texfrag import fold

TOP_TERMS = 16
POSTINGS_CAP = 40
TOPIC_BONUS = 0.08
"""Added to the cosine score per shared topic: text decides, topics break near-ties."""
TITLE_REPEAT = 3
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "for",
        "from",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "over",
        "such",
        "that",
        "the",
        "their",
        "these",
        "this",
        "to",
        "under",
        "use",
        "using",
        "via",
        "we",
        "which",
        "while",
        "with",
        "without",
        "which",
        "than",
        "based",
        "new",
        "paper",
        "propose",
        "proposed",
        "show",
        "method",
        "methods",
        "approach",
        "results",
        "also",
        "both",
        "more",
        "learning",
        "model",
        "models",
        "task",
        "tasks",
        "data",
    ]
)


def _is_term(word: str) -> bool:
    return len(word) > 2 and word not in _STOPWORDS and not word.isdigit()


class _Vector(NamedTuple):
    """A paper's TOP_TERMS heaviest terms, heaviest first, and their normalised weights."""

    terms: tuple[str, ...]
    weights: tuple[float, ...]


def _document_counts(texts: Sequence[tuple[str, str]], start: int, stop: int) -> list[Counter[str]]:
    """In how many of texts[start:stop] each word occurs (one pass, nothing kept per paper)."""
    df: Counter[str] = Counter()
    for title, abstract in texts[start:stop]:
        df.update(set(title.split()).union(abstract.split()))
    return [df]


def _idf(df: Mapping[str, int], n: int) -> dict[str, float]:
    """Inverse document frequency of every term found in more than one paper."""
    return {w: math.log((1 + n) / (1 + d)) for w, d in df.items() if d > 1 and _is_term(w)}


def _vector(title: str, abstract: str, idf: Mapping[str, float]) -> _Vector:
    counts = Counter(title.split() * TITLE_REPEAT + abstract.split())
    get = idf.get
    weighted = [(_LOG1[tf] * x, t) for t, tf in counts.items() if (x := get(t)) is not None]
    top = sorted(weighted, reverse=True)[:TOP_TERMS]  # (weight, term): ties go to the later term, as before
    norm = math.sqrt(sum(w * w for w, _ in top)) or 1.0
    return _Vector(tuple(t for _, t in top), tuple(w / norm for w, _ in top))


class _Log1(dict[int, float]):
    """tf -> 1 + log(tf), computed once per distinct count."""

    def __missing__(self, tf: int) -> float:
        self[tf] = value = 1 + math.log(tf)
        return value


_LOG1 = _Log1()


def _vectors(texts: Sequence[tuple[str, str]], split: SplitWork) -> list[_Vector]:
    n = len(texts)
    counts = split(lambda start, stop: _document_counts(texts, start, stop), n, n)
    df = counts[0]
    for more in counts[1:]:
        df.update(more)
    idf = _idf(df, n)
    return split(lambda start, stop: [_vector(t, a, idf) for t, a in texts[start:stop]], n, n)


class _Postings(NamedTuple):
    """Per term, the papers where it weighs most (at most POSTINGS_CAP) and their weights."""

    papers: dict[str, array[int]]
    weights: dict[str, array[float]]


def _postings(vectors: Sequence[_Vector]) -> _Postings:
    lists: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for i, vec in enumerate(vectors):
        for term, w in zip(vec.terms, vec.weights, strict=True):
            lists[term].append((w, i))
    papers: dict[str, array[int]] = {}
    weights: dict[str, array[float]] = {}
    for term, plist in lists.items():
        if len(plist) > POSTINGS_CAP:
            plist = heapq.nlargest(POSTINGS_CAP, plist)
        # Packed arrays, not tuples of int and float objects: at 100k papers those objects lie
        # all over the heap, and reading them cost more than the arithmetic.
        papers[term] = array("l", [j for _, j in plist])
        weights[term] = array("d", [w for w, _ in plist])
    return _Postings(papers, weights)


def _text_scores(i: int, vec: _Vector, post: _Postings) -> dict[int, float]:
    """Candidate -> sum over shared terms (in vec order) of the two weights' products."""
    scores: dict[int, float] = {}
    get = scores.get
    for t, w in zip(vec.terms, vec.weights, strict=True):
        for j, w2 in zip(post.papers[t], post.weights[t], strict=True):
            scores[j] = get(j, 0.0) + w * w2
    scores.pop(i, None)
    return scores


class _Context(NamedTuple):
    """What ranking one paper's candidates reads."""

    vectors: Sequence[_Vector]
    post: _Postings
    keys: Sequence[str]
    topic_sets: Sequence[frozenset[str]]
    masks: Sequence[int]
    """Each paper's topics as bits: shared topics are `(a & b).bit_count()`."""
    bonus: Sequence[float]
    """`TOPIC_BONUS * k` for k shared topics, the very float the plain definition adds."""
    by_topic: Mapping[str, list[int]]
    wanted: int
    """How many related papers each paper gets (`count`, a name a NamedTuple's tuple.count has)."""


def _context(
    papers: Sequence[Paper], topics: Mapping[str, Sequence[TopicMatch]], vectors: Sequence[_Vector], count: int
) -> _Context:
    keys = [p.key for p in papers]
    topic_sets = [frozenset(m.topic for m in topics.get(k, ())) for k in keys]
    bits = {t: 1 << n for n, t in enumerate(sorted(frozenset().union(*topic_sets)))}
    masks = [sum(bits[t] for t in ts) for ts in topic_sets]
    packed: Sequence[int] = array("Q", masks) if len(bits) <= 64 else masks
    bonus = [TOPIC_BONUS * k for k in range(len(bits) + 1)]
    by_topic: dict[str, list[int]] = defaultdict(list)
    for i, ts in enumerate(topic_sets):
        for t in sorted(ts):
            by_topic[t].append(i)
    return _Context(vectors, _postings(vectors), keys, topic_sets, packed, bonus, by_topic, count)


def _rank(i: int, scores: dict[int, float], ctx: _Context) -> tuple[int, ...]:
    """Indexes of the `count` best candidates: text score plus TOPIC_BONUS per shared topic,
    ties by key. Only candidates that can still reach the top get their bonus and a place in the
    sort: from the count-th best text score, a candidate whose text score plus the largest bonus
    stays below the count-th best final score cannot (its own final is at most that sum)."""
    count, masks, bonus = ctx.wanted, ctx.masks, ctx.bonus
    mine = masks[i]
    if len(scores) > count:
        floor = sorted(scores.values())[-count]
        finals = sorted(s + bonus[(mine & masks[j]).bit_count()] for j, s in scores.items() if s >= floor)
        floor, most = finals[-count], bonus[mine.bit_count()]
        scores = {j: s + bonus[(mine & masks[j]).bit_count()] for j, s in scores.items() if s + most >= floor}
        floor = sorted(scores.values())[-count]
        scores = {j: s for j, s in scores.items() if s >= floor}
    else:
        scores = {j: s + bonus[(mine & masks[j]).bit_count()] for j, s in scores.items()}
        if len(scores) < count:
            _top_up(i, scores, ctx.topic_sets, ctx.by_topic, count)
    keys = ctx.keys
    return tuple(j for j, _ in sorted(scores.items(), key=lambda kv: (-kv[1], keys[kv[0]]))[:count])


def _rank_range(ctx: _Context, start: int, stop: int) -> list[tuple[int, ...]]:
    vectors, post = ctx.vectors, ctx.post
    return [_rank(i, _text_scores(i, vectors[i], post), ctx) for i in range(start, stop)]


def find_related(
    papers: Sequence[Paper],
    topics: Mapping[str, Sequence[TopicMatch]],
    count: int = 6,
    fold_text: Callable[[str], str] = fold,
    split: SplitWork = one_process,
) -> dict[str, tuple[str, ...]]:
    """Paper key -> keys of up to `count` related papers, best first, never itself.

    `fold_text` is `texfrag.fold` or a memo of it shared with the topics stage; `split`
    (models.SplitWork) only changes the speed."""
    vectors = _vectors([(fold_text(p.title), fold_text(p.abstract)) for p in papers], split)
    ctx = _context(papers, topics, vectors, count)
    keys = ctx.keys
    ranked = split(lambda start, stop: _rank_range(ctx, start, stop), len(papers), len(papers))
    return {keys[i]: tuple(keys[j] for j in best) for i, best in enumerate(ranked)}


def _top_up(
    i: int,
    scores: dict[int, float],
    topic_sets: Sequence[frozenset[str]],
    by_topic: Mapping[str, list[int]],
    count: int,
) -> None:
    """Fill a sparse neighbour list from papers sharing a topic (small scores keep text matches first)."""
    for t in sorted(topic_sets[i]):
        for j in by_topic[t]:
            if len(scores) >= count * 2:
                return
            if j != i and j not in scores:
                scores[j] = TOPIC_BONUS * len(topic_sets[i] & topic_sets[j]) * 0.5
