"""schema.org ClaimReview JSON-LD for the claims of a saved check.

A claim a person reviewed carries the rating they signed, on the scale of ``ratings()`` (false 1 ...
true 5, "unproven" without a number); an unreviewed claim is rated from the machine verdict (refuted 1,
conflicting 3, supported 5; "not enough evidence" has no numeric rating, only its name). The evidence
sentences that took a side, or the documents the reviewer chose, become citations.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from tabayyun.report.html import safe_url, verdict_name
from tabayyun.report.i18n import reason_ar

__all__ = ["claimreview", "claimreview_json", "Rating", "ratings", "default_rating", "RATINGS"]

RATINGS = {"refuted": 1, "conflicting": 3, "supported": 5}
WORST, BEST = 1, 5


@dataclass(frozen=True)
class Rating:
    """One step of the rating scale a reviewer signs (``value`` 1-5, or None for "unproven")."""

    id: str
    value: int | None
    en: str
    ar: str
    proposed_for: str  # the machine verdict this rating is proposed for ("" for none)


@lru_cache(maxsize=None)
def ratings() -> dict[str, Rating]:
    """The rating scale, by id, from false to true (``report/data/ratings.tsv``)."""
    text = resources.files("tabayyun.report").joinpath("data", "ratings.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return {r[0]: Rating(r[0], None if r[1] == "-" else int(r[1]), r[2], r[3], r[4] if len(r) > 4 else "")
            for r in rows}


def default_rating(verdict: str) -> str:
    """The rating proposed for a verdict (refuted -> false, supported -> true ...)."""
    return next(r.id for r in ratings().values() if r.proposed_for == verdict)


def _rating(claim: dict[str, Any], lang: str) -> dict[str, Any]:
    rating: dict[str, Any] = {"@type": "Rating"}
    signed = ratings().get(str(claim.get("rating") or ""))
    if signed is not None:
        rating["alternateName"] = signed.ar if lang == "ar" else signed.en
        value = signed.value
    else:
        label = str(claim.get("verdict") or claim.get("machine_verdict") or "")
        rating["alternateName"] = verdict_name(label, lang)
        value = RATINGS.get(label)
    if value is not None:
        rating.update(ratingValue=value, worstRating=WORST, bestRating=BEST)
    note = (claim.get("review") or {}).get("note")
    if note:
        rating["ratingExplanation"] = note
    elif claim.get("reasons"):
        reasons = [str(r) for r in claim["reasons"]]
        rating["ratingExplanation"] = "؛ ".join(map(reason_ar, reasons)) if lang == "ar" else "; ".join(reasons)
    return rating


def _citation(evidence: dict[str, Any]) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "NewsArticle", "headline": evidence.get("title") or evidence.get("doc_id"),
                            "text": evidence.get("sentence"), "identifier": evidence.get("doc_id")}
    if evidence.get("source"):
        work["publisher"] = {"@type": "Organization", "name": evidence["source"]}
    if evidence.get("date"):
        work["datePublished"] = evidence["date"]
    if safe_url(evidence.get("url")):
        work["url"] = safe_url(evidence["url"])
    return work


def _citations(claim: dict[str, Any]) -> list[dict[str, Any]]:
    """The reviewer's chosen documents (``cited``: evidence-shaped dicts), else the evidence that took a side."""
    if claim.get("cited"):
        return [_citation(e) for e in claim["cited"]]
    return [_citation(e) for e in claim.get("evidence", []) if e.get("stance") != "unrelated"]


def claimreview(check: dict[str, Any], *, url: str | None = None, author: str = "tabayyun",
                lang: str = "ar", author_url: str | None = None, logo: str | None = None,
                reviewed_only: bool = False) -> dict[str, Any]:
    """One ClaimReview per claim of ``check`` (the store's ``{"id", "created", "text", "claims"}``, or
    ``publish.reviewed_check`` of it), in an ``@graph``; ``url`` is the address of the check's page,
    ``author`` (with ``author_url`` and ``logo``) the reviewing organisation; ``reviewed_only`` leaves
    out the claims no person reviewed."""
    reviews = []
    organisation: dict[str, Any] = {"@type": "Organization", "name": author}
    if author_url:
        organisation["url"] = author_url
    if logo:
        organisation["logo"] = {"@type": "ImageObject", "url": logo}
    for n, claim in enumerate(check.get("claims", []), 1):
        if reviewed_only and not claim.get("reviewed"):
            continue
        signed = claim.get("review") or {}
        review: dict[str, Any] = {
            "@type": "ClaimReview",
            "claimReviewed": claim.get("claim"),
            "itemReviewed": {"@type": "Claim", "text": claim.get("claim"), "inLanguage": "ar"},
            "reviewRating": _rating(claim, lang),
            "author": organisation,
            "datePublished": str(signed.get("created") or check.get("created", ""))[:10] or None,
            "inLanguage": lang,
            "citation": _citations(claim),
        }
        if url:
            review["url"] = f"{url}#claim-{n}"
        reviews.append(review)
    return {"@context": "https://schema.org", "@graph": reviews}


# JSON-LD is embedded in pages inside <script type="application/ld+json">: no "</script>", "<!--" or "&" may
# appear raw in it; their \u escapes keep the JSON the same.
_SCRIPT_SAFE = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026", 0x2028: "\\u2028",
                0x2029: "\\u2029"}


def claimreview_json(check: dict[str, Any], **options: Any) -> str:
    """``claimreview`` as JSON text that is safe to embed in an HTML ``<script>`` element."""
    return json.dumps(claimreview(check, **options), ensure_ascii=False).translate(_SCRIPT_SAFE)
