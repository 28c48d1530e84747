"""Index catch-up: resumable after an interruption, and queued behind another process's writer."""
from __future__ import annotations

import threading
import time

import pytest

from tabayyun.index import LexicalIndex, Retriever
from tabayyun.ingest import content_hash
from tabayyun.pipeline import sentence_spans
from tabayyun.records import Document
from tabayyun.store import SQLiteStore


@pytest.fixture
def store(tmp_path):
    store = SQLiteStore(tmp_path / "db")
    docs = [Document(id=f"d{i}", text=f"خبر رقم {i} عن سوق الأسهم المحلية. وارتفع المؤشر العام {i} نقطة اليوم.")
            for i in range(300)]
    store.add_documents([(d, content_hash(d.text), sentence_spans(d.text)) for d in docs])
    return store


class Interrupted(Exception):
    pass


def test_an_interrupted_catch_up_resumes_where_it_was(store, tmp_path, monkeypatch):
    lexical = LexicalIndex(tmp_path / "db" / "index")
    retriever = Retriever(store, lexical, cache=None)
    real_add, calls = lexical.add, []

    def add_then_fail(pairs, analysed=None):
        calls.append(1)
        if len(calls) > 5:
            raise Interrupted
        return real_add(pairs, analysed)

    monkeypatch.setattr(lexical, "add", add_then_fail)
    with pytest.raises(Interrupted):
        retriever.sync(batch_size=50, commit_every=100)
    assert int(store.get_meta("lexical_indexed_upto")) == 200  # two commits of 100 kept, not restarted
    monkeypatch.setattr(lexical, "add", real_add)
    fresh = Retriever(store, LexicalIndex(tmp_path / "db" / "index"), cache=None)
    assert fresh.sync(batch_size=50, commit_every=100) == 400  # only what was missing
    assert len(fresh.lexical) == 600
    hits = fresh.lexical.search("المؤشر العام", k=1000)
    assert len(hits) == len({sid for sid, _ in hits}) == 300


def test_a_second_writer_queues_behind_the_first(store, tmp_path):
    holder = LexicalIndex(tmp_path / "db" / "index")
    holder.lock()
    retriever = Retriever(store, LexicalIndex(tmp_path / "db" / "index"), cache=None)
    t0 = time.monotonic()
    assert retriever.sync(wait=False) == 0 and time.monotonic() - t0 < 1  # a reader does not wait
    threading.Timer(1.0, holder.release).start()
    assert retriever.sync() == 600  # a writer waits for the lock instead of failing with LockBusy
    assert time.monotonic() - t0 >= 1 and len(retriever.lexical) == 600
