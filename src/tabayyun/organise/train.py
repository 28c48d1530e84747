"""Training of the topic classifier on ANT train (needs scikit-learn and ``../shared/data``).

    python -m tabayyun.organise.train [DATA_DIR [OUT_DIR]]

Data: ANT train articles, one per distinct ``text_md5``. Labels:

1. weak: an article filed only under ``middleEast``/``internationalNews`` takes the subject whose
   keywords (``data/topic_keywords.tsv``) it matches most, title matches counted ``title_weight`` times,
   when that score reaches ``min_score`` and ``min_ratio`` times the runner-up; otherwise it is unlabelled;
2. mapped: an article filed under ``sport``, ``economy``, ``technology`` or ``culture`` takes the
   subject ``MAPPED`` gives (a text filed under two of these is dropped), unless its keywords point, with
   a score of at least ``override_score``, to one of the subjects ANT has no section for and that its
   sections hold too (``OVERRIDABLE``: a health study filed under technology, a strike under economy);
3. hand (when ``hand_weight`` > 0; 2 in the shipped model, see EVALUATION.md): an article of
   ``data/topic_training_labels.tsv`` (ANT train articles labelled by hand, most found by searches aimed at the rare
   subjects) takes its hand label instead of 1 or 2, and counts ``hand_weight`` times (its row is repeated; the
   copies share a cross-validation fold);
4. self-training: a first model labels the unlabelled ones, and those it puts in one subject with
   probability at least ``self_training`` join the training set.

A mapped prior (when ``mapped_floor`` > 0): one offset added to the logits of the four mapped subjects, the
lowest of ``PRIOR_GRID`` that keeps the macro-F1 of the first topic over the four mapped ANT **dev** categories at
``mapped_floor`` or above (``fit_mapped_prior``). ANT's sections label only these four, so the weight the model
gives them is a matter of ANT's filing; the offset trades them against the 13 others on held-out articles.
Two options, off in the shipped model (tried in the twelfth session, EVALUATION.md): ``prior_per_subject`` fits one
offset per mapped subject (``fit_subject_priors``: the floor kept, the fewest ANT dev world-section articles named one
of the four), and ``prior_reading`` ``taxonomy`` reads a dev article's gold as its training label (a health study
filed under technology is health) instead of its section.

A fused model (``fusion`` names a sentence encoder; fifteenth session, EVALUATION.md) adds three heads: a TF-IDF head
on the hand labels of both label files (each once), a multinomial logistic regression (``title_C``) on the encoder's
vector of the title (``topics.title_text``) over the labelled set without self-training (hand labels of both files,
counted ``hand_weight`` times), and a head for ANT's five ``SECTIONS`` (articles filed under one, as filed). Its
score is the mean of the three 17-subject heads' log-softmax, plus β times the section head's probability of each
mapped subject's section, β the lowest of ``GATE_GRID`` that keeps the mapped floor (instead of the mapped prior).

Then a logistic regression (one-vs-rest, by SGD) on hashed TF-IDF (and, when ``vectors`` names a sentence encoder,
its vector of the title and the first ``vector_chars`` characters beside it: unit length as it comes, or
standardised with ``vector_scaled``), with class weights that make every subject count the same (the goal is
macro-F1 over the 17). Its scores become probabilities by a
softmax whose temperature is fitted on ``data/topic_calibration.tsv`` (118 ANT dev articles labelled by
hand, none in the evaluation sample): fitted on the training labels instead, which follow the keywords,
the probabilities were over-confident. Deterministic; fixed hyper-parameters in ``CONFIG``.
"""
from __future__ import annotations

import gzip
import itertools
import json
import sys
from collections import Counter
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from tabayyun.models.artefacts import encoder_meta, save_artefact
from tabayyun.index.vectors import TextEncoder, cached_encoder
from tabayyun.models.data import default_data_dir
from tabayyun.models.features import HashedTfidf
from tabayyun.models.linear import LinearHead
from tabayyun.models.train import SEED, _calibration, _design, _folds, fit_calibrated, rows_to_csr
from tabayyun.organise.keywords import keyword_counts
from tabayyun.organise.topics import (ARTEFACT, ARTEFACT_VERSION, SECTIONS, TopicFusion, model_text, subject_ids,
                                      title_text)

__all__ = ["AntArticle", "load_ant", "mapped_label", "weak_label", "training_label", "calibration_set", "hand_labels",
           "all_hand_labels", "GATE_GRID",
           "fit_mapped_prior", "fit_subject_priors", "prior_gold", "single_mapped", "train_topics", "PRIOR_GRID",
           "SUBJECT_PRIOR_GRID",
           "CONFIG", "MAPPED", "OVERRIDABLE", "ANT_FILE"]

