"""Rule-based stance and verdict: the transparent fallback behind the learned models.

Stance comes from topical closeness (sentence-embedding cosine and term overlap) and the mismatch
signals of ``signals.compare``; the verdict weighs the strongest agreeing and disagreeing evidence.
"""
from __future__ import annotations

from datetime import date
from typing import Callable, Sequence

import numpy as np

from tabayyun.records import Claim, Evidence
from tabayyun.verify.calibrate import Calibration, confidence_features
from tabayyun.verify.signals import compare

__all__ = ["RuleStance", "RuleVerdict", "evidence_line"]

Embed = Callable[[Sequence[str]], np.ndarray]


def _probs(label: str, strength: float) -> dict[str, float]:
    strength = float(np.clip(strength, 0.4, 0.97))
    rest = (1.0 - strength) / 3
    return {s: (strength if s == label else rest) for s in ("agree", "disagree", "discuss", "unrelated")}


class RuleStance:
    """Stance from the signals alone (the same rule as ``CheckedStance``); ``embed`` (normalised
    vectors) adds the cosine to the closeness that sets the probabilities."""

    related_at = 0.45  # closeness above which a text is on the claim's topic

    def __init__(self, embed: Embed | None = None) -> None:
        self.embed = embed

    def _closeness(self, claim: str, texts: Sequence[str], overlaps: list[float]) -> list[float]:
        if self.embed is None:
            return overlaps
        vectors = self.embed([claim, *texts])
        cosines = vectors[1:] @ vectors[0]
        return [0.5 * o + 0.5 * float(c) for o, c in zip(overlaps, cosines)]

    def predict(self, claim: str, texts: Sequence[str]) -> list[dict[str, float]]:
        out = []
        signals = [compare(claim, t) for t in texts]
        for s, closeness in zip(signals, self._closeness(claim, texts, [x.overlap for x in signals])):
            if s.contradicts():
                out.append(_probs("disagree", 0.5 + max(closeness, 0.3) / 2))
            elif s.states():
                out.append(_probs("agree", closeness + 0.15))
            elif s.about() or closeness >= self.related_at:
                out.append(_probs("discuss", 0.5 + closeness / 4))
            else:
                out.append(_probs("unrelated", 1.0 - closeness))
        return out


def evidence_line(evidence: Evidence) -> str:
    """One readable line naming an evidence sentence and where it comes from."""
    where = ", ".join(x for x in (evidence.document.source, evidence.document.date) if x)
    text = evidence.sentence.text if len(evidence.sentence.text) <= 160 else evidence.sentence.text[:157] + "..."
    return f"«{text}» ({where})" if where else f"«{text}»"


def _weight(evidence: Evidence, stance: str) -> float:
    """How much an evidence sentence counts for ``stance``: its probability times its relevance."""
    return evidence.stance_probs[stance] * evidence.score


# What holds only at a time: figures, a rise or a fall (a highest or lowest level), and a denial (of the
# reports of its day).
_TIME_BOUND = ("number mismatch", "opposite action: claim 'increase'", "opposite action: claim 'decrease'",
               "opposite wording", "denied")


def _day(iso: str | None) -> date | None:
    try:
        return date.fromisoformat(iso[:10]) if iso else None
    except ValueError:
        return None


