"""Incremental site builds (issue 19): after a change that leaves most pages as they were, the new
site starts as a copy of the previous one and MkDocs rebuilds only the pages whose source changed.

How it stays the site a full build makes:
- **What every page shows** (the MkDocs config with its environment, the theme templates, the
  navigation, the search engine, the versions of MkDocs and the packages that render pages) is
  hashed into a fingerprint, kept in the built site (`STATE_FILE`) with the size and modification
  time of every docs file it was built from. Any difference in the fingerprint, no state, or
  `--full`, and the build is a full one; so is every build with Material's own search (its index
  is made from every page's text) and every Zensical build (Zensical keeps its own cache).
- **The copy** is made of hard links (`cp -al`), so it costs no bytes. Nothing is ever written
  through a link: the files at the site's root (sitemaps, 404 page, marks) are copied instead,
  `pagefind/` is left out (Pagefind indexes the whole catalogue every build), and before MkDocs
  writes a page or copies a file, `FreshWrites` removes the linked file it replaces. So the
  previous site is never touched, and a failed build leaves it as it was.
- **Changed sources**: a docs file whose size or modification time differs from the one
  recorded is rebuilt (its output is removed from the copy, so MkDocs' `--dirty` rule, "output
  older than source", rebuilds it); the others keep their output. Outputs of sources that are gone
  are removed.

What this does not redo for unchanged pages, and why that is sound here: links in changed pages to
anchors of unchanged pages are not checked again (they were checked when built).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.output import run_stamp

STATE_FILE = ".catalogue-build.json"
STATE_VERSION = 1
PACKAGES = ("mkdocs", "mkdocs-material", "pymdown-extensions", "markdown", "jinja2")
"""Packages whose version changes what a page's HTML is."""
DIRTY_WARNING = "A 'dirty' build is being performed"


@dataclass(frozen=True)
class Plan:
    """What the next site build does: `previous` is the site to start from (None: a full build);
    `reason` says why, in a few words, for the build's report."""

    previous: Path | None
    reason: str
    sources: Mapping[str, tuple[int, int]]
    """Docs-relative path -> (size, mtime_ns) recorded by the previous build."""


def fingerprint(
    config_file: Path,
    overrides: Mapping[str, Any],
    docs: Path,
    theme_dir: Path | None,
    extra: Mapping[str, str] | None = None,
) -> str:
    """A hash of what every page shows besides its own source; `extra`: what else the build does
    to every page (e.g. the whitespace cut of lean_html.py, and its version)."""
    h = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        h.update(f"{label}\0{len(data)}\0".encode())
        h.update(data)

    config_text = config_file.read_bytes()
    add("config", config_text)
    for name in sorted(set(re.findall(rb"!ENV\s*\[?\s*([A-Za-z_][A-Za-z0-9_]*)", config_text))):
        add("env:" + name.decode(), os.environ.get(name.decode(), "\0unset").encode("utf-8"))
    add("overrides", json.dumps(overrides, sort_keys=True, default=str).encode("utf-8"))
    navigation = docs / ".navigation.json"
    add("navigation", navigation.read_bytes() if navigation.is_file() else b"")
    if theme_dir is not None and theme_dir.is_dir():
        for path in sorted(p for p in theme_dir.rglob("*") if p.is_file()):
            add("theme:" + path.relative_to(theme_dir).as_posix(), path.read_bytes())
    for package in PACKAGES:
        try:
            version = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            version = "absent"
        add("package:" + package, version.encode())
    for key, value in sorted((extra or {}).items()):
        add("extra:" + key, value.encode("utf-8"))
    return h.hexdigest()


def docs_sources(docs: Path) -> dict[str, tuple[int, int]]:
    """Every file MkDocs reads from `docs` (not dot-files or dot-folders, as MkDocs skips them):
    path -> (size, mtime_ns)."""
    return run_stamp.file_stamps(docs, hidden=False)


