"""What the pipeline read of texts, kept in the store: read back instead of computed, to the same verdicts."""
from __future__ import annotations

import numpy as np
import pytest

from tabayyun import kept as kept_store
from tabayyun.models.features import TextInputs
from tabayyun.models.stance import LearnedStance
from tabayyun.pipeline import Tabayyun
from tabayyun.records import Claim
from tabayyun.store.base import text_key

CLAIMS = ("أسرت قوات سوريا الديمقراطية 500 مقاتل قرب الباغوز", "ارتفعت أسعار النفط إلى 70 دولارا للبرميل")


@pytest.fixture
def reads(monkeypatch):
    """The texts whose ``TextInputs`` are read from their words in this test."""
    read: list[str] = []
    inner = TextInputs.read.__func__
    monkeypatch.setattr(TextInputs, "read", classmethod(lambda cls, text, tfidf: read.append(text)
                                                        or inner(cls, text, tfidf)))
    return read


@pytest.fixture
def computed(monkeypatch):
    """The claims whose stance the model computed (``predict`` calls not read from memory) in this test."""
    done: list[str] = []
    inner = LearnedStance._proba
    monkeypatch.setattr(LearnedStance, "_proba", lambda self, claim, texts: done.append(claim)
                        or inner(self, claim, texts))
    return done


def _judged(base: Tabayyun) -> tuple[list[dict], set[str]]:
    verdicts = [base.verify(c).to_dict() for c in CLAIMS]
    return verdicts, {*CLAIMS, *(e["sentence"] for v in verdicts for e in v["evidence"])}


def test_a_check_in_a_new_process_reads_the_kept_results_instead_of_computing_them(tmp_path, news_file, reads,
                                                                                   computed):
    base = Tabayyun(tmp_path / "db", create=True)
    base.ingest([news_file])
    first, texts = _judged(base)
    assert len(texts) > len(CLAIMS) and texts <= set(reads) and sorted(computed) == sorted(CLAIMS)
    assert len(base.store.load_vectors(kept_store.INPUTS_NAME, [text_key(t) for t in texts])) == len(texts)
    reads.clear()
    computed.clear()
    again = Tabayyun(tmp_path / "db")  # a new model: nothing in its memory
    assert again.stance_kept is not None and again.stance_kept.model.predictions.get(CLAIMS[0]) is None
    assert _judged(again)[0] == first  # the same verdicts, to the byte
    assert reads == [] and computed == []


def test_a_call_with_other_evidence_is_computed_and_its_texts_inputs_read_back(tmp_path, news_file, reads, computed):
    base = Tabayyun(tmp_path / "db", create=True)
    base.ingest([news_file])
    _, texts = _judged(base)
    evidence = sorted(texts - set(CLAIMS))
    want = base.stance.predict(CLAIMS[0], evidence)  # a call no check made (computed: its texts' inputs are kept)
    again = Tabayyun(tmp_path / "db")
    reads.clear()
    computed.clear()
    again.stance_kept.load([(CLAIMS[0], evidence)])
    assert again.stance.predict(CLAIMS[0], evidence) == want
    assert computed == [CLAIMS[0]] and reads == []  # not kept: computed, from the kept inputs


def test_nothing_is_kept_by_a_read_only_open_nor_read_under_another_spec(tmp_path, news_file, reads, computed,
                                                                         monkeypatch):
    Tabayyun(tmp_path / "db", create=True).ingest([news_file])
    _, texts = _judged(Tabayyun(tmp_path / "db", readonly=True))
    keys = [text_key(t) for t in texts]
    writer = Tabayyun(tmp_path / "db")
    assert writer.store.load_vectors(kept_store.INPUTS_NAME, keys) == {}  # a base from before: read from the texts
    first, _ = _judged(writer)
    assert len(writer.store.load_vectors(kept_store.INPUTS_NAME, keys)) == len(texts)
    reads.clear()
    computed.clear()
    monkeypatch.setattr(LearnedStance, "inputs_spec", lambda self, text_version: "another")  # the features changed
    changed = Tabayyun(tmp_path / "db")
    assert changed.store.load_vectors(kept_store.INPUTS_NAME, keys) == {}  # dropped by a writable open
    assert _judged(changed)[0] == first and set(reads) == texts and sorted(computed) == sorted(CLAIMS)


