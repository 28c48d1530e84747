"""The records every stage shares: Document, Sentence, Claim, Evidence, Verdict.

Stages take and return these dataclasses only, so any stage can be swapped without touching its
neighbours. ``to_dict`` gives the stable JSON shape documented in the README.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Document", "Sentence", "Claim", "Evidence", "Verdict", "Review", "STANCES", "VERDICTS", "Topic",
           "Story"]

STANCES = ("agree", "disagree", "discuss", "unrelated")
VERDICTS = ("supported", "refuted", "not_enough_evidence", "conflicting")


@dataclass
class Document:
    """One piece of trusted reporting."""

    id: str
    text: str
    title: str = ""
    source: str = ""
    date: str | None = None  # ISO-8601 (YYYY-MM-DD or full timestamp)
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "text": self.text, "source": self.source,
                "date": self.date, "url": self.url}


@dataclass
class Sentence:
    """A sentence of a document; ``start``/``end`` are character offsets into ``Document.text``."""

    id: int
    doc_id: str
    position: int
    text: str
    start: int = 0
    end: int = 0


@dataclass
class Claim:
    """A checkable statement; ``span`` is its (start, end) in the text it was extracted from."""

    text: str
    span: tuple[int, int] | None = None
    checkworthiness: float = 1.0
    date: str | None = None  # when it was said (ISO-8601), if known: figures are compared with evidence of its time


@dataclass
class Evidence:
    """A sentence retrieved for a claim, with its document and what the stance model made of it."""

    sentence: Sentence
    document: Document
    score: float
    stance: str = "unrelated"
    stance_probs: dict[str, float] = field(default_factory=dict)
    mismatches: list[str] = field(default_factory=list)
    also_ids: list[str] = field(default_factory=list)  # other documents with the very same text

    def to_dict(self, weighed: bool = True) -> dict[str, Any]:
        """As JSON; ``weighed=False`` for a search hit, which no stance was read for."""
        out = {
            "sentence": self.sentence.text,
            "sentence_id": self.sentence.id,
            "doc_id": self.document.id,
            "also_doc_ids": list(self.also_ids),
            "title": self.document.title,
            "source": self.document.source,
            "date": self.document.date,
            "url": self.document.url,
            "score": round(float(self.score), 4),
        }
        if weighed:
            out.update({"stance": self.stance,
                        "stance_probs": {k: round(float(v), 4) for k, v in self.stance_probs.items()},
                        "mismatches": list(self.mismatches)})
        return out


@dataclass
class Verdict:
    """What the evidence base says about one claim."""

    claim: Claim
    label: str
    confidence: float
    evidence: list[Evidence] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)  # subjects of the checked text, most probable first
    story: tuple[str, str] | None = None  # (id, title) of the story the claim belongs to, if any

    def to_dict(self) -> dict[str, Any]:
        from tabayyun.report.i18n import reasons_ar  # report imports records: resolved at call time

        out: dict[str, Any] = {"claim": self.claim.text}
        if self.claim.span is not None:
            out["span"] = list(self.claim.span)
        out.update({
            "checkworthiness": round(float(self.claim.checkworthiness), 4),
            "verdict": self.label,
            "confidence": round(float(self.confidence), 4),
            "evidence": [e.to_dict() for e in self.evidence],
            "reasons": list(self.reasons),
            "reasons_ar": reasons_ar(self.reasons),
            "topics": [t.to_dict() for t in self.topics],
            "story": None if self.story is None else {"id": self.story[0], "title": self.story[1]},
        })
        return out


@dataclass(frozen=True)
class Review:
    """A person's reading of one claim of a saved check: the verdict they sign (one of ``VERDICTS``),
    its ClaimReview rating (``tabayyun.publish.RATINGS``), a note, the documents to cite, who and when.
    The machine verdict stays in the check; the latest review of a claim is the one published."""

    check_id: int
    claim: int  # index of the claim in the check, from 0
    verdict: str
    rating: str
    reviewer: str
    note: str = ""
    cite: tuple[str, ...] = ()  # document ids
    created: str = ""  # ISO-8601, set by the store
    id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "check_id": self.check_id, "claim": self.claim, "verdict": self.verdict,
                "rating": self.rating, "reviewer": self.reviewer, "note": self.note, "cite": list(self.cite),
                "created": self.created}


@dataclass(frozen=True)
class Topic:
    """A subject of a text (an IPTC Media Topics top-level id) with its calibrated probability."""

    id: str
    ar: str
    en: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "ar": self.ar, "en": self.en, "score": round(float(self.score), 4)}


@dataclass
class Story:
    """A real-world event as the documents report it: its most central headline, keywords, main entities,
    first and last dates, sources with their counts, documents, and the checked claims placed in it."""

    id: str
    title: str
    keywords: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    first_date: str | None = None
    last_date: str | None = None
    sources: dict[str, int] = field(default_factory=dict)
    documents: list[str] = field(default_factory=list)  # in the order they joined
    claims: list[dict[str, Any]] = field(default_factory=list)  # {check_id, position, claim, verdict}
    aliases: list[str] = field(default_factory=list)  # ids of stories merged into this one
    topics: list[Topic] = field(default_factory=list)  # the subjects of its documents, most probable first

    def to_dict(self) -> dict[str, Any]:
        verdicts: dict[str, int] = {}
        for c in self.claims:
            verdicts[c["verdict"]] = verdicts.get(c["verdict"], 0) + 1
        return {"id": self.id, "title": self.title, "keywords": list(self.keywords), "entities": list(self.entities),
                "first_date": self.first_date, "last_date": self.last_date, "sources": dict(self.sources),
                "documents": list(self.documents), "claims": list(self.claims), "verdicts": verdicts,
                "aliases": list(self.aliases), "topics": [t.to_dict() for t in self.topics]}
