"""Signals computed between a claim and one evidence text: overlap, numbers, dates, entities, polarity.

These are the facts a person can read in a verdict's reasons ("number mismatch: claim 500,
evidence 157"); the rule-based and learned stance models both use them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

from tabayyun.text import (OPPOSITES, analyze, extract_dates, extract_entities, extract_numbers,
                           predicate_polarity, tokenize)

__all__ = ["Signals", "compare", "TextFacts", "facts", "RELATED_AT"]

RELATED_AT = 0.3  # share of the claim's terms a text needs to be about the same thing

_NEIGHBOURS = 2  # words on each side of a number that say what it counts


@dataclass(frozen=True)
class _Number:
    value: float
    text: str
    approx: bool
    context: frozenset[str]


@dataclass(frozen=True)
class TextFacts:
    """What one text states, extracted once and compared many times."""

    terms: frozenset[str]
    numbers: tuple[_Number, ...]
    years: frozenset[int]
    entities: frozenset[str]
    predicates: frozenset[str]
    polarity: dict[str, bool | None]  # per predicate class: negated, affirmed, or both (None)


def _format(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


@lru_cache(maxsize=50_000)
def facts(text: str) -> TextFacts:
    """Extract the comparable facts of ``text`` (cached: evidence sentences recur across claims)."""
    years = {d.year for d in extract_dates(text) if d.year is not None}
    polarity = predicate_polarity(text)
    tokens = tokenize(text)
    mentions = extract_numbers(text)
    entities = extract_entities(text)
    covered = [(m.start, m.end) for m in mentions] + [(e.start, e.end) for e in entities]
    # content terms: numbers are compared as values and entities by canonical id, not as words
    words = " ".join(t.text for t in tokens if not any(s <= t.start < e for s, e in covered))
    numbers = []
    for m in mentions:
        if m.kind == "cardinal" and m.value in years and m.text.strip().isdigit():
            continue  # a year is a date, compared as such
        near = [t for t in tokens if t.end <= m.start][-_NEIGHBOURS:] + \
               [t for t in tokens if t.start >= m.end][:_NEIGHBOURS]
        context = frozenset(term for t in near for term in analyze(t.text) if not term.isdigit())
        numbers.append(_Number(m.value, m.text, m.kind == "approx", context))
    return TextFacts(
        terms=frozenset(analyze(words)) | {"@" + e.canonical for e in entities},
        numbers=tuple(numbers),
        years=frozenset(years),
        entities=frozenset(e.canonical for e in entities),
        predicates=frozenset(polarity),
        polarity=polarity,
    )


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=0.02)


@dataclass
class Signals:
    """Agreement and disagreement cues between a claim and an evidence text."""

    overlap: float = 0.0  # share of the claim's terms found in the evidence
    numbers_matched: int = 0
    numbers_unmatched: int = 0
    dates_matched: int = 0
    entities_shared: int = 0
    entities_missing: int = 0  # claim entities the evidence does not mention
    opposite: bool = False  # the evidence states the opposite action (captured vs released)
    specifics: int = 0  # exact numbers and years the claim states
    mismatches: list[str] = field(default_factory=list)

    @property
    def conflict(self) -> bool:
        return bool(self.mismatches)

    @property
    def specifics_matched(self) -> int:
        """How many of the claim's exact numbers and years the evidence states too."""
        return self.numbers_matched + self.dates_matched

    @property
    def opposite_about_shared_actor(self) -> bool:
        """An opposite action about an entity both name: a contradiction however the text is worded."""
        return self.opposite and self.entities_shared > 0

    def anchored(self, related_at: float = RELATED_AT) -> bool:
        """Whether the mismatches concern the claim's own subject: the text shares ``related_at`` of
        the claim's terms, or states the opposite action about an actor both name."""
        return self.overlap >= related_at or self.opposite_about_shared_actor


def _compare_numbers(claim: TextFacts, evidence: TextFacts, out: Signals) -> None:
    exact = [n for n in evidence.numbers if not n.approx]
    for number in claim.numbers:
        if number.approx:
            continue
        if any(_same(number.value, e.value) for e in evidence.numbers):
            out.numbers_matched += 1
            continue
        # the evidence number that counts the same thing (shares context words), if any
        rivals = [e for e in exact if e.context & number.context]
        if rivals:
            rival = max(rivals, key=lambda e: len(e.context & number.context))
            out.numbers_unmatched += 1
            out.mismatches.append(f"number mismatch: claim {_format(number.value)}, evidence {_format(rival.value)}")


def _compare_dates(claim: TextFacts, evidence: TextFacts, out: Signals) -> None:
    shared = claim.years & evidence.years
    out.dates_matched = len(shared)
    if claim.years and evidence.years and not shared:
        out.mismatches.append(f"date mismatch: claim {min(claim.years)}, evidence {min(evidence.years)}")


def _compare_polarity(claim: TextFacts, evidence: TextFacts, out: Signals) -> None:
    for cls in sorted(claim.predicates):
        opposite = OPPOSITES.get(cls)
        if opposite and opposite in evidence.predicates and cls not in evidence.predicates:
            out.opposite = True
            out.mismatches.append(f"opposite action: claim '{cls}', evidence '{opposite}'")
    for cls in sorted(claim.polarity.keys() & evidence.polarity.keys()):
        said, found = claim.polarity[cls], evidence.polarity[cls]
        if said is not None and found is not None and said != found:
            out.mismatches.append(f"negation mismatch: the {'claim' if said else 'evidence'} negates '{cls}'")
            break


def compare(claim_text: str, evidence_text: str) -> Signals:
    """All signals between a claim and one evidence text."""
    claim, evidence = facts(claim_text), facts(evidence_text)
    out = Signals()
    if claim.terms:
        out.overlap = len(claim.terms & evidence.terms) / len(claim.terms)
    out.specifics = len([n for n in claim.numbers if not n.approx]) + len(claim.years)
    out.entities_shared = len(claim.entities & evidence.entities)
    out.entities_missing = len(claim.entities - evidence.entities)
    _compare_numbers(claim, evidence, out)
    _compare_dates(claim, evidence, out)
    _compare_polarity(claim, evidence, out)
    return out
