"""The whole of `check`, driven by random input: random dump bytes, random curation YAML and a
random URL ledger never end in a traceback; `check` answers 0 or 1 and says why."""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import cli

from .conftest import DATA
from .dumps import LAYOUT_A_HEAD, LAYOUT_B_HEAD

TOPICS = (DATA / "topics.yml").read_bytes()
REAL_LINES = (DATA / "sources" / "003_2eac55ab512abe74.txt").read_bytes().split(b"\n")[2:40]

_DUMP = st.tuples(
    st.sampled_from([b"", LAYOUT_A_HEAD.encode(), LAYOUT_B_HEAD.encode(), b"\xef\xbb\xbf" + LAYOUT_B_HEAD.encode()]),
    st.lists(st.one_of(st.sampled_from(REAL_LINES), st.binary(max_size=120)), max_size=12),
    st.sampled_from([b"\n", b"\r\n", b"\r"]),
).map(lambda t: t[0] + t[2].join(t[1]))

_YAML_TOKENS = st.sampled_from(
    [
        "keep_apart:", "merge:", "titles:", "exclude:", "pins:", "\n", "  - ", "[", "]", "{", "}", ", ", ": ",
        "paper: ", "title: ", "record: ", "reason: ", "topics: ", "&a ", "*a", "!!python/object ", "? ", "'",
        '"', "003_2eac55ab512abe74.txt:3", "On Many-Actions Policy Gradient", "robot-manipulation", "null",
        "2024-01-01",
    ]
)  # fmt: skip
_YAML = st.lists(st.one_of(_YAML_TOKENS, st.text(max_size=6)), max_size=40).map("".join)
_LEDGER = st.one_of(
    st.text(max_size=80),
    st.sampled_from(['{"papers": {}}', '{"papers": {"a": {"title": 1, "sources": []}}}', "[" * 5000, "{}"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_DUMP, min_size=1, max_size=3), _YAML, st.one_of(st.none(), _LEDGER))
def test_check_never_raises_on_random_dumps_curation_and_ledger(
    dumps: list[bytes], curation: str, ledger: str | None
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        (data / "sources").mkdir()
        for n, dump in enumerate(dumps):
            (data / "sources" / f"{n:03d}_random.txt").write_bytes(dump)
        (data / "topics.yml").write_bytes(TOPICS)
        (data / "curation.yml").write_text(curation, encoding="utf-8")
        if ledger is not None:
            (data / "published.json").write_text(ledger, encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(["check", "--data", str(data)])
        assert code in (0, 1)
        if code == 1:
            assert "error" in err.getvalue()
        else:
            assert re.match(r"\d+ records? read from \d+ files? -> \d+ papers?, ", out.getvalue().splitlines()[-1])
