"""The site build after `generate`: MkDocs (strict) over the docs folder, the search index, the
sitemap split. `python -m generator build` runs it into a fresh folder and swaps that in
(pipeline.py); the benchmark runs the same function, so that it measures what the command does.

Past a number of papers, search is Pagefind's instead of Material's (search.py). Pagefind then
indexes the catalogue (pagefind_index.py) in a child process while MkDocs builds: MkDocs runs on
one core, so on two cores the index costs only what it takes beyond MkDocs' own time. Past
50,000 URLs the sitemap becomes an index of parts (sitemaps.py). When nothing that every page
shows has changed, the build starts from the previous site and rebuilds only the changed pages
(incremental.py); `site_up_to_date` tells when there is nothing to build at all.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import urls
from generator.site import incremental, lean_html, navigation, search, sitemaps


@dataclass(frozen=True)
class SiteBuild:
    """What a site build did, and how long its steps took (wall seconds)."""

    engine: str
    index_summary: str
    """Pagefind's summary ("indexed N pages, M words"), empty with Material's search."""
    sitemap_parts: int
    load_s: float
    index_wait_s: float
    """Waiting for the search index once MkDocs had finished."""
    mode: str = "full build"
    """How the site was built: "incremental", or "full build (why)" (site/incremental.py)."""
    rebuilt: int | None = None
    """Sources rebuilt by an incremental build (None: a full build)."""
    index_early: bool = False
    """The search index was started during `generate` (site/early_index.py)."""


def build_site(
    config_file: Path,
    docs: Path,
    site_dir: Path,
    papers: int,
    strict: bool = True,
    previous_site: Path | None = None,
    full: bool = False,
    index_job: search.IndexJob | None = None,
) -> SiteBuild:
    """Build `docs` into `site_dir` (empty) with the MkDocs config `config_file`, for a catalogue
    of `papers` papers; when `previous_site` is a site an earlier build made and nothing every
    page shows has changed, only the changed pages are rebuilt on a copy of it (incremental.py;
    `full` forbids that). `index_job`: the search index already started on this catalogue
    (site/early_index.py), used if it fits this build, stopped if not. Raises MkDocsException
    (the build failed, or warned under `strict`), RuntimeError (the search index failed),
    OSError or ValueError (config, files)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    start = time.perf_counter()
    engine, overrides, fingerprint = _settings(config_file, Path(docs), papers)
    sources = incremental.docs_sources(Path(docs))
    plan = incremental.plan(previous_site, fingerprint, full=full, engine="mkdocs", search_engine=engine)
    cfg = load_config(
        str(config_file), docs_dir=str(Path(docs).resolve()), site_dir=str(site_dir), strict=strict, **overrides
    )
    search.mark_config(cfg, engine)
    if lean_html.enabled():
        cfg.plugins["catalogue-lean-html"] = lean_html.plugin()
    loaded = time.perf_counter()
    rebuilt: int | None = None

    def build() -> None:
        # The previous site is copied here, while the search index is being made: at 100,000
        # papers the copy takes about 12 s, which the index no longer waits for.
        nonlocal plan, rebuilt
        plan, rebuilt = _start_from(plan, Path(site_dir), sources, cfg)
        mkdocs_build(cfg, dirty=plan.previous is not None)

    catalogue = Path(docs) / urls.CATALOGUE_FILE
    lang = str(cfg.theme["language"])
    quiet = incremental.DropDirtyWarning()
    logger = logging.getLogger("mkdocs.commands.build")
    logger.addFilter(quiet)
    try:
        early = search.fits(index_job, engine, lang)
        summary, waited = search.build_while_indexing(engine, catalogue, site_dir, lang, build, index_job)
    finally:
        logger.removeFilter(quiet)
    parts = sitemaps.split_site_sitemap(site_dir, cfg.site_url)
    incremental.write_state(Path(site_dir), fingerprint, sources)
    return SiteBuild(engine, summary, parts, loaded - start, waited, plan.reason, rebuilt, early)


def _start_from(
    plan: incremental.Plan, site_dir: Path, sources: Mapping[str, tuple[int, int]], cfg: Any
) -> tuple[incremental.Plan, int | None]:
    """For an incremental build, `site_dir` becomes a copy of the previous site without the pages
    to rebuild, and MkDocs writes fresh files in it (incremental.py). Returns the plan (a full build
    when the copy could not be made) and the number of sources to rebuild (None: a full build)."""
    if plan.previous is None:
        return plan, None
    try:
        incremental.clone(plan.previous, site_dir)
    except OSError as err:  # e.g. no hard links on this file system: build every page
        incremental.empty(site_dir)
        return incremental.Plan(None, f"full build (the previous site could not be linked: {err})", {}), None
    rebuilt = incremental.prepare(site_dir, plan.sources, sources, bool(cfg.use_directory_urls))
    cfg.plugins["catalogue-fresh-writes"] = incremental.fresh_writes(site_dir)
    return plan, rebuilt


def _settings(config_file: Path, docs: Path, papers: int) -> tuple[str, dict[str, Any], str]:
    """(search engine, MkDocs config overrides, fingerprint of what every page shows)."""
    raw = search.raw_config(config_file)
    engine, overrides = search.mkdocs_overrides(config_file, papers)
    overrides.update(navigation.nav_override(raw.get("nav"), docs))
    extra = {"lean-html": lean_html.fingerprint()}
    return engine, overrides, incremental.fingerprint(config_file, overrides, docs, _theme_dir(config_file, raw), extra)


def site_up_to_date(config_file: Path, docs: Path, site_dir: Path, papers: int) -> bool:
    """Whether `site_dir` is what a build of `docs` would make now: it records being built from
    these very docs files (same paths, sizes and modification times) with the same fingerprint
    (incremental.py), and its search index is there."""
    state = incremental.read_state(site_dir)
    if state is None or not (site_dir / "pagefind" / "pagefind.js").is_file():
        return False
    engine, _, fingerprint = _settings(config_file, docs, papers)
    if engine != search.PAGEFIND or state.get("fingerprint") != fingerprint:
        return False
    recorded = state.get("sources")
    now = incremental.docs_sources(docs)
    return isinstance(recorded, dict) and {k: tuple(v) for k, v in recorded.items()} == now


def _theme_dir(config_file: Path, raw: Mapping[str, Any]) -> Path | None:
    """The theme's `custom_dir` (the template overrides), resolved beside the config."""
    theme = raw.get("theme")
    custom = theme.get("custom_dir") if isinstance(theme, Mapping) else None
    return (Path(config_file).resolve().parent / str(custom)) if custom else None
