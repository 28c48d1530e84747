"""Learned verdict: supported / refuted / not_enough_evidence / conflicting, with reasons.

A calibrated logistic regression over pooled evidence stances (and number mismatches) gives the
probability that the claim is true. No related evidence gives ``not_enough_evidence``; strong
evidence on both sides with an undecided probability gives ``conflicting``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from tabayyun.models.artefacts import MODEL_VERSION, load_artefact
from tabayyun.models.linear import LinearHead
from tabayyun.records import STANCES, Claim, Evidence
from tabayyun.verify.rules import evidence_line

__all__ = ["LearnedVerdict", "verdict_features", "VERDICT_FEATURES"]

VERDICT_FEATURES = tuple(["log_n"] + [f"{f}_{s}" for f in ("mean", "max") for s in STANCES]
                         + ["related_sum", "agree_minus_disagree", "mismatch_share", "mismatch_any"])
_MAX_REASONS = 3
_VERBS = ("agrees", "disagrees", "discusses", "mentions")


def verdict_features(probs: np.ndarray, mismatched: np.ndarray) -> np.ndarray:
    """``VERDICT_FEATURES`` of one claim from its evidence's (n, 4) stance probabilities."""
    if len(probs) == 0:
        return np.zeros(len(VERDICT_FEATURES))
    related = 1 - probs[:, 3]
    return np.concatenate([[np.log1p(len(probs))], probs.mean(0), probs.max(0),
                           [related.sum(), probs[:, 0].max() - probs[:, 1].max(),
                            mismatched.mean(), mismatched.max()]])


def _probs(e: Evidence) -> list[float]:
    if e.stance_probs:
        return [float(e.stance_probs.get(s, 0.0)) for s in STANCES]
    return [float(s == e.stance) for s in STANCES]


def _cite(verb: str, e: Evidence) -> str:
    return f"{verb}: {evidence_line(e)}"


class LearnedVerdict:
    """Verdict model following ``tabayyun.verify.base.VerdictModel``."""

    def __init__(self, head: LinearHead, min_related: float = 0.5, conflict_band: float = 0.25) -> None:
        self.head = head
        self.min_related = min_related
        self.conflict_band = conflict_band

    @classmethod
    def pretrained(cls, path: str | Path | None = None) -> "LearnedVerdict":
        """The shipped model (or the one in directory ``path``)."""
        arrays, meta = load_artefact("verdict", path, MODEL_VERSION)
        return cls(LinearHead.from_arrays(arrays, "head"), float(meta["min_related"]),
                   float(meta["conflict_band"]))

    def p_true(self, probs: np.ndarray, mismatched: np.ndarray) -> float:
        """Calibrated probability that the claim is true given its evidence."""
        return float(self.head.proba(verdict_features(probs, mismatched)[None])[0, 1])

    def decide(self, claim: Claim, evidence: Sequence[Evidence]) -> tuple[str, float, list[str]]:
        """Label, calibrated confidence and the reasons naming the deciding evidence."""
        probs = np.array([_probs(e) for e in evidence]).reshape(-1, len(STANCES))
        mismatched = np.array([float(bool(e.mismatches)) for e in evidence])
        related = 1 - probs[:, 3] if len(probs) else np.zeros(0)
        if not len(related) or related.max() < self.min_related:
            best = float(related.max()) if len(related) else 0.0
            return "not_enough_evidence", 1 - best, ["no evidence addresses the claim"]
        p = self.p_true(probs, mismatched)
        agree, disagree = int(np.argmax(probs[:, 0])), int(np.argmax(probs[:, 1]))
        reasons = []
        if probs[agree, 0] >= 0.5 and probs[disagree, 1] >= 0.5 and abs(p - 0.5) < self.conflict_band:
            return ("conflicting", 1 - abs(2 * p - 1),
                    [_cite("agrees", evidence[agree]), _cite("disagrees", evidence[disagree])])
        label = "supported" if p >= 0.5 else "refuted"
        order = np.argsort(-probs[:, 0 if label == "supported" else 1], kind="stable")
        for i in order[:_MAX_REASONS]:
            e = evidence[int(i)]
            if label == "refuted":
                reasons.extend(e.mismatches)
            reasons.append(_cite(_VERBS[int(np.argmax(probs[i]))], e))
        return label, max(p, 1 - p), list(dict.fromkeys(reasons))[:_MAX_REASONS + 2]
