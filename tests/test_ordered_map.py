"""The parallel map gives exactly what `map` gives, in order, whether or not it forks."""

from __future__ import annotations

import os

import pytest

from generator import forking


def _square_with_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("window", [4000, 64])
def test_ordered_map_equals_map(workers: int, window: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forking, "MAP_MIN", 10)
    monkeypatch.setattr(forking, "MAP_WINDOW", window)
    items = list(range(1000))
    out = list(forking.ordered_map(_square_with_pid, items, workers=workers))
    assert [v for v, _ in out] == [n * n for n in items]
    pids = {pid for _, pid in out}
    if workers == 1:
        assert pids == {os.getpid()}
    else:
        assert os.getpid() not in pids and len(pids) >= 1


def test_small_inputs_stay_in_process() -> None:
    out = list(forking.ordered_map(_square_with_pid, [1, 2, 3], workers=2))
    assert out == [(1, os.getpid()), (4, os.getpid()), (9, os.getpid())]


def test_a_failure_in_a_worker_reaches_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forking, "MAP_MIN", 10)
    with pytest.raises(ZeroDivisionError):
        list(forking.ordered_map(lambda n: 1 // (n - 500), list(range(1000)), workers=2))
    # The pool is gone and the next map works.
    assert list(forking.ordered_map(abs, [-1, -2], workers=2)) == [1, 2]


@pytest.mark.parametrize("workers", [1, 2])
def test_the_callers_own_work_is_done_while_it_waits(workers: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """`meanwhile` runs in the caller's process while the workers are busy, one piece at a time
    until it says there is none left; the results are those of `map` either way."""
    monkeypatch.setattr(forking, "MAP_MIN", 10)
    monkeypatch.setattr(forking, "MAP_WINDOW", 64)
    left = list(range(50))
    done: list[tuple[int, int]] = []

    def meanwhile() -> bool:
        if not left:
            return False
        done.append((left.pop(), os.getpid()))
        return True

    items = list(range(2000))
    out = list(forking.ordered_map(_square_with_pid, items, workers=workers, meanwhile=meanwhile))
    assert [v for v, _ in out] == [n * n for n in items]
    if workers == 1:
        assert done == [] and left  # one process: nothing to wait for, the caller does it after
    else:
        assert sorted(n for n, _ in done) == list(range(50))
        assert {pid for _, pid in done} == {os.getpid()}
