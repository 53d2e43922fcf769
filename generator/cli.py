"""Command line: `check`, `generate`, `build`, `serve`.

Exit codes: 0 done (problems reported as warnings), 1 problems under --strict or input that
cannot be used at all, 2 wrong usage (argparse's own exit code).
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import stat
import sys
import tempfile
import threading
from pathlib import Path

from . import build, config, search, sitebuild, sitemaps, write
from .report import format_report, summary

log = logging.getLogger(__name__)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    helps = {
        "check": "parse, dedupe, assign topics and report; writes nothing",
        "generate": "write the generated pages and catalogue.json into the docs folder",
        "build": "generate, then build the static site with MkDocs (strict)",
        "serve": "generate, then serve locally, regenerating when the data folder changes",
    }
    for name, text in helps.items():
        p = sub.add_parser(name, help=text, description=text)
        p.add_argument(
            "--data", type=Path, default=Path("data"), help="folder with sources/, topics.yml (default: data)"
        )
        p.add_argument("--sources", type=Path, help="dumps folder (default: DATA/sources)")
        p.add_argument("--strict", action="store_true", help="exit 1 when any problem is reported")
        p.add_argument("--verbose", "-v", action="store_true", help="list every merge and topic count")
        if name != "check":
            p.add_argument("--docs", type=Path, default=Path("docs"), help="docs folder to write (default: docs)")
            p.add_argument(
                "--config", type=Path, default=Path("mkdocs.yml"), help="MkDocs config (default: mkdocs.yml)"
            )
        if name == "build":
            p.add_argument("--site", type=Path, default=Path("site"), help="site folder to build (default: site)")
        if name == "serve":
            p.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: 127.0.0.1:8000)")
    return parser


def _paths(args: argparse.Namespace) -> build.Paths:
    return build.Paths(
        data=args.data,
        sources=args.sources or args.data / "sources",
        docs=getattr(args, "docs", Path("docs")),
        site=getattr(args, "site", Path("site")),
    )


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s")
    paths = _paths(args)
    try:
        result = build.build_catalogue(paths)
    except config.ConfigError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print("error: the input cannot be used; nothing was written", file=sys.stderr)
        return 1
    print(format_report(result, args.verbose))
    if not result.catalogue.records_read:
        # An empty catalogue would replace the published one: no record read is unusable input.
        print(f"error: no record could be read from {paths.sources}; nothing was written", file=sys.stderr)
        return 1
    failed = args.strict and any(p.counts for p in result.catalogue.problems)
    if args.command == "check":
        return 1 if failed else 0
    if failed:
        print("error: problems reported and --strict given; nothing was written", file=sys.stderr)
        return 1
    try:
        staged = write.stage_outputs(paths.docs, build.iter_pages(result))
        stats = staged.apply()
    except write.WriteError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"docs: {stats.written} written, {stats.unchanged} unchanged, {stats.removed} removed in {paths.docs}")
    if args.command == "build":
        # The docs change only if the site builds: a failed build puts the previous docs back.
        built = False
        try:
            built = _mkdocs_build(args.config, paths, len(result.catalogue.entries))
        finally:
            if not built:
                staged.rollback()
        if not built:
            print(f"error: the previous {paths.docs} and {paths.site} are left as they were", file=sys.stderr)
            return 1
    staged.commit()
    if build.save_ledger(paths, result):
        print(f"ledger: {paths.ledger_file} records {len(result.published)} published slugs (commit it)")
    if args.command == "serve":
        return _serve(args, paths)
    return 0


def _mkdocs_build(config_file: Path, paths: build.Paths, papers: int) -> bool:
    """Build the site into a hidden folder beside the site folder, then swap it in: a failed build
    leaves the previous site as it was (MkDocs --strict aborts after writing pages). The build
    itself (MkDocs, search index, sitemap) is generator/sitebuild.py."""
    from mkdocs.exceptions import MkDocsException

    site = paths.site.resolve()
    if site.exists() and not site.is_dir():
        print(f"error: {paths.site} exists and is not a folder: move it away", file=sys.stderr)
        return False
    try:
        site.parent.mkdir(parents=True, exist_ok=True)
        for kind in ("new", "old"):  # folders a killed run left
            for leftover in site.parent.glob(f".{site.name}.{kind}-*"):
                shutil.rmtree(leftover, ignore_errors=True)
        for leftover in site.parent.glob(f"{sitebuild.INDEX_WORK_PREFIX}*"):
            shutil.rmtree(leftover, ignore_errors=True)
        fresh = Path(tempfile.mkdtemp(prefix=f".{site.name}.new-", dir=site.parent))
    except OSError as err:
        print(f"error: cannot build next to {paths.site}: {err}", file=sys.stderr)
        return False
    try:
        done = sitebuild.build_site(config_file, paths.docs, fresh, papers)
        if done.engine == search.PAGEFIND:
            print(f"search: Pagefind ({papers} papers) {done.index_summary}")
        if done.sitemap_parts:
            print(f"sitemap: more than {sitemaps.LIMIT} URLs, an index of {done.sitemap_parts} parts")
        _swap_in(fresh, site)
    except (MkDocsException, OSError, ValueError, RuntimeError) as err:
        print(f"error: the site build failed: {err}", file=sys.stderr)
        return False
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
    print(f"site: built {paths.site}")
    return True


def _swap_in(fresh: Path, site: Path) -> None:
    """Put the folder `fresh` where `site` is; the old site is removed only once the new one is in place."""
    if site.exists() and not site.is_dir():
        raise OSError(f"{site} exists and is not a folder")
    fresh.chmod(stat.S_IMODE(site.stat().st_mode) if site.is_dir() else 0o777 & ~_umask())
    if not site.exists():
        os.rename(fresh, site)
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{site.name}.old-", dir=site.parent))
    try:
        os.rename(site, aside / site.name)
        try:
            os.rename(fresh, site)
        except OSError:
            os.rename(aside / site.name, site)
            raise
    finally:
        shutil.rmtree(aside, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _serve(args: argparse.Namespace, paths: build.Paths) -> int:
    from mkdocs.commands.serve import serve

    stop = threading.Event()
    watcher = threading.Thread(target=_regenerate_on_change, args=(paths, stop), daemon=True)
    watcher.start()
    try:
        serve(str(args.config), dev_addr=args.dev_addr, docs_dir=str(paths.docs.resolve()))
    finally:
        stop.set()
    return 0


def _snapshot(paths: build.Paths) -> dict[Path, float]:
    folders = [paths.data, paths.sources]
    return {p: p.stat().st_mtime for f in folders if f.is_dir() for p in f.rglob("*") if p.is_file()}


def _regenerate_on_change(paths: build.Paths, stop: threading.Event, interval: float = 1.0) -> None:
    """Poll the data folder; regenerate docs when it changes (MkDocs then rebuilds from docs)."""
    seen = _snapshot(paths)
    while not stop.wait(interval):
        now = _snapshot(paths)
        if now == seen:
            continue
        seen = now
        try:
            result = build.build_catalogue(paths)
            stats = write.write_outputs(paths.docs, build.iter_pages(result))
            print(f"regenerated: {summary(result)}; {stats.written} files written", flush=True)
        except (config.ConfigError, write.WriteError) as err:
            print(f"regeneration failed, the previous pages stay: {err}", file=sys.stderr, flush=True)
