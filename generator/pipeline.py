"""The conductor: load the inputs, assemble the catalogue, publish it.

`load_inputs` reads what a curator keeps (inputs/); `assemble` runs the pure stages in order
(dedupe -> topics -> related -> redirects, stages/) into a Catalogue; `publish` renders the pages
one at a time into the docs writer (render/, output/), builds the site aside and swaps it in
(site/, output/), then renames the new URL ledger into place, as one transaction: a failure at
any step leaves docs, site and ledger as they were. `output_problems` checks the output folders
before any of it. The CLI only parses arguments and prints what these return.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import gc
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from generator import forking, texfrag, urls
from generator.inputs import curation, ledger, ledger_history, sources_meta, taxonomy, yaml_text
from generator.inputs.dumps_folder import read_sources
from generator.models import (
    Catalogue,
    ConfigError,
    Entry,
    FileContent,
    Paper,
    Problem,
    Record,
    SourceInfo,
    listed_files,
    paper_keys,
    record_owners,
)
from generator.output import atomic, docs_writer, folders, run_stamp, site_swap
from generator.output.folders import SITE_MARK
from generator.render import cards
from generator.render.console_report import summary
from generator.render.listings import iter_site
from generator.render.pages import TEMPLATES, PageReuse, collect
from generator.site import mkdocs_build, search, sitemaps, zensical_build
from generator.stages import changes, dedupe, redirects, related, topics

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
    config: Path = Path("mkdocs.yml")
    """The MkDocs configuration of the site build."""

    @property
    def topics_file(self) -> Path:
        return self.data / "topics.yml"

    @property
    def curation_file(self) -> Path:
        return self.data / "curation.yml"

    @property
    def sources_meta_file(self) -> Path:
        """What the curators know of the data folder's own dumps (read only when they are the
        dumps of this run: it names them by file)."""
        return self.data / "sources.yml"


LEDGER_FILE = "published.json"


def paths_for(
    data: Path | None,
    sources: Path | None,
    docs: Path | None,
    site: Path | None,
    ledger: Path | None,
    config: Path | None,
) -> Paths:
    """The paths of a run from the command line's options; None is the default (the one place
    defaults are decided)."""
    data = data or Path("data")
    sources = sources or data / "sources"
    return Paths(
        data=data,
        sources=sources,
        docs=docs or Path("docs"),
        site=site or Path("site"),
        ledger=ledger or own_ledger(data, sources),
        config=config or Path("mkdocs.yml"),
    )


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


@dataclass(frozen=True)
class Inputs:
    """What a curator keeps, read and checked: the taxonomy, the overrides (resolved to records),
    the URL ledger, and every record of every dump with the problems found reading them."""

    taxonomy: taxonomy.Taxonomy
    curated: curation.Curation
    overrides: curation.Resolved
    ledger_name: str
    ledger_text: str
    published: dict[str, ledger.Published]
    records: list[Record]
    problems: list[Problem]
    files: list[str]
    """Names of the files in the sources folder."""
    today: str = ""
    """`YYYY-MM-DD` of this build: the date a paper first published now is added (SOURCE_DATE_EPOCH
    in the environment fixes it, for reproducible builds)."""
    ledger_dates: dict[str, str] = field(default_factory=dict)
    """Slug -> the day git says it was first published, for ledger entries written without one."""
    sources_meta: dict[str, SourceInfo] = field(default_factory=dict)
    """Dump file -> what a curator knows of it (`data/sources.yml`)."""


def build_catalogue(paths: Paths, on_placed: Callable[[Catalogue], None] | None = None) -> Result:
    """Load the inputs and assemble the catalogue, or raise a ConfigError (`on_placed`: see
    `assemble`)."""
    timings = Timings()
    with paused_gc():
        return assemble(load_inputs(paths, timings), timings, on_placed)


def load_inputs(paths: Paths, timings: Timings) -> Inputs:
    """Read topics.yml, curation.yml, the ledger and the dumps (a ConfigError if one is unusable)."""
    taxa = taxonomy.parse_taxonomy(paths.topics_file.name, yaml_text.read_curated(paths.topics_file))
    curation_text = yaml_text.read_curated(paths.curation_file) if paths.curation_file.exists() else ""
    curated = curation.parse_curation(paths.curation_file.name, curation_text)
    ledger_name, ledger_text, published = ledger.read_ledger(paths.ledger)
    undated = [slug for slug, p in published.items() if p.added is None]
    # A ledger written before dates: git knows when each of its slugs was first published.
    dates = ledger_history.first_published(paths.ledger, undated) if undated and paths.ledger else {}
    records, problems, names = timings.run("parse", lambda: read_sources(paths.sources))
    meta_file = paths.sources_meta_file
    meta: dict[str, SourceInfo] = {}
    if meta_file.exists() and paths.sources.resolve() == (paths.data / "sources").resolve():
        meta = sources_meta.parse_sources_meta(meta_file.name, yaml_text.read_curated(meta_file), names)
        problems = [*problems, *sources_meta.unlisted(meta_file.name, meta, names)]
    overrides = curation.resolve(paths.curation_file.name, curated, records, (t.slug for t in taxa.topics))
    return Inputs(
        taxa,
        curated,
        overrides,
        ledger_name,
        ledger_text,
        published,
        records,
        problems,
        names,
        build_date(),
        dates,
        meta,
    )


def build_date() -> str:
    """Today (UTC), or the day of SOURCE_DATE_EPOCH when it is set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date().isoformat()
    return datetime.datetime.now(datetime.UTC).date().isoformat()


