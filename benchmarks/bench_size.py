"""Bytes and files of the built site per paper, by part, and what a static host would hold at 100,000.

For each size, a seeded synthetic catalogue (benchmarks/synth.py) is generated and built as
`python -m generator build` builds it (the generate and site children of bench_build.py), then
every file of the site is counted into one part (paper pages, topic pages, preview cards, the
Pagefind bundle, catalogue exports, ...), with its bytes, its gzip-compressed bytes (what a host
that compresses sends; hosts count the bytes as stored) and its disk usage. The figures are
printed per paper and extrapolated linearly to `--extrapolate` papers (100,000 by default): an
extrapolation from the two largest sizes measured, not a build.

With `--compare-lean` the same docs are built a second time with `LEAN_HTML=0` (the theme's
whitespace kept, generator/site/lean_html.py), so the saving of that cut and its cost in build
time are measured in the same run. The paper-page anatomy table says where a paper page's bytes
go (whitespace, inline SVG icons, the config script, the header, sidebars, content).

    .venv/bin/python benchmarks/bench_size.py                       # 1,000 and 10,000 papers
    .venv/bin/python benchmarks/bench_size.py --sizes 1000 --compare-lean --markdown

Results go to benchmarks/out/size.json (and the tables to stdout).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))
import bench_build  # noqa: E402  (benchmarks/ is not a package)
import synth  # noqa: E402

from generator.site import lean_html  # noqa: E402

OUT = HERE / "out"
PARTS = (
    "paper pages",
    "redirect stubs",
    "topic and area pages",
    "other pages",
    "preview cards",
    "pagefind bundle",
    "catalogue.json",
    "catalogue/ parts",
    "bib and ris exports",
    "feeds",
    "sitemaps",
    "404 paper index",
    "assets",
    "other",
)
TEXT = (".html", ".xml", ".json", ".jsonl", ".bib", ".ris", ".js", ".css", ".txt", ".svg")
REDIRECT_MARK = b'http-equiv="refresh"'


def part_of(rel: str, head: bytes) -> str:
    """The part of the site a file (site-relative path, its first bytes) belongs to."""
    top = rel.split("/", 1)[0]
    if rel.endswith(".html") and REDIRECT_MARK in head:
        return "redirect stubs"
    if top == "papers" and rel.endswith(".html"):
        return "paper pages"
    if top in ("topics", "areas") and rel.endswith(".html"):
        return "topic and area pages"
    if rel.endswith(".html"):
        return "other pages"
    named = {
        "cards": "preview cards",
        "pagefind": "pagefind bundle",
        "catalogue": "catalogue/ parts",
        "exports": "bib and ris exports",
        "paper-index": "404 paper index",
        "assets": "assets",
        "stylesheets": "assets",
        "javascripts": "assets",
    }
    if top in named:
        return named[top]
    if rel == "catalogue.json":
        return "catalogue.json"
    if top.startswith("feed"):
        return "feeds"
    if top.startswith("sitemap"):
        return "sitemaps"
    return "other"


def _files(site: Path) -> Iterator[tuple[str, Path]]:
    for folder, _, names in os.walk(site):
        for name in names:
            path = Path(folder, name)
            yield path.relative_to(site).as_posix(), path


def measure(site: Path) -> dict[str, Any]:
    """Files, bytes, gzip bytes (text files, level 6) and disk usage of each part of `site`."""
    parts = {p: {"files": 0, "bytes": 0, "gzip": 0, "disk": 0} for p in PARTS}
    # Entries (files and folders) per folder: some hosts cap them (Netlify: 54,000 per folder).
    crowded = max(
        ((len(os.listdir(f)), Path(f).relative_to(site).as_posix()) for f, _, _ in os.walk(site)), default=(0, "")
    )
    for rel, path in _files(site):
        if rel.startswith("."):  # the build's own marks (.catalogue-site, .catalogue-build.json)
            continue
        data = path.read_bytes()
        entry = parts[part_of(rel, data[:2048])]
        entry["files"] += 1
        entry["bytes"] += len(data)
        entry["gzip"] += len(gzip.compress(data, 6, mtime=0)) if rel.endswith(TEXT) else len(data)
        entry["disk"] += path.stat().st_blocks * 512
    total = {k: sum(p[k] for p in parts.values()) for k in ("files", "bytes", "gzip", "disk")}
    return {"parts": parts, "total": total, "largest_folder": crowded, "anatomy": anatomy(site)}


_SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)
_REGIONS = {
    "head": re.compile(r"<head>.*?</head>", re.DOTALL),
    "header (logo, palette toggles, search box)": re.compile(r"<header\b.*?</header>", re.DOTALL),
    "sidebars (navigation, table of contents)": re.compile(
        r'<div class="md-sidebar md-sidebar--primary".*?<div class="md-content"', re.DOTALL
    ),
    "content (article)": re.compile(r"<article\b.*?</article>", re.DOTALL),
    "config script": re.compile(r'<script id="__config".*?</script>', re.DOTALL),
}


def anatomy(site: Path, sample: int = 500) -> dict[str, float]:
    """Mean bytes per paper page (the first `sample` in path order): the whole page, its regions,
    its inline SVG icons, and the whitespace lean_html.collapse_whitespace would still cut."""
    pages = sorted((site / "papers").glob("*/index.html"))
    figures: dict[str, list[int]] = {}

    def add(key: str, value: int) -> None:
        figures.setdefault(key, []).append(value)

    for path in pages:
        raw = path.read_bytes()
        if REDIRECT_MARK in raw[:2048]:
            continue
        html = raw.decode("utf-8")
        add("page", len(raw))
        add("page, gzip", len(gzip.compress(raw, 6, mtime=0)))
        for name, pattern in _REGIONS.items():
            found = pattern.search(html)
            add(name, len(found.group(0).encode()) if found else 0)
        icons = _SVG.findall(html)
        add("inline SVG icons", sum(len(i.encode()) for i in icons))
        add("inline SVG icons (count)", len(icons))
        add(
            "inline SVG icons, repeats of one already on the page",
            sum(len(i) for i in icons) - sum(len(i) for i in set(icons)),
        )
        add("whitespace still cuttable", len(raw) - len(lean_html.collapse_whitespace(html).encode()))
        if len(figures["page"]) >= sample:
            break
    return {k: statistics.mean(v) for k, v in figures.items()}


# ---------------------------------------------------------------- building


def build(n: int, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """Generate and build `n` synthetic papers (twice with --compare-lean); measure each site."""
    print(f"== {n:,} papers", file=sys.stderr, flush=True)
    data = work / f"n{n}" / "data"
    synth.write_catalogue(data, n, args.seed)
    docs = bench_build.fresh_docs(work / f"n{n}" / "docs")
    result: dict[str, Any] = {"n": n, "sites": {}}
    gen = bench_build.run_child("generate", ["--data", str(data), "--docs", str(docs)], args, f"{n} generate")
    if "failed" in gen:
        raise SystemExit(f"generate failed at {n}: {gen['failed']}")
    result["generate_s"] = gen["generate_s"]
    variants = [("lean", "1")] + ([("theme whitespace", "0")] if args.compare_lean else [])
    for label, lean in variants:
        site = work / f"n{n}" / f"site-{lean}"
        shutil.rmtree(site, ignore_errors=True)
        opts = ["--config", str(ROOT / "mkdocs.yml"), "--docs", str(docs), "--site", str(site), "--papers", str(n)]
        before = os.environ.get(lean_html.ENV)
        os.environ[lean_html.ENV] = lean
        try:
            built = bench_build.run_child("mkdocs", opts, args, f"{n} site, {label}")
        finally:
            if before is None:
                os.environ.pop(lean_html.ENV, None)
            else:
                os.environ[lean_html.ENV] = before
        if "failed" in built:
            raise SystemExit(f"site build failed at {n}: {built['failed']}")
        start = time.perf_counter()
        sizes = measure(site)
        print(
            f"  [{n} site, {label}] built in {built['mkdocs_s']:.1f} s (CPU {built['mkdocs_cpu']:.1f} s), "
            f"{sizes['total']['bytes'] / 1e6:.1f} MB in {sizes['total']['files']:,} files "
            f"(measured in {time.perf_counter() - start:.1f} s)",
            file=sys.stderr,
            flush=True,
        )
        result["sites"][label] = {"build_s": built["mkdocs_s"], "build_cpu": built["mkdocs_cpu"], **sizes}
        if not args.keep:
            shutil.rmtree(site, ignore_errors=True)
    if not args.keep:
        shutil.rmtree(work / f"n{n}", ignore_errors=True)
    return result


# ---------------------------------------------------------------- tables


def _b(v: float) -> str:
    return bench_build._b(v)


def _line(results: Sequence[dict[str, Any]], label: str, part: str | None, key: str) -> tuple[float, float]:
    """(fixed, per paper) of a straight line through the two largest sizes' `key` of `part`
    (the total when None); one size: all per paper. A part that shrinks with size (preview cards
    past PAPER_CARDS_UP_TO) is taken as fixed at its largest size's value."""

    def value(r: dict[str, Any]) -> float:
        site = r["sites"][label]
        return float(site["total"][key] if part is None else site["parts"][part][key])

    points = sorted((r["n"], value(r)) for r in results if label in r["sites"])
    if len(points) == 1:
        n, v = points[0]
        return 0.0, v / n
    (n1, v1), (n2, v2) = points[-2:]
    slope = (v2 - v1) / (n2 - n1)
    if slope < 0:
        return v2, 0.0
    return v2 - slope * n2, slope