class RuleVerdict:
    """Verdict from the strongest agreeing and disagreeing evidence.

    Only evidence whose stance was decided counts (``CheckedStance`` decides ``disagree`` only on a
    stated contradiction about the same thing, ``agree`` only when the claim's content is stated).
    When both sides have evidence they are weighed by stance probability x relevance: the clearly
    stronger side (by ``margin``) decides and the other is still cited if it weighs at least
    ``cite_losing`` as much; a close call is ``conflicting``, with a confidence of at most
    ``conflict_confidence``. Evidence dated more than ``stale_days`` from a dated claim cannot refute
    it on figures alone (tolls, prices and counts change): the reasons say so, with both dates.

    Confidence: for ``supported``/``refuted``, the probability that the verdict is right, from ``calibration``
    (by default the shipped one, ``verify.calibrate``) of the raw score ``best x (1 - 0.5 x weaker / stronger)``;
    ``Calibration.identity()`` keeps the raw score. For ``conflicting``, at most ``conflict_confidence``: the
    evidence does not tell the two sides apart. For ``not_enough_evidence``, the calibration's ``undecided``: how
    often such a verdict is right that the base decides nothing (raw: how surely the weighed evidence is
    unrelated to the claim, at least 0.5, which does not rank that).
    """

    decide_at = 0.55  # stance probability an evidence needs to count
    margin = 0.2
    cite_losing = 0.5  # the losing side is cited when its weight is at least this share of the winner's
    conflict_confidence = 0.5
    stale_days = 7

    def __init__(self, calibration: Calibration | None = None) -> None:
        self.calibration = calibration if calibration is not None else Calibration.pretrained()

    def _stale(self, claim: Claim, evidence: Evidence) -> bool:
        """A disagreement resting only on what holds at a time (figures, a rise against a fall, a
        highest against a lowest, a denial of the reports of its day), from evidence dated far from
        the claim."""
        said, found = _day(claim.date), _day(evidence.document.date)
        return (said is not None and found is not None and abs((said - found).days) > self.stale_days
                and bool(evidence.mismatches) and all(m.startswith(_TIME_BOUND) for m in evidence.mismatches))

    def decide(self, claim: Claim, evidence: Sequence[Evidence]) -> tuple[str, float, list[str]]:
        agree = [e for e in evidence if e.stance == "agree" and e.stance_probs.get("agree", 0) >= self.decide_at]
        disagree = [e for e in evidence
                    if e.stance == "disagree" and e.stance_probs.get("disagree", 0) >= self.decide_at]
        stale = [e for e in disagree if self._stale(claim, e)]
        disagree = [e for e in disagree if e not in stale]
        best_agree = max((e.stance_probs["agree"] for e in agree), default=0.0)
        best_disagree = max((e.stance_probs["disagree"] for e in disagree), default=0.0)
        weight_agree = max((_weight(e, "agree") for e in agree), default=0.0)
        weight_disagree = max((_weight(e, "disagree") for e in disagree), default=0.0)
        stronger, weaker = max(weight_agree, weight_disagree), min(weight_agree, weight_disagree)
        if agree and disagree and stronger - weaker < self.margin * stronger:
            label, confidence = "conflicting", min(self.conflict_confidence, best_agree, best_disagree)
        elif disagree and weight_disagree >= weight_agree:
            label, confidence = "refuted", self._calibrated("refuted", best_disagree * (1 - 0.5 * weaker / stronger),
                                                            disagree)
        elif agree:
            label, confidence = "supported", self._calibrated("supported", best_agree * (1 - 0.5 * weaker / stronger),
                                                              agree)
        else:
            return self._undecided(claim, evidence, stale)
        floor = self.cite_losing * stronger
        against: list[str] = []
        for e in [e for e in disagree if label != "supported" or _weight(e, "disagree") >= floor][:2]:
            against.extend(e.mismatches)
            against.append("contradicted by " + evidence_line(e))
        backing = ["supported by " + evidence_line(e)
                   for e in [e for e in agree if label != "refuted" or _weight(e, "agree") >= floor][:2]]
        # the side that decided comes first: a supported verdict opens with what states the claim
        reasons = backing + against if label == "supported" else against + backing
        return label, round(confidence, 4), list(dict.fromkeys(reasons + self._stale_reasons(claim, stale)))

    def _calibrated(self, label: str, score: float, side: Sequence[Evidence]) -> float:
        return self.calibration.confidence(confidence_features(label, score, side))

    def _stale_reasons(self, claim: Claim, stale: Sequence[Evidence]) -> list[str]:
        return [f"figures or denials of another time (claim {claim.date}, evidence {e.document.date}): "
                + evidence_line(e) for e in stale[:2]]

    def _undecided(self, claim: Claim, evidence: Sequence[Evidence],
                   stale: Sequence[Evidence]) -> tuple[str, float, list[str]]:
        """``not_enough_evidence``, citing related reporting that is about the claim, if any."""
        reasons = self._stale_reasons(claim, stale)
        related = [e for e in evidence if e.stance == "discuss" and compare(claim.text, e.sentence.text).about()]
        if related:
            reasons.append("related reporting found, but it neither states nor contradicts the claim: "
                           + evidence_line(related[0]))
        elif not reasons:
            reasons.append("no related reporting in the evidence base")
        unrelated = max((e.stance_probs.get("unrelated", 0.0) for e in evidence), default=0.9)
        return "not_enough_evidence", round(self.calibration.not_enough_evidence(max(unrelated, 0.5)), 4), reasons