def assemble(inputs: Inputs, timings: Timings, on_placed: Callable[[Catalogue], None] | None = None) -> Result:
    """The pure stages in order, from the inputs to the whole catalogue model. `on_placed` is
    given the catalogue as soon as its papers have their topics, URLs and dates, without related
    papers or anything else (the search index is made from that: site/early_index.py)."""
    taxa, curated, overrides, published = inputs.taxonomy, inputs.curated, inputs.overrides, inputs.published
    records, names, problems = inputs.records, inputs.files, list(inputs.problems)
    kept = [r for r in records if r not in overrides.exclude]
    split = forking.split_work()
    deduped = timings.run("dedupe", lambda: dedupe.find_duplicates(kept, overrides.keep_apart, overrides.merge, split))
    owner = paper_keys(deduped.papers)
    fixes = {owner[r]: title for members, title in overrides.titles for r in members if r in owner}
    papers = _fix_titles(deduped.papers, fixes)
    pins = {owner[r]: topics_ for members, topics_ in overrides.pins for r in members if r in owner}
    # Topics and related both read every paper's folded text: fold each text once.
    fold_memo = functools.cache(texfrag.fold)
    assignment = timings.run(
        "topics", lambda: topics.assign_topics(papers, taxa.topics, pins, fold_text=fold_memo, split=split)
    )
    problems += topics.report_topics(papers, taxa.topics, assignment)
    assigned = assignment.by_paper
    slugs = urls.assign_slugs(papers)
    if on_placed is not None:
        placed = (Entry(slugs[p.key], p, assigned[p.key], (), _added(slugs[p.key], published, inputs)) for p in papers)
        on_placed(
            Catalogue(
                entries=tuple(sorted(placed, key=lambda e: e.slug)),
                areas=taxa.areas,
                topics=taxa.topics,
                merges=(),
                problems=(),
                records_read=len(records),
                files=tuple(names),
                sources_meta=tuple(sorted(inputs.sources_meta.items())),
            )
        )
    neighbours = timings.run(
        "related", lambda: related.find_related(papers, assigned, fold_text=fold_memo, split=split)
    )
    fold_memo.cache_clear()
    entries = tuple(
        sorted(
            (
                Entry(
                    slugs[p.key],
                    p,
                    assigned[p.key],
                    tuple(replace(link, other=slugs[link.other]) for link in neighbours[p.key]),
                    _added(slugs[p.key], published, inputs),
                )
                for p in papers
            ),
            key=lambda e: e.slug,
        )
    )
    problems += urls.dump_slug_problems(listed_files(entries))
    redirect_stubs = redirects.plan_redirects(published, entries)
    excluded = {r.ref: reason for r, reason in overrides.exclude.items()}
    gone, lost = redirects.lost_pages(
        inputs.ledger_name, inputs.ledger_text, published, entries, redirect_stubs, excluded
    )
    problems += lost
    published_refs = {ref for p in published.values() for ref in p.sources}
    slug_of = record_owners(entries)
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
        redirects=tuple(redirect_stubs),
        gone=tuple(gone),
        kept_apart=deduped.kept_apart,
        overrides=changes.overrides_in_force(curated, overrides, slug_of),
        changes=changes.dump_changes(names, entries, overrides.exclude, problems, published_refs, set(published)),
        sources_meta=tuple(sorted(inputs.sources_meta.items())),
    )
    dated = {s: replace(p, added=p.added or inputs.ledger_dates.get(s)) for s, p in published.items()}
    return Result(catalogue, timings, redirects.update_ledger(dated, entries), published)


