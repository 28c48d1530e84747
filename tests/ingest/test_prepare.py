"""The evidence sentences ingest keeps of a document text."""
from __future__ import annotations

from tabayyun.ingest.prepare import MAX_PIECE_CHARS, RUN_ON_LETTERS, sentence_spans


def test_a_text_without_spaces_or_punctuation_gives_bounded_sentences():
    text = "ارتفعمؤشرالسوقالمحليةعشرنقاط" * 200  # words run together: no space, no full stop
    spans = sentence_spans(text)
    assert spans and max(s.end - s.start for s in spans) <= MAX_PIECE_CHARS
    assert "".join(text[s.start:s.end] for s in spans) == text
    short = ("ارتفعمؤشرالسوقالمحلية" * 2)[:RUN_ON_LETTERS]
    assert len(sentence_spans(short)) == 1


def test_fragments_stay_out():
    assert sentence_spans("حرب") == []  # one word
    assert sentence_spans("عاجل " + "ـ" * 40) == []  # a tatweel line is no run of words
    assert sentence_spans("عاجل https://example.com/ارتفعمؤشرالسوقالمحليةعشرنقاط") == []  # a link is no text
    assert sentence_spans("UserCommentEncodingUNDEFINEDCOMPUTED .") == []  # a Latin run is no Arabic text
