"""Learned stance, held to the rule every verdict obeys.

The learned model reads wording (paraphrase, topic) but not facts; ``signals.compare`` reads the
facts a claim states. ``CheckedStance`` keeps the model's probabilities only where the facts allow:

1. ``disagree`` only for evidence about the same thing (``Signals.about``) that states something
   incompatible with the claim (``Signals.mismatches``): another number or year for the same thing,
   the opposite or the negation of the same predicate, another actor, an explicit denial; or for
   the same statement with a word replaced (``Signals.swap``) that the model reads as a
   contradiction (an antonym no word list holds: "تأجيل" / "يباشرون"), named in the reasons.
2. ``agree`` only for evidence that states the claim's content (``Signals.states``): about it, every
   number and year of the claim, most of its wording, nothing contradicting.
3. Everything else is at most ``discuss``: the model's agree and disagree mass moves there (a text
   about the same thing that neither states nor denies the claim); a text not about the same thing is
   read as ``unrelated`` at least as much as ``discuss``, whatever its topic.
The probability given to a decided stance grows with how close the evidence is to the claim: for
agreement, with the share of the claim it states (evidence that restates a part of a long post is
weaker than a denial of its point); for a contradiction, with its closeness to any part of it.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Sequence

import numpy as np

from tabayyun.index.vectors import TextEncoder
from tabayyun.records import STANCES
from tabayyun.verify.base import StanceModel
from tabayyun.verify.signals import compare

__all__ = ["CheckedStance"]


class CheckedStance:
    """Wraps a ``StanceModel``; a decided stance gets a probability between ``floor`` and ``ceiling``.

    ``encoder`` (normalised sentence vectors, multilingual-e5 in the pipeline) tells a paraphrase of
    the claim from a line on its topic; without one, agreement rests on the wording alone. The stances
    of the last ``remember`` calls are kept: a claim checked again against the same evidence (a warm
    verify, a post checked twice) is not read again."""

    def __init__(self, model: StanceModel, encoder: TextEncoder | None = None, floor: float = 0.6,
                 ceiling: float = 0.95, swap_disagree: float = 0.9, remember: int = 2_048) -> None:
        self.remember = remember
        self._seen: OrderedDict[tuple[str, tuple[str, ...]], list[dict[str, float]]] = OrderedDict()
        self.model = model
        self.encoder = encoder
        self.swap_disagree = swap_disagree  # model p(disagree) from which a replaced word contradicts
        self.floor = floor
        self.ceiling = ceiling

    def _cosines(self, claim: str, texts: Sequence[str]) -> list[float | None]:
        if self.encoder is None or not texts:
            return [None] * len(texts)
        vectors = np.asarray(self.encoder.encode([claim, *texts]))
        return [float(c) for c in vectors[1:] @ vectors[0]]

    def _strength(self, closeness: float, model_p: float) -> float:
        """Probability of a decided stance: how close the wording is, with the model's view of it."""
        return self.floor + (self.ceiling - self.floor) * min(1.0, 0.7 * closeness + 0.3 * model_p)

    def _set(self, probs: dict[str, float], label: str, p: float) -> dict[str, float]:
        rest = {s: probs[s] for s in STANCES if s != label}
        total = sum(rest.values()) or 1.0
        return {s: (p if s == label else (1 - p) * probs[s] / total) for s in STANCES}

    def predict(self, claim: str, texts: Sequence[str]) -> list[dict[str, float]]:
        key = (claim, tuple(texts))
        if key not in self._seen:
            self._seen[key] = self._predict(claim, texts)
            while len(self._seen) > self.remember:
                self._seen.popitem(last=False)
        self._seen.move_to_end(key)
        return [dict(probs) for probs in self._seen[key]]

    def _predict(self, claim: str, texts: Sequence[str]) -> list[dict[str, float]]:
        out = []
        for text, probs, cosine in zip(texts, self.model.predict(claim, texts), self._cosines(claim, texts)):
            s = compare(claim, text)
            about = s.about()
            swapped = s.swap is not None and not s.both_deny and probs["disagree"] >= self.swap_disagree
            if s.contradicts() or swapped:
                closeness = max(s.overlap, s.evidence_overlap)  # a contradiction of any part of the claim
                probs = self._set(probs, "disagree", self._strength(closeness, probs["disagree"] + probs["discuss"]))
            elif s.states(cosine):  # as strong as the share of the claim it states
                probs = self._set(probs, "agree", self._strength(s.overlap, probs["agree"]))
            else:  # at most discuss, and discuss only when about the same thing (not a mere topic)
                related = probs["agree"] + probs["disagree"] + probs["discuss"]
                related = max(related, 1 - related) if about else min(related, 1 - related)
                probs = {"agree": 0.0, "disagree": 0.0, "discuss": related, "unrelated": 1 - related}
            out.append(probs)
        return out
