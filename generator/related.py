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
from collections.abc import Mapping, Sequence

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


def _terms(paper: Paper) -> Counter[str]:
    text = " ".join([fold(paper.title)] * TITLE_REPEAT + [fold(paper.abstract)])
    return Counter(w for w in text.split() if len(w) > 2 and w not in _STOPWORDS and not w.isdigit())


def _vectors(papers: Sequence[Paper]) -> list[dict[str, float]]:
    counts = [_terms(p) for p in papers]
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    n = len(papers)
    vectors = []
    for c in counts:
        weights = {t: (1 + math.log(tf)) * math.log((1 + n) / (1 + df[t])) for t, tf in c.items() if df[t] > 1}
        top = heapq.nlargest(TOP_TERMS, weights.items(), key=lambda kv: (kv[1], kv[0]))
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        vectors.append({t: w / norm for t, w in top})
    return vectors


def find_related(
    papers: Sequence[Paper], topics: Mapping[str, Sequence[TopicMatch]], count: int = 6
) -> dict[str, tuple[str, ...]]:
    """Paper key -> keys of up to `count` related papers, best first, never itself."""
    keys = [p.key for p in papers]
    vectors = _vectors(papers)
    postings: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for i, vec in enumerate(vectors):
        for term, w in vec.items():
            postings[term].append((w, i))
    for term, plist in postings.items():
        if len(plist) > POSTINGS_CAP:
            postings[term] = heapq.nlargest(POSTINGS_CAP, plist)
    topic_sets = [frozenset(m.topic for m in topics.get(k, ())) for k in keys]
    by_topic: dict[str, list[int]] = defaultdict(list)
    for i, ts in enumerate(topic_sets):
        for t in sorted(ts):
            by_topic[t].append(i)
    out: dict[str, tuple[str, ...]] = {}
    for i, vec in enumerate(vectors):
        scores: dict[int, float] = defaultdict(float)
        for term, w in vec.items():
            for w2, j in postings[term]:
                if j != i:
                    scores[j] += w * w2
        for j in list(scores):
            scores[j] += TOPIC_BONUS * len(topic_sets[i] & topic_sets[j])
        if len(scores) < count:
            _top_up(i, scores, topic_sets, by_topic, count)
        best = heapq.nsmallest(count, scores.items(), key=lambda kv: (-kv[1], keys[kv[0]]))
        out[keys[i]] = tuple(keys[j] for j, _ in best)
    return out


def _top_up(
    i: int, scores: dict[int, float], topic_sets: Sequence[frozenset[str]], by_topic: Mapping[str, list[int]], count: int
) -> None:
    """Fill a sparse neighbour list from papers sharing a topic (small scores keep text matches first)."""
    for t in sorted(topic_sets[i]):
        for j in by_topic[t]:
            if len(scores) >= count * 2:
                return
            if j != i and j not in scores:
                scores[j] = TOPIC_BONUS * len(topic_sets[i] & topic_sets[j]) * 0.5
