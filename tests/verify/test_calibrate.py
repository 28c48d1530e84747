"""The confidence of a decided verdict is a calibrated probability: fitted on the corpora pooled, never above a
corpus' own share, monotone in the raw score, within 0.5 and 0.99, shipped as a versioned artefact; labels never move."""
import json
import shutil

import pytest

from tabayyun.errors import TabayyunError
from tabayyun.records import Claim, Document, Evidence, Sentence
from tabayyun.verify import RuleVerdict
from tabayyun.verify.calibrate import (CONFIDENCE_VERSION, Calibration, ConfidenceFeatures, confidence_features,
                                       ece, fit)


def _evidence(stance, p, text="جملة", source="مصدر", mismatches=()):
    probs = {s: (p if s == stance else (1 - p) / 3) for s in ("agree", "disagree", "discuss", "unrelated")}
    return Evidence(sentence=Sentence(1, source, 0, text), document=Document(source, text, source=source),
                    score=0.9, stance=stance, stance_probs=probs, mismatches=list(mismatches))


def _f(group_label, score, signal="statement", relevance=1.0):
    return ConfidenceFeatures(group_label, score, signal, relevance)


def test_features_name_the_deciding_signal_and_its_relevance():
    stated = _evidence("agree", 0.9, "دخل الجيش المدينة")
    stated.score = 0.6
    f = confidence_features("supported", 0.8, [stated, _evidence("agree", 0.7)])
    assert (f.group, f.relevance, f.strength) == ("statement", 0.6, pytest.approx(0.48))  # the strongest decides
    number = _evidence("disagree", 0.9, mismatches=["number mismatch: claim 5, evidence 7"])
    denial = _evidence("disagree", 0.8, mismatches=["denied: the evidence says «نفى»"])
    assert confidence_features("refuted", 0.8, [number, denial]).group == "figure"
    assert confidence_features("refuted", 0.8, [denial]).group == "denial"
    actor = _evidence("disagree", 0.9, mismatches=["actor mismatch: claim a, evidence b"])
    assert confidence_features("refuted", 0.8, [actor]).group == "mismatch"


def test_fit_pools_the_corpora_never_promises_a_corpus_more_than_it_gets_and_stays_within_floor_and_ceiling():
    careful = [(_f("supported", s), True) for s in (0.65, 0.75, 0.85, 0.95) for _ in range(30)]
    loose = ([(_f("supported", 0.75), ok) for ok in [True] * 12 + [False] * 8]
             + [(_f("supported", 0.95), ok) for ok in [True] * 16 + [False] * 4]
             + [(_f("supported", 0.85), ok) for ok in [True] * 5 + [False] * 15])  # worse than below: pooled
    cal = fit({"careful": careful, "loose": loose}, (0.0, 0.7, 0.8, 0.9), z=1.0, min_n=5, undecided=(30, 40))
    at, value = cal.steps["statement"]
    assert at == (0.0, 0.7, 0.8, 0.9) and list(value) == sorted(value)
    # pooled, 46 of 50 right would read about 0.88; the loose corpus is right 16 of 20 there: its share, not the
    # pooled estimate, nor (as the worst-corpus rule read it) its lower bound of about 0.71
    assert value[-1] == pytest.approx(0.8)
    assert min(value) >= 0.5  # the 0.8-0.9 bin (5 of 20 right in the loose corpus) is pooled and floored
    assert cal.confidence(_f("supported", 0.99)) == value[-1] and cal.confidence(_f("supported", 0.1)) == value[0]
    assert cal.confidence(_f("refuted", 0.77, "denied")) == 0.77  # a group never fitted keeps its raw score
    assert cal.confidence(_f("supported", 0.95, relevance=0.5)) == value[0]  # weak relevance: a weak verdict
    assert 0.6 < cal.undecided < 0.75  # 30 of 40, one standard error down
    sure = fit({"news": [(_f("supported", 0.95), True)] * 400 + [(_f("supported", 0.65), True)] * 3},
               (0.0, 0.7, 0.9), z=1.0, min_n=5)
    # every one right is no certainty; a bin of 3 verdicts is too few to read: it takes the value below (the floor)
    assert sure.steps["statement"][1] == (0.5, 0.5, 0.99)


def test_ece():
    assert ece([(0.9, True)] * 9 + [(0.9, False)]) == pytest.approx(0.0)
    assert ece([(0.95, True), (0.55, True)]) == pytest.approx(0.25)
    assert ece([]) == 0.0


def test_calibration_moves_confidences_never_labels():
    raw = RuleVerdict(Calibration.identity())
    flat = RuleVerdict(Calibration({g: ((0.0,), (0.6,)) for g in ("statement", "figure", "denial", "mismatch")}, 0.55))
    claim = Claim("ادعاء")
    cases = [[_evidence("agree", 0.9)], [_evidence("disagree", 0.9, mismatches=["number mismatch: claim 1, evidence 2"])],
             [_evidence("agree", 0.9), _evidence("disagree", 0.88)], [_evidence("agree", 0.85), _evidence("disagree", 0.6)],
             [_evidence("discuss", 0.7)], []]
    for evidence in cases:
        (label, before, _), (same, after, _) = raw.decide(claim, evidence), flat.decide(claim, evidence)
        assert label == same
        if label in ("supported", "refuted"):
            assert after == 0.6 and before != after
        elif label == "not_enough_evidence":  # one value: how often such a verdict's base truly decides nothing
            assert after == 0.55 and before >= 0.5
        else:
            assert after == before <= 0.5
    assert raw.decide(claim, [_evidence("agree", 0.9)])[1] == pytest.approx(0.9)  # the raw rule, as before


def test_the_shipped_calibration_is_monotone_and_decided_verdicts_stay_at_or_over_half():
    cal = Calibration.pretrained()
    assert set(cal.steps) == {"statement", "figure", "denial", "mismatch"}
    for at, value in cal.steps.values():
        assert list(at) == sorted(at) and list(value) == sorted(value) and 0.5 <= value[0] and value[-1] < 1
    claim = Claim("ادعاء")
    label, confidence, _ = RuleVerdict().decide(claim, [_evidence("agree", 0.6)])
    assert label == "supported" and confidence >= 0.5
    # a strong paraphrase in a sentence barely relevant to the claim no longer claims its raw 0.95
    weak = _evidence("agree", 0.95)
    weak.score = 0.55
    assert RuleVerdict().decide(claim, [weak])[1] < 0.8
    # a contradiction (another actor) by a sentence about the claim reads as often right as such refutations are in
    # every development corpus, not as the coin flip the worst corpus' lower bound made of it
    actor = _evidence("disagree", 0.9, mismatches=["actor mismatch: claim a, evidence b"])
    actor.score = 0.98
    label, confidence, _ = RuleVerdict().decide(claim, [actor])
    assert label == "refuted" and 0.8 < confidence < 1


def test_a_calibration_of_another_version_is_refused(tmp_path):
    from importlib import resources

    shipped = resources.files("tabayyun.models") / "artefacts"
    for suffix in ("json", "npz"):
        shutil.copy(shipped / f"confidence.{suffix}", tmp_path / f"confidence.{suffix}")
    meta = json.loads((tmp_path / "confidence.json").read_text(encoding="utf-8"))
    assert meta["version"] == CONFIDENCE_VERSION and "controls" in meta["fitted_on"]
    Calibration.pretrained(tmp_path)
    (tmp_path / "confidence.json").write_text(json.dumps({**meta, "version": CONFIDENCE_VERSION + 1}), encoding="utf-8")
    with pytest.raises(TabayyunError, match="confidence model .* version"):
        Calibration.pretrained(tmp_path)
