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

from generator import pipeline, terminal
from generator.models import ConfigError
from generator.output import atomic, docs_writer, folders
from generator.render.console_report import format_report, summary
from generator.site import mkdocs_build, search, sitemaps

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
            p.add_argument(
                "--ledger",
                type=Path,
                help="URL ledger to read and grow (default: DATA/published.json when the dumps are DATA/sources)",
            )
        else:
            p.add_argument("--ledger", type=Path, help="URL ledger to read (default: DATA/published.json)")
        if name == "build":
            p.add_argument("--site", type=Path, default=Path("site"), help="site folder to build (default: site)")
        if name == "serve":
            p.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: 127.0.0.1:8000)")
    return parser


def _paths(args: argparse.Namespace) -> pipeline.Paths:
    sources = args.sources or args.data / "sources"
    return pipeline.Paths(
        data=args.data,
        sources=sources,
        docs=getattr(args, "docs", Path("docs")),
        site=getattr(args, "site", Path("site")),
        ledger=args.ledger or pipeline.own_ledger(args.data, sources),
    )


class _SafeFormatter(logging.Formatter):
    """Log lines name dump files: their control characters are escaped like the report's."""

    def format(self, record: logging.LogRecord) -> str:
        return terminal.safe(super().format(record))


def _say(text: str, err: bool = False) -> None:
    """Print text that may hold dump text: control characters are escaped (terminal.py)."""
    print(terminal.safe(text), file=sys.stderr if err else sys.stdout, flush=True)


def _output_errors(args: argparse.Namespace, paths: pipeline.Paths) -> list[str]:
    """Why the output folders cannot be used (checked before anything is read or written)."""
    if args.command == "check":
        return []
    inputs = {
        "data folder": paths.data,
        "sources folder": paths.sources,
        "MkDocs config": args.config,
        "templates folder": pipeline.TEMPLATES,
    }
    if paths.ledger is not None:
        inputs["URL ledger"] = paths.ledger
    keep = {"working folder": Path.cwd(), "folder of the MkDocs config": args.config.parent, "generator": _PACKAGE}
    # The first reason for each folder is enough to correct it.
    errors = folders.check_output("docs", paths.docs, inputs, keep)[:1]
    if args.command == "build":
        site = folders.check_output("site", paths.site, {**inputs, "docs folder": paths.docs}, keep)
        errors += (site or folders.check_site_replaceable(paths.site))[:1]
    return errors