ANT_FILE = Path("ant_multisource") / "ant_multisource_v2.1.jsonl.gz"
MAPPED = {"sport": "sport", "economy": "economy", "technology": "science", "culture": "arts"}
UNMAPPED = frozenset({"middleEast", "internationalNews"})
#: subjects that may replace a mapped label: not the mapped four, not those of ANT's world sections
OVERRIDABLE = frozenset({"crime", "disaster", "education", "environment", "health", "human_interest", "labour",
                         "lifestyle", "religion", "society", "weather"})
CONFIG: dict[str, Any] = {"n_features": 2 ** 17, "char_range": [3, 5], "max_chars": 1000, "C": 20.0, "epochs": 15, "cv": 3,
                          "threshold": 0.2, "title_weight": 2, "min_score": 3, "min_ratio": 1.5, "override_score": 4,
                          "self_training": 0.8, "hand_weight": 2, "mapped_floor": 0.9,
                          "prior_per_subject": False, "prior_reading": "section",
                          "vectors": None, "vector_chars": 300, "vector_scaled": False,
                          "fusion": None, "title_C": 1.0}

#: the offsets ``fit_mapped_prior`` tries, lowest first
PRIOR_GRID = tuple(round(float(x), 2) for x in np.arange(-2.0, 2.01, 0.1))
#: the offsets ``fit_subject_priors`` tries for each mapped subject (every combination of four: 26^4)
SUBJECT_PRIOR_GRID = tuple(round(float(x), 2) for x in np.arange(-1.0, 1.51, 0.1))
#: the weights β of a fused model's gated prior, lowest first
GATE_GRID = tuple(round(float(x), 2) for x in np.arange(0.0, 4.01, 0.1))


@dataclass(frozen=True)
class AntArticle:
    """One distinct ANT text: its first docno, title, text, split and every category it was filed under."""

    md5: str
    docno: str
    title: str
    text: str
    split: str
    categories: tuple[str, ...]


