"""One contract for every store backend: the same calls give the same answers on SQLite and PostgreSQL."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from tabayyun.errors import TabayyunError
from tabayyun.records import Document, Review, Topic
from tabayyun.store import PendingSentence, open_store
from tabayyun.store.base import StoryBatch

SRC = Path(__file__).resolve().parents[2] / "src"


def _doc(i: int, text: str | None = None, doc_id: str | None = None, source: str = "s",
         date: str | None = None) -> tuple[Document, str, list[PendingSentence]]:
    """A document of two sentences, its hash taken from its text."""
    text = text or f"الجملة الأولى رقم {i}. والجملة الثانية رقم {i}."
    cut = text.index(".") + 1
    return (Document(id=doc_id or f"d{i}", text=text, title=f"t{i}", source=source, date=date),
            f"h:{text}", [PendingSentence(0, 0, cut), PendingSentence(1, cut + 1, len(text))])


@pytest.fixture
def store(db):
    s = open_store(db, create=True)
    yield s
    s.close()


def test_a_missing_base_is_not_created_unless_asked(db):
    with pytest.raises(TabayyunError, match="no evidence base"):
        open_store(db, create=False)
    open_store(db, create=True).close()
    open_store(db, create=False).close()  # made once, opened again


def test_documents_and_sentences_round_trip(store):
    result = store.add_documents([_doc(1, date="2020-01-05"), _doc(2, source="b", date="2020-02-01")])
    assert (result.added, result.skipped, result.sentences) == (2, 0, 4)
    assert store.get_document("d1").text == "الجملة الأولى رقم 1. والجملة الثانية رقم 1."
    assert store.get_document("nope") is None
    assert set(store.get_documents(["d1", "d2", "x"])) == {"d1", "d2"}
    sentences = store.document_sentences("d2")
    assert [s.text for s in sentences] == ["الجملة الأولى رقم 2.", "والجملة الثانية رقم 2."]
    assert [s.position for s in sentences] == [0, 1]
    by_id = store.get_sentences([s.id for s in sentences])
    assert by_id[sentences[1].id].text == "والجملة الثانية رقم 2." and by_id[sentences[1].id].doc_id == "d2"
    assert store.max_sentence_id() == max(s.id for b in store.iter_sentences() for s in b)
    assert [len(b) for b in store.iter_sentences(batch_size=3)] == [3, 1]
    first = next(store.iter_sentences())[0].id
    assert [s.id for b in store.iter_sentences(after_id=first) for s in b][0] > first
    assert store.counts() == {"documents": 2, "sentences": 4}
    assert [(r["source"], r["documents"], r["sentences"]) for r in store.breakdown("source")] == [
        ("b", 1, 2), ("s", 1, 2)]
    assert [r["month"] for r in store.breakdown("month")] == ["2020-01", "2020-02"]


def test_cited_sentences_are_the_sentences_with_their_documents_metadata(store):
    store.add_documents([_doc(1, date="2020-01-05"), _doc(2, source="b")])
    ids = [s.id for d in ("d1", "d2") for s in store.document_sentences(d)]
    sentences, documents = store.cited_sentences([*ids[1:], 10**9])
    assert sentences == store.get_sentences(ids[1:])
    full = store.get_documents(["d1", "d2"])
    assert documents == {d: replace(full[d], text="") for d in ("d1", "d2")}
    assert store.cited_sentences([]) == ({}, {})


def test_re_adding_is_idempotent_and_the_same_text_under_another_id_is_an_alias(store):
    store.add_documents([_doc(1)])
    again = store.add_documents([_doc(1), _doc(1, doc_id="copy"), _doc(1, doc_id="copy")])
    assert (again.added, again.skipped, again.sentences) == (0, 3, 0)
    assert store.counts() == {"documents": 1, "sentences": 2}
    assert store.document_aliases(["d1"]) == {"d1": ["copy"]}
    assert store.document_hashes(["d1", "copy", "x"]) == {"d1": _doc(1)[1], "copy": _doc(1)[1]}


def test_the_same_id_with_another_text_is_refused_and_nothing_of_the_batch_lands(store):
    store.add_documents([_doc(1)])
    with pytest.raises(TabayyunError, match="another text"):
        store.add_documents([_doc(2), _doc(3, doc_id="d1")])
    assert store.counts() == {"documents": 1, "sentences": 2}
    assert store.get_document("d2") is None


def test_a_batch_that_fails_half_way_leaves_nothing(store):
    store.add_documents([_doc(1)])
    bad = (Document(id="x", text="نص", title=None, source="s"), "hx", [])  # type: ignore[arg-type]
    with pytest.raises(Exception):
        store.add_documents([_doc(2), bad])
    assert store.counts() == {"documents": 1, "sentences": 2}
    store.add_documents([_doc(2)])  # the base is still writable
    assert store.counts() == {"documents": 2, "sentences": 4}


def test_topics_are_written_with_their_documents(store):
    topics = {"d1": [Topic("a", "أ", "A", 0.75), Topic("b", "ب", "B", 0.125)]}
    store.add_documents([_doc(1), _doc(2)], topics=topics)
    assert store.document_topics(["d1", "d2"]) == {"d1": topics["d1"]}


def test_a_read_only_open_reads_and_never_writes(db):
    with pytest.raises(TabayyunError, match="no evidence base"):
        open_store(db, readonly=True)  # nothing is created for a reader
    writer = open_store(db, create=True)
    writer.add_documents([_doc(1)])
    writer.save_vectors("m", {"a": np.ones(2, dtype=np.float32)})
    reader = open_store(db, readonly=True)
    try:
        assert reader.readonly and not writer.readonly
        assert reader.counts() == {"documents": 1, "sentences": 2} and reader.get_document("d1") is not None
        reader.save_vectors("m", {"b": np.ones(2, dtype=np.float32)})  # a cache: kept in memory only
        for write in (lambda: reader.add_documents([_doc(2)]), lambda: reader.set_meta("k", "v"),
                      lambda: reader.save_check("نص", [])):
            with pytest.raises(TabayyunError, match="read-only"):
                write()
        writer.use_vector_spec("m", '{"revision": "1"}')
        assert reader.use_vector_spec("m", '{"revision": "1"}') and not reader.use_vector_spec("m", '{"revision": "2"}')
        writer.add_documents([_doc(3)])  # a reader sees what a writer commits after it opened
        assert reader.counts()["documents"] == 2
    finally:
        reader.close()
    assert writer.counts() == {"documents": 2, "sentences": 4} and writer.get_meta("k") is None
    assert set(writer.load_vectors("m", ["a", "b"])) == {"a"}
    writer.close()


def test_vectors_and_meta(store):
    assert store.load_vectors("m", ["a"]) == {}
    store.save_vectors("m", {"a": np.array([1.5, -2], dtype=np.float32), "b": np.zeros(2)})
    store.save_vectors("m", {"a": np.array([3, 4], dtype=np.float32)})  # replaced
    store.save_vectors("other", {"a": np.ones(3)})
    got = store.load_vectors("m", ["a", "b", "c"])
    assert set(got) == {"a", "b"} and got["a"].tolist() == [3.0, 4.0] and got["a"].dtype == np.float32
    assert store.load_vectors("other", ["a"])["a"].shape == (3,)
    vec = np.random.default_rng(0).standard_normal(384).astype(np.float32)
    store.save_vectors("e5", {"k": vec})
    assert np.array_equal(store.load_vectors("e5", ["k"])["k"], vec)  # bit for bit
    assert store.vector_spec("m") is None
    assert store.use_vector_spec("m", '{"revision": "1"}')  # a base from before specs: its vectors stay
    assert set(store.load_vectors("m", ["a", "b"])) == {"a", "b"} and store.vector_spec("m") == '{"revision": "1"}'
    assert store.use_vector_spec("m", '{"revision": "2"}')  # another revision: only this encoder's vectors go
    assert store.load_vectors("m", ["a", "b"]) == {} and store.vector_spec("m") == '{"revision": "2"}'
    assert store.load_vectors("other", ["a"])["a"].shape == (3,) and store.vector_spec("other") is None
    assert store.get_meta("k") is None
    store.set_meta("k", "1")
    store.set_meta("k", "2")
    assert store.get_meta("k") == "2"


def test_facts_are_kept_per_version_and_a_new_version_drops_the_old(store):
    assert store.load_facts("v1", ["a"]) == {}
    store.save_facts("v1", {"a": '["أسرت", 157]', "b": "[]"})
    store.save_facts("v1", {"a": '["أفرجت"]'})  # replaced
    assert store.load_facts("v1", ["a", "b", "c"]) == {"a": '["أفرجت"]', "b": "[]"}
    assert store.load_facts("v2", ["a"]) == {}  # another version's facts are not this one's
    store.save_facts("v2", {"c": "[1]"})  # the code that extracts them changed: the old ones go
    assert store.load_facts("v1", ["a", "b"]) == {} and store.load_facts("v2", ["c"]) == {"c": "[1]"}
    store.save_facts("v2", {})


def test_a_read_only_open_reads_facts_and_keeps_none(db):
    writer = open_store(db, create=True)
    reader = open_store(db, readonly=True)
    try:
        assert reader.load_facts("v1", ["a"]) == {}  # none kept yet (a base from before the facts table reads so)
        writer.save_facts("v1", {"a": "[]"})
        reader.save_facts("v1", {"b": "[]"})  # a cache: a reader keeps nothing
        assert writer.load_facts("v1", ["a", "b"]) == {"a": "[]"}
        assert reader.load_facts("v1", ["a"]) == {"a": "[]"}  # a reader open since sees what was kept after
    finally:
        reader.close()
        writer.close()


def test_checks_and_reviews(store):
    first = store.save_check("نص أول", [{"claim": "ادعاء", "verdict": "supported", "z": 1, "a": 2}])
    second = store.save_check("نص ثان" * 100, [{"verdict": "refuted"}, {"verdict": "not_enough_evidence"}])
    assert second > first
    check = store.get_check(first)
    assert check["text"] == "نص أول" and check["claims"] == [{"claim": "ادعاء", "verdict": "supported", "z": 1, "a": 2}]
    assert list(check["claims"][0]) == ["claim", "verdict", "z", "a"]  # as saved
    assert store.get_check(10_000) is None
    review = store.save_review(Review(check_id=second, claim=1, verdict="refuted", rating="False", reviewer="r",
                                      note="n", cite=("d1",)))
    assert review.id is not None and review.created
    store.save_review(Review(check_id=second, claim=1, verdict="supported", rating="True", reviewer="q"))
    listed = store.list_checks()
    assert [c["id"] for c in listed] == [second, first]
    assert listed[0]["verdicts"] == ["refuted", "not_enough_evidence"] and listed[0]["claims"] == 2
    assert listed[0]["reviewed"] == 1 and len(listed[0]["text"]) == 200 and listed[1]["reviewed"] == 0
    assert store.list_checks(limit=1, offset=1)[0]["id"] == first
    reviews = store.reviews([first, second])
    assert list(reviews) == [second] and [r.verdict for r in reviews[second]] == ["refuted", "supported"]
    assert reviews[second][0].cite == ("d1",)
    assert [c["id"] for b in store.iter_checks(batch_size=1) for c in b] == [first, second]
    assert list(store.iter_checks(since="9999")) == []


def test_stories(store):
    store.add_documents([_doc(i, date=f"2020-01-0{i}", source="b" if i == 3 else "s") for i in (1, 2, 3)],
                        topics={"d3": [Topic("x", "س", "X", 0.9)]})
    after = store.documents_after(0, 2)
    assert [d.id for _, d in after] == ["d1", "d2"]
    assert [d.id for _, d in store.documents_after(after[-1][0], 10)] == ["d3"]

    def row(title, docs, first, last):
        return {"title": title, "keywords": ["ك"], "entities": [], "first_date": first, "last_date": last,
                "sources": ["s"], "size": docs, "state": {"n": docs}}

    store.save_story_batch(StoryBatch(
        stories={"s1": row("أولى", 2, "2020-01-01", "2020-01-02"), "s2": row("ثانية", 1, "2020-01-03", "2020-01-03")},
        removed=[], members=[("d1", "s1", 0.9), ("d2", "s1", 0.8), ("d3", "s2", 1.0)], aliases={},
        df={"ك": 3}, n_docs=3, watermark=after[-1][0]))
    store.save_check("منشور", [{"verdict": "supported"}])
    store.attach_claims(1, [(0, "s2", "ادعاء", "supported")])
    assert store.count_stories() == 2
    assert store.story_of_documents(["d1", "d3", "x"]) == {"d1": "s1", "d3": "s2"}
    assert store.story_terms(["ك", "غ"]) == ({"ك": 3}, 3)
    assert store.story_states(["s1"]) == {"s1": {"n": 2}}
    assert [s.id for s in store.list_stories()] == ["s2", "s1"]  # newest first
    assert [s.id for s in store.list_stories(source="b")] == ["s2"]
    assert [s.id for s in store.list_stories(topic="x")] == ["s2"]
    assert [s.id for s in store.list_stories(until="2020-01-02")] == ["s1"]
    assert store.list_stories(since="2020-01-03")[0].claims == [
        {"check_id": 1, "position": 0, "claim": "ادعاء", "verdict": "supported"}]
    # s2 joins s1: its documents and claims follow, and its id leads to s1
    store.save_story_batch(StoryBatch(stories={"s1": row("أولى", 3, "2020-01-01", "2020-01-03")}, removed=["s2"],
                                      members=[], aliases={"s2": "s1"}, df={"ك": 4}, n_docs=3, watermark=9))
    assert store.resolve_story("s2") == "s1" and store.resolve_story("nope") is None
    story = store.get_story("s2")
    assert story.id == "s1" and story.documents == ["d1", "d2", "d3"] and story.aliases == ["s2"]
    assert story.claims[0]["claim"] == "ادعاء"
    state = store.story_state()
    assert state.df == {"ك": 4} and state.n_docs == 3 and set(state.stories) == {"s1"} and state.aliases == {
        "s2": "s1"}
    assert store.get_meta("stories_organised_upto") == "9"
    store.clear_stories("stories_organised_upto")
    assert store.count_stories() == 0 and store.get_meta("stories_organised_upto") is None
    assert store.get_story("s1") is None


def test_story_links_that_lead_nowhere_are_dropped(store):
    store.add_documents([_doc(i) for i in (1, 2, 3)])
    row = {"title": "t", "keywords": [], "entities": [], "first_date": None, "last_date": None, "sources": [],
           "size": 1, "state": {}}
    store.save_story_batch(StoryBatch(
        stories={"s1": row, "s2": row, "s3": row}, removed=[], aliases={"s3": "s1"}, df={}, n_docs=3, watermark=3,
        members=[("d1", "s1", 1.0), ("d2", "s2", 1.0), ("d3", "s2", 1.0), ("gone", "s1", 1.0), ("gone2", "s2", 1.0)]))
    store.save_check("منشور", [])
    store.save_check("منشور آخر", [])
    store.attach_claims(1, [(0, "s1", "ادعاء", "supported"), (1, "s3", "ادعاء", "supported")])
    store.attach_claims(2, [(0, "s1", "ادعاء", "supported"), (1, "s2", "ادعاء", "refuted")])
    store.save_story_batch(StoryBatch(stories={}, removed=["s2"], members=[], aliases={}, df={}, n_docs=3,
                                      watermark=3))  # as an old correction bug did: its documents and claims stay
    dropped = store.drop_dangling_story_links()  # a claim placed under an alias (s3) leads to s1: kept
    assert (dropped.gone_documents, dropped.unplaced, dropped.checks) == (2, ("d2", "d3"), (2,))
    assert store.story_of_documents(["d1", "d2", "d3", "gone"]) == {"d1": "s1"}
    assert [(c["check_id"], c["position"]) for c in store.get_story("s1").claims] == [(1, 0), (2, 0)]
    assert not store.drop_dangling_story_links()  # nothing left


_WRITER = """
import sys
from tabayyun.records import Document
from tabayyun.store import PendingSentence, open_store
db, name = sys.argv[1], sys.argv[2]
store = open_store(db, create=False)
for b in range(30):
    batch = []
    for i in range(5):
        key = f"{b}-{i}" if i else f"{b}-shared"  # one document of each batch is written by both
        text = f"{name if i else 'shared'} {key}. sentence two of {key}."
        cut = text.index(".") + 1
        batch.append((Document(id=f"{name if i else 'shared'}-{key}", text=text, title="t", source="s"), "h" + text,
                      [PendingSentence(0, 0, cut), PendingSentence(1, cut + 1, len(text))]))
    store.add_documents(batch)
