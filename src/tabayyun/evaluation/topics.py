"""Evaluation of the topic classifier (``tabayyun eval --part topics``; needs ``../shared/data``).

1. Four hand-labelled samples (guide and drawing in ``docs/topics-labelling.md``): SAMPLE D
   (``tests/organise/topics_sample_d.tsv``: ANT dev/test articles in the order of ``sample_d_order``, a random part and
   a part screened by title to bring every subject towards a quota, labelled blind; scored only to report), SAMPLE C
   (``tests/organise/topics_sample_c.tsv``: the continuation of the test sample's draw, ``sample_c_order``,
   labelled blind; the honest figure since the ninth session, scored only to report), the TEST sample
   (``tests/organise/topics_test_sample.tsv``: ANT test articles drawn by ``draw_order``, labelled blind; scored
   by two sessions, a development set since the ninth) and the DEV sample (``tests/organise/topics_dev_sample.tsv``:
   scored while labels and model changed, so its figures are optimistic). For each, per-subject
   precision/recall/F1 of the first topic and macro-F1 over the 17 (and over the subjects it holds, when one has
   no article), on the whole sample and on one part (the random part of samples D and of the dev sample, the world
   stratum of sample C and of the test sample).
2. ANT test, the four categories that map onto subjects (one distinct text each, texts filed under two
   categories left out): accuracy and macro-F1 of the first topic out of the 17, of the best of the four
   subjects, and of a baseline trained on ANT train for these four classes only (scikit-learn TF-IDF of
   character 2-5-grams + logistic regression, on the same title + lead).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import numpy as np

from tabayyun.organise.topics import TopicClassifier, model_text, subject_ids
from tabayyun.organise.train import MAPPED, AntArticle, load_ant, single_mapped

_FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "organise"
TEST_SEED = 20261128
#: how many articles of each ``draw_order`` stratum the test sample took (its prefix)
TEST_PREFIX = {"world": 400, "economy": 85, "technology": 85, "sport": 55}
#: how many articles of each ``sample_c_order`` stratum sample C takes (fixed before drawing)
SAMPLE_C_SIZES = {"world": 200, "economy": 40, "technology": 40, "sport": 25, "culture_dev": 40}
SAMPLE_D_SEED = 20261208
#: sample D: the random part (a prefix of ``sample_d_order``), the quota per subject and the most titles screened
SAMPLE_D_RANDOM, SAMPLE_D_QUOTA, SAMPLE_D_SCREEN = 280, 10, 1200

__all__ = ["eval_topics", "default_test_sample", "default_sample_c", "draw_order", "sample_c_order", "TEST_SEED",
           "SAMPLE_C_SIZES", "sample_d_order", "default_sample_d", "SAMPLE_D_SEED", "SAMPLE_D_RANDOM",
           "SAMPLE_D_QUOTA", "SAMPLE_D_SCREEN", "TEST_PREFIX", "render_topics", "default_sample", "load_sample",
           "prf", "calibration_error"]


def default_sample() -> Path:
    """The dev sample: hand-labelled, shipped with the tests (repository checkout only); scored while the
    labels and the model changed, so its figures are optimistic."""
    return _FIXTURES / "topics_dev_sample.tsv"


def default_test_sample() -> Path:
    """The test sample: drawn by ``draw_order``, labelled blind, scored only to report."""
    return _FIXTURES / "topics_test_sample.tsv"


def default_sample_c() -> Path:
    """Sample C: the continuation of ``draw_order`` (``sample_c_order``), labelled blind; the honest figure since
    the ninth session."""
    return _FIXTURES / "topics_sample_c.tsv"


def default_sample_d() -> Path:
    """Sample D: ``sample_d_order``'s random prefix and the articles screened by title for the rare subjects, labelled
    blind (``docs/topics-labelling.md``, "Sample D")."""
    return _FIXTURES / "topics_sample_d.tsv"


def draw_order(data_dir: Path, dev: Sequence[tuple[str, str, str, str]]) -> dict[str, list[AntArticle]]:
    """The order in which test-sample articles are drawn, per stratum: ANT test texts (one per ``text_md5``)
    that are not in the dev sample ``dev`` (by hash or title), in stratum ``world`` (filed only
    under ``middleEast``/``internationalNews``) or in the one mapped category they are filed under (texts filed
    under two mapped categories left out), each stratum shuffled with ``TEST_SEED``."""
    dev_md5 = {md5 for md5, *_ in dev}
    ant = load_ant(data_dir, ("train", "dev", "test"))
    seen_titles = {a.title.strip() for a in ant if a.md5 in dev_md5}
    strata: dict[str, list[AntArticle]] = {"world": [], **{c: [] for c in sorted(MAPPED)}}
    for a in ant:
        if a.split != "test" or a.md5 in dev_md5 or a.title.strip() in seen_titles:
            continue
        mapped = [c for c in a.categories if c in MAPPED]
        if len(mapped) <= 1:
            strata[mapped[0] if mapped else "world"].append(a)
    rng = np.random.default_rng(TEST_SEED)
    return {name: [arts[i] for i in rng.permutation(len(arts))] for name, arts in strata.items()}


def sample_c_order(data_dir: Path) -> dict[str, list[AntArticle]]:
    """The order in which sample C is drawn (``docs/topics-labelling.md``, "Sample C"): each test stratum of
    ``draw_order`` after the test sample's prefix (``TEST_PREFIX``), and ``culture_dev`` (ANT dev texts filed under
    culture alone of the mapped categories, not in the dev sample or calibration set, shuffled with ``TEST_SEED``);
    an article whose hash or title is that of a dev, test, calibration or training-label article is skipped."""
    from tabayyun.organise.train import calibration_set, hand_labels

    dev = load_sample(default_sample(), passed_over=True)
    seen = {md5 for md5, *_ in dev} | {md5 for md5, *_ in load_sample(default_test_sample(), passed_over=True)}
    seen |= {a.md5 for a, _ in calibration_set(data_dir)}
    seen |= set(hand_labels()) | set(hand_labels("topic_training_labels_s8.tsv"))
    ant = load_ant(data_dir, ("train", "dev", "test"))
    seen_titles = {a.title.strip() for a in ant if a.md5 in seen}

    def fresh(arts: Sequence[AntArticle]) -> list[AntArticle]:
        return [a for a in arts if a.md5 not in seen and a.title.strip() not in seen_titles]

    test = draw_order(data_dir, dev)
    order = {name: fresh(test[name][n:]) for name, n in TEST_PREFIX.items()}
    culture = [a for a in ant if a.split == "dev" and [c for c in a.categories if c in MAPPED] == ["culture"]]
    order["culture_dev"] = fresh([culture[i] for i in np.random.default_rng(TEST_SEED).permutation(len(culture))])
    return order


def sample_d_order(data_dir: Path) -> list[AntArticle]:
    """The order in which sample D is drawn (``docs/topics-labelling.md``, "Sample D"): ANT dev and test texts (one
    per ``text_md5``) whose hash or title is not that of a dev-sample, test-sample, sample-C, calibration or
    training-label article and whose title is not an ANT train title, all sections together, shuffled with
    ``SAMPLE_D_SEED``."""
    from tabayyun.organise.train import calibration_set, hand_labels

    seen = {md5 for path in (default_sample(), default_test_sample(), default_sample_c())
            for md5, *_ in load_sample(path, passed_over=True)}
    seen |= {a.md5 for a, _ in calibration_set(data_dir)}
    seen |= set(hand_labels()) | set(hand_labels("topic_training_labels_s8.tsv"))
    ant = load_ant(data_dir, ("train", "dev", "test"))
    seen_titles = {a.title.strip() for a in ant if a.md5 in seen or a.split == "train"}
    pool = [a for a in ant if a.split != "train" and a.md5 not in seen and a.title.strip() not in seen_titles]
    return [pool[i] for i in np.random.default_rng(SAMPLE_D_SEED).permutation(len(pool))]


def load_sample(path: Path, passed_over: bool = False) -> list[tuple[str, str, str, str]]:
    """(text_md5, docno, drawn, subject) rows of a sample file; rows passed over by the reader (subject ``-``)
    only when ``passed_over``."""
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            md5, docno, drawn, subject = line.split("\t")
            if subject != "-" or passed_over:
                rows.append((md5, docno, drawn, subject))
    return rows


def prf(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    """Per-label precision/recall/F1/support, macro-F1 over ``labels`` and accuracy."""
    g, p = np.asarray(gold), np.asarray(pred)
    per: dict[str, dict[str, float]] = {}
    for lab in labels:
        tp = float(np.sum((g == lab) & (p == lab)))
        prec = tp / max(1.0, float(np.sum(p == lab)))
        rec = tp / max(1.0, float(np.sum(g == lab)))
        per[lab] = {"precision": prec, "recall": rec, "f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0,
                    "support": int(np.sum(g == lab))}
    return {"per_label": per, "macro_f1": float(np.mean([v["f1"] for v in per.values()])),
            "accuracy": float(np.mean(g == p)) if len(g) else 0.0, "n": len(g)}


def calibration_error(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error: the support-weighted gap between mean confidence and accuracy per bin."""
    confidence, correct = np.asarray(confidence, float), np.asarray(correct, float)
    which = np.minimum((confidence * bins).astype(int), bins - 1)
    return float(sum(abs(confidence[which == b].mean() - correct[which == b].mean()) * np.sum(which == b)
                     for b in range(bins) if np.any(which == b)) / max(1, len(confidence)))


