"""`generate` of two checkouts of the generator, one after the other on the same machine: a first
generate into an empty docs folder, then a generate after a new dump into the same folder (page
reuse at work), each run from a fresh copy of the data (the URL ledger starts the same). Prints
medians and the ratio of this checkout to the other one, and whether both wrote the same files.

    git worktree add /tmp/base HEAD~1
    .venv/bin/python benchmarks/synth.py --papers 100000 --out /tmp/s100k
    .venv/bin/python benchmarks/bench_generate_ab.py /tmp/s100k --base /tmp/base --repeat 1

Runs alternate (base, this, base, this...) so that a machine getting slower or faster weighs on
both alike. With `--render-only`, each run builds the catalogue once and times only render and
write, into an empty docs folder, then with every paper page reused (what a run after a dump
mostly does), which is less noisy than whole runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import synth  # noqa: E402

STAMP = ".generated-inputs.json"  # records each run's own inputs (paths, times): not compared


def python_in(tree: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python *args` run from `tree`, importing that checkout's generator."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=tree,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(tree)},
        check=False,
    )


def output_of(tree: Path, *args: str) -> str:
    """What `python *args` run from `tree` prints; stops the benchmark if it fails."""
    proc = python_in(tree, *args)
    if proc.returncode != 0:
        raise SystemExit(f"python {' '.join(args)[:200]} failed in {tree} ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return proc.stdout


def generate(tree: Path, data: Path, docs: Path) -> float:
    """Wall seconds of `python -m generator generate` run from `tree`."""
    start = time.perf_counter()
    proc = python_in(tree, "-m", "generator", "generate", "--data", str(data), "--docs", str(docs))
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):  # 1: the report found problems (synthetic dumps have some)
        raise SystemExit(f"generate failed in {tree} ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return seconds


def one_run(tree: Path, data: Path, extra: Path, work: Path) -> tuple[float, float, Path]:
    """(first generate s, generate after the dump s, the docs folder it left)."""
    copy = work / "data"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(data, copy)
    docs = work / f"docs-{tree.name}"
    shutil.rmtree(docs, ignore_errors=True)
    first = generate(tree, copy, docs)
    for dump in sorted((extra / "sources").glob("*.txt")):
        shutil.copy(dump, copy / "sources" / f"9{dump.name}")
    after = generate(tree, copy, docs)
    return first, after, docs


def render_child(tree: Path, data: Path) -> None:
    """In a child process: the catalogue of `data` built by the generator of `tree`, then render
    and write timed into an empty docs folder, and again with every paper page reused; prints
    the two figures as JSON."""
    sys.path.insert(0, str(tree))
    from generator import pipeline
    from generator.output import docs_writer, run_stamp

    with tempfile.TemporaryDirectory() as tmp:
        paths = pipeline.Paths(data=data, sources=data / "sources", docs=Path(tmp) / "docs", site=Path(tmp) / "site")
        result = pipeline.build_catalogue(paths)
        times = {}
        for label in ("fresh", "reused"):
            reuse = pipeline.page_reuse(paths)
            start = time.perf_counter()
            docs_writer.write_outputs(paths.docs, pipeline.iter_pages(result, reuse))
            times[label] = time.perf_counter() - start
            run_stamp.write(paths.docs, "bench", "", len(result.catalogue.entries), False, reuse.found)
    print(json.dumps(times))


def render_run(tree: Path, data: Path) -> tuple[float, float]:
    times = json.loads(output_of(tree, __file__, str(data), "--base", str(tree), "--child").splitlines()[-1])
    return times["fresh"], times["reused"]


def same_files(a: Path, b: Path) -> bool:
    """Whether two docs folders hold the same files with the same bytes (the run stamp aside)."""

    def files(root: Path) -> set[str]:
        return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and p.name != STAMP}

    names = files(a)
    return names == files(b) and all((a / n).read_bytes() == (b / n).read_bytes() for n in names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="a synthetic data folder (benchmarks/synth.py)")
    parser.add_argument("--base", type=Path, required=True, help="the other checkout (e.g. a git worktree)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each checkout (default: 3)")
    parser.add_argument("--add-percent", type=float, default=2.0, help="new papers in the dump (default: 2)")
    parser.add_argument("--render-only", action="store_true", help="time render and write only (see above)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        render_child(args.base, args.data)
        return
    if args.render_only:
        render_only(args)
        return
    dumps = len(list((args.data / "sources").glob("*.txt")))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        n = synth_papers(args.data)
        _, summary = synth.write_catalogue(work / "extra", max(1, round(n * args.add_percent / 100)), 1001)
        docs: dict[str, Path] = {}

        def whole_run(label: str, tree: Path) -> tuple[float, float]:
            first, after, docs[label] = one_run(tree, args.data, work / "extra", work / label)
            return first, after

        times = alternate(args, whole_run, ("first", "after the dump"))
        same = same_files(docs["base"], docs["this"])
    print(f"{n:,} papers in {dumps} dumps, then a dump of {summary['records']:,} records; {args.repeat} run(s) each")
    print_medians(times, ("first generate", "generate after the dump"))
    print(f"same files written: {'yes' if same else 'NO'}")


def render_only(args: argparse.Namespace) -> None:
    data = args.data.resolve()
    times = alternate(args, lambda label, tree: render_run(tree, data), ("render all", "paper pages reused"))
    print(f"{synth_papers(args.data):,} papers, render and write only; {args.repeat} run(s) each")
    print_medians(times, ("render all", "paper pages reused"))


def alternate(
    args: argparse.Namespace, run: Callable[[str, Path], tuple[float, float]], names: tuple[str, str]
) -> dict[str, list[tuple[float, float]]]:
    """`run(label, tree)` for base and this checkout in turn, `args.repeat` times; each run's two
    figures, by label."""
    times: dict[str, list[tuple[float, float]]] = {"base": [], "this": []}
    for i in range(args.repeat):
        for label, tree in (("base", args.base.resolve()), ("this", ROOT)):
            times[label].append(run(label, tree))
            shown = ", ".join(f"{name} {value:.2f} s" for name, value in zip(names, times[label][-1], strict=True))
            print(f"  run {i + 1} {label}: {shown}", file=sys.stderr)
    return times


def print_medians(times: dict[str, list[tuple[float, float]]], names: tuple[str, str]) -> None:
    print(f"{'':24} {'base':>8} {'this':>8} {'ratio':>7}")
    for k, name in enumerate(names):
        base = statistics.median(t[k] for t in times["base"])
        this = statistics.median(t[k] for t in times["this"])
        print(f"{name:24} {base:7.2f}s {this:7.2f}s {this / base:6.2f}×")


def synth_papers(data: Path) -> int:
    return int(json.loads((data / "synth.json").read_text(encoding="utf-8"))["papers"])


if __name__ == "__main__":
    main()