def _added(slug: str, published: dict[str, ledger.Published], inputs: Inputs) -> str | None:
    """When a paper was first published: the ledger's date, git's for an entry written without
    one, this build's for a new slug; None for an old entry nobody can date."""
    if slug not in published:
        return inputs.today
    return published[slug].added or inputs.ledger_dates.get(slug)


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


def render(result: Result) -> dict[str, FileContent]:
    """Docs-relative path -> text of every generated file, all held at once (for small uses)."""
    return collect(iter_pages(result))


def iter_pages(result: Result, reuse: PageReuse | None = None) -> Iterator[tuple[str, FileContent]]:
    """(docs-relative path, text) of every generated file, rendered one at a time as the writer
    asks for them (the time making them is counted as the `render` stage); with `reuse`, the
    paper pages whose inputs did not change are not rendered (`page_reuse`)."""
    site_url = os.environ.get("SITE_URL") or urls.DEFAULT_SITE_URL  # mkdocs.yml reads the same variable
    pages = iter_site(result.catalogue, TEMPLATES, site_url, paper_cards_up_to(), reuse)
    return result.timings.iterate("render", pages)


def page_reuse(paths: Paths) -> PageReuse:
    """What lets this run skip the paper pages whose inputs did not change: the keys the last run
    recorded (output/run_stamp.py) for the files no one touched since, and this code's
    fingerprint (templates, generator, the Jinja and MarkupSafe versions, the environment the
    output reads)."""
    renderers = " ".join(f"{name}=={metadata.version(name)}" for name in ("jinja2", "markupsafe"))
    fingerprint = run_stamp.inputs_key([TEMPLATES, _PACKAGE], [], "", f"pages {renderers}")
    return PageReuse(fingerprint, run_stamp.untouched_pages(paths.docs))


def paper_cards_up_to(environ: Mapping[str, str] | None = None) -> int:
    """`PAPER_CARDS_UP_TO` from the environment (render/cards.py), else its default. Raises
    PublishError (nothing written) for a value that is not a whole number of papers."""
    raw = (os.environ if environ is None else environ).get("PAPER_CARDS_UP_TO", "").strip()
    if not raw:
        return cards.PAPER_CARDS_UP_TO
    if not raw.isdigit():
        raise PublishError(f"PAPER_CARDS_UP_TO={raw!r}: expected a number of papers (e.g. 5000); nothing was written")
    return int(raw)


# --- Publishing: checked folders, then one transaction ------------------------------------------

_PACKAGE = Path(__file__).resolve().parent


def output_problems(paths: Paths, building_site: bool) -> list[str]:
    """Why the output folders cannot be used, one reason per folder (checked before anything is
    read or written): see output/folders.py."""
    inputs = {
        "data folder": paths.data,
        "sources folder": paths.sources,
        "MkDocs config": paths.config,
        "templates folder": TEMPLATES,
    }
    if paths.ledger is not None:
        inputs["URL ledger"] = paths.ledger
    keep = {"working folder": Path.cwd(), "folder of the MkDocs config": paths.config.parent, "generator": _PACKAGE}
    errors = folders.check_output("docs", paths.docs, inputs, keep)[:1]
    if building_site:
        site = folders.check_output("site", paths.site, {**inputs, "docs folder": paths.docs}, keep)
        errors += (site or folders.check_site_replaceable(paths.site))[:1]
    return errors


