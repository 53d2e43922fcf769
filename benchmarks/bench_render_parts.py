"""Where the render stage spends its time outside the paper pages: seconds per top folder of the
docs (topics/, exports/, catalogue.json, report.md...), in one process, with every paper page
taken as unchanged (as after a new dump, when page reuse skips nearly all of them).

    .venv/bin/python benchmarks/synth.py --papers 100000 --out /tmp/s100k
    .venv/bin/python benchmarks/bench_render_parts.py /tmp/s100k

The paper pages are measured by `bench_build.py` (they render in two worker processes); what this
prints is what the main process does one page after another. Nothing is written.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import forking, pipeline  # noqa: E402
from generator.models import Entry  # noqa: E402
from generator.render.pages import PageReuse, Renderer  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="a data folder (sources/, topics.yml), e.g. from synth.py")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        paths = pipeline.Paths(
            data=args.data, sources=args.data / "sources", docs=Path(work) / "docs", site=Path(work) / "site"
        )
        result = pipeline.build_catalogue(paths)
    forking.map_workers = lambda: 1  # type: ignore[assignment]

    def unchanged(self: Renderer, entry: Entry) -> tuple[str, str | None]:
        return "", None  # as if its inputs had not changed: not rendered

    Renderer.paper_page = unchanged  # type: ignore[method-assign]
    spent: dict[str, float] = {}
    start = last = time.perf_counter()
    for path, _ in pipeline.iter_pages(result, PageReuse("")):
        now = time.perf_counter()
        part = path.split("/")[0]
        spent[part] = spent.get(part, 0.0) + now - last
        last = now
    total = time.perf_counter() - start
    print(f"{len(result.catalogue.entries):,} papers: {total:.1f} s outside the paper pages, one process")
    for part, seconds in sorted(spent.items(), key=lambda kv: -kv[1])[:15]:
        print(f"  {seconds:7.2f} s  {part}")


if __name__ == "__main__":
    main()
