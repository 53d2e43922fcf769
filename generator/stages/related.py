"""Related papers: the ones a reader would call close, from title and abstract, with the reason.

Candidates come from TF-IDF vectors over the folded title and abstract: words outside a domain
stop list, and the title's adjacent word pairs (a shared "diffusion policy" says more than a
shared "diffusion" and "policy"), with sublinear counts and the title counted TITLE_REPEAT times.
Such a vector keeps its TOP_TERMS heaviest terms, the rare ones that say what a paper is about;
each term's postings keep the POSTINGS_CAP papers where it weighs most, a paper's candidates are
those met most often in the postings of its GATHER heaviest terms, and the SHORTLIST first of
them that share MIN_SHARED terms are scored. Never all pairs.

The score is the cosine of the two papers' *whole* word vectors (every word of title and abstract
outside the function words; smoothed IDF, so that the words of a field, "offline", "manipulation",
count beside the rare ones; sublinear counts), plus TOPIC_WEIGHT times the overlap (Jaccard) of
the topics both rest on strong evidence for (a curator's pin, or a title phrase with abstract
support). Judged against a curator's verdicts (benchmarks/judged/), the whole vectors separate
related from unrelated papers far better than the truncated ones (they miss the field's common
words). A candidate with no such shared topic needs a cosine of ALONE. Hubs, papers close to
everything, are damped as cross-domain similarity local scaling does: a pair's rank score loses
HUB_WEIGHT times the mean of both papers' HUB_K best scores. Pairs are then placed best first over
the whole catalogue, no paper in more than MAX_LISTS lists. A paper gets up to `count` links
scoring at least STRONG, and its first FEW may score down to ENOUGH; it is never padded with weak
matches, so some papers have fewer, and a few none. Each link carries why: the terms both weigh
most, the topics both share.

Deterministic and independent of input order: every tie breaks on the paper keys, and the word
ids of the whole vectors follow the words' order.
"""

from __future__ import annotations

import itertools
import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter
from typing import NamedTuple

import numpy as np
from scipy.sparse import csr_matrix

from generator.models import Paper, RelatedLink, SplitWork, TopicMatch, one_process
from generator.texfrag import fold

TOP_TERMS = 24
POSTINGS_CAP = 16
TITLE_REPEAT = 2
PAIR_WEIGHT = 1.3
"""A word pair's weight against a single word's of the same rarity."""
TOPIC_WEIGHT = 0.05
"""Times the Jaccard overlap of both papers' strong topics: text decides, topics confirm."""
IDF_SMOOTH = 1.0
"""Added to every word's IDF in the whole vectors (as scikit-learn's smooth IDF does)."""
BLOCK = 2_000
"""Papers whose candidates' cosines are computed in one array operation."""
STRONG_TOPIC = 4
"""A topic match scoring this (a title phrase and an abstract one, or a pin) is strong evidence."""
MIN_SHARED = 2
# The thresholds below are set on the tuning part of the judged related papers
# (benchmarks/judged/related_1.yml), never on the held-aside part.
ALONE = 0.25
"""The cosine at which text alone makes a link; below it, the two papers must share a strong topic."""
ENOUGH = 0.11
"""The least cosine of a link (with a shared strong topic)."""
STRONG = 0.2
"""The least score (cosine plus topic overlap) of a paper's links beyond its first FEW."""
FEW = 3
HUB_K = 8
HUB_WEIGHT = 1.0
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


def _counts(title: str, abstract: str) -> Counter[str]:
    """A text's terms and their counts: its abstract's words, its title's terms TITLE_REPEAT times."""
    counts = Counter(abstract.split())
    for t in title_terms(title):
        counts[t] += TITLE_REPEAT
    return counts


def _vector(counts: Mapping[str, int], idf: Mapping[str, float], unique: float) -> _Vector:
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