class PublishError(Exception):
    """A step of publishing failed; everything was put back as it was."""


ENGINES = ("mkdocs", "zensical")
"""What builds the site: MkDocs with Material (the default), or Zensical (site/zensical_build.py)."""


def publish(
    paths: Paths,
    result: Result,
    building_site: bool,
    engine: str = "mkdocs",
    full: bool = False,
    reuse: PageReuse | None = None,
    index_job: search.IndexJob | None = None,
) -> list[str]:
    """Write the docs, build the site aside and swap it in (when `building_site`), then rename the
    new URL ledger into place: a failure at any step puts docs, site and ledger back as they were
    and raises PublishError. Returns what was done, a line each. With `reuse` (`page_reuse`),
    paper pages whose inputs did not change are not rendered, and `reuse.found` ends up holding
    every paper page's key, for the run stamp. `index_job`: the search index started early
    (site/early_index.py), for the site build."""
    try:
        staged = docs_writer.stage_outputs(paths.docs, iter_pages(result, reuse))
        stats = staged.apply()
    except docs_writer.WriteError as err:
        raise PublishError(str(err)) from None
    done = [f"docs: {stats.written} written, {stats.unchanged} unchanged, {stats.removed} removed in {paths.docs}"]
    if reuse is not None and reuse.found:
        reused = reuse.reused()
        done.append(
            f"paper pages: {len(reuse.found) - reused} rendered, {reused} not rendered "
            "(made from the same inputs as the file in the docs folder)"
        )
    pending: atomic.Pending | None = None
    try:
        pending = _prepare_ledger(paths, result)
        if building_site:
            done += _build_and_swap(paths, len(result.catalogue.entries), engine, full, index_job)
        if pending:
            pending.commit()
            done.append(f"ledger: {paths.ledger} records {len(result.published)} published slugs (commit it)")
    except (PublishError, OSError) as err:
        staged.rollback()
        if pending:
            pending.discard()
        why = str(err) if isinstance(err, PublishError) else f"writing the site or the URL ledger failed: {err}"
        raise PublishError(
            f"{why}\nthe previous {paths.docs}, {paths.site} and URL ledger are left as they were"
        ) from None
    staged.commit()
    return done


def _prepare_ledger(paths: Paths, result: Result) -> atomic.Pending | None:
    """The new URL ledger written beside the old one, ready to rename into place once the site
    is in place; None when this run owns no ledger or nothing changed."""
    if paths.ledger is None or (result.published == result.previous and paths.ledger.exists()):
        return None
    return atomic.prepare(paths.ledger, ledger.format_ledger(result.published).encode("utf-8"))


