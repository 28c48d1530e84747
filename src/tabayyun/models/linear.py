"""Calibrated linear classifiers evaluated in numpy (the weights come from scikit-learn at training).

A head scores ``dense @ W + sparse @ S + b`` and turns the logits into calibrated probabilities:
Platt scaling for two labels, temperature scaling for more.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np

__all__ = ["LinearHead", "SparseRows", "softmax", "log_softmax"]

SparseRows = Sequence[tuple[np.ndarray, np.ndarray]]


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def log_softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


@dataclass
class LinearHead:
    """Linear model over standardised dense features plus optional hashed sparse features.

    For two labels the weights have one column (the logit of ``labels[1]``) and ``calib`` is the
    Platt pair (a, b); for more labels ``calib[0]`` is the inverse temperature.
    """

    labels: tuple[str, ...]
    dense_w: np.ndarray
    bias: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    sparse_w: np.ndarray | None = None
    calib: np.ndarray = field(default_factory=lambda: np.array([1.0, 0.0]))

    def logits(self, dense: np.ndarray | None, sparse: SparseRows | None = None) -> np.ndarray:
        """Raw (uncalibrated) decision values, shape (n, k)."""
        if dense is not None:
            n = len(dense)
        elif sparse is not None:
            n = len(sparse)
        else:
            raise TypeError("LinearHead.logits needs dense or sparse features")
        z = np.tile(self.bias.astype(np.float64), (n, 1))
        if dense is not None and len(self.dense_w):
            z += ((np.asarray(dense, dtype=np.float64) - self.mean) / self.scale) @ self.dense_w
        if sparse is not None and self.sparse_w is not None:
            for i, (idx, vals) in enumerate(sparse):
                z[i] += vals.astype(np.float64) @ self.sparse_w[idx]
        return z

    def digest(self, into: hashlib._Hash) -> None:
        """Feed what the head computes with (labels, weights, scaling, calibration) to the hash ``into``."""
        into.update(repr(self.labels).encode())
        for array in (self.dense_w, self.bias, self.mean, self.scale, self.sparse_w, self.calib):
            into.update(b"-" if array is None else array.ravel(order="K").data)  # memory order: no copy

    def calibrate(self, z: np.ndarray) -> np.ndarray:
        """Calibrated probabilities over ``labels`` from raw decision values."""
        a, b = float(self.calib[0]), float(self.calib[1])
        if len(self.labels) == 2:
            p = 1.0 / (1.0 + np.exp(-(a * z[:, 0] + b)))
            return np.column_stack([1 - p, p])
        return softmax(a * z)

    def proba(self, dense: np.ndarray | None, sparse: SparseRows | None = None) -> np.ndarray:
        return self.calibrate(self.logits(dense, sparse))

    def to_arrays(self, name: str) -> dict[str, np.ndarray]:
        out = {f"{name}_{k}": getattr(self, k) for k in ("dense_w", "bias", "mean", "scale", "calib")}
        out[f"{name}_labels"] = np.array(self.labels)
        if self.sparse_w is not None:
            out[f"{name}_sparse_w"] = self.sparse_w.astype(np.float16)
        return out

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], name: str) -> "LinearHead":
        sparse = arrays.get(f"{name}_sparse_w")
        labels = tuple(str(x) for x in arrays[f"{name}_labels"])
        dense_w, bias, mean, scale = (np.asarray(arrays[f"{name}_{k}"], dtype=np.float64)
                                      for k in ("dense_w", "bias", "mean", "scale"))
        return cls(labels, dense_w, bias, mean, scale,
                   sparse_w=None if sparse is None else np.asarray(sparse, dtype=np.float32),
                   calib=np.asarray(arrays[f"{name}_calib"], dtype=np.float64))
