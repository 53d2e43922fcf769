"""Related papers: a plain definition of the ranking, the promises a reader relies on (never
itself, never padded, no hub, a reason for every link), determinism and order independence."""

from __future__ import annotations

import functools
import math
import random
from collections import Counter

from generator.forking import split_work
from generator.inputs.dumps_folder import read_sources
from generator.inputs.taxonomy import parse_taxonomy
from generator.models import Paper, Record, TopicMatch
from generator.stages import related
from generator.stages.dedupe import find_duplicates
from generator.stages.topics import assign_topics
from generator.texfrag import fold

from .conftest import DATA


def _bundled() -> tuple[list[Paper], dict[str, tuple[TopicMatch, ...]]]:
    taxonomy = parse_taxonomy("topics.yml", (DATA / "topics.yml").read_text(encoding="utf-8"))
    papers = list(find_duplicates(read_sources(DATA / "sources")[0]).papers)
    return papers, assign_topics(papers, taxonomy.topics).by_paper


def _paper(key: str, title: str, abstract: str) -> Paper:
    return Paper(key, title, abstract, (), (Record("a.txt", 1, title, abstract),))


def _whole(papers):  # type: ignore[no-untyped-def]
    """Each paper's whole word vector, as a dict: its abstract's words but function words,
    single letters and numbers, its title's words of its terms counted TITLE_REPEAT times, those
    found in more than one paper; (1 + log count) times (log((1 + n) / (1 + papers with the
    word)) + IDF_SMOOTH), divided by the length of the vector of all its words (those of this
    paper only too)."""
    counts = []
    for p in papers:
        c = Counter(w for w in fold(p.abstract).split() if len(w) > 1 and related._word_class(w) != related.NEVER)
        for w in related.title_terms(fold(p.title)):
            if " " not in w and len(w) > 1:
                c[w] += related.TITLE_REPEAT
        counts.append(c)
    df = Counter(w for c in counts for w in c)
    n = len(papers)
    out = []
    for c in counts:
        v = {w: (1 + math.log(tf)) * (math.log((1 + n) / (1 + df[w])) + related.IDF_SMOOTH) for w, tf in c.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        out.append({w: x / norm for w, x in v.items() if df[w] > 1})
    return out


def _plain(papers, topics, count=6):  # type: ignore[no-untyped-def]
    """find_related restated with plain loops: candidates counted over the postings of each
    paper's first GATHER terms, the SHORTLIST most met that share MIN_SHARED terms scored by the
    cosine of the two whole vectors, the rules applied, then pairs placed best first over the
    whole catalogue."""
    papers = sorted(papers, key=lambda p: p.key)
    keys = [p.key for p in papers]
    vectors = related._vectors_and_whole([(fold(p.title), fold(p.abstract)) for p in papers], related.one_process)[0]
    whole = _whole(papers)
    post = related._postings(vectors)
    strong = [frozenset(m.topic for m in topics.get(k, ()) if m.score >= related.STRONG_TOPIC) for k in keys]
    near = []
    for i, vec in enumerate(vectors):
        met: dict[int, int] = {}
        for t in list(vec)[: related.GATHER]:
            for j in post.papers.get(t, ()):
                if j != i:
                    met[j] = met.get(j, 0) + 1
        order = sorted(met, key=lambda j: -met[j])  # stable: ties in the order first met
        exact = []
        for j in order[: related.SHORTLIST]:
            if len([t for t in vec if t in vectors[j]]) >= related.MIN_SHARED:
                exact.append((sum(x * whole[j].get(w, 0.0) for w, x in whole[i].items()), j))
        exact = sorted(exact, key=lambda x: -x[0])
        radius = sum(s for s, _ in exact[: related.HUB_K]) / related.HUB_K
        kept = []
        for s, j in exact:
            both = len(strong[i] & strong[j]) / len(strong[i] | strong[j]) if strong[i] and strong[j] else 0.0
            if s >= related.ENOUGH and (s >= related.ALONE or both):
                kept.append((s + related.TOPIC_WEIGHT * both, j))
        near.append((radius, sorted(kept, key=lambda x: -x[0])[: related.CANDIDATES]))
    pairs = []
    for i, (radius, kept) in enumerate(near):
        for s, j in kept:
            pairs.append((related.HUB_WEIGHT * (radius + near[j][0]) / 2 - s, keys[i], keys[j], s, i, j))
    lists: list[list[int]] = [[] for _ in papers]
    listed = Counter[int]()
    for _, _, _, s, i, j in sorted(pairs):
        full = len(lists[i]) >= count or listed[j] >= related.MAX_LISTS
        if not full and (len(lists[i]) < related.FEW or s >= related.STRONG):
            lists[i].append(j)
            listed[j] += 1
    return {keys[i]: tuple(keys[j] for j in best) for i, best in enumerate(lists)}


def _others(found):  # type: ignore[no-untyped-def]
    return {k: tuple(link.other for link in links) for k, links in found.items()}


def test_the_ranking_equals_the_plain_definition() -> None:
    papers, assigned = _bundled()
    found = related.find_related(papers, assigned)
    assert _others(found) == _plain(papers, assigned)
    for count in (1, 3, 12):
        assert _others(related.find_related(papers, assigned, count)) == _plain(papers, assigned, count)
    memo = functools.cache(fold)
    assert related.find_related(papers, assigned, fold_text=memo) == found


def test_lists_are_never_padded_never_hold_the_paper_and_no_paper_is_a_hub() -> None:
    papers, assigned = _bundled()
    found = related.find_related(papers, assigned)
    listed = Counter(link.other for links in found.values() for link in links)
    assert max(listed.values()) <= 12
    assert all(k not in {link.other for link in links} for k, links in found.items())
    assert all(len({link.other for link in links}) == len(links) <= 6 for links in found.values())
    lengths = Counter(len(links) for links in found.values())
    assert lengths[6] and sum(n for size, n in lengths.items() if size < 6), "some full lists, some shorter ones"


def test_every_link_says_why_with_terms_of_both_papers_and_topics_both_share() -> None:
    papers, assigned = _bundled()
    by_key = {p.key: p for p in papers}
    for key, links in related.find_related(papers, assigned).items():
        for link in links:
            assert link.terms, (key, link)
            for term in link.terms:
                for paper in (by_key[key], by_key[link.other]):
                    text = f" {fold(paper.title)} {fold(paper.abstract)} "
                    assert f" {term} " in text, (term, paper.title)
            mine = {m.topic for m in assigned[key] if m.score >= related.STRONG_TOPIC}
            theirs = {m.topic for m in assigned[link.other] if m.score >= related.STRONG_TOPIC}
            assert set(link.topics) == mine & theirs


def test_input_order_does_not_change_the_lists() -> None:
    papers, assigned = _bundled()
    expected = related.find_related(papers, assigned)
    shuffled = papers[:]
    random.Random(7).shuffle(shuffled)
    assert related.find_related(shuffled, assigned) == expected
    assert related.find_related(papers[::-1], assigned) == expected


def test_a_paper_close_to_nothing_gets_no_related_papers() -> None:
    """Papers that share one word with the rest are not padded into anyone's list."""
    rest = [
        _paper(
            f"k{i}",
            f"Offline reinforcement learning with conservative critics {i}",
            "Offline reinforcement learning from fixed datasets with conservative value estimates and "
            f"distribution shift under behaviour policies, variant {i}.",
        )
        for i in range(8)
    ]
    rest += [
        _paper(
            f"v{i}",
            f"Skeleton action recognition with graph convolutions {i}",
            f"We recognise human actions from skeleton joints with graph convolutions, variant {i}.",
        )
        for i in range(4)
    ]
    alone = _paper(
        "lonely",
        "Protein folding with reinforcement signals",
        "We fold proteins into their native shapes; a reinforcement signal from a conservative energy "
        "model guides the folding of long chains.",
    )
    vectors = related._vectors_and_whole(
        [(fold(p.title), fold(p.abstract)) for p in [*rest, alone]], related.one_process
    )[0]
    assert {"reinforcement", "conservative"} <= vectors[-1].keys() & vectors[0].keys(), "shares two words"
    found = related.find_related([*rest, alone], {})
    assert found["lonely"] == ()
    assert all("lonely" not in {link.other for link in links} for links in found.values())
    assert all(found[p.key] for p in rest)


def test_a_hub_is_listed_at_most_max_lists_times() -> None:
    """A survey close to every paper of a large set does not appear in every list."""
    papers = [
        _paper(
            f"k{i:02d}",
            f"Temporal action localization benchmark study {i} with boundary refinement",
            f"Temporal action localization in untrimmed videos; we refine action boundaries, variant {i} "
            f"with anchor {i % 5} proposals and snippet {i % 7} features.",
        )
        for i in range(40)
    ]
    hub = _paper(
        "hub",
        "A survey of temporal action localization with boundary refinement and proposals",
        "We survey temporal action localization in untrimmed videos, action boundaries, anchor "
        "proposals, snippet features and boundary refinement.",
    )
    found = related.find_related([*papers, hub], {})
    assert sum("hub" in {link.other for link in links} for links in found.values()) <= 12


def test_two_processes_give_the_same_lists() -> None:
    """Dedupe, topics and related split their passes over two processes from 20,000 items;
    forced here on the bundled catalogue, every result must equal the one-process result."""
    taxonomy = parse_taxonomy("topics.yml", (DATA / "topics.yml").read_text(encoding="utf-8"))
    records = read_sources(DATA / "sources")[0]
    deduped = find_duplicates(records)
    assert find_duplicates(records, split=split_work(workers=2)) == deduped
    papers = deduped.papers
    assignment = assign_topics(papers, taxonomy.topics)
    assert assign_topics(papers, taxonomy.topics, split=split_work(workers=2)) == assignment
    assigned = assignment.by_paper
    serial = related.find_related(papers, assigned)
    assert related.find_related(papers, assigned, split=split_work(workers=2)) == serial


def test_the_lists_do_not_depend_on_what_the_process_saw_before() -> None:
    """Word classes are memoised across calls; a first call and a later one must agree."""
    papers, assigned = _bundled()
    some = papers[::7]
    related._CLASS.clear()
    first = related.find_related(some, assigned)
    related.find_related(papers, assigned)  # learns the classes of words `some` holds once
    assert related.find_related(some, assigned) == first
