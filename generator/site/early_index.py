"""The search index of a `build`, started while the catalogue is still being generated.

Pagefind's index needs of each paper only its URL, title, abstract, other titles, topics,
listings and the day it was added (pagefind_index.pages): all known once the papers are deduped
and their topics assigned, before related papers are found and the pages are rendered and written.
Those later stages leave part of the second core idle; started then, in a forked child (the
records are the parent's, copied on write, nothing serialized), the index takes that time instead
of the time after MkDocs (at 100,000 papers Pagefind takes about 100 s, the site build about 50).

The records are the ones `catalogue.json` will hold: `Renderer.catalogue_doc` of a catalogue with
the final papers, topics, slugs and dates (`pipeline.assemble` makes it, `on_placed`), only the
related papers not yet found, which the index does not read (a test compares the pages with the
ones made from the written `catalogue.json`). When the build turns out not to need it (Material's
search, another language, a site already up to date, a failure), the job is stopped and its
folder removed: `EarlyIndex` is a context manager that always cleans up.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from generator import forking
from generator.models import Catalogue
from generator.render.pages import TEMPLATES, Renderer
from generator.site import search


@dataclass
class EarlyIndex:
    """The index job a `build` of the site in `site` with the MkDocs config `config` starts early,
    if any (`start`); `job` goes to the site build, which finishes or stops it."""

    config: Path
    site: Path
    job: search.IndexJob | None = None

    def start(self, catalogue: Catalogue) -> None:
        """Start indexing `catalogue` (papers placed, related papers not needed) when the build will
        index with Pagefind and forking is safe; else do nothing (the site build starts it)."""
        if self.job is not None or not forking.fork_is_safe():
            return
        try:
            raw = search.raw_config(self.config)
            engine, _ = search.mkdocs_overrides(self.config, len(catalogue.entries))
            if engine != search.PAGEFIND:
                return
            folder = self.site.resolve().parent
            search.remove_leftover_work(folder)  # a killed build's index job, and its pages in RAM
            work = search.new_work(folder)
        except Exception:  # noqa: BLE001 - a config or folder the site build will report, not this
            return
        self.job = search.fork_index(records_of(catalogue), work, search.config_language(raw))

    def __enter__(self) -> EarlyIndex:
        return self

    def __exit__(self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None) -> None:
        if self.job is not None:
            self.job.stop()
            with contextlib.suppress(OSError):
                search.remove_work(self.job.work)
            self.job = None


def records_of(catalogue: Catalogue) -> Callable[[], dict[str, Any]]:
    """What the child makes the index from: the catalogue's `catalogue.json` records."""
    return lambda: Renderer(catalogue, TEMPLATES).catalogue_doc()
