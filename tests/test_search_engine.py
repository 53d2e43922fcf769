"""Which search engine a build uses (generator/site/search.py): the decision, and the MkDocs overrides."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.site import search
from generator.site.search import MATERIAL, PAGEFIND, SearchConfigError, choose_engine, mkdocs_overrides, without_search

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("papers", "threshold", "expected"),
    [
        (0, 2000, MATERIAL),
        (364, 2000, MATERIAL),
        (1999, 2000, MATERIAL),
        (2000, 2000, PAGEFIND),
        (100_000, 2000, PAGEFIND),
        (364, 1, PAGEFIND),
        (0, 0, PAGEFIND),
        (0, None, PAGEFIND),  # the default: Pagefind at every size
        (search.DEFAULT_PAGEFIND_FROM, None, PAGEFIND),
    ],
)
def test_engine_follows_the_paper_count(papers: int, threshold: int | None, expected: str) -> None:
    assert choose_engine(papers, threshold) == expected


@pytest.mark.parametrize(
    ("forced", "expected"), [("pagefind", PAGEFIND), ("material", MATERIAL), (" Pagefind ", PAGEFIND)]
)
def test_a_forced_engine_wins_at_any_size(forced: str, expected: str) -> None:
    assert choose_engine(10, 2000, forced) == expected
    assert choose_engine(10**6, 2000, forced) == expected


@pytest.mark.parametrize(("threshold", "forced"), [(-1, None), ("5000", None), (True, None), (1.5, None), (10, "lunr")])
def test_unusable_settings_are_errors(threshold: object, forced: str | None) -> None:
    with pytest.raises(SearchConfigError):
        choose_engine(10, threshold, forced)  # type: ignore[arg-type]


def test_without_search_keeps_every_other_plugin_and_its_options() -> None:
    plugins = ["search", {"material/search": {"lang": "en"}}, "offline", {"tags": {"enabled": True}}]
    assert without_search(plugins) == ["offline", {"tags": {"enabled": True}}]
    assert without_search({"search": {}, "tags": {"enabled": True}}) == {"tags": {"enabled": True}}
    assert without_search(None) == []  # MkDocs' default is [search]
    assert without_search(["search"]) == []


def _config(tmp_path: Path, extra: str = "", plugins: str = "plugins:\n  - search\n  - offline\n") -> Path:
    path = tmp_path / "mkdocs.yml"
    path.write_text(
        "site_name: t\nsite_url: !ENV [SITE_URL, 'http://127.0.0.1:8000/']\n" + plugins + extra, encoding="utf-8"
    )
    return path


def test_overrides_read_the_threshold_from_mkdocs_yml(tmp_path: Path) -> None:
    config = _config(tmp_path, "extra:\n  catalogue:\n    pagefind_from: 100\n")
    assert mkdocs_overrides(config, 99, environ={}) == (MATERIAL, {})
    assert mkdocs_overrides(config, 100, environ={}) == (PAGEFIND, {"plugins": ["offline"]})


def test_overrides_without_a_threshold_use_the_default(tmp_path: Path) -> None:
    config = _config(tmp_path, plugins="")
    assert mkdocs_overrides(config, search.DEFAULT_PAGEFIND_FROM - 1, environ={})[0] == MATERIAL
    assert mkdocs_overrides(config, search.DEFAULT_PAGEFIND_FROM, environ={}) == (PAGEFIND, {"plugins": []})


def test_environment_forces_the_engine(tmp_path: Path) -> None:
    config = _config(tmp_path, "extra:\n  catalogue:\n    pagefind_from: 100\n")
    assert mkdocs_overrides(config, 5, environ={"SEARCH_ENGINE": "pagefind"})[0] == PAGEFIND
    assert mkdocs_overrides(config, 500, environ={"SEARCH_ENGINE": "material"}) == (MATERIAL, {})
    assert mkdocs_overrides(config, 500, environ={"SEARCH_ENGINE": ""})[0] == PAGEFIND  # empty: not forced
    with pytest.raises(SearchConfigError):
        mkdocs_overrides(config, 5, environ={"SEARCH_ENGINE": "algolia"})


def test_the_projects_config_uses_pagefind_at_every_size_unless_material_is_forced() -> None:
    for papers in (1, 364, 100_000):
        engine, overrides = mkdocs_overrides(ROOT / "mkdocs.yml", papers, environ={})
        assert engine == PAGEFIND and not any("search" in str(p) for p in overrides["plugins"])
    assert mkdocs_overrides(ROOT / "mkdocs.yml", 364, environ={"SEARCH_ENGINE": "material"}) == (MATERIAL, {})


def test_mkdocs_accepts_the_overrides_and_drops_only_the_search_plugin(tmp_path: Path) -> None:
    """The overrides go through MkDocs' own config loading (as generator/pipeline.py passes them)."""
    from mkdocs.config import load_config

    (tmp_path / "docs").mkdir()
    config = _config(
        tmp_path, "theme: {name: material}\nextra:\n  catalogue:\n    pagefind_from: 1\n", "plugins: [search, tags]\n"
    )
    engine, overrides = mkdocs_overrides(config, 10, environ={})
    cfg = load_config(str(config), **overrides)
    search.mark_config(cfg, engine)
    assert engine == PAGEFIND
    assert "search" not in cfg.plugins and "material/search" not in cfg.plugins
    assert "tags" in cfg.plugins or "material/tags" in cfg.plugins
    assert cfg.extra["search_engine"] == PAGEFIND
    assert cfg.extra["catalogue"] == {"pagefind_from": 1}

    plain = load_config(str(config))
    assert "search" in plain.plugins or "material/search" in plain.plugins


def test_run_pagefind_fails_loudly_on_a_folder_with_nothing_to_index(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="pagefind"):
        search.run_pagefind(tmp_path / "missing")


def test_an_index_job_on_a_broken_catalogue_fails_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "catalogue.json").write_text('{"papers": [', encoding="utf-8")
    job = search.start_index(tmp_path / "catalogue.json", tmp_path / "work")
    with pytest.raises(RuntimeError, match="search index failed .*could not be made"):
        job.finish(tmp_path / "site")
    assert not (tmp_path / "site" / "pagefind").exists()


def test_an_index_job_makes_the_bundle_and_moves_it_into_the_site(tmp_path: Path) -> None:
    paper = {"slug": "a-paper", "title": "A $\\alpha$ Paper", "abstract": "Otters learn to act.", "aliases": []}
    topic = {"slug": "otters", "name": "Otters", "description": "Papers about otters."}
    (tmp_path / "catalogue.json").write_text(json.dumps({"papers": [paper], "topics": [topic]}), encoding="utf-8")
    (tmp_path / "site").mkdir()
    job = search.start_index(tmp_path / "catalogue.json", tmp_path / "work")
    assert job.finish(tmp_path / "site") == "indexed 2 pages, 9 words"  # with the word every paper holds
    assert (tmp_path / "site" / "pagefind" / "pagefind.js").is_file()
    assert len(list((tmp_path / "site" / "pagefind" / "fragment").iterdir())) == 2


def test_stopping_an_index_job_ends_its_process(tmp_path: Path) -> None:
    (tmp_path / "catalogue.json").write_text('{"papers": [], "topics": []}', encoding="utf-8")
    job = search.start_index(tmp_path / "catalogue.json", tmp_path / "work")
    job.stop()
    assert job.process.poll() is not None