def test_the_kept_specs_follow_the_text_code_and_the_encoder(tmp_path, monkeypatch):
    """The specs recorded in the store digest the text code's version (and the results' the encoder's): a change
    of either drops what was kept under the other."""
    model = LearnedStance.pretrained()
    assert model.inputs_spec("a") == model.inputs_spec("a") != model.inputs_spec("b")
    assert model.predictions_spec("a", "e") != model.predictions_spec("a", "f") != model.predictions_spec("b", "f")
    base = Tabayyun(tmp_path / "db", create=True)
    store, model = base.store, base.stance_kept.model
    inputs, results = store.vector_spec(kept_store.INPUTS_NAME), store.vector_spec(kept_store.PREDICTIONS_NAME)
    assert inputs == model.inputs_spec(kept_store.facts_version())
    assert results == model.predictions_spec(kept_store.facts_version(), model.encoder.encoder.spec())
    monkeypatch.setattr(kept_store, "facts_version", lambda: "another text code")
    kept = kept_store.StoredStance(model, store)
    assert kept.inputs.usable and kept.predictions.usable
    assert store.vector_spec(kept_store.INPUTS_NAME) == model.inputs_spec("another text code") != inputs
    assert store.vector_spec(kept_store.PREDICTIONS_NAME) not in (None, results)


def test_a_heads_weight_changes_the_results_spec():
    model = LearnedStance.pretrained()
    spec = model.predictions_spec("a", "e")
    model.sentence_head.bias = model.sentence_head.bias + 1e-9
    assert model.predictions_spec("a", "e") != spec


def test_probabilities_come_back_to_the_bit():
    probs = np.random.default_rng(3).dirichlet(np.ones(4), size=5)
    back = kept_store._probabilities(np.frombuffer(kept_store._words(probs).tobytes(), np.float32))
    assert back.dtype == np.float64 and back.shape == (5, 4) and back.tobytes() == probs.tobytes()
    assert kept_store._probabilities(kept_store._words(np.zeros((0, 4)))).shape == (0, 4)


POST = ("أسرت قوات سوريا الديمقراطية 500 مقاتل قرب الباغوز، وقالت إن العملية مستمرة. "
        "وارتفعت أسعار النفط إلى 70 دولارا للبرميل")


@pytest.fixture
def post_reads(monkeypatch):
    """The posts split into claims, and the texts whose subjects were read, in this test."""
    from tabayyun import pipeline
    from tabayyun.organise.topics import TopicClassifier

    split, subjects = [], []
    inner_split, inner_topics = pipeline.split_claims, TopicClassifier.predict
    monkeypatch.setattr(pipeline, "split_claims", lambda text: split.append(text) or inner_split(text))
    monkeypatch.setattr(TopicClassifier, "predict", lambda self, texts, titles=None: subjects.extend(texts)
                        or inner_topics(self, texts, titles))
    return split, subjects


def test_a_post_checked_again_in_a_new_process_is_not_split_nor_classified_again(tmp_path, news_file, post_reads):
    base = Tabayyun(tmp_path / "db", create=True)
    base.ingest([news_file])
    first = [v.to_dict() for v in base.check(POST, all_claims=True, date="2019-03-20")]
    assert len(first) >= 2 and post_reads[0] == [POST] and POST in post_reads[1]
    again = Tabayyun(tmp_path / "db")
    post_reads[0].clear()
    post_reads[1].clear()
    assert [v.to_dict() for v in again.check(POST, all_claims=True, date="2019-03-20")] == first
    assert post_reads == ([], [])
    claims, topics = again.post_claims(POST, all_claims=True)
    claims[0].text, topics[:] = "changed", []  # what a caller gets is its own
    assert again.post_claims(POST, all_claims=True)[0][0].text != "changed" and again.post_claims(POST)[1]


def test_posts_are_kept_for_the_rule_worthiness_only(tmp_path):
    from tabayyun.models import LearnedWorthiness

    assert Tabayyun(tmp_path / "a", create=True).posts_kept is not None
    assert Tabayyun(tmp_path / "b", create=True, worthiness=LearnedWorthiness.pretrained()).posts_kept is None


def test_the_posts_spec_follows_the_topic_model_and_the_text_code(monkeypatch):
    from tabayyun.organise.topics import TopicClassifier

    topics = TopicClassifier.pretrained()
    spec = kept_store.posts_spec(topics)
    assert kept_store.posts_spec(TopicClassifier.pretrained()) == spec
    topics.threshold += 0.01
    assert kept_store.posts_spec(topics) != spec
    monkeypatch.setattr(kept_store, "facts_version", lambda: "another text code")
    assert kept_store.posts_spec(TopicClassifier.pretrained()) != spec


def test_a_posts_claims_and_subjects_come_back_to_the_bit(tmp_path):
    base = Tabayyun(tmp_path / "db", create=True)
    reads = (base.claims(POST), base.topics.predict([POST])[0])
    kept = base.posts_kept
    back = kept.read(POST, lambda text: kept._reads(kept._vector(reads)))
    assert back == reads and [c.checkworthiness for c in back[0]] == [c.checkworthiness for c in reads[0]]


