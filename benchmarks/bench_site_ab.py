"""The incremental site build of two checkouts, alternating on the same machine and the same state:
the site of a catalogue built before a dump, and the docs folder generated after it. Each run
builds `site-next` from them with `mkdocs_build.build_site` (MkDocs and the Pagefind index job)
in its own process, then removes it, so every run starts from the same files. Prints each run and
the medians, and the ratio of this checkout to the other one.

    .venv/bin/python benchmarks/bench_build.py --sizes 100000 --no-baseline --add-dump 2 \\
        --timeout 3600 --keep --workdir /tmp/w100      # leaves n100000/site (before the dump)
                                                       # and n100000/docs (after it)
    git worktree add /tmp/base HEAD~1
    .venv/bin/python benchmarks/bench_site_ab.py /tmp/w100/n100000 --base /tmp/base --repeat 2

About 2.5 min a run at 100,000 papers here.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_generate_ab import output_of  # noqa: E402  (runs python in a checkout, stops on failure)

CHILD = """
import json, sys, time
from pathlib import Path
from generator.site import mkdocs_build
state, tree, papers = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
started = time.perf_counter()
done = mkdocs_build.build_site(tree / "mkdocs.yml", state / "docs", state / "site-next", papers,
                               strict=True, previous_site=state / "site")
print(json.dumps({"wall": time.perf_counter() - started, "wait": done.index_wait_s,
                  "mode": done.mode, "rebuilt": done.rebuilt}))
"""


def one_run(state: Path, tree: Path, papers: int) -> dict[str, object]:
    """One site build with the checkout at `tree`; `site-next` removed before and after."""
    target = state / "site-next"
    shutil.rmtree(target, ignore_errors=True)
    try:
        printed = output_of(tree, "-c", CHILD, str(state), str(tree), str(papers))
    finally:
        shutil.rmtree(target, ignore_errors=True)
    result: dict[str, object] = json.loads(printed.strip().splitlines()[-1])
    return result


def papers_of(state: Path) -> int:
    """The paper count of the docs folder's catalogue (it picks the search engine)."""
    with open(state / "docs" / "catalogue.json", encoding="utf-8") as fd:
        return len(json.load(fd)["papers"])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("state", type=Path, help="folder with site/ (before a dump) and docs/ (after it)")
    p.add_argument("--base", type=Path, required=True, help="the other checkout")
    p.add_argument("--repeat", type=int, default=2)
    args = p.parse_args(argv)
    state = args.state.resolve()
    if not (state / "site").is_dir() or not (state / "docs" / "catalogue.json").is_file():
        raise SystemExit(f"{state}: expected site/ and docs/catalogue.json (bench_build.py --keep makes them)")
    papers = papers_of(state)
    walls: dict[str, list[float]] = {"base": [], "this": []}
    for _ in range(args.repeat):
        for name, tree in (("base", args.base.resolve()), ("this", ROOT)):
            run = one_run(state, tree, papers)
            walls[name].append(float(run["wall"]))  # type: ignore[arg-type]
            print(json.dumps({"checkout": name, **run}), flush=True)
    base, this = statistics.median(walls["base"]), statistics.median(walls["this"])
    print(f"median site build: base {base:.1f} s, this {this:.1f} s, ratio {this / base:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
