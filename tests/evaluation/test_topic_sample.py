"""The hand-labelled topic samples (ids and labels only: samples D and C, the TEST sample and the DEV sample) and the
scoring of the topic evaluation."""
from __future__ import annotations

from collections import Counter
from importlib.resources import files

import pytest

from tabayyun.evaluation.topics import (SAMPLE_C_SIZES, SAMPLE_D_QUOTA, SAMPLE_D_RANDOM, SAMPLE_D_SCREEN,
                                        SAMPLE_D_SEED, TEST_PREFIX, TEST_SEED, calibration_error, default_sample,
                                        default_sample_c, default_sample_d, default_test_sample, draw_order,
                                        load_sample, prf, render_topics, sample_c_order, sample_d_order)
from tabayyun.organise.topics import subject_ids
from tabayyun.organise.train import calibration_set, load_ant

from tests.conftest import SHARED


@pytest.fixture(scope="module")
def ant():
    return {a.md5: a for a in load_ant(SHARED / "data", ("train", "dev", "test"))}


def test_test_sample_has_300_labels_over_the_17_subjects_from_ant_test(ant):
    rows = load_sample(default_test_sample())
    everything = load_sample(default_test_sample(), passed_over=True)
    assert len(rows) >= 300 and len({md5 for md5, *_ in everything}) == len(everything)
    assert set(Counter(s for *_, s in rows)) == set(subject_ids())
    assert {s for *_, s in everything} - set(subject_ids()) <= {"-"}
    for md5, docno, _, _ in everything:
        assert ant[md5].split == "test" and ant[md5].docno == docno


def test_test_sample_shares_no_article_nor_title_with_the_dev_sample_or_calibration(ant):
    test = load_sample(default_test_sample(), passed_over=True)
    dev = load_sample(default_sample())
    assert not {md5 for md5, *_ in test} & {md5 for md5, *_ in dev}
    assert not {ant[md5].title.strip() for md5, *_ in test} & {ant[md5].title.strip() for md5, *_ in dev}
    assert not {md5 for md5, *_ in test} & {a.md5 for a, _ in calibration_set(SHARED / "data")}


def test_test_sample_is_a_prefix_of_each_strata_seeded_draw():
    assert TEST_SEED == 20261128
    order = draw_order(SHARED / "data", load_sample(default_sample()))
    rows = load_sample(default_test_sample(), passed_over=True)
    strata = Counter(drawn for _, _, drawn, _ in rows)
    assert strata == {"world": 400, "economy": 85, "technology": 85, "culture": 79, "sport": 55}
    for name, n in strata.items():
        assert [md5 for md5, _, drawn, _ in rows if drawn == name] == [a.md5 for a in order[name][:n]]
    assert all(set(a.categories) <= {"middleEast", "internationalNews"} for a in order["world"])
    assert all(name in a.categories for name in ("economy", "technology", "culture", "sport") for a in order[name])


def test_sample_c_is_a_prefix_of_the_continued_draw_with_its_fixed_sizes(ant):
    order = sample_c_order(SHARED / "data")
    rows = load_sample(default_sample_c(), passed_over=True)
    assert len(load_sample(default_sample_c())) >= 300
    assert Counter(drawn for _, _, drawn, _ in rows) == SAMPLE_C_SIZES
    for name, n in SAMPLE_C_SIZES.items():
        assert [md5 for md5, _, drawn, _ in rows if drawn == name] == [a.md5 for a in order[name][:n]]
    # the four test strata continue the test sample's draw: none of its prefix comes back
    test = draw_order(SHARED / "data", load_sample(default_sample()))
    for name, n in TEST_PREFIX.items():
        assert not {a.md5 for a in order[name]} & {a.md5 for a in test[name][:n]}
    for md5, docno, drawn, subject in rows:
        a = ant[md5]
        assert a.docno == docno and a.split == ("dev" if drawn == "culture_dev" else "test")
        assert subject == "-" or subject in subject_ids()
    assert all([c for c in ant[md5].categories if c in ("culture", "economy", "sport", "technology")] == ["culture"]
               for md5, _, drawn, _ in rows if drawn == "culture_dev")


