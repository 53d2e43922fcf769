"""Benchmark the whole build on synthetic catalogues, against a bare MkDocs Material baseline.

For each size: generate a seeded synthetic catalogue (benchmarks/synth.py), then, in child
processes so that memory peaks never mix,

1. generate: `build_catalogue` -> `render` -> `write_outputs` into a fresh docs folder, with the
   seconds of every stage (parse, dedupe, topics, related, render, write) and the peak RSS;
2. mkdocs: the site build `python -m generator build` runs (generator/site/mkdocs_build.py: MkDocs,
   and past `pagefind_from` papers Pagefind indexing the catalogue at the same time, then the
   sitemap split) of those docs;
3. baseline: the same MkDocs Material theme and search plugin building as many bare
   one-paragraph pages as there are papers (out of the nav through `not_in_nav`);

then measure the site (bytes, median paper page, search index, largest pages) and print the
ratio of our whole build (generate + mkdocs) to the baseline.

    .venv/bin/python benchmarks/bench_build.py                      # 1,000 and 10,000, full
    .venv/bin/python benchmarks/bench_build.py --sizes 100000 --skip-mkdocs --timeout 480
    .venv/bin/python benchmarks/bench_build.py --repeat 3 --markdown

A child that runs past --timeout or over --max-rss-gb is stopped; the table then says which
stage it was in, with the stages it finished (stage progress is echoed to stderr as it goes).
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import faulthandler
import json
import logging
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
HAND_WRITTEN_DOCS = ["about.md", "publishing.md", "stylesheets"]
STAGES = ("parse", "dedupe", "topics", "related", "render", "write")
BASELINE_DIR = "pages"
ZENSICAL_PARTS = ("zensical", "zensical_cached", "baseline_zensical", "baseline_zensical_cached")

sys.path.insert(0, str(HERE))
import synth  # noqa: E402  (benchmarks/ is not a package)

# ---------------------------------------------------------------- child processes


def _rss_kib(field: str = "VmHWM") -> int:
    """Resident set (VmRSS) or its peak so far (VmHWM) of this process, KiB."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _peak_mb() -> float:
    # ru_maxrss is KiB on Linux.
    return round(max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, _rss_kib()) / 1024, 1)


def _start_watchdogs(timeout: float, max_rss_gb: float) -> None:
    """Stop this process, with every thread's traceback on stderr, past the time or memory limit."""
    if timeout > 0:
        faulthandler.dump_traceback_later(timeout, exit=True)
    if max_rss_gb <= 0:
        return

    # A timer signal, not a thread: the generator forks workers only while no other thread runs.
    def check(signum: int, frame: Any) -> None:
        rss = _rss_kib("VmRSS")
        if rss > max_rss_gb * 1024 * 1024:
            print(f"ABORT memory: RSS {rss / 1024:.0f} MB over {max_rss_gb} GB", file=sys.stderr, flush=True)
            faulthandler.dump_traceback(all_threads=True)
            os._exit(3)

    signal.signal(signal.SIGALRM, check)
    signal.setitimer(signal.ITIMER_REAL, 0.2, 0.2)
    # Stop the timer before the interpreter restores default signal handlers on exit (a
    # SIGALRM then would kill the finished process).
    atexit.register(signal.setitimer, signal.ITIMER_REAL, 0)


STAGE_CPU: dict[str, float] = {}
"""CPU seconds (user + system) per stage: less swayed than wall time by other work on the machine."""


def _report_stage(name: str, seconds: float, cpu: float) -> None:
    STAGE_CPU[name] = STAGE_CPU.get(name, 0.0) + cpu
    progress = {
        "stage": name,
        "seconds": round(seconds, 3),
        "cpu": round(cpu, 3),
        "hwm_mb": round(_rss_kib() / 1024, 1),
    }
    print("STAGE " + json.dumps(progress), file=sys.stderr, flush=True)


def _hook_stage_progress() -> None:
    """Echo each stage as it finishes (so a run stopped midway still says where the time went)."""
    from generator import pipeline

    original = pipeline.Timings.run

    def run(self: Any, name: str, fn: Any) -> Any:
        cpu = time.process_time()
        try:
            return original(self, name, fn)
        finally:
            _report_stage(name, self.stages.get(name, 0.0), time.process_time() - cpu)

    pipeline.Timings.run = run
    original_iterate = pipeline.Timings.iterate

    def iterate(self: Any, name: str, items: Any) -> Any:
        # Rendering is lazy (the writer pulls one page at a time): CPU is counted per page made.
        it = original_iterate(self, name, items)
        cpu = 0.0
        while True:
            start = time.process_time()
            try:
                item = next(it)
            except StopIteration:
                break
            finally:
                cpu += time.process_time() - start
            yield item
        _report_stage(name, self.stages.get(name, 0.0), cpu)

    pipeline.Timings.iterate = iterate


def _children_cpu() -> float:
    """CPU seconds of this process's finished children (worker processes)."""
    t = os.times()
    return t.children_user + t.children_system


