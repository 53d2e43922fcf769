"""Run a per-item pass over a large catalogue in two processes, with the same result as one.

The stages' per-paper (or per-pair) passes are pure Python; on a machine with two cores half
of the items can go to a forked child. The child inherits the read-only inputs through fork
(nothing is pickled but the range and the child's results), and the halves are concatenated in
order, so the result is exactly the one-process result.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

PARALLEL_MIN = 20_000
"""From this many items a pass is split (below, forking costs more than it saves)."""


def parallel(n: int, workers: int | None = None) -> bool:
    """Whether a pass over `n` items should run in two processes (`workers`: None decides by
    size and cores, 1 forces one process, 2 asks for two)."""
    if workers is None:
        workers = 2 if n >= PARALLEL_MIN and (os.cpu_count() or 1) >= 2 else 1
    # fork() copies only the calling thread: a lock held by another thread would stay held in
    # the child forever, so no fork while other threads run (e.g. under `serve`).
    return workers > 1 and threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()


def in_halves(job: Callable[[int, int], list[T]], n: int, split: bool) -> list[T]:
    """job(0, n); when `split`, job(0, n // 2) here and job(n // 2, n) in a forked child,
    concatenated in that order. `job` must only read what it shares with the parent."""
    if not split:
        return job(0, n)
    global _JOB
    _JOB = job
    try:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
            second = pool.submit(_run_job, n // 2, n)
            first = job(0, n // 2)
            return first + second.result()
    finally:
        _JOB = None


_JOB: Callable[[int, int], list[Any]] | None = None


def _run_job(start: int, stop: int) -> list[Any]:
    assert _JOB is not None, "only called in a child forked by in_halves"
    return _JOB(start, stop)
