"""Which retrieved sentences become a claim's evidence: the decisive ones first, one per document.

Retrieval ranks by closeness of wording and meaning, so in a large base a sentence that contradicts
the claim ("أسرت" against "أفرجت") can rank below several on its topic, and a long report holds many
sentences of which one is decisive. The stance stage reads only ``k`` sentences, so all candidate
sentences are first read by the cheap fact checks of ``signals.compare``:
those that contradict the claim about the same thing or state it in its own words, then those about
it, then the rest, each group in retrieval order. What those checks read from a sentence (its index terms,
and its facts: ``signals.facts``, most of their cost) can be kept in the store (``StoredFacts``): a check
in a new process then reads them instead of reading the sentence again.
"""
from __future__ import annotations

import json
from typing import Iterable, Sequence

from tabayyun.records import Evidence
from tabayyun.store.base import FactStore, text_key
from tabayyun.index.lexical import query_terms
from tabayyun.text import analyze
from tabayyun.memory import TextMemory
from tabayyun.verify.signals import (FACTS, TextFacts, compare, facts, facts_fields, facts_from_fields,
                                     facts_version)

_MIN_SHARED = 2

__all__ = ["decisive_first", "candidate_ranks", "StoredFacts", "INDEX_TERMS"]


#: The index terms of the candidates last ranked (the same candidates come back for a claim checked again).
INDEX_TERMS: TextMemory[frozenset[str]] = TextMemory(5_000)


def _terms(text: str) -> frozenset[str]:
    """The index terms of a candidate sentence (kept in ``INDEX_TERMS``)."""
    return INDEX_TERMS.read(text, lambda t: frozenset(analyze(t)))


_TERMS, _FACTS = 1, 2  # what the store holds of a text: its index terms, then its facts too (0: nothing)


class StoredFacts:
    """What the fact checks read from candidate sentences and claims, kept in ``store`` under
    ``signals.facts_version()`` (a read-only store keeps nothing): each sentence's index terms, and its facts once
    they were extracted (only the candidates that share enough of a claim's terms are read for facts; a claim's
    facts, read against every candidate, with its terms). ``load`` the claim's and its candidates' before they are
    ranked, ``flush`` after the claim is judged: what was read meanwhile that the store lacked is kept.
    What the store holds of the last ``remember`` texts loaded is remembered, so none is asked for twice."""

    def __init__(self, store: FactStore, remember: int = 5_000) -> None:
        self.store = store
        self._held: TextMemory[int] = TextMemory(remember)  # text -> what the store holds of it
        self._loaded: dict[str, None] = {}  # the texts loaded since the last flush

    def load(self, texts: Iterable[str]) -> None:
        """Put what the store kept of ``texts`` in memory (``INDEX_TERMS``, ``signals.FACTS``)."""
        asked = dict.fromkeys(texts)
        self._loaded.update(asked)
        keys = {text_key(t): t for t in asked if self._held.get(t) is None}
        if not keys:
            return
        stored = self.store.load_facts(facts_version(), list(keys))
        held = dict.fromkeys(keys.values(), 0)
        terms: dict[str, frozenset[str]] = {}
        found: dict[str, TextFacts] = {}
        for key, line in stored.items():
            text = keys[key]
            words, fields = json.loads(line)
            terms[text] = frozenset(words)
            held[text] = _TERMS if fields is None else _FACTS
            if fields is not None:
                found[text] = facts_from_fields(fields)
        INDEX_TERMS.remember({t: v for t, v in terms.items() if INDEX_TERMS.get(t) is None})
        FACTS.remember({t: f for t, f in found.items() if FACTS.get(t) is None})
        self._held.remember(held)

    def keep(self, texts: Sequence[str]) -> None:
        """Extract and keep the index terms and facts of ``texts`` that the store lacks (``ingest --embed-stance``:
        a cold check then reads its candidates' facts instead of extracting them)."""
        self.load(texts)
        for text in texts:
            if self._held.get(text) != _FACTS:
                _terms(text)
                facts(text)
        self.flush()

    def flush(self, texts: Iterable[str] = ()) -> None:
        """Keep what was read of the texts loaded since the last flush, and of ``texts`` (the judged claim's
        evidence, whose facts the stance stage may have extracted since), that the store lacks: the terms of
        new texts, and facts extracted."""
        rows, held = {}, {}
        for text in dict.fromkeys([*self._loaded, *texts]):
            state = self._held.get(text)
            if state is None or state == _FACTS:
                continue  # not loaded (what the store holds is not known), or nothing more to keep
            extracted = FACTS.get(text)
            if extracted is None and (state == _TERMS or INDEX_TERMS.get(text) is None):
                continue  # nothing read that the store lacks (a claim's facts come with its terms, analysed here)
            rows[text_key(text)] = json.dumps([sorted(_terms(text)), None if extracted is None
                                               else facts_fields(extracted)], ensure_ascii=False,
                                              separators=(",", ":"))
            held[text] = _TERMS if extracted is None else _FACTS
        self._loaded.clear()
        if rows:
            self.store.save_facts(facts_version(), rows)
            self._held.remember(held)


def _rank(claim: str, terms: frozenset[str], evidence: Evidence) -> int:
    if len(terms & _terms(evidence.sentence.text)) < _MIN_SHARED:
        return 2  # shares too little even with the query's expansions to be about the claim: not read
    s = compare(claim, evidence.sentence.text)
    return 0 if s.contradicts() or s.states() else 1 if s.about() else 2


def candidate_ranks(claim: str, candidates: Sequence[Evidence]) -> list[int]:
    """How decisive each candidate is for the claim, by the cheap fact checks: 0 contradicting or stating it, 1 about
    it, 2 the rest (a pure function of the claim's and the candidates' texts)."""
    terms = frozenset(query_terms(claim))
    return [_rank(claim, terms, e) for e in candidates]


def decisive_first(claim: str, candidates: Sequence[Evidence], k: int,
                   ranks: Sequence[int] | None = None) -> list[Evidence]:
    """The ``k`` candidates to weigh, one per document: contradicting or stating ones, then ones about
    the claim, then the rest (each document shows its most decisive sentence); ``ranks``: the candidates'
    ``candidate_ranks``, when they were kept."""
    order = candidate_ranks(claim, candidates) if ranks is None else ranks
    out: list[Evidence] = []
    seen: set[str] = set()
    for i in sorted(range(len(candidates)), key=order.__getitem__):
        e = candidates[i]
        if e.document.id not in seen:
            seen.add(e.document.id)
            out.append(e)
            if len(out) == k:
                break
    return out
