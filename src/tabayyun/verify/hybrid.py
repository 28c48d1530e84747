"""Learned stance, checked against the explicit facts a claim states.

The learned model reads wording well but not exact values; the signals of ``signals.compare`` read
exact values (numbers, years, opposite actions) but not wording. ``CheckedStance`` keeps the model's
probabilities and applies three rules a fact-checker would:

1. evidence that states a different number, year or the opposite action about the same thing
   disagrees;
2. evidence about the claim that states all of its numbers and years, with nothing contradicting,
   agrees;
3. for a claim that states numbers or years, evidence that states none of them cannot confirm it:
   its agree mass moves to discuss (it may still contradict it in words).
"""
from __future__ import annotations

from typing import Sequence

from tabayyun.records import STANCES
from tabayyun.verify.base import StanceModel
from tabayyun.verify.signals import RELATED_AT, compare

__all__ = ["CheckedStance"]


def _renormalise(probs: dict[str, float]) -> dict[str, float]:
    total = sum(probs.values()) or 1.0
    return {s: probs[s] / total for s in STANCES}


class CheckedStance:
    """Wraps a ``StanceModel``; ``decisive`` is the probability the rules give a decided stance."""

    def __init__(self, model: StanceModel, decisive: float = 0.85, related_at: float = RELATED_AT) -> None:
        self.model = model
        self.decisive = decisive
        self.related_at = related_at  # share of the claim's terms evidence needs to be about it

    def _set(self, probs: dict[str, float], label: str) -> dict[str, float]:
        rest = sum(v for s, v in probs.items() if s != label) or 1.0
        return {s: (self.decisive if s == label else (1 - self.decisive) * probs[s] / rest) for s in STANCES}

    def predict(self, claim: str, texts: Sequence[str]) -> list[dict[str, float]]:
        out = []
        for text, probs in zip(texts, self.model.predict(claim, texts)):
            s = compare(claim, text)
            if s.conflict and s.anchored(self.related_at):
                probs = self._set(probs, "disagree")
            elif s.specifics and s.specifics_matched >= s.specifics and s.overlap >= self.related_at:
                probs = self._set(probs, "agree")
            elif s.specifics and s.specifics_matched == 0:
                probs = _renormalise({**probs, "discuss": probs["discuss"] + probs["agree"], "agree": 0.0})
            out.append(probs)
        return out