class _Whole(NamedTuple):
    """The columns of the whole word vectors: words of more than one paper, in word order."""

    codes: Mapping[str, int]
    """Every term of every paper -> its column, or ALONE_WORD (a word of one paper only: it
    matches nothing but counts in the paper's length), or NOT_A_WORD (a pair, a function word)."""
    idf: np.ndarray
    """Per column, its word's smoothed IDF."""
    unique: float
    """The smoothed IDF of a word of one paper only."""


NOT_A_WORD, ALONE_WORD = -1, -2


def _whole_columns(df: Mapping[str, int], n: int) -> _Whole:
    codes = dict.fromkeys(df, NOT_A_WORD)
    vocabulary = []
    for w, d in df.items():  # one pass: a whole word of more than one paper gets a column below
        if " " not in w and _is_whole_word(w):
            if d > 1:
                vocabulary.append(w)
            else:
                codes[w] = ALONE_WORD
    vocabulary.sort()
    codes.update((w, k) for k, w in enumerate(vocabulary))
    idf = np.array([math.log((1 + n) / (1 + df[w])) + IDF_SMOOTH for w in vocabulary])
    return _Whole(codes, idf, math.log((1 + n) / 2) + IDF_SMOOTH)


def _is_whole_word(word: str) -> bool:
    """Whether a word counts in the whole vectors: any but a function word, a number or a letter."""
    return len(word) > 1 and (_CLASS.get(word) or _word_class(word)) != NEVER


class _Terms(NamedTuple):
    """Every term of a range of papers, packed: its code (`_Whole.codes`) and count, and how many
    terms each paper has."""

    codes: array[int]
    counts: array[int]
    sizes: array[int]


def _vectors_and_whole(texts: Sequence[tuple[str, str]], split: SplitWork) -> tuple[list[_Vector], csr_matrix]:
    """Each text's vector of TOP_TERMS terms, and the matrix of their whole word vectors (rows
    of unit length), from one pass over the texts' counts."""
    n = len(texts)
    counts = split(lambda start, stop: _document_counts(texts, start, stop), n, n)
    df = counts[0]
    for more in counts[1:]:
        df.update(more)
    idf = _idf(df, n)
    whole = _whole_columns(df, n)
    del df, counts
    unique = math.log((1 + n) / 2)  # the inverse document frequency of a term of one paper
    code = whole.codes.__getitem__  # every term of every text has a code

    def both(start: int, stop: int) -> list[tuple[list[_Vector], _Terms]]:
        vectors, terms = [], _Terms(array("i"), array("i"), array("i"))
        for title, abstract in texts[start:stop]:
            c = _counts(title, abstract)
            vectors.append(_vector(c, idf, unique))
            terms.codes.extend(map(code, c))
            terms.counts.extend(c.values())
            terms.sizes.append(len(c))
        return [(vectors, terms)]

    parts = split(both, n, n)
    return [v for vectors, _ in parts for v in vectors], _matrix([t for _, t in parts], whole)


def _packed(parts: Sequence[_Terms], field: str) -> np.ndarray:
    return np.concatenate(
        [np.frombuffer(getattr(p, field), np.int32) for p in parts if len(getattr(p, field))] or [np.zeros(0, np.int32)]
    )


def _matrix(parts: Sequence[_Terms], whole: _Whole) -> csr_matrix:
    """The whole word vectors of the papers of `parts`, in order: rows of unit length, sorted indices."""
    codes, counts, sizes = (_packed(parts, f) for f in ("codes", "counts", "sizes"))
    n = len(sizes)
    row = np.repeat(np.arange(n), sizes)
    log_tf = 1 + np.log(counts)
    alone = codes == ALONE_WORD
    squares = np.bincount(row[alone], weights=(log_tf[alone] * whole.unique) ** 2, minlength=n)
    kept = codes >= 0
    columns, row = codes[kept].astype(np.int64), row[kept]
    data = log_tf[kept] * whole.idf[columns]
    squares += np.bincount(row, weights=data * data, minlength=n)
    norms = np.sqrt(squares)
    norms[norms == 0] = 1.0
    indptr = np.concatenate([np.zeros(1, np.int64), np.cumsum(np.bincount(row, minlength=n))])
    matrix = csr_matrix((data / norms[row], columns, indptr), shape=(n, len(whole.idf)))
    matrix.sort_indices()
    return matrix


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


