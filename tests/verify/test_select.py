"""Which candidates become evidence, and the candidates' facts kept in the store for the next check."""
from __future__ import annotations

import pytest

from tabayyun.pipeline import Tabayyun
from tabayyun.verify import signals
from tabayyun.verify.select import StoredFacts

CLAIMS = ("أسرت قوات سوريا الديمقراطية 500 مقاتل قرب الباغوز", "ارتفعت أسعار النفط إلى 70 دولارا للبرميل")


@pytest.fixture
def fresh_memory(monkeypatch):
    """An empty in-memory facts cache, as in a new process; counts the texts whose facts are extracted."""
    extracted: list[str] = []
    extract = signals._extract
    monkeypatch.setattr(signals, "_facts", {})
    monkeypatch.setattr(signals, "_extract", lambda text: extracted.append(text) or extract(text))
    signals.compare.cache_clear()
    yield extracted
    signals.compare.cache_clear()


def test_a_check_in_a_new_process_reads_the_candidates_facts_instead_of_extracting_them(tmp_path, news_file,
                                                                                       fresh_memory, monkeypatch):
    base = Tabayyun(tmp_path / "db", create=True)
    base.ingest([news_file])
    first = [base.verify(c).to_dict() for c in CLAIMS]
    evidence = {e["sentence"] for v in first for e in v["evidence"]}
    assert evidence and evidence <= set(fresh_memory)  # extracted, then kept
    fresh_memory.clear()
    monkeypatch.setattr(signals, "_facts", {})  # a new process
    signals.compare.cache_clear()
    again = Tabayyun(tmp_path / "db")
    assert [again.verify(c).to_dict() for c in CLAIMS] == first  # the same verdicts, to the byte
    assert set(fresh_memory) == set(CLAIMS)  # only the claims were read from their words again


def test_facts_are_not_kept_by_a_read_only_open_nor_under_another_version(tmp_path, news_file, fresh_memory,
                                                                          monkeypatch):
    Tabayyun(tmp_path / "db", create=True).ingest([news_file])
    reader = Tabayyun(tmp_path / "db", readonly=True)
    reader.verify(CLAIMS[0])
    writer = Tabayyun(tmp_path / "db")
    assert writer.store.get_meta("facts_version") is None  # nothing written by the reader
    writer.verify(CLAIMS[0])
    assert writer.store.get_meta("facts_version") == signals.facts_version()
    fresh_memory.clear()
    monkeypatch.setattr(signals, "_facts", {})
    signals.compare.cache_clear()
    monkeypatch.setattr(signals, "facts_version", lambda: "another")  # the extraction code changed
    monkeypatch.setattr("tabayyun.verify.select.facts_version", lambda: "another")
    Tabayyun(tmp_path / "db").verify(CLAIMS[0])
    assert len(fresh_memory) > 1  # the old facts were not read


def test_stored_facts_remember_only_a_bounded_number_of_texts_to_keep(tmp_path):
    from tabayyun.store import open_store

    stored = StoredFacts(open_store(tmp_path / "db", create=True), remember=3)
    stored.load(["ا", "ب", "ج", "د", "ه"])
    assert list(stored._unstored) == ["ج", "د", "ه"]