def _first_topics(model: TopicClassifier, articles: Sequence[AntArticle]) -> np.ndarray:
    return model.proba([a.text for a in articles], [a.title for a in articles])


def _baseline(train: Sequence[AntArticle], test: Sequence[AntArticle], max_chars: int) -> list[str]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)
    x = vec.fit_transform([model_text(a.text, a.title, max_chars) for a in train])
    clf = LogisticRegression(C=10.0, max_iter=1000).fit(x, [MAPPED[a.categories[0]] for a in train])
    return list(clf.predict(vec.transform([model_text(a.text, a.title, max_chars) for a in test])))


def _score(model: TopicClassifier, rows: Sequence[tuple[str, str, str, str]], by_md5: dict[str, AntArticle],
           parts: Sequence[str] = ()) -> dict[str, Any]:
    """The first topic against the labels of ``rows``: every figure of one sample, and of each ``drawn`` value
    in ``parts`` alone."""
    ids = subject_ids()
    missing = [md5 for md5, *_ in rows if md5 not in by_md5]
    if missing:
        raise ValueError(f"{len(missing)} sample articles not in ANT dev/test (first: {missing[0]})")
    probs = _first_topics(model, [by_md5[md5] for md5, *_ in rows])
    gold = [s for *_, s in rows]
    pred = [ids[i] for i in probs.argmax(1)]
    top3 = np.argsort(-probs, axis=1)[:, :3]
    out: dict[str, Any] = {
        "all": prf(gold, pred, ids),
        "in_top3": float(np.mean([ids.index(g) in t for g, t in zip(gold, top3)])),
        "mean_confidence": float(probs.max(1).mean()),
        "ece": calibration_error(probs.max(1), np.array(gold) == np.array(pred))}
    for part in parts:
        keep = [i for i, row in enumerate(rows) if row[2] == part]
        out[part] = prf([gold[i] for i in keep], [pred[i] for i in keep], ids)
    return out


