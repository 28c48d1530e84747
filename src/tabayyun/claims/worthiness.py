"""Rule-based check-worthiness: a transparent fallback for the learned model in ``tabayyun.models``.

A claim is worth checking when it states something verifiable: numbers, dates, named entities,
reported events. Greetings, questions, hashtag-only lines and opinions score low.
"""
from __future__ import annotations

import math
import re
from typing import Sequence

from tabayyun.text import extract_dates, extract_entities, extract_numbers, normalize_ar, tokenize

__all__ = ["RuleWorthiness", "clearly_checkable"]

_GREETING = re.compile(r"^(?:صباح|مساء|السلام عليكم|مرحبا|اهلا|جمعه مباركه|رمضان كريم|عيد|شكرا|تحيه)")
_OPINION = re.compile(r"\b(?:اعتقد|اظن|رايي|برايي|في رايي|اتمني|اتوقع|احب|اكره|يا ليت|ليت|للاسف|الله)\b")
_HEDGE = re.compile(r"\b(?:يقال|قيل|ربما|لعل)\b")


def clearly_checkable(text: str) -> bool:
    """A statement no check-worthiness model may drop: a number and a named actor or place in a
    sentence of at least six words that is not a question ("قسد أفرجت عن مئات من عناصر داعش")."""
    words = [t for t in tokenize(text) if not t.norm.isdigit()]
    return (len(words) >= 6 and not normalize_ar(text).rstrip().endswith("?")
            and bool(extract_numbers(text)) and bool(extract_entities(text)))


class RuleWorthiness:
    """Scores in [0, 1] from counted cues; ``threshold`` is the yes/no cut."""

    threshold = 0.5

    def score_one(self, text: str) -> float:
        norm = normalize_ar(text)
        words = [t for t in tokenize(text) if not t.norm.isdigit()]
        if not words:
            return 0.02
        if all(w.text.startswith("#") or text[max(w.start - 1, 0)] == "#" for w in words):
            return 0.05  # hashtags only
        z = -1.2
        z += 1.0 * min(len(extract_numbers(text)), 2)
        z += 0.6 * min(len(extract_dates(text)), 1)
        z += 0.7 * min(len(extract_entities(text)), 3)
        z += 0.4 if len(words) >= 6 else -1.0
        z -= 2.0 if norm.rstrip().endswith("?") else 0.0
        z -= 2.5 if _GREETING.search(norm) else 0.0
        z -= 1.2 if _OPINION.search(norm) else 0.0
        z -= 0.3 if _HEDGE.search(norm) else 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def score(self, texts: Sequence[str]) -> list[float]:
        return [self.score_one(t) for t in texts]
