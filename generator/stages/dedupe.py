"""Group records that are the same paper, explain every merge, and pick canonical text.

Evidence comes from both title and abstract. Candidate pairs come from blocking keys (never
all pairs): the folded title key, the first and last two and three words of the title, and the
opening of the abstract. A pair merges on one of a few named rules; pairs just below the bar go to a
review queue. Merging two distinct papers destroys a page, so digits that differ between
titles (`X2` / `X2.5`) and clearly different abstracts veto a close title.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import combinations

from rapidfuzz import fuzz

from generator.models import Merge, Pair, Paper, Record, Rule, SplitWork, one_process, paper_keys
from generator.texfrag import fold, key_of_folded, to_plain

_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹₀₁₂₃₄₅₆₇₈₉", "01234567890123456789")

_BLOCK_LIMIT = 40
"""Records of one block compared all with all; a larger block is compared with bounded work."""
_ABSTRACT_PREFIX_WORDS = 12
_TRUNCATION_MARKS = ("…", "...")


@dataclass(frozen=True)
class DedupeResult:
    """Papers with their merge report and review queue."""

    papers: tuple[Paper, ...]
    merges: tuple[Merge, ...]
    review: tuple[Pair, ...]
    """Close pairs left apart, for a curator to confirm."""
    kept_apart: tuple[Pair, ...] = ()
    """Close pairs a curator already keeps apart (`keep_apart:`): confirmed, not to review."""


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
    # The key is curation's `fold_key` too (it finds records by title), from the one fold.
    title = fold(record.title)
    return _Norm(record, title, key_of_folded(title), _fold_abstract(abstract), truncated, _numbers(record.title))


def _fold_abstract(text: str) -> str:
    # Abstracts are long: case and spacing are folded, punctuation kept (the regex pass of
    # `fold` costs more than every comparison of a typical record together).
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    elif text.isprintable() and "  " not in text and not text.startswith(" ") and not text.endswith(" "):
        return text.lower().rstrip("….")  # already single-spaced ASCII: nothing to split and re-join
    return " ".join(text.casefold().split()).rstrip("….")


def _numbers(title: str) -> tuple[str, ...]:
    # Version numbers tell papers apart (`X2` / `X2.5`, `RT-1` / `RT-2`); `$A^2$` and `A^2` agree.
    if any(mark in title for mark in "\\$^_"):
        title = to_plain(title)
    if not title.isascii():  # only non-ASCII text can hold super- and subscript digits
        title = title.translate(_DIGITS)
    return tuple(_NUMBER_RE.findall(title))


_NUMBER_RE = re.compile(r"\d+(?:\.\d+)*")


def _blocking_keys(n: _Norm) -> Iterable[str]:
    words = n.title.split()
    yield "k:" + n.key
    # Word runs at both ends: a typo or a swapped word elsewhere in the title still shares one.
    if len(words) >= 3:
        yield "h:" + " ".join(words[:3])
        yield "t:" + " ".join(words[-3:])
        yield "h2:" + " ".join(words[:2])
        yield "t2:" + " ".join(words[-2:])
    abstract_words = n.abstract.split(maxsplit=_ABSTRACT_PREFIX_WORDS)  # the opening words and the rest
    if len(abstract_words) >= _ABSTRACT_PREFIX_WORDS:
        yield "a:" + " ".join(abstract_words[:_ABSTRACT_PREFIX_WORDS])


def candidate_pairs(norms: Sequence[_Norm]) -> set[tuple[int, int]]:
    """Index pairs sharing a blocking key. A block of more than _BLOCK_LIMIT records is never
    dropped whole (a paper that trends for weeks is listed in dozens of dumps): see _large_block."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, n in enumerate(norms):
        for key in set(_blocking_keys(n)):
            blocks[key].append(i)
    pairs: set[tuple[int, int]] = set()
    for key, members in blocks.items():
        if len(members) <= 1:
            continue
        if len(members) <= _BLOCK_LIMIT:
            pairs.update(combinations(members, 2))  # members ascend, so each pair is (low, high)
        else:
            pairs.update(_large_block(key, members, norms))
    return pairs


_EXACT_KINDS = ("k:", "a:")
"""Blocks of one title key or one abstract opening: their records are likely one paper at any count."""


def _large_block(key: str, members: list[int], norms: Sequence[_Norm]) -> Iterable[tuple[int, int]]:
    """Pairs of a block too large for all pairs, with bounded work. Records identical in folded
    title and abstract form one class, linked to its first member (copies of one listing: n - 1
    pairs, not n²). The classes' first members are then paired all with all if few enough;
    otherwise, in a title-key or abstract-opening block, each with its _BLOCK_LIMIT neighbours in
    abstract order (a cut or revised abstract sorts next to the full one), and in a block of
    shared title words (`a survey of ...`), which says nothing, not at all."""
    classes: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i in members:
        classes[(norms[i].title, norms[i].abstract)].append(i)
    for copies in classes.values():
        yield from ((copies[0], j) for j in copies[1:])
    firsts = sorted(copies[0] for copies in classes.values())
    if len(firsts) <= _BLOCK_LIMIT:
        yield from combinations(firsts, 2)
    elif key.startswith(_EXACT_KINDS):
        by_text = sorted(firsts, key=lambda i: (norms[i].abstract, norms[i].title, i))
        for x, i in enumerate(by_text):
            for j in by_text[x + 1 : x + _BLOCK_LIMIT]:
                yield (i, j) if i < j else (j, i)


