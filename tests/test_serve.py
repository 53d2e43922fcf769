"""`python -m generator serve`: it serves the catalogue, and picks up a curator's edits to data/.

The data folder is a copy in tmp_path (the real data is never touched); the server runs in its own
process group on a free port and is always killed at the end.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from slugify import slugify

from .conftest import DATA, ROOT, copy_hand_written_docs

pytestmark = pytest.mark.slow

MARKER = "Edited while serving"
NEW_TITLE = "Quokka Bandits: Served Live Without a Restart"
NEW_DUMP = f"""new

Get trending papers in your email inbox!

Subscribe

byAK and the research community

Nov 21

{NEW_TITLE}

We study multi-armed bandits in which a quokka pulls the arms, and prove a regret bound for it.
"""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - localhost only
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return 0, ""


class Server:
    def __init__(self, proc: subprocess.Popen[bytes], base: str, log: Path) -> None:
        self.proc, self.base, self.log = proc, base, log

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-4000:]

    def wait_for(self, path: str, ok: Callable[[int, str], bool], timeout: float, what: str) -> str:
        """Poll `path` until ok(status, body); fail with the server's output after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        status = 0
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"the server exited ({self.proc.returncode}) before {what}:\n{self.output()}")
            status, body = _get(self.base + path)
            if ok(status, body):
                return body
            time.sleep(0.5)
        pytest.fail(f"{what}: not after {timeout:.0f} s (last status {status}) at {self.base}{path}\n{self.output()}")


@contextlib.contextmanager
def serve(data: Path, docs: Path, log: Path) -> Iterator[Server]:
    port = _free_port()
    env = dict(os.environ, SITE_URL=f"http://127.0.0.1:{port}/", PYTHONUNBUFFERED="1")
    cmd = [sys.executable, "-m", "generator", "serve", "--data", str(data), "--docs", str(docs)]
    cmd += ["--dev-addr", f"127.0.0.1:{port}"]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield Server(proc, f"http://127.0.0.1:{port}/", log)
    finally:
        for sig, grace in ((signal.SIGINT, 10), (signal.SIGKILL, 10)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, sig)
            try:
                proc.wait(timeout=grace)
                break
            except subprocess.TimeoutExpired:
                continue
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # anything the server left behind in its group


def test_serve_shows_the_catalogue_and_picks_up_edits_to_the_data(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    docs = copy_hand_written_docs(tmp_path / "docs")

    with serve(data, docs, tmp_path / "serve.log") as server:
        # It generates first: a paper page answers once MkDocs has built.
        deadline = time.monotonic() + 90
        while not (docs / "catalogue.json").is_file():
            if server.proc.poll() is not None:
                pytest.fail(f"the server exited ({server.proc.returncode}):\n{server.output()}")
            if time.monotonic() > deadline:
                pytest.fail(f"no catalogue.json in {docs} after 90 s:\n{server.output()}")
            time.sleep(0.2)
        cat = json.loads((docs / "catalogue.json").read_text(encoding="utf-8"))
        paper = cat["papers"][0]
        server.wait_for(f"papers/{paper['slug']}/", lambda s, _: s == 200, 90, "the first paper page answered")

        # A curator rewrites a topic's description and drops a new dump (at once: one rebuild, not two).
        topics_yml = data / "topics.yml"
        text = topics_yml.read_text(encoding="utf-8")
        first = yaml.safe_load(text)["areas"][0]["topics"][0]
        slug = first.get("slug") or slugify(first["name"])
        new_slug = slugify(NEW_TITLE)
        assert text.count(first["description"]) == 1, "the description is not written on one line"
        assert MARKER not in server.wait_for(f"topics/{slug}/", lambda s, _: s == 200, 30, "the topic page answered")
        assert _get(f"{server.base}papers/{new_slug}/")[0] == 404
        topics_yml.write_text(text.replace(first["description"], f"{first['description']} {MARKER}."), "utf-8")
        (data / "sources" / "900_served_live.txt").write_text(NEW_DUMP, encoding="utf-8")

        # The served pages follow, without a restart.
        server.wait_for(f"topics/{slug}/", lambda s, body: s == 200 and MARKER in body, 90, "the topic edit showed")
        body = server.wait_for(f"papers/{new_slug}/", lambda s, _: s == 200, 30, "the new dump's paper appeared")
        assert "quokka pulls the arms" in body

    assert server.proc.poll() is not None, "the server is still running"
    assert not (DATA / "sources" / "900_served_live.txt").exists()