def _markdown_sizes(docs: Path) -> dict[str, Any]:
    """Sizes of the generated files, as written (the writer's manifest lists them)."""
    generated = json.loads((docs / ".generated.json").read_text(encoding="utf-8"))
    sizes = {path: (docs / path).stat().st_size for path in generated}
    papers = sorted(v for k, v in sizes.items() if k.startswith("papers/"))
    pages = {k: v for k, v in sizes.items() if k.endswith(".md") and not k.startswith("papers/")}
    largest = sorted(pages.items(), key=lambda kv: -kv[1])[:3]
    return {
        "docs_bytes": sum(sizes.values()),
        "files": len(sizes),
        "paper_md_median": statistics.median(papers) if papers else 0,
        "paper_md_max": papers[-1] if papers else 0,
        "largest_other_md": largest,
        "catalogue_json_bytes": sizes.get("catalogue.json", 0),
    }


def child_generate(args: argparse.Namespace) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from generator import pipeline
    from generator.output import docs_writer, run_stamp

    _hook_stage_progress()
    start, cpu_start = time.perf_counter(), time.process_time()
    paths = pipeline.Paths(
        data=args.data, sources=args.data / "sources", docs=args.docs, site=args.docs.parent / "site"
    )
    result = pipeline.build_catalogue(paths)
    built = rendered = time.perf_counter()
    cpu_rendered = time.process_time()
    # Render and write interleave (one page at a time): write is what is left once the time
    # spent making the pages is taken off.
    children = _children_cpu()
    # As `generate` does: paper pages whose inputs did not change since the last run into this
    # docs folder are not rendered (render/pages.py PageReuse), and the run stamp records them.
    reuse = pipeline.page_reuse(paths)
    stats = docs_writer.write_outputs(args.docs, pipeline.iter_pages(result, reuse))
    key = pipeline.run_key(paths) or ""
    run_stamp.write(args.docs, key, "", len(result.catalogue.entries), False, reuse.found)
    written, cpu_written = time.perf_counter(), time.process_time()
    render_s = result.timings.stages.get("render", 0.0)
    _report_stage("write", written - rendered - render_s, cpu_written - cpu_rendered - STAGE_CPU.get("render", 0.0))
    # Paper pages are rendered by forked workers (generator/parallel.py): their CPU counts too.
    workers_cpu = _children_cpu() - children
    STAGE_CPU["render"] = STAGE_CPU.get("render", 0.0) + workers_cpu
    cpu_written += workers_cpu
    stages_cpu = dict(STAGE_CPU)
    # What a rebuild with no input change costs: every page made again, none written.
    again = docs_writer.write_outputs(args.docs, pipeline.iter_pages(result))
    rewritten = time.perf_counter()
    # The same with the paper pages' input keys: no paper page is rendered.
    reused = docs_writer.write_outputs(args.docs, pipeline.iter_pages(result, pipeline.page_reuse(paths)))
    rewritten_reusing = time.perf_counter()
    cat = result.catalogue
    review = getattr(cat, "review", None) or getattr(result, "review", ())
    stages = dict(result.timings.stages)
    stages["render"] = render_s
    stages["write"] = written - rendered - render_s
    return {
        "stages": stages,
        "other": (built - start) - sum(v for k, v in stages.items() if k not in ("render", "write")),
        "generate_s": written - start,
        "stages_cpu": stages_cpu,
        "generate_cpu": cpu_written - cpu_start,
        "rewrite_unchanged_s": rewritten - written,
        "rewrite_unchanged_files": getattr(again, "unchanged", None),
        "rewrite_reusing_s": rewritten_reusing - rewritten,
        "rewrite_reusing_written": reused.written,
        "pages_rendered": len(reuse.found) - reuse.reused(),
        "pages_reused": reuse.reused(),
        "peak_rss_mb": _peak_mb(),
        "workers_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        "papers": len(cat.entries),
        "records": getattr(cat, "records_read", None),
        "merges": len(getattr(cat, "merges", ())),
        "review": len(review),
        "problems": len(getattr(cat, "problems", ())),
        "written": getattr(stats, "written", None),
        **_markdown_sizes(args.docs),
    }


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage()[:300])


def child_mkdocs(args: argparse.Namespace) -> dict[str, Any]:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    counter = _Counter()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(counter)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    sys.path.insert(0, str(ROOT))
    from generator.site import mkdocs_build, search

    start, cpu_start, children_start = time.perf_counter(), time.process_time(), _children_cpu()
    engine, index_wait_s, load_s = search.MATERIAL, 0.0, 0.0
    mode, rebuilt = "full build", None
    try:
        if args.papers is not None:
            # Our site, built by the function `python -m generator build` runs (engine chosen by
            # the number of papers, Pagefind indexing while MkDocs builds, sitemap split).
            done = mkdocs_build.build_site(
                args.config, args.docs, args.site, args.papers, strict=False, previous_site=args.previous
            )
            engine, index_wait_s, load_s = done.engine, done.index_wait_s, done.load_s
            mode, rebuilt = done.mode, done.rebuilt
        else:
            # The bare baseline: MkDocs alone.
            cfg = load_config(config_file=str(args.config), docs_dir=str(args.docs), site_dir=str(args.site))
            load_s = time.perf_counter() - start
            build(cfg)
    except BaseException:
        print("\n".join(["MkDocs failed; its warnings and errors:", *counter.messages]), file=sys.stderr, flush=True)
        raise
    done_at = time.perf_counter()
    # Pagefind runs in child processes (the index job and its Pagefind): their CPU time is the children's.
    pagefind_cpu = _children_cpu() - children_start
    return {
        "engine": engine,
        "mode": mode,
        "rebuilt": rebuilt,
        "pagefind_wait_s": index_wait_s,
        "pagefind_cpu": pagefind_cpu,
        "load_s": load_s,
        "build_s": done_at - start - load_s,
        "mkdocs_s": done_at - start,
        "mkdocs_cpu": time.process_time() - cpu_start + pagefind_cpu,
        "peak_rss_mb": _peak_mb(),
        "warnings": len(counter.messages),
        "first_warnings": counter.messages[:3],
    }


