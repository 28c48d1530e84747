"""``batch --workers N``: chunks of posts checked in N processes of this machine, without Dask.

Each worker process opens the base once, read-only, and loads its models once (``cluster.worker_engine``, as a
Dask worker does); chunks go to the workers a few at a time and their records come back in input order, so the
output is the in-process one, byte for byte, and ``--resume`` works the same. Workers are started fresh
(``spawn``): no thread or open file of this process is copied into them.
"""
from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import Iterable, Iterator

from tabayyun.errors import TabayyunError
from tabayyun.scale.cluster import MAX_WORKERS, check_posts, open_engine, ordered
from tabayyun.scale.feed import Post

__all__ = ["map_workers", "MAX_WORKERS"]


def map_workers(n: int, db: str, version: int, chunks: Iterable[list[Post]], all_claims: bool = False,
                warm: bool = True) -> Iterator[list[dict]]:
    """The records of each chunk, in order, checked in ``n`` worker processes (``version``: the base's last
    sentence id, as ``cluster.worker_engine`` takes it)."""
    if not 1 <= n <= MAX_WORKERS:
        raise TabayyunError(f"--workers needs 1 to {MAX_WORKERS} processes, not {n}")
    pool = ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("spawn"), initializer=open_engine,
                               initargs=(db, version))
    try:
        yield from ordered(pool.submit, 2 * n, check_posts, chunks, db, version, all_claims, warm, what="--workers")
    finally:
        pool.shutdown(cancel_futures=True)
