"""Shared fixtures: the repository's folders, and one real strict build of the bundled dumps."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Every build a test runs dates the papers it publishes first on this day (reproducible output).
os.environ["SOURCE_DATE_EPOCH"] = "1796083200"  # 2026-12-01
DATA = ROOT / "data"
HAND_WRITTEN_DOCS = ["about.md", "publishing.md", "stylesheets"]


def copy_hand_written_docs(target: Path) -> Path:
    """A docs folder holding only the committed, hand-written pages (what a fresh clone has)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in HAND_WRITTEN_DOCS:
        src = ROOT / "docs" / name
        if src.is_dir():
            shutil.copytree(src, target / name, dirs_exist_ok=True)
        else:
            shutil.copy2(src, target / name)
    return target


def run_cli(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m generator ARGS` as a user runs it, from the repository root (`env`: extra
    environment variables)."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **env} if env else None,
    )


def pagefind_bundle_files(bundle: Path) -> set[str]:
    """The index and fragment files of a Pagefind bundle. Their names are hashes of their
    content, so two bundles with the same names hold the same index."""
    return {f"{part}/{f.name}" for part in ("index", "fragment") for f in (bundle / part).iterdir()}


def pagefind_fragments(bundle: Path) -> list[dict[str, Any]]:
    """What a Pagefind bundle returns for each page (url, content, meta, filters): its fragment
    files, gzip-compressed JSON behind a signature."""
    out = []
    for path in sorted((bundle / "fragment").iterdir()):
        data = gzip.decompress(path.read_bytes())
        out.append(json.loads(data[data.index(b"{") :]))
    return out


def pagefind_of_built_site(site: Path, output: Path) -> Path:
    """Pagefind run over the built pages of `site` (what the build indexes from the catalogue instead)."""
    from generator.site.search import run_pagefind

    run_pagefind(site, output=output)
    return output


def pagefind_of_catalogue_on_disk(catalogue_json: Path, work: Path) -> Path:
    """The index a build makes from `catalogue_json`, its pages written to disk rather than RAM:
    Pagefind numbers pages in the order it lists their folders, so this is the bundle whose files
    `pagefind_of_built_site` must give (the build's own, from RAM, has the same fragments)."""
    from generator.site import pagefind_index

    work.mkdir(parents=True)
    pagefind_index.index(catalogue_json, work, "en", ram=None)
    return work / "pagefind"


def copy_data(target: Path) -> Path:
    """A copy of the bundled data folder: builds write the URL ledger into it."""
    shutil.copytree(DATA, target, dirs_exist_ok=True)
    return target


def build_site(
    tmp: Path, data: Path = DATA, *extra: str, engine: str = "mkdocs", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`build` of `data` into `tmp/site` (docs in `tmp/docs`) with either engine. Zensical builds
    only docs and site folders inside the folder of its config, so for it the config and theme
    are copied into `tmp` beside them."""
    if data == DATA:
        data = copy_data(tmp / "data")
    docs = copy_hand_written_docs(tmp / "docs")
    if engine == "zensical":
        shutil.copytree(ROOT / "templates", tmp / "templates", dirs_exist_ok=True)
        shutil.copy2(ROOT / "mkdocs.yml", tmp / "mkdocs.yml")
        extra = ("--engine", "zensical", "--config", str(tmp / "mkdocs.yml"), *extra)
    return run_cli("build", "--data", str(data), "--docs", str(docs), "--site", str(tmp / "site"), *extra, env=env)


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site from the bundled dumps, built once with --strict into a temporary folder."""
    tmp = tmp_path_factory.mktemp("bundled")
    proc = build_site(tmp, DATA, "--strict")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (tmp / "build-output.txt").write_text(proc.stdout, encoding="utf-8")
    return tmp


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled catalogue built with `--engine zensical --strict` (issue 18); like
    `bundled_site`, the folder that holds `site/`."""
    work = tmp_path_factory.mktemp("zensical")
    proc = build_site(work, DATA, "--strict", engine="zensical")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "site: built" in proc.stdout and "with Zensical" in proc.stdout, proc.stdout
    assert "search: Pagefind" in proc.stdout
    assert not (work / ".zensical.generated.yml").exists()  # the generated config is removed
    return work


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def engine_site(request: pytest.FixtureRequest) -> Path:
    """The bundled site as each engine builds it (the folder that holds `site/`): the browser
    journeys and the accessibility audit run against both (issue 18)."""
    return Path(request.getfixturevalue("bundled_site" if request.param == "mkdocs" else "zensical_site"))
