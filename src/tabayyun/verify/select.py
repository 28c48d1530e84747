"""Which retrieved sentences become a claim's evidence: the decisive ones first, one per document.

Retrieval ranks by closeness of wording and meaning, so in a large base a sentence that contradicts
the claim ("أسرت" against "أفرجت") can rank below several on its topic, and a long report holds many
sentences of which one is decisive. The stance stage reads only ``k`` sentences, so all candidate
sentences are first read by the cheap fact checks of ``signals.compare``:
those that contradict the claim about the same thing or state it in its own words, then those about
it, then the rest, each group in retrieval order.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Sequence

from tabayyun.records import Evidence
from tabayyun.text import analyze, expand_query
from tabayyun.verify.signals import compare

_MIN_SHARED = 2

__all__ = ["decisive_first"]


@lru_cache(maxsize=20_000)
def _terms(text: str) -> frozenset[str]:
    """The index terms of a candidate sentence (cached: the same candidates come back for a claim checked again)."""
    return frozenset(analyze(text))


def _rank(claim: str, terms: frozenset[str], evidence: Evidence) -> int:
    if len(terms & _terms(evidence.sentence.text)) < _MIN_SHARED:
        return 2  # shares too little even with the query's expansions to be about the claim: not read
    s = compare(claim, evidence.sentence.text)
    return 0 if s.contradicts() or s.states() else 1 if s.about() else 2


def decisive_first(claim: str, candidates: Sequence[Evidence], k: int) -> list[Evidence]:
    """The ``k`` candidates to weigh, one per document: contradicting or stating ones, then ones about
    the claim, then the rest (each document shows its most decisive sentence)."""
    terms = frozenset(analyze(expand_query(claim)))
    out: list[Evidence] = []
    seen: set[str] = set()
    for e in sorted(candidates, key=lambda e: _rank(claim, terms, e)):
        if e.document.id not in seen:
            seen.add(e.document.id)
            out.append(e)
            if len(out) == k:
                break
    return out