store.close()
"""


def test_two_writer_processes_lose_nothing_and_ids_follow_commit_order(db):
    open_store(db, create=True).close()
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    writers = [subprocess.Popen([sys.executable, "-c", _WRITER, db, name], env=env, stderr=subprocess.PIPE)
               for name in ("a", "b")]
    store = open_store(db)
    seen: list[tuple[int, int]] = []  # (highest id visible, how many ids up to it were visible)
    while any(w.poll() is None for w in writers):
        top = store.max_sentence_id()
        seen.append((top, sum(1 for b in store.iter_sentences() for s in b if s.id <= top)))
        time.sleep(0.01)
    assert [w.wait() for w in writers] == [0, 0], [w.stderr.read().decode()[-500:] for w in writers if w.stderr]
    # 2 writers x 30 batches x 4 own documents, and 30 documents written by both, 2 sentences each
    assert store.counts() == {"documents": 270, "sentences": 540}
    ids = sorted(s.id for b in store.iter_sentences() for s in b)
    assert len(set(ids)) == 540
    # an index that followed the store (up to the highest id it saw) missed no sentence committed later
    for top, count in seen:
        assert sum(1 for i in ids if i <= top) == count
    assert len(seen) > 3
    store.close()



def test_remove_and_replace_a_document_and_never_give_its_ids_again(store):
    from tabayyun.store.base import text_key

    store.add_documents([_doc(1), _doc(2)], topics={"d2": [Topic("sport", "رياضة", "sport", 0.9)]})
    old = store.document_sentences("d2")
    store.save_vectors("m", {text_key(old[0].text): np.ones(3, dtype=np.float32)})
    store.save_facts("v", {text_key(old[1].text): "[]", "other": "[]"})
    removed = store.remove_document("d2")
    assert [s.id for s in removed] == [s.id for s in old]
    assert store.get_document("d2") is None and store.document_topics(["d2"]) == {}
    assert store.load_vectors("m", [text_key(old[0].text)]) == {}
    assert store.load_facts("v", [text_key(old[1].text), "other"]) == {"other": "[]"}
    assert store.remove_document("d2") is None and store.counts() == {"documents": 1, "sentences": 2}
    store.add_documents([_doc(3)])
    assert min(s.id for s in store.document_sentences("d3")) > max(s.id for s in old)
    doc, digest, spans = _doc(9, doc_id="d1")
    removed, result = store.replace_document(doc, digest, spans)
    assert result.added == 1 and store.get_document("d1").text == doc.text
    assert min(s.id for s in store.document_sentences("d1")) > max(s.id for s in removed)
    assert store.replace_document(_doc(5, doc_id="missing")[0], "h", []) is None
