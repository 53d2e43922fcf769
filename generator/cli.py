"""Command line: `check`, `generate`, `build`, `serve`.

Exit codes: 0 done (problems reported as warnings), 1 problems under --strict or input that
cannot be used at all, 2 wrong usage (argparse's own exit code).
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from pathlib import Path

from . import build, config, write
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
        p.add_argument("--data", type=Path, default=Path("data"), help="folder with sources/, topics.yml (default: data)")
        p.add_argument("--sources", type=Path, help="dumps folder (default: DATA/sources)")
        p.add_argument("--strict", action="store_true", help="exit 1 when any problem is reported")
        p.add_argument("--verbose", "-v", action="store_true", help="list every merge and topic count")
        if name != "check":
            p.add_argument("--docs", type=Path, default=Path("docs"), help="docs folder to write (default: docs)")
            p.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="MkDocs config (default: mkdocs.yml)")
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
    failed = bool(result.catalogue.problems) and args.strict
    if args.command == "check":
        return 1 if failed else 0
    if failed:
        print("error: problems reported and --strict given; nothing was written", file=sys.stderr)
        return 1
    try:
        stats = write.write_outputs(paths.docs, build.render(result))
    except write.WriteError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"docs: {stats.written} written, {stats.unchanged} unchanged, {stats.removed} removed in {paths.docs}")
    if args.command == "build":
        return _mkdocs_build(args.config, paths)
    if args.command == "serve":
        return _serve(args, paths)
    return 0


def _load_mkdocs_config(config_file: Path, paths: build.Paths, **overrides: object):  # type: ignore[no-untyped-def]
    from mkdocs.config import load_config

    return load_config(str(config_file), docs_dir=str(paths.docs.resolve()), **overrides)


def _mkdocs_build(config_file: Path, paths: build.Paths) -> int:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import MkDocsException

    try:
        cfg = _load_mkdocs_config(config_file, paths, site_dir=str(paths.site.resolve()), strict=True)
        mkdocs_build(cfg)
    except MkDocsException as err:
        print(f"error: MkDocs build failed: {err}", file=sys.stderr)
        return 1
    print(f"site: built {paths.site}")
    return 0


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
            stats = write.write_outputs(paths.docs, build.render(result))
            print(f"regenerated: {summary(result)}; {stats.written} files written", flush=True)
        except (config.ConfigError, write.WriteError) as err:
            print(f"regeneration failed, the previous pages stay: {err}", file=sys.stderr, flush=True)
