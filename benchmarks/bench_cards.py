"""What preview cards cost (issue 17): time and bytes per card, and the cards' share of the site
at 1,000 and 10,000 papers.

    .venv/bin/python benchmarks/bench_cards.py --cards 300

Draws `--cards` cards from synthetic titles (benchmarks/synth.py, real words, real lengths) with
topic lines from the bundled taxonomy, three rounds, and reports the median time per card and the
mean size. A catalogue of N papers has N + T cards up to PAPER_CARDS_UP_TO papers (T topics), T
beyond it; the sizes below are that count times the mean size (drawing 10,000 cards to add them
up would only repeat the measurement). A no-change regenerate draws none (cards are named by
what they show), so the time is paid once per card.
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
sys.path.insert(0, str(ROOT / "benchmarks"))

import synth  # noqa: E402
import yaml  # noqa: E402

from generator.render.cards import PAPER_CARDS_UP_TO, SITE_NAME, Card, paper_line, render_png  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    taxonomy = yaml.safe_load((ROOT / "data" / "topics.yml").read_text(encoding="utf-8"))
    names = [t["name"] for area in taxonomy["areas"] for t in area["topics"]]
    rng = random.Random(1)
    papers = synth.make_papers(args.cards, 1, synth.load_corpus())
    cards = [Card(p.title, paper_line(rng.sample(names, rng.choice((1, 2, 3)))), SITE_NAME) for p in papers]
    rounds, sizes = [], []
    for _ in range(args.rounds):
        start = time.perf_counter()
        sizes = [len(render_png(c)) for c in cards]
        rounds.append((time.perf_counter() - start) / len(cards))
    per_card, mean = statistics.median(rounds), statistics.mean(sizes)
    head = f"{len(cards)} cards x {args.rounds} rounds: median {per_card * 1000:.1f} ms per card"
    print(f"{head}, mean {mean / 1000:.1f} KB")
    print(f"(largest {max(sizes) / 1000:.1f} KB, smallest {min(sizes) / 1000:.1f} KB); {len(names)} topics")
    print("\n| papers | cards | drawn once in | cards on disk |")
    print("| ---: | ---: | ---: | ---: |")
    for n, up_to in ((1000, PAPER_CARDS_UP_TO), (10_000, PAPER_CARDS_UP_TO), (10_000, 10_000)):
        count = (n if n <= up_to else 0) + len(names)
        label = f"{n:,}" + ("" if up_to == PAPER_CARDS_UP_TO else f" (PAPER_CARDS_UP_TO={up_to:,})")
        print(f"| {label} | {count:,} | {count * per_card:.0f} s | {count * mean / 1e6:.1f} MB |")
    print(f"\n(PAPER_CARDS_UP_TO = {PAPER_CARDS_UP_TO:,}: past it, paper pages show their first topic's card)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
