"""The printable HTML report and the helpers the web page shares with it."""
from __future__ import annotations

import pytest

from tabayyun.report.html import render_check_html, safe_url, text_segments, verdict_name


def test_segments_cover_the_text_in_order():
    text = "أولا كذا. ثانيا كذا."
    segments = text_segments(text, [(0, 9), (10, 20)])
    assert "".join(piece for piece, _ in segments) == text
    assert [i for _, i in segments] == [0, None, 1]


@pytest.mark.parametrize("spans, marked", [
    ([None, (2, 4)], [1]),            # a claim without a span is not marked
    ([(2, 6), (4, 8)], [0]),          # an overlapping span is left out
    ([(5, 99), (-1, 2)], []),         # out of range
    ([(4, 4)], []),                   # empty
])
def test_segments_skip_spans_that_cannot_be_marked(spans, marked):
    text = "0123456789"
    segments = text_segments(text, spans)
    assert "".join(piece for piece, _ in segments) == text
    assert [i for _, i in segments if i is not None] == marked


@pytest.mark.parametrize("url, ok", [
    ("https://example.org/a", True), ("http://example.org", True), ("javascript:alert(1)", False),
    ("JaVaScRiPt:alert(1)", False), ("data:text/html,<b>", False), ("//example.org", False),
    ("https://", False), (None, False), (5, False), ("http://[::1", False),
])
def test_safe_url_keeps_only_web_links(url, ok):
    assert (safe_url(url) is not None) == ok


def test_verdict_names_in_both_languages():
    assert verdict_name("refuted", "en") == "refuted"
    assert verdict_name("refuted", "ar") == "مفنَّد"


def _check(claim_text: str, **evidence) -> dict:
    text = f"يقول المنشور: {claim_text}"
    start = text.index(claim_text)
    return {"id": 7, "created": "2024-01-02T03:04:05+00:00", "text": text, "claims": [{
        "claim": claim_text, "span": [start, start + len(claim_text)], "verdict": "refuted", "confidence": 0.8,
        "checkworthiness": 0.9, "reasons": ["number mismatch: claim 500, evidence 157"],
        "evidence": [{"sentence": "أسرت القوات 157 مقاتلا.", "doc_id": "d1", "title": "عنوان", "source": "وكالة",
                      "date": "2019-03-19", "url": "https://example.org/d1", "stance": "disagree", **evidence}]}]}


def test_report_marks_claims_and_lists_evidence():
    html = render_check_html(_check("أسرت القوات 500 مقاتل"))
    assert html.startswith("<!doctype html>") and 'dir="rtl"' in html
    assert '<mark class="refuted">أسرت القوات 500 مقاتل<sup>1</sup></mark>' in html
    assert "number mismatch: claim 500, evidence 157" in html
    assert "اختلاف في الأرقام: الادعاء 500، الدليل 157" in html and "<td>disagrees / يعارض</td>" in html
    assert '<a href="https://example.org/d1">عنوان</a>' in html and "<script" not in html


def test_report_escapes_everything():
    html = render_check_html(_check("<script>alert(1)</script> حدث", title="<img src=x onerror=alert(2)>",
                                    url="javascript:alert(3)", sentence="<b onclick=x>نص</b>"))
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "javascript:" not in html and "<b onclick" not in html


def test_report_without_claims():
    assert "No check-worthy claims found" in render_check_html({"id": 1, "created": "", "text": "نص", "claims": []})
