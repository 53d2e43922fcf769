"""The search index a `build` starts while it still generates (generator/site/early_index.py):
made from the same records as the written `catalogue.json`, used by the site build when it fits,
and never left running or on disk (or in RAM) when it does not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator import pipeline
from generator.models import Catalogue
from generator.site import early_index, pagefind_index, search

from .conftest import copy_data, pagefind_fragments

ROOT = Path(__file__).resolve().parent.parent


def _placed_and_written(tmp: Path) -> tuple[Catalogue, dict[str, object]]:
    """The bundled catalogue as the early index receives it, and the `catalogue.json` written."""
    data = copy_data(tmp / "data")
    paths = pipeline.paths_for(data, None, tmp / "docs", tmp / "site", None, None)
    placed: list[Catalogue] = []
    result = pipeline.build_catalogue(paths, on_placed=placed.append)
    written = json.loads(str(pipeline.render(result)["catalogue.json"]))
    assert len(placed) == 1
    return placed[0], written


def test_the_early_records_make_the_pages_the_written_catalogue_makes(tmp_path: Path) -> None:
    """Every indexed page (text, title, filters, sorts) is the one made from `catalogue.json`:
    the bundled dumps hold merged papers, curated titles and pinned topics."""
    placed, written = _placed_and_written(tmp_path)
    early = early_index.records_of(placed)()
    assert list(pagefind_index.pages(early)) == list(pagefind_index.pages(written))
    assert len(early["papers"]) == len(written["papers"]) > 300  # type: ignore[arg-type]
    assert all(not p["related"] for p in early["papers"])  # not found yet, and not needed


def _small_catalogue(tmp: Path) -> Path:
    paper = {"slug": "a-paper", "title": "Otters", "abstract": "Otters learn to act.", "aliases": []}
    topic = {"slug": "otters", "name": "Otters", "description": "Papers about otters."}
    path = tmp / "catalogue.json"
    path.write_text(json.dumps({"papers": [paper], "topics": [topic]}), encoding="utf-8")
    return path


def test_a_forked_job_indexes_like_the_child_process_does(tmp_path: Path) -> None:
    catalogue = _small_catalogue(tmp_path)
    bundles = []
    for name, job in (
        ("forked", search.fork_index(lambda: json.loads(catalogue.read_text(encoding="utf-8")), tmp_path / "w1")),
        ("child", search.start_index(catalogue, tmp_path / "w2")),
    ):
        site = tmp_path / name
        site.mkdir()
        summary = job.finish(site)
        bundles.append((summary, pagefind_fragments(site / "pagefind")))
    assert bundles[0] == bundles[1] and bundles[0][0].startswith("indexed 2 pages, ")


def test_a_forked_job_that_fails_says_why(tmp_path: Path) -> None:
    def broken() -> dict[str, object]:
        raise ValueError("no records here")

    job = search.fork_index(broken, tmp_path / "work")
    with pytest.raises(RuntimeError, match="search index failed .*no records here"):
        job.finish(tmp_path / "site")


def test_a_job_for_another_language_is_stopped_and_the_index_made_again(tmp_path: Path) -> None:
    catalogue = _small_catalogue(tmp_path)
    (tmp_path / "site").mkdir()
    job = search.fork_index(lambda: json.loads(catalogue.read_text(encoding="utf-8")), tmp_path / "early", "de")
    summary, _ = search.build_while_indexing(search.PAGEFIND, catalogue, tmp_path / "site", "en", lambda: None, job)
    assert summary.startswith("indexed 2 pages, ")
    assert job.process.poll() is not None and not job.work.exists()
    entry = json.loads((tmp_path / "site" / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["en"]
    assert not list(tmp_path.glob(f"{search.INDEX_WORK_PREFIX}*"))


def test_a_build_that_stops_after_the_early_start_leaves_nothing_behind(tmp_path: Path) -> None:
    """E.g. `--strict` refusing the catalogue once it is reported, or a failed site build: the job
    is stopped, its work folder and its pages (in RAM or not) removed."""
    placed, _ = _placed_and_written(tmp_path)
    site = tmp_path / "out" / "site"
    site.parent.mkdir()
    with pytest.raises(KeyboardInterrupt), early_index.EarlyIndex(ROOT / "mkdocs.yml", site) as index:
        index.start(placed)
        job = index.job
        assert job is not None and job.work.parent == site.parent
        raise KeyboardInterrupt
    assert job.process.poll() is not None
    assert not list(site.parent.iterdir())


def test_no_early_job_where_the_site_uses_material_search(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    placed, _ = _placed_and_written(tmp_path)
    monkeypatch.setenv(search.ENV_VAR, search.MATERIAL)
    with early_index.EarlyIndex(ROOT / "mkdocs.yml", tmp_path / "site") as index:
        index.start(placed)
        assert index.job is None


def test_the_build_says_its_index_was_started_early(bundled_site: Path) -> None:
    """The bundled site (conftest) was built by `build`: its index, which test_search_pagefind
    compares with Pagefind's run over the built pages, came from the early job."""
    log = (bundled_site / "build-output.txt").read_text(encoding="utf-8")
    assert "search: Pagefind (364 papers) indexed" in log and "(started while generating)" in log
