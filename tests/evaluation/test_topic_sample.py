"""The hand-labelled topic sample (ids and labels only) and the scoring of the topic evaluation."""
from __future__ import annotations

from collections import Counter

import pytest

from tabayyun.evaluation.topics import calibration_error, default_sample, load_sample, prf
from tabayyun.organise.topics import subject_ids
from tabayyun.organise.train import calibration_set, load_ant

from tests.conftest import SHARED


def test_sample_covers_the_17_subjects_with_unique_articles():
    rows = load_sample(default_sample())
    assert len(rows) >= 300 and len({md5 for md5, *_ in rows}) == len(rows)
    counts = Counter(s for *_, s in rows)
    assert set(counts) == set(subject_ids()) and min(counts.values()) >= 9
    assert {drawn for _, _, drawn, _ in rows} == {"random", "targeted"}


def test_sample_articles_are_ant_dev_or_test_never_train():
    rows = load_sample(default_sample())
    ant = {a.md5: a for a in load_ant(SHARED / "data", ("train", "dev", "test"))}
    for md5, docno, _, _ in rows:
        assert ant[md5].split in ("dev", "test") and ant[md5].docno == docno


def test_prf_by_hand():
    r = prf(["a", "a", "b", "c"], ["a", "b", "b", "b"], ["a", "b", "c"])
    assert r["per_label"]["a"] == {"precision": 1.0, "recall": 0.5, "f1": pytest.approx(2 / 3), "support": 2}
    assert r["per_label"]["b"]["precision"] == pytest.approx(1 / 3) and r["per_label"]["b"]["recall"] == 1.0
    assert r["per_label"]["c"]["f1"] == 0.0
    assert r["macro_f1"] == pytest.approx((2 / 3 + 0.5 + 0) / 3) and r["accuracy"] == 0.5


def test_calibration_error_by_hand():
    assert calibration_error([0.95, 0.95, 0.55, 0.55], [1, 1, 1, 0]) == pytest.approx((2 * 0.05 + 2 * 0.05) / 4)
    assert calibration_error([0.9] * 10, [1] * 9 + [0]) == pytest.approx(0.0)


def test_calibration_articles_are_dev_and_outside_the_sample():
    calib = calibration_set(SHARED / "data")
    assert len(calib) >= 100 and {a.split for a, _ in calib} == {"dev"}
    assert not {a.md5 for a, _ in calib} & {md5 for md5, *_ in load_sample(default_sample())}
    assert {s for _, s in calib} <= set(subject_ids())
