"""Group records that are the same paper, explain every merge, and pick canonical text.

Evidence comes from both title and abstract. Candidate pairs come from blocking keys (never
all pairs): the folded title key, the first and last words of the title, and the opening of
the abstract. A pair merges on one of a few named rules; pairs just below the bar go to a
review queue. Merging two distinct papers destroys a page, so digits that differ between
titles (`X2` / `X2.5`) and clearly different abstracts veto a close title.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from .models import Merge, Paper, Record
from .texfrag import fold, fold_key

_BLOCK_LIMIT = 40
"""A blocking key shared by more records than this says nothing (`a survey of ...`): skipped."""
_ABSTRACT_PREFIX_WORDS = 12
_TRUNCATION_MARKS = ("…", "...")


@dataclass(frozen=True)
class Pair:
    """Two records compared, with the scores and the verdict."""

    a: Record
    b: Record
    rule: str
    """Merge rule that fired, or `review: <why>` for a pair left apart."""
    title_score: float
    abstract_score: float

    @property
    def merges(self) -> bool:
        return not self.rule.startswith("review")


@dataclass(frozen=True)
class DedupeResult:
    """Papers with their merge report and review queue."""

    papers: tuple[Paper, ...]
    merges: tuple[Merge, ...]
    review: tuple[Pair, ...]


@dataclass(frozen=True)
class _Norm:
    record: Record
    title: str
    key: str
    abstract: str
    truncated: bool
    digits: tuple[str, ...]


def _normalize(record: Record) -> _Norm:
    abstract = record.abstract.rstrip()
    truncated = abstract.endswith(_TRUNCATION_MARKS)
    title = fold(record.title)
    return _Norm(record, title, fold_key(record.title), fold(abstract), truncated, _numbers(record.title))


def _numbers(title: str) -> tuple[str, ...]:
    # Version numbers tell papers apart (`X2` / `X2.5`, `RT-1` / `RT-2`); `$A^2$` and `A^2` agree.
    return tuple(re.findall(r"\d+(?:\.\d+)*", fold(title).replace(" ", " ")))


def _blocking_keys(n: _Norm) -> Iterable[str]:
    words = n.title.split()
    yield "k:" + n.key
    if len(words) >= 3:
        yield "h:" + " ".join(words[:3])
        yield "t:" + " ".join(words[-3:])
    abstract_words = n.abstract.split()
    if len(abstract_words) >= _ABSTRACT_PREFIX_WORDS:
        yield "a:" + " ".join(abstract_words[:_ABSTRACT_PREFIX_WORDS])


def candidate_pairs(norms: Sequence[_Norm]) -> set[tuple[int, int]]:
    """Index pairs sharing a blocking key (blocks larger than _BLOCK_LIMIT are skipped)."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, n in enumerate(norms):
        for key in set(_blocking_keys(n)):
            blocks[key].append(i)
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        if 1 < len(members) <= _BLOCK_LIMIT:
            pairs.update((a, b) for x, a in enumerate(members) for b in members[x + 1 :])
    return pairs


def abstract_similarity(a: _Norm, b: _Norm) -> float:
    """0-100; a truncated abstract is compared with the same-length opening of the other."""
    x, y = a.abstract, b.abstract
    if a.truncated or b.truncated:
        short, long_ = (x, y) if len(x) <= len(y) else (y, x)
        return fuzz.ratio(short, long_[: len(short)])
    return fuzz.ratio(x, y)


def judge(a: _Norm, b: _Norm) -> Pair | None:
    """The verdict on one candidate pair, or None when they are plainly different papers."""
    t = fuzz.ratio(a.title, b.title)
    s = abstract_similarity(a, b)
    rule = _rule(a, b, t, s)
    if rule is None:
        return None
    return Pair(a.record, b.record, rule, round(t, 1), round(s, 1))


def _rule(a: _Norm, b: _Norm, t: float, s: float) -> str | None:
    same_numbers = a.digits == b.digits
    if a.key == b.key:
        return "same-title-key" if s >= 50 else "review: same title, different abstracts"
    if s >= 97 and (same_numbers or s >= 99.5):
        return "same-abstract"
    if not same_numbers:
        return "review: numbers in the titles differ" if t >= 85 else None
    if t >= 90 and s >= 70:
        return "close-title+abstract"
    if t >= 80 or s >= 60:
        return "review: below the merge bar"
    return None


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _order(record: Record) -> tuple[str, int]:
    return (record.file, record.line)


def find_duplicates(records: Sequence[Record]) -> DedupeResult:
    """Deduplicate records into papers; input order never changes the result."""
    ordered = sorted(records, key=_order)
    norms = [_normalize(r) for r in ordered]
    uf = _UnionFind(len(norms))
    pairs: dict[tuple[int, int], Pair] = {}
    for i, j in sorted(candidate_pairs(norms)):
        pair = judge(norms[i], norms[j])
        if pair is None:
            continue
        pairs[(i, j)] = pair
        if pair.merges:
            uf.union(i, j)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(norms)):
        groups[uf.find(i)].append(i)
    final_groups, review = _guard_chains(list(groups.values()), norms, pairs)
    papers, merges = _build_papers(final_groups, norms, pairs)
    review.extend(p for p in pairs.values() if not p.merges)
    owner = {r: p.key for p in papers for r in p.sources}
    review = [p for p in set(review) if owner[p.a] != owner[p.b]]
    return DedupeResult(tuple(papers), tuple(merges), tuple(sorted(review, key=_pair_order)))


