"""`python -m generator build` after one new dump, in two checkouts, alternating on the same state:
what a curator waits for, end to end (generate, the incremental site build, the search index,
the swap and the removal of the old site), where bench_build.py times generate and the site
build in separate processes.

    .venv/bin/python benchmarks/bench_build_ab.py /tmp/state --prepare --papers 100000
    git worktree add /tmp/base HEAD~1
    .venv/bin/python benchmarks/bench_build_ab.py /tmp/state --base /tmp/base --repeat 2

`--prepare` writes a synthetic catalogue (benchmarks/synth.py) into STATE/data, builds it once
with this checkout (docs, site and URL ledger: the state before the dump, timed as the full
build) and writes a dump of `--add-dump` % new papers (their own seed) into STATE/dump/. Each run
copies the state into STATE/run/ (the docs, the data with the new dump, the site as hard links:
the build replaces files, never writes into them), runs `build` there from the checkout, and
removes the copy; the copying and removing are not timed. About 5 min a run at 100,000 papers.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import synth  # noqa: E402
from bench_generate_ab import python_in  # noqa: E402  (runs python in a checkout)


def run_build(tree: Path, folder: Path, entry: tuple[str, ...] = ("-m", "generator")) -> tuple[float, str, str]:
    """Wall seconds, stdout and stderr of `build` of `folder`'s data, docs and site, run from `tree`
    as `python *entry build ...`; stops the benchmark if it fails."""
    command = [*entry, "build", "--config", str(tree / "mkdocs.yml")]
    command += ["--data", str(folder / "data"), "--docs", str(folder / "docs"), "--site", str(folder / "site")]
    start = time.perf_counter()
    proc = python_in(tree, *command)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"build failed in {tree} ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return seconds, proc.stdout, proc.stderr


def last_lines(stdout: str) -> list[str]:
    """What a build printed of its paper pages, search index and site."""
    return [line for line in stdout.splitlines() if line.startswith(("search:", "site:", "paper pages:"))]


def build(tree: Path, folder: Path) -> tuple[float, list[str]]:
    """Wall seconds of `build` of `folder`'s data, docs and site, run from `tree`, and its last lines."""
    seconds, stdout, _ = run_build(tree, folder)
    return seconds, last_lines(stdout)


def prepare(state: Path, papers: int, percent: float, seed: int) -> None:
    if state.exists():
        raise SystemExit(f"{state} exists: --prepare writes a new state")
    synth.write_catalogue(state / "data", papers, seed)
    seconds, lines = build(ROOT, state)
    print(json.dumps({"full_build_s": round(seconds, 1), "lines": lines}), flush=True)
    added = max(1, round(papers * percent / 100))
    synth.write_catalogue(state / "new", added, seed + 1000)
    (state / "dump").mkdir()
    for dump in sorted((state / "new" / "sources").glob("*.txt")):
        shutil.copy(dump, state / "dump" / f"9{dump.name}")
    shutil.rmtree(state / "new")


Builder = Callable[[Path, Path], tuple[float, list[str]]]
"""Runs `build` from a checkout (first) on a folder's data, docs and site (second): wall seconds
and the lines kept of what it printed."""


def one_run(state: Path, tree: Path, builder: Builder = build) -> dict[str, object]:
    """`build` from `tree` on a copy of the state with the new dump added; the copy removed after."""
    run = state / "run"
    shutil.rmtree(run, ignore_errors=True)
    run.mkdir()
    try:
        shutil.copytree(state / "data", run / "data")
        for dump in (state / "dump").iterdir():
            shutil.copy(dump, run / "data" / "sources" / dump.name)
        subprocess.run(["cp", "-a", str(state / "docs"), str(run / "docs")], check=True)
        subprocess.run(["cp", "-al", str(state / "site"), str(run / "site")], check=True)
        seconds, lines = builder(tree, run)
    finally:
        shutil.rmtree(run, ignore_errors=True)
    return {"wall": round(seconds, 1), "lines": lines}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("state", type=Path, help="the state folder (made by --prepare)")
    p.add_argument("--prepare", action="store_true", help="write a new state and build it")
    p.add_argument("--papers", type=int, default=100_000)
    p.add_argument("--add-dump", type=float, default=2.0, help="new papers in the dump, %% (default 2)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--base", type=Path, help="the other checkout")
    p.add_argument("--repeat", type=int, default=2)
    args = p.parse_args(argv)
    state = args.state.resolve()
    if args.prepare:
        prepare(state, args.papers, args.add_dump, args.seed)
        return 0
    if args.base is None or not (state / "dump").is_dir():
        raise SystemExit("expected --base CHECKOUT and a state made by --prepare")
    walls: dict[str, list[float]] = {"base": [], "this": []}
    for _ in range(args.repeat):
        for name, tree in (("base", args.base.resolve()), ("this", ROOT)):
            run = one_run(state, tree)
            walls[name].append(float(run["wall"]))  # type: ignore[arg-type]
            print(json.dumps({"checkout": name, **run}), flush=True)
    base, this = statistics.median(walls["base"]), statistics.median(walls["this"])
    print(f"median build after the dump: base {base:.1f} s, this {this:.1f} s, ratio {this / base:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
