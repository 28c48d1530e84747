"""Which retrieved sentences become a claim's evidence: the decisive ones first, one per document.

Retrieval ranks by closeness of wording and meaning, so in a large base a sentence that contradicts
the claim ("أسرت" against "أفرجت") can rank below several on its topic, and a long report holds many
sentences of which one is decisive. The stance stage reads only ``k`` sentences, so all candidate
sentences are first read by the cheap fact checks of ``signals.compare``:
those that contradict the claim about the same thing or state it in its own words, then those about
it, then the rest, each group in retrieval order. The facts those checks extract from a sentence
(``signals.facts``, most of their cost) can be kept in the store (``StoredFacts``): a check in a new
process then reads them instead of extracting them again.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Sequence

from tabayyun.records import Evidence
from tabayyun.store.base import FactStore, text_key
from tabayyun.text import analyze, expand_query
from tabayyun.verify.signals import (compare, facts_from_json, facts_json, facts_version, known_facts,
                                     remember_facts)

_MIN_SHARED = 2

__all__ = ["decisive_first", "StoredFacts"]


class StoredFacts:
    """The facts of sentences, kept in ``store`` under ``signals.facts_version()`` (a read-only store keeps none):
    ``load`` the candidates' before they are ranked, ``flush`` after the claim is judged (what was extracted
    meanwhile, of the texts the store lacked, is kept)."""

    def __init__(self, store: FactStore, remember: int = 5_000) -> None:
        self.store = store
        self.remember = remember  # texts whose place (in the store, or not yet) is remembered
        self._stored: dict[str, None] = {}  # texts whose facts the store holds, oldest first
        self._unstored: dict[str, str] = {}  # texts the store lacked -> their text_key, oldest first

    def load(self, texts: Iterable[str]) -> None:
        """Put the stored facts of ``texts`` in memory (``signals.remember_facts``) and note those the store lacks."""
        keys = {text_key(t): t for t in dict.fromkeys(texts) if t not in self._stored and t not in self._unstored}
        if not keys:
            return
        stored = self.store.load_facts(facts_version(), list(keys))
        known = known_facts(keys.values())
        remember_facts({keys[k]: facts_from_json(line) for k, line in stored.items() if keys[k] not in known})
        self._stored.update((keys[k], None) for k in stored)
        self._unstored.update((t, k) for k, t in keys.items() if k not in stored)
        for seen in (self._stored, self._unstored):
            for text in list(seen)[:max(0, len(seen) - self.remember)]:
                del seen[text]

    def flush(self) -> None:
        """Keep the facts extracted of the texts the store lacked."""
        extracted = known_facts(self._unstored)
        if extracted:
            self.store.save_facts(facts_version(), {self._unstored.pop(t): facts_json(f) for t, f in extracted.items()})
            self._stored.update(dict.fromkeys(extracted))


@lru_cache(maxsize=5_000)
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
