from tabayyun.records import Document
from tabayyun.store import PendingSentence, SQLiteStore


def _doc(i: int, text: str) -> tuple[Document, str, list[PendingSentence]]:
    return Document(id=f"d{i}", text=text, title=f"t{i}", source="s"), f"h{i}", [
        PendingSentence(position=0, start=0, end=len(text))]


def test_add_then_read_back(tmp_path):
    store = SQLiteStore(tmp_path)
    result = store.add_documents([_doc(1, "جملة أولى هنا"), _doc(2, "جملة ثانية هناك")])
    assert (result.added, result.skipped, result.sentences) == (2, 0, 2)
    assert store.get_document("d2").text == "جملة ثانية هناك"
    sentences = store.get_sentences([1, 2])
    assert sentences[1].text == "جملة أولى هنا" and sentences[2].doc_id == "d2"
    assert store.counts() == {"documents": 2, "sentences": 2}


def test_same_hash_or_id_is_skipped(tmp_path):
    store = SQLiteStore(tmp_path)
    store.add_documents([_doc(1, "نص")])
    again = store.add_documents([_doc(1, "نص"), _doc(1, "نص")])
    assert (again.added, again.skipped) == (0, 2)
    assert store.counts()["documents"] == 1


def test_failed_batch_leaves_nothing(tmp_path, monkeypatch):
    store = SQLiteStore(tmp_path)
    store.add_documents([_doc(1, "قبل")])
    bad = (Document(id="x", text="نص", title=None, source="s"), "hx", [])  # NOT NULL title fails mid-batch
    try:
        store.add_documents([_doc(2, "ثان"), bad])
    except Exception:
        pass
    assert store.counts() == {"documents": 1, "sentences": 1}
    assert store.get_document("d2") is None


def test_iter_sentences_in_batches(tmp_path):
    store = SQLiteStore(tmp_path)
    store.add_documents([_doc(i, f"نص رقم {i}") for i in range(7)])
    batches = list(store.iter_sentences(after_id=2, batch_size=2))
    assert [len(b) for b in batches] == [2, 2, 1]
    assert [s.id for b in batches for s in b] == [3, 4, 5, 6, 7]


def test_vectors_round_trip(tmp_path):
    import numpy as np

    store = SQLiteStore(tmp_path)
    store.save_vectors("m", {"k": np.arange(4, dtype=np.float32)})
    got = store.load_vectors("m", ["k", "missing"])
    assert list(got) == ["k"] and got["k"].tolist() == [0, 1, 2, 3]


def test_checks_history(tmp_path):
    store = SQLiteStore(tmp_path)
    first = store.save_check("نص أول", [{"claim": "أ", "verdict": "supported"}])
    second = store.save_check("نص ثان", [])
    assert store.get_check(first)["claims"][0]["verdict"] == "supported"
    assert [c["id"] for c in store.list_checks()] == [second, first]
    assert store.list_checks()[1]["claims"] == 1 and store.get_check(999) is None


def test_same_text_under_another_id_keeps_both_ids(tmp_path):
    store = SQLiteStore(tmp_path)
    doc, digest, sentences = _doc(1, "نص مكرر")
    copy = (Document(id="retweet", text=doc.text, source="s"), digest, sentences)
    first = store.add_documents([(doc, digest, sentences), copy])
    again = store.add_documents([copy, (Document(id="third", text=doc.text, source="s"), digest, sentences)])
    assert (first.added, first.skipped, again.skipped) == (1, 1, 2)
    assert store.counts()["documents"] == 1
    assert store.document_aliases(["d1"]) == {"d1": ["retweet", "third"]}



def test_document_topics_are_written_with_their_documents(tmp_path):
    from tabayyun.records import Topic

    store = SQLiteStore(tmp_path)
    war, sport = Topic("conflict", "نزاعات", "conflict", 0.9), Topic("sport", "رياضة", "sport", 0.05)
    store.add_documents([_doc(1, "نص أول"), _doc(2, "نص ثان")], topics={"d1": [war, sport], "d2": []})
    assert store.document_topics(["d1", "d2", "d9"]) == {"d1": [war, sport]}
    store.add_documents([_doc(1, "نص أول")], topics={"d1": [sport]})  # a known document keeps its topics
    assert store.document_topics(["d1"]) == {"d1": [war, sport]}
    bad = Topic("sport", None, "sport", 0.5)  # type: ignore[arg-type]  # NOT NULL fails on the topics insert
    try:
        store.add_documents([_doc(3, "نص ثالث")], topics={"d3": [war, bad]})
    except Exception:
        pass
    assert store.get_document("d3") is None and store.document_topics(["d3"]) == {}


def test_removed_ids_are_never_given_again(tmp_path):
    from tabayyun.pipeline import sentence_spans
    from tabayyun.ingest import content_hash
    from tabayyun.records import Document

    store = SQLiteStore(tmp_path, create=True)
    docs = [Document(id=f"d{i}", text=f"نص الخبر رقم {i} عن موضوع مختلف تماما هنا.", source="s") for i in range(3)]
    store.add_documents([(d, content_hash(d.text), sentence_spans(d.text)) for d in docs[:2]])
    removed = store.remove_document("d1")
    assert removed and store.get_document("d1") is None and store.remove_document("d1") is None
    store.add_documents([(docs[2], content_hash(docs[2].text), sentence_spans(docs[2].text))])
    new_ids = [s.id for s in store.document_sentences("d2")]
    assert min(new_ids) > max(s.id for s in removed)
    store.close()


def test_reads_of_every_length_share_a_few_statements(tmp_path):
    """A read of n ids gives what reading each alone gives, through one statement per power of two (its list
    padded with its last id), not one per length."""
    store = SQLiteStore(tmp_path)
    store.add_documents([_doc(i, f"جملة رقم {i}") for i in range(1, 21)])
    alone = {i: s for i in range(1, 21) for i, s in store.get_sentences([i]).items()}
    texts: set[str] = set()
    original = store._run
    store._run = lambda sql, params=(): texts.add(sql) or original(sql, params)
    for n in range(1, 21):
        ids = list(range(21 - n, 21))
        assert store.get_sentences(ids) == {i: alone[i] for i in ids}
    assert len(texts) == 6  # lists of 1, 2, 4, 8, 16 and 32 ids
