"""Nothing clobbered: output folders are checked before anything is written, the URL ledger is
replaced atomically and never silently restarted, and trial runs leave the ledger alone."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from generator import cli
from generator.output import atomic

from .conftest import DATA, ROOT, copy_hand_written_docs, run_cli
from .test_hostile_write import small_data, snapshot


def _repo_like(tmp: Path) -> Path:
    """A folder laid out like the repository: mkdocs.yml, data/ (a few records), docs/, .git/."""
    tmp.mkdir()
    shutil.copy2(ROOT / "mkdocs.yml", tmp / "mkdocs.yml")
    shutil.copytree(ROOT / "templates", tmp / "templates")
    small_data(tmp / "data", 3)
    copy_hand_written_docs(tmp / "docs")
    (tmp / ".git").mkdir()
    (tmp / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    return tmp


@pytest.mark.parametrize(
    ("option", "folder", "reason"),
    [
        ("--site", ".", "contains the data folder"),
        ("--site", "data", "is the data folder"),
        ("--site", "data/sources", "lies inside the data folder"),
        ("--site", "docs", "is the docs folder"),
        ("--site", "docs/site", "lies inside the docs folder"),
        ("--site", "..", "contains the data folder"),
        ("--docs", ".", "contains the data folder"),
        ("--docs", "data", "is the data folder"),
        ("--docs", "data/pages", "lies inside the data folder"),
        ("--docs", "site", "is the docs folder"),
    ],
)
def test_an_output_folder_that_is_holds_or_lies_in_an_input_is_refused(
    tmp_path: Path, option: str, folder: str, reason: str
) -> None:
    repo = _repo_like(tmp_path / "repo")
    before = snapshot(repo)
    args = {"--site": "site", "--docs": "docs", option: folder}
    proc = run_cli("build", "--data", "data", "--docs", args["--docs"], "--site", args["--site"], cwd=repo)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert reason in proc.stderr and "nothing was read or written" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert snapshot(repo) == before


def test_a_site_folder_that_no_build_made_is_never_replaced(tmp_path: Path) -> None:
    repo = _repo_like(tmp_path / "repo")
    mine = tmp_path / "my-folder"
    mine.mkdir()
    (mine / "thesis.tex").write_text("years of work\n", encoding="utf-8")
    proc = run_cli("build", "--data", "data", "--site", str(mine), cwd=repo)
    assert proc.returncode == 1 and "holds files that no build made" in proc.stderr
    assert (mine / "thesis.tex").read_text(encoding="utf-8") == "years of work\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my-folder", "repo"]  # nothing built beside it


@pytest.mark.slow
def test_an_empty_or_built_site_folder_is_replaced(tmp_path: Path) -> None:
    repo = _repo_like(tmp_path / "repo")
    (repo / "site").mkdir()
    for _ in range(2):  # empty, then the site the first build made
        proc = run_cli("build", "--data", "data", cwd=repo)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert (repo / "site" / "catalogue.json").is_file() and (repo / "site" / ".catalogue-site").is_file()


# --- The URL ledger -----------------------------------------------------------------------


def _generate(data: Path, docs: Path, *extra: str) -> int:
    return cli.main(["generate", "--data", str(data), "--docs", str(docs), *extra])


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """A data folder whose ledger a first run wrote."""
    data = small_data(tmp_path / "data", 4)
    assert _generate(data, copy_hand_written_docs(tmp_path / "docs")) == 0
    assert (data / "published.json").is_file()
    return data


def test_a_disk_error_while_writing_the_ledger_leaves_it_and_the_docs_as_they_were(
    tmp_path: Path, published: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    more = small_data(tmp_path / "more", 7)
    shutil.copy2(published / "published.json", more / "published.json")
    ledger_before = (more / "published.json").read_bytes()
    docs_before = snapshot(tmp_path / "docs")

    def full_disk(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    assert _generate(more, tmp_path / "docs") == 1
    assert "No space left on device" in capsys.readouterr().err
    assert (more / "published.json").read_bytes() == ledger_before
    assert snapshot(tmp_path / "docs") == docs_before
    assert [p.name for p in more.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_atomic_replace_keeps_the_old_bytes_until_the_rename(tmp_path: Path) -> None:
    target = tmp_path / "ledger.json"
    target.write_bytes(b"old")
    target.chmod(0o640)
    pending = atomic.prepare(target, b"new")
    assert target.read_bytes() == b"old"
    pending.commit()
    assert target.read_bytes() == b"new" and (target.stat().st_mode & 0o777) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger.json"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the URL ledger is empty"),
        ("   \n", "the URL ledger is empty"),
        ('{"papers": {\n  "a": {"title": "A", "sources": []}\n', "not valid JSON"),
        ('["a", "b"]', "must be an object"),
        ('{"papers": []}', "must be an object"),
        ('{"papers": {\n  "a-paper": {"title": 7, "sources": []}\n}}', "ledger entry 'a-paper'"),
        ('{"papers": {\n  "a-paper": {"title": "A", "sources": [1]}\n}}', "ledger entry 'a-paper'"),
        ('{"papers": {\n  "../../etc": {"title": "A", "sources": []}\n}}', "must be a URL slug"),
        ("[" * 100_000, "nested too deeply"),
    ],
)
@pytest.mark.parametrize("command", ["check", "generate", "build"])
def test_an_unusable_ledger_is_an_error_never_a_fresh_start(
    tmp_path: Path, published: Path, text: str, message: str, command: str
) -> None:
    (published / "published.json").write_text(text, encoding="utf-8")
    docs_before = snapshot(tmp_path / "docs")
    extra = [] if command == "check" else ["--docs", str(tmp_path / "docs")]
    extra += ["--site", str(tmp_path / "site")] if command == "build" else []
    proc = run_cli(command, "--data", str(published), *extra)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert "published.json" in proc.stderr and message in proc.stderr and "restore it" in proc.stderr
    assert (published / "published.json").read_text(encoding="utf-8") == text
    assert snapshot(tmp_path / "docs") == docs_before and not (tmp_path / "site").exists()


def test_a_ledger_error_names_the_line(tmp_path: Path, published: Path) -> None:
    ledger = json.loads((published / "published.json").read_text(encoding="utf-8"))
    slug = sorted(ledger["papers"])[2]
    ledger["papers"][slug]["title"] = None
    text = (
        '{"papers": {\n'
        + ",\n".join(f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in sorted(ledger["papers"].items()))
        + "\n}}\n"
    )
    (published / "published.json").write_text(text, encoding="utf-8")
    proc = run_cli("check", "--data", str(published))
    assert proc.returncode == 1 and f"published.json:4: error: ledger entry {slug!r}" in proc.stderr


# --- Trial runs over other dumps ----------------------------------------------------------


def test_a_trial_run_over_other_dumps_leaves_the_ledger_alone(tmp_path: Path, published: Path) -> None:
    before = (published / "published.json").read_bytes()
    trial = small_data(tmp_path / "trial", 9) / "sources"
    docs = tmp_path / "docs"
    for command in (["check"], ["generate", "--docs", str(docs)]):
        proc = run_cli(*command, "--data", str(published), "--sources", str(trial))
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "no URL ledger read or written" in proc.stdout
        assert (published / "published.json").read_bytes() == before
    # Asked for: a ledger of the trial's own.
    own = tmp_path / "trial-ledger.json"
    args = ("--data", str(published), "--sources", str(trial), "--docs", str(docs), "--ledger", str(own))
    assert run_cli("generate", *args).returncode == 0
    assert len(json.loads(own.read_text(encoding="utf-8"))["papers"]) == 9
    assert (published / "published.json").read_bytes() == before


def test_check_warns_when_a_published_url_loses_its_page(tmp_path: Path, published: Path) -> None:
    dump = next((published / "sources").iterdir())
    ledger = json.loads((published / "published.json").read_text(encoding="utf-8"))["papers"]
    last_slug = max(ledger, key=lambda slug: int(ledger[slug]["sources"][0].rsplit(":", 1)[1]))
    # A record excluded by the curator: a note giving the reason.
    ref = ledger[last_slug]["sources"][0]
    (published / "curation.yml").write_text(f'exclude:\n  - {{record: "{ref}", reason: "a duplicate talk"}}\n', "utf-8")
    proc = run_cli("check", "--data", str(published), "--verbose")
    assert proc.returncode == 0, proc.stderr
    line = 1 + sorted(ledger).index(last_slug) + 1
    # A note (never fails --strict), since the curator meant it.
    assert f"published.json:{line}: note: published URL papers/{last_slug}/" in proc.stdout
    assert "excluded by curation (a duplicate talk)" in proc.stdout
    # The dump's records gone (the dump replaced by a shorter one): a warning with the ledger's line.
    (published / "curation.yml").unlink()
    lines = dump.read_text(encoding="utf-8").split("\n")
    dump.write_text("\n".join(lines[:6]) + "\n", encoding="utf-8")
    proc = run_cli("check", "--data", str(published))
    assert proc.returncode == 0
    assert f"published.json:{line}: warning: published URL papers/{last_slug}/" in proc.stdout
    assert "in no dump read" in proc.stdout


def test_check_over_the_bundled_catalogue_loses_no_url() -> None:
    proc = run_cli("check", "--data", str(DATA), "--strict")
    assert proc.returncode == 0 and "has no paper any more" not in proc.stdout


@pytest.mark.slow
def test_a_published_url_whose_paper_is_gone_says_so(tmp_path: Path, published: Path) -> None:
    ledger = json.loads((published / "published.json").read_text(encoding="utf-8"))["papers"]
    slug = sorted(ledger)[0]
    ref = ledger[slug]["sources"][0]
    (published / "curation.yml").write_text(f'exclude:\n  - {{record: "{ref}", reason: "a duplicate talk"}}\n', "utf-8")
    docs = tmp_path / "docs"
    proc = run_cli("build", "--data", str(published), "--docs", str(docs), "--site", str(tmp_path / "site"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    page = unescape((tmp_path / "site" / "papers" / slug / "index.html").read_text(encoding="utf-8"))
    assert "no longer in the catalogue: a curator excluded it (a duplicate talk)" in page
    assert "https://arxiv.org/search/?query=" in page
    cat = json.loads((tmp_path / "site" / "catalogue.json").read_text(encoding="utf-8"))
    assert slug not in {p["slug"] for p in cat["papers"]}
    assert slug in json.loads((published / "published.json").read_text(encoding="utf-8"))["papers"]  # never shrinks


@pytest.mark.parametrize("name", ["published.json", "topics.yml", "curation.yml"])
def test_a_named_pipe_in_place_of_a_data_file_is_an_error_not_a_hang(tmp_path: Path, name: str) -> None:
    data = small_data(tmp_path / "data", 2)
    (data / name).unlink(missing_ok=True)
    os.mkfifo(data / name)
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--data", str(data)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert proc.returncode == 1 and f"{name}" in proc.stderr and "not a regular file (a named pipe" in proc.stderr
