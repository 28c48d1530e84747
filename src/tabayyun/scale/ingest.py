"""Dask for ``ingest``: batches of documents prepared on workers, committed by the client in input order.

The workers do the order-free work of ``tabayyun.ingest.prepare`` (sentences, index terms, topics, story
features of the lead, vectors with ``--embed``); the client stores each batch, indexes it and places its
documents in stories, in input order, so the base is the one an in-process ingest makes. The models
(the client's topic classifier and story config, the encoder by name) are installed on every worker once,
before any task: the task graph carries documents and prepared batches only.
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator

from tabayyun.ingest.prepare import Prepared, prepare
from tabayyun.organise.stories import StoryConfig
from tabayyun.organise.topics import TopicClassifier
from tabayyun.records import Document
from tabayyun.scale.cluster import connect, in_order

__all__ = ["map_prepare"]

_MODELS: dict[str, Any] = {}  # per worker process: what ``prepare`` takes besides the documents


def _install(topics: TopicClassifier, config: StoryConfig, encoder: str | None) -> None:
    from tabayyun.index import make_encoder

    _MODELS.update(topics=topics, config=config, encoder=make_encoder(encoder) if encoder else None)


def _prepare(documents: list[Document]) -> list[Prepared]:
    return prepare(documents, _MODELS["topics"], _MODELS["config"], _MODELS["encoder"])


def map_prepare(spec: str, batches: Iterable[list[Document]], topics: TopicClassifier, config: StoryConfig,
                encoder: str | None = None) -> Iterator[list[Prepared]]:
    """Each batch prepared on the Dask workers of ``spec`` (``local[:N]`` or ``tcp://HOST:PORT``), in order
    (``encoder``: the name of the sentence encoder to embed with, or None)."""
    with connect(spec) as client:
        client.run(_install, topics, config, encoder)
        yield from in_order(client, _prepare, batches)
