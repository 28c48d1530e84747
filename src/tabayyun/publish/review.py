"""A person's review of a saved check: the rating scale, validation, and the check as reviewed.

The machine verdict is kept beside the human one; the latest review of a claim is the one that is
published (exports, ClaimReview), and every review stays in its history.
"""
from __future__ import annotations

from typing import Any, Sequence

from tabayyun.errors import TabayyunError
from tabayyun.records import VERDICTS, Review
from tabayyun.report.claimreview import default_rating, ratings

__all__ = ["make_review", "reviewed_check", "MAX_NOTE_CHARS"]

MAX_NOTE_CHARS = 5_000
MAX_NAME_CHARS = 200
MAX_CITED = 20


def _clean(value: str, what: str, limit: int) -> str:
    value = value.strip()
    if len(value) > limit:
        raise TabayyunError(f"{what} is longer than {limit:,} characters")
    if any(ord(c) < 32 and c not in "\n\t" for c in value) or any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise TabayyunError(f"{what} holds control characters or broken Unicode")
    return value


def make_review(check: dict[str, Any], claim: int, verdict: str, reviewer: str, rating: str | None = None,
                note: str = "", cite: Sequence[str] = ()) -> Review:
    """A validated review of claim ``claim`` (from 0) of a saved ``check``; ``rating`` defaults to the
    one proposed for ``verdict``. Raises TabayyunError naming what is wrong."""
    claims = check.get("claims", [])
    if not 0 <= claim < len(claims):
        raise TabayyunError(f"check {check.get('id')} has {len(claims)} claims: no claim {claim + 1} "
                            "/ لا يوجد ادعاء بهذا الرقم في الفحص")
    if verdict not in VERDICTS:
        raise TabayyunError(f"verdict must be one of {', '.join(VERDICTS)}, not '{verdict}'")
    rating = rating or default_rating(verdict)
    if rating not in ratings():
        raise TabayyunError(f"rating must be one of {', '.join(ratings())}, not '{rating}'")
    reviewer = _clean(reviewer, "the reviewer's name", MAX_NAME_CHARS)
    if not reviewer:
        raise TabayyunError("a review needs the reviewer's name / المراجعة تحتاج اسم المراجِع")
    if len(cite) > MAX_CITED:
        raise TabayyunError(f"cite at most {MAX_CITED} documents")
    cited = tuple(dict.fromkeys(_clean(c, "a cited document id", MAX_NAME_CHARS) for c in cite if c.strip()))
    return Review(check_id=int(check["id"]), claim=claim, verdict=verdict, rating=rating, reviewer=reviewer,
                  note=_clean(note, "the note", MAX_NOTE_CHARS), cite=cited)


def reviewed_check(check: dict[str, Any], reviews: Sequence[Review]) -> dict[str, Any]:
    """``check`` with, on each claim: ``machine_verdict`` and ``machine_confidence`` (what tabayyun
    said), ``reviewed``, and when reviewed ``verdict``/``rating`` as signed, the latest ``review`` and
    the ``history`` of reviews (oldest first). An unreviewed claim keeps the machine verdict only as
    ``machine_verdict``: its ``verdict`` is None until a person signs one."""
    claims = []
    for n, claim in enumerate(check.get("claims", [])):
        history = [r for r in reviews if r.claim == n]
        latest = history[-1] if history else None
        claims.append({**claim, "machine_verdict": claim.get("verdict"), "machine_confidence": claim.get("confidence"),
                       "reviewed": latest is not None, "verdict": latest.verdict if latest else None,
                       "rating": latest.rating if latest else None,
                       "review": latest.to_dict() if latest else None, "history": [r.to_dict() for r in history]})
    return {**check, "claims": claims}