@pytest.fixture
def ranked(monkeypatch):
    """The claims whose candidates the fact checks ranked (``candidate_ranks`` called) in this test."""
    from tabayyun import pipeline

    done: list[str] = []
    inner = pipeline.candidate_ranks
    monkeypatch.setattr(pipeline, "candidate_ranks", lambda claim, candidates: done.append(claim)
                        or inner(claim, candidates))
    return done


def test_a_claim_checked_again_in_a_new_process_reads_its_candidates_ranks(tmp_path, news_file, ranked):
    base = Tabayyun(tmp_path / "db", create=True)
    base.ingest([news_file])
    first, _ = _judged(base)
    assert sorted(ranked) == sorted(CLAIMS)
    ranked.clear()
    again = Tabayyun(tmp_path / "db")
    assert _judged(again)[0] == first and ranked == []  # the same verdicts, the candidates not ranked again
    candidates = again.retriever.candidates(CLAIMS[0])
    texts = [e.sentence.text for e in candidates]
    from tabayyun.verify import candidate_ranks

    assert again.ranks_kept.read(CLAIMS[0], texts, lambda: []) == tuple(candidate_ranks(CLAIMS[0], candidates))
    assert again.ranks_kept.read(CLAIMS[0], texts[1:], lambda: [7]) == (7,)  # other candidates: ranked


def test_the_ranks_spec_follows_the_text_code(monkeypatch):
    spec = kept_store.ranks_spec()
    assert kept_store.ranks_spec() == spec
    monkeypatch.setattr(kept_store, "facts_version", lambda: "another text code")
    assert kept_store.ranks_spec() != spec


def test_ranks_come_back_as_given():
    ranks = (0, 2, 1, 2, 0)
    assert kept_store._ranks(np.frombuffer(kept_store._ranks_vector(ranks).tobytes(), np.float32)) == ranks


def test_a_claims_query_terms_are_read_back_in_a_new_process_not_expanded_again(tmp_path, news_file, monkeypatch):
    from tabayyun.index import lexical

    lexical.QUERY_TERMS.clear()  # expanded in this test, so kept
    base = Tabayyun(tmp_path / "db", create=True)
    base.ingest([news_file])
    first, _ = _judged(base)
    want = {c: lexical.query_terms(c) for c in CLAIMS}
    lexical.QUERY_TERMS.clear()  # as in a new process
    expanded: list[str] = []
    inner = lexical._query_terms
    monkeypatch.setattr(lexical, "_query_terms", lambda text: expanded.append(text) or inner(text))
    again = Tabayyun(tmp_path / "db")
    assert _judged(again)[0] == first and expanded == []
    assert {c: lexical.QUERY_TERMS.get(c) for c in CLAIMS} == want
    lexical.QUERY_TERMS.clear()
    Tabayyun(tmp_path / "db").select(Claim("ارتفعت أسعار الذهب"))  # a claim never searched: expanded
    assert expanded == ["ارتفعت أسعار الذهب"]


def test_query_terms_come_back_as_given():
    for terms in [("سوري", "ديمقراط", "500"), (), ("ا",), ("x" * 5, "ب")]:
        assert kept_store._terms(np.frombuffer(kept_store._terms_vector(terms).tobytes(), np.float32)) == terms
    assert kept_store.queries_spec() != kept_store.ranks_spec()


def test_what_a_checked_texts_story_is_found_by_is_read_back_in_a_new_process(tmp_path, news_file, monkeypatch):
    from tabayyun.organise.stories import StoryClusterer

    base = Tabayyun(tmp_path / "db", create=True)
    base.ingest([news_file])
    first = [v.to_dict() for v in base.check(POST, all_claims=True, date="2019-03-20")]
    assert any(v["story"] for v in first)
    read: list[str] = []
    inner = StoryClusterer._text_lead
    monkeypatch.setattr(StoryClusterer, "_text_lead", lambda self, text: read.append(text) or inner(self, text))
    again = Tabayyun(tmp_path / "db")
    assert [v.to_dict() for v in again.check(POST, all_claims=True, date="2019-03-20")] == first and read == []
    kept = again.stories.texts.get(POST)
    assert kept is not None and kept == inner(again.stories, POST)
    assert list(kept.counts) == list(inner(again.stories, POST).counts)  # in the same order (sums read them so)
    lead = kept_store._lead(np.frombuffer(kept_store._lead_vector(kept).tobytes(), np.float32))
    assert lead == kept and list(lead.counts) == list(kept.counts)


def test_the_story_leads_spec_follows_the_clusterer_configuration(tmp_path):
    from dataclasses import replace

    base = Tabayyun(tmp_path / "db", create=True)
    spec = base.store.vector_spec(kept_store.LEADS_NAME)
    assert spec is not None
    base.stories.config = replace(base.stories.config, lead_chars=base.stories.config.lead_chars + 1)
    assert kept_store.stored_leads(base.stories, base.store).usable
    assert base.store.vector_spec(kept_store.LEADS_NAME) not in (None, spec)
