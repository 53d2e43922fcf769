"""Related papers: the ones a reader would call close, from title and abstract, with the reason.

Text similarity is TF-IDF over the folded title and abstract: words outside a domain stop list,
and the title's adjacent word pairs (a shared "diffusion policy" says more than a shared
"diffusion" and "policy"), with sublinear counts and the title counted TITLE_REPEAT times. A
paper's vector keeps its TOP_TERMS heaviest terms; its length counts all its words, so two
papers sharing two words and saying much else are not close. Candidates are never all pairs:
each term's postings keep the POSTINGS_CAP papers where it weighs most, a paper's candidates are
those met most often in the postings of its GATHER heaviest terms, and only the SHORTLIST first
of them are scored exactly (the cosine of the two vectors).

A candidate needs MIN_SHARED shared terms, and a shared topic that rests on strong evidence (a
curator's pin, or a title phrase with abstract support) unless its cosine reaches ALONE; it scores
its cosine plus TOPIC_BONUS per such topic. Hubs, papers close to everything, are damped as
cross-domain similarity local scaling does: a pair's rank score loses HUB_WEIGHT times the mean of
both papers' HUB_K best scores. Pairs are then placed best first over the whole catalogue, no
paper in more than MAX_LISTS lists. A paper gets up to `count` links scoring at least STRONG, and
its first FEW may score down to ENOUGH; it is never padded with weak matches, so some papers have
fewer, and a few none. Each link carries why: the terms both weigh most, the topics both share.

Deterministic and independent of input order: every tie breaks on the paper keys.
"""

from __future__ import annotations

import itertools
import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter
from typing import NamedTuple

from generator.models import Paper, RelatedLink, SplitWork, TopicMatch, one_process
from generator.texfrag import fold

TOP_TERMS = 24
POSTINGS_CAP = 16
TITLE_REPEAT = 2
PAIR_WEIGHT = 1.3
"""A word pair's weight against a single word's of the same rarity."""
TOPIC_BONUS = 0.05
"""Added per shared strong topic: text decides, topics confirm."""
STRONG_TOPIC = 4
"""A topic match scoring this (a title phrase and an abstract one, or a pin) is strong evidence."""
MIN_SHARED = 2
ALONE = 0.2
"""The cosine at which text alone makes a link; below it, the two papers must share a strong topic."""
ENOUGH = 0.04
"""The least cosine of a link (with a shared strong topic)."""
STRONG = 0.14
"""The least score (cosine plus topic bonus) of a paper's links beyond its first FEW."""
FEW = 3
HUB_K = 8
HUB_WEIGHT = 0.5
MAX_LISTS = 12
GATHER = 10
"""A paper's heaviest terms whose postings give its candidates."""
SHORTLIST = 24
"""Candidates, those met in most of those postings, whose whole cosine is computed."""
CANDIDATES = 10
"""Candidates per paper carried into the catalogue-wide placement."""
REASON_TERMS = 3


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_FUNCTION_WORDS = _words(
    """
    a an and are as at be been by can could do does for from has have how in into is it its of
    on or our over such that the their them then these they this those to under upon use used
    uses using via was we were what when where which while who why will with within without than
    not no nor also both more most less many much very each other any all some only so if but
    between through across toward towards among per vs versus
    """
)
_GENERIC_WORDS = _words(
    """
    based new paper propose proposed proposes present presents introduce introduces show shows
    shown method methods approach approaches results result learning learn learned model models
    task tasks data framework frameworks novel performance existing achieve achieves demonstrate
    demonstrates experiments experimental significantly outperforms outperform various problem
    problems work works recent recently study studies state art however first large different
    challenging challenge challenges effective effectively extensive well better improve
    improves improved improving key important address often still even further thus whereas make
    makes enables enable allows allow provide provides given set way ways time able need needs
    across efficient efficiency simple strong high low wide range including specifically about
    utilize utilized utilizes utilizing leverage leverages leveraging enhance enhances enhancing
    enhanced advance advances advancing adaptive idea ideas core like questions gap gaps perform
    performs performing complex significant substantial remains remain limited lack lacks
    typically usually generally widely adopted crucial essential promising powerful robust
    comprehensive diverse multiple several specific general generalization ability abilities
    capability capabilities potential impact best best way due resulting lead leads leading
    obtain obtained obtains successful success successfully finally moreover furthermore
    additionally respectively able towards toward analysis analyze analyzing consider considers
    considered develop developed developing design designed designing build building built apply
    applied applying evaluate evaluated evaluating evaluation real world
    """
)


_CLASS: dict[str, int] = {}
"""Word -> NEVER, PAIRED (a generic word: in pairs only), SHORT (too short alone) or WORD."""
NEVER, PAIRED, SHORT, WORD = 1, 2, 3, 4


def _word_class(word: str) -> int:
    """What a word may be in a term, learnt once per distinct word."""
    if word in _FUNCTION_WORDS or word.isdigit():
        c = NEVER
    elif word in _GENERIC_WORDS:
        c = PAIRED
    else:
        c = SHORT if len(word) <= 2 else WORD
    _CLASS[word] = c
    return c


