"""The work of one record and one claim is bounded, whatever the input."""
from __future__ import annotations

import time

import pytest

from tabayyun.errors import TabayyunError
from tabayyun.pipeline import MAX_CLAIM_CHARS, Tabayyun, sentence_spans
from tabayyun.records import Document


def test_a_run_on_sentence_is_cut_in_bounded_pieces():
    text = "ارتفع مؤشر السوق المحلية " * 40_000  # 1M characters, no full stop
    spans = sentence_spans(text)
    assert spans and max(s.end - s.start for s in spans) <= MAX_CLAIM_CHARS
    assert all(text[s.start:s.end] == text[s.start:s.end].strip() for s in spans)
    assert "".join(text[s.start:s.end] for s in spans).replace(" ", "") == text.replace(" ", "")


def test_a_claim_retrieving_a_run_on_document_stays_quick(tmp_path):
    tb = Tabayyun(tmp_path / "db", create=True)
    tb.add_documents([Document(id="long", text="ارتفع مؤشر السوق المحلية عشر نقاط " * 25_000)])
    t0 = time.monotonic()
    verdict = tb.verify("ارتفع مؤشر السوق المحلية عشر نقاط")
    assert verdict.evidence and time.monotonic() - t0 < 60
    assert max(len(e.sentence.text) for e in verdict.evidence) <= MAX_CLAIM_CHARS


@pytest.mark.parametrize("call, message", [
    (lambda tb: tb.verify("ادعاء " * 1000), "over the limit of 2000"),
    (lambda tb: tb.check("نص " * 40_000), "over the limit of 100000"),
    (lambda tb: tb.verify("ادعاء \ud800"), "lone surrogate"),
    (lambda tb: tb.check("نص \x00 آخر"), "NUL byte"),
    (lambda tb: tb.search(" "), "empty query"),
])
def test_oversized_or_unencodable_input_is_refused(tmp_path, call, message):
    tb = Tabayyun(tmp_path / "db", create=True)
    with pytest.raises(TabayyunError, match=message):
        call(tb)
