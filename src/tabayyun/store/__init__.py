"""Where the evidence base lives: SQLite embedded by default, or a PostgreSQL server, behind ``Store``."""
from __future__ import annotations

from pathlib import Path

from tabayyun.store.base import BatchResult, PendingSentence, Store
from tabayyun.store.postgres import PostgresStore, is_postgres_url
from tabayyun.store.sqlite import SQLiteStore

__all__ = ["Store", "SQLiteStore", "PostgresStore", "BatchResult", "PendingSentence", "open_store",
           "is_postgres_url"]


def open_store(db: str | Path, create: bool = False, readonly: bool = False) -> Store:
    """The store at ``db``: a PostgreSQL database for a ``postgresql://`` URL, else a SQLite base folder;
    ``readonly`` for a reader or a worker that must never write."""
    if is_postgres_url(str(db)):
        return PostgresStore(str(db), create=create, readonly=readonly)
    return SQLiteStore(db, create=create, readonly=readonly)