def _is_word(word: str) -> bool:
    return (_CLASS.get(word) or _word_class(word)) == WORD


def title_terms(text: str) -> list[str]:
    """A folded title's terms: its words outside the stop lists ("policy"), and its pairs of
    adjacent words where neither is a function word and not both are generic ("q learning",
    "world model", not "of the" or "learning model"). An abstract's terms are its words only."""
    words = text.split()
    get = _CLASS.get
    classes = [get(w) or _word_class(w) for w in words]
    out = [w for w, c in zip(words, classes, strict=True) if c == WORD]
    out += [
        f"{a} {b}"
        for a, b, ca, cb in zip(words, words[1:], classes, classes[1:], strict=False)
        if ca != NEVER and cb != NEVER and (ca != PAIRED or cb != PAIRED)
    ]
    return out


_Vector = dict[str, float]
"""A paper's TOP_TERMS heaviest terms, heaviest first, and their weights (unit length)."""


def _document_counts(texts: Sequence[tuple[str, str]], start: int, stop: int) -> list[Counter[str]]:
    """In how many of texts[start:stop] each title term and abstract word occurs (stop words
    too: `_idf` drops them, once per distinct word rather than once per word of every text)."""
    df: Counter[str] = Counter()
    for title, abstract in texts[start:stop]:
        df.update(set(abstract.split()).union(title_terms(title)))
    return [df]


def _idf(df: Mapping[str, int], n: int) -> dict[str, float]:
    """Inverse document frequency of every term found in more than one paper. A pair weighs
    PAIR_WEIGHT times its rarer word, never more: two common words rarely side by side ("key
    idea") are no rarer a subject than either word."""
    idf = {t: math.log((1 + n) / (1 + d)) for t, d in df.items() if 1 < d < n and (" " in t or _is_word(t))}
    for t in [t for t in idf if " " in t]:
        a, b = t.split(" ")
        idf[t] = min(idf[t], max(idf.get(a, 0.0), idf.get(b, 0.0))) * PAIR_WEIGHT
    return idf


def _vector(title: str, abstract: str, idf: Mapping[str, float], unique: float) -> _Vector:
    counts = Counter(abstract.split())
    for t in title_terms(title):
        counts[t] += TITLE_REPEAT
    get, cls = idf.get, _CLASS.get  # idf holds the terms of more than one paper
    weighted = []
    alone = 0.0
    for t, tf in counts.items():
        x = get(t)
        if x is not None:
            weighted.append((_LOG1[tf] * x, t))
        elif " " in t or (cls(t) or _word_class(t)) == WORD:  # a term of this paper only: no match, but text
            alone += (_LOG1[tf] * unique) ** 2
    weighted.sort(reverse=True)  # (weight, term): ties go to the later term
    top = weighted[:TOP_TERMS]
    # The length counts every term, matched or not: a paper that shares two words and says much
    # else is not close to the papers it shares them with.
    norm = math.sqrt(sum(w * w for w, _ in weighted) + alone) or 1.0
    return {t: w / norm for w, t in top}


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
    unique = math.log((1 + n) / 2)  # the inverse document frequency of a term of one paper
    return split(lambda start, stop: [_vector(t, a, idf, unique) for t, a in texts[start:stop]], n, n)


class _Postings(NamedTuple):
    """Per term, the papers where it weighs most (at most POSTINGS_CAP) and their weights."""

    papers: dict[str, array[int]]
    weights: dict[str, array[float]]


def _postings(vectors: Sequence[_Vector]) -> _Postings:
    lists: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for i, vec in enumerate(vectors):
        for term, w in vec.items():
            lists[term].append((w, i))
    papers: dict[str, array[int]] = {}
    weights: dict[str, array[float]] = {}
    for term, plist in lists.items():
        if len(plist) < 2:
            continue
        if len(plist) > POSTINGS_CAP:
            plist.sort(reverse=True)
            del plist[POSTINGS_CAP:]
        # Packed arrays, not tuples of int and float objects: at 100k papers those objects lie
        # all over the heap, and reading them cost more than the arithmetic.
        papers[term] = array("l", [j for _, j in plist])
        weights[term] = array("d", [w for w, _ in plist])
    return _Postings(papers, weights)


class _Context(NamedTuple):
    """What scoring one paper's candidates reads."""

    vectors: Sequence[_Vector]
    term_sets: Sequence[frozenset[str]]
    """Each vector's terms (intersecting frozensets is the fastest way to find shared terms)."""
    post: _Postings
    strong: Sequence[frozenset[str]]
    """Each paper's topics resting on strong evidence."""


class _Near(NamedTuple):
    """One paper's nearest candidates, before the catalogue-wide placement."""

    radius: float
    """Mean of its HUB_K best scores (zero-padded): how crowded its neighbourhood is."""
    scores: tuple[float, ...]
    others: tuple[int, ...]