def _shortlist(i: int, ctx: _Context) -> array[int]:
    """Candidates: the papers met most often in the postings of the paper's GATHER heaviest
    terms; of the SHORTLIST first, those sharing MIN_SHARED terms with it."""
    papers_of = ctx.post.papers
    mine = ctx.vectors[i]
    met: Counter[int] = Counter()
    met.update(itertools.chain.from_iterable(papers_of.get(t, ()) for t in itertools.islice(mine, GATHER)))
    met.pop(i, None)
    # sorted() is stable: ties keep the order they were met in, itself fixed by the postings.
    short = sorted(met.items(), key=itemgetter(1), reverse=True)[:SHORTLIST]
    my_terms, term_sets = ctx.term_sets[i], ctx.term_sets
    return array("l", [j for j, _ in short if len(my_terms & term_sets[j]) >= MIN_SHARED])


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _near(i: int, others: Sequence[int], cosines: Sequence[float], strong: Sequence[frozenset[str]]) -> _Near:
    """A paper's scored candidates (`cosines[k]`: of whole vectors, with `others[k]`)."""
    exact = sorted(zip(cosines, others, strict=True), key=itemgetter(0), reverse=True)
    radius = sum(c for c, _ in exact[:HUB_K]) / HUB_K
    mine = strong[i]
    scored = []
    for c, j in exact:
        if c < ENOUGH:
            break
        overlap = _jaccard(mine, strong[j])
        if c >= ALONE or overlap:
            scored.append((c + TOPIC_WEIGHT * overlap, j))
    scored.sort(key=itemgetter(0), reverse=True)
    del scored[CANDIDATES:]
    return _Near(radius, tuple(c for c, _ in scored), tuple(j for _, j in scored))


def _nearest(ctx: _Context, whole: csr_matrix, start: int, stop: int) -> list[_Near]:
    """The scored candidates of papers start..stop, BLOCK papers at a time: their shortlists,
    then the cosines of all those pairs' whole vectors in one array operation."""
    out = []
    for first in range(start, stop, BLOCK):
        block = range(first, min(stop, first + BLOCK))
        shortlists = [_shortlist(i, ctx) for i in block]
        sizes = [len(c) for c in shortlists]
        if not sum(sizes):
            out += [_Near(0.0, (), ()) for _ in block]
            continue
        rows = whole[np.repeat(np.arange(block.start, block.stop), sizes)]
        others = whole[np.concatenate([np.frombuffer(c, np.int64) for c in shortlists])]
        cosines = np.asarray(rows.multiply(others).sum(axis=1)).ravel().tolist()
        end = 0
        for i, candidates in zip(block, shortlists, strict=True):
            out.append(_near(i, candidates, cosines[end : end + len(candidates)], ctx.strong))
            end += len(candidates)
    return out


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
    texts = [(fold_text(p.title), fold_text(p.abstract)) for p in papers]
    vectors, whole = _vectors_and_whole(texts, split)
    strong = [frozenset(m.topic for m in topics.get(k, ()) if m.score >= STRONG_TOPIC) for k in keys]
    ctx = _Context(vectors, [frozenset(v) for v in vectors], _postings(vectors), strong)
    near = split(lambda start, stop: _nearest(ctx, whole, start, stop), n, n)
    lists = _place(near, count)

    def reasons(start: int, stop: int) -> list[tuple[RelatedLink, ...]]:
        out = []
        for i in range(start, stop):
            mine = [m.topic for m in topics.get(keys[i], ())]
            out.append(tuple(_reason(i, j, ctx, mine, keys[j]) for j in lists[i]))
        return out

    return dict(zip(keys, split(reasons, n, n), strict=True))