def child_zensical(args: argparse.Namespace) -> dict[str, Any]:
    """A Zensical build: ours (`--papers`: the function `build --engine zensical` runs) or the
    bare baseline (`zensical build` of its config). Cold unless `--cached`: the cache Zensical
    keeps in `.cache/` beside its config is removed first."""
    sys.path.insert(0, str(ROOT))
    from generator.site import search, zensical_build

    if not args.cached:
        shutil.rmtree(Path(args.config).resolve().parent / ".cache", ignore_errors=True)
    start, children_start = time.perf_counter(), _children_cpu()
    engine, index_wait_s, load_s = search.MATERIAL, 0.0, 0.0
    if args.papers is not None:
        done = zensical_build.build_site(args.config, args.docs, args.site, args.papers, strict=False)
        engine, index_wait_s, load_s = done.engine, done.index_wait_s, done.load_s
    else:
        command = [sys.executable, "-m", "zensical", "build", "-f", str(args.config)]
        proc = subprocess.run(command, cwd=Path(args.config).parent, capture_output=True, text=True)
        if proc.returncode != 0:
            print(zensical_build.readable_log(proc.stdout + proc.stderr)[-3000:], file=sys.stderr, flush=True)
            raise SystemExit(f"zensical failed ({proc.returncode})")
    done_at = time.perf_counter()
    # Zensical and Pagefind run in child processes: the CPU and the memory peak are theirs.
    children_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "engine": engine,
        "pagefind_wait_s": index_wait_s,
        "load_s": load_s,
        "mkdocs_s": done_at - start,
        "mkdocs_cpu": time.process_time() + _children_cpu() - children_start,
        "peak_rss_mb": round(max(_peak_mb(), children_peak), 1),
        "warnings": 0,
        "first_warnings": [],
    }


def child_main(args: argparse.Namespace) -> int:
    _start_watchdogs(args.timeout, args.max_rss_gb)
    children = {"generate": child_generate, "mkdocs": child_mkdocs, "zensical": child_zensical}
    out = children[args.child](args)
    Path(args.result).write_text(json.dumps(out), encoding="utf-8")
    return 0


# ---------------------------------------------------------------- the parent: one size at a time


def run_child(kind: str, options: list[str], args: argparse.Namespace, label: str) -> dict[str, Any]:
    """Run a child, echo its stage progress, return its result or what is known of its failure."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        result_file = Path(f.name)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", kind, "--result", str(result_file)]
    cmd += ["--timeout", str(args.timeout), "--max-rss-gb", str(args.max_rss_gb), *options]
    load = os.getloadavg()[0]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    done_stages: dict[str, dict[str, Any]] = {}
    tail: list[str] = []
    for line in proc.stderr:
        if line.startswith("STAGE "):
            info = json.loads(line[6:])
            done_stages[info["stage"]] = info
            print(
                f"  [{label}] {info['stage']}: {info['seconds']:.2f} s (CPU {info['cpu']:.2f} s), "
                f"peak RSS so far {info['hwm_mb']:.0f} MB",
                file=sys.stderr,
                flush=True,
            )
        else:
            tail = (tail + [line.rstrip()])[-40:]
    code = proc.wait()
    wall = time.perf_counter() - start
    try:
        out = json.loads(result_file.read_text(encoding="utf-8")) if code == 0 else None
    finally:
        result_file.unlink(missing_ok=True)
    if out is not None:
        out.update(wall_s=wall, load_before=load, load_after=os.getloadavg()[0])
        return out
    print(f"  [{label}] failed (exit {code}):\n    " + "\n    ".join(tail[-12:]), file=sys.stderr, flush=True)
    return {
        "failed": _why_failed(code, tail, wall),
        "stages_done": done_stages,
        "wall_s": wall,
        "tail": tail,
        "load_before": load,
    }


def _why_failed(code: int, tail: Sequence[str], wall: float) -> str:
    text = "\n".join(tail)
    where = re.findall(r'File "[^"]*/generator/(\w+)\.py", line \d+ in (\w+)', text)
    # faulthandler prints the innermost frame first.
    stack = " > ".join(f"{m}.{fn}" for m, fn in reversed(where))
    inside = f" (in generator/{where[0][0]}.py {where[0][1]}; stack: {stack})" if where else ""
    if "ABORT memory" in text:
        return f"stopped over the memory limit after {wall:.0f} s{inside}"
    if "Timeout" in text:
        return f"stopped at the time limit after {wall:.0f} s{inside}"
    return f"exit code {code} after {wall:.0f} s{inside}"


def fresh_docs(folder: Path) -> Path:
    """A docs folder with only the hand-written pages, as a fresh clone has (tests/conftest.py)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name in HAND_WRITTEN_DOCS:
        src = ROOT / "docs" / name
        if src.is_dir():
            shutil.copytree(src, folder / name)
        elif src.exists():
            shutil.copy2(src, folder / name)
    return folder


