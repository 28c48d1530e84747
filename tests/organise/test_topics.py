"""The taxonomy and the shipped topic classifier: shape, order and calibration of its output, the seed."""
from __future__ import annotations

import json
import shutil
from importlib.resources import files

import numpy as np
import pytest

from tabayyun.errors import TabayyunError
from tabayyun.organise import TopicClassifier, taxonomy
from tabayyun.organise.keywords import keyword_counts
from tabayyun.organise.topics import ARTEFACT_VERSION, MAX_TOPICS, subject_ids
from tabayyun.records import Topic

from tests.conftest import NEWS, seed_parts


@pytest.fixture(scope="module")
def model() -> TopicClassifier:
    return TopicClassifier.pretrained()


def test_taxonomy_is_the_iptc_top_level():
    subjects = taxonomy()
    assert len(subjects) == 17 and len({s.id for s in subjects}) == 17
    assert sorted(s.iptc for s in subjects) == [f"medtop:{i:02d}000000" for i in range(1, 18)]
    assert {"conflict", "politics", "economy", "health", "crime", "disaster", "sport", "science", "arts",
            "environment", "education", "religion", "society", "labour", "lifestyle", "human_interest",
            "weather"} == set(subject_ids())
    for s in subjects:
        assert s.en and s.description and any("\u0621" <= ch <= "\u064a" for ch in s.ar)
    assert next(s for s in subjects if s.id == "conflict").en == "conflict, war and peace"


def test_predict_shape_order_and_scores(model):
    texts = [n["text"] for n in NEWS] + ["نص"]
    out = model.predict(texts)
    probs = model.proba(texts)
    assert len(out) == len(texts) and probs.shape == (len(texts), 17)
    assert np.allclose(probs.sum(1), 1.0) and (probs >= 0).all() and (probs <= 1).all()
    for topics, p in zip(out, probs):
        assert 1 <= len(topics) <= MAX_TOPICS and all(isinstance(t, Topic) for t in topics)
        scores = [t.score for t in topics]
        assert scores == sorted(scores, reverse=True) and all(0.0 <= s <= 1.0 for s in scores)
        assert topics[0].id == subject_ids()[int(p.argmax())]
        assert all(s >= model.threshold for s in scores[1:])
        names = {s.id: s for s in taxonomy()}
        assert all(t.ar == names[t.id].ar and t.en == names[t.id].en for t in topics)
    assert model.predict([]) == [] and model.proba([]).shape == (0, 17)


def test_a_title_is_read_with_its_text(model):
    with_title = model.proba(["قال المتحدث إن القرار نهائي"], ["المنتخب يفوز بكأس العالم لكرة القدم"])
    without = model.proba(["قال المتحدث إن القرار نهائي"])
    assert not np.allclose(with_title, without)
    assert subject_ids()[int(with_title.argmax())] == "sport"


def test_plain_subjects_of_the_test_corpus(model):
    first = [t[0].id for t in model.predict([n["text"] for n in NEWS], [n["title"] for n in NEWS])]
    assert first == ["conflict", "economy", "sport"]


def test_both_seed_texts_are_conflict_first(model):
    report, post = seed_parts()
    for topics in model.predict([report, post]):
        assert topics[0].id == "conflict" and topics[0].en == "conflict, war and peace"
        assert topics[0].score > 0.5


def _copy_artefact(tmp_path):
    base = files("tabayyun.models") / "artefacts"
    for ext in ("npz", "json"):
        shutil.copy(str(base / f"topics.{ext}"), tmp_path / f"topics.{ext}")
    return tmp_path


def test_artefact_version_is_checked_on_load(tmp_path):
    path = _copy_artefact(tmp_path)
    assert TopicClassifier.pretrained(path).predict(["مباراة كرة القدم"])[0][0].id == "sport"
    meta = json.loads((path / "topics.json").read_text(encoding="utf-8"))
    for version in (ARTEFACT_VERSION + 1, None):
        meta["version"] = version
        (path / "topics.json").write_text(json.dumps(meta), encoding="utf-8")
        with pytest.raises(TabayyunError, match="version"):
            TopicClassifier.pretrained(path)


def test_labels_must_match_the_taxonomy(model):
    head = model.head
    swapped = type(head)(head.labels[::-1], head.dense_w, head.bias, head.mean, head.scale, head.sparse_w, head.calib)
    with pytest.raises(TabayyunError, match="taxonomy"):
        TopicClassifier(model.tfidf, swapped)


def test_keywords_count_phrases_with_clitics_and_the_article():
    counts = dict(zip(subject_ids(), keyword_counts("وبالحرب قصفت الطائرات مواقع المسلحين، وارتفعت أسعار النفط")))
    assert counts["conflict"] == 3  # وبالحرب (clitics), قصفت (prefix), المسلحين (article + prefix)
    assert counts["economy"] == 2  # أسعار, النفط
    assert sum(counts.values()) == 5


def test_a_story_takes_the_mean_subjects_of_its_documents():
    from tabayyun.organise.topics import combine_topics
    from tabayyun.records import Topic

    war, sport = Topic("conflict", "نزاع", "conflict", 0.9), Topic("sport", "رياضة", "sport", 0.45)
    combined = combine_topics([[war], [war, sport], [Topic("conflict", "نزاع", "conflict", 0.3)]])
    assert [t.id for t in combined] == ["conflict"]  # sport's mean, 0.45 / 3 = 0.15, is under 0.2
    assert abs(combined[0].score - 0.7) < 1e-9
    assert [t.id for t in combine_topics([[war], [sport]])] == ["conflict", "sport"]
    assert combine_topics([]) == []


def test_the_seed_story_is_about_conflict(tmp_path):
    from tabayyun.pipeline import Tabayyun
    from tabayyun.records import Document
    from tests.conftest import seed_parts

    report, _ = seed_parts()
    tb = Tabayyun(tmp_path / "db", create=True)
    tb.add_documents([Document(id="reuters", text=report, title="الباغوز", source="Reuters", date="2019-03-19")])
    story = tb.list_stories()[0]
    assert story.documents == ["reuters"] and story.topics[0].id == "conflict"
    assert tb.find_story(story.id).topics == story.topics
    tb.close()


def test_a_topic_is_rebuilt_from_its_subject_number(model):
    for topic in [t for topics in model.predict([n["text"] for n in NEWS] + ["مباراة كرة القدم"]) for t in topics]:
        assert model.topic(model.subject_index(topic.id), topic.score) == topic


def test_the_digest_follows_the_weights_and_threshold(model):
    import hashlib

    def digest(m: TopicClassifier) -> str:
        h = hashlib.sha1()
        m.digest(h)
        return h.hexdigest()

    again = TopicClassifier.pretrained()
    assert digest(again) == digest(model)
    again.threshold += 0.01
    assert digest(again) != digest(model)
    again = TopicClassifier.pretrained()
    again.head.sparse_w = again.head.sparse_w.copy()
    again.head.sparse_w[0, 0] += 1e-6
    assert digest(again) != digest(model)