def load_ant(data_dir: Path, splits: Sequence[str] = ("train",)) -> list[AntArticle]:
    """ANT articles of ``splits``, de-duplicated by ``text_md5`` (file order of first occurrence)."""
    seen: dict[str, AntArticle] = {}
    with gzip.open(Path(data_dir) / ANT_FILE, "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r["split"] not in splits:
                continue
            a = seen.get(r["text_md5"])
            if a is None:
                seen[r["text_md5"]] = AntArticle(r["text_md5"], r["docno"], r["title"], r["text"], r["split"],
                                                 (r["category"],))
            elif r["category"] not in a.categories:
                seen[r["text_md5"]] = AntArticle(a.md5, a.docno, a.title, a.text, a.split,
                                                 a.categories + (r["category"],))
    return list(seen.values())


def mapped_label(article: AntArticle) -> str | None:
    """The subject of an article filed under exactly one mapped category (None otherwise)."""
    mapped = {MAPPED[c] for c in article.categories if c in MAPPED}
    return mapped.pop() if len(mapped) == 1 else None


def weak_label(article: AntArticle, min_score: float | None = None) -> str | None:
    """The subject the keywords point to clearly enough (None when they do not)."""
    cfg = CONFIG
    score = cfg["title_weight"] * keyword_counts(article.title) + keyword_counts(article.text[:cfg["max_chars"]])
    first, second = np.sort(score)[::-1][:2]
    if first >= (cfg["min_score"] if min_score is None else min_score) and first >= cfg["min_ratio"] * second:
        return subject_ids()[int(np.argmax(score))]
    return None


def training_label(article: AntArticle) -> tuple[str | None, str]:
    """(subject, how) of a training article; how is ``weak``, ``mapped``, ``keywords_over_mapped``,
    ``unlabelled`` (no subject: left to self-training) or ``dropped`` (filed under two mapped categories)."""
    if set(article.categories) <= UNMAPPED:
        subject = weak_label(article)
        return subject, "unlabelled" if subject is None else "weak"
    mapped = mapped_label(article)
    if mapped is None:
        return None, "dropped"
    weak = weak_label(article, CONFIG["override_score"])
    return (weak, "keywords_over_mapped") if weak in OVERRIDABLE else (mapped, "mapped")


def single_mapped(articles: Sequence[AntArticle]) -> list[AntArticle]:
    """The articles filed under one category only, a mapped one (those whose ANT section is their subject)."""
    return [a for a in articles if len(a.categories) == 1 and a.categories[0] in MAPPED]


def fit_mapped_prior(z: np.ndarray, gold: Sequence[str], floor: float, grid: Sequence[float] = PRIOR_GRID,
                     gate: np.ndarray | None = None) -> float:
    """The lowest offset of ``grid`` which, added to the logits ``z`` (columns in taxonomy order) of the four mapped
    subjects (times ``gate``, of ``z``'s shape, when given), gives a macro-F1 of the first topic over those four
    (gold: ``gold``) of at least ``floor``; the offset with the highest macro-F1 when none reaches it."""
    from tabayyun.evaluation.topics import prf

    ids, four = subject_ids(), sorted(set(MAPPED.values()))
    if gate is None:
        gate = np.zeros_like(z)
        gate[:, [ids.index(s) for s in four]] = 1.0

    def macro(offset: float) -> float:
        shifted = z + offset * gate
        return prf(gold, [ids[i] for i in shifted.argmax(1)], four)["macro_f1"]

    scores = [macro(o) for o in grid]
    return next((o for o, m in zip(grid, scores) if m >= floor), grid[int(np.argmax(scores))])


def fit_subject_priors(z: np.ndarray, gold: Sequence[str], world: np.ndarray, floor: float,
                       grid: Sequence[float] = SUBJECT_PRIOR_GRID) -> dict[str, float]:
    """One offset of ``grid`` per mapped subject, added to its logit in ``z`` (columns in taxonomy order): of the
    settings whose macro-F1 of the first topic over the four (gold: ``gold``) reaches ``floor``, the one that names the
    fewest rows of ``world`` (logits of articles filed under no mapped section) as one of the four; ties: the lowest
    sum of offsets, then the first in grid order. When no setting reaches ``floor``: the highest macro-F1."""
    ids, four = subject_ids(), sorted(set(MAPPED.values()))
    cols, k = [ids.index(s) for s in four], len(four)
    g = np.array([four.index(s) if s in four else k for s in gold], dtype=int)
    sizes = np.maximum(1, np.bincount(g, minlength=k + 1)[:k])
    values = np.asarray(grid, float)
    last_two = np.array(list(itertools.product(values, values)))

    def named(logits: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        """Per setting and row, the index of the mapped subject named first, or ``k`` for another subject."""
        s = logits[:, cols][None] + offsets[:, None, :]
        return np.where(s.max(2) > np.delete(logits, cols, 1).max(1)[None], s.argmax(2), k)

    best: tuple[tuple[float, float, float], np.ndarray] | None = None
    for a, b in itertools.product(values, values):  # the first two subjects looped, the last two vectorised
        offsets = np.column_stack([np.full(len(last_two), a), np.full(len(last_two), b), last_two])
        pred = named(z, offsets)
        tp = np.stack([np.sum((pred == i) & (g == i), 1) for i in range(k)], 1)
        precision = tp / np.maximum(1, np.stack([np.sum(pred == i, 1) for i in range(k)], 1))
        recall = tp / sizes
        total = precision + recall
        macro = np.mean(np.divide(2 * precision * recall, total, out=np.zeros_like(total), where=total > 0), 1)
        ok = macro >= floor
        keys = (np.where(ok, 0, 1), np.where(ok, np.sum(named(world, offsets) < k, 1), -macro),
                np.round(offsets.sum(1), 2))
        i = int(np.lexsort(keys[::-1])[0])
        key = (float(keys[0][i]), float(keys[1][i]), float(keys[2][i]))
        if best is None or key < best[0]:
            best = (key, offsets[i])
    assert best is not None
    return {s: round(float(o), 2) for s, o in zip(four, best[1])}


def prior_gold(articles: Sequence[AntArticle], reading: str) -> list[str]:
    """The gold subjects of single-mapped articles for the mapped prior: their section's subject (``section``), or
    their training label (``taxonomy``: a subject ANT has no section for when the keywords point to it)."""
    if reading not in ("section", "taxonomy"):
        raise ValueError(f"prior_reading is section or taxonomy, not {reading!r}")
    return [str(training_label(a)[0]) if reading == "taxonomy" else MAPPED[a.categories[0]] for a in articles]


def _label_file(name: str) -> list[tuple[str, str, str]]:
    """(text_md5, docno, subject) rows of a hand-label file in ``data/``."""
    text = files("tabayyun.organise").joinpath("data", name).read_text(encoding="utf-8")
    return [(md5, docno, subject) for md5, docno, subject in
            (line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#"))]


def calibration_set(data_dir: Path) -> list[tuple[AntArticle, str]]:
    """The hand-labelled dev articles of ``data/topic_calibration.tsv`` found in ``data_dir``, with their subjects."""
    by_md5 = {a.md5: a for a in load_ant(data_dir, ("dev",))}
    return [(by_md5[md5], subject) for md5, _, subject in _label_file("topic_calibration.tsv") if md5 in by_md5]


def hand_labels(name: str = "topic_training_labels.tsv") -> dict[str, str]:
    """text_md5 -> subject of the hand-labelled ANT train articles of ``data/<name>`` (training reads the default;
    ``topic_training_labels_s8.tsv`` holds more, tried and not adopted: EVALUATION.md)."""
    return {md5: subject for md5, _, subject in _label_file(name)}


def all_hand_labels() -> dict[str, str]:
    """The hand labels of both training label files (disjoint)."""
    return hand_labels() | hand_labels("topic_training_labels_s8.tsv")


def _head(model: Any, labels: Sequence[str], sparse: bool) -> LinearHead:
    """A ``LinearHead`` over all ``labels`` from a fitted scikit-learn linear model (a label it never saw: bias -10)."""
    coef, bias = model.coef_, model.intercept_
    if coef.shape[0] == 1:  # two labels seen: one column, the second's
        coef, bias = np.vstack([np.zeros_like(coef), coef]), np.array([0.0, bias[0]])
    k = len(labels)
    weights, b = np.zeros((coef.shape[1], k)), np.full(k, -10.0)
    weights[:, model.classes_], b[model.classes_] = coef.T, bias
    if sparse:
        return LinearHead(tuple(labels), np.zeros((0, k)), b, np.zeros(0), np.zeros(0), weights.astype(np.float32))
    return LinearHead(tuple(labels), weights, b, np.zeros(len(weights)), np.ones(len(weights)))


def _train_fusion(articles: Sequence[AntArticle], tfidf: HashedTfidf, encoder: TextEncoder,
                  cfg: dict[str, Any]) -> tuple[TopicFusion, dict[str, int]]:
    """The hand, title and section heads of a fused model (β 0: fitted later), and the articles each trained on."""
    from sklearn.linear_model import LogisticRegression

    ids, hand = subject_ids(), all_hand_labels()

    def sparse_head(arts: Sequence[AntArticle], y: np.ndarray, labels: Sequence[str]) -> LinearHead:
        rows = tfidf.rows([model_text(a.text, a.title, cfg["max_chars"]) for a in arts])
        return _head(_sgd(rows_to_csr(rows, cfg["n_features"]), y, cfg["C"], _weights(y, len(labels))), labels, True)

    hand_arts = [a for a in articles if a.md5 in hand]
    hand_head = sparse_head(hand_arts, np.array([ids.index(hand[a.md5]) for a in hand_arts]), ids)
    section_of = {c: c for c in SECTIONS[:-1]} | dict.fromkeys(UNMAPPED, SECTIONS[-1])
    filed = [(a, {section_of.get(c) for c in a.categories}) for a in articles]
    sec_arts = [(a, next(iter(s))) for a, s in filed if len(s) == 1 and None not in s]
    section_head = sparse_head([a for a, _ in sec_arts], np.array([SECTIONS.index(s) for _, s in sec_arts]), SECTIONS)
    titled = [(a, *((hand[a.md5], cfg["hand_weight"]) if a.md5 in hand else (training_label(a)[0], 1)))
              for a in articles]
    titled = [t for t in titled if t[1] is not None]
    vectors = encoder.encode([title_text(a.text, a.title) for a, _, _ in titled])
    model = LogisticRegression(C=cfg["title_C"], class_weight="balanced", max_iter=2000).fit(
        vectors, [ids.index(s) for _, s, _ in titled], sample_weight=[float(w) for _, _, w in titled])
    counts = {"hand_head": len(hand_arts), "section_head": len(sec_arts), "title_head": len(titled)}
    return TopicFusion(hand_head, _head(model, ids, False), section_head), counts


def _sgd(X, y, C: float, class_weight):
    """Logistic loss by stochastic gradient descent, one-vs-rest (minutes faster than L-BFGS at this size);
    ``alpha = 1 / (C n)`` gives the L2 penalty of ``LogisticRegression(C)``."""
    from sklearn.linear_model import SGDClassifier

    return SGDClassifier(loss="log_loss", alpha=1.0 / (C * X.shape[0]), max_iter=CONFIG["epochs"], tol=None,
                         class_weight=class_weight, random_state=SEED).fit(X, y)


def _weights(y: np.ndarray, k: int) -> dict[int, float]:
    counts = np.bincount(y, minlength=k)
    return {i: float(len(y) / (k * max(1, n))) for i, n in enumerate(counts)}


def train_topics(data_dir: Path | None = None, out_dir: Path | None = None, encoder: TextEncoder | None = None,
                 config: dict[str, Any] | None = None) -> dict[str, Any]:
    """Train, save ``topics.npz``/``topics.json`` into ``out_dir`` (default: the package's artefacts), return a summary.
    ``config``: ``CONFIG`` (default) or another; ``encoder``: what embeds texts when the config names ``vectors``
    (default: that encoder behind an in-memory cache; a training vector store saves hours on re-runs)."""
    cfg = config or CONFIG
    if cfg["vectors"] and cfg["fusion"]:
        raise ValueError("a topic model reads sentence vectors beside TF-IDF (vectors) or fuses heads (fusion), "
                         "not both")
    if (cfg["vectors"] or cfg["fusion"]) and encoder is None:
        encoder = cached_encoder(cfg["vectors"] or cfg["fusion"])

    def vectors(arts: Sequence[AntArticle]) -> np.ndarray | None:
        if not cfg["vectors"]:
            return None
        assert encoder is not None
        return encoder.encode([model_text(a.text, a.title, cfg["vector_chars"]) for a in arts])

    def design(dense: np.ndarray | None, rows: list) -> Any:
        """The first model's matrix: the dense columns as the final head will see them."""
        if dense is None:
            return rows_to_csr(rows, cfg["n_features"])
        mean, scale = np.zeros(dense.shape[1]), np.ones(dense.shape[1])
        if cfg["vector_scaled"]:  # as ``fit_calibrated`` standardises them
            std = dense.std(0)
            mean, scale = dense.mean(0), np.where(std < 1e-3, 1.0, std)
        return _design(dense, rows_to_csr(rows, cfg["n_features"]), mean, scale)
    data_dir = Path(data_dir or default_data_dir())
    out_dir = Path(out_dir or Path(__file__).resolve().parents[1] / "models" / "artefacts")
    ids = subject_ids()
    articles = load_ant(data_dir, ("train",))
    labelled: list[tuple[AntArticle, str, str]] = []  # article, subject, how
    pool: list[AntArticle] = []
    dropped = 0
    hand = hand_labels() if cfg["hand_weight"] else {}
    for a in articles:
        subject, how = (hand[a.md5], "hand") if a.md5 in hand else training_label(a)
        if subject is not None:
            labelled.append((a, subject, how))
        elif how == "unlabelled":
            pool.append(a)
        else:
            dropped += 1
    tfidf = HashedTfidf(cfg["n_features"], tuple(cfg["char_range"]))
    text = [model_text(a.text, a.title, cfg["max_chars"]) for a, _, _ in labelled]
    pool_text = [model_text(a.text, a.title, cfg["max_chars"]) for a in pool]
    tfidf.fit_idf(text + pool_text)
    # a hand-labelled article counts hand_weight times: its row repeated, the copies in the fold of the original
    copies = [cfg["hand_weight"] if how == "hand" else 1 for _, _, how in labelled]
    source = np.repeat(np.arange(len(labelled)), copies)
    y = np.array([ids.index(s) for _, s, _ in labelled])[source]
    first_rows = tfidf.rows(text)
    rows = [first_rows[i] for i in source]
    first_dense = vectors([a for a, _, _ in labelled])
    dense = None if first_dense is None else first_dense[source]
    keep = np.zeros(0, int)
    if pool:  # self-training: a first model (no calibration needed) labels the confident part of the pool
        first = _sgd(design(dense, rows), y, cfg["C"], _weights(y, len(ids)))
        pool_rows, pool_dense = tfidf.rows(pool_text), vectors(pool)
        p = first.predict_proba(design(pool_dense, pool_rows))
        keep = np.flatnonzero(p.max(1) >= cfg["self_training"])
        rows += [pool_rows[i] for i in keep]
        if dense is not None and pool_dense is not None:
            dense = np.vstack([dense, pool_dense[keep]])
        y = np.concatenate([y, first.classes_[p[keep].argmax(1)]])
    absent = [ids[i] for i, n in enumerate(np.bincount(y, minlength=len(ids))) if n == 0]
    if absent:
        raise ValueError(f"no training article for {', '.join(absent)}")
    folds = _folds(len(labelled) + len(keep), cfg["cv"])
    folds = np.concatenate([folds[:len(labelled)][source], folds[len(labelled):]])
    raw = 0 if dense is None or cfg["vector_scaled"] else dense.shape[1]
    head, oof = fit_calibrated(dense, rows, y, ids, cfg["C"], folds, cfg["n_features"],
                               class_weight=_weights(y, len(ids)), raw_columns=raw, fit=_sgd)

    fusion, fusion_counts = _train_fusion(articles, tfidf, encoder, cfg) if cfg["fusion"] and encoder else (None, {})

    def scored(arts: Sequence[AntArticle]) -> tuple[np.ndarray, np.ndarray | None]:
        """Logits before any prior, and the gate a fused model's prior multiplies (None without fusion)."""
        arts_rows = tfidf.rows([model_text(a.text, a.title, cfg["max_chars"]) for a in arts])
        z = head.logits(vectors(arts), arts_rows)
        if fusion is None or encoder is None:
            return z, None
        return fusion.parts(z, arts_rows, encoder.encode([title_text(a.text, a.title) for a in arts]))

    def logits(arts: Sequence[AntArticle]) -> np.ndarray:
        z, gate = scored(arts)
        return z if gate is None or fusion is None else z + fusion.beta * gate

    four = sorted(set(MAPPED.values()))
    priors = dict.fromkeys(four, 0.0)
    ant_dev = load_ant(data_dir, ("dev",)) if cfg["mapped_floor"] else []
    dev = single_mapped(ant_dev)
    if dev:  # the mapped prior, fitted on ANT dev and folded into the bias
        (z, gate), gold = scored(dev), prior_gold(dev, cfg["prior_reading"])
        if fusion is not None:
            fusion.beta = fit_mapped_prior(z, gold, cfg["mapped_floor"], GATE_GRID, gate)
        elif cfg["prior_per_subject"]:
            world = [a for a in ant_dev if set(a.categories) <= UNMAPPED]
            priors = fit_subject_priors(z, gold, logits(world) if world else np.zeros((0, len(ids))),
                                        cfg["mapped_floor"])
        else:
            priors = dict.fromkeys(four, fit_mapped_prior(z, gold, cfg["mapped_floor"]))
        head.bias[[ids.index(s) for s in four]] += [priors[s] for s in four]  # zero with fusion
    # the temperature: fitted on hand-labelled dev articles (training labels agree with the keywords too well)
    calib = calibration_set(data_dir)
    if calib:
        z = logits([a for a, _ in calib])
        head.calib = _calibration(z, np.array([ids.index(s) for _, s in calib]), len(ids))
    counts = Counter(h for _, _, h in labelled)
    summary: dict[str, Any] = {
        "version": ARTEFACT_VERSION, "config": cfg, "seed": SEED, "articles": len(articles),
        "dropped_two_mapped_labels": dropped, "mapped": counts["mapped"], "weak": counts["weak"],
        "keywords_over_mapped": counts["keywords_over_mapped"], "hand": counts["hand"],
        "self_trained": int(len(keep)), "unlabelled": len(pool) - int(len(keep)),
        "per_subject": {ids[i]: int(n) for i, n in enumerate(np.bincount(y, minlength=len(ids)))},
        "cv_accuracy": float(np.mean(oof.argmax(1) == y)), "calibration_articles": len(calib),
        "temperature": float(head.calib[0]),
        "mapped_prior": priors if cfg["prior_per_subject"] else priors[four[0]],
        "threshold": cfg["threshold"], "max_chars": cfg["max_chars"], "labels": list(ids)}
    if dense is not None:
        summary.update(encoder_meta(cfg["vectors"], dense.shape[1]), vector_chars=cfg["vector_chars"])
    if fusion is not None:
        summary.update(encoder_meta(cfg["fusion"], fusion.title.dense_w.shape[0]), gate_beta=fusion.beta,
                       **fusion_counts)
    save_artefact(out_dir, ARTEFACT, {**tfidf.to_arrays("tfidf"), **head.to_arrays("head"),
                                      **(fusion.to_arrays() if fusion is not None else {})}, summary)
    print(json.dumps(summary, indent=1, ensure_ascii=False))
    return summary


if __name__ == "__main__":
    paths = [Path(a) for a in sys.argv[1:3]]
    train_topics(paths[0] if paths else None, paths[1] if len(paths) > 1 else None)
