"""Which search engine a build uses, and the Pagefind step when it is Pagefind.

Material's built-in search ships one JSON index that every reader's browser downloads in full
when a page opens (about 1.7 KB per paper here): fine for a few thousand papers, 170 MB at 100,000. Past a number of
papers the site is built without Material's search plugin and indexed by Pagefind instead, whose
index is split into small chunks that a query fetches on demand.

- `choose_engine` is the pure decision: the paper count against the threshold, unless forced.
- `mkdocs_overrides` reads `mkdocs.yml` (unchanged, portable) and gives the `load_config`
  overrides for the chosen engine: the same plugins without `search` for Pagefind.
- `mark_config` tells the theme which engine it renders for (`config.extra.search_engine`);
  `templates/theme/partials/header.html` then renders the Pagefind search box and
  `partials/content.html` marks what Pagefind indexes (`data-pagefind-body`).
- `start_index` starts Pagefind on the catalogue in a child process (generator/site/pagefind_index.py)
  before MkDocs builds; `IndexJob.finish` puts the index into the built site after. `fork_index`
  starts the same job earlier, in a forked child, from the records `catalogue.json` will hold
  (site/early_index.py).
- `run_pagefind` indexes a folder of HTML pages with the bundled binary (offline).

Configuration: `extra: {catalogue: {pagefind_from: N}}` in `mkdocs.yml` (default 0: Pagefind at every size);
the environment variable `SEARCH_ENGINE=material|pagefind` forces one engine whatever the size.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

MATERIAL = "material"
PAGEFIND = "pagefind"
ENGINES = (MATERIAL, PAGEFIND)
ENV_VAR = "SEARCH_ENGINE"
DEFAULT_PAGEFIND_FROM = 0
"""Pagefind at every size: the browse filters and sorts, short highlighted excerpts and all-words
queries are Pagefind's. (Material's index is about 1.7 KB per paper, downloaded in full on the
first page a reader opens: 3.4 MB at 2,000 papers; a Pagefind query costs 0.2-0.3 MB at 1,000 to
10,000 papers, BENCHMARKS.md.)"""

SEARCH_PLUGINS = {"search", "material/search"}
# Not indexed even inside the indexed part: Material's permalink signs.
EXCLUDE_SELECTORS = (".headerlink",)


class SearchConfigError(ValueError):
    """A threshold or an engine name that cannot be used."""


def choose_engine(papers: int, pagefind_from: int | None = None, forced: str | None = None) -> str:
    """The engine for a catalogue of `papers` papers: Pagefind from `pagefind_from` papers on,
    Material below; `forced` (an engine name, e.g. from the environment) wins when given."""
    if forced:
        engine = forced.strip().lower()
        if engine not in ENGINES:
            raise SearchConfigError(f"{ENV_VAR}={forced!r}: expected one of {', '.join(ENGINES)}")
        return engine
    threshold = DEFAULT_PAGEFIND_FROM if pagefind_from is None else pagefind_from
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 0:
        raise SearchConfigError(f"extra.catalogue.pagefind_from: expected a number of papers >= 0, got {threshold!r}")
    return PAGEFIND if papers >= threshold else MATERIAL


def raw_config(config_file: Path) -> dict[str, Any]:
    from mkdocs.utils.yaml import yaml_load

    with open(config_file, "rb") as fd:
        return yaml_load(fd)


def _plugin_name(entry: object) -> str | None:
    if isinstance(entry, str):
        return entry
    if isinstance(entry, Mapping) and len(entry) == 1:
        return str(next(iter(entry)))
    return None


def without_search(plugins: Mapping[str, Any] | Iterable[Any] | None) -> list[Any] | dict[str, Any]:
    """The `plugins` setting (list or mapping, as MkDocs accepts) without Material's search plugin.
    MkDocs' default when the setting is absent is `[search]`: nothing remains of it."""
    if plugins is None:
        return []
    if isinstance(plugins, Mapping):
        return {name: options for name, options in plugins.items() if name not in SEARCH_PLUGINS}
    return [entry for entry in plugins if _plugin_name(entry) not in SEARCH_PLUGINS]