def _pair_order(p: Pair) -> tuple[tuple[str, int], tuple[str, int]]:
    return (_order(p.a), _order(p.b))


def _guard_chains(
    groups: list[list[int]], norms: Sequence[_Norm], pairs: dict[tuple[int, int], Pair]
) -> tuple[list[list[int]], list[Pair]]:
    """A group whose members are not all close to each other is split and its links reviewed."""
    out: list[list[int]] = []
    review: list[Pair] = []
    for group in groups:
        loose = [
            (i, j) for x, i in enumerate(group) for j in group[x + 1 :] if not _close(norms[i], norms[j])
        ]
        if not loose:
            out.append(group)
            continue
        for i, j in loose:
            t = fuzz.ratio(norms[i].title, norms[j].title)
            s = abstract_similarity(norms[i], norms[j])
            review.append(Pair(norms[i].record, norms[j].record, "review: chained group", round(t, 1), round(s, 1)))
        out.extend(_split_on_strong_links(group, norms, pairs))
    return out, review


def _close(a: _Norm, b: _Norm) -> bool:
    return a.key == b.key or abstract_similarity(a, b) >= 70 or fuzz.ratio(a.title, b.title) >= 90


def _split_on_strong_links(
    group: list[int], norms: Sequence[_Norm], pairs: dict[tuple[int, int], Pair]
) -> list[list[int]]:
    """Within a chained group, keep only links between identical title keys."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for i in group:
        by_key[norms[i].key].append(i)
    return list(by_key.values())


def _build_papers(
    groups: list[list[int]], norms: Sequence[_Norm], pairs: dict[tuple[int, int], Pair]
) -> tuple[list[Paper], list[Merge]]:
    links: dict[int, list[tuple[int, Pair]]] = defaultdict(list)
    for (i, j), pair in pairs.items():
        if pair.merges:
            links[i].append((j, pair))
            links[j].append((i, pair))
    papers: list[Paper] = []
    merges: list[Merge] = []
    for group in groups:
        members = [norms[i] for i in group]
        canonical = choose_canonical(members)
        title = canonical.record.title
        aliases = tuple(sorted({m.record.title for m in members} - {title}))
        sources = tuple(sorted((m.record for m in members), key=_order))
        papers.append(Paper(fold_key(title), title, _choose_abstract(members), aliases, sources))
        members_set = set(group)
        for i in group:
            if norms[i] is not canonical:
                merges.append(_explain(i, canonical, members_set, norms, links))
    papers.sort(key=lambda p: (p.key, _order(p.sources[0])))
    merges.sort(key=lambda m: (_order(m.into), _order(m.record)))
    return papers, merges


def _explain(
    idx: int, canonical: _Norm, group: set[int], norms: Sequence[_Norm], links: dict[int, list[tuple[int, Pair]]]
) -> Merge:
    # The strongest merging pair that involves this member names the rule.
    member = norms[idx]
    best = max(
        (p for other, p in links.get(idx, ()) if other in group),
        key=lambda p: (p.abstract_score + p.title_score, p.rule),
        default=None,
    )
    if best is None:
        return Merge(member.record, canonical.record, "same-title-key", 100.0)
    return Merge(member.record, canonical.record, best.rule, max(best.title_score, best.abstract_score))


def _cleanliness(title: str) -> int:
    """Higher is cleaner: no doubled spaces, odd Unicode, trailing dots, all-lowercase words."""
    penalty = 0
    penalty += title != " ".join(title.split())
    penalty += any(ch in title for ch in "\u00a0\u2010\u2011\u2012\u2013\u2014")
    penalty += title.rstrip().endswith((".", ",", ";", "…"))
    penalty += title == title.lower() or title == title.upper()
    return -penalty


def choose_canonical(members: Sequence[_Norm]) -> _Norm:
    """Most frequent title variant, then cleanest, then the one keeping TeX, then stable order."""
    counts = Counter(m.record.title for m in members)

    def rank(m: _Norm) -> tuple[int, int, int, str, tuple[str, int]]:
        t = m.record.title
        return (-counts[t], -_cleanliness(t), -("$" in t or "\\" in t), t, _order(m.record))

    return min(members, key=rank)


def _choose_abstract(members: Sequence[_Norm]) -> str:
    """The longest untruncated abstract (the longest truncated one if all are cut)."""

    def rank(m: _Norm) -> tuple[bool, int, str]:
        return (m.truncated, -len(m.record.abstract), m.record.abstract)

    return min(members, key=rank).record.abstract
