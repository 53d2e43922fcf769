"""What a search costs a reader with Pagefind at 1,000, 10,000 and 100,000 papers (issue 7, part 3).

    .venv/bin/python benchmarks/bench_search.py --sizes 1000,10000,100000

1. Builds the bundled catalogue once for real (`python -m generator build`, SEARCH_ENGINE=pagefind):
   the theme, the search box, the scripts, the topic pages.
2. For each size, replaces its paper pages with N synthetic papers (benchmarks/synth.py titles and
   abstracts) written directly as HTML in the shape of a real built paper page (one real page is
   the template: only the title and the abstract change). Generating and MkDocs-building 100,000
   pages takes far too long for this benchmark; Pagefind only reads the built HTML, so it sees what
   it would see after a real build.
3. Runs Pagefind over the folder (timed), measures the index on disk, serves the folder on
   localhost and, in headless Chromium (Debian's), opens the home page, types a query into the
   search box and sums the bytes of every response the search caused (pagefind.js, its wasm, the
   index chunks and the fragments of the first results shown). Two queries: a word drawn from one
   paper's abstract that few papers share, and a very common one. Then the browse page narrowed
   to one topic and sorted by date (`browse/?topic=...&sort=added`): every byte that page
   downloads, the page itself included. Each synthetic paper gets its own facets and facet words
   (1-3 topics of the bundled taxonomy, their areas, one listing per 2,000 papers, one of 12
   months added), so that the filter index has the shape a real catalogue of that size gives it.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import synth  # noqa: E402
from slugify import slugify  # noqa: E402

from generator.render.facets import MONTH_NAMES  # noqa: E402
from generator.site.search import run_pagefind  # noqa: E402
from tests.browser import CHROMIUM_ARGS, chromium_path, serve_folder  # noqa: E402
from tests.conftest import copy_hand_written_docs  # noqa: E402

COMMON_WORD = "learning"


def build_base(tmp: Path) -> Path:
    """The bundled catalogue, really built for Pagefind; returns its site folder."""
    data, docs, site = tmp / "data", tmp / "docs", tmp / "site"
    shutil.copytree(ROOT / "data", data)
    copy_hand_written_docs(docs)
    command = [sys.executable, "-m", "generator", "build", "--data", str(data), "--docs", str(docs)]
    proc = subprocess.run(
        [*command, "--site", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "SEARCH_ENGINE": "pagefind"},
    )
    if proc.returncode != 0:
        raise SystemExit(proc.stdout + proc.stderr)
    return site


FACETS_RE = re.compile(r'(?:<span data-pagefind-(?:filter|sort)="[a-z]+" hidden>[^<]*</span>)+')


def page_template(site: Path) -> str:
    """A real built paper page, with placeholders for the title, the abstract and the facets."""
    page = next(p for p in sorted((site / "papers").glob("*/index.html")) if "data-pagefind-body" in p.read_text())
    text = page.read_text(encoding="utf-8")
    title = re.search(r'<span data-pagefind-meta="title" hidden>(.*?)</span>', text).group(1)
    text = text.replace(title, "@@TITLE@@")
    text = re.sub(r'(<h1 class="paper-title">).*?(</h1>)', r"\1@@TITLE@@\2", text, count=1, flags=re.S)
    abstract = r'(class="paper-abstract">).*?(</div>)'  # the abstract's own div holds only its paragraphs
    text, found = re.subn(abstract, r"\1<p>@@ABSTRACT@@</p>\2", text, count=1, flags=re.S)
    text, facets = FACETS_RE.subn("@@FACETS@@", text, count=1)
    text, words = re.subn(r'<span data-pagefind-index-attrs="data-facets"[^>]*></span>', "@@WORDS@@", text, count=1)
    shape = found == facets == words == 1 and text.count("@@TITLE@@") >= 2
    assert shape, "the paper page's shape changed: update page_template"
    return text


def synthetic_facets(number: int, rng: random.Random, catalogue: dict[str, Any]) -> tuple[str, str]:
    """Facets (and facet words) for the `number`th synthetic paper, drawn like a real catalogue's."""
    from generator.render.facets import Facets, facets_html, words_html

    areas = {a["slug"]: a["name"] for a in catalogue["areas"]}
    topics = rng.sample(catalogue["topics"], rng.choice((1, 1, 2, 2, 2, 3)))
    month = f"{rng.choice(MONTHS)} 2026"
    filters = [("kind", "Paper"), *(("topic", t["name"]) for t in topics)]
    filters += [("area", name) for name in dict.fromkeys(areas[t["area"]] for t in topics)]
    filters += [("listing", f"Listing {number // 2000:03d}"), ("added", month)]
    sorts = [("title", f"paper {number:06d}"), ("added", f"2026-{MONTHS.index(month[:-5]) + 1:02d}-01")]
    sorts.append(("listed", str(number // 2000)))
    facets = Facets(tuple(filters), tuple(sorts))
    return facets_html(facets), words_html(facets)


MONTHS = list(MONTH_NAMES)


def write_papers(site: Path, template: str, papers: list[Any], catalogue: dict[str, Any]) -> int:
    shutil.rmtree(site / "papers", ignore_errors=True)
    shutil.rmtree(site / "pagefind", ignore_errors=True)
    total = 0
    rng = random.Random(7)
    for number, paper in enumerate(papers):
        folder = site / "papers" / f"{slugify(paper.title, max_length=70)}-{number}"
        folder.mkdir(parents=True, exist_ok=True)
        facets, words = synthetic_facets(number, rng, catalogue)
        page = (
            template.replace("@@TITLE@@", html.escape(paper.title))
            .replace("@@ABSTRACT@@", html.escape(paper.abstract))
            .replace("@@FACETS@@", facets)
            .replace("@@WORDS@@", words)
        )
        total += (folder / "index.html").write_text(page, encoding="utf-8")
    return total


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def rare_word(papers: list[Any], rng: random.Random) -> str:
    counts: dict[str, int] = {}
    for paper in papers:
        for word in set(re.findall(r"[a-z]{7,}", paper.abstract.lower())):
            counts[word] = counts.get(word, 0) + 1
    paper = papers[rng.randrange(len(papers))]
    words = sorted(set(re.findall(r"[a-z]{7,}", paper.abstract.lower())), key=lambda w: (counts[w], w))
    return words[0]


def measure_query(browser: Any, base: str, query: str) -> dict[str, Any]:
    """Bytes of every response caused by typing `query` into the search box on the home page."""
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    sizes: dict[str, int] = {}
    outside: list[str] = []
    searching = {"on": False}

    def on_response(response: Any) -> None:
        if not response.url.startswith(base):
            outside.append(response.url)
        if searching["on"]:
            try:
                sizes[response.url] = len(response.body())
            except Exception:  # noqa: BLE001 - a redirect or aborted response has no body
                sizes[response.url] = 0

    page.on("response", on_response)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base)
    page.wait_for_load_state("load")
    searching["on"] = True
    started = time.perf_counter()
    page.locator("input.md-search__input").click()
    page.keyboard.type(query)
    try:
        page.locator(".md-search-result__item a.md-search-result__link").first.wait_for(timeout=300_000)
    except Exception as err:
        meta = page.locator(".md-search-result__meta").inner_text()
        raise SystemExit(f"no result for {query!r} ({meta}); browser errors: {errors}") from err
    page.wait_for_load_state("networkidle")
    elapsed = time.perf_counter() - started
    meta = page.locator(".md-search-result__meta").inner_text()
    context.close()
    assert not outside, outside
    chunks = {"index": 0, "fragment": 0, "other": 0}
    for url, size in sizes.items():
        kind = "index" if "/pagefind/index/" in url else "fragment" if "/pagefind/fragment/" in url else "other"
        chunks[kind] += size
    result = {"query": query, "bytes": sum(sizes.values()), "requests": len(sizes), "seconds": elapsed, "meta": meta}
    return result | {f"{k}_bytes": v for k, v in chunks.items()}


def measure_browse(browser: Any, base: str, topic: str) -> dict[str, Any]:
    """Every byte the browse page downloads when opened narrowed to `topic`, sorted by date, until
    its first results are shown."""
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    sizes: dict[str, int] = {}

    def on_response(response: Any) -> None:
        try:
            sizes[response.url] = len(response.body())
        except Exception:  # noqa: BLE001 - a redirect or aborted response has no body
            sizes[response.url] = 0

    page.on("response", on_response)
    started = time.perf_counter()
    page.goto(f"{base}browse/?topic={urllib.parse.quote(topic)}&sort=added")
    page.locator(".catalogue-browse__results li").first.wait_for(timeout=300_000)
    page.wait_for_load_state("networkidle")
    elapsed = time.perf_counter() - started
    status = page.inner_text(".catalogue-browse__status")
    context.close()
    biggest = max(sizes.values())
    filters = sum(v for u, v in sizes.items() if "/pagefind/filter/" in u)
    return {"bytes": sum(sizes.values()), "requests": len(sizes), "seconds": elapsed, "status": status} | {
        "biggest": biggest,
        "filter_bytes": filters,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    from playwright.sync_api import sync_playwright

    tmp = args.keep or Path(tempfile.mkdtemp(prefix="bench-search-"))
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        print("building the bundled catalogue for Pagefind (the theme and a real paper page) ...", flush=True)
        site = build_base(tmp / "base")
        template = page_template(site)
        catalogue = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
        topic = max(catalogue["topics"], key=lambda t: len(t["papers"]))["name"]
        corpus = synth.load_corpus()
        all_papers = synth.make_papers(max(sizes), args.seed, corpus)
        print(
            "paper pages written directly as HTML in the shape of a built paper page (not MkDocs-built);"
            " topic pages, theme and scripts from a real build of the bundled catalogue"
        )
        rows = []
        for n in sizes:
            papers = all_papers[:n]
            html_bytes = write_papers(site, template, papers, catalogue)
            started = time.perf_counter()
            summary = run_pagefind(site)
            index_seconds = time.perf_counter() - started
            index_bytes, index_files = folder_size(site / "pagefind")
            word = rare_word(papers, random.Random(args.seed))
            with serve_folder(site) as base, sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
                try:
                    queries = [measure_query(browser, base, q) for q in (word, COMMON_WORD)]
                    browse = measure_browse(browser, base, topic)
                finally:
                    browser.close()
            row = {
                "papers": n,
                "html_mb": html_bytes / 1e6,
                "pagefind_s": index_seconds,
                "summary": summary,
                "index_mb": index_bytes / 1e6,
                "index_files": index_files,
                "queries": queries,
                "browse": browse,
            }
            rows.append(row)
            print(
                f"\n{n:,} papers: {html_bytes / 1e6:.0f} MB of paper pages; pagefind {index_seconds:.1f} s ({summary});"
                f" index {index_bytes / 1e6:.1f} MB in {index_files:,} files",
                flush=True,
            )
            for q in queries:
                print(
                    f"  query {q['query']!r} ({q['meta']}): {q['bytes'] / 1e3:.0f} KB in {q['requests']} requests"
                    f" (index chunks {q['index_bytes'] / 1e3:.0f} KB, fragments {q['fragment_bytes'] / 1e3:.0f} KB,"
                    f" pagefind.js + wasm + entry/meta {q['other_bytes'] / 1e3:.0f} KB), first results in"
                    f" {q['seconds']:.2f} s",
                    flush=True,
                )
            b = browse
            print(
                f"  browse page, topic {topic!r} by date ({b['status']}): {b['bytes'] / 1e3:.0f} KB in"
                f" {b['requests']} requests (filter index {b['filter_bytes'] / 1e3:.0f} KB, largest file"
                f" {b['biggest'] / 1e3:.0f} KB), first results in {b['seconds']:.2f} s",
                flush=True,
            )
        print("\n| papers | pagefind indexing | index on disk | query | downloaded by the query | requests |")
        print("| ---: | ---: | ---: | --- | ---: | ---: |")
        for row in rows:
            for q in row["queries"]:
                disk = f"{row['index_mb']:.1f} MB ({row['index_files']:,} files)"
                print(
                    f"| {row['papers']:,} | {row['pagefind_s']:.1f} s | {disk} | `{q['query']}` ({q['meta']})"
                    f" | {q['bytes'] / 1e3:.0f} KB | {q['requests']} |"
                )
            b = row["browse"]
            print(
                f"| {row['papers']:,} | | | browse page, one topic by date ({b['status']})"
                f" | {b['bytes'] / 1e3:.0f} KB (whole page) | {b['requests']} |"
            )
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
