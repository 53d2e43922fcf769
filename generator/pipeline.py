"""The conductor: read inputs, run the pure stages in order, hand the result to the writer.

Phase one builds the whole catalogue model in memory (parse -> dedupe -> topics -> related);
phase two renders the pages one at a time into the writer, which stages them aside and moves
them into the docs folder only once every page is made. Nothing in the docs folder changes when
either phase fails.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from generator import texfrag, urls
from generator.inputs import curation, ledger, safe_read, taxonomy, yaml_text
from generator.inputs.dumps_folder import read_sources
from generator.models import Catalogue, ConfigError, Entry, Paper, Problem, Severity, listed_files
from generator.output import atomic
from generator.render.listings import iter_site
from generator.render.pages import TEMPLATES, collect
from generator.stages import changes, dedupe, related, topics

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class Paths:
    """Where inputs are read and outputs go."""

    data: Path
    sources: Path
    docs: Path
    site: Path
    ledger: Path | None = None
    """The URL ledger this run reads and a build writes; None for a trial run over other dumps
    (see `own_ledger`)."""

    @property
    def topics_file(self) -> Path:
        return self.data / "topics.yml"

    @property
    def curation_file(self) -> Path:
        return self.data / "curation.yml"


LEDGER_FILE = "published.json"


def own_ledger(data: Path, sources: Path) -> Path | None:
    """The data folder's ledger when the dumps are its own (`DATA/sources`), else None: a run over
    other dumps (a preview, a trial) neither reads nor grows the catalogue's ledger of published URLs."""
    same = sources.resolve() == (data / "sources").resolve()
    return data / LEDGER_FILE if same else None


@dataclass
class Timings:
    """Seconds per stage, in order (for the summary and the benchmarks)."""

    stages: dict[str, float] = field(default_factory=dict)

    def iterate(self, name: str, items: Iterable[T]) -> Iterator[T]:
        """`items`, with the time spent making each one counted to stage `name`."""
        it = iter(items)
        while True:
            start = time.perf_counter()
            try:
                item = next(it)
            except StopIteration:
                return
            finally:
                self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - start
            yield item

    def run(self, name: str, fn: Callable[[], T]) -> T:
        start = time.perf_counter()
        try:
            return fn()
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - start