_QUICK_CHARS = 300
_QUICK_BAR = 50


def abstract_similarity(a: _Norm, b: _Norm) -> float:
    """0-100; a truncated abstract is compared with the same-length opening of the other.

    A full comparison of two ~1,500-character abstracts costs ~0.5 ms, so the openings and
    endings (300 characters) are compared first: abstracts that differ at both ends get that
    quick score. A revision or a cut keeps at least one end, so real variants go on to the
    full score."""
    x, y = a.abstract, b.abstract
    if x == y:
        return 100.0
    if a.truncated or b.truncated:
        short, long_ = (x, y) if len(x) <= len(y) else (y, x)
        y, x = long_[: len(short)], short
        quick = fuzz.ratio(x[:_QUICK_CHARS], y[:_QUICK_CHARS])
    else:
        quick = max(fuzz.ratio(x[:_QUICK_CHARS], y[:_QUICK_CHARS]), fuzz.ratio(x[-_QUICK_CHARS:], y[-_QUICK_CHARS:]))
    if quick < _QUICK_BAR:
        return quick
    return fuzz.ratio(x, y)


def judge(a: _Norm, b: _Norm) -> Pair | None:
    """The verdict on one candidate pair, or None when they are plainly different papers."""
    t = fuzz.ratio(a.title, b.title)
    s = abstract_similarity(a, b)
    rule = _rule(a, b, t, s)
    if rule is None:
        return None
    return Pair(a.record, b.record, rule, round(t, 1), round(s, 1))


def _rule(a: _Norm, b: _Norm, t: float, s: float) -> Rule | None:
    same_numbers = a.digits == b.digits
    if a.key == b.key:
        return Rule.SAME_TITLE_KEY if s >= 50 else Rule.SAME_TITLE_OTHER_ABSTRACTS
    if s >= 97 and (same_numbers or s >= 99.5):
        return Rule.SAME_ABSTRACT
    if not same_numbers:
        return Rule.NUMBERS_DIFFER if t >= 85 else None
    if t >= 90 and s >= 70:
        return Rule.CLOSE_TITLE_ABSTRACT
    if t >= 80 or s >= 60:
        return Rule.BELOW_BAR
    return None


class _Groups:
    """Union-find whose unions respect keep-apart constraints: labels (constraint, side) travel
    with each group, and a union that would put both sides of one constraint together is refused."""

    def __init__(self, size: int, labels: dict[int, set[tuple[int, int]]]) -> None:
        self.parent = list(range(size))
        self.labels = {i: set(ls) for i, ls in labels.items()}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        la, lb = self.labels.get(ra, set()), self.labels.get(rb, set())
        if any((c, 1 - side) in lb for c, side in la):
            return False
        keep, gone = min(ra, rb), max(ra, rb)
        self.parent[gone] = keep
        if la or lb:
            self.labels[keep] = la | lb
        return True

    def groups(self) -> list[list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.parent)):
            out[self.find(i)].append(i)
        return list(out.values())


def _order(record: Record) -> tuple[str, int]:
    return (record.file, record.line)


def find_duplicates(
    records: Sequence[Record],
    keep_apart: Sequence[tuple[frozenset[Record], frozenset[Record]]] = (),
    merge: Sequence[frozenset[Record]] = (),
    split: SplitWork = one_process,
) -> DedupeResult:
    """Deduplicate records into papers; input order never changes the result.

    `keep_apart` pairs of record sets never share a paper; each `merge` set becomes one paper
    (curator overrides, applied before and above the rules). `split` (models.SplitWork) only
    changes the speed."""
    ordered = sorted(set(records), key=_order)
    index = {r: i for i, r in enumerate(ordered)}
    norms = [_normalize(r) for r in ordered]
    labels: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for c, sides in enumerate(keep_apart):
        for side, members in enumerate(sides):
            for r in members:
                labels[index[r]].add((c, side))
    groups = _Groups(len(norms), labels)
    pairs: dict[tuple[int, int], Pair] = {}
    for group in merge:
        ids = sorted(index[r] for r in group)
        for j in ids[1:]:
            pairs[(ids[0], j)] = Pair(ordered[ids[0]], ordered[j], Rule.CURATION_MERGE, 100.0, 100.0)
    candidates = list(candidate_pairs(norms))
    verdicts = split(lambda start, stop: _verdicts(norms, candidates[start:stop]), len(candidates), len(norms))
    judged = {(i, j): Pair(norms[i].record, norms[j].record, rule, t, s) for (i, j), rule, t, s in verdicts}
    for ij in sorted(judged):  # pair order decides ties when a merge is explained
        pairs.setdefault(ij, judged[ij])
    # Strongest evidence first, so a keep-apart constraint blocks the weaker link of a chain.
    refused: list[Pair] = []

    def strength(kv: tuple[tuple[int, int], Pair]) -> tuple[bool, float, tuple[int, int]]:
        pair = kv[1]
        return (not _curated_merge(pair), -(pair.title_score + pair.abstract_score), kv[0])

    for (i, j), pair in sorted(pairs.items(), key=strength):
        if pair.merges and not groups.union(i, j):
            refused.append(Pair(pair.a, pair.b, Rule.KEPT_APART, pair.title_score, pair.abstract_score))
            pairs[(i, j)] = refused[-1]
    final_groups, review = _guard_chains(groups.groups(), norms, pairs)
    papers, merges = _build_papers(final_groups, norms, pairs)
    review.extend(p for p in pairs.values() if not p.merges)
    owner = paper_keys(papers)
    review = sorted((p for p in set(review) if owner[p.a] != owner[p.b]), key=_pair_order)

    def confirmed(p: Pair) -> bool:
        la, lb = labels.get(index[p.a], set()), labels.get(index[p.b], set())
        return any((c, 1 - side) in lb for c, side in la)

    kept = tuple(p for p in review if confirmed(p))
    return DedupeResult(tuple(papers), tuple(merges), tuple(p for p in review if not confirmed(p)), kept)


