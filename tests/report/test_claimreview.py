"""ClaimReview JSON-LD: the verdict's rating, the claim, and the evidence as citations."""
from __future__ import annotations

import json

import pytest

from tabayyun.report.claimreview import claimreview


def _check(verdict: str) -> dict:
    evidence = [
        {"sentence": "قالت القوات إنها أسرت 157 مقاتلا.", "doc_id": "d1", "title": "الأسرى", "source": "وكالة",
         "date": "2019-03-19", "url": "https://example.org/d1", "stance": "disagree"},
        {"sentence": "ارتفعت أسعار النفط.", "doc_id": "d2", "title": "", "source": "", "date": None,
         "url": "javascript:alert(1)", "stance": "unrelated"},
        {"sentence": "أسرت القوات مقاتلين.", "doc_id": "d3", "title": "", "source": "", "date": None,
         "url": "javascript:alert(1)", "stance": "discuss"},
    ]
    return {"id": 3, "created": "2024-05-06T07:08:09+00:00", "text": "...", "claims": [
        {"claim": "أسرت القوات 500 مقاتل", "verdict": verdict, "confidence": 0.7,
         "reasons": ["number mismatch: claim 500, evidence 157", "a"],
         "evidence": evidence}]}


@pytest.mark.parametrize("verdict, value", [("refuted", 1), ("conflicting", 3), ("supported", 5)])
def test_rating_follows_the_verdict(verdict, value):
    rating = claimreview(_check(verdict))["@graph"][0]["reviewRating"]
    assert (rating["ratingValue"], rating["worstRating"], rating["bestRating"]) == (value, 1, 5)
    assert rating["ratingExplanation"] == "اختلاف في الأرقام: الادعاء 500، الدليل 157؛ a"
    english = claimreview(_check(verdict), lang="en")["@graph"][0]["reviewRating"]["ratingExplanation"]
    assert english == "number mismatch: claim 500, evidence 157; a"


def test_not_enough_evidence_has_a_name_but_no_number():
    rating = claimreview(_check("not_enough_evidence"))["@graph"][0]["reviewRating"]
    assert "ratingValue" not in rating and rating["alternateName"] == "لا أدلة كافية"
    assert claimreview(_check("not_enough_evidence"), lang="en")["@graph"][0]["reviewRating"]["alternateName"] \
        == "not enough evidence"


def test_review_fields_and_citations():
    doc = claimreview(_check("refuted"), url="http://127.0.0.1:8000/checks/3", author="غرفة التحقق")
    assert doc["@context"] == "https://schema.org"
    review = doc["@graph"][0]
    assert review["claimReviewed"] == review["itemReviewed"]["text"] == "أسرت القوات 500 مقاتل"
    assert review["url"] == "http://127.0.0.1:8000/checks/3#claim-1"
    assert review["author"] == {"@type": "Organization", "name": "غرفة التحقق"}
    assert review["datePublished"] == "2024-05-06"
    cited = review["citation"]
    assert [c["identifier"] for c in cited] == ["d1", "d3"]  # unrelated evidence is not cited
    assert cited[0]["url"] == "https://example.org/d1" and cited[0]["publisher"]["name"] == "وكالة"
    assert "url" not in cited[1]  # never a javascript: link
    json.dumps(doc)
