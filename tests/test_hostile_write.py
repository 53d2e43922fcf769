"""A failed run leaves the previous docs/ and site/ as they were: the writer stages, moves, and can
roll back; the build makes the site beside the old one and swaps it in only on success."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.output import docs_writer
from generator.site import pagefind_index, search

from .conftest import DATA, copy_hand_written_docs, run_cli

V1 = {"index.md": "home v1\n", "papers/a.md": "a v1\n", "papers/b.md": "b v1\n", "old/gone.md": "stale\n"}
V2 = {"index.md": "home v2\n", "papers/a.md": "a v1\n", "papers/c.md": "c v2\n", "topics/t.md": "t v2\n"}


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file (bytes) and folder (None) under `folder`, hidden ones included."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None) for p in sorted(folder.rglob("*"))}


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "about.md").write_text("hand-written\n", encoding="utf-8")
    docs_writer.write_outputs(docs, V1)
    return docs


def _fail_on_call(n: int, real: Callable, exc: BaseException) -> Callable:
    calls = {"n": 0}

    def fake(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] == n:
            raise exc
        return real(*args, **kwargs)

    return fake


def test_write_outputs_writes_changed_and_removes_stale(docs: Path) -> None:
    stats = docs_writer.write_outputs(docs, V2)
    assert (stats.written, stats.unchanged, stats.removed) == (3, 1, 2)
    files = {k: v for k, v in snapshot(docs).items() if v is not None}
    assert files == {
        "about.md": b"hand-written\n",
        docs_writer.MANIFEST: files[docs_writer.MANIFEST],
        **{k: v.encode() for k, v in V2.items()},
    }
    assert not (docs / "old").exists()


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_failure_while_staging_leaves_docs_untouched(docs: Path, n: int, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(docs)
    monkeypatch.setattr(
        docs_writer, "_write_file", _fail_on_call(n, docs_writer._write_file, OSError(28, "No space left"))
    )
    with pytest.raises(docs_writer.WriteError, match="failed"):
        docs_writer.write_outputs(docs, V2)
    assert snapshot(docs) == before


@pytest.mark.parametrize("n", range(1, 12))
def test_failure_while_moving_into_place_restores_everything(
    docs: Path, n: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(docs)
    monkeypatch.setattr(docs_writer.os, "replace", _fail_on_call(n, os.replace, OSError(5, "I/O error")))
    try:
        docs_writer.write_outputs(docs, V2)
    except docs_writer.WriteError as err:
        assert "previous files restored" in str(err)
        assert snapshot(docs) == before
    else:  # n is past the last move: the write went through
        assert (docs / "papers/c.md").read_text(encoding="utf-8") == "c v2\n"


def test_rollback_after_apply_restores_the_previous_docs(docs: Path) -> None:
    before = snapshot(docs)
    staged = docs_writer.stage_outputs(docs, V2)
    staged.apply()
    assert (docs / "topics/t.md").is_file() and not (docs / "papers/b.md").exists()
    staged.rollback()
    assert snapshot(docs) == before


def test_a_killed_run_is_cleaned_up_by_the_next_one(docs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as m:
        m.setattr(docs_writer.os, "replace", _fail_on_call(4, os.replace, KeyboardInterrupt()))
        with pytest.raises(KeyboardInterrupt):
            docs_writer.write_outputs(docs, V2)
    assert any(p.name.startswith(".generator-write-") for p in docs.iterdir())  # what a kill leaves
    v3 = {"index.md": "home v3\n"}
    docs_writer.write_outputs(docs, v3)
    files = {k for k, v in snapshot(docs).items() if v is not None}
    assert files == {"about.md", "index.md", docs_writer.MANIFEST}
    assert (docs / "index.md").read_text(encoding="utf-8") == "home v3\n"


@pytest.mark.parametrize(
    "bad", ["../outside.md", "/etc/x.md", "a/../../x.md", "", "a//b.md", docs_writer.MANIFEST, "a\\b.md"]
)
def test_unsafe_output_paths_are_refused_before_any_write(docs: Path, bad: str) -> None:
    before = snapshot(docs)
    with pytest.raises(docs_writer.WriteError):
        docs_writer.write_outputs(docs, {**V2, bad: "x"})
    assert snapshot(docs) == before


def test_a_tampered_manifest_never_deletes_outside_the_docs_folder(docs: Path) -> None:
    outside = docs.parent / "precious.txt"
    outside.write_text("keep me", encoding="utf-8")
    (docs / docs_writer.MANIFEST).write_text('["../precious.txt", "papers/a.md"]', encoding="utf-8")
    docs_writer.write_outputs(docs, {"papers/a.md": "a v1\n"})
    assert outside.read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda d: (d / "topics").write_text("a file", encoding="utf-8"), "is a file"),
        (lambda d: (d / "topics" / "t.md").mkdir(parents=True), "is a folder"),
        (
            lambda d: (d / "topics").mkdir() or (d / "topics" / "t.md").write_text("mine", encoding="utf-8"),
            "not generated",
        ),
    ],
)
def test_something_in_the_way_is_reported_before_any_write(docs: Path, setup, message: str) -> None:  # type: ignore[no-untyped-def]
    setup(docs)
    before = snapshot(docs)
    with pytest.raises(docs_writer.WriteError, match=message):
        docs_writer.write_outputs(docs, V2)
    assert snapshot(docs) == before


# --- The site: built aside, swapped in only on success (real MkDocs builds) -------------------

MKDOCS_STRICT_FAILURE = "site_name: broken\ntheme:\n  name: material\nnav:\n  - missing-page.md\n"
MKDOCS_INVALID = "site_name: broken\ntheme:\n  name: no-such-theme\n"


def small_data(folder: Path, records: int) -> Path:
    """A data folder with the bundled topics and the first `records` records of one bundled dump."""
    (folder / "sources").mkdir(parents=True)
    shutil.copy2(DATA / "topics.yml", folder / "topics.yml")
    dump = next((DATA / "sources").glob("003_*.txt"))
    lines = dump.read_text(encoding="utf-8").split("\n")
    (folder / "sources" / dump.name).write_text("\n".join(lines[: 2 + 2 * records]) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def small_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real site from a few bundled records, and a second data folder that would change it."""
    tmp = tmp_path_factory.mktemp("swap")
    small_data(tmp / "data", 4)
    small_data(tmp / "data2", 7)
    copy_hand_written_docs(tmp / "docs")
    proc = _build(tmp, "data")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (tmp / "site").chmod(0o750)
    return tmp


