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
- `run_pagefind` indexes a built site folder with the bundled binary (offline).

Configuration: `extra: {catalogue: {pagefind_from: N}}` in `mkdocs.yml` (default 2,000 papers);
the environment variable `SEARCH_ENGINE=material|pagefind` forces one engine whatever the size.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

MATERIAL = "material"
PAGEFIND = "pagefind"
ENGINES = (MATERIAL, PAGEFIND)
ENV_VAR = "SEARCH_ENGINE"
DEFAULT_PAGEFIND_FROM = 2000
"""At about 1.7 KB of Material index per paper, 2,000 papers are a 3.4 MB download on the first
page a reader opens; a Pagefind query costs 0.2-0.3 MB at 1,000 to 10,000 papers (BENCHMARKS.md)."""

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


def _raw_config(config_file: Path) -> dict[str, Any]:
    from mkdocs.utils.yaml import yaml_load

    with open(config_file, "rb") as fd:
        return yaml_load(fd)


def _plugin_name(entry: object) -> str | None:
    if isinstance(entry, str):
        return entry
    if isinstance(entry, Mapping) and len(entry) == 1:
        return str(next(iter(entry)))
    return None


def without_search(plugins: object) -> list[Any] | dict[str, Any]:
    """The `plugins` setting (list or mapping, as MkDocs accepts) without Material's search plugin.
    MkDocs' default when the setting is absent is `[search]`: nothing remains of it."""
    if plugins is None:
        return []
    if isinstance(plugins, Mapping):
        return {name: options for name, options in plugins.items() if name not in SEARCH_PLUGINS}
    return [entry for entry in plugins if _plugin_name(entry) not in SEARCH_PLUGINS]  # type: ignore[union-attr]


def mkdocs_overrides(
    config_file: Path, papers: int, environ: Mapping[str, str] | None = None
) -> tuple[str, dict[str, Any]]:
    """(engine, keyword overrides for `mkdocs.config.load_config`) for this config and catalogue."""
    environ = os.environ if environ is None else environ
    raw = _raw_config(config_file)
    extra = raw.get("extra") or {}
    catalogue = (extra.get("catalogue") or {}) if isinstance(extra, Mapping) else {}
    engine = choose_engine(papers, catalogue.get("pagefind_from"), environ.get(ENV_VAR) or None)
    if engine == MATERIAL:
        return engine, {}
    return engine, {"plugins": without_search(raw.get("plugins"))}


def mark_config(cfg: Any, engine: str) -> None:
    """Tell the theme templates which search box to render (`config.extra.search_engine`)."""
    cfg["extra"]["search_engine"] = engine


def run_pagefind(site_dir: Path, timeout: float = 3600) -> str:
    """Index the built site in `site_dir` into `site_dir/pagefind/` with the bundled binary.
    Returns a one-line summary ("indexed N pages, M words"); raises RuntimeError when it fails."""
    site_dir = Path(site_dir).resolve()
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir)]
    for selector in EXCLUDE_SELECTORS:
        command += ["--exclude-selectors", selector]
    try:
        # cwd: the site itself, so that no stray pagefind.yml of the working folder applies.
        proc = subprocess.run(command, cwd=site_dir, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise RuntimeError(f"pagefind could not run: {err}") from err
    if proc.returncode != 0 or not (site_dir / "pagefind" / "pagefind.js").is_file():
        raise RuntimeError(f"pagefind failed ({proc.returncode}): {(proc.stderr or proc.stdout).strip()}")
    counts = re.findall(r"Indexed (\d+) (pages|words)", proc.stdout)
    return "indexed " + ", ".join(f"{n} {what}" for n, what in counts) if counts else "indexed"