def test_sample_c_shares_no_article_nor_title_with_any_other_sample_calibration_or_training_labels(ant):
    from tabayyun.organise.train import hand_labels

    c = {md5 for md5, *_ in load_sample(default_sample_c(), passed_over=True)}
    others = {md5 for md5, *_ in load_sample(default_test_sample(), passed_over=True)}
    others |= {md5 for md5, *_ in load_sample(default_sample(), passed_over=True)}
    others |= {a.md5 for a, _ in calibration_set(SHARED / "data")}
    others |= set(hand_labels()) | set(hand_labels("topic_training_labels_s8.tsv"))
    assert len(others) > 2500 and not c & others
    assert not {ant[md5].title.strip() for md5 in c} & {ant[md5].title.strip() for md5 in others}


def test_sample_d_is_its_orders_random_prefix_and_the_takes_of_its_title_screening(ant):
    assert SAMPLE_D_SEED != TEST_SEED  # a seed of its own
    order = sample_d_order(SHARED / "data")
    rows = load_sample(default_sample_d(), passed_over=True)
    labelled = load_sample(default_sample_d())
    assert len(labelled) >= 300 and set(s for *_, s in labelled) == set(subject_ids())
    assert [md5 for md5, _, part, _ in rows if part == "random"] == [a.md5 for a in order[:SAMPLE_D_RANDOM]]
    screened = [line.split("\t") for line in (default_sample_d().parent / "topics_sample_d_screened.tsv")
                .read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    assert [int(pos) for pos, *_ in screened] == list(range(SAMPLE_D_RANDOM, SAMPLE_D_RANDOM + SAMPLE_D_SCREEN))
    assert all(order[int(pos)].md5 == md5 and order[int(pos)].docno == docno for pos, md5, docno, _, _ in screened)
    # the quota rule replayed on the recorded title judgments: a pointed subject is taken while under the quota
    held = Counter(s for _, _, part, s in rows if part == "random" and s != "-")
    for _, _, _, pointed, taken in screened:
        assert pointed == "-" or pointed in subject_ids()
        expected = "no" if pointed == "-" else "yes" if held[pointed] < SAMPLE_D_QUOTA else "full"
        held[pointed] += expected == "yes"
        assert taken == expected
    takes = [md5 for _, md5, _, _, taken in screened if taken == "yes"]
    assert [md5 for md5, _, part, _ in rows if part == "quota"] == takes and takes
    for md5, docno, part, subject in rows:
        assert ant[md5].split in ("dev", "test") and ant[md5].docno == docno and part in ("random", "quota")
        assert subject == "-" or subject in subject_ids()


def test_sample_d_shares_no_article_nor_title_with_earlier_samples_calibration_training_labels_or_ant_train(ant):
    from tabayyun.organise.train import hand_labels

    d = {md5 for md5, *_ in load_sample(default_sample_d(), passed_over=True)}
    others = {md5 for path in (default_sample_c(), default_test_sample(), default_sample())
              for md5, *_ in load_sample(path, passed_over=True)}
    others |= {a.md5 for a, _ in calibration_set(SHARED / "data")}
    others |= set(hand_labels()) | set(hand_labels("topic_training_labels_s8.tsv"))
    others |= {md5 for md5, a in ant.items() if a.split == "train"}
    assert len(others) > 25000 and not d & others
    assert not {ant[md5].title.strip() for md5 in d} & {ant[md5].title.strip() for md5 in others}


def test_dev_sample_covers_the_17_subjects_with_unique_articles():
    rows = load_sample(default_sample())
    assert len(rows) >= 300 and len({md5 for md5, *_ in rows}) == len(rows)
    counts = Counter(s for *_, s in rows)
    assert set(counts) == set(subject_ids()) and min(counts.values()) >= 9
    assert {drawn for _, _, drawn, _ in rows} == {"random", "targeted"}


def test_dev_sample_articles_are_ant_dev_or_test_never_train(ant):
    rows = load_sample(default_sample())
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


def test_render_labels_the_test_and_dev_samples_and_their_macro_f1():
    ids = subject_ids()

    def sample(gold, pred, part):
        r = {"all": prf(gold, pred, ids), "in_top3": 1.0, "mean_confidence": 0.9, "ece": 0.1}
        r[part] = prf(gold[:2], pred[:2], ids)
        return r

    four = prf(["sport", "arts"], ["sport", "sport"], ["arts", "economy", "science", "sport"])
    out = render_topics({"sample_d": sample(["weather", "crime", "arts"], ["weather", "arts", "arts"], "random"),
                         "sample_d_passed_over": 2,
                         "sample_c": sample(["arts", "crime"], ["arts", "arts"], "world"), "sample_c_passed_over": 7,
                         "test": sample(["sport", "politics", "crime"], ["sport", "politics", "politics"], "world"),
                         "test_passed_over": 4, "dev": sample(list(ids), list(ids), "random"),
                         "ant_test_first_of_17": four, "ant_test_best_of_4": four, "ant_test_baseline": four})
    d_part, out = out.split("SAMPLE C")
    assert d_part.startswith("SAMPLE D (3 ANT dev/test articles") and "2 more passed over" in d_part
    assert "the random part is the random figure" in d_part and "Random part (2 articles)" in d_part
    macro17 = prf(["weather", "crime"], ["weather", "arts"], ids)["macro_f1"]  # weather 1, crime 0, arts 0 (predicted)
    assert f"over the 2 subjects it holds 0.500 (over the 17, an absent subject counted 0: {macro17:.3f})" in d_part
    out = "SAMPLE C" + out
    c_part, rest = out.split("TEST sample")
    test_part, dev_part = rest.split("DEV sample")
    assert c_part.startswith("SAMPLE C (2 ANT test and dev articles") and "the blind sample" in c_part
    assert "7 more passed over" in c_part and "over the 2 subjects it holds: **0.333**" in c_part  # arts 2/3, crime 0
    assert test_part.startswith(" (3 ANT test articles") and "4 more passed over" in test_part
    assert "development set" in test_part
    macro17 = prf(['sport', 'politics', 'crime'], ['sport', 'politics', 'politics'], ids)['macro_f1']
    assert f"over the 3 subjects it holds: **0.556** (over the 17, an absent subject counted 0: {macro17:.3f})" in test_part
    assert "| crime | 0.000 | 0.000 | 0.000 | 1 |" in test_part and "World stratum (2 articles)" in test_part
    assert dev_part.startswith(" (17 ANT dev/test articles") and "Random part (2 articles)" in dev_part
    assert "Macro-F1 over the 17: **1.000**" in dev_part  # every subject held: the 17 are the headline


@pytest.mark.parametrize("name, least, rare", [
    ("topic_training_labels.tsv", 600, ("education", "environment", "religion", "weather", "labour", "society")),
    ("topic_training_labels_s8.tsv", 800, ("education", "religion", "weather", "labour", "society"))])
def test_training_hand_labels_are_ant_train_articles_apart_from_every_evaluation_article(ant, name, least, rare):
    from tabayyun.organise.train import hand_labels

    labels = hand_labels(name)
    counts = Counter(labels.values())
    assert len(labels) >= least and set(counts) <= set(subject_ids())
    assert counts["human_interest"] >= 60 and min(counts[s] for s in rare) >= 14
    text = files("tabayyun.organise").joinpath("data", name).read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    assert len(rows) == len(labels)  # one row per article
    assert all(ant[md5].split == "train" and ant[md5].docno == docno for md5, docno, _ in rows)
    held_out = {a.md5 for a in ant.values() if a.split != "train"}
    held_out |= {md5 for md5, *_ in load_sample(default_test_sample(), passed_over=True)}
    held_out |= {md5 for md5, *_ in load_sample(default_sample())} | {a.md5 for a, _ in calibration_set(SHARED / "data")}
    assert not set(labels) & held_out
    held_out_titles = {ant[md5].title.strip() for md5 in held_out}
    assert not {ant[md5].title.strip() for md5 in labels} & held_out_titles


def test_the_two_training_label_files_share_no_article():
    from tabayyun.organise.train import hand_labels

    assert not set(hand_labels()) & set(hand_labels("topic_training_labels_s8.tsv"))