def _near(i: int, ctx: _Context) -> _Near:
    """Candidates: the papers met most often in the postings of the paper's GATHER heaviest
    terms; the SHORTLIST first of them are scored exactly (the cosine of the two vectors)."""
    vectors, papers_of = ctx.vectors, ctx.post.papers
    mine = vectors[i]
    met: Counter[int] = Counter()
    met.update(itertools.chain.from_iterable(papers_of.get(t, ()) for t in itertools.islice(mine, GATHER)))
    met.pop(i, None)
    # sorted() is stable: ties keep the order they were met in, itself fixed by the postings.
    short = sorted(met.items(), key=itemgetter(1), reverse=True)[:SHORTLIST]
    my_terms, term_sets = ctx.term_sets[i], ctx.term_sets
    exact = []
    for j, _ in short:
        shared = my_terms & term_sets[j]
        if len(shared) >= MIN_SHARED:
            theirs = vectors[j]
            exact.append((sum([mine[t] * theirs[t] for t in shared]), j))
    exact.sort(key=itemgetter(0), reverse=True)
    radius = sum(s for s, _ in exact[:HUB_K]) / HUB_K
    strong, strong_of = ctx.strong[i], ctx.strong
    scored = []
    for s, j in exact:
        if s < ENOUGH:
            break
        shared_topics = len(strong & strong_of[j])
        if s >= ALONE or shared_topics:
            scored.append((s + TOPIC_BONUS * shared_topics, j))
    scored.sort(key=itemgetter(0), reverse=True)
    del scored[CANDIDATES:]
    return _Near(radius, tuple(s for s, _ in scored), tuple(j for _, j in scored))


def _place(near: Sequence[_Near], count: int) -> list[list[int]]:
    """Each paper's related papers: pairs best first by hub-damped score over the catalogue, at
    most `count` per paper (beyond FEW, only STRONG ones) and MAX_LISTS lists per related paper.
    Papers are in key order, so ties broken on indexes are ties broken on keys."""
    half = HUB_WEIGHT / 2
    pairs = [
        (half * (n.radius + near[j].radius) - s, i, j, s)
        for i, n in enumerate(near)
        for s, j in zip(n.scores, n.others, strict=True)
    ]
    pairs.sort()
    lists: list[list[int]] = [[] for _ in near]
    listed = [0] * len(near)
    for _, i, j, s in pairs:
        mine = lists[i]
        if len(mine) >= count or listed[j] >= MAX_LISTS or (len(mine) >= FEW and s < STRONG):
            continue
        mine.append(j)
        listed[j] += 1
    return lists


def _reason(i: int, j: int, ctx: _Context, order: Sequence[str], other: str) -> RelatedLink:
    """Why j is related to i: the shared terms that weigh most in both, and shared strong topics."""
    a, b = ctx.vectors[i], ctx.vectors[j]
    shared = sorted(((a[t] * b[t], t) for t in ctx.term_sets[i] & ctx.term_sets[j]), key=lambda x: (-x[0], x[1]))
    chosen: list[str] = []
    used: set[str] = set()
    for _, t in shared:
        words = set(t.split())
        if words & used:
            continue
        chosen.append(t)
        used |= words
        if len(chosen) == REASON_TERMS:
            break
    topics = ctx.strong[i] & ctx.strong[j]
    return RelatedLink(other, tuple(chosen), tuple(t for t in order if t in topics))


def find_related(
    papers: Sequence[Paper],
    topics: Mapping[str, Sequence[TopicMatch]],
    count: int = 6,
    fold_text: Callable[[str], str] = fold,
    split: SplitWork = one_process,
) -> dict[str, tuple[RelatedLink, ...]]:
    """Paper key -> up to `count` related papers (`other` is a paper key), best first, each with
    why; never itself.

    `fold_text` is `texfrag.fold` or a memo of it shared with the topics stage; `split`
    (models.SplitWork) only changes the speed."""
    order = sorted(range(len(papers)), key=lambda i: papers[i].key)
    papers = [papers[i] for i in order]
    keys = [p.key for p in papers]
    n = len(papers)
    vectors = _vectors([(fold_text(p.title), fold_text(p.abstract)) for p in papers], split)
    strong = [frozenset(m.topic for m in topics.get(k, ()) if m.score >= STRONG_TOPIC) for k in keys]
    ctx = _Context(vectors, [frozenset(v) for v in vectors], _postings(vectors), strong)
    near = split(lambda start, stop: [_near(i, ctx) for i in range(start, stop)], n, n)
    lists = _place(near, count)

    def reasons(start: int, stop: int) -> list[tuple[RelatedLink, ...]]:
        out = []
        for i in range(start, stop):
            mine = [m.topic for m in topics.get(keys[i], ())]
            out.append(tuple(_reason(i, j, ctx, mine, keys[j]) for j in lists[i]))
        return out

    return dict(zip(keys, split(reasons, n, n), strict=True))