def read_state(site: Path) -> dict[str, Any] | None:
    try:
        state = json.loads((site / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
        return None
    return state


def plan(site: Path | None, fingerprint_now: str, *, full: bool, engine: str, search_engine: str) -> Plan:
    """Whether the build can start from the site at `site` (None: there is none), and why (not)."""
    if full:
        return Plan(None, "full build (--full)", {})
    if engine != "mkdocs":
        return Plan(None, "full build (Zensical keeps its own cache)", {})
    if search_engine != "pagefind":
        return Plan(None, "full build (Material's search indexes every page)", {})
    state = read_state(site) if site is not None and site.is_dir() else None
    if state is None:
        return Plan(None, "full build (no earlier build to start from)", {})
    if state.get("fingerprint") != fingerprint_now:
        return Plan(None, "full build (configuration, theme, navigation or packages changed)", {})
    sources = state.get("sources")
    if not isinstance(sources, dict):
        return Plan(None, "full build (the earlier build's record is unreadable)", {})
    recorded = {k: (int(v[0]), int(v[1])) for k, v in sources.items() if isinstance(v, list) and len(v) == 2}
    assert site is not None
    return Plan(site, "incremental", recorded)


def write_state(site: Path, fingerprint_now: str, sources: Mapping[str, tuple[int, int]]) -> None:
    state = {"version": STATE_VERSION, "fingerprint": fingerprint_now, "sources": dict(sorted(sources.items()))}
    path = site / STATE_FILE
    path.unlink(missing_ok=True)  # never write through a link to the previous site
    path.write_text(json.dumps(state, separators=(",", ":")) + "\n", encoding="utf-8")


def clone(previous: Path, fresh: Path) -> None:
    """`fresh` (empty) becomes a copy of `previous` made of hard links, except the files at its
    root (copied) and `pagefind/` (left out). Raises OSError."""
    fresh.mkdir(parents=True, exist_ok=True)
    for entry in os.scandir(previous):
        target = fresh / entry.name
        if entry.name == "pagefind" or entry.name.startswith(".catalogue"):
            continue
        if entry.is_dir(follow_symlinks=False):
            _link_tree(Path(entry.path), target)
        elif entry.is_file(follow_symlinks=False):
            shutil.copy2(entry.path, target)


def empty(folder: Path) -> None:
    """Remove what a failed `clone` put into `folder` (links only: the previous site keeps its files)."""
    if not folder.is_dir():
        return
    for entry in os.scandir(folder):
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path)
        else:
            os.unlink(entry.path)


def _link_tree(source: Path, target: Path) -> None:
    try:
        proc = subprocess.run(["cp", "-al", str(source), str(target)], capture_output=True, text=True)
    except OSError:
        proc = None
    if proc is not None and proc.returncode == 0:
        return
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, copy_function=os.link)


def output_of(src: str, use_directory_urls: bool) -> str:
    """The site-relative output path MkDocs gives the docs file `src` (MkDocs' own rule)."""
    from mkdocs.structure.files import File

    return File(src, src_dir="", dest_dir="", use_directory_urls=use_directory_urls).dest_uri


def prepare(
    fresh: Path, previous: Mapping[str, tuple[int, int]], now: Mapping[str, tuple[int, int]], use_directory_urls: bool
) -> int:
    """In the copy: remove the outputs of sources that changed (MkDocs rebuilds them) or are gone.
    Returns the number of sources to rebuild."""
    changed = 0
    for src, stamp in now.items():
        if previous.get(src) != stamp:
            changed += 1
            _remove(fresh / output_of(src, use_directory_urls))
    for src in previous.keys() - now.keys():
        out = fresh / output_of(src, use_directory_urls)
        _remove(out)
        _prune(out.parent, fresh)
    return changed


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except IsADirectoryError:
        shutil.rmtree(path, ignore_errors=True)


def _prune(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def fresh_writes(site_dir: Path) -> Any:
    """A MkDocs plugin for an incremental build: before MkDocs writes a file into the copy, the
    linked file there is removed, so the previous site never changes. MkDocs rewrites a file when
    it is modified (`File.is_modified`), and the theme's static templates always."""
    from mkdocs.plugins import BasePlugin

    class FreshWrites(BasePlugin):
        def on_files(self, files: Any, config: Any) -> Any:
            for file in files:
                dest = file.abs_dest_path
                if os.path.lexists(dest) and file.is_modified():
                    os.unlink(dest)
            names: Iterable[str] = [*config.theme.static_templates, *config.extra_templates]
            for name in names:
                for path in (site_dir / name, site_dir / f"{name}.gz"):
                    if os.path.lexists(path):
                        os.unlink(path)
            return files

    return FreshWrites()


class DropDirtyWarning(logging.Filter):
    """MkDocs warns on every `--dirty` build that navigation may be stale; under `--strict` that
    would stop the build. Here the navigation is part of the fingerprint, so the warning does
    not apply."""

    def filter(self, record: logging.LogRecord) -> bool:
        return DIRTY_WARNING not in record.getMessage()