@dataclass(frozen=True)
class Result:
    """A built catalogue with what it took."""

    catalogue: Catalogue
    timings: Timings
    published: dict[str, ledger.Published] = field(default_factory=dict)
    """Every slug ever published, this build's included: written once the site is written."""
    previous: dict[str, ledger.Published] = field(default_factory=dict)
    """The ledger as this run found it: what was published before."""


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Phase one allocates millions of small objects and frees few: the cyclic collector would
    rescan them again and again (a third of dedupe's time at 100k records). Paused, then resumed."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build_catalogue(paths: Paths) -> Result:
    """Phase one: the whole catalogue model, or a ConfigError."""
    with paused_gc():
        return _build_catalogue(paths)


def _build_catalogue(paths: Paths) -> Result:
    timings = Timings()
    taxa = taxonomy.parse_taxonomy(paths.topics_file.name, yaml_text.read_curated(paths.topics_file))
    curation_text = yaml_text.read_curated(paths.curation_file) if paths.curation_file.exists() else ""
    curated = curation.parse_curation(paths.curation_file.name, curation_text)
    ledger_name, ledger_text, published = _read_ledger(paths.ledger)
    records, problems, names = timings.run("parse", lambda: read_sources(paths.sources))
    overrides = curation.resolve(paths.curation_file.name, curated, records, (t.slug for t in taxa.topics))
    kept = [r for r in records if r not in overrides.exclude]
    deduped = timings.run("dedupe", lambda: dedupe.find_duplicates(kept, overrides.keep_apart, overrides.merge))
    owner = {r: p.key for p in deduped.papers for r in p.sources}
    fixes = {owner[r]: title for members, title in overrides.titles for r in members if r in owner}
    papers = _fix_titles(deduped.papers, fixes)
    pins = {owner[r]: topics_ for members, topics_ in overrides.pins for r in members if r in owner}
    # Topics and related both read every paper's folded text: fold each text once.
    fold_memo = functools.cache(texfrag.fold)
    assignment = timings.run("topics", lambda: topics.assign_topics(papers, taxa.topics, pins, fold_text=fold_memo))
    problems += topics.report_topics(papers, taxa.topics, assignment)
    assigned = assignment.by_paper
    slugs = urls.assign_slugs(papers)
    neighbours = timings.run("related", lambda: related.find_related(papers, assigned, fold_text=fold_memo))
    fold_memo.cache_clear()
    entries = tuple(
        sorted(
            (Entry(slugs[p.key], p, assigned[p.key], tuple(slugs[k] for k in neighbours[p.key])) for p in papers),
            key=lambda e: e.slug,
        )
    )
    problems += urls.dump_slug_problems(listed_files(entries))
    redirects = ledger.plan_redirects(published, entries)
    excluded = {r.ref: reason for r, reason in overrides.exclude.items()}
    gone, lost = ledger.lost_pages(ledger_name, ledger_text, published, entries, redirects, excluded)
    problems += lost
    published_refs = {ref for p in published.values() for ref in p.sources}
    slug_of = {r: e.slug for e in entries for r in e.paper.sources}
    catalogue = Catalogue(
        entries=entries,
        areas=taxa.areas,
        topics=taxa.topics,
        merges=deduped.merges,
        problems=tuple(problems),
        records_read=len(records),
        files=tuple(names),
        review=deduped.review,
        excluded=tuple(sorted(overrides.exclude.items(), key=lambda kv: (kv[0].file, kv[0].line))),
        redirects=tuple(redirects),
        gone=tuple(gone),
        kept_apart=deduped.kept_apart,
        overrides=changes.overrides_in_force(curated, overrides, slug_of),
        changes=changes.dump_changes(names, entries, overrides.exclude, problems, published_refs, set(published)),
    )
    return Result(catalogue, timings, ledger.update_ledger(published, entries), published)


def _fix_titles(papers: tuple[Paper, ...], fixes: dict[str, str]) -> tuple[Paper, ...]:
    """Apply curated titles (paper key -> title); the replaced title stays as an alias."""
    out = []
    for paper in papers:
        new_title = fixes.get(paper.key)
        if new_title is None or new_title == paper.title:
            out.append(paper)
            continue
        aliases = tuple(sorted((set(paper.aliases) | {paper.title}) - {new_title}))
        out.append(replace(paper, title=new_title, aliases=aliases))
    return tuple(out)


def _read_ledger(path: Path | None) -> tuple[str, str, dict[str, ledger.Published]]:
    """(file name, text, entries) of the URL ledger; a missing file is a new, empty ledger, and one
    that cannot be read is a ConfigError (never a fresh start: published redirects would be lost)."""
    if path is None:
        return "", "", {}
    try:
        raw = safe_read.read_regular(path, ledger.MAX_LEDGER_BYTES)
    except FileNotFoundError:
        return path.name, "", {}
    restore = f"restore it from version control (`git checkout -- {path}`), or delete it to start a new ledger"
    if isinstance(raw, (str, safe_read.TooLarge)):
        why = raw if isinstance(raw, str) else f"larger than {raw.cap >> 20} MB"
        raise ConfigError([Problem(path.name, None, f"the URL ledger is {why}; {restore}", Severity.ERROR)])
    text = yaml_text.decode_curated(path.name, raw)
    try:
        return path.name, text, ledger.parse_ledger(text)
    except ledger.LedgerError as err:
        raise ConfigError([Problem(path.name, err.line, f"{err}; {restore}", Severity.ERROR)]) from None


def prepare_ledger(paths: Paths, result: Result) -> atomic.Pending | None:
    """The new URL ledger written beside the old one, ready to rename into place once the site
    is in place (`Pending.commit`); None when this run owns no ledger or nothing changed."""
    if paths.ledger is None or (result.published == result.previous and paths.ledger.exists()):
        return None
    return atomic.prepare(paths.ledger, ledger.format_ledger(result.published).encode("utf-8"))


def render(result: Result) -> dict[str, str]:
    """Docs-relative path -> text of every generated file, all held at once (for small uses)."""
    return collect(iter_pages(result))


def iter_pages(result: Result) -> Iterator[tuple[str, str]]:
    """(docs-relative path, text) of every generated file, rendered one at a time as the writer
    asks for them (the time making them is counted as the `render` stage)."""
    site_url = os.environ.get("SITE_URL") or urls.DEFAULT_SITE_URL  # mkdocs.yml reads the same variable
    return result.timings.iterate("render", iter_site(result.catalogue, TEMPLATES, site_url))
