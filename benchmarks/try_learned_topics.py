"""Would topics learnt from the curators' pins beat the phrase rules? An experiment, not shipped.

Every bundled paper is pinned by its curators, so a new paper's topics could also come from the
pinned papers it resembles. This tries two such learners over TF-IDF vectors of title and
abstract (sublinear counts, the title's terms counted twice), each blended with the rules' scores:
- nearest pinned papers: a topic's share of the K most similar pinned papers' votes (cosine
  weighted) may add a topic the rules scored below THRESHOLD, or confirm one they placed;
- kernel ridge regression on the pins (a linear kernel), blended with the rule score.

Settings are chosen by five-fold cross-validation over the 304 papers outside the held-aside part
(each fold's pins withdrawn, the others learnt from), and the best ones are shown on the 60 tuning
papers too (learning from the 244 pinned papers outside the judged sample). The held-aside part is
neither scored nor read here: it stays for whatever is shipped.

    .venv/bin/python benchmarks/try_learned_topics.py      # about 10 s
"""

from __future__ import annotations

import math
import random
import sys
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_quality as bq  # noqa: E402

from generator import pipeline  # noqa: E402
from generator.stages import topics as rules_stage  # noqa: E402
from generator.stages.related import _FUNCTION_WORDS, title_terms  # noqa: E402
from generator.texfrag import fold  # noqa: E402

Scores = tuple[float, float, float]
"""(precision, recall, exact set)."""
Decide = Callable[[str, Sequence[str]], set[str]]
"""(paper slug, the slugs learnt from) -> its topics."""


def score(pairs: Sequence[tuple[set[str], set[str]]]) -> Scores:
    hits = sum(len(got & right) for got, right in pairs)
    placed, right = sum(len(g) for g, _ in pairs), sum(len(r) for _, r in pairs)
    return hits / max(placed, 1), hits / max(right, 1), sum(g == r for g, r in pairs) / len(pairs)


