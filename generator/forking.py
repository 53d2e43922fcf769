"""Run a per-item pass over a large catalogue in several processes, with the same result as one.

The stages' per-paper (or per-pair) passes are pure Python; on a machine with two cores part of
the items can go to forked children. Children inherit the read-only inputs through fork
(nothing is pickled on the way in but a range or an index), and results come back in order, so
the result is exactly the one-process result.

- `in_halves`: a pass split in two halves (dedupe verdicts, topics, related), from 20,000 items.
- `ordered_map`: `map` over a pool of workers, results streamed in order as they are ready, so
  the caller can use the first while later ones are computed (paper pages: the writer writes
  while workers render), from 2,000 items; while no result is ready, the caller can do work of
  its own (the other pages).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.pool import IMapIterator
from typing import Any, TypeVar

from generator.models import SplitWork

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_MIN = 20_000
"""From this many items a pass is split (below, forking costs more than it saves)."""


def parallel(n: int, workers: int | None = None) -> bool:
    """Whether a pass over `n` items should run in two processes (`workers`: None decides by
    size and cores, 1 forces one process, 2 asks for two)."""
    if workers is None:
        workers = 2 if n >= PARALLEL_MIN and cores() >= 2 else 1
    return workers > 1 and fork_is_safe()


def fork_is_safe() -> bool:
    """fork() copies only the calling thread: a lock held by another thread would stay held in
    the child forever, so no fork while other threads run (e.g. under `serve`)."""
    return threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()


class _Halves:
    """Runs a pass in two processes when `parallel(scale, workers)` says it pays."""

    def __init__(self, workers: int | None) -> None:
        self.workers = workers

    def __call__(self, job: Callable[[int, int], list[T]], n: int, scale: int) -> list[T]:
        return in_halves(job, n, parallel(scale, self.workers))


def split_work(workers: int | None = None) -> SplitWork:
    """The `models.SplitWork` the pipeline gives the stages (`workers` as in `parallel`)."""
    return _Halves(workers)


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


MAP_MIN = 2000
"""From this many items `ordered_map` uses worker processes."""
MAP_CHUNK = 200
MAP_WINDOW = 4000

_MAP: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def map_workers() -> int:
    """Workers for `ordered_map`: one per core; 1 where forking is unsafe."""
    return cores() if fork_is_safe() else 1


def ordered_map(
    fn: Callable[[T], R],
    items: Sequence[T],
    workers: int | None = None,
    meanwhile: Callable[[], bool] | None = None,
    min_items: int | None = None,
) -> Iterator[R]:
    """`map(fn, items)`, computed by forked worker processes when there are enough items and
    cores; results come in input order, as they are ready. `fn` must be pure.

    `meanwhile` is work of the caller's own, done in this process while it would otherwise wait
    on the workers: called whenever the next result is not ready, one small piece at a time,
    until it returns False (nothing left). It is never called in one process. `min_items`: the
    fewest items worth forking for (MAP_MIN by default; fewer when each item is costly)."""
    global _MAP
    workers = map_workers() if workers is None else workers
    if workers < 2 or len(items) < (MAP_MIN if min_items is None else min_items) or _MAP is not None:
        yield from map(fn, items)
        return
    _MAP = (fn, items)
    waiting = _Waiting(meanwhile)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            # Windows of items, the next one queued while this one is consumed: the pool runs
            # ahead of a slower consumer by one window at most, instead of holding every result.
            windows = (range(i, min(i + MAP_WINDOW, len(items))) for i in range(0, len(items), MAP_WINDOW))
            # Chunks of MAP_CHUNK items, or smaller where there are few: several for each worker.
            size = max(1, min(MAP_CHUNK, len(items) // (4 * workers)))
            pending = pool.imap(_map_chunk, _chunks(next(windows), size))
            for window in windows:
                queued = pool.imap(_map_chunk, _chunks(window, size))
                yield from waiting.results(pending)
                pending = queued
            yield from waiting.results(pending)
    finally:
        _MAP = None


class _Waiting:
    """Takes results from a pool, doing the caller's `meanwhile` work while none is ready."""

    def __init__(self, meanwhile: Callable[[], bool] | None) -> None:
        self.meanwhile = meanwhile

    def results(self, pending: IMapIterator[list[R]]) -> Iterator[R]:
        """Every result of `pending` (a pool's `imap` iterator over chunks), in order."""
        while True:
            if self.meanwhile is not None:
                try:
                    chunk = pending.next(timeout=0)
                except multiprocessing.TimeoutError:
                    if not self.meanwhile():
                        self.meanwhile = None  # nothing left to do: wait from now on
                    continue
                except StopIteration:
                    return
            else:
                try:
                    chunk = next(pending)
                except StopIteration:
                    return
            yield from chunk


def _chunks(window: range, size: int) -> list[range]:
    """A window in `size` items per task (what `Pool.imap`'s chunksize does, but with the pool's
    own iterator kept, which can be asked whether a result is ready)."""
    return [window[i : i + size] for i in range(0, len(window), size)]


def _map_chunk(indexes: range) -> list[Any]:
    assert _MAP is not None, "only called in a worker forked by ordered_map"
    fn, items = _MAP
    return [fn(items[i]) for i in indexes]