def size_table(results: Sequence[dict[str, Any]], label: str, target: int) -> tuple[str, list[str], list[list[str]]]:
    sizes = [r for r in results if label in r["sites"]]
    head = ["part"]
    for r in sizes:
        head += [f"{r['n']:,}: files", "bytes", "gzip", "per paper"]
    head += [f"{target:,} (extrapolated): files", "bytes"]
    rows = []
    for part in (*PARTS, None):
        name = part or "**whole site**"
        if part is not None and not any(r["sites"][label]["parts"][part]["files"] for r in sizes):
            continue
        row = [name]
        for r in sizes:
            e = r["sites"][label]["total" if part is None else "parts"]
            e = e if part is None else e[part]
            row += [
                f"{e['files']:,}",
                _b(e["bytes"]),
                _b(e["gzip"]),
                f"{_b(e['bytes'] / r['n'])}, {e['files'] / r['n']:.2f} files",
            ]
        # The whole site: the sum of its parts' lines (each part grows or stays on its own).
        lines = [(part, "files"), (part, "bytes")] if part else [(p, k) for k in ("files", "bytes") for p in PARTS]
        at = {"files": 0.0, "bytes": 0.0}
        for each, key in lines:
            fixed, per = _line(sizes, label, each, key)
            at[key] += fixed + per * target
        row += [f"~{at['files']:,.0f}", f"~{_b(at['bytes'])}"]
        rows.append(row)
    disk = [f"{r['n']:,}: {_b(r['sites'][label]['total']['disk'])}" for r in sizes]
    crowded = [
        f"{r['n']:,}: {r['sites'][label]['largest_folder'][0]:,} in {r['sites'][label]['largest_folder'][1]}/"
        for r in sizes
        if "largest_folder" in r["sites"][label]
    ]
    title = f"Site bytes and files by part ({label}); disk usage (4 KiB blocks): " + ", ".join(disk)
    if crowded:
        title += "; most entries in one folder: " + ", ".join(crowded)
    return title, head, rows


