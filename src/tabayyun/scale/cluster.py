"""Dask for ``batch``: chunks of posts checked on workers, results handed back in input order.

``local[:N]`` starts a LocalCluster of N worker processes on loopback (one thread each: the encoders
have their own threads); ``tcp://HOST:PORT`` joins a running scheduler whose workers can import
tabayyun and read the base at the same path. Each worker opens the base once, read-only for vectors,
and keeps it (with its models) in a process-wide cache: the task graph carries posts and results only.
"""
from __future__ import annotations

import logging
import os
import re
from collections import deque
from contextlib import contextmanager
from functools import partial
from typing import Any, Callable, Iterable, Iterator, TypeVar

from tabayyun.errors import TabayyunError
from tabayyun.scale.feed import Post

__all__ = ["map_chunks", "parse_target", "require_dask", "worker_engine", "connect", "in_order", "ordered",
           "check_posts", "open_engine", "MAX_WORKERS"]

T = TypeVar("T")

_ENGINES: dict[str, tuple[int, Any]] = {}  # base path -> (its last sentence id, Tabayyun), one per worker process
EXTRA_HINT = "pip install 'tabayyun[scale]'"
MAX_WORKERS = 256  # worker processes of one run: ``--dask local:N`` and ``batch --workers N``


def parse_target(spec: str) -> tuple[str, int | None]:
    """``("local", N)`` for ``local`` / ``local:N`` (N default: the CPU count), ``(address, None)`` for tcp://."""
    match = re.fullmatch(r"local(?::(\d+))?", spec.strip())
    if match:
        n = int(match.group(1)) if match.group(1) else (os.cpu_count() or 1)
        if not 1 <= n <= MAX_WORKERS:
            raise TabayyunError(f"--dask local:N needs 1 to {MAX_WORKERS} workers, not {n}")
        return "local", n
    if re.fullmatch(r"tcp://[^\s/:]+:\d+", spec.strip()):
        return spec.strip(), None
    raise TabayyunError(f"--dask must be local, local:N or tcp://HOST:PORT, not '{spec}' / قيمة --dask غير صالحة")


def worker_engine(db: str, version: int):
    """The worker's Tabayyun on ``db``, opened (and its models loaded) on first use, and again when the base
    has grown (``version``: its last sentence id, as the client saw it with the lexical index caught up)."""
    if db not in _ENGINES or _ENGINES[db][0] != version:
        from tabayyun.pipeline import Tabayyun

        if db in _ENGINES:
            _ENGINES.pop(db)[1].close()
        _ENGINES[db] = (version, Tabayyun(db, readonly=True))  # the client owns the base; vectors stay in memory
    return _ENGINES[db][1]


def open_engine(db: str, version: int) -> None:
    worker_engine(db, version)


def check_posts(posts: list[Post], db: str, version: int, all_claims: bool, warm: bool) -> list[dict]:
    """The records of a chunk of posts, checked by this worker's engine on ``db`` (``worker_engine``)."""
    from tabayyun.scale.batch import check_chunk

    return check_chunk(worker_engine(db, version), posts, all_claims, warm)


def require_dask(spec: str) -> None:
    """Check ``spec`` and that Dask is installed, before anything is written (one-line errors)."""
    parse_target(spec)
    try:
        import dask.distributed  # noqa: F401
    except ImportError:
        raise TabayyunError(f"--dask needs the 'scale' extra (Dask is not installed): {EXTRA_HINT}") from None


def _client(spec: str):
    require_dask(spec)
    from dask.distributed import Client, LocalCluster

    target, n = parse_target(spec)
    try:
        if n is None:
            return Client(target, timeout="20s")
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None, silence_logs=logging.ERROR)
        return Client(cluster)
    except OSError as exc:
        raise TabayyunError(f"--dask {spec}: cannot reach the cluster ({exc})") from None


@contextmanager
def connect(spec: str) -> Iterator[Any]:
    """A Dask client of ``spec`` (a LocalCluster started for it is shut down at the end)."""
    client = _client(spec)
    try:
        yield client
    finally:
        cluster = client.cluster
        client.close()
        if cluster is not None:
            cluster.close()


def ordered(submit: Callable[..., Any], ahead: int, fn: Callable[..., T], items: Iterable, *args: Any,
            what: str = "--dask") -> Iterator[T]:
    """``fn(item, *args)`` of each item through ``submit`` (a Dask client's or a process pool's: it returns a
    future), given back in input order; ``ahead`` items are in flight at a time, so a long input is never held in
    memory. A failed task is a ``TabayyunError`` (``what`` names the option that sent it)."""
    pending: deque = deque()
    it = iter(items)
    while True:
        while len(pending) < ahead and (item := next(it, None)) is not None:
            pending.append(submit(fn, item, *args))
        if not pending:
            return
        try:
            yield pending.popleft().result()
        except TabayyunError:
            raise
        except Exception as exc:
            raise TabayyunError(f"{what}: a worker failed ({type(exc).__name__}: {exc})") from None


def in_order(client, fn: Callable[..., T], items: Iterable, *args: Any) -> Iterator[T]:
    """``ordered`` on the workers of a Dask client, two items per worker in flight."""
    ahead = 2 * max(1, len(client.scheduler_info()["workers"]))
    return ordered(partial(client.submit, pure=False), ahead, fn, items, *args)


def map_chunks(spec: str, db: str, version: int, chunks: Iterable[list[Post]], all_claims: bool = False,
               warm: bool = True) -> Iterator[list[dict]]:
    """The records of each chunk, in order, checked on the Dask workers of ``spec`` (``version``: see
    ``worker_engine``)."""
    with connect(spec) as client:
        client.run(open_engine, db, version)  # open the base and load the models on every worker, before any task
        yield from in_order(client, check_posts, chunks, db, version, all_claims, warm)
