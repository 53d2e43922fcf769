"""Which search engine a build uses (generator/site/search.py): the decision, and the MkDocs overrides."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from generator.site import pagefind_index, search
from generator.site.search import MATERIAL, PAGEFIND, SearchConfigError, choose_engine, mkdocs_overrides, without_search

from .conftest import pagefind_fragments

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


def test_the_pages_go_to_ram_when_it_has_room_and_to_the_work_folder_when_not(tmp_path: Path) -> None:
    ram = tmp_path / "ram"
    ram.mkdir()
    for work, room, expected_parent in ((tmp_path / "w1", 1, ram), (tmp_path / "w2", 10**18, None)):
        work.mkdir()
        folder = pagefind_index.pages_folder(work, room, ram)
        assert folder.is_dir() and not any(folder.iterdir())
        assert folder.parent == (expected_parent or work)
        assert (work / pagefind_index.WHERE_FILE).read_text(encoding="utf-8") == str(folder)
        pagefind_index.remove_pages(work)
        assert not folder.exists()
    (tmp_path / "w3").mkdir()
    assert pagefind_index.pages_folder(tmp_path / "w3", 1, tmp_path / "no-such-folder") == tmp_path / "w3" / "pages"


def test_a_ram_folder_is_not_left_behind_when_the_work_folder_cannot_record_it(tmp_path: Path) -> None:
    """Only the record in the work folder lets a later build remove the pages: without it, a folder
    in RAM would stay until the machine restarts (258 MB at 100,000 papers)."""
    ram = tmp_path / "ram"
    ram.mkdir()
    with pytest.raises(OSError):
        pagefind_index.pages_folder(tmp_path / "no-such-work", 1, ram)
    assert not any(ram.iterdir())


def test_the_index_made_from_pages_in_ram_holds_what_the_one_made_on_disk_holds(
    bundled_site: Path, tmp_path: Path
) -> None:
    """The same fragment (text, filters, meta) for every page; the index files differ only in the
    order Pagefind met the pages (tests/test_search_pagefind.py compares them with the built site's)."""
    ram = pagefind_index.RAM_FOLDER
    if not ram.is_dir():
        pytest.skip(f"no {ram} on this machine")
    bundles = []
    for work, where in ((tmp_path / "disk", None), (tmp_path / "ram", ram)):
        work.mkdir()
        summary = pagefind_index.index(bundled_site / "site" / "catalogue.json", work, "en", where)
        assert summary.startswith("indexed ")
        folder = Path((work / pagefind_index.WHERE_FILE).read_text(encoding="utf-8"))
        assert folder.parent == (where or work) and not folder.exists()  # written there, removed after
        entry = json.loads((work / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
        bundles.append((summary, entry["languages"]["en"]["page_count"], pagefind_fragments(work / "pagefind")))
    assert bundles[0] == bundles[1] and len(bundles[0][2]) > 300


def test_a_build_that_fails_while_the_index_is_made_leaves_no_pages_behind(bundled_site: Path, tmp_path: Path) -> None:
    """The child is stopped before it removes its pages (in RAM they would outlive the build):
    the parent removes them."""
    (tmp_path / "site").mkdir()
    seen: list[Path] = []

    def failing_build() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            where = list(tmp_path.glob(f"{search.INDEX_WORK_PREFIX}*/{pagefind_index.WHERE_FILE}"))
            if where and (folder := Path(where[0].read_text(encoding="utf-8"))).is_dir():
                seen.append(folder)
                break
            time.sleep(0.02)
        raise RuntimeError("the site build failed")

    with pytest.raises(RuntimeError, match="the site build failed"):
        search.build_while_indexing(
            PAGEFIND, bundled_site / "site" / "catalogue.json", tmp_path / "site", "en", failing_build
        )
    assert seen and not seen[0].exists()
    assert not list(tmp_path.glob(f"{search.INDEX_WORK_PREFIX}*"))