def anatomy_table(results: Sequence[dict[str, Any]]) -> tuple[str, list[str], list[list[str]]]:
    columns = [(r["n"], label) for r in results for label in r["sites"]]
    head = ["paper page (mean bytes)"] + [f"{n:,}, {label}" for n, label in columns]
    keys: list[str] = []
    for r in results:
        for site in r["sites"].values():
            keys += [k for k in site["anatomy"] if k not in keys]
    rows = []
    for key in keys:
        row = [key]
        for n, label in columns:
            v = next(r for r in results if r["n"] == n)["sites"][label]["anatomy"].get(key)
            row.append("—" if v is None else f"{v:.1f}" if "count" in key else f"{v:,.0f}")
        rows.append(row)
    return (
        "Where a paper page's bytes go (regions overlap: the config script is inside the page, not the head)",
        head,
        rows,
    )


def lean_table(results: Sequence[dict[str, Any]]) -> tuple[str, list[str], list[list[str]]] | None:
    head = ["papers", "whitespace kept", "whitespace cut", "saved", "paper pages saved", "gzip saved"]
    head += ["site build kept", "site build cut"]
    rows = []
    for r in results:
        sites = r["sites"]
        if "theme whitespace" not in sites:
            continue
        a, b = sites["theme whitespace"], sites["lean"]
        pa, pb = a["parts"]["paper pages"], b["parts"]["paper pages"]
        saved = a["total"]["bytes"] - b["total"]["bytes"]
        rows.append(
            [
                f"{r['n']:,}",
                _b(a["total"]["bytes"]),
                _b(b["total"]["bytes"]),
                f"{_b(saved)} ({saved / a['total']['bytes']:.1%}), {_b(saved / r['n'])} per paper",
                f"{_b(pa['bytes'] - pb['bytes'])} ({(pa['bytes'] - pb['bytes']) / pa['bytes']:.1%})",
                _b(a["total"]["gzip"] - b["total"]["gzip"]),
                f"{a['build_s']:.1f} s (CPU {a['build_cpu']:.1f})",
                f"{b['build_s']:.1f} s (CPU {b['build_cpu']:.1f})",
            ]
        )
    if not rows:
        return None
    return "The whitespace cut (LEAN_HTML), same docs built both ways in this run", head, rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1000,10000", help="comma-separated paper counts (default: 1000,10000)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--extrapolate", type=int, default=100_000, help="papers to extrapolate to (default: 100000)")
    p.add_argument("--compare-lean", action="store_true", help="also build with LEAN_HTML=0 and compare")
    p.add_argument("--markdown", action="store_true", help="also print the tables as Markdown")
    p.add_argument(
        "--json", type=Path, default=OUT / "size.json", help="figures file (default: benchmarks/out/size.json)"
    )
    p.add_argument("--workdir", type=Path, help="where to build (default: a temporary folder)")
    p.add_argument("--keep", action="store_true", help="keep the data, docs and sites")
    p.add_argument("--timeout", type=float, default=0, help="stop a child after this many seconds (0: never)")
    p.add_argument("--max-rss-gb", type=float, default=0, help="stop a child above this RSS (0: never)")
    p.add_argument("--tables", type=Path, help="print the tables of an earlier run's figures file, build nothing")
    args = p.parse_args(argv)
    sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip())
    if args.tables:
        results = json.loads(args.tables.read_text(encoding="utf-8"))["results"]
        args.compare_lean = any("theme whitespace" in r["sites"] for r in results)
        args.json = Path(tempfile.gettempdir()) / "bench-size-reprint.json"
    else:
        with contextlib.ExitStack() as stack:
            work = args.workdir or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-size-")))
            results = [build(n, args, work) for n in sizes]
    tables = [size_table(results, "lean", args.extrapolate)]
    if args.compare_lean:
        tables.append(size_table(results, "theme whitespace", args.extrapolate))
    tables.append(anatomy_table(results))
    lean = lean_table(results)
    if lean:
        tables.append(lean)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    payload = {"machine": bench_build.machine(), "revision": bench_build.revision(), "seed": args.seed}
    args.json.write_text(json.dumps({**payload, "results": results}, indent=1) + "\n", encoding="utf-8")
    print(f"\nMachine: {payload['machine']}\nCode: {payload['revision']}; seed {args.seed}; figures in {args.json}")
    print(
        f"The {args.extrapolate:,} column is a linear extrapolation of each part through the two "
        "largest sizes (fixed part + per-paper slope; the whole site is their sum), not a build.\n"
    )
    for table in tables:
        print(bench_build.format_text(*table) + "\n")
    if args.markdown:
        for table in tables:
            print(bench_build.format_markdown(*table) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
