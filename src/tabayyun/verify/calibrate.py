"""The confidence of a decided verdict, read as a probability of being right.

``RuleVerdict`` weighs the strongest agreeing and disagreeing evidence; its raw score (the deciding
evidence's stance probability, lowered by counter-evidence) ranks verdicts but is no probability: the
same 0.85 is right 99% of the time on news agencies' articles and 77% on web pages about a war. The
calibration maps what a verdict already has (``ConfidenceFeatures``: the kind of signal that decided it, the
raw score and the deciding evidence's relevance) to the share of such verdicts found right, monotone in the
raw score x relevance within a kind.

It is fitted (``fit``) on development material only: each value is the lower estimate of the corpora pooled,
never above the share right of any corpus with enough such verdicts, so a verdict is right at least about as
often as it claims on every kind of material, without giving every kind the worst one's doubt.
The values ship as the ``confidence`` artefact (``models/artefacts/confidence.{json,npz}``), version
``CONFIDENCE_VERSION``. A ``not_enough_evidence`` verdict gets one value, the share of such verdicts whose base
truly decides nothing (measured where a gold says so: AuRED's NOT ENOUGH INFO); ``conflicting`` keeps its cap.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from tabayyun.records import Evidence

__all__ = ["CONFIDENCE_VERSION", "Calibration", "ConfidenceFeatures", "confidence_features", "ece", "fit"]

#: Version of ``ConfidenceFeatures`` and of the groups the ``confidence`` artefact is keyed by.
CONFIDENCE_VERSION = 1
FLOOR = 0.5  # a decided verdict is at least as likely right as not: it was decided
CEILING = 0.99  # no verdict is certain: a share right of every one measured is no promise of the next


@dataclass(frozen=True)
class ConfidenceFeatures:
    """What a decided verdict has that bears on how often such a verdict is right."""

    label: str  # supported | refuted
    score: float  # RuleVerdict's raw confidence
    signal: str  # supported: "statement"; refuted: the kind of the deciding mismatch (number, actor, denied, ...)
    relevance: float  # the deciding evidence's relevance to the claim (``Evidence.score``)

    @property
    def strength(self) -> float:
        """What the calibration reads: the raw score times the deciding evidence's relevance (a sentence
        stating the claim in a page about something else is weak)."""
        return self.score * self.relevance

    @property
    def group(self) -> str:
        """The calibration group: a statement, a denial, a figure (number or date) or another mismatch."""
        if self.label == "supported":
            return "statement"
        if self.signal == "denied":
            return "denial"
        return "figure" if self.signal in ("number", "date") else "mismatch"


def _signal(evidence: Evidence) -> str:
    if evidence.stance == "agree":
        return "statement"
    first = evidence.mismatches[0].split()[0] if evidence.mismatches else "wording"
    return first.rstrip(":")


def confidence_features(label: str, score: float, side: Sequence[Evidence]) -> ConfidenceFeatures:
    """The features of a ``label`` verdict with raw ``score`` decided by the evidence ``side`` (those of the
    stance that won, the deciding one strongest)."""
    stance = "agree" if label == "supported" else "disagree"
    best = max(side, key=lambda e: e.stance_probs.get(stance, 0.0))
    return ConfidenceFeatures(label, score, _signal(best), best.score)


class Calibration:
    """Per group, a step function of ``ConfidenceFeatures.strength``: ``steps[group] = (at, value)``, ``at``
    ascending, ``value`` non-decreasing; a strength below ``at[0]`` takes ``value[0]``. A group it has no steps for
    keeps the raw score.
    ``undecided``: the confidence of every ``not_enough_evidence`` verdict (the share of them whose evidence base
    truly decides nothing), or None to keep ``RuleVerdict``'s raw one."""

    def __init__(self, steps: Mapping[str, tuple[tuple[float, ...], tuple[float, ...]]],
                 undecided: float | None = None) -> None:
        self.steps = dict(steps)
        self.undecided = undecided

    @classmethod
    def identity(cls) -> "Calibration":
        """The raw score unchanged (what ``RuleVerdict`` gave before calibration)."""
        return cls({})

    @classmethod
    def pretrained(cls, path: str | Path | None = None) -> "Calibration":
        """The shipped calibration (read once), or the one in directory ``path``."""
        return _shipped() if path is None else _load(path)

    def confidence(self, features: ConfidenceFeatures) -> float:
        if features.group not in self.steps:
            return features.score
        at, value = self.steps[features.group]
        i = max(0, int(np.searchsorted(at, features.strength, side="right")) - 1)
        return max(FLOOR, value[i])

    def not_enough_evidence(self, raw: float) -> float:
        return raw if self.undecided is None else self.undecided

    def arrays(self) -> dict[str, np.ndarray]:
        """The steps as the artefact's arrays (``GROUP.at``, ``GROUP.value``)."""
        return {f"{g}.{k}": np.asarray(v, dtype=float) for g, (at, value) in self.steps.items()
                for k, v in (("at", at), ("value", value))}