_PACKAGE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handler = logging.StreamHandler()
    handler.setFormatter(_SafeFormatter("%(levelname)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    paths = _paths(args)
    errors = _output_errors(args, paths)
    if errors:
        for error in errors:
            _say(f"error: {error}", err=True)
        _say("error: nothing was read or written", err=True)
        return 1
    try:
        result = pipeline.build_catalogue(paths)
    except ConfigError as err:
        for problem in err.problems:
            _say(str(problem), err=True)
        _say("error: the input cannot be used; nothing was written", err=True)
        return 1
    _say(format_report(result.catalogue, args.verbose))
    if not result.catalogue.records_read:
        # An empty catalogue would replace the published one: no record read is unusable input.
        _say(f"error: no record could be read from {paths.sources}; nothing was written", err=True)
        return 1
    if paths.ledger is None:
        _say(
            f"ledger: {paths.sources} are not the dumps of {paths.data}: "
            "no URL ledger read or written (--ledger PATH to keep one)"
        )
    failed = args.strict and any(p.counts for p in result.catalogue.problems)
    if args.command == "check":
        return 1 if failed else 0
    if failed:
        _say("error: problems reported and --strict given; nothing was written", err=True)
        return 1
    if not _publish(args, paths, result):
        return 1
    if args.command == "serve":
        return _serve(args, paths)
    return 0


def _publish(args: argparse.Namespace, paths: pipeline.Paths, result: pipeline.Result) -> bool:
    """Write the docs, build the site aside (for `build`) and swap it in, then the URL ledger, as
    one transaction: a failure at any step leaves docs, site and ledger as they were."""
    try:
        staged = docs_writer.stage_outputs(paths.docs, pipeline.iter_pages(result))
        stats = staged.apply()
    except docs_writer.WriteError as err:
        _say(f"error: {err}", err=True)
        return False
    _say(f"docs: {stats.written} written, {stats.unchanged} unchanged, {stats.removed} removed in {paths.docs}")
    pending = None
    fresh = None
    try:
        pending = pipeline.prepare_ledger(paths, result)
        if args.command == "build":
            fresh = _build_aside(args.config, paths, len(result.catalogue.entries))
            if fresh is None:
                raise _Failed
            _swap_in(fresh, paths.site.resolve())
            _say(f"site: built {paths.site}")
        if pending:
            pending.commit()
            _say(f"ledger: {paths.ledger} records {len(result.published)} published slugs (commit it)")
    except (_Failed, OSError) as err:
        if isinstance(err, OSError):
            _say(f"error: writing the site or the URL ledger failed: {err}", err=True)
        staged.rollback()
        if pending:
            pending.discard()
        _say(f"error: the previous {paths.docs}, {paths.site} and URL ledger are left as they were", err=True)
        return False
    finally:
        if fresh is not None:
            shutil.rmtree(fresh, ignore_errors=True)
    staged.commit()
    return True


class _Failed(Exception):
    """A step failed and said why."""


def _build_aside(config_file: Path, paths: pipeline.Paths, papers: int) -> Path | None:
    """Build the site into a new hidden folder beside the site folder (MkDocs --strict aborts after
    writing pages, so it never builds in place); None, having said why, when the build fails. The
    build itself (MkDocs, search index, sitemap) is generator/mkdocs_build.py."""
    from mkdocs.exceptions import MkDocsException

    site = paths.site.resolve()
    try:
        site.parent.mkdir(parents=True, exist_ok=True)
        for kind in ("new", "old"):  # folders a killed run left
            for leftover in site.parent.glob(f".{site.name}.{kind}-*"):
                shutil.rmtree(leftover, ignore_errors=True)
        for leftover in site.parent.glob(f"{mkdocs_build.INDEX_WORK_PREFIX}*"):
            shutil.rmtree(leftover, ignore_errors=True)
        fresh = Path(tempfile.mkdtemp(prefix=f".{site.name}.new-", dir=site.parent))
    except OSError as err:
        _say(f"error: cannot build next to {paths.site}: {err}", err=True)
        return None
    try:
        done = mkdocs_build.build_site(config_file, paths.docs, fresh, papers)
        (fresh / folders.SITE_MARK).write_text(folders.SITE_MARK_TEXT, encoding="utf-8")
    except (MkDocsException, OSError, ValueError, RuntimeError) as err:
        _say(f"error: the site build failed: {err}", err=True)
        shutil.rmtree(fresh, ignore_errors=True)
        return None
    if done.engine == search.PAGEFIND:
        _say(f"search: Pagefind ({papers} papers) {done.index_summary}")
    if done.sitemap_parts:
        _say(f"sitemap: more than {sitemaps.LIMIT} URLs, an index of {done.sitemap_parts} parts")
    return fresh


def _swap_in(fresh: Path, site: Path) -> None:
    """Put the folder `fresh` where `site` is; the old site (checked to be one `build` made, see
    folders.py) is removed only once the new one is in place."""
    if site.exists() and not site.is_dir():
        raise OSError(f"{site} exists and is not a folder")
    fresh.chmod(stat.S_IMODE(site.stat().st_mode) if site.is_dir() else 0o777 & ~atomic.umask())
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


def _serve(args: argparse.Namespace, paths: pipeline.Paths) -> int:
    from mkdocs.commands.serve import serve

    stop = threading.Event()
    watcher = threading.Thread(target=_regenerate_on_change, args=(paths, stop), daemon=True)
    watcher.start()
    try:
        serve(str(args.config), dev_addr=args.dev_addr, docs_dir=str(paths.docs.resolve()))
    finally:
        stop.set()
    return 0


def _snapshot(paths: pipeline.Paths) -> dict[Path, float]:
    folders = [paths.data, paths.sources]
    return {p: p.stat().st_mtime for f in folders if f.is_dir() for p in f.rglob("*") if p.is_file()}


def _regenerate_on_change(paths: pipeline.Paths, stop: threading.Event, interval: float = 1.0) -> None:
    """Poll the data folder; regenerate docs when it changes (MkDocs then rebuilds from docs)."""
    seen = _snapshot(paths)
    while not stop.wait(interval):
        now = _snapshot(paths)
        if now == seen:
            continue
        seen = now
        try:
            result = pipeline.build_catalogue(paths)
            stats = docs_writer.write_outputs(paths.docs, pipeline.iter_pages(result))
            _say(f"regenerated: {summary(result.catalogue)}; {stats.written} files written")
        except (ConfigError, docs_writer.WriteError) as err:
            _say(f"regeneration failed, the previous pages stay: {err}", err=True)
