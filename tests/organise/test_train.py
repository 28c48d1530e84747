"""Training data of the topic classifier (ANT de-duplication, mapped and weak labels) and a tiny training run."""
from __future__ import annotations

import gzip
import hashlib
import json
from importlib.resources import files
from pathlib import Path

import numpy as np
import pytest

from tabayyun.organise import TopicClassifier
from tabayyun.organise.topics import ARTEFACT_VERSION, GATED, SECTIONS, subject_ids, title_text
from tabayyun.organise.train import (ANT_FILE, GATE_GRID, MAPPED, PRIOR_GRID, SUBJECT_PRIOR_GRID, AntArticle, fit_mapped_prior,
                                     fit_subject_priors, load_ant, mapped_label, prior_gold, train_topics,
                                     training_label, weak_label)

CATEGORY = {v: k for k, v in MAPPED.items()}


def _keywords() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    text = files("tabayyun.organise").joinpath("data", "topic_keywords.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            subject, phrase = line.split("\t")
            out.setdefault(subject, []).append(phrase.rstrip("*"))
    return out


def _row(docno: str, category: str, title: str, text: str, split: str = "train") -> dict:
    return {"docno": docno, "category": category, "title": title, "text": text, "split": split,
            "text_md5": hashlib.md5(text.strip().encode()).hexdigest()}


def _write(tmp_path: Path, rows: list[dict]) -> Path:
    path = tmp_path / ANT_FILE
    path.parent.mkdir(parents=True)
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    return tmp_path


def test_load_ant_keeps_one_article_per_text_with_every_category(tmp_path):
    data = _write(tmp_path, [
        _row("A-sport-1", "sport", "ت1", "نص واحد"), _row("B-internationalNews-2", "internationalNews", "ت2", "نص واحد"),
        _row("C-sport-3", "sport", "ت3", "نص واحد"), _row("D-economy-4", "economy", "ت4", "نص آخر", "test")])
    train = load_ant(data)
    assert len(train) == 1 and train[0].docno == "A-sport-1"
    assert train[0].categories == ("sport", "internationalNews")
    assert [a.docno for a in load_ant(data, ("train", "test"))] == ["A-sport-1", "D-economy-4"]


@pytest.mark.parametrize("categories, subject", [
    (("sport",), "sport"), (("technology",), "science"), (("culture", "internationalNews"), "arts"),
    (("economy", "sport"), None), (("middleEast",), None)])
def test_mapped_label(categories, subject):
    assert mapped_label(AntArticle("m", "d", "t", "x", "train", categories)) == subject


def test_weak_label_needs_clear_keyword_evidence():
    article = AntArticle("m", "d", "زلزال يضرب المدينة وفرق الإنقاذ تبحث عن ناجين", "انهيار مبان", "train",
                         ("internationalNews",))
    assert weak_label(article) == "disaster"
    assert weak_label(AntArticle("m", "d", "خبر", "قال مسؤول إن الأمر قيد الدرس", "train", ("middleEast",))) is None
    tied = AntArticle("m", "d", "زلزال ومباراة", "", "train", ("middleEast",))
    assert weak_label(tied) is None


@pytest.mark.parametrize("categories, title, subject, how", [
    (("technology",), "دراسة: لقاح جديد يحمي المرضى من فيروس الإنفلونزا في المستشفيات", "health", "keywords_over_mapped"),
    (("technology",), "هاتف ذكي جديد بشاشة أكبر", "science", "mapped"),
    (("economy",), "إضراب العمال في النقابات احتجاجا على الأجور والرواتب", "labour", "keywords_over_mapped"),
    (("economy",), "الحرب التجارية وقصف وغارات وصواريخ ومعارك", "economy", "mapped"),  # conflict never overrides
    (("middleEast",), "زلزال يضرب المدينة وفرق الإنقاذ تبحث عن ناجين", "disaster", "weak"),
    (("middleEast", "internationalNews"), "قال مسؤول", None, "unlabelled"),
    (("sport", "culture"), "مباراة", None, "dropped")])
def test_training_label(categories, title, subject, how):
    assert training_label(AntArticle("m", "d", title, "", "train", categories)) == (subject, how)


def _tiny_corpus() -> list[dict]:
    """Four articles per subject built from its keywords, each filed under its mapped ANT category (or middleEast)."""
    words = _keywords()
    rows = []
    for subject in subject_ids():
        category = CATEGORY.get(subject, "middleEast")
        for i in range(4):
            picked = words[subject][i::4][:4]
            rows.append(_row(f"X-{category}-{subject}{i}", category, " ".join(picked[:3]),
                             " ".join(picked) + f" وقال مصدر إن الخبر رقم {i} عن {picked[0]}"))
    return rows


def test_a_tiny_training_run_gives_a_loadable_calibrated_model(tmp_path):
    rows = _tiny_corpus()
    data = _write(tmp_path, rows)
    summary = train_topics(data, tmp_path / "out")
    assert summary["version"] == ARTEFACT_VERSION and summary["mapped"] == 16 and summary["weak"] >= 40
    assert all(summary["per_subject"][s] >= 1 for s in subject_ids())
    model = TopicClassifier.pretrained(tmp_path / "out")
    assert model.predict([rows[0]["text"]])[0][0].id == subject_ids()[0]


def test_hand_labels_replace_the_weak_label_and_count_hand_weight_times(tmp_path, monkeypatch):
    import tabayyun.organise.train as train

    rows = _tiny_corpus()
    data = _write(tmp_path, rows)
    monkeypatch.setitem(train.CONFIG, "hand_weight", 0)
    plain = train_topics(data, tmp_path / "plain")
    crime = next(r for r in rows if r["docno"] == "X-middleEast-crime0")
    monkeypatch.setattr(train, "hand_labels", lambda: {crime["text_md5"]: "weather"})
    assert train_topics(data, tmp_path / "off")["hand"] == 0  # hand_weight 0: the labels are not read
    monkeypatch.setitem(train.CONFIG, "hand_weight", 3)
    hand = train_topics(data, tmp_path / "hand")
    assert plain["hand"] == 0 and hand["hand"] == 1
    assert hand["per_subject"]["weather"] - plain["per_subject"]["weather"] == 3
    assert hand["per_subject"]["crime"] < plain["per_subject"]["crime"]


def _four_articles(read_as_health: list[int]) -> tuple[list[str], np.ndarray]:
    """Gold and logits of one article per mapped subject (its subject at 1.0), those of ``read_as_health`` read as
    health (1.55) until their subject's offset passes 0.55."""
    ids = subject_ids()
    gold = ["arts", "economy", "science", "sport"]
    z = np.zeros((4, 17))
    for i, subject in enumerate(gold):
        z[i, ids.index(subject)] = 1.0
    z[read_as_health, ids.index("health")] = 1.55
    return gold, z


def test_fit_mapped_prior_is_the_lowest_offset_that_keeps_the_mapped_floor():
    ids = subject_ids()
    gold, z = _four_articles([1, 2])
    assert fit_mapped_prior(z, gold, 1.0) == pytest.approx(0.6)
    assert fit_mapped_prior(z, gold, 0.5) < 0.6  # a lower floor lets health keep some
    assert fit_mapped_prior(z, gold, 0.0) == PRIOR_GRID[0]
    assert fit_mapped_prior(z, gold, 1.1) == pytest.approx(0.6)  # unreachable: the best, lowest first
    z[:, ids.index("health")] = -5.0
    assert fit_mapped_prior(z, gold, 1.0) < 0  # nothing else competes: the four can be pushed down


def test_the_mapped_prior_is_fitted_on_ant_dev_and_added_to_the_four_mapped_subjects(tmp_path, monkeypatch):
    import tabayyun.organise.train as train

    rows = _tiny_corpus()
    dev = [_row(r["docno"].replace("X-", "D-"), r["category"], r["title"], r["text"] + " في الملحق", "dev")
           for r in rows if r["category"] in MAPPED]
    data = _write(tmp_path, rows + dev)
    monkeypatch.setitem(train.CONFIG, "mapped_floor", 0.0)
    plain = train_topics(data, tmp_path / "plain")
    monkeypatch.setitem(train.CONFIG, "mapped_floor", 0.9)
    fitted = train_topics(data, tmp_path / "prior")
    assert plain["mapped_prior"] == 0.0 and fitted["mapped_prior"] in PRIOR_GRID and fitted["mapped_prior"] != 0.0
    ids = subject_ids()
    shift = TopicClassifier.pretrained(tmp_path / "prior").head.bias - TopicClassifier.pretrained(tmp_path / "plain").head.bias
    mapped = [ids.index(s) for s in MAPPED.values()]
    assert np.allclose(shift[mapped], fitted["mapped_prior"])
    assert np.allclose(np.delete(shift, mapped), 0.0)


def _first(z: np.ndarray, priors: dict[str, float]) -> list[str]:
    ids = subject_ids()
    shifted = z.copy()
    for subject, offset in priors.items():
        shifted[:, ids.index(subject)] += offset
    return [ids[i] for i in shifted.argmax(1)]


def test_subject_priors_keep_the_floor_and_name_the_fewest_world_articles_mapped():
    ids = subject_ids()
    gold, z = _four_articles([2])  # the science article
    world = np.zeros((1, 17))
    world[0, ids.index("politics")], world[0, ids.index("arts")] = 1.0, 0.9  # arts past an offset of 0.1
    grid = (-0.5, 0.0, 0.3, 0.6, 0.9)
    one = fit_mapped_prior(z, gold, 1.0, grid)
    assert one == pytest.approx(0.6) and _first(world, dict.fromkeys(gold, one)) == ["arts"]  # one prior intrudes
    priors = fit_subject_priors(z, gold, world, 1.0, grid)
    # the lowest that keeps the floor: science past 0.55, the other three above science's 0.6 on their own articles
    assert priors == {"arts": 0.0, "economy": 0.0, "science": 0.6, "sport": 0.0}
    assert _first(z, priors) == gold and _first(world, priors) == ["politics"]
    unreachable = fit_subject_priors(z, gold, world, 1.1, grid)  # the highest macro-F1 instead
    assert _first(z, unreachable) == gold
    assert fit_subject_priors(z, gold, np.zeros((0, 17)), 1.0, grid) == priors
    assert set(SUBJECT_PRIOR_GRID) >= set(priors.values())


def test_prior_gold_reads_a_health_study_under_technology_as_health_only_in_the_taxonomy_reading():
    study = AntArticle("m", "d", "دراسة: لقاح جديد يحمي المرضى من فيروس الإنفلونزا في المستشفيات", "", "dev",
                       ("technology",))
    phone = AntArticle("m2", "d2", "هاتف ذكي جديد بشاشة أكبر", "", "dev", ("technology",))
    assert prior_gold([study, phone], "section") == ["science", "science"]
    assert prior_gold([study, phone], "taxonomy") == ["health", "science"]
    with pytest.raises(ValueError):
        prior_gold([study], "filing")


def test_per_subject_priors_are_fitted_on_ant_dev_and_added_to_each_mapped_subject(tmp_path):
    import tabayyun.organise.train as train

    rows = _tiny_corpus()
    dev = [_row(r["docno"].replace("X-", "D-"), r["category"], r["title"], r["text"] + " في الملحق", "dev")
           for r in rows]  # the mapped four and world-section articles
    data = _write(tmp_path, rows + dev)
    plain = train_topics(data, tmp_path / "plain", config={**train.CONFIG, "mapped_floor": 0.0})
    fitted = train_topics(data, tmp_path / "each", config={**train.CONFIG, "prior_per_subject": True})
    priors = fitted["mapped_prior"]
    assert plain["mapped_prior"] == 0.0 and sorted(priors) == sorted(MAPPED.values())
    assert set(priors.values()) <= set(SUBJECT_PRIOR_GRID)
    ids = subject_ids()
    shift = TopicClassifier.pretrained(tmp_path / "each").head.bias - TopicClassifier.pretrained(tmp_path / "plain").head.bias
    assert np.allclose([shift[ids.index(s)] for s in priors], list(priors.values()))
    assert np.allclose(np.delete(shift, [ids.index(s) for s in priors]), 0.0)


class _FakeEncoder:
    """Deterministic 8-dimensional unit vectors from a text's hash; counts the texts it embeds."""

    dim = 8

    def __init__(self) -> None:
        self.texts: list[str] = []

    def encode(self, texts):
        self.texts += list(texts)
        rows = [np.random.default_rng(int(hashlib.md5(t.encode()).hexdigest()[:8], 16)).normal(size=self.dim)
                for t in texts]
        out = np.array(rows, dtype=np.float32).reshape(len(rows), self.dim)
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


@pytest.mark.parametrize("scaled", [False, True])
def test_sentence_vectors_beside_tfidf_are_trained_recorded_and_read(tmp_path, scaled):
    import tabayyun.organise.train as train

    rows = _tiny_corpus()
    data = _write(tmp_path, rows)
    config = {**train.CONFIG, "vectors": "usem3", "vector_chars": 50, "vector_scaled": scaled}
    encoder = _FakeEncoder()
    summary = train_topics(data, tmp_path / "out", encoder=encoder, config=config)
    assert summary["encoder"] == "usem3" and summary["encoder_dim"] == 8 and summary["vector_chars"] == 50
    longest_title = max(len(r["title"]) for r in rows)
    assert encoder.texts and all(len(t) <= longest_title + 1 + 50 for t in encoder.texts)  # title and 50 characters
    served = _FakeEncoder()
    model = TopicClassifier.pretrained(tmp_path / "out", encoder=served)
    assert model.uses_vectors and model.head.dense_w.shape == (8, len(subject_ids()))
    assert not np.allclose(model.head.dense_w, 0.0)
    assert model.predict([rows[0]["text"]], [rows[0]["title"]])[0][0].id in subject_ids()
    assert served.texts == [f"{rows[0]['title']}\n{rows[0]['text'][:50]}"]  # title and the first vector_chars


def test_a_model_without_vectors_never_calls_an_encoder(tmp_path):
    data = _write(tmp_path, _tiny_corpus())
    summary = train_topics(data, tmp_path / "out")
    assert "encoder" not in summary
    encoder = _FakeEncoder()
    model = TopicClassifier.pretrained(tmp_path / "out", encoder=encoder)
    model.predict(["مباراة كرة القدم"])
    assert not model.uses_vectors and encoder.texts == []


def test_the_gated_prior_is_the_lowest_weight_that_keeps_the_floor_and_moves_only_gated_articles():
    ids = subject_ids()
    gold, z = _four_articles([1, 2])
    gate = np.zeros_like(z)
    gate[:, [ids.index(s) for s in gold]] = 1.0
    assert fit_mapped_prior(z, gold, 1.0, GATE_GRID, gate) == pytest.approx(0.6)  # a gate of 1: the plain prior
    gate[2] *= 0.5  # the science article reads half like its section: it needs twice the weight
    assert fit_mapped_prior(z, gold, 1.0, GATE_GRID, gate) == pytest.approx(1.2)
    gate[2] = 0.0  # not like its section at all: no weight lifts it, the best (lowest first) is kept
    assert fit_mapped_prior(z, gold, 1.0, GATE_GRID, gate) == pytest.approx(0.6)


def test_sections_gate_the_mapped_subjects_they_are_filed_under():
    assert [MAPPED[s] for s in SECTIONS[:-1]] == list(GATED)


def test_the_title_text_is_the_title_or_the_lead_cut_at_a_word():
    assert title_text("نص الخبر", " عنوان الخبر ") == "عنوان الخبر"
    lead = title_text("كلمة " * 40)
    assert len(lead) <= 100 and lead.endswith("كلمة") and "  " not in lead
    assert title_text("قصير  جدا") == "قصير جدا"


def test_a_fused_model_trains_three_heads_and_reads_the_title_vector(tmp_path, monkeypatch):
    import tabayyun.organise.train as train

    rows = _tiny_corpus()
    dev = [_row(r["docno"].replace("X-", "D-"), r["category"], r["title"], r["text"] + " في الملحق", "dev")
           for r in rows if r["category"] in MAPPED]
    data = _write(tmp_path, rows + dev)
    hand = {r["text_md5"]: r["docno"].split("-")[-1][:-1] for r in rows[::3]}
    monkeypatch.setattr(train, "all_hand_labels", lambda: hand)
    encoder = _FakeEncoder()
    config = {**train.CONFIG, "fusion": "e5small"}
    summary = train_topics(data, tmp_path / "out", encoder=encoder, config=config)
    assert summary["encoder"] == "e5small" and summary["encoder_dim"] == 8 and summary["mapped_prior"] == 0.0
    assert summary["hand_head"] == len(hand) and summary["section_head"] == len(rows) and summary["gate_beta"] in GATE_GRID
    assert summary["title_head"] >= len(hand) and {r["title"] for r in rows} <= set(encoder.texts)
    served = _FakeEncoder()
    model = TopicClassifier.pretrained(tmp_path / "out", encoder=served)
    assert model.fusion is not None and model.uses_vectors and model.fusion.beta == summary["gate_beta"]
    assert model.fusion.section.labels == SECTIONS and model.fusion.title.dense_w.shape == (8, len(subject_ids()))
    post = "مباراة كرة القدم " * 10
    p = model.proba([rows[0]["text"], post], [rows[0]["title"], ""])
    assert served.texts == [rows[0]["title"], title_text(post)]
    assert np.allclose(p.sum(1), 1.0)
    plain = model.head.calibrate(model.head.logits(None, model.tfidf.rows([post])))
    assert not np.allclose(p[1], plain[0])  # the fused heads move the probabilities
    digests = []
    for beta in (model.fusion.beta, model.fusion.beta + 1.0):
        model.fusion.beta = beta
        h = hashlib.sha256()
        model.digest(h)
        digests.append(h.hexdigest())
    assert digests[0] != digests[1]


def test_a_fused_model_never_reads_vectors_beside_tfidf_too(tmp_path):
    import tabayyun.organise.train as train

    data = _write(tmp_path, _tiny_corpus())
    with pytest.raises(ValueError, match="not both"):
        train_topics(data, tmp_path / "out", encoder=_FakeEncoder(),
                     config={**train.CONFIG, "fusion": "e5small", "vectors": "usem3"})
