"""Issue 19: a paper page whose inputs did not change is neither rendered nor written.

`generate` records, in the run stamp, the key of each paper page's inputs (render/pages.py
`PageReuse`: a hash of everything the page's template prints, of the templates and of the
generator's code); the next run renders only the pages whose key changed or whose file someone
touched. The docs it leaves are the docs a run from scratch writes, file for file.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from generator import pipeline
from generator.output.run_stamp import STAMP
from generator.render.pages import TEMPLATES, PageReuse, Renderer, page_key
from generator.urls import paper_path

from .conftest import DATA, copy_data, copy_hand_written_docs, run_cli
from .dumps import WEEKLY_PAPERS, layout_b, pairs

ENV = {"SOURCE_DATE_EPOCH": "1790000000"}  # the same "today" for every run compared
NEW_DUMP = "900_weekly.txt"
NEW_PAPERS = WEEKLY_PAPERS[:2]


def _generate(work: Path, seed: str) -> tuple[int, int]:
    """`generate` as a user runs it (with its own hash seed: keys must not depend on it);
    returns (paper pages rendered, not rendered)."""
    command = ["generate", "--data", str(work / "data"), "--docs", str(work / "docs")]
    proc = run_cli(*command, env={**ENV, "PYTHONHASHSEED": seed})
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    found = re.search(r"paper pages: (\d+) rendered, (\d+) not rendered", proc.stdout)
    assert found, proc.stdout[-1500:]
    return int(found.group(1)), int(found.group(2))


def _docs(docs: Path) -> dict[str, str]:
    """Every docs file -> a hash of its bytes, the run stamp (sizes and times) left out."""
    return {
        p.relative_to(docs).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(docs.rglob("*"))
        if p.is_file() and not p.name.startswith(STAMP)
    }


def _project(work: Path) -> Path:
    copy_data(work / "data")
    copy_hand_written_docs(work / "docs")
    return work


@pytest.mark.slow
def test_a_new_dump_renders_only_the_pages_it_changes_and_leaves_the_docs_a_fresh_run_writes(tmp_path: Path) -> None:
    reusing = _project(tmp_path / "reusing")
    rendered, kept = _generate(reusing, "1")
    papers = len(list((reusing / "docs" / "papers").glob("*.md")))
    assert (rendered, kept) == (papers, 0)  # nothing to start from
    # The same state (data and its URL ledger), without the docs: generated from scratch below.
    fresh = tmp_path / "fresh"
    shutil.copytree(reusing / "data", fresh / "data")
    copy_hand_written_docs(fresh / "docs")
    for work in (reusing, fresh):
        (work / "data" / "sources" / NEW_DUMP).write_text(layout_b(pairs(NEW_PAPERS)), encoding="utf-8")
    rendered, kept = _generate(reusing, "2")
    # The new papers, and the papers whose related lists or topics they changed: a few dozen at most.
    assert len(NEW_PAPERS) <= rendered < papers // 4 and rendered + kept == papers + len(NEW_PAPERS)
    assert _generate(fresh, "3") == (papers + len(NEW_PAPERS), 0)
    assert _docs(reusing / "docs") == _docs(fresh / "docs")


@pytest.mark.slow
def test_a_page_changed_by_hand_is_rendered_again(tmp_path: Path) -> None:
    work = _project(tmp_path / "work")
    _generate(work, "1")
    before = _docs(work / "docs")
    page = sorted((work / "docs" / "papers").glob("*.md"))[7]
    page.write_text(page.read_text(encoding="utf-8").replace("Related papers", "Related"), encoding="utf-8")
    gone = sorted((work / "docs" / "papers").glob("*.md"))[9]
    gone.unlink()
    # An input changes without changing any page, so the run is not skipped as a whole
    # (run_stamp.py) and only the two pages whose files are not as the last run left them render.
    topics = work / "data" / "topics.yml"
    topics.write_text(topics.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    papers = len(list((work / "docs" / "papers").glob("*.md"))) + 1
    assert _generate(work, "2") == (2, papers - 2)
    assert _docs(work / "docs") == before


@pytest.fixture(scope="module")
def catalogue() -> pipeline.Result:
    paths = pipeline.paths_for(DATA, None, None, None, None, None)
    return pipeline.build_catalogue(paths)


def _pages(result: pipeline.Result, reuse: PageReuse) -> dict[str, str | None]:
    renderer = Renderer(result.catalogue, TEMPLATES, reuse=reuse)
    return {paper_path(e.slug): renderer.paper_page(e)[1] for e in result.catalogue.entries}


def test_a_page_is_skipped_only_for_the_very_key_it_was_made_from(catalogue: pipeline.Result) -> None:
    first = PageReuse("code 1")
    made = _pages(catalogue, first)
    assert all(text for text in made.values())
    renderer = Renderer(catalogue.catalogue, TEMPLATES, reuse=first)
    keys = {paper_path(e.slug): renderer.paper_page(e)[0] for e in catalogue.catalogue.entries}
    assert len(set(keys.values())) == len(keys)  # the path is part of the key
    assert all(text is None for text in _pages(catalogue, PageReuse("code 1", keys)).values())
    # Other code or templates (the fingerprint): every page is rendered again.
    assert all(text for text in _pages(catalogue, PageReuse("code 2", keys)).values())
    # A page's key follows what the page prints: another related title, another key.
    entry = next(e for e in catalogue.catalogue.entries if e.links)
    context = renderer.paper_context(entry)
    slug, title, why = context["related"][0]
    changed = {**context, "related": [(slug, title + " (2nd edition)", why), *context["related"][1:]]}
    path = paper_path(entry.slug)
    assert page_key("code 1", path, changed) != page_key("code 1", path, context) == keys[path]
    assert renderer.render_paper(entry) == made[path]


def test_the_paper_template_reads_nothing_but_its_context_and_pure_path_functions(catalogue: pipeline.Result) -> None:
    """A page's key covers its context only: a name the template reads from anywhere else (a
    global mapping such as `dump_slug`) would let a changed page be skipped."""
    from jinja2 import meta

    from generator.render.pages import PAPER_TEMPLATE, THIS_PATH, make_environment

    env = make_environment(TEMPLATES)
    assert env.loader is not None
    source = env.loader.get_source(env, PAPER_TEMPLATE)[0]
    read = meta.find_undeclared_variables(env.parse(source))
    renderer = Renderer(catalogue.catalogue, TEMPLATES)
    context = set(renderer.paper_context(catalogue.catalogue.entries[0])) | {THIS_PATH}
    pure = {"paper_path", "topic_path", "area_path", "listing_path"}  # urls.*: paths from their arguments
    assert read - context <= pure, sorted(read - context)
    assert "dump_slug" in env.globals or "dump_slug" in renderer.env.globals  # the name it must not read
    imported = {t for t in meta.find_referenced_templates(env.parse(source)) if t}
    assert imported == {"_sections.j2"}  # macros over their arguments; part of the fingerprint


@pytest.mark.parametrize("reusing", [False, True])
def test_worker_processes_make_the_same_files_while_this_one_makes_the_rest(
    catalogue: pipeline.Result, reusing: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a large catalogue the paper pages are made by worker processes, and the other pages
    here while it waits for them (forking.ordered_map `meanwhile`): the same files as in one
    process, whether each page is rendered or reused."""
    from generator import forking
    from generator.render.listings import iter_site

    def site(workers: int) -> tuple[dict[str, str], dict[str, str]]:
        monkeypatch.setattr(forking, "map_workers", lambda: workers)
        reuse = PageReuse("code", known) if reusing else None
        files: dict[str, str] = {}
        for path, text in iter_site(catalogue.catalogue, TEMPLATES, reuse=reuse):
            assert path not in files, path
            files[path] = text if isinstance(text, str) else f"reused: {callable(text)}"
        return files, dict(reuse.found) if reuse else {}

    known: dict[str, str] = {}
    monkeypatch.setattr(forking, "MAP_MIN", 10)
    monkeypatch.setattr(forking, "MAP_WINDOW", 64)
    alone, keys = site(1)
    if reusing:
        known = {path: key for n, (path, key) in enumerate(sorted(keys.items())) if n % 3}  # 2 in 3 reused
        alone, keys = site(1)
        assert sum(alone[path] == "reused: True" for path in keys) == len(known) > 0
    together, keys_together = site(2)
    assert list(alone) != list(together)  # other pages came between the paper pages
    assert together == alone and keys_together == keys
