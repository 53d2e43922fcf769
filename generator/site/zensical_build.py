"""The site build with Zensical, Material for MkDocs' successor (`--engine zensical`), from the
same `mkdocs.yml` and `templates/theme/` (written in the subset of Jinja that Zensical's
MiniJinja runs).

Zensical reads neither load_config overrides nor MkDocs' hooks. So a small generated config,
`.zensical.generated.yml` beside `mkdocs.yml`, says what `mkdocs_build.build_site` passes to
MkDocs:
- it INHERITs `mkdocs.yml` (kept plain);
- the docs and site folders;
- the grouped navigation (site/navigation.py);
- `extra.search_engine` for the theme.

The file is removed after the build. Pagefind indexes `catalogue.json` while Zensical builds,
as with MkDocs. Zensical builds only a docs and a site folder inside the folder of its config
(its own rule), which `make site` meets (docs/, site/ beside mkdocs.yml).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from generator import urls
from generator.site import navigation, search, sitemaps
from generator.site.mkdocs_build import INDEX_WORK_PREFIX, SiteBuild

GENERATED_CONFIG = ".zensical.generated.yml"


def _inside(folder: Path, root: Path, what: str) -> str:
    try:
        return folder.resolve().relative_to(root).as_posix()
    except ValueError:
        raise ValueError(
            f"Zensical builds only a {what} folder inside the folder of its config ({root}); {folder} is not"
        ) from None


def generated_config(config_file: Path, docs: Path, site_dir: Path, engine: str) -> dict[str, object]:
    """What the generated config says (besides INHERIT): folders, navigation, search engine."""
    root = config_file.resolve().parent
    raw = search.raw_config(config_file)
    out: dict[str, object] = {
        "INHERIT": config_file.name,
        "docs_dir": _inside(docs, root, "docs"),
        "site_dir": _inside(site_dir, root, "site"),
        "extra": {"search_engine": engine},
    }
    out.update(navigation.nav_override(raw.get("nav"), docs))
    return out


def build_site(config_file: Path, docs: Path, site_dir: Path, papers: int, strict: bool = True) -> SiteBuild:
    """Build `docs` into `site_dir` with Zensical. Raises RuntimeError (Zensical or the search
    index failed, or Zensical is not installed), ValueError or OSError (config, folders)."""
    start = time.perf_counter()
    engine, _ = search.mkdocs_overrides(config_file, papers)
    settings = generated_config(config_file, docs, site_dir, engine)
    generated = config_file.resolve().parent / GENERATED_CONFIG
    generated.write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    loaded = time.perf_counter()
    job, work = None, None
    try:
        if engine == search.PAGEFIND:
            work = Path(tempfile.mkdtemp(prefix=INDEX_WORK_PREFIX, dir=Path(site_dir).resolve().parent))
            job = search.start_index(Path(docs) / urls.CATALOGUE_FILE, work)
        command = [sys.executable, "-m", "zensical", "build", "-f", str(generated), *(["--strict"] if strict else [])]
        try:
            proc = subprocess.run(command, cwd=generated.parent, capture_output=True, text=True, timeout=7200)
        except (OSError, subprocess.TimeoutExpired) as err:
            raise RuntimeError(f"zensical could not run: {err}") from err
        log = (proc.stdout + proc.stderr).strip()
        if proc.returncode != 0:
            missing = "No module named zensical" in log
            hint = "Zensical is not installed (pip install zensical==0.0.73)" if missing else log[-2000:]
            raise RuntimeError(f"zensical failed ({proc.returncode}): {hint}")
        built = time.perf_counter()
        summary = job.finish(site_dir) if job else ""
        indexed = time.perf_counter()
    finally:
        if job:
            job.stop()
        if work:
            shutil.rmtree(work, ignore_errors=True)
        generated.unlink(missing_ok=True)
    site_url = str(search.raw_config(config_file).get("site_url") or urls.DEFAULT_SITE_URL)
    parts = sitemaps.split_site_sitemap(site_dir, site_url)
    return SiteBuild(engine, summary, parts, loaded - start, indexed - built)
