"""Command line: `check`, `generate`, `build`, `serve`. Parses arguments, calls the pipeline, prints.

Exit codes: 0 done (problems reported as warnings), 1 problems under --strict or input that
cannot be used at all, 2 wrong usage (argparse's own exit code).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
from pathlib import Path

from generator import pipeline, terminal
from generator.models import ConfigError
from generator.output import run_stamp
from generator.render.console_report import format_report
from generator.site.early_index import EarlyIndex

COMMANDS = {
    "check": "parse, dedupe, assign topics and report; writes nothing",
    "generate": "write the generated pages and catalogue.json into the docs folder",
    "build": "generate, then build the static site with MkDocs (strict)",
    "serve": "generate, then serve locally, regenerating when the data folder changes",
}


_PATH_OPTIONS = [  # option, the commands that take it, help (defaults: pipeline.paths_for)
    ("--data", "check generate build serve", "folder with sources/, topics.yml (default: data)"),
    ("--sources", "check generate build serve", "dumps folder (default: DATA/sources)"),
    ("--ledger", "check generate build serve", "URL ledger (default: DATA/published.json for DATA/sources)"),
    ("--docs", "generate build serve", "docs folder to write (default: docs)"),
    ("--config", "generate build serve", "MkDocs config (default: mkdocs.yml)"),
    ("--site", "build", "site folder to build (default: site)"),
]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, text in COMMANDS.items():
        p = sub.add_parser(name, help=text, description=text)
        for option, commands, help_ in _PATH_OPTIONS:
            if name in commands.split():
                p.add_argument(option, type=Path, help=help_)
        p.add_argument("--strict", action="store_true", help="exit 1 when any problem is reported")
        p.add_argument("--verbose", "-v", action="store_true", help="list every merge, topic count and note")
        if name == "build":
            p.add_argument(
                "--engine",
                default=None,
                help="mkdocs (Material; default) or zensical; also ENGINE= in the environment",
            )
            p.add_argument(
                "--full",
                action="store_true",
                help="rebuild every page (by default MkDocs rebuilds only the pages whose source changed, "
                "when nothing every page shows has changed)",
            )
        if name == "serve":
            p.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: 127.0.0.1:8000)")
    return parser


_NO_LEDGER = "no URL ledger read or written (--ledger PATH to keep one)"


def _say(text: str, err: bool = False) -> None:
    """Print text that may hold dump text: control characters are escaped (terminal.py)."""
    print(terminal.safe(text), file=sys.stderr if err else sys.stdout, flush=True)


def _fail(*lines: str) -> int:
    for line in lines:
        _say(f"error: {line}", err=True)
    return 1


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handler = logging.StreamHandler()
    handler.setFormatter(terminal.SafeFormatter("%(levelname)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    engine = "mkdocs"  # only `build` builds a site
    if args.command == "build":
        engine = (args.engine or os.environ.get("ENGINE") or "mkdocs").strip().lower()
    if engine not in pipeline.ENGINES:
        return _fail(f"engine {engine!r}: expected one of {', '.join(pipeline.ENGINES)}; nothing was read or written")
    options = [getattr(args, k, None) for k in ("data", "sources", "docs", "site", "ledger", "config")]
    paths = pipeline.paths_for(*options)
    if args.command != "check" and (errors := pipeline.output_problems(paths, args.command == "build")):
        return _fail(*errors, "nothing was read or written")
    key = None
    if args.command in ("generate", "build") and not args.verbose:
        try:
            key = pipeline.run_key(paths)
        except (ConfigError, OSError, ValueError):
            key = None  # an unusable input: the run below says what is wrong with it
    stamp = pipeline.unchanged_run(paths, key)
    if stamp is not None and not (args.strict and stamp.problems):
        return _unchanged(args, paths, stamp, engine)
    # `build` indexes the catalogue for search as soon as its papers are placed (site/early_index.py).
    with EarlyIndex(paths.config, paths.site) as index:
        return _run(args, paths, key, engine, index)


def _run(args: argparse.Namespace, paths: pipeline.Paths, key: str | None, engine: str, index: EarlyIndex) -> int:
    """Build the catalogue, report it and, but for `check`, publish it."""
    try:
        result = pipeline.build_catalogue(paths, on_placed=index.start if args.command == "build" else None)
    except ConfigError as err:
        for problem in err.problems:
            _say(str(problem), err=True)
        return _fail("the input cannot be used; nothing was written")
    report = format_report(result.catalogue, args.verbose)
    _say(report)
    if not result.catalogue.records_read:  # an empty catalogue would replace the published one
        return _fail(f"no record could be read from {paths.sources}; nothing was written")
    if paths.ledger is None:
        _say(f"ledger: {paths.sources} are not the dumps of {paths.data}: " + _NO_LEDGER)
    failed = args.strict and any(p.counts for p in result.catalogue.problems)
    if args.command == "check" or failed:
        return _fail("problems reported and --strict given; nothing was written") if failed else 0
    reuse = pipeline.page_reuse(paths)
    try:
        for line in pipeline.publish(
            paths,
            result,
            building_site=args.command == "build",
            engine=engine,
            full=getattr(args, "full", False),
            reuse=reuse,
            index_job=index.job,
        ):
            _say(line)
    except pipeline.PublishError as err:
        return _fail(*str(err).splitlines())
    if key is not None:
        problems = any(p.counts for p in result.catalogue.problems)
        run_stamp.write(paths.docs, key, terminal.safe(report), len(result.catalogue.entries), problems, reuse.found)
    return _serve(args, paths) if args.command == "serve" else 0


def _unchanged(args: argparse.Namespace, paths: pipeline.Paths, stamp: run_stamp.Stamp, engine: str) -> int:
    """Nothing changed since the last run: its report, and the site built if it is not current."""
    print(stamp.report, flush=True)  # made safe for the terminal when it was recorded
    _say(f"docs: up to date in {paths.docs} (nothing they are made from changed since the last run)")
    if args.command == "build":
        try:
            for line in pipeline.build_unchanged(paths, stamp, engine, getattr(args, "full", False)):
                _say(line)
        except pipeline.PublishError as err:
            return _fail(*str(err).splitlines())
    return 0


def _serve(args: argparse.Namespace, paths: pipeline.Paths) -> int:
    from mkdocs.commands.serve import serve

    from generator.site import navigation, search

    # The topics-by-area navigation as of the first generate (a new topic shows after a restart).
    nav = navigation.nav_override(search.raw_config(paths.config).get("nav"), paths.docs)
    stop = threading.Event()
    threading.Thread(target=pipeline.watch, args=(paths, stop, _say), daemon=True).start()
    try:
        serve(str(paths.config), dev_addr=args.dev_addr, docs_dir=str(paths.docs.resolve()), **nav)
    finally:
        stop.set()
    return 0
