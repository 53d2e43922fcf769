"""Related papers: the pruned ranking must equal the plain definition (every candidate scored,
bonus added, sorted by score then key), and a shared fold memo must not change anything."""

from __future__ import annotations

import functools
import heapq
from collections import defaultdict

from generator.forking import split_work
from generator.inputs.dumps_folder import read_sources
from generator.inputs.taxonomy import parse_taxonomy
from generator.stages import related
from generator.stages.dedupe import find_duplicates
from generator.stages.topics import assign_topics

from .conftest import DATA


def _plain(papers, topics, count=6):  # type: ignore[no-untyped-def]
    """find_related as first written: every candidate of every posting, ranked by a key sort."""
    keys = [p.key for p in papers]
    vectors = related._vectors(
        [(related.fold(p.title), related.fold(p.abstract)) for p in papers], split=related.one_process
    )
    postings = defaultdict(list)
    for i, vec in enumerate(vectors):
        for term, w in zip(vec.terms, vec.weights, strict=True):
            postings[term].append((w, i))
    for term, plist in postings.items():
        if len(plist) > related.POSTINGS_CAP:
            postings[term] = heapq.nlargest(related.POSTINGS_CAP, plist)
    topic_sets = [frozenset(m.topic for m in topics.get(k, ())) for k in keys]
    by_topic = defaultdict(list)
    for i, ts in enumerate(topic_sets):
        for t in sorted(ts):
            by_topic[t].append(i)
    out = {}
    for i, vec in enumerate(vectors):
        scores = defaultdict(float)
        for term, w in zip(vec.terms, vec.weights, strict=True):
            for w2, j in postings[term]:
                if j != i:
                    scores[j] += w * w2
        for j in list(scores):
            scores[j] += related.TOPIC_BONUS * len(topic_sets[i] & topic_sets[j])
        if len(scores) < count:
            related._top_up(i, scores, topic_sets, by_topic, count)
        best = heapq.nsmallest(count, scores.items(), key=lambda kv: (-kv[1], keys[kv[0]]))
        out[keys[i]] = tuple(keys[j] for j, _ in best)
    return out


def test_pruned_ranking_equals_the_plain_definition() -> None:
    taxonomy = parse_taxonomy("topics.yml", (DATA / "topics.yml").read_text(encoding="utf-8"))
    papers = find_duplicates(read_sources(DATA / "sources")[0]).papers
    assigned = assign_topics(papers, taxonomy.topics).by_paper
    expected = _plain(papers, assigned)
    assert related.find_related(papers, assigned) == expected
    for count in (1, 3, 12):
        assert related.find_related(papers, assigned, count) == _plain(papers, assigned, count)
    memo = functools.cache(related.fold)
    assert assign_topics(papers, taxonomy.topics, fold_text=memo).by_paper == assigned
    assert related.find_related(papers, assigned, fold_text=memo) == expected


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
