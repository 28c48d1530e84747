"""Which candidates become evidence, and what the fact checks read from candidates kept in the store."""
from __future__ import annotations

import json

import pytest

from tabayyun.pipeline import Tabayyun
from tabayyun.verify import select, signals
from tabayyun.verify.select import StoredFacts

CLAIMS = ("أسرت قوات سوريا الديمقراطية 500 مقاتل قرب الباغوز", "ارتفعت أسعار النفط إلى 70 دولارا للبرميل")


def _new_process() -> None:
    """Empty the in-memory caches of what was read from texts, as in a new process."""
    signals.FACTS.clear()
    select.INDEX_TERMS.clear()
    signals.compare.cache_clear()


@pytest.fixture
def read(monkeypatch):
    """The texts read in this test: (facts extracted, index terms analysed), from an empty memory."""
    extracted: list[str] = []
    analysed: list[str] = []
    extract, analyze = signals._extract, select.analyze
    monkeypatch.setattr(signals, "_extract", lambda text: extracted.append(text) or extract(text))
    monkeypatch.setattr(select, "analyze", lambda text: analysed.append(text) or analyze(text))
    _new_process()
    yield extracted, analysed
    _new_process()


def test_a_check_in_a_new_process_reads_the_candidates_facts_instead_of_extracting_them(tmp_path, news_file, read):
    extracted, analysed = read
    base = Tabayyun(tmp_path / "db", create=True)
    base.ingest([news_file])
    first = [base.verify(c).to_dict() for c in CLAIMS]
    evidence = {e["sentence"] for v in first for e in v["evidence"]}
    assert evidence and evidence <= set(extracted)  # extracted, then kept
    candidates = set(analysed)  # the claims' query terms are not analysed here (``query_terms``)
    assert evidence <= candidates
    extracted.clear()
    analysed.clear()
    _new_process()
    again = Tabayyun(tmp_path / "db")
    assert [again.verify(c).to_dict() for c in CLAIMS] == first  # the same verdicts, to the byte
    assert extracted == []  # nothing was read from its words again: the claims' facts were kept too
    assert not set(analysed) & candidates  # the candidates' index terms were read from the store


def test_facts_are_not_kept_by_a_read_only_open_nor_read_under_another_version(tmp_path, news_file, read,
                                                                               monkeypatch):
    extracted, _ = read
    Tabayyun(tmp_path / "db", create=True).ingest([news_file])
    reader = Tabayyun(tmp_path / "db", readonly=True)
    reader.verify(CLAIMS[0])
    writer = Tabayyun(tmp_path / "db")
    assert writer.store.get_meta("facts_version") is None  # nothing written by the reader
    writer.verify(CLAIMS[0])  # what the reader read is in this process's memory, and is kept now
    assert writer.store.get_meta("facts_version") == signals.facts_version()
    extracted.clear()
    _new_process()
    monkeypatch.setattr(select, "facts_version", lambda: "another")  # the extraction code changed
    Tabayyun(tmp_path / "db").verify(CLAIMS[0])
    assert len(extracted) > 1  # the old facts were not read


def test_terms_are_kept_first_and_facts_added_when_they_are_extracted(tmp_path):
    from tabayyun.store import open_store

    store = open_store(tmp_path / "db", create=True)
    stored = StoredFacts(store)
    _new_process()
    text = "أسرت قوات سوريا الديمقراطية 157 مقاتلا"
    stored.load([text])
    select._terms(text)
    stored.flush()
    key = select.text_key(text)
    assert json.loads(store.load_facts(signals.facts_version(), [key])[key])[1] is None  # terms only
    signals.facts(text)  # extracted after the flush (by the stance stage): kept when flushed as the evidence judged
    stored.flush()
    assert json.loads(store.load_facts(signals.facts_version(), [key])[key])[1] is None
    stored.flush([text])
    terms, fields = json.loads(store.load_facts(signals.facts_version(), [key])[key])
    assert signals.facts_from_fields(fields) == signals.facts(text) and frozenset(terms) == select._terms(text)
    _new_process()
    StoredFacts(store).load([text])
    assert signals.FACTS.known([text]) and select.INDEX_TERMS.known([text])


def test_stored_facts_remember_a_bounded_number_of_texts(tmp_path, monkeypatch):
    from tabayyun.store import open_store

    store = open_store(tmp_path / "db", create=True)
    asked: list[list[str]] = []
    original = store.load_facts
    monkeypatch.setattr(store, "load_facts", lambda version, keys: asked.append(sorted(keys)) or original(version, keys))
    stored = StoredFacts(store, remember=3)
    texts = ["ا", "ب", "ج", "د", "ه"]
    stored.load(texts)
    stored.load(texts[2:])  # remembered: the store is not asked again
    stored.load(texts[:1])  # forgotten (the oldest went first): asked again
    assert asked == [sorted(map(select.text_key, texts)), [select.text_key("ا")]]


def test_the_decisive_candidates_come_first_one_per_document_in_retrieval_order_within_a_rank():
    from tabayyun.records import Document, Evidence, Sentence

    def candidate(n: int, doc: str) -> Evidence:
        return Evidence(sentence=Sentence(id=n, doc_id=doc, position=n, text=f"s{n}"),
                        document=Document(id=doc, text=""), score=1.0)

    candidates = [candidate(0, "a"), candidate(1, "b"), candidate(2, "a"), candidate(3, "c"), candidate(4, "d")]
    found = select.decisive_first("claim", candidates, 3, ranks=[2, 1, 0, 1, 0])
    assert [e.sentence.id for e in found] == [2, 4, 1]  # a's decisive sentence stands for it; c comes after b
    assert [e.sentence.id for e in select.decisive_first("claim", candidates, 9, ranks=[1] * 5)] == [0, 1, 3, 4]
