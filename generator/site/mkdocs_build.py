"""The site build after `generate`: MkDocs (strict) over the docs folder, the search index, the
sitemap split. `python -m generator build` runs it into a fresh folder and swaps that in
(pipeline.py); the benchmark runs the same function, so that it measures what the command does.

Past a number of papers, search is Pagefind's instead of Material's (search.py). Pagefind then
indexes the catalogue (pagefind_index.py) in a child process while MkDocs builds: MkDocs runs on
one core, so on two cores the index costs only what it takes beyond MkDocs' own time. Past
50,000 URLs the sitemap becomes an index of parts (sitemaps.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from generator import urls
from generator.site import navigation, search, sitemaps


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


def build_site(config_file: Path, docs: Path, site_dir: Path, papers: int, strict: bool = True) -> SiteBuild:
    """Build `docs` into `site_dir` with the MkDocs config `config_file`, for a catalogue of
    `papers` papers. Raises MkDocsException (the build failed, or warned under `strict`),
    RuntimeError (the search index failed), OSError or ValueError (config, files)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    start = time.perf_counter()
    engine, overrides = search.mkdocs_overrides(config_file, papers)
    overrides.update(navigation.nav_override(search.raw_config(config_file).get("nav"), Path(docs)))
    cfg = load_config(
        str(config_file), docs_dir=str(Path(docs).resolve()), site_dir=str(site_dir), strict=strict, **overrides
    )
    search.mark_config(cfg, engine)
    loaded = time.perf_counter()
    catalogue = Path(docs) / urls.CATALOGUE_FILE
    lang = str(cfg.theme["language"])
    summary, waited = search.build_while_indexing(engine, catalogue, site_dir, lang, lambda: mkdocs_build(cfg))
    parts = sitemaps.split_site_sitemap(site_dir, cfg.site_url)
    return SiteBuild(engine, summary, parts, loaded - start, waited)