def _build(tmp: Path, data: str, *extra: str):  # type: ignore[no-untyped-def]
    return run_cli("build", "--data", str(tmp / data), "--docs", str(tmp / "docs"), "--site", str(tmp / "site"), *extra)


def _no_leftovers(tmp: Path) -> None:
    assert [p.name for p in tmp.iterdir() if p.name.startswith(".")] == []
    assert [p.name for p in (tmp / "docs").iterdir() if p.name.startswith(".generator-write-")] == []


@pytest.mark.slow
@pytest.mark.parametrize("failure", ["bad-topics", "invalid-config", "strict-abort"])
def test_a_failed_build_leaves_the_previous_docs_and_site(small_build: Path, failure: str) -> None:
    tmp = small_build
    site_before, docs_before = snapshot(tmp / "site"), snapshot(tmp / "docs")
    if failure == "bad-topics":
        (tmp / "bad" / "sources").mkdir(parents=True, exist_ok=True)
        shutil.copytree(tmp / "data2" / "sources", tmp / "bad" / "sources", dirs_exist_ok=True)
        (tmp / "bad" / "topics.yml").write_text("areas: [\n  - {name: x", encoding="utf-8")
        proc = _build(tmp, "bad")
    else:
        config = tmp / f"{failure}.yml"
        config.write_text(MKDOCS_STRICT_FAILURE if failure == "strict-abort" else MKDOCS_INVALID, encoding="utf-8")
        proc = _build(tmp, "data2", "--config", str(config))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "error" in proc.stderr
    assert snapshot(tmp / "site") == site_before
    assert snapshot(tmp / "docs") == docs_before
    _no_leftovers(tmp)


def _killed_index_job(tmp: Path) -> Path:
    """What a build killed while its index job ran leaves: the job's work folder beside the site,
    and the pages it recorded there, in RAM when the machine has a RAM folder."""
    ram = pagefind_index.RAM_FOLDER if pagefind_index.RAM_FOLDER.is_dir() else tmp / "ram"
    ram.mkdir(exist_ok=True)
    pages = Path(tempfile.mkdtemp(prefix=pagefind_index.PAGES_PREFIX, dir=ram))
    (pages / "papers" / "x").mkdir(parents=True)
    (pages / "papers" / "x" / "index.html").write_text("<html></html>", encoding="utf-8")
    work = tmp / f"{search.INDEX_WORK_PREFIX}killed"
    work.mkdir()
    (work / pagefind_index.WHERE_FILE).write_text(str(pages), encoding="utf-8")
    return pages


