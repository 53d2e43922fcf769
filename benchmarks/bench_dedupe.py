"""Dedupe throughput: blocked dedupe at 10k and 100k records, against all-pairs on 5k in the same run.

    .venv/bin/python benchmarks/bench_dedupe.py                 # 10k, 100k; all-pairs on 5k
    .venv/bin/python benchmarks/bench_dedupe.py --sizes 10000 --baseline 2000 --repeat 3
    .venv/bin/python benchmarks/bench_dedupe.py --sizes 100000 --copies 1000 --baseline 0

Records are synthetic but shaped like the dumps: titles and abstracts drawn from the bundled
dumps' words, each title made unique by an invented acronym, and ~15% of papers listed again as
a variant (case, trailing period, doubled spaces, non-breaking space, U+2010 hyphen, cut abstract).
`--copies N` adds a case: N of the records replaced by copies of one paper (a paper that trends
for weeks, listed in every daily dump), timed against the same size without them; all N must
end in one paper. Prints medians; the all-pairs baseline judges every pair with the same `judge` the blocked
dedupe uses, so the ratio compares candidate generation, not scoring.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.forking import split_work  # noqa: E402
from generator.inputs.dumps_folder import read_sources  # noqa: E402
from generator.models import Record  # noqa: E402
from generator.pipeline import paused_gc  # noqa: E402
from generator.stages.dedupe import _normalize, find_duplicates, judge  # noqa: E402

VARIANT_SHARE = 0.15


def _vocabulary() -> tuple[list[str], list[str]]:
    records, _, _ = read_sources(ROOT / "data" / "sources")
    title_words = sorted({w for r in records for w in r.title.replace(":", " ").split() if w.isalpha()})
    abstract_words = [w for r in records for w in r.abstract.split()]
    return title_words, abstract_words


def _acronym(rng: random.Random) -> str:
    return "".join(rng.choice("BCDFGHJKLMNPRSTVWXZ") + rng.choice("AEIOU") for _ in range(3)).capitalize()


def _variant(rng: random.Random, title: str, abstract: str) -> tuple[str, str]:
    kind = rng.randrange(6)
    if kind == 0:
        return title.upper(), abstract
    if kind == 1:
        return title + ".", abstract
    if kind == 2:
        return title.replace(" ", "  ", 2), abstract
    if kind == 3:
        return title.replace(" ", "\u00a0", 1), abstract
    if kind == 4:
        return title.replace("-", "\u2010") if "-" in title else title.lower(), abstract
    return title, abstract[: len(abstract) // 2].rsplit(" ", 1)[0] + "…"


def synth_records(count: int, seed: int = 1) -> list[Record]:
    """`count` records, about VARIANT_SHARE of them variants of another one."""
    rng = random.Random(seed)
    title_words, abstract_words = _vocabulary()
    papers: list[tuple[str, str]] = []
    records: list[Record] = []
    seen: set[str] = set()
    while len(records) < count:
        if papers and rng.random() < VARIANT_SHARE:
            title, abstract = _variant(rng, *rng.choice(papers))
        else:
            name = _acronym(rng)
            while name in seen:
                name = _acronym(rng)
            seen.add(name)
            title = f"{name}: " + " ".join(rng.choice(title_words) for _ in range(rng.randint(4, 10)))
            abstract = " ".join(rng.choice(abstract_words) for _ in range(rng.randint(80, 200))) + "."
            papers.append((title, abstract))
        n = len(records)
        records.append(Record(f"{n // 2000:03d}_synthetic.txt", 3 + 2 * (n % 2000), title, abstract))
    return records


def time_blocked(records: list[Record]) -> tuple[float, int]:
    with paused_gc():  # as the build runs it
        start = time.perf_counter()
        result = find_duplicates(records, split=split_work())  # as the build runs it
        return time.perf_counter() - start, len(result.papers)


def time_all_pairs(records: list[Record]) -> tuple[float, int]:
    """Every pair judged (no blocking): the quadratic baseline."""
    start = time.perf_counter()
    norms = [_normalize(r) for r in records]
    merges = 0
    for i in range(len(norms)):
        for j in range(i + 1, len(norms)):
            pair = judge(norms[i], norms[j])
            merges += pair is not None and pair.merges
    return time.perf_counter() - start, merges


def with_copies(records: list[Record], copies: int) -> list[Record]:
    """`records` with `copies` of them (spread through the list) replaced by copies of the first one."""
    first = records[0]
    step = max(1, len(records) // copies)
    out = records[:]
    for n, i in enumerate(range(step, len(records), step)):
        if n >= copies - 1:
            break
        out[i] = Record(out[i].file, out[i].line, first.title, first.abstract)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="record counts for the blocked dedupe")
    parser.add_argument("--baseline", type=int, default=5000, help="record count for all-pairs (0 to skip)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size; medians are reported")
    parser.add_argument("--copies", type=int, default=0, help="also time each size with N copies of one paper")
    args = parser.parse_args()
    print(f"{'what':<24}{'records':>9}{'papers':>9}{'median s':>10}{'records/s':>12}")
    rates = {}
    for size in (int(s) for s in args.sizes.split(",")):
        records = synth_records(size)
        runs = [time_blocked(records) for _ in range(args.repeat)]
        median = statistics.median(t for t, _ in runs)
        rates[size] = size / median
        print(f"{'blocked dedupe':<24}{size:>9}{runs[0][1]:>9}{median:>10.2f}{rates[size]:>12.0f}")
        if args.copies:
            copied = with_copies(records, args.copies)
            timed = statistics.median(time_blocked(copied)[0] for _ in range(args.repeat))
            biggest = max(len(p.sources) for p in find_duplicates(copied).papers)
            label = f"with {args.copies} copies"
            print(f"{label:<24}{size:>9}{'':>9}{timed:>10.2f}{size / timed:>12.0f}")
            print(
                f"  largest paper: {biggest} records (want >= {args.copies}); "
                f"time / without copies: {timed / median:.2f}x"
            )
    if args.baseline:
        records = synth_records(args.baseline)
        blocked = statistics.median(time_blocked(records)[0] for _ in range(args.repeat))
        baseline = statistics.median(time_all_pairs(records)[0] for _ in range(args.repeat))
        print(f"{'blocked dedupe':<24}{args.baseline:>9}{'':>9}{blocked:>10.2f}{args.baseline / blocked:>12.0f}")
        print(f"{'all-pairs baseline':<24}{args.baseline:>9}{'':>9}{baseline:>10.2f}{args.baseline / baseline:>12.0f}")
        print(f"all-pairs / blocked at {args.baseline} records: {baseline / blocked:.0f}x")


if __name__ == "__main__":
    main()