def main() -> None:
    paths = pipeline.paths_for(ROOT / "data", None, None, None, None, None)
    inputs = pipeline.load_inputs(paths, pipeline.Timings())
    cat = pipeline.assemble(inputs, pipeline.Timings()).catalogue
    rules_stage.THRESHOLD, rules_stage.MAX_TOPICS = 1, 99  # every rule score, also those below the bar
    unpinned = bq.without_pins(inputs, cat, {e.slug for e in cat.entries})
    raw = pipeline.assemble(unpinned, pipeline.Timings()).catalogue
    rule = {e.slug: {m.topic: m.score for m in e.topics} for e in raw.entries}
    pins = {e.slug: {m.topic for m in e.topics} for e in cat.entries}
    parts = {p: [str(j["slug"]) for j in bq.load("topics", p)] for p in (1, 2, 3, 4)}
    judged = {str(j["slug"]): set(j["topics"]) for p in (1, 2) for j in bq.load("topics", p)}  # type: ignore[call-overload]
    held = set(parts[3] + parts[4])
    slugs = [e.slug for e in cat.entries]
    topics = [t.slug for t in cat.topics]
    pool = [s for s in slugs if s not in held]
    tuning = parts[1] + parts[2]
    rest = [s for s in pool if s not in set(tuning)]

    counts: dict[str, Counter[str]] = {}
    for e in cat.entries:
        c = Counter(w for w in fold(e.paper.abstract).split() if w not in _FUNCTION_WORDS and len(w) > 2)
        c.update({t: 2 for t in title_terms(fold(e.paper.title))})
        counts[e.slug] = c
    df = Counter(w for c in counts.values() for w in c)
    idf = {w: math.log((1 + len(slugs)) / (1 + d)) + 1 for w, d in df.items() if d > 1}
    column = {w: i for i, w in enumerate(sorted(idf))}
    x = np.zeros((len(slugs), len(column)))
    for i, s in enumerate(slugs):
        for w, n in counts[s].items():
            if w in column:
                x[i, column[w]] = (1 + math.log(n)) * idf[w]
    x /= np.linalg.norm(x, axis=1, keepdims=True) + 1e-12
    sims = x @ x.T
    row = {s: i for i, s in enumerate(slugs)}
    y = np.zeros((len(slugs), len(topics)))
    for s in slugs:
        for t in pins[s]:
            y[row[s], topics.index(t)] = 1

    def neighbours(k: int, add: float, keep: float) -> Decide:
        def decide(slug: str, learnt: Sequence[str]) -> set[str]:
            rows = np.array([row[s] for s in learnt if s != slug])
            near = sims[row[slug], rows]
            order = np.argsort(-near, kind="stable")[:k]
            votes = dict(
                zip(topics, (near[order, None] * y[rows[order]]).sum(0) / (near[order].sum() + 1e-12), strict=True)
            )
            rs = rule[slug]
            out = {t for t, v in rs.items() if v >= 3 and votes[t] >= keep}
            out |= {t for t, v in rs.items() if v < 3 and votes[t] >= add}
            return set(sorted(out, key=lambda t: (-(rs.get(t, 0) / 6 + votes[t]), t))[:4])

        return decide

    def ridge(lam: float, weight: float, bar: float) -> Decide:
        memo: dict[tuple[str, ...], np.ndarray] = {}

        def decide(slug: str, learnt: Sequence[str]) -> set[str]:
            key = tuple(learnt)
            rows = np.array([row[s] for s in learnt])
            if key not in memo:
                mean = y[rows].mean(0)
                memo[key] = np.linalg.solve(sims[np.ix_(rows, rows)] + lam * np.eye(len(rows)), y[rows] - mean)
            predicted = sims[row[slug], rows] @ memo[key] + y[rows].mean(0)
            rs = rule[slug]
            blend = {t: weight * rs.get(t, 0) / 6 + (1 - weight) * predicted[n] for n, t in enumerate(topics)}
            return set(sorted((t for t in topics if blend[t] >= bar), key=lambda t: (-blend[t], t))[:4])

        return decide

    shuffled = pool[:]
    random.Random(7).shuffle(shuffled)
    folds = [shuffled[i::5] for i in range(5)]

    def cross_validated(decide: Decide) -> Scores:
        pairs = []
        for fold_slugs in folds:
            inside = set(fold_slugs)
            learnt = [s for s in pool if s not in inside]
            pairs += [(decide(s, learnt), pins[s]) for s in fold_slugs]
        return score(pairs)

    def on_tuning(decide: Decide) -> Scores:
        return score([(decide(s, rest), judged[s]) for s in tuning])

    def rules_only(truth: Mapping[str, set[str]], which: Sequence[str]) -> Scores:
        return score([({t for t, v in rule[s].items() if v >= 3}, truth[s]) for s in which])

    def show(name: str, cv: Scores, tune: Scores) -> None:
        print(f"{name:<34} cv304 P {cv[0]:.1%} R {cv[1]:.1%} exact {cv[2]:.1%}   tuning60 exact {tune[2]:.1%}")

    show("the rules alone", rules_only(pins, pool), rules_only(judged, tuning))
    grids: dict[str, list[tuple[str, Decide]]] = {
        "nearest pinned papers": [
            (f"k={k} add>={a} keep>={c}", neighbours(k, a, c))
            for k in (5, 10, 20)
            for a in (0.3, 0.4, 0.5)
            for c in (0.0, 0.05, 0.1)
        ],
        "kernel ridge": [
            (f"lambda={lam} rules {w:.0%} bar {b}", ridge(lam, w, b))
            for lam in (0.3, 1.0, 3.0)
            for w in (0.4, 0.6, 0.8)
            for b in (0.3, 0.35, 0.4)
        ],
    }
    for family, grid in grids.items():
        best = max(grid, key=lambda item: (cross_validated(item[1])[2], item[0]))
        show(f"{family} ({best[0]})", cross_validated(best[1]), on_tuning(best[1]))


if __name__ == "__main__":
    main()
