"""The pipeline's stages (parse, dedupe, topics, related) of two checkouts, in the same session:
each checkout writes its own synthetic catalogue with its own `synth.py` (same seed and size; the
taxonomy format changed between them), then builds it, runs alternating; medians per stage.

    git worktree add /tmp/old fc137ee      # the commit issue 15's "no slower than today" names
    .venv/bin/python benchmarks/bench_stages_ab.py --base /tmp/old --papers 100000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_generate_ab import output_of  # noqa: E402

STAGES = ("parse", "dedupe", "topics", "related")

CHILD = """
import json, sys, tempfile
from pathlib import Path
sys.path.insert(0, sys.argv[1])
try:
    from generator import pipeline as build
    build.build_catalogue
except (ImportError, AttributeError):
    from generator import build  # before the pipeline module had its name
data = Path(sys.argv[2])
with tempfile.TemporaryDirectory() as work:
    result = build.build_catalogue(build.Paths(data, data / "sources", Path(work) / "docs", Path(work) / "site"))
print(json.dumps(dict(result.timings.stages)))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="the other checkout (e.g. a git worktree)")
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    trees = {"base": args.base.resolve(), "this": ROOT}
    with tempfile.TemporaryDirectory() as tmp:
        data = {label: Path(tmp) / label for label in trees}
        for label, tree in trees.items():
            synth = str(tree / "benchmarks" / "synth.py")
            output_of(
                tree, synth, "--papers", str(args.papers), "--out", str(data[label]), "--data", str(tree / "data")
            )
        times: dict[str, list[dict[str, float]]] = {label: [] for label in trees}
        for i in range(args.repeat):
            for label, tree in trees.items():
                stages = json.loads(output_of(tree, "-c", CHILD, str(tree), str(data[label])).splitlines()[-1])
                times[label].append(stages)
                shown = ", ".join(f"{s} {stages.get(s, 0):.2f}" for s in STAGES)
                print(f"  run {i + 1} {label}: {shown}", file=sys.stderr)
    print(f"{args.papers:,} papers, {args.repeat} run(s) each, medians (s)")
    print(f"{'stage':18} {'base':>8} {'this':>8} {'ratio':>7}")
    rows = [*STAGES, "topics + related"]
    for stage in rows:
        parts = ("topics", "related") if stage == "topics + related" else (stage,)
        base = statistics.median(sum(t.get(p, 0.0) for p in parts) for t in times["base"])
        this = statistics.median(sum(t.get(p, 0.0) for p in parts) for t in times["this"])
        print(f"{stage:18} {base:8.2f} {this:8.2f} {this / base:6.2f}×")


if __name__ == "__main__":
    main()