def eval_topics(data_dir: Path, dev: Path | None = None, test: Path | None = None, sample_c: Path | None = None,
                sample_d: Path | None = None, model: TopicClassifier | None = None) -> dict[str, Any]:
    """Every figure of the Topics section of EVALUATION.md."""
    model = model or TopicClassifier.pretrained()
    ids = subject_ids()
    by_md5 = {a.md5: a for a in load_ant(data_dir, ("dev", "test"))}
    out: dict[str, Any] = {"dev": _score(model, load_sample(dev or default_sample()), by_md5, ("random",))}
    for key, path, part in (("sample_d", sample_d or default_sample_d(), "random"),
                            ("sample_c", sample_c or default_sample_c(), "world"),
                            ("test", test or default_test_sample(), "world")):
        rows = load_sample(path)
        out[key] = _score(model, rows, by_md5, (part,))
        out[f"{key}_passed_over"] = len(load_sample(path, passed_over=True)) - len(rows)
    four = sorted(set(MAPPED.values()))
    ant_test = single_mapped(load_ant(data_dir, ("test",)))
    tgold = [MAPPED[a.categories[0]] for a in ant_test]
    tp = _first_topics(model, ant_test)
    cols = [ids.index(s) for s in four]
    out["ant_test_first_of_17"] = prf(tgold, [ids[i] for i in tp.argmax(1)], four)
    out["ant_test_best_of_4"] = prf(tgold, [four[i] for i in tp[:, cols].argmax(1)], four)
    out["ant_test_baseline"] = prf(tgold, _baseline(single_mapped(load_ant(data_dir, ("train",))), ant_test,
                                                    model.max_chars), four)
    return out


