"""Training data of the topic classifier (ANT de-duplication, mapped and weak labels) and a tiny training run."""
from __future__ import annotations

import gzip
import hashlib
import json
from importlib.resources import files
from pathlib import Path

import pytest

from tabayyun.organise import TopicClassifier
from tabayyun.organise.topics import ARTEFACT_VERSION, subject_ids
from tabayyun.organise.train import (ANT_FILE, MAPPED, AntArticle, load_ant, mapped_label, train_topics, training_label,
                                     weak_label)

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
    plain = train_topics(data, tmp_path / "plain")
    crime = next(r for r in rows if r["docno"] == "X-middleEast-crime0")
    monkeypatch.setattr(train, "hand_labels", lambda: {crime["text_md5"]: "weather"})
    assert train_topics(data, tmp_path / "off")["hand"] == 0  # hand_weight 0: the labels are not read
    monkeypatch.setitem(train.CONFIG, "hand_weight", 3)
    hand = train_topics(data, tmp_path / "hand")
    assert plain["hand"] == 0 and hand["hand"] == 1
    assert hand["per_subject"]["weather"] - plain["per_subject"]["weather"] == 3
    assert hand["per_subject"]["crime"] < plain["per_subject"]["crime"]
