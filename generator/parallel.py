"""Spread a pure function over the machine's cores, results in input order.

Rendering 100,000 paper pages is the one long stretch of work that splits cleanly: every page
depends only on the catalogue, which is built before. Worker processes are forked once the
catalogue exists, so they inherit it (nothing is pickled on the way in but an index); each page
comes back as text, in order, while the calling process writes the pages already made.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 2000
"""Below this many items the pool costs more than it saves."""
CHUNK = 200

_job: tuple[Callable[[Any], Any], Sequence[Any]] | None = None
"""The function and items of the running map, inherited by the forked workers."""


def workers_available() -> int:
    """Cores this process may use; 1 where forking is unsafe or unavailable."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if threading.active_count() > 1:
        # Forking a process with other threads (`serve`: the web server, the data watcher) can
        # leave a lock held forever in the child.
        return 1
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def ordered_map(fn: Callable[[T], R], items: Sequence[T], workers: int | None = None) -> Iterator[R]:
    """`map(fn, items)`, computed by forked worker processes when there are enough items and
    cores; results come in input order, as they are ready. `fn` must be pure."""
    global _job
    workers = workers_available() if workers is None else workers
    if workers < 2 or len(items) < MIN_ITEMS or _job is not None:
        yield from map(fn, items)
        return
    _job = (fn, items)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield from pool.imap(_call, range(len(items)), chunksize=CHUNK)
    finally:
        _job = None


def _call(index: int) -> Any:
    assert _job is not None
    fn, items = _job
    return fn(items[index])