@pytest.mark.slow
def test_a_good_build_swaps_the_new_site_in(small_build: Path) -> None:
    tmp = small_build
    old_pages = {p.name for p in (tmp / "site" / "papers").iterdir()}
    (tmp / ".site.new-killed" / "papers").mkdir(parents=True)  # what a killed build leaves
    (tmp / ".site.old-killed").mkdir()
    pages = _killed_index_job(tmp)
    proc = _build(tmp, "data2")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not pages.exists()  # in RAM it would have stayed until the machine restarts
    new_pages = {p.name for p in (tmp / "site" / "papers").iterdir()}
    assert old_pages < new_pages
    assert stat.S_IMODE((tmp / "site").stat().st_mode) == 0o750  # the folder keeps its permissions
    _no_leftovers(tmp)
    proc = _build(tmp, "data")  # back: pages of papers no longer listed are gone from docs and site
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert {p.name for p in (tmp / "site" / "papers").iterdir()} == old_pages
    assert {p.stem for p in (tmp / "docs" / "papers").iterdir()} == old_pages


@pytest.mark.slow
def test_a_site_path_that_is_a_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "site").write_text("not a folder", encoding="utf-8")
    docs = copy_hand_written_docs(tmp_path / "docs")
    before = snapshot(docs)
    data = small_data(tmp_path / "data", 2)
    proc = run_cli("build", "--data", str(data), "--docs", str(docs), "--site", str(tmp_path / "site"))
    assert proc.returncode == 1 and "not a folder" in proc.stderr
    assert (tmp_path / "site").read_text(encoding="utf-8") == "not a folder"
    assert snapshot(docs) == before


def test_a_run_that_reads_no_record_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    """Every dump broken (or the wrong --sources): an empty catalogue must not replace the last one."""
    docs = copy_hand_written_docs(tmp_path / "docs")
    good = small_data(tmp_path / "data", 2)
    assert run_cli("generate", "--data", str(good), "--docs", str(docs)).returncode == 0
    before = snapshot(docs)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "empty.txt").write_bytes(b"")
    (broken / "notes.txt").write_text("just notes\n", encoding="utf-8")
    for command in (["check"], ["generate", "--docs", str(docs)]):
        proc = run_cli(*command, "--data", str(good), "--sources", str(broken))
        assert proc.returncode == 1 and "no record could be read" in proc.stderr, proc.stderr
        assert "empty.txt" in proc.stdout and "notes.txt" in proc.stdout
    assert snapshot(docs) == before


def _drawn(n: int) -> bytes:
    return f"{n} drawn in {os.getpid()}\n".encode()


@pytest.mark.parametrize("workers", [1, 2])
def test_files_made_on_demand_are_made_only_when_missing_and_on_every_core(
    tmp_path: Path, workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file given as a function (a preview card) is made only when the docs folder lacks it;
    from DRAWN_MIN of them, worker processes make them (a first build draws thousands of cards)."""
    import functools

    from generator import forking

    docs = tmp_path / "docs"
    monkeypatch.setattr(forking, "map_workers", lambda: workers)
    count = docs_writer.DRAWN_MIN + 36
    made = {f"cards/{n}.png": functools.partial(_drawn, n) for n in range(count)}
    files: dict[str, docs_writer.FileContent] = {"index.md": "home\n", **made}
    stats = docs_writer.write_outputs(docs, files)
    assert stats.written == count + 1
    texts = {p: (docs / p).read_text(encoding="utf-8") for p in made}
    assert all(text.startswith(f"{p[6:-4]} drawn in ") for p, text in texts.items())
    pids = {int(text.split()[-1]) for text in texts.values()}
    assert (pids == {os.getpid()}) if workers == 1 else (os.getpid() not in pids)
    # Once there, never made again; a missing one is made again.
    (docs / "cards/3.png").unlink()
    again = docs_writer.write_outputs(docs, {**files, **{p: _refuse for p in made if p != "cards/3.png"}})
    assert (again.written, again.unchanged) == (1, count)
    assert (docs / "cards/3.png").read_text(encoding="utf-8").startswith("3 drawn in ")


def _refuse() -> bytes:
    raise AssertionError("made again, though the docs folder has it")
