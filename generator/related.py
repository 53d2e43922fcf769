"""Related papers: TF-IDF text similarity over title and abstract, blended with shared topics.

Never all pairs: each paper keeps its TOP_TERMS heaviest terms, and each term's postings keep
only the POSTINGS_CAP papers where it weighs most, so candidates come from a bounded list per
term. A paper with too few text neighbours is topped up from papers sharing its topics.
Deterministic: ties break on the paper key.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import NamedTuple

from .models import Paper, TopicMatch
from .texfrag import fold

TOP_TERMS = 16
POSTINGS_CAP = 40
TOPIC_BONUS = 0.08
"""Added to the cosine score per shared topic: text decides, topics break near-ties."""
TITLE_REPEAT = 3
_STOPWORDS = frozenset(
    """a an and are as at be by can for from has have in into is it its of on or our over such
    that the their these this to under use using via we which while with without which than
    based new paper propose proposed show method methods approach results also both more
    learning model models task tasks data""".split()
)


def _is_term(word: str) -> bool:
    return len(word) > 2 and word not in _STOPWORDS and not word.isdigit()


class _Vector(NamedTuple):
    """A paper's TOP_TERMS heaviest terms, heaviest first, and their normalised weights."""

    terms: tuple[str, ...]
    weights: tuple[float, ...]


def _idf(texts: Iterable[tuple[str, str]], n: int) -> dict[str, float]:
    """Inverse document frequency of every term found in more than one paper (one pass, nothing kept per paper)."""
    df: Counter[str] = Counter()
    for title, abstract in texts:
        df.update(set(title.split()).union(abstract.split()))
    return {w: math.log((1 + n) / (1 + d)) for w, d in df.items() if d > 1 and _is_term(w)}


def _vector(title: str, abstract: str, idf: Mapping[str, float]) -> _Vector:
    counts = Counter(title.split() * TITLE_REPEAT + abstract.split())
    get = idf.get
    weighted = [(_LOG1[tf] * x, t) for t, tf in counts.items() if (x := get(t)) is not None]
    top = heapq.nlargest(TOP_TERMS, weighted)
    norm = math.sqrt(sum(w * w for w, _ in top)) or 1.0
    return _Vector(tuple(t for _, t in top), tuple(w / norm for w, _ in top))


class _Log1(dict):  # type: ignore[type-arg]
    """tf -> 1 + log(tf), computed once per distinct count."""

    def __missing__(self, tf: int) -> float:
        self[tf] = value = 1 + math.log(tf)
        return value


_LOG1 = _Log1()


def _vectors(texts: Sequence[tuple[str, str]]) -> list[_Vector]:
    idf = _idf(texts, len(texts))
    return [_vector(title, abstract, idf) for title, abstract in texts]


class _Postings(NamedTuple):
    """Per term, the papers where it weighs most (at most POSTINGS_CAP) and their weights."""

    papers: dict[str, tuple[int, ...]]
    weights: dict[str, tuple[float, ...]]


def _postings(vectors: Sequence[_Vector]) -> _Postings:
    lists: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for i, vec in enumerate(vectors):
        for term, w in zip(vec.terms, vec.weights, strict=True):
            lists[term].append((w, i))
    papers, weights = {}, {}
    for term, plist in lists.items():
        if len(plist) > POSTINGS_CAP:
            plist = heapq.nlargest(POSTINGS_CAP, plist)
        papers[term] = tuple(j for _, j in plist)
        weights[term] = tuple(w for w, _ in plist)
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


def _rank(
    i: int,
    scores: dict[int, float],
    keys: Sequence[str],
    topic_sets: Sequence[frozenset[str]],
    by_topic: Mapping[str, list[int]],
    count: int,
) -> tuple[str, ...]:
    """The keys of the `count` best candidates: text score plus TOPIC_BONUS per shared topic,
    ties by key. Only candidates that can still reach the top get their bonus and a place in the
    sort: from the count-th best text score, a candidate whose text score plus the largest bonus
    stays below the count-th best final score cannot (its own final is at most that sum)."""
    mine = topic_sets[i]
    if len(scores) > count:
        floor = sorted(scores.values())[-count]
        finals = sorted(s + TOPIC_BONUS * len(mine & topic_sets[j]) for j, s in scores.items() if s >= floor)
        floor, most = finals[-count], TOPIC_BONUS * len(mine)
        scores = {j: s for j, s in scores.items() if s + most >= floor}
    for j in scores:
        scores[j] += TOPIC_BONUS * len(mine & topic_sets[j])
    if len(scores) < count:
        _top_up(i, scores, topic_sets, by_topic, count)
    elif len(scores) > count:
        floor = sorted(scores.values())[-count]
        scores = {j: s for j, s in scores.items() if s >= floor}
    best = sorted(scores.items(), key=lambda kv: (-kv[1], keys[kv[0]]))[:count]
    return tuple(keys[j] for j, _ in best)


def find_related(
    papers: Sequence[Paper],
    topics: Mapping[str, Sequence[TopicMatch]],
    count: int = 6,
    fold_text: Callable[[str], str] = fold,
) -> dict[str, tuple[str, ...]]:
    """Paper key -> keys of up to `count` related papers, best first, never itself.

    `fold_text` is `texfrag.fold` or a memo of it shared with the topics stage."""
    keys = [p.key for p in papers]
    vectors = _vectors([(fold_text(p.title), fold_text(p.abstract)) for p in papers])
    post = _postings(vectors)
    topic_sets = [frozenset(m.topic for m in topics.get(k, ())) for k in keys]
    by_topic: dict[str, list[int]] = defaultdict(list)
    for i, ts in enumerate(topic_sets):
        for t in sorted(ts):
            by_topic[t].append(i)
    out: dict[str, tuple[str, ...]] = {}
    for i, vec in enumerate(vectors):
        out[keys[i]] = _rank(i, _text_scores(i, vec, post), keys, topic_sets, by_topic, count)
    return out


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
