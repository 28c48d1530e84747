"""What the learned stance model reads and gives, kept in the store beside the sentence vectors.

Per text, its ``TextInputs`` (the half of a pair's features that reads one text alone); per ``predict`` call (a
claim and its evidence, in order), the probabilities it gave: a claim checked again against the same evidence
(a feed checked again) reads them instead of computing the pair features. Both are pure functions of the texts,
kept under a spec of everything they depend on. A model reads texts; where what it read is kept is the pipeline's
business, so this module (not ``tabayyun.models``) joins the model to the store and to the text code's version.
"""
from __future__ import annotations

from typing import Callable, Generic, Iterable, Sequence, TypeVar

import numpy as np

from tabayyun.models.features import TextInputs
from tabayyun.models.stance import LearnedStance
from tabayyun.records import STANCES
from tabayyun.store.base import VectorStore, text_key
from tabayyun.verify.signals import TextMemory, facts_version

__all__ = ["StoredStance", "INPUTS_NAME", "PREDICTIONS_NAME"]

#: The names under which a store keeps the stance model's ``TextInputs`` of texts and its predictions of calls.
INPUTS_NAME = "stance-inputs"
PREDICTIONS_NAME = "stance-predictions"

T = TypeVar("T")


class _Kept(Generic[T]):
    """What a model read, by string, in its ``memory`` and in ``store`` as vectors named ``name`` under ``spec``
    (those of another spec are dropped by a writable store, not read by a read-only one; a base from before has
    none). ``load`` before the model reads, ``flush`` after it: what it read of the loaded strings that the
    store lacked is kept (a read-only store keeps nothing)."""

    def __init__(self, store: VectorStore, name: str, spec: str | None, memory: TextMemory[T],
                 to_vector: Callable[[T], np.ndarray], from_vector: Callable[[np.ndarray], T]) -> None:
        self.store, self.name, self.memory = store, name, memory
        self.to_vector, self.from_vector = to_vector, from_vector
        self.usable = spec is not None and store.use_vector_spec(name, spec)
        self._lacking: dict[str, None] = {}  # loaded, not in the store

    def load(self, keys: Iterable[str]) -> None:
        """Put the stored values of ``keys`` in memory (one query for those not there)."""
        if not self.usable:
            return
        wanted = {text_key(k): k for k in dict.fromkeys(keys) if self.memory.get(k) is None}
        if not wanted:
            return
        stored = self.store.load_vectors(self.name, list(wanted))
        self.memory.remember({wanted[h]: self.from_vector(v) for h, v in stored.items()})
        self._lacking.update((k, None) for h, k in wanted.items() if h not in stored)

    def flush(self) -> None:
        read = self.memory.known(self._lacking)
        self._lacking.clear()
        if read:
            self.store.save_vectors(self.name, {text_key(k): self.to_vector(v) for k, v in read.items()})


def _probabilities_vector(probs: np.ndarray) -> np.ndarray:
    """(n, 4) float64 probabilities as float32 words (the same bits back: ``_probabilities``)."""
    return np.ascontiguousarray(probs, dtype=np.float64).view(np.float32).ravel()


def _probabilities(vector: np.ndarray) -> np.ndarray:
    return np.frombuffer(vector.tobytes(), dtype=np.float64).reshape(-1, len(STANCES))


class StoredStance:
    """The ``TextInputs`` of the texts ``model`` reads and its ``predict`` results, kept in ``store``: the inputs
    under ``model.inputs_spec(facts_version())``, the results under ``model.predictions_spec`` (with the spec of
    the encoder whose vectors it reads; none are kept for an encoder without one)."""

    def __init__(self, model: LearnedStance, store: VectorStore) -> None:
        self.model = model
        self.inputs = _Kept(store, INPUTS_NAME, model.inputs_spec(facts_version()), model.inputs,
                            TextInputs.to_vector, TextInputs.from_vector)
        spec = getattr(getattr(model.encoder, "encoder", model.encoder), "spec", None)  # behind a vector cache
        encoder_spec = spec() if callable(spec) else None
        self.predictions = _Kept(store, PREDICTIONS_NAME, encoder_spec and model.predictions_spec(
            facts_version(), encoder_spec), model.predictions, _probabilities_vector, _probabilities)

    def load(self, calls: Iterable[tuple[str, Sequence[str]]]) -> None:
        """Put what the store kept for the ``predict`` calls ``calls`` (claim, texts) in the model's memory: their
        results (one query), and the inputs of the texts of those whose result it lacks (one query)."""
        keyed = {self.model.call_key(claim, texts): (claim, texts) for claim, texts in calls}
        self.predictions.load(keyed)
        self.inputs.load(text for key, (claim, texts) in keyed.items() if self.model.predictions.get(key) is None
                         for text in (claim, *texts))

    def flush(self) -> None:
        """Keep what the model read or gave of the loaded calls that the store lacked."""
        self.inputs.flush()
        self.predictions.flush()
