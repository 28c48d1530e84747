"""Work larger than one process: ``batch`` checks of whole feeds, in-process or on Dask workers.

The names below load their modules on first use, so a light submodule (``scale.cluster``'s ``MAX_WORKERS``, read by
the CLI's parser) can be imported without the pipeline."""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tabayyun.scale.batch import FORMATS, BatchSummary, run_batch
    from tabayyun.scale.feed import MAX_POST_CHARS, Post, read_posts

__all__ = ["run_batch", "BatchSummary", "FORMATS", "Post", "read_posts", "MAX_POST_CHARS"]

_WHERE = {"run_batch": "batch", "BatchSummary": "batch", "FORMATS": "batch",
          "Post": "feed", "read_posts": "feed", "MAX_POST_CHARS": "feed"}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