def _sample_table(title: str, r: dict[str, Any], part: str, part_name: str) -> list[str]:
    s, sub = r["all"], r[part]
    lines = [title + "\n", f"| subject | precision | recall | F1 | support | F1 ({part_name}) | support ({part_name}) |",
             "|---|---|---|---|---|---|---|"]
    for lab, v in s["per_label"].items():
        w = sub["per_label"][lab]
        lines.append(f"| {lab} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} | {v['support']} | "
                     f"{w['f1']:.3f} | {w['support']} |")
    present = [lab for lab, v in sub["per_label"].items() if v["support"]]
    sub_macro = f"macro-F1 over the {len(present)} subjects it holds {_macro_held(sub):.3f}"
    if len(present) < len(sub["per_label"]):
        sub_macro += f" (over the 17, an absent subject counted 0: {sub['macro_f1']:.3f})"
    held = [lab for lab, v in s["per_label"].items() if v["support"]]
    macro = f"Macro-F1 over the 17: **{s['macro_f1']:.3f}**"
    if len(held) < len(s["per_label"]):  # a subject with no article has no recall to measure
        macro = (f"Macro-F1 over the {len(held)} subjects it holds: **{_macro_held(s):.3f}** (over the 17, an "
                 f"absent subject counted 0: {s['macro_f1']:.3f})")
    return lines + ["", f"{macro}, accuracy {s['accuracy']:.3f}, label among the "
                        f"first three topics {r['in_top3']:.3f}; mean probability of the first topic "
                        f"{r['mean_confidence']:.3f}, expected calibration error {r['ece']:.3f}. {part_name.capitalize()} "
                        f"({sub['n']} articles): accuracy {sub['accuracy']:.3f}, {sub_macro}.", ""]


def _macro_held(r: dict[str, Any]) -> float:
    """Macro-F1 over the subjects with at least one labelled article in ``r`` (a ``prf`` result)."""
    return float(np.mean([v["f1"] for v in r["per_label"].values() if v["support"]]))


def render_topics(r: dict[str, Any]) -> str:
    """Markdown tables of ``eval_topics``."""
    lines = _sample_table(f"SAMPLE D ({r['sample_d']['all']['n']} ANT dev/test articles labelled blind, "
                          f"{r['sample_d_passed_over']} more passed over: a random part and a part screened by title "
                          "to bring each subject towards 10 articles, which raises the rare subjects' share and so their "
                          "precision compared with a random draw: the random part is the random figure):",
                          r["sample_d"], "random", "random part")
    lines += _sample_table(f"SAMPLE C ({r['sample_c']['all']['n']} ANT test and dev articles drawn at random per stratum "
                           f"and labelled blind, {r['sample_c_passed_over']} more passed over; the blind sample, the "
                           "honest figure):", r["sample_c"], "world", "world stratum")
    lines += _sample_table(f"TEST sample ({r['test']['all']['n']} ANT test articles drawn at random per stratum and "
                           f"labelled blind, {r['test_passed_over']} more passed over; scored by two sessions, a "
                           "development set since the ninth):", r["test"], "world", "world stratum")
    lines += _sample_table(f"DEV sample ({r['dev']['all']['n']} ANT dev/test articles; scored while the labels and the "
                           "model changed, so optimistic):", r["dev"], "random", "random part")
    lines += [f"ANT test, four mapped categories ({r['ant_test_baseline']['n']} articles):\n",
              "| model | accuracy | macro-F1 | " + " | ".join(f"F1 {k}" for k in r["ant_test_baseline"]["per_label"]) + " |",
              "|---|---|---|" + "---|" * len(r["ant_test_baseline"]["per_label"])]
    for name, key in (("topics, first of the 17", "ant_test_first_of_17"), ("topics, best of the 4", "ant_test_best_of_4"),
                      ("baseline: TF-IDF char 2-5 + LR, 4 classes", "ant_test_baseline")):
        v = r[key]
        lines.append(f"| {name} | {v['accuracy']:.3f} | {v['macro_f1']:.3f} | "
                     + " | ".join(f"{x['f1']:.3f}" for x in v["per_label"].values()) + " |")
    return "\n".join(lines)
