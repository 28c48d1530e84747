"""The learned stance model's per-text inputs kept in the store, beside the sentence vectors.

A model reads texts; where what it read is kept is the pipeline's business, so this module (not ``tabayyun.models``)
joins the model to the store and to the text code's version.
"""
from __future__ import annotations

from typing import Iterable

from tabayyun.models.features import TextInputs
from tabayyun.models.stance import LearnedStance
from tabayyun.store.base import VectorStore, text_key
from tabayyun.verify.signals import facts_version

__all__ = ["StoredInputs", "INPUTS_NAME"]

#: The name under which a store keeps the stance model's ``TextInputs`` of texts, beside the sentence vectors.
INPUTS_NAME = "stance-inputs"


class StoredInputs:
    """The ``TextInputs`` of the texts ``model`` reads, kept in ``store`` as vectors named ``INPUTS_NAME`` under the
    spec ``model.inputs_spec(facts_version())`` (those of another spec are dropped by a writable store, not read by a
    read-only one; a base from before has none: they are read from the texts). ``load`` before the model reads texts,
    ``flush`` after it: what it read of the texts the store lacked is kept (a read-only store keeps nothing)."""

    def __init__(self, model: LearnedStance, store: VectorStore) -> None:
        self.model = model
        self.store = store
        self.usable = store.use_vector_spec(INPUTS_NAME, model.inputs_spec(facts_version()))
        self._lacking: dict[str, None] = {}  # loaded, not in the store

    def load(self, texts: Iterable[str]) -> None:
        """Put the stored ``TextInputs`` of ``texts`` in the model's memory (one query for those not there)."""
        if not self.usable:
            return
        keys = {text_key(t): t for t in dict.fromkeys(texts) if self.model.inputs.get(t) is None}
        if not keys:
            return
        stored = self.store.load_vectors(INPUTS_NAME, list(keys))
        self.model.inputs.remember({keys[k]: TextInputs.from_vector(v) for k, v in stored.items()})
        self._lacking.update((t, None) for k, t in keys.items() if k not in stored)

    def flush(self) -> None:
        """Keep the ``TextInputs`` the model read of the loaded texts that the store lacked."""
        read = self.model.inputs.known(self._lacking)
        self._lacking.clear()
        if read:
            self.store.save_vectors(INPUTS_NAME, {text_key(t): i.to_vector() for t, i in read.items()})