def _load(path: str | Path | None) -> Calibration:
    from tabayyun.models.artefacts import load_artefact  # models imports verify: resolved at call time

    arrays, meta = load_artefact("confidence", path, CONFIDENCE_VERSION)
    return Calibration({g: (tuple(arrays[f"{g}.at"].tolist()), tuple(arrays[f"{g}.value"].tolist()))
                        for g in meta["groups"]}, meta["undecided"])


@lru_cache(maxsize=1)
def _shipped() -> Calibration:
    return _load(None)


def _lower(right: int, n: int, z: float) -> float:
    """Wilson lower bound of a share of ``right`` in ``n`` (``z`` standard errors)."""
    if n == 0:
        return 0.0
    p = right / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - spread) / (1 + z * z / n)


def _pav(counts: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Pool adjacent bins (``(right, n)``, by strength) until the share right never falls: each bin gets its block's."""
    blocks: list[list[int]] = []  # [right, n, bins]
    for right, n in counts:
        blocks.append([right, n, 1])
        while len(blocks) > 1 and blocks[-2][0] * max(blocks[-1][1], 1) > blocks[-1][0] * max(blocks[-2][1], 1):
            right2, n2, k2 = blocks.pop()
            blocks[-1] = [blocks[-1][0] + right2, blocks[-1][1] + n2, blocks[-1][2] + k2]
    return [(right, n) for right, n, k in blocks for _ in range(k)]


def fit(corpora: Mapping[str, Sequence[tuple[ConfidenceFeatures, bool]]], cuts: Sequence[float],
        z: float = 1.0, min_n: int = 5, undecided: tuple[int, int] = (0, 0)) -> Calibration:
    """Steps per group at the strength ``cuts`` (the first cut 0). The verdicts of every corpus are pooled and the
    share right in each bin made monotone (pooled adjacent violators); a bin's value is the Wilson lower bound
    (``z``) of its pooled block when that holds at least ``min_n`` verdicts (else the value of the bin below; the
    lowest: ``FLOOR``), never above the share right of any corpus whose own monotone block there holds ``min_n``
    (no kind of material is promised more than it gets), then at most any higher bin's value, within ``FLOOR`` and
    ``CEILING``. ``undecided``: (how many ``not_enough_evidence`` verdicts had nothing deciding in gold, of how many);
    its Wilson lower bound, at least ``FLOOR``, becomes ``Calibration.undecided``."""
    groups = sorted({f.group for rows in corpora.values() for f, _ in rows})
    edges = [*cuts[1:], math.inf]
    steps = {}
    for group in groups:
        counts = {name: [(sum(ok for f, ok in rows if f.group == group and lo <= f.strength < hi),
                          sum(1 for f, _ in rows if f.group == group and lo <= f.strength < hi))
                         for lo, hi in zip(cuts, edges)] for name, rows in corpora.items()}
        pooled = _pav([(sum(c[i][0] for c in counts.values()), sum(c[i][1] for c in counts.values()))
                       for i in range(len(cuts))])
        own = [_pav(c) for c in counts.values()]
        values, below = [], FLOOR
        for i, (right, n) in enumerate(pooled):
            if n >= min_n:
                below = min([_lower(right, n, z), *(r / m for r, m in (c[i] for c in own) if m >= min_n)])
            values.append(below)
        for i in range(len(values) - 2, -1, -1):
            values[i] = min(values[i], values[i + 1])
        steps[group] = (tuple(cuts), tuple(round(min(CEILING, max(FLOOR, v)), 4) for v in values))
    return Calibration(steps, round(max(FLOOR, _lower(*undecided, z)), 4))


def ece(decided: Sequence[tuple[float, bool]], bins: int = 10) -> float:
    """Expected calibration error: the verdict-weighted mean gap between confidence and share right, per
    confidence bin of width ``1 / bins``."""
    if not decided:
        return 0.0
    total = 0.0
    for b in range(bins):
        hit = [(c, ok) for c, ok in decided if min(int(c * bins), bins - 1) == b]
        if hit:
            total += abs(sum(c for c, _ in hit) - sum(ok for _, ok in hit))
    return total / len(decided)