def _verdicts(
    norms: Sequence[_Norm], pairs: Iterable[tuple[int, int]]
) -> list[tuple[tuple[int, int], Rule, float, float]]:
    """(pair, rule, title score, abstract score) for each pair that gets a verdict (records stay out:
    a forked child sends these back)."""
    out: list[tuple[tuple[int, int], Rule, float, float]] = []
    for i, j in pairs:
        pair = judge(norms[i], norms[j])
        if pair is not None:
            out.append(((i, j), pair.rule, pair.title_score, pair.abstract_score))
    return out


def _curated_merge(pair: Pair) -> bool:
    """A curator's `merge:` joined the pair: such links come first and their groups are trusted."""
    return pair.rule.curated and pair.rule.merges


def _pair_order(p: Pair) -> tuple[tuple[str, int], tuple[str, int]]:
    return (_order(p.a), _order(p.b))


def _guard_chains(
    groups: list[list[int]], norms: Sequence[_Norm], pairs: dict[tuple[int, int], Pair]
) -> tuple[list[list[int]], list[Pair]]:
    """A group whose members are not all close to each other is split and its links reviewed
    (groups a curator merged are trusted)."""
    out: list[list[int]] = []
    review: list[Pair] = []
    curated = {i for ij, pair in pairs.items() if _curated_merge(pair) for i in ij}
    for group in groups:
        if len(group) == 1 or curated.intersection(group):
            out.append(group)
            continue
        # Copies (same folded title and abstract) are close to each other: compare one of each.
        firsts = sorted({(norms[i].title, norms[i].abstract): i for i in reversed(group)}.values())
        loose = [(i, j) for x, i in enumerate(firsts) for j in firsts[x + 1 :] if not _close(norms[i], norms[j])]
        if not loose:
            out.append(group)
            continue
        for i, j in loose:
            t = fuzz.ratio(norms[i].title, norms[j].title)
            s = abstract_similarity(norms[i], norms[j])
            review.append(Pair(norms[i].record, norms[j].record, Rule.CHAINED_GROUP, round(t, 1), round(s, 1)))
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
        if len(group) == 1:  # most papers: one record, nothing to choose or explain
            only = norms[group[0]]
            papers.append(Paper(only.key, only.record.title, only.record.abstract, (), (only.record,)))
            continue
        members = [norms[i] for i in group]
        canonical = choose_canonical(members)
        title = canonical.record.title
        aliases = tuple(sorted({m.record.title for m in members} - {title}))
        sources = tuple(sorted((m.record for m in members), key=_order))
        # canonical.key is fold_key(title), computed once in _normalize
        papers.append(Paper(canonical.key, title, _choose_abstract(members), aliases, sources))
        members_set = set(group)
        for i in group:
            if norms[i] is not canonical:
                merges.append(_explain(i, canonical, members_set, norms, links))
    papers.sort(key=lambda p: (p.key, _order(p.sources[0])))
    papers = _unique_keys(papers)
    merges.sort(key=lambda m: (_order(m.into), _order(m.record)))
    return papers, merges


def _unique_keys(papers: list[Paper]) -> list[Paper]:
    """Distinct papers whose titles fold alike (kept apart by a curator or by their abstracts)
    get their first source appended to the key, so every key, and so every slug, is unique."""
    counts = Counter(p.key for p in papers)
    return [
        p if counts[p.key] == 1 else replace(p, key=f"{p.key}@{p.sources[0].file}:{p.sources[0].line}") for p in papers
    ]


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
        return Merge(member.record, canonical.record, Rule.SAME_TITLE_KEY, 100.0)
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
