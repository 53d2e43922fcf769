"""Where the wall time of `python -m generator build` after one new dump goes: the build run once
on a copy of a state made by bench_build_ab.py (the site and docs before the dump, the dump
added), with a clock mark as each of its steps starts and ends, and the CPU seconds of the build
and every process it started (the render workers, the search index job, Pagefind).

    .venv/bin/python benchmarks/bench_build_ab.py /tmp/state --prepare --papers 100000
    .venv/bin/python benchmarks/bench_build_timeline.py /tmp/state

The marks come from wrapping the steps' functions in the child process (CHILD below); nothing in
the generator changes. The CPU line is what decides whether a target can be met on this machine:
a build on 2 cores can use at most 2 CPU seconds per wall second.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_build_ab import last_lines, one_run, run_build  # noqa: E402

CHILD = r"""
import functools, sys, time
import mkdocs.commands.build
from generator import cli, pipeline
from generator.output import docs_writer, site_swap
from generator.site import incremental, mkdocs_build, search, sitemaps

T0 = time.perf_counter()

def mark(text):
    print(f"mark {time.perf_counter() - T0:8.1f} {text}", file=sys.stderr, flush=True)

def timed_call(label, fn, *args, **kwargs):
    mark(f"start {label}")
    try:
        return fn(*args, **kwargs)
    finally:
        mark(f"end   {label}")

def timed(owner, name, label):
    fn = getattr(owner, name)
    @functools.wraps(fn)
    def inner(*args, **kwargs):  # a function, so that it binds as a method too
        return timed_call(label, fn, *args, **kwargs)
    setattr(owner, name, inner)

timed(pipeline, "build_catalogue", "assemble the catalogue")
run_stage = pipeline.Timings.run
def stage(self, name, fn):
    return timed_call(f"stage {name}", run_stage, self, name, fn)
pipeline.Timings.run = stage
timed(search, "fork_index", "start the search index (forked)")
timed(docs_writer, "stage_outputs", "render and write the docs")
timed(mkdocs_build, "build_site", "site build")
timed(incremental, "clone", "link the previous site")
timed(mkdocs.commands.build, "build", "MkDocs")
timed(search.IndexJob, "finish", "wait for the search index")
timed(sitemaps, "split_site_sitemap", "split the sitemap")
timed(site_swap, "swap_in", "swap the site in, remove the old one")
code = cli.main(sys.argv[1:])
mark(f"exit {code}")
sys.exit(code)
"""


def timeline_build(tree: Path, folder: Path) -> tuple[float, list[str]]:
    """`build` of `folder` from `tree` with CHILD's marks: wall seconds, and the marks and the
    build's last lines."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds, stdout, stderr = run_build(tree, folder, ("-c", CHILD))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    marks = [line.removeprefix("mark ") for line in stderr.splitlines() if line.startswith("mark ")]
    user, system = after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime
    cpu = f"CPU: {user + system:.0f} s ({user:.0f} user + {system:.0f} system) in {seconds:.0f} s wall"
    cpu += f" on {os.cpu_count()} cores: {(user + system) / seconds:.2f} cores busy on average"
    return seconds, [*marks, cpu, *last_lines(stdout)]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("state", type=Path, help="a state made by bench_build_ab.py --prepare")
    args = p.parse_args(argv)
    state = args.state.resolve()
    if not (state / "dump").is_dir():
        raise SystemExit("expected a state made by bench_build_ab.py --prepare")
    run = one_run(state, ROOT, builder=timeline_build)
    print(f"build after the dump: {run['wall']} s wall")
    for line in run["lines"]:  # type: ignore[attr-defined]
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
