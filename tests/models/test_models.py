"""Learned models: training on a tiny fixture, determinism, output shapes and loading."""
from __future__ import annotations

import time

import numpy as np
import pytest

from tabayyun.models import LearnedStance, LearnedVerdict, LearnedWorthiness
from tabayyun.models.data import load_ans_stance, load_worthiness
from tabayyun.models.features import HashedTfidf, number_mismatch, split_passages
from tabayyun.models.linear import LinearHead
from tabayyun.records import STANCES, VERDICTS, Claim, Document, Evidence, Sentence


def test_training_is_deterministic(trained, tiny_data, tmp_path, encoder, train_small):
    train_small(tiny_data, tmp_path, encoder)
    names = sorted(p.name for p in trained.iterdir())
    assert names == ["stance.json", "stance.npz", "verdict.json", "verdict.npz",
                     "worthiness.json", "worthiness.npz"]
    for name in names:
        assert (trained / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_worthiness_scores_in_order_and_beats_majority(trained, tiny_data, encoder):
    model = LearnedWorthiness.pretrained(trained, encoder=encoder)
    texts, y = load_worthiness(tiny_data, "dev")
    scores = model.score(texts)
    assert len(scores) == len(texts) and all(0.0 <= s <= 1.0 for s in scores)
    assert model.score(texts[::-1]) == pytest.approx(scores[::-1])
    assert model.score([]) == []
    accuracy = np.mean((np.array(scores) >= model.threshold) == np.array(y))
    assert accuracy > max(np.mean(y), 1 - np.mean(y))


def test_stance_sentences_beat_majority(trained, tiny_data, encoder):
    model = LearnedStance.pretrained(trained, encoder=encoder)
    s1, s2, labels = load_ans_stance(tiny_data, "test")
    pred = [max(p, key=p.get) for claim, text in zip(s1, s2) for p in model.predict(claim, [text])]
    gold = [{"other": "discuss"}.get(x, x) for x in labels]
    majority = max(gold.count(x) for x in set(gold)) / len(gold)
    assert np.mean([p == g for p, g in zip(pred, gold)]) > majority


def test_stance_output_shape_for_sentences_and_articles(trained, encoder):
    model = LearnedStance.pretrained(trained, encoder=encoder)
    article = "القائمة الرئيسية\nتم افتتاح الجسر في حلب رسميا\nحقوق النشر محفوظة"
    texts = ["تم افتتاح الجسر في حلب", article, "فاز الفريق بالمباراة"]
    out = model.predict("افتتاح الجسر في حلب بعد 3 أيام", texts)
    assert len(out) == 3
    for probs in out:
        assert list(probs) == list(STANCES)
        assert sum(probs.values()) == pytest.approx(1.0)
    single = model.predict("افتتاح الجسر في حلب بعد 3 أيام", [article])[0]
    assert single == pytest.approx(out[1])
    assert model.predict("أي ادعاء", []) == []


def _evidence(text, probs, mismatches=()):
    return Evidence(Sentence(1, "d1", 0, text), Document("d1", text, source="وكالة", date="2024-05-01"),
                    score=1.0, stance=max(probs, key=probs.get), stance_probs=probs,
                    mismatches=list(mismatches))


def test_verdict_labels_confidence_and_reasons(trained):
    model = LearnedVerdict.pretrained(trained)
    claim = Claim("افتتاح الجسر في حلب")
    label, conf, reasons = model.decide(claim, [])
    assert label == "not_enough_evidence" and reasons
    agree = {"agree": 0.9, "disagree": 0.02, "discuss": 0.05, "unrelated": 0.03}
    deny = {"agree": 0.02, "disagree": 0.9, "discuss": 0.05, "unrelated": 0.03}
    # shaped like the fixture's training claims: two stance-taking texts, one discussing, one unrelated
    rest = [_evidence("جدل حول الجسر", {"agree": 0.02, "disagree": 0.03, "discuss": 0.9, "unrelated": 0.05}),
            _evidence("فاز الفريق", {"agree": 0.01, "disagree": 0.01, "discuss": 0.03, "unrelated": 0.95})]
    label_a, conf_a, reasons_a = model.decide(claim, [_evidence("تم افتتاح الجسر", agree)] * 2 + rest)
    label_d, _, reasons_d = model.decide(claim, [_evidence("نفي افتتاح الجسر", deny, ["number mismatch: claim 3, evidence 7"])] * 2 + rest)
    assert label_a in VERDICTS and 0.5 <= conf_a <= 1.0
    assert (label_a, label_d) == ("supported", "refuted")
    assert any("تم افتتاح الجسر" in r and "وكالة" in r for r in reasons_a)
    assert "number mismatch: claim 3, evidence 7" in reasons_d


def test_shipped_artefacts_load_fast():
    start = time.perf_counter()
    stance, worth, verdict = (LearnedStance.pretrained(), LearnedWorthiness.pretrained(),
                              LearnedVerdict.pretrained())
    assert time.perf_counter() - start < 2.0
    assert 0.0 < worth.threshold < 1.0
    assert len(worth.score(["عاجل: ارتفاع عدد الضحايا إلى 50 شخصا"])) == 1
    assert list(stance.predict("ارتفاع أسعار النفط", ["انخفاض أسعار النفط"])[0]) == list(STANCES)
    assert verdict.decide(Claim("x"), [])[0] == "not_enough_evidence"


def test_hashed_tfidf_rows_are_unit_and_stable():
    tfidf = HashedTfidf(2 ** 12, (2, 3))
    (idx, vals), = tfidf.rows(["ارتفاع أسعار النفط"])
    assert np.all(np.diff(idx) > 0) and np.linalg.norm(vals) == pytest.approx(1.0)
    assert np.array_equal(tfidf.rows(["ارتفاع أسعار النفط"])[0][0], idx)
    assert tfidf.rows([""])[0][0].size == 0


def test_split_passages_cuts_long_lines_only():
    assert split_passages("سطر أول.\n\n سطر ثان. ") == ["سطر أول.", "سطر ثان."]
    long_line = "جملة قصيرة هنا. " * 40
    assert len(split_passages(long_line)) == 40


def test_number_mismatch_reads_thousands_separators():
    assert number_mismatch("غادر 60,000 شخص المدينة", "غادر ستون ألفا، أي 60000 شخص") == ([], [])
    assert number_mismatch("غادر 6,000 شخص", "غادر 60,000 شخص") == ([6000.0], [60000.0])
    assert number_mismatch("نسبة 2.5 في المئة", "نسبة 2.5 في المئة") == ([], [])


def test_linear_head_round_trip():
    rng = np.random.default_rng(0)
    head = LinearHead(("a", "b", "c"), rng.normal(size=(4, 3)), rng.normal(size=3), np.zeros(4), np.ones(4),
                      rng.normal(size=(16, 3)).astype(np.float32), np.array([0.5, 0.0]))
    back = LinearHead.from_arrays(head.to_arrays("h"), "h")
    x = rng.normal(size=(5, 4))
    rows = [(np.array([1, 5]), np.array([0.6, 0.8], dtype=np.float32))] * 5
    assert back.proba(x, rows) == pytest.approx(head.proba(x, rows), abs=1e-3)
    assert back.proba(x, rows).sum(1) == pytest.approx(np.ones(5))


def test_stance_unrelated_comes_from_the_relatedness_head(trained, encoder):
    model = LearnedStance.pretrained(trained, encoder=encoder)
    claim, texts = "افتتاح الجسر في حلب بعد 3 أيام", ["تم افتتاح الجسر في حلب", "فاز الفريق بالمباراة"]
    vecs = encoder.encode([claim] * 2 + texts)
    dense, sparse = model.sentence_inputs([claim] * 2, texts, vecs[:2], vecs[2:])
    unrelated = model.relatedness_head.proba(dense, sparse)[:, 1]
    probs = model.sentence_proba([claim] * 2, texts)
    assert probs[:, 3] == pytest.approx(unrelated)
    assert probs[:, :3] / (1 - unrelated[:, None]) == pytest.approx(model.sentence_head.proba(dense, sparse))
    assert probs[1, 3] > 0.5 > probs[0, 3]


def test_learned_worthiness_keeps_clearly_checkable_claims():
    class Zero:  # an encoder giving every text the same vector: the head alone cannot rescue these
        def encode(self, texts):
            return np.zeros((len(texts), 384), dtype=np.float32)

    model = LearnedWorthiness.pretrained(encoder=Zero())
    checkable = ["قسد افرجت عن مئات من عناصر داعش العرب في دير الزور",
                 "ترامب طلب من حكومات أوروبية استعادة ألفي مقاتل من عناصر داعش"]
    scores = model.score(checkable + ["صباح الخير يا أصدقاء"])
    assert all(s >= model.threshold for s in scores[:2]) and scores[2] < model.threshold
