"""The site build with Zensical, Material for MkDocs' successor (`--engine zensical`), from the
same `mkdocs.yml` and `templates/theme/` (written in the subset of Jinja that Zensical's
MiniJinja runs).

Zensical reads neither load_config overrides nor MkDocs' hooks. So a small generated config,
`.zensical.generated.yml` beside `mkdocs.yml`, says what `mkdocs_build.build_site` passes to
MkDocs:
- it INHERITs `mkdocs.yml` (kept plain);
- the docs and site folders;
- the grouped navigation (site/navigation.py);
- `extra.search_engine` for the theme;
- Zensical's classic variant of the theme (Material's look; its default, "modern", styles
  neither the header's search box nor some colours the way Material does).

The file is removed after the build. Pagefind indexes `catalogue.json` while Zensical builds,
as with MkDocs. Zensical builds only a docs and a site folder inside the folder of its config
(its own rule), which `make site` meets (docs/, site/ beside mkdocs.yml).
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from generator import urls
from generator.site import navigation, search, sitemaps
from generator.site.mkdocs_build import SiteBuild

GENERATED_CONFIG = ".zensical.generated.yml"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def readable_log(log: str) -> str:
    """Zensical's output as a curator should read it: without its terminal colours (one escape
    per character in its source excerpts) and without the Python traceback its command prints
    on failure (its last line, the reason, is kept)."""
    lines: list[str] = []
    in_traceback = False
    for line in _ANSI.sub("", log).splitlines():
        if line.startswith("Traceback (most recent call last):"):
            in_traceback = True
        elif in_traceback and not line.startswith((" ", "\t")):
            in_traceback = False
            lines.append(line.split(": ", 1)[-1] if line.startswith(("RuntimeError", "Exception")) else line)
        elif not in_traceback and line.strip():
            lines.append(line.rstrip())
    return "\n".join(lines)


def _inside(folder: Path, root: Path, what: str) -> str:
    try:
        return folder.resolve().relative_to(root).as_posix()
    except ValueError:
        raise ValueError(
            f"Zensical builds only a {what} folder inside the folder of its config ({root}); {folder} is not"
        ) from None


def generated_config(
    config_file: Path, raw: Mapping[str, Any], docs: Path, site_dir: Path, engine: str
) -> dict[str, object]:
    """What the generated config says (besides INHERIT): folders, navigation, search engine;
    `raw` is `config_file` as read."""
    root = config_file.resolve().parent
    out: dict[str, object] = {
        "INHERIT": config_file.name,
        "docs_dir": _inside(docs, root, "docs"),
        "site_dir": _inside(site_dir, root, "site"),
        "extra": {"search_engine": engine},
        # Zensical's "classic" look is Material's: the same header (with the Pagefind search box,
        # which is Material's markup), colours and spacing, so the two sites read alike.
        "theme": {"variant": "classic"},
    }
    out.update(navigation.nav_override(raw.get("nav"), docs))
    return out


def build_site(
    config_file: Path,
    docs: Path,
    site_dir: Path,
    papers: int,
    strict: bool = True,
    index_job: search.IndexJob | None = None,
) -> SiteBuild:
    """Build `docs` into `site_dir` with Zensical (`index_job`: as in mkdocs_build.build_site).
    Raises RuntimeError (Zensical or the search index failed, or Zensical is not installed),
    ValueError or OSError (config, folders)."""
    start = time.perf_counter()
    raw = search.raw_config(config_file)
    engine, _ = search.mkdocs_overrides(config_file, papers)
    settings = generated_config(config_file, raw, docs, site_dir, engine)
    generated = config_file.resolve().parent / GENERATED_CONFIG
    generated.write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    loaded = time.perf_counter()
    command = [sys.executable, "-m", "zensical", "build", "-f", str(generated), *(["--strict"] if strict else [])]

    def build() -> None:
        try:
            proc = subprocess.run(command, cwd=generated.parent, capture_output=True, text=True, timeout=7200)
        except (OSError, subprocess.TimeoutExpired) as err:
            raise RuntimeError(f"zensical could not run: {err}") from err
        log = readable_log(proc.stdout + proc.stderr)
        if proc.returncode != 0:
            missing = "No module named zensical" in log
            hint = "Zensical is not installed (pip install zensical==0.0.73)" if missing else log[-2000:]
            raise RuntimeError(f"zensical failed ({proc.returncode}): {hint}")

    lang = search.config_language(raw)
    try:
        catalogue = Path(docs) / urls.CATALOGUE_FILE
        early = search.fits(index_job, engine, lang)
        summary, waited = search.build_while_indexing(engine, catalogue, site_dir, lang, build, index_job)
    finally:
        generated.unlink(missing_ok=True)
    parts = sitemaps.split_site_sitemap(site_dir, str(raw.get("site_url") or urls.DEFAULT_SITE_URL))
    return SiteBuild(engine, summary, parts, loaded - start, waited, index_early=early)
