"""The interfaces of the verification stage: a stance model and a verdict aggregator.

The rule-based implementations (``rules.py``) and the learned ones (``tabayyun.models``) both follow
these protocols, so the pipeline never knows which one it runs.
"""
from __future__ import annotations

from typing import Protocol, Sequence

from tabayyun.records import Claim, Evidence

__all__ = ["StanceModel", "VerdictModel", "WorthinessModel"]


class WorthinessModel(Protocol):
    """Scores how check-worthy each text is, in [0, 1]; ``threshold`` splits yes/no."""

    threshold: float

    def score(self, texts: Sequence[str]) -> list[float]: ...


class StanceModel(Protocol):
    """Stance of each text toward the claim: a probability per label of ``records.STANCES``."""

    def predict(self, claim: str, texts: Sequence[str]) -> list[dict[str, float]]: ...


class VerdictModel(Protocol):
    """Turns a claim and its evidence (stances already set) into a label, confidence and reasons."""

    def decide(self, claim: Claim, evidence: Sequence[Evidence]) -> tuple[str, float, list[str]]: ...