def _build_and_swap(
    paths: Paths, papers: int, engine: str = "mkdocs", full: bool = False, index_job: search.IndexJob | None = None
) -> list[str]:
    """Build the site into a fresh folder beside the site folder (with `engine`) and swap it in.
    With MkDocs, the fresh folder starts from the previous site when nothing that every page shows
    has changed (site/incremental.py); `full` always builds every page. `index_job`: the search
    index started early (MkDocs uses it; its owner stops it when it is not used)."""
    from mkdocs.exceptions import MkDocsException

    site = paths.site.resolve()
    if engine == "mkdocs" and not full and (site / SITE_MARK).is_file():
        try:
            current = mkdocs_build.site_up_to_date(paths.config, paths.docs, site, papers)
        except (OSError, ValueError):
            current = False
        if current:
            return [f"site: {paths.site} is up to date (built from these very docs; --full rebuilds it)"]
    try:
        # A killed build's index job, and its pages in RAM (not this build's own).
        search.remove_leftover_work(site.parent, keep=index_job.work if index_job else None)
        fresh = site_swap.fresh_folder(site)
    except OSError as err:
        raise PublishError(f"cannot build next to {paths.site}: {err}") from None
    try:
        if engine == "zensical":
            built = zensical_build.build_site(paths.config, paths.docs, fresh, papers, index_job=index_job)
        else:
            previous = site if (site / SITE_MARK).is_file() else None
            built = mkdocs_build.build_site(
                paths.config, paths.docs, fresh, papers, previous_site=previous, full=full, index_job=index_job
            )
        site_swap.mark(fresh)
        site_swap.swap_in(fresh, site)
    except (MkDocsException, OSError, ValueError, RuntimeError) as err:
        raise PublishError(f"the site build failed: {err}") from None
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
    done = []
    if built.engine == search.PAGEFIND:
        early = " (started while generating)" if built.index_early else ""
        done.append(f"search: Pagefind ({papers} papers) {built.index_summary}{early}")
    if built.sitemap_parts:
        done.append(f"sitemap: more than {sitemaps.LIMIT} URLs, an index of {built.sitemap_parts} parts")
    if engine == "zensical":
        how = " with Zensical"
    elif built.rebuilt is not None:
        how = f" incrementally ({built.rebuilt} changed sources rebuilt, the other pages kept; --full rebuilds all)"
    else:
        how = f" ({built.mode})"
    return [*done, f"site: built {paths.site}{how}"]


# --- A run with nothing to do (output/run_stamp.py) ---------------------------------------------


def run_key(paths: Paths) -> str | None:
    """The hash of everything this run's docs depend on, or None when it cannot be known (a URL
    ledger with undated entries is dated from git history)."""
    if paths.ledger is not None and paths.ledger.is_file():
        _, _, published = ledger.read_ledger(paths.ledger)
        if any(p.added is None for p in published.values()):
            return None
    files = [paths.ledger] if paths.ledger is not None else []
    # Where the ledger is (or would be written) is part of what the run does, not only its bytes.
    where = f"ledger={paths.ledger.resolve() if paths.ledger else None}"
    return run_stamp.inputs_key([paths.data, paths.sources, TEMPLATES, _PACKAGE], files, build_date(), where)


def unchanged_run(paths: Paths, key: str | None) -> run_stamp.Stamp | None:
    """The last run's record when this run would write the same docs (same inputs, docs folder
    untouched since)."""
    return None if key is None else run_stamp.unchanged(paths.docs, key)


def build_unchanged(paths: Paths, stamp: run_stamp.Stamp, engine: str = "mkdocs", full: bool = False) -> list[str]:
    """`build` when the docs are up to date: only the site, if it is not up to date either."""
    try:
        return _build_and_swap(paths, stamp.papers, engine, full)
    except (PublishError, OSError) as err:
        why = str(err) if isinstance(err, PublishError) else f"writing the site failed: {err}"
        raise PublishError(f"{why}\nthe previous {paths.site} is left as it was") from None


def regenerate(paths: Paths) -> str:
    """Rebuild the catalogue and rewrite the docs (for `serve`, which MkDocs then rebuilds from);
    a ConfigError or WriteError leaves the previous pages."""
    result = build_catalogue(paths)
    stats = docs_writer.write_outputs(paths.docs, iter_pages(result))
    return f"{summary(result.catalogue)}; {stats.written} files written"


def data_snapshot(paths: Paths) -> dict[Path, float]:
    """Modification time of every file in the data and sources folders (`serve` polls it)."""
    folders_ = [paths.data, paths.sources]
    return {p: p.stat().st_mtime for f in folders_ if f.is_dir() for p in f.rglob("*") if p.is_file()}


def watch(paths: Paths, stop: threading.Event, say: Callable[..., None], interval: float = 1.0) -> None:
    """Poll the data folder until `stop`; regenerate the docs when it changes (for `serve`, which
    MkDocs then rebuilds from), telling `say` what happened."""
    seen = data_snapshot(paths)
    while not stop.wait(interval):
        now = data_snapshot(paths)
        if now != seen:
            seen = now
            try:
                say(f"regenerated: {regenerate(paths)}")
            except (ConfigError, docs_writer.WriteError) as err:
                say(f"regeneration failed, the previous pages stay: {err}", err=True)