def mkdocs_overrides(
    config_file: Path, papers: int, environ: Mapping[str, str] | None = None
) -> tuple[str, dict[str, Any]]:
    """(engine, keyword overrides for `mkdocs.config.load_config`) for this config and catalogue."""
    environ = os.environ if environ is None else environ
    raw = raw_config(config_file)
    extra = raw.get("extra") or {}
    catalogue = (extra.get("catalogue") or {}) if isinstance(extra, Mapping) else {}
    engine = choose_engine(papers, catalogue.get("pagefind_from"), environ.get(ENV_VAR) or None)
    if engine == MATERIAL:
        return engine, {}
    return engine, {"plugins": without_search(raw.get("plugins"))}


def config_language(raw: Mapping[str, Any]) -> str:
    """The theme's language as the raw `mkdocs.yml` gives it (Material's default: `en`). MkDocs'
    build checks the early index's (site/early_index.py) against its loaded config's."""
    theme = raw.get("theme")
    return str((theme.get("language") if isinstance(theme, Mapping) else None) or "en")


def mark_config(cfg: Any, engine: str) -> None:
    """Tell the theme templates which search box to render (`config.extra.search_engine`)."""
    cfg["extra"]["search_engine"] = engine


def run_pagefind(site_dir: Path, timeout: float = 3600, output: Path | None = None) -> str:
    """Index the HTML pages in `site_dir` into `output` (default `site_dir/pagefind/`) with the
    bundled binary. Returns a one-line summary ("indexed N pages, M words"); raises RuntimeError
    when it fails."""
    site_dir = Path(site_dir).resolve()
    output = site_dir / "pagefind" if output is None else Path(output).resolve()
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-path", str(output)]
    for selector in EXCLUDE_SELECTORS:
        command += ["--exclude-selectors", selector]
    try:
        # cwd: the site itself, so that no stray pagefind.yml of the working folder applies.
        proc = subprocess.run(command, cwd=site_dir, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise RuntimeError(f"pagefind could not run: {err}") from err
    if proc.returncode != 0 or not (output / "pagefind.js").is_file():
        raise RuntimeError(f"pagefind failed ({proc.returncode}): {(proc.stderr or proc.stdout).strip()}")
    counts = re.findall(r"Indexed (\d+) (pages|words)", proc.stdout)
    return "indexed " + ", ".join(f"{n} {what}" for n, what in counts) if counts else "indexed"


class Child(Protocol):
    """What an index job needs of its process (a `subprocess.Popen`, or `Forked`)."""

    pid: int

    def poll(self) -> int | None: ...

    def wait(self, timeout: float | None = None) -> int: ...

    def kill(self) -> None: ...


class Forked:
    """A child made by `os.fork`, seen through Popen's methods."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                self.returncode = 1  # reaped elsewhere: whether it succeeded is unknown
                return self.returncode
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while (code := self.poll()) is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"pid {self.pid}", timeout or 0)
            time.sleep(0.02)
        return code

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)


@dataclass
class IndexJob:
    """Pagefind indexing the catalogue (generator/site/pagefind_index.py) in a child process, started
    before MkDocs builds and finished after: the two run on the machine's two cores at once."""

    process: Child
    work: Path
    lang: str = "en"

    def finish(self, site_dir: Path, timeout: float = 3600) -> str:
        """Wait for the index, move it to `site_dir/pagefind/`; returns Pagefind's summary.
        Raises RuntimeError when the child failed."""
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired as err:
            self.stop()
            raise RuntimeError(f"the search index took more than {timeout:.0f} s") from err
        log = (self.work / "log.txt").read_text(encoding="utf-8", errors="replace").strip()
        bundle = self.work / "pagefind"
        if code != 0 or not (bundle / "pagefind.js").is_file():
            raise RuntimeError(f"the search index failed ({code}): {log}")
        target = Path(site_dir) / "pagefind"
        shutil.rmtree(target, ignore_errors=True)
        shutil.move(str(bundle), str(target))
        return log.splitlines()[-1] if log else "indexed"

    def stop(self) -> None:
        """Stop the child if it still runs (MkDocs failed, or the build was interrupted), and the
        Pagefind it started: the child leads a process group of its own, and the whole group is
        killed, so nothing writes into the work folder once the caller removes it."""
        if self.process.poll() is not None:
            return  # it finished: it waited for its Pagefind
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            self.process.kill()
        self.process.wait()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                os.killpg(self.process.pid, 0)  # is any process of the group left?
            except (ProcessLookupError, PermissionError):
                return
            time.sleep(0.01)


def start_index(catalogue_json: Path, work: Path, lang: str = "en") -> IndexJob:
    """Start indexing `catalogue_json` with Pagefind in a child process working in `work` (an
    empty folder that the caller removes afterwards)."""
    work.mkdir(parents=True, exist_ok=True)
    catalogue = str(Path(catalogue_json).resolve())
    command = [sys.executable, "-m", "generator.site.pagefind_index", catalogue, str(work.resolve()), lang]
    with open(work / "log.txt", "wb") as log:
        package_root = Path(__file__).resolve().parent.parent
        process = subprocess.Popen(
            command, cwd=package_root, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    return IndexJob(process, work, lang)


def fork_index(catalogue: Callable[[], dict[str, Any]], work: Path, lang: str = "en") -> IndexJob:
    """Start indexing, in a forked child working in `work` (as `start_index`), the records that
    `catalogue()` makes there: what `catalogue.json` will hold, before it is written. The caller
    must not run other threads (forking.fork_is_safe)."""
    from generator.site import pagefind_index

    work.mkdir(parents=True, exist_ok=True)
    for stream in (sys.stdout, sys.stderr):
        stream.flush()  # else the child would print the parent's pending output again
    with open(work / "log.txt", "wb") as log:
        pid = os.fork()
        if pid == 0:  # the child: never returns into the caller's code
            code = 1
            try:
                os.setsid()  # a process group of its own, with its Pagefind, for IndexJob.stop
                os.dup2(log.fileno(), 1)
                os.dup2(log.fileno(), 2)
                sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115 - until os._exit
                sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
                pagefind_index.lower_priority()
                print(pagefind_index.index_catalogue(catalogue(), work, lang))
                code = 0
            except BaseException as err:  # noqa: BLE001 - whatever it is, the log says it and the parent reads it
                print(f"error: the search index could not be made: {err!r}", file=sys.stderr)
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
    return IndexJob(Forked(pid), work, lang)


INDEX_WORK_PREFIX = ".search-index-"
"""The index job's work folder, made beside the site folder (and removed after the build)."""


def remove_work(work: Path) -> None:
    """Remove an index job's work folder and the pages it recorded there first (they may be in
    RAM, outside the folder: pagefind_index.remove_pages)."""
    from generator.site.pagefind_index import remove_pages

    remove_pages(work)
    shutil.rmtree(work, ignore_errors=True)


def new_work(folder: Path) -> Path:
    """A new empty work folder for an index job, in `folder` (beside the site)."""
    return Path(tempfile.mkdtemp(prefix=INDEX_WORK_PREFIX, dir=Path(folder).resolve()))


def remove_leftover_work(folder: Path, keep: Path | None = None) -> None:
    """Remove the index jobs' work folders that a killed build left in `folder`, with their pages
    (but `keep`, this build's own)."""
    for work in Path(folder).glob(f"{INDEX_WORK_PREFIX}*"):
        if keep is None or work.resolve() != Path(keep).resolve():
            remove_work(work)


def fits(job: IndexJob | None, engine: str, lang: str) -> bool:
    """Whether `job` indexes what a build with this search engine and language needs."""
    return job is not None and engine == PAGEFIND and job.lang == lang


def build_while_indexing(
    engine: str,
    catalogue_json: Path,
    site_dir: Path,
    lang: str,
    build: Callable[[], None],
    started: IndexJob | None = None,
) -> tuple[str, float]:
    """Run `build()` (MkDocs or Zensical writing `site_dir`); with Pagefind, index the catalogue in
    a child process meanwhile and put the index into `site_dir` after. `started`: the job already
    indexing this catalogue (`fork_index`), used when it indexes in `lang`; it is this function's
    to finish or stop either way. Returns (Pagefind's summary, or "" with Material's search;
    seconds spent waiting for the index once `build` returned)."""
    if started is not None and not fits(started, engine, lang):
        started.stop()
        remove_work(started.work)
        started = None
    if engine != PAGEFIND:
        build()
        return "", 0.0
    work = started.work if started else new_work(Path(site_dir).parent)
    job = started
    try:
        job = job or start_index(catalogue_json, work, lang)
        build()
        built = time.perf_counter()
        summary = job.finish(site_dir)
        return summary, time.perf_counter() - built
    finally:
        if job:
            job.stop()
        remove_work(work)  # with the child's pages, if it was stopped before it removed them
