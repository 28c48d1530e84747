"""Training of the shipped artefacts (needs scikit-learn and ``../shared/data``).

``train_all`` rebuilds every artefact, seeded and deterministic. Hyper-parameters are fixed in
``CONFIG``; they were chosen by cross-validation on the training splits and the ANS dev split
(see EVALUATION.md), never on a test split.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

import numpy as np

from tabayyun.index.vectors import ENCODERS, make_encoder
from tabayyun.models.artefacts import MODEL_VERSION, encoder_meta, save_artefact
from tabayyun.models.data import (ANS_STANCE_MAP, EmbeddingStore, UfcClaim, default_data_dir,
                                  load_ans_stance, load_unifiedfc, load_worthiness)
from tabayyun.models.features import HashedTfidf, number_mismatch, split_passages
from tabayyun.models.linear import LinearHead, SparseRows
from tabayyun.models.stance import ARTICLE_FEATURES, LearnedStance, rank_passages
from tabayyun.models.verdict import LearnedVerdict, verdict_features
from tabayyun.records import STANCES

if TYPE_CHECKING:
    from tabayyun.models.worthiness import LearnedWorthiness

__all__ = ["train_all", "fit_calibrated", "rows_to_csr", "CONFIG", "default_cache", "vector_stores",
           "ufc_sentence_pairs", "ufc_article_inputs"]

SEED = 13
CONFIG: dict[str, dict[str, Any]] = {
    "worthiness": {"encoder": "e5small", "C": 1.0, "n_features": 2 ** 18, "char_range": [1, 3], "cv": 5},
    "stance": {"encoder": "e5small", "C_relatedness": 1.0, "C_sentence": 1.0, "C_article": 1.0,
               "n_features": 2 ** 18, "char_range": [2, 4], "top_k": 3},
    "verdict": {"C": 1.0, "min_related": 0.5, "conflict_band": 0.25},
}


def default_cache() -> Path:
    """Where training keeps sentence vectors, one ``NAME.npz`` per encoder (outside git)."""
    return Path(__file__).resolve().parents[3].parent / "cache"


def vector_stores(cache_dir: Path | None = None, encoder=None) -> dict[str, EmbeddingStore]:
    """A persistent vector cache per encoder name; ``encoder`` (tests) stands in for every encoder."""
    cache_dir = Path(cache_dir or default_cache())
    return {name: EmbeddingStore(cache_dir / f"{name}.npz", encoder or make_encoder(name))
            for name in ENCODERS}


def rows_to_csr(rows: SparseRows, n_features: int):
    """scipy CSR matrix from per-row (indices, values)."""
    from scipy.sparse import csr_matrix

    indptr = np.cumsum([0] + [len(i) for i, _ in rows])
    idx = np.concatenate([i for i, _ in rows]) if rows else np.zeros(0, int)
    val = np.concatenate([v for _, v in rows]) if rows else np.zeros(0)
    m = csr_matrix((val, idx, indptr), shape=(len(rows), n_features))
    m.sum_duplicates()
    return m


def _design(dense, sparse, mean, scale):
    from scipy.sparse import csr_matrix, hstack

    parts = [] if dense is None else [csr_matrix((np.asarray(dense) - mean) / scale)]
    if sparse is not None:
        parts.append(sparse)
    return hstack(parts, format="csr")


def _fit(X, y, C, class_weight):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, class_weight=class_weight, max_iter=1000, tol=1e-4,
                              random_state=SEED).fit(X, y)


def _calibration(z: np.ndarray, y: np.ndarray, k: int) -> np.ndarray:
    """Platt (a, b) for two labels; inverse temperature for more (minimising held-out NLL)."""
    if k == 2:
        from sklearn.linear_model import LogisticRegression

        lr = LogisticRegression(C=1e4, max_iter=1000).fit(z[:, :1], y)
        return np.array([lr.coef_[0, 0], lr.intercept_[0]])
    best = min(np.linspace(0.1, 3.0, 59), key=lambda a: -np.mean(np.log(
        np.take_along_axis(_softmax(a * z), y[:, None], 1) + 1e-12)))
    return np.array([best, 0.0])


def _softmax(z):
    e = np.exp(z - z.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


def fit_calibrated(dense: np.ndarray | None, sparse: SparseRows | None, y: np.ndarray | Sequence[int],
                   labels: Sequence[str], C: float, groups: np.ndarray | Sequence[int], n_features: int = 0,
                   class_weight: str | dict | None = None, raw_columns: int = 0,
                   fit: Callable[..., Any] = _fit) -> tuple[LinearHead, np.ndarray]:
    """A calibrated ``LinearHead`` and its out-of-fold calibrated probabilities (folds = ``groups``).

    The first ``raw_columns`` dense columns (sentence-vector parts) are kept unscaled, on the scale
    of the TF-IDF rows; the other dense columns are standardised. ``fit(X, y, C, class_weight)`` gives
    a fitted scikit-learn linear classifier (default: logistic regression)."""
    y, groups = np.asarray(y), np.asarray(groups)
    if dense is not None:
        dense = np.asarray(dense, dtype=np.float64)
        mean, std = dense.mean(0), dense.std(0)
        scale = np.where(std < 1e-3, 1.0, std)
        mean[:raw_columns], scale[:raw_columns] = 0.0, 1.0
    else:
        mean = scale = np.zeros(0)
    X = _design(dense, None if sparse is None else rows_to_csr(sparse, n_features), mean, scale)
    k = len(labels)
    z = np.zeros((len(y), 1 if k == 2 else k))
    for g in np.unique(groups):
        test = groups == g
        m = fit(X[~test], y[~test], C, class_weight)
        zt = m.decision_function(X[test]).reshape(test.sum(), -1)
        if k > 2 and len(m.classes_) < k:  # a class absent from these folds: never predicted here
            zt, part = np.full((test.sum(), k), -10.0), zt
            zt[:, m.classes_] = part
        z[test] = zt
    calib = _calibration(z, y, k)
    m = fit(X, y, C, class_weight)
    coef = m.coef_.T
    d = 0 if dense is None else dense.shape[1]
    head = LinearHead(tuple(labels), coef[:d], m.intercept_.copy(), mean, scale,
                      coef[d:].astype(np.float32) if sparse is not None else None, calib)
    return head, head.calibrate(z)


def _folds(n: int, k: int) -> np.ndarray:
    return np.random.default_rng(SEED).permutation(np.arange(n) % k)


def train_worthiness(data_dir: Path, enc, vectors: bool = True) -> tuple[LearnedWorthiness, dict]:
    """Check-worthiness: calibrated LR on hashed TF-IDF (+ sentence vectors); threshold by CV."""
    from tabayyun.models.worthiness import LearnedWorthiness

    cfg = CONFIG["worthiness"]
    texts, y = load_worthiness(data_dir, "train")
    tfidf = HashedTfidf(cfg["n_features"], tuple(cfg["char_range"])).fit_idf(texts)
    dense = enc.encode(texts) if vectors else None
    head, oof = fit_calibrated(dense, tfidf.rows(texts), y, ("no", "yes"), cfg["C"], _folds(len(y), cfg["cv"]),
                               cfg["n_features"], raw_columns=0 if dense is None else dense.shape[1])
    grid = np.round(np.arange(0.2, 0.71, 0.01), 2)
    threshold = float(max(grid, key=lambda t: (_macro_f1(np.asarray(y), oof[:, 1] >= t), -abs(t - 0.5))))
    return LearnedWorthiness(tfidf, head, threshold, encoder_name=cfg["encoder"]), {"threshold": threshold,
                                                      "cv_macro_f1": _macro_f1(np.asarray(y), oof[:, 1] >= threshold)}


def _macro_f1(y: np.ndarray, pred: np.ndarray) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(y, np.asarray(pred).astype(int), average="macro"))


def closest_passage(claim: str, article: str, tfidf: HashedTfidf = HashedTfidf()) -> str:
    """The passage of an article closest to the claim (``rank_passages``)."""
    passages = split_passages(article) or [article]
    return passages[rank_passages(claim, passages, tfidf)[0][0]]


def ufc_sentence_pairs(claims: Sequence[UfcClaim]) -> tuple[list[str], list[str], list[int], list[int]]:
    """Sentence-level pairs from unifiedfc: rationale lines of related articles carry the article's
    stance (the closest passage when no rationale is given); the closest passage of an unrelated
    article is an ``unrelated`` hard negative. Returns claims, texts, label indices, folds."""
    cs, ts, ys, fs = [], [], [], []
    for c in claims:
        for art, stance, rat in zip(c.articles, c.stances, c.rationales):
            lines = [ln.strip() for ln in art.split("\n")]
            chosen = [lines[i] for i in rat if i < len(lines) and lines[i]] if stance != "unrelated" else []
            if not chosen:
                chosen = [closest_passage(c.claim, art)]
            for t in chosen:
                cs.append(c.claim)
                ts.append(t)
                ys.append(STANCES.index(stance))
                fs.append(c.fold)
    return cs, ts, ys, fs


def _sentence_data(model: LearnedStance, claims, texts, enc):
    return model.sentence_inputs(claims, texts, enc.encode(claims), enc.encode(texts))


def ufc_article_inputs(model: LearnedStance, claims: Sequence[UfcClaim]) -> np.ndarray:
    """Article-head inputs of every claim-article pair, in order."""
    return np.array([model.article_inputs(c.claim, split_passages(art) or [art])
                     for c in claims for art in c.articles])


def train_stance(data_dir: Path, enc) -> tuple[LearnedStance, dict, np.ndarray]:
    """Relatedness head (unrelated vs related) on ANS train + unifiedfc folds 1-3 sentences; sentence
    head (agree / disagree / discuss) on ANS train alone; article head on cross-fitted pooled sentence
    scores of folds 1-3. Returns the model, a summary and the out-of-fold article probabilities of
    folds 1-3 (for the verdict)."""
    cfg = CONFIG["stance"]
    s1, s2, lab = load_ans_stance(data_dir, "train")
    ufc = load_unifiedfc(data_dir, (1, 2, 3))
    uc, ut, uy, pair_fold = ufc_sentence_pairs(ufc)
    ufold = np.array([c.fold for c in ufc for _ in c.articles])
    claims, texts = s1 + uc, s2 + ut
    y = np.array([STANCES.index(ANS_STANCE_MAP[x]) for x in lab] + uy)
    groups = np.concatenate([np.zeros(len(s1), int), pair_fold])  # 0: ANS
    tfidf = HashedTfidf(cfg["n_features"], tuple(cfg["char_range"])).fit_idf(
        list(dict.fromkeys(claims + texts)), ("", "t:", "c:"))
    # Heads are fitted below; LearnedStance types them as trained (models/stance.py).
    model = LearnedStance(tfidf, None, None, None, enc, cfg["top_k"], cfg["encoder"])  # type: ignore[arg-type]
    dense, sparse = _sentence_data(model, claims, texts, enc)
    fit = dict(n_features=cfg["n_features"], raw_columns=2 * enc.dim)

    def relatedness(keep: np.ndarray) -> LinearHead:
        return fit_calibrated(dense[keep], [sparse[i] for i in np.flatnonzero(keep)],
                              (y[keep] == STANCES.index("unrelated")).astype(int), ("related", "unrelated"),
                              cfg["C_relatedness"], _folds(int(keep.sum()), 2), **fit)[0]

    ans = groups == 0
    model.sentence_head, _ = fit_calibrated(dense[ans], sparse[:len(s1)], y[ans], STANCES[:3],
                                            cfg["C_sentence"], _folds(len(s1), 2), **fit)
    model.relatedness_head = relatedness(np.ones(len(y), bool))
    art_x = np.zeros((len(ufold), len(ARTICLE_FEATURES)))
    for f in (1, 2, 3):  # the sentence head never sees unifiedfc: only relatedness is cross-fitted
        fold_model = LearnedStance(tfidf, relatedness(groups != f), model.sentence_head,
                                   None, enc, cfg["top_k"])  # type: ignore[arg-type]  # no article head needed
        art_x[ufold == f] = ufc_article_inputs(fold_model, [c for c in ufc if c.fold == f])
    art_y = np.array([STANCES.index(s) for c in ufc for s in c.stances])
    counts = np.bincount(art_y, minlength=len(STANCES))
    weights = {i: float(np.sqrt(len(art_y) / (len(STANCES) * max(1, n)))) for i, n in enumerate(counts)}
    model.article_head, art_oof = fit_calibrated(art_x, None, art_y, STANCES, cfg["C_article"], ufold,
                                                 class_weight=weights)
    return model, {"sentence_pairs": int(ans.sum()), "relatedness_pairs": len(y), "articles": len(art_y),
                   "article_cv_macro_f1": _macro_f1(art_y, art_oof.argmax(1))}, art_oof


def claim_mismatches(c: UfcClaim, tfidf: HashedTfidf) -> np.ndarray:
    """Per article of a claim: 1.0 when its closest passage contradicts a number of the claim."""
    return np.array([float(bool(number_mismatch(c.claim, closest_passage(c.claim, art, tfidf))[0]))
                     for art in c.articles])


def train_verdict(data_dir: Path, tfidf: HashedTfidf, art_oof: np.ndarray) -> tuple[LearnedVerdict, dict]:
    """Verdict head on pooled out-of-fold article stances of unifiedfc folds 1-3."""
    cfg = CONFIG["verdict"]
    ufc = load_unifiedfc(data_dir, (1, 2, 3))
    feats, at = [], 0
    for c in ufc:
        n = len(c.articles)
        feats.append(verdict_features(art_oof[at:at + n], claim_mismatches(c, tfidf)))
        at += n
    y = np.array([int(c.true) for c in ufc])
    head, oof = fit_calibrated(np.array(feats), None, y, ("false", "true"), cfg["C"],
                               np.array([c.fold for c in ufc]))
    return (LearnedVerdict(head, cfg["min_related"], cfg["conflict_band"]),
            {"claims": len(y), "cv_macro_f1": _macro_f1(y, oof[:, 1] >= 0.5)})


def train_all(data_dir: Path | None = None, out_dir: Path | None = None,
              cache: Path | None = None, encoder=None) -> dict:
    """Rebuild every artefact into ``out_dir`` (default: the package's ``artefacts/``); print a summary.

    ``cache`` is the folder of sentence-vector caches; ``encoder`` (tests) stands in for every
    sentence encoder."""
    data_dir = Path(data_dir or default_data_dir())
    out_dir = Path(out_dir or Path(__file__).resolve().parent / "artefacts")
    stores = vector_stores(cache, encoder)
    summary: dict = {"config": CONFIG, "seed": SEED}
    worth, summary["worthiness"] = train_worthiness(data_dir, stores[CONFIG["worthiness"]["encoder"]])
    save_artefact(out_dir, "worthiness", {**worth.tfidf.to_arrays("tfidf"), **worth.head.to_arrays("head")},
                  {"threshold": worth.threshold, "labels": list(worth.head.labels),
                   "version": MODEL_VERSION,
                   **encoder_meta(worth.encoder_name, stores[worth.encoder_name].cache.encoder.dim),
                   **summary["worthiness"]})
    stance, summary["stance"], art_oof = train_stance(data_dir, stores[CONFIG["stance"]["encoder"]])
    save_artefact(out_dir, "stance", {**stance.tfidf.to_arrays("tfidf"),
                                      **stance.relatedness_head.to_arrays("relatedness"),
                                      **stance.sentence_head.to_arrays("sentence"),
                                      **stance.article_head.to_arrays("article")},
                  {"top_k": stance.top_k, "labels": list(STANCES), "version": MODEL_VERSION,
                   **encoder_meta(stance.encoder_name, stores[stance.encoder_name].cache.encoder.dim),
                   **summary["stance"]})
    verdict, summary["verdict"] = train_verdict(data_dir, stance.tfidf, art_oof)
    save_artefact(out_dir, "verdict", verdict.head.to_arrays("head"),
                  {"min_related": verdict.min_related, "conflict_band": verdict.conflict_band,
                   "version": MODEL_VERSION, **summary["verdict"]})
    for store in stores.values():
        store.flush()
    print(json.dumps(summary, indent=1, default=float))
    return summary


if __name__ == "__main__":
    train_all(*(Path(a) for a in sys.argv[1:3]))
