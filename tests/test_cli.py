from pathlib import Path

import pytest

from .conftest import DATA, ROOT, run_cli

COMMANDS = ["check", "generate", "build", "serve"]


def test_check_prints_summary_and_writes_nothing(tmp_path: Path) -> None:
    proc = run_cli("check", "--data", str(DATA))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1].startswith("436 records read from 5 files -> 364 papers, 72 merged")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_is_in_the_readme(command: str) -> None:
    proc = run_cli(command, "--help")
    assert proc.returncode == 0 and "--data" in proc.stdout
    assert f"python -m generator {command}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_wrong_usage_exits_2() -> None:
    assert run_cli("frobnicate").returncode == 2
    assert run_cli("check", "--no-such-flag").returncode == 2


def test_unusable_input_exits_1_without_traceback(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "sources").mkdir(parents=True)
    (data / "topics.yml").write_text("areas: [oops", encoding="utf-8")
    proc = run_cli("generate", "--data", str(data), "--docs", str(tmp_path / "docs"))
    assert proc.returncode == 1
    assert "topics.yml" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "docs").exists()


def test_strict_fails_on_reported_problems(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    for dump in (DATA / "sources").glob("*.txt"):
        (sources / dump.name).write_bytes(dump.read_bytes())
    (sources / "empty.txt").write_bytes(b"")
    (tmp_path / "topics.yml").write_bytes((DATA / "topics.yml").read_bytes())
    relaxed = run_cli("check", "--data", str(tmp_path))
    assert relaxed.returncode == 0 and "empty.txt" in relaxed.stdout
    assert run_cli("check", "--data", str(tmp_path), "--strict").returncode == 1
