"""Work larger than one process: ``batch`` checks of whole feeds, in-process or on Dask workers."""
from tabayyun.scale.batch import FORMATS, BatchSummary, run_batch
from tabayyun.scale.feed import MAX_POST_CHARS, Post, read_posts

__all__ = ["run_batch", "BatchSummary", "FORMATS", "Post", "read_posts", "MAX_POST_CHARS"]