def _theme() -> dict[str, Any]:
    """The theme block of our mkdocs.yml (same theme, features and palette) for the baseline."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    try:
        theme = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader).get("theme")
    except (OSError, yaml.YAMLError, AttributeError):
        theme = None
    if not isinstance(theme, dict):
        return {"name": "material", "font": False}
    # Bare Material: our template overrides (custom_dir) are part of what is measured, not of the baseline.
    return {k: v for k, v in theme.items() if k != "custom_dir"}


def write_baseline(folder: Path, papers: Sequence[synth.SynthPaper]) -> Path:
    """A bare MkDocs Material project: one one-paragraph page per paper, out of the nav."""
    import yaml

    if folder.exists():
        shutil.rmtree(folder)
    docs = folder / "docs" / BASELINE_DIR
    docs.mkdir(parents=True)
    (folder / "docs" / "index.md").write_text("# Baseline\n\nOne page per paper, nothing else.\n", encoding="utf-8")
    for i, paper in enumerate(papers):
        (docs / f"p{i:06d}.md").write_text(f"# {paper.title}\n\n{paper.abstract}\n", encoding="utf-8")
    config = {
        "site_name": "Baseline",
        "use_directory_urls": True,
        "theme": _theme(),
        "plugins": ["search"],
        "not_in_nav": f"/{BASELINE_DIR}/\n",
    }
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return folder


def measure_site(site: Path, papers_dir: str = "papers") -> dict[str, Any]:
    """Bytes of the site, of its search index, of the paper pages, and the largest other pages."""
    total = count = 0
    papers: list[int] = []
    others: list[tuple[str, int]] = []
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        size = path.stat().st_size
        total += size
        count += 1
        rel = path.relative_to(site).as_posix()
        if rel.endswith(".html") and rel.startswith(papers_dir + "/"):
            papers.append(size)
        elif rel.endswith(".html"):
            others.append((rel, size))
    papers.sort()
    index = site / "search" / "search_index.json"
    extra = {name: (site / name).stat().st_size for name in ("catalogue.json", "sitemap.xml") if (site / name).exists()}
    return {
        "data_files": extra,
        "site_bytes": total,
        "site_files": count,
        "paper_html_median": statistics.median(papers) if papers else 0,
        "paper_html_max": papers[-1] if papers else 0,
        "largest_other_html": sorted(others, key=lambda kv: -kv[1])[:3],
        "search_index_bytes": index.stat().st_size if index.exists() else 0,
        "pagefind_bytes": sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file()),
    }


def zensical_project(folder: Path) -> Path:
    """Our config and theme copied into `folder` (Zensical builds only docs and site folders
    inside the folder of its config); returns the config."""
    shutil.copytree(ROOT / "templates", folder / "templates", dirs_exist_ok=True)
    shutil.copy2(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    return folder / "mkdocs.yml"


def zensical_baseline_config(baseline: Path) -> Path:
    """The bare baseline for Zensical: the same project, with the one-page nav spelled out
    (Zensical reads no `not_in_nav`; without a `nav:` every page would be in it)."""
    import yaml

    config = baseline / "zensical.yml"
    settings = {"INHERIT": "mkdocs.yml", "site_dir": "zsite", "nav": ["index.md"]}
    config.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    return config


def _zensical_runs(run: dict[str, Any], label: str, n: int, options: list[str], args: argparse.Namespace) -> None:
    """Cold, then cached (Zensical's cache from the cold run, the site folder removed each time)."""
    for key, extra in ((label, []), (label + "_cached", ["--cached"])):
        run[key] = run_child("zensical", options + extra, args, f"{n} {key}")
        print(f"  [{n} {key}] {run[key].get('mkdocs_s', 0):.1f} s", file=sys.stderr, flush=True)
        if "failed" in run[key]:
            return


def _add_a_dump(run: dict[str, Any], n: int, data: Path, docs: Path, site: Path, work: Path, args: Any) -> None:
    """A week's dump on the catalogue just built: `args.add_dump` % new papers (their own seed),
    generate into the same docs folder, then the site built incrementally from the one before."""
    extra = work / f"n{n}" / "extra"
    added = max(1, round(n * args.add_dump / 100))
    _, summary = synth.write_catalogue(extra, added, args.seed + 1000)
    for dump in sorted((extra / "sources").glob("*.txt")):
        shutil.copy(dump, data / "sources" / f"9{dump.name}")
    run["add"] = {"papers": added, "records": summary["records"]}
    run["add_generate"] = run_child(
        "generate", ["--data", str(data), "--docs", str(docs)], args, f"{n} + dump generate"
    )
    if "failed" in run["add_generate"]:
        return
    following = work / f"n{n}" / "site-next"
    shutil.rmtree(following, ignore_errors=True)
    opts = ["--config", str(ROOT / "mkdocs.yml"), "--docs", str(docs), "--site", str(following)]
    run["add_mkdocs"] = run_child(
        "mkdocs", [*opts, "--papers", str(n + added), "--previous", str(site)], args, f"{n} + dump site"
    )
    print(
        f"  [{n} + dump site] {run['add_mkdocs'].get('mkdocs_s', 0):.1f} s, {run['add_mkdocs'].get('mode')}, "
        f"{run['add_mkdocs'].get('rebuilt')} sources rebuilt",
        file=sys.stderr,
        flush=True,
    )
    shutil.rmtree(following, ignore_errors=True)
    shutil.rmtree(extra, ignore_errors=True)


def bench_size(n: int, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    print(f"== {n:,} papers", file=sys.stderr, flush=True)
    data = work / f"n{n}" / "data"
    start = time.perf_counter()
    made, summary = synth.write_catalogue(data, n, args.seed)
    print(
        f"  synth: {summary['records']:,} records in {len(summary['files'])} dumps, "
        f"{time.perf_counter() - start:.1f} s",
        file=sys.stderr,
        flush=True,
    )
    baseline = None
    if not args.skip_mkdocs and not args.no_baseline:
        baseline = write_baseline(work / f"n{n}" / "baseline", made)
    del made
    runs: list[dict[str, Any]] = []
    for _ in range(args.repeat):
        run: dict[str, Any] = {}
        docs = fresh_docs(work / f"n{n}" / "docs")
        site = work / f"n{n}" / "site"
        run["generate"] = run_child("generate", ["--data", str(data), "--docs", str(docs)], args, f"{n} generate")
        if "failed" not in run["generate"] and not args.skip_mkdocs and "mkdocs" in args.engines:
            shutil.rmtree(site, ignore_errors=True)
            opts = ["--config", str(ROOT / "mkdocs.yml"), "--docs", str(docs), "--site", str(site)]
            run["mkdocs"] = run_child("mkdocs", opts + ["--papers", str(n)], args, f"{n} mkdocs")
            print(f"  [{n} mkdocs] {run['mkdocs'].get('mkdocs_s', 0):.1f} s", file=sys.stderr, flush=True)
            if "failed" not in run["mkdocs"]:
                run["site"] = measure_site(site)
        if args.add_dump > 0 and "failed" not in run.get("mkdocs", {"failed": "not built"}):
            _add_a_dump(run, n, data, docs, site, work, args)
        if "failed" not in run["generate"] and "zensical" in args.engines:
            zsite = work / f"n{n}" / "zsite"
            config = zensical_project(work / f"n{n}")
            options = ["--config", str(config), "--docs", str(docs), "--site", str(zsite), "--papers", str(n)]
            shutil.rmtree(zsite, ignore_errors=True)
            _zensical_runs(run, "zensical", n, options, args)
            if "failed" not in run["zensical_cached"]:
                run["zensical_site"] = measure_site(zsite)
            shutil.rmtree(zsite, ignore_errors=True)
        if baseline is not None and "mkdocs" in args.engines:
            bsite = baseline / "site"
            shutil.rmtree(bsite, ignore_errors=True)
            opts = ["--config", str(baseline / "mkdocs.yml"), "--docs", str(baseline / "docs"), "--site", str(bsite)]
            run["baseline"] = run_child("mkdocs", opts, args, f"{n} baseline")
            print(f"  [{n} baseline] {run['baseline'].get('mkdocs_s', 0):.1f} s", file=sys.stderr, flush=True)
            if "failed" not in run["baseline"]:
                run["baseline_site"] = measure_site(bsite, BASELINE_DIR)
        if baseline is not None and "zensical" in args.engines:
            config = zensical_baseline_config(baseline)
            _zensical_runs(run, "baseline_zensical", n, ["--config", str(config)], args)
            if "failed" not in run["baseline_zensical_cached"]:
                run["baseline_zensical_site"] = measure_site(baseline / "zsite", BASELINE_DIR)
        runs.append(run)
        if any("failed" in v for v in run.values() if isinstance(v, dict)):
            break
    if not args.keep:
        shutil.rmtree(work / f"n{n}", ignore_errors=True)
    return {"n": n, "synth": {k: v for k, v in summary.items() if k != "files"}, "runs": runs}


# ---------------------------------------------------------------- figures and tables


def _median(runs: Sequence[dict[str, Any]], part: str, *keys: str) -> float | None:
    values = []
    for run in runs:
        value: Any = run.get(part)
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, int | float):
            values.append(value)
    return statistics.median(values) if values else None


def figures(result: dict[str, Any]) -> dict[str, Any]:
    """Medians over the runs of one size, and the derived totals."""
    runs = result["runs"]
    f: dict[str, Any] = {"n": result["n"], "runs": len(runs)}
    failed = [
        (part, run[part])
        for run in runs
        for part in ("generate", "mkdocs", "baseline", *ZENSICAL_PARTS)
        if "failed" in run.get(part, {})
    ]
    if failed:
        part, info = failed[0]
        f["failed"] = f"{part}: {info['failed']}"
        f["stages_done"] = {k: (v["seconds"], v.get("cpu")) for k, v in info.get("stages_done", {}).items()}
        f["hwm_mb"] = max((v["hwm_mb"] for v in info.get("stages_done", {}).values()), default=None)
    for stage in STAGES:
        f[stage] = _median(runs, "generate", "stages", stage)
    for key in (
        "other",
        "generate_s",
        "peak_rss_mb",
        "papers",
        "records",
        "merges",
        "review",
        "problems",
        "rewrite_unchanged_s",
        "rewrite_reusing_s",
        "paper_md_median",
        "paper_md_max",
        "catalogue_json_bytes",
        "docs_bytes",
    ):
        f[key] = _median(runs, "generate", key)
    f["generate_cpu"] = _median(runs, "generate", "generate_cpu")
    f["stages_cpu"] = {stage: _median(runs, "generate", "stages_cpu", stage) for stage in STAGES}
    f["mkdocs_s"] = _median(runs, "mkdocs", "mkdocs_s")
    f["mkdocs_cpu"] = _median(runs, "mkdocs", "mkdocs_cpu")
    f["baseline_cpu"] = _median(runs, "baseline", "mkdocs_cpu")
    f["mkdocs_rss_mb"] = _median(runs, "mkdocs", "peak_rss_mb")
    f["mkdocs_warnings"] = _median(runs, "mkdocs", "warnings")
    f["baseline_s"] = _median(runs, "baseline", "mkdocs_s")
    f["baseline_rss_mb"] = _median(runs, "baseline", "peak_rss_mb")
    for key in ("site_bytes", "paper_html_median", "paper_html_max", "search_index_bytes", "pagefind_bytes"):
        f[key] = _median(runs, "site", key)
        f["baseline_" + key] = _median(runs, "baseline_site", key)
    for part in ZENSICAL_PARTS:
        f[part + "_s"] = _median(runs, part, "mkdocs_s")
        f[part + "_rss_mb"] = _median(runs, part, "peak_rss_mb")
    f["add_papers"] = _median(runs, "add", "papers")
    f["add_generate_s"] = _median(runs, "add_generate", "generate_s")
    f["add_mkdocs_s"] = _median(runs, "add_mkdocs", "mkdocs_s")
    f["add_rebuilt"] = _median(runs, "add_mkdocs", "rebuilt")
    f["add_sources"] = _median(runs, "add_generate", "written")
    f["add_pages_rendered"] = _median(runs, "add_generate", "pages_rendered")
    f["add_render_s"] = _median(runs, "add_generate", "stages", "render")
    f["zensical_site_bytes"] = _median(runs, "zensical_site", "site_bytes")
    f["zensical_paper_html_median"] = _median(runs, "zensical_site", "paper_html_median")
    f["baseline_zensical_paper_html_median"] = _median(runs, "baseline_zensical_site", "paper_html_median")
    parts = ("generate", "mkdocs", "baseline", *ZENSICAL_PARTS)
    loads = [run[p]["load_before"] for run in runs for p in parts if p in run and "load_before" in run[p]]
    f["load"] = max(loads) if loads else None
    last = runs[-1] if runs else {}
    f["largest_other_html"] = last.get("site", {}).get("largest_other_html", [])
    f["largest_other_md"] = last.get("generate", {}).get("largest_other_md", [])
    f["data_files"] = last.get("site", {}).get("data_files", {})
    f["expected_papers"] = result["synth"]["papers"]
    f["expected_merges"] = result["synth"]["records"] - result["synth"]["papers"]
    if f["generate_s"] is not None and f["mkdocs_s"] is not None:
        f["whole_s"] = f["generate_s"] + f["mkdocs_s"]
        if f["baseline_s"]:
            f["ratio"] = f["whole_s"] / f["baseline_s"]
    if f["generate_cpu"] is not None and f["mkdocs_cpu"] is not None:
        f["whole_cpu"] = f["generate_cpu"] + f["mkdocs_cpu"]
        if f["baseline_cpu"]:
            f["ratio_cpu"] = f["whole_cpu"] / f["baseline_cpu"]
    return f


def _s(v: float | None) -> str:
    return "—" if v is None else f"{v:.2f}" if v < 10 else f"{v:.1f}" if v < 100 else f"{v:.0f}"


def _b(v: float | None) -> str:
    if v is None:
        return "—"
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if v >= size:
            return f"{v / size:.1f} {unit}"
    return f"{v:.0f} B"


def _n(v: float | None) -> str:
    return "—" if v is None else f"{v:,.0f}"


def _wall_cpu(wall: float | None, cpu: float | None) -> str:
    return _s(wall) if cpu is None else f"{_s(wall)} ({_s(cpu)})"


def _mb(v: float | None) -> str:
    return "—" if v is None else f"{v:,.0f} MB"


def tables(all_figures: Sequence[dict[str, Any]]) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, header, rows) of the tables to print."""
    gen_head = ["papers", "records", *STAGES, "other", "parse→write", "peak RSS"]
    site_head = ["papers", "generate", "mkdocs", "whole", "baseline", "ratio", "ratio (CPU)", "site", "search index"]
    size_head = ["papers", "paper page (median)", "paper page (max)", "baseline page", "largest other page"]
    check_head = [
        "papers",
        "found",
        "merged (expected)",
        "to review",
        "problems",
        "rewrite unchanged",
        "same, reusing pages",
    ]
    check_head += ["mkdocs RSS", "baseline RSS", "baseline site", "baseline index", "load avg"]
    gen_rows, site_rows, size_rows, check_rows = [], [], [], []
    for f in all_figures:
        n = _n(f["n"])
        cpu = f.get("stages_cpu") or {}
        row = [n, _n(f["records"]), *(_wall_cpu(f[s], cpu.get(s)) for s in STAGES), _s(f["other"])]
        row += [_wall_cpu(f["generate_s"], f["generate_cpu"]), _mb(f["peak_rss_mb"])]
        if f.get("failed"):
            done = ", ".join(f"{k} {_wall_cpu(*v)} s" for k, v in f["stages_done"].items()) or "none"
            row[-2] = f"stopped: {f['failed']}; finished: {done}"
            row[-1] = _mb(f["hwm_mb"]) + " so far"
        gen_rows.append(row)
        ratio, ratio_cpu = f.get("ratio"), f.get("ratio_cpu")
        site_rows.append(
            [
                n,
                _wall_cpu(f["generate_s"], f["generate_cpu"]),
                _wall_cpu(f["mkdocs_s"], f["mkdocs_cpu"]),
                _wall_cpu(f.get("whole_s"), f.get("whole_cpu")),
                _wall_cpu(f["baseline_s"], f["baseline_cpu"]),
                "—" if ratio is None else f"{ratio:.2f}×",
                "—" if ratio_cpu is None else f"{ratio_cpu:.2f}×",
                _b(f["site_bytes"]),
                _b(f["search_index_bytes"])
                if f["search_index_bytes"]
                else f"Pagefind {_b(f['pagefind_bytes'])} in chunks",
            ]
        )
        largest = f["largest_other_html"][:1]
        size_rows.append(
            [
                n,
                _b(f["paper_html_median"]),
                _b(f["paper_html_max"]),
                _b(f["baseline_paper_html_median"]),
                f"{_b(largest[0][1])} ({largest[0][0]})" if largest else "—",
            ]
        )
        check_rows.append(
            [
                n,
                _n(f["papers"]),
                f"{_n(f['merges'])} ({_n(f['expected_merges'])})",
                _n(f["review"]),
                _n(f["problems"]),
                _s(f["rewrite_unchanged_s"]),
                _s(f.get("rewrite_reusing_s")),
                _mb(f["mkdocs_rss_mb"]),
                _mb(f["baseline_rss_mb"]),
                _b(f["baseline_site_bytes"]),
                _b(f["baseline_search_index_bytes"]),
                "—" if f["load"] is None else f"{f['load']:.1f}",
            ]
        )
    out = [
        ("Generator stages: wall seconds (CPU seconds); peak RSS of the generate process", gen_head, gen_rows),
        ("Whole build (generate + MkDocs) against a bare MkDocs Material build of as many pages", site_head, site_rows),
        ("Page sizes (HTML bytes as built)", size_head, size_rows),
        ("Checks: dedupe found the synthetic truth; memory of the MkDocs builds; machine load", check_head, check_rows),
    ]
    if any(f.get("zensical_s") is not None or f.get("baseline_zensical_s") is not None for f in all_figures):
        out.append(engine_table(all_figures))
    if any(f.get("add_mkdocs_s") is not None for f in all_figures):
        out.append(add_dump_table(all_figures))
    return out


def add_dump_table(all_figures: Sequence[dict[str, Any]]) -> tuple[str, list[str], list[list[str]]]:
    """A new dump on a built catalogue: generate again, then the incremental site build, against
    the full build (generate + MkDocs) of the run before it."""
    head = [
        "papers",
        "new papers",
        "generate",
        "paper pages rendered (render s)",
        "site (incremental)",
        "pages rebuilt",
        "whole",
        "full build",
        "ratio",
    ]
    rows = []
    for f in all_figures:
        if f.get("add_mkdocs_s") is None or f.get("add_generate_s") is None:
            continue
        whole = f["add_generate_s"] + f["add_mkdocs_s"]
        full = f.get("whole_s")
        rows.append(
            [
                _n(f["n"]),
                _n(f["add_papers"]),
                _s(f["add_generate_s"]),
                f"{_n(f.get('add_pages_rendered'))} ({_s(f.get('add_render_s'))})",
                _s(f["add_mkdocs_s"]),
                _n(f["add_rebuilt"]),
                _s(whole),
                _s(full),
                "—" if not full else f"{whole / full:.2f}×",
            ]
        )
    return "Adding a dump: generate, then the site built incrementally, against the full build", head, rows


def engine_table(all_figures: Sequence[dict[str, Any]]) -> tuple[str, list[str], list[list[str]]]:
    """Both engines, our site and the bare baseline, in the same run: wall seconds, peak RSS of
    the largest process, and the ratio of our whole build (generate + site) to the bare one."""
    head = ["papers", "engine", "site (ours)", "whole (ours)", "bare baseline", "ratio", "peak RSS"]
    head += ["baseline RSS", "paper page", "baseline page"]
    rows = []

    def ratio(whole: float | None, bare: float | None) -> str:
        return "—" if whole is None or not bare else f"{whole / bare:.2f}×"

    for f in all_figures:
        gen = f["generate_s"]
        if f["mkdocs_s"] is not None or f["baseline_s"] is not None:
            whole = None if f["mkdocs_s"] is None or gen is None else gen + f["mkdocs_s"]
            rows.append(
                [_n(f["n"]), "MkDocs", _s(f["mkdocs_s"]), _s(whole), _s(f["baseline_s"]), ratio(whole, f["baseline_s"])]
                + [_mb(f["mkdocs_rss_mb"]), _mb(f["baseline_rss_mb"]), _b(f["paper_html_median"])]
                + [_b(f["baseline_paper_html_median"])]
            )
        for kind, suffix in (("cold", ""), ("cached", "_cached")):
            ours, bare = f.get("zensical" + suffix + "_s"), f.get("baseline_zensical" + suffix + "_s")
            if ours is None and bare is None:
                continue
            whole = None if ours is None or gen is None else gen + ours
            rows.append(
                [_n(f["n"]), f"Zensical, {kind}", _s(ours), _s(whole), _s(bare), ratio(whole, bare)]
                + [_mb(f.get("zensical" + suffix + "_rss_mb")), _mb(f.get("baseline_zensical" + suffix + "_rss_mb"))]
                + [_b(f.get("zensical_paper_html_median")), _b(f.get("baseline_zensical_paper_html_median"))]
            )
    title = "Engines: our site and a bare build of as many one-paragraph pages, in the same run (wall seconds)"
    return title, head, rows


def format_text(title: str, head: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(head)]
    lines = [title, "  ".join(h.rjust(w) for h, w in zip(head, widths, strict=True))]
    lines += ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


def format_markdown(title: str, head: list[str], rows: list[list[str]]) -> str:
    lines = [f"**{title}**", "", "| " + " | ".join(head) + " |", "|" + "|".join(" ---: " for _ in head) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def calibrate() -> float:
    """CPU seconds of a plain 10-million-iteration Python loop: scales these figures to another machine."""
    start = time.process_time()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.process_time() - start


def machine() -> str:
    import platform

    mem = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kib = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        mem = f", {kib / 1024 / 1024:.0f} GB RAM"
    cpu = ""
    with contextlib.suppress(OSError, IndexError):
        cpu = ", " + Path("/proc/cpuinfo").read_text().split("model name")[1].split(":", 1)[1].splitlines()[0].strip()
    return (
        f"nproc {len(os.sched_getaffinity(0))}{cpu}{mem}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


# ---------------------------------------------------------------- command line


def revision() -> str:
    """The commit measured, and whether the code that runs differed from it."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "generator", "templates", "mkdocs.yml", "data/topics.yml"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
    except OSError:
        return "unknown revision"
    changed = len(dirty.stdout.splitlines())
    return f"commit {head.stdout.strip() or '?'}" + (f" + {changed} uncommitted file(s)" if changed else "")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1000,10000", help="comma-separated paper counts (default: 1000,10000)")
    p.add_argument("--repeat", type=int, default=1, help="runs per size; the table shows medians (default: 1)")
    p.add_argument("--seed", type=int, default=1, help="synthetic catalogue seed (default: 1)")
    p.add_argument(
        "--skip-mkdocs", action="store_true", help="measure only the generator stages (no site, no baseline)"
    )
    p.add_argument("--no-baseline", action="store_true", help="build our site but not the bare baseline")
    p.add_argument(
        "--add-dump",
        type=float,
        default=0,
        metavar="PERCENT",
        help="after the MkDocs build, add a dump of PERCENT %% new papers, generate again and build the "
        "site incrementally from the first one (default: 0, not measured)",
    )
    p.add_argument(
        "--engine",
        nargs="?",
        const="both",
        default="mkdocs",
        choices=["mkdocs", "zensical", "both"],
        help="site engine(s) to measure, each with its bare baseline; --engine alone: both (default: mkdocs)",
    )
    p.add_argument("--markdown", action="store_true", help="also print the tables as Markdown (for BENCHMARKS.md)")
    p.add_argument("--json", type=Path, help="write every figure of every run to this file")
    p.add_argument("--workdir", type=Path, help="where to build (default: a temporary folder)")
    p.add_argument("--keep", action="store_true", help="keep the generated data, docs and sites")
    p.add_argument("--timeout", type=float, default=0, help="stop a child process after this many seconds (0: never)")
    p.add_argument("--max-rss-gb", type=float, default=0, help="stop a child process above this RSS (0: never)")
    p.add_argument("--child", choices=["generate", "mkdocs", "zensical"], help=argparse.SUPPRESS)
    p.add_argument("--cached", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--previous", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--docs", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--site", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--config", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--papers", type=int, help=argparse.SUPPRESS)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.child:
        return child_main(args)
    try:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes takes comma-separated integers, not {args.sizes!r}")
    if not sizes or min(sizes) < 1 or args.repeat < 1:
        parser.error("sizes and --repeat must be positive")
    args.engines = () if args.skip_mkdocs else ("mkdocs", "zensical") if args.engine == "both" else (args.engine,)
    calibration = calibrate()
    with contextlib.ExitStack() as stack:
        work = args.workdir or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-")))
        results = [bench_size(n, args, work) for n in sizes]
    all_figures = [figures(r) for r in results]
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "machine": machine(),
                    "revision": revision(),
                    "calibration_s": calibration,
                    "results": results,
                    "figures": all_figures,
                },
                indent=1,
                default=str,
            )
            + "\n",
            encoding="utf-8",
        )
    print(
        f"\nMachine: {machine()}; a 10M-iteration Python loop takes {calibration:.2f} s CPU here\n"
        f"Code: {revision()}; seed {args.seed}; {args.repeat} run(s) per size (medians); "
        "load avg = highest 1-minute load average seen as a child started\n"
    )
    for table in tables(all_figures):
        print(format_text(*table) + "\n")
    for f in all_figures:
        print(
            f"{_n(f['n'])} papers: largest non-paper Markdown pages {f['largest_other_md']}; "
            f"HTML {f['largest_other_html']}; paper Markdown median {_b(f['paper_md_median'])}, "
            f"max {_b(f['paper_md_max'])}; paper HTML max {_b(f['paper_html_max'])}; "
            f"catalogue.json {_b(f['catalogue_json_bytes'])}; in the site: "
            + ", ".join(f"{k} {_b(v)}" for k, v in f["data_files"].items())
            + f"; MkDocs warnings {f['mkdocs_warnings']}"
        )
    if args.markdown:
        print()
        for table in tables(all_figures):
            print(format_markdown(*table) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
