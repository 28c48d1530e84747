"""Rule-based stance and verdict: the transparent fallback behind the learned models.

Stance comes from topical closeness (sentence-embedding cosine and term overlap) and the mismatch
signals of ``signals.compare``; the verdict weighs the strongest agreeing and disagreeing evidence.
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from tabayyun.records import Claim, Evidence
from tabayyun.verify.signals import RELATED_AT, compare

__all__ = ["RuleStance", "RuleVerdict", "evidence_line"]

Embed = Callable[[Sequence[str]], np.ndarray]


def _probs(label: str, strength: float) -> dict[str, float]:
    strength = float(np.clip(strength, 0.4, 0.97))
    rest = (1.0 - strength) / 3
    return {s: (strength if s == label else rest) for s in ("agree", "disagree", "discuss", "unrelated")}


class RuleStance:
    """Stance from closeness and mismatches; ``embed`` (normalised vectors) adds the cosine when given."""

    related_at = 0.45  # closeness above which a text is about the claim
    agree_at = 0.6  # closeness above which a text without mismatches states the claim

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
            related = closeness >= self.related_at
            anchored_conflict = s.conflict and (closeness >= self.related_at - 0.1 or s.opposite_about_shared_actor)
            all_specifics_match = s.specifics_matched >= s.specifics
            if anchored_conflict:
                out.append(_probs("disagree", 0.5 + max(closeness, 0.3) / 2))
            elif not related:
                out.append(_probs("unrelated", 1.0 - closeness))
            elif all_specifics_match and (s.specifics > 0 or (closeness >= self.agree_at
                                                              and s.entities_missing == 0)):
                out.append(_probs("agree", closeness + 0.15))
            else:
                out.append(_probs("discuss", 0.5 + closeness / 4))
        return out


def evidence_line(evidence: Evidence) -> str:
    """One readable line naming an evidence sentence and where it comes from."""
    where = ", ".join(x for x in (evidence.document.source, evidence.document.date) if x)
    text = evidence.sentence.text if len(evidence.sentence.text) <= 160 else evidence.sentence.text[:157] + "..."
    return f"«{text}» ({where})" if where else f"«{text}»"


def _weight(evidence: Evidence, stance: str) -> float:
    """How much an evidence sentence counts for ``stance``: its probability times its relevance."""
    return evidence.stance_probs[stance] * evidence.score


class RuleVerdict:
    """Verdict from the strongest agreeing and disagreeing evidence.

    When both sides have evidence, they are weighed by stance probability x relevance (the retrieval
    score): the clearly stronger side (by ``margin``) decides and the other is still cited if it
    weighs at least ``cite_losing`` as much; only a close call is ``conflicting``. A sentence that says
    little about the claim can neither outweigh one that states it nor be cited against it.
    """

    decide_at = 0.55  # stance probability an evidence needs to count
    margin = 0.2
    cite_losing = 0.5  # the losing side is cited when its weight is at least this share of the winner's
    about_at = RELATED_AT  # share of the claim's terms a sentence without a shared entity needs to be cited

    def _about(self, claim: str, text: str) -> bool:
        """Whether a sentence is visibly about the claim (names one of its entities or shares its
        terms), so that "related reporting found" never cites a sentence on another subject."""
        s = compare(claim, text)
        return s.entities_shared > 0 or s.overlap >= self.about_at

    def decide(self, claim: Claim, evidence: Sequence[Evidence]) -> tuple[str, float, list[str]]:
        agree = [e for e in evidence if e.stance == "agree" and e.stance_probs.get("agree", 0) >= self.decide_at]
        disagree = [e for e in evidence
                    if e.stance == "disagree" and e.stance_probs.get("disagree", 0) >= self.decide_at]
        best_agree = max((e.stance_probs["agree"] for e in agree), default=0.0)
        best_disagree = max((e.stance_probs["disagree"] for e in disagree), default=0.0)
        weight_agree = max((_weight(e, "agree") for e in agree), default=0.0)
        weight_disagree = max((_weight(e, "disagree") for e in disagree), default=0.0)
        if agree and disagree and abs(weight_agree - weight_disagree) < self.margin * max(weight_agree,
                                                                                           weight_disagree):
            label, confidence = "conflicting", min(best_agree, best_disagree)
        elif disagree and weight_disagree >= weight_agree:
            label, confidence = "refuted", best_disagree
        elif agree:
            label, confidence = "supported", best_agree
        else:
            return self._undecided(claim, evidence)
        floor = self.cite_losing * max(weight_agree, weight_disagree)
        reasons: list[str] = []
        for e in [e for e in disagree if label != "supported" or _weight(e, "disagree") >= floor][:2]:
            reasons.extend(e.mismatches)
            reasons.append("contradicted by " + evidence_line(e))
        for e in [e for e in agree if label != "refuted" or _weight(e, "agree") >= floor][:2]:
            reasons.append("supported by " + evidence_line(e))
        return label, round(confidence, 4), list(dict.fromkeys(reasons))

    def _undecided(self, claim: Claim, evidence: Sequence[Evidence]) -> tuple[str, float, list[str]]:
        """``not_enough_evidence``, citing related reporting that is visibly about the claim, if any."""
        reasons = []
        related = [e for e in evidence if e.stance != "unrelated" and self._about(claim.text, e.sentence.text)]
        if related:
            reasons.append("related reporting found, but it neither states nor contradicts the claim: "
                           + evidence_line(related[0]))
        else:
            reasons.append("no related reporting in the evidence base")
        unrelated = max((e.stance_probs.get("unrelated", 0.0) for e in evidence), default=0.9)
        return "not_enough_evidence", round(max(unrelated, 0.5), 4), reasons
