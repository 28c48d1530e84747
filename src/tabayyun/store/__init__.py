"""Where the evidence base lives: SQLite embedded by default, behind the ``Store`` interface."""
from tabayyun.store.base import BatchResult, PendingSentence, Store
from tabayyun.store.sqlite import SQLiteStore

__all__ = ["Store", "SQLiteStore", "BatchResult", "PendingSentence"]
