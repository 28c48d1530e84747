"""schema.org ClaimReview JSON-LD for the claims of a saved check.

The verdict maps onto a 1-5 rating (refuted 1, conflicting 3, supported 5); "not enough evidence"
has no numeric rating, only its name. The evidence sentences that took a side become citations.
"""
from __future__ import annotations

import json
from typing import Any

from tabayyun.report.html import safe_url, verdict_name
from tabayyun.report.i18n import reason_ar

__all__ = ["claimreview", "claimreview_json", "RATINGS"]

RATINGS = {"refuted": 1, "conflicting": 3, "supported": 5}
WORST, BEST = 1, 5


def _rating(claim: dict[str, Any], lang: str) -> dict[str, Any]:
    label = str(claim.get("verdict", ""))
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": verdict_name(label, lang)}
    if label in RATINGS:
        rating.update(ratingValue=RATINGS[label], worstRating=WORST, bestRating=BEST)
    if claim.get("reasons"):
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


def claimreview(check: dict[str, Any], *, url: str | None = None, author: str = "tabayyun",
                lang: str = "ar") -> dict[str, Any]:
    """One ClaimReview per claim of ``check`` (the store's ``{"id", "created", "text", "claims"}``), in an
    ``@graph``; ``url`` is the address of the check's page, ``author`` the reviewing organisation."""
    reviews = []
    for n, claim in enumerate(check.get("claims", []), 1):
        review: dict[str, Any] = {
            "@type": "ClaimReview",
            "claimReviewed": claim.get("claim"),
            "itemReviewed": {"@type": "Claim", "text": claim.get("claim"), "inLanguage": "ar"},
            "reviewRating": _rating(claim, lang),
            "author": {"@type": "Organization", "name": author},
            "datePublished": str(check.get("created", ""))[:10] or None,
            "inLanguage": lang,
            "citation": [_citation(e) for e in claim.get("evidence", []) if e.get("stance") != "unrelated"],
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
