"""Recomputes every figure of EVALUATION.md from ``../shared/data`` and the artefacts.

Baselines (hashed TF-IDF + logistic regression) are retrained here, seeded; the models are the
shipped artefacts (or those in ``artefacts_dir``). ``python -m tabayyun.models.evaluate`` prints the
tables.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Sequence

import numpy as np

from tabayyun.models.data import (default_data_dir, load_ans_claims, load_ans_stance, load_unifiedfc,
                                  load_worthiness)
from tabayyun.models.features import HashedTfidf
from tabayyun.models.stance import LearnedStance
from tabayyun.models.train import claim_mismatches, fit_calibrated, train_worthiness, vector_stores, _folds
from tabayyun.models.verdict import LearnedVerdict
from tabayyun.models.worthiness import LearnedWorthiness
from tabayyun.records import STANCES

__all__ = ["evaluate_all", "render_markdown", "reliability_table"]

ANS_LABELS = ("agree", "disagree", "other")
_BASE = HashedTfidf(2 ** 18, (3, 3))


def _f1s(y: np.ndarray | Sequence[int], pred: np.ndarray | Sequence[int], k: int) -> tuple[float, list[float]]:
    from sklearn.metrics import f1_score

    per = f1_score(y, pred, labels=list(range(k)), average=None, zero_division=0)
    return float(np.mean(per)), [float(x) for x in per]


def reliability_table(y: np.ndarray | Sequence[int], p: np.ndarray | Sequence[float], bins: int = 10) -> list[dict]:
    """Per probability bin: count, mean predicted probability and observed positive rate."""
    y, p = np.asarray(y), np.asarray(p)
    out = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        m = (p >= lo) & ((p < hi) if b < bins - 1 else (p <= hi))
        if m.any():
            out.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": int(m.sum()), "mean_p": float(p[m].mean()),
                        "observed": float(y[m].mean())})
    return out


def _ece(table: list[dict]) -> float:
    n = sum(r["n"] for r in table)
    return sum(r["n"] * abs(r["mean_p"] - r["observed"]) for r in table) / n


def _pair_rows(claims: Sequence[str], texts: Sequence[str]):
    return [(np.concatenate([ci, ti]), np.concatenate([cv, tv]) / np.sqrt(2))
            for (ci, cv), (ti, tv) in zip(_BASE.rows(claims, "c|"), _BASE.rows(texts, "t|"))]


def _baseline(train_rows, y, test_rows, labels) -> np.ndarray:
    """TF-IDF + logistic regression (C=1, balanced classes): probabilities on ``test_rows``."""
    head, _ = fit_calibrated(None, train_rows, y, labels, 1.0, _folds(len(y), 2), _BASE.n_features,
                             class_weight="balanced")
    return head.proba(None, test_rows)


def _row(task: str, data: str, metric: str, base: float, model: float, ref: str, extra: dict) -> dict:
    return {"task": task, "data": data, "metric": metric, "baseline": base, "model": model,
            "reference": ref, **extra}


def eval_worthiness(data_dir: Path, artefacts_dir, stores: dict) -> dict:
    from sklearn.metrics import f1_score

    texts, y = load_worthiness(data_dir, "dev")
    model = LearnedWorthiness.pretrained(artefacts_dir)
    model.encoder = enc = stores[model.encoder_name]
    p = np.array(model.score(texts))
    base, _ = train_worthiness(data_dir, enc, vectors=False)
    pb = np.array(base.score(texts))
    table = reliability_table(y, p)
    return _row("check-worthiness", "ct24_checkworthy_ar dev (1,093 tweets)", "macro-F1",
                _f1s(y, pb >= base.threshold, 2)[0], _f1s(y, p >= model.threshold, 2)[0],
                "—", {"f1_pos": float(f1_score(y, p >= model.threshold)),
                      "f1_pos_baseline": float(f1_score(y, pb >= base.threshold)),
                      "threshold": model.threshold, "reliability": table, "ece": _ece(table),
                      "brier": float(np.mean((p - np.asarray(y)) ** 2))})


def eval_rule_worthiness(data_dir: Path, baseline_row: dict) -> dict:
    """The rule-based score that gates ``check`` by default, on the same dev split."""
    from sklearn.metrics import f1_score

    from tabayyun.claims import RuleWorthiness

    texts, y = load_worthiness(data_dir, "dev")
    rules = RuleWorthiness()
    pred = np.array(rules.score(texts)) >= rules.threshold
    return _row("check-worthiness, rules (the default gate of `check`)", "ct24_checkworthy_ar dev (1,093 tweets)",
                "macro-F1", baseline_row["baseline"], _f1s(y, pred, 2)[0], "—",
                {"f1_pos_rules": float(f1_score(y, pred)), "flagged_share": float(pred.mean())})


def eval_ans_checked_stance(data_dir: Path, model: LearnedStance, split: str) -> dict:
    """The stance ``verify`` runs: the learned model checked against explicit facts (CheckedStance).

    Reported on dev too, where its fact rules were chosen (EVALUATION.md)."""
    from tabayyun.verify import CheckedStance

    t1, t2, tlab = load_ans_stance(data_dir, split)
    y = [ANS_LABELS.index(x) for x in tlab]
    checked = CheckedStance(model, encoder=model.encoder)
    probs = np.array([[p[s] for s in STANCES] for a, b in zip(t1, t2) for p in checked.predict(a, [b])])
    macro, per = _f1s(y, _ans3(probs), 3)
    alone, _ = _f1s(y, _ans3(model.sentence_proba(t1, t2)), 3)
    return _row("stance as `verify` runs it (model + fact checks)", f"ANS stance {split} ({len(y)} pairs)",
                "macro-F1 agree/disagree/other", float("nan"), macro, "mBERT 76.7 (Khouja 2020)",
                {"per_class": dict(zip(ANS_LABELS, per)), "model_alone": alone})


def _ans3(p: np.ndarray) -> np.ndarray:
    """4-way stance probabilities onto ANS labels: ANS "other" is discuss or unrelated, so its
    probability is their sum."""
    return np.column_stack([p[:, 0], p[:, 1], p[:, 2] + p[:, 3]]).argmax(1)


def eval_ans_stance(data_dir: Path, model: LearnedStance) -> dict:
    s1, s2, lab = load_ans_stance(data_dir, "train")
    t1, t2, tlab = load_ans_stance(data_dir, "test")
    y = [ANS_LABELS.index(x) for x in tlab]
    pb = _baseline(_pair_rows(s1, s2), [ANS_LABELS.index(x) for x in lab], _pair_rows(t1, t2), ANS_LABELS)
    base, _ = _f1s(y, pb.argmax(1), 3)
    macro, per = _f1s(y, _ans3(model.sentence_proba(t1, t2)), 3)
    return _row("stance (sentence pairs)", "ANS stance test (379 pairs)", "macro-F1 agree/disagree/other",
                base, macro, "mBERT 76.7 (Khouja 2020)", {"per_class": dict(zip(ANS_LABELS, per))})


def eval_ufc_stance(data_dir: Path, model: LearnedStance) -> tuple[dict, list[np.ndarray]]:
    train, test = load_unifiedfc(data_dir, (1, 2, 3)), load_unifiedfc(data_dir, (4,))
    flat = lambda cs: ([c.claim for c in cs for _ in c.articles], [a for c in cs for a in c.articles],  # noqa: E731
                       [STANCES.index(s) for c in cs for s in c.stances])
    c_tr, a_tr, y_tr = flat(train)
    c_te, a_te, y_te = flat(test)
    pb = _baseline(_pair_rows(c_tr, a_tr), y_tr, _pair_rows(c_te, a_te), STANCES)
    probs = [model.article_proba(c.claim, c.articles) for c in test]
    macro, per = _f1s(y_te, np.vstack(probs).argmax(1), 4)
    base, per_base = _f1s(y_te, pb.argmax(1), 4)
    return _row("stance (articles)", "unifiedfc fold 4 (584 claim-article pairs)", "macro-F1 (4 classes)",
                base, macro, "—",
                {"per_class": dict(zip(STANCES, per)), "per_class_baseline": dict(zip(STANCES, per_base))}), probs


def eval_ufc_verdict(data_dir: Path, artefacts_dir, probs: list[np.ndarray], tfidf: HashedTfidf) -> dict:
    train, test = load_unifiedfc(data_dir, (1, 2, 3)), load_unifiedfc(data_dir, (4,))
    verdict = LearnedVerdict.pretrained(artefacts_dir)
    y = [int(c.true) for c in test]
    p = np.array([verdict.p_true(pr, claim_mismatches(c, tfidf)) for c, pr in zip(test, probs)])
    pb = _baseline(_BASE.rows([c.claim for c in train]), [int(c.true) for c in train],
                   _BASE.rows([c.claim for c in test]), ("false", "true"))
    return _row("verdict (claim true/false)", "unifiedfc fold 4 (84 claims, articles as evidence)",
                "macro-F1", _f1s(y, pb[:, 1] >= 0.5, 2)[0], _f1s(y, p >= 0.5, 2)[0], "—",
                {"accuracy": float(np.mean((p >= 0.5) == np.asarray(y))), "baseline_input": "claim text only"})


def eval_ans_claims(data_dir: Path, enc) -> dict:
    """Claim-only lower bound: no evidence, only the claim's wording (not a shipped model)."""
    tr, ytr = load_ans_claims(data_dir, "train")
    te, yte = load_ans_claims(data_dir, "test")
    pb = _baseline(_BASE.rows(tr), ytr, _BASE.rows(te), ("false", "true"))
    head, _ = fit_calibrated(enc.encode(tr), _BASE.rows(tr), ytr, ("false", "true"), 1.0,
                             _folds(len(ytr), 2), _BASE.n_features, "balanced", enc.dim)
    p = head.proba(enc.encode(te), _BASE.rows(te))
    return _row("verdict, claim only (lower bound)", "ANS claim test (456 claims)", "macro-F1",
                _f1s(yte, pb[:, 1] >= 0.5, 2)[0], _f1s(yte, p[:, 1] >= 0.5, 2)[0],
                "mBERT 64.3 (Khouja 2020)", {"model_input": "TF-IDF + sentence vector of the claim"})


def evaluate_all(data_dir: Path | None = None, artefacts_dir: Path | None = None,
                 cache: Path | None = None) -> list[dict]:
    """Every row of EVALUATION.md (dicts with task, data, metric, baseline, model, reference, extras)."""
    data_dir = Path(data_dir or default_data_dir())
    stores = vector_stores(cache)
    stance = LearnedStance.pretrained(artefacts_dir)
    stance.encoder = stores[stance.encoder_name]
    worthiness = eval_worthiness(data_dir, artefacts_dir, stores)
    rows = [worthiness, eval_rule_worthiness(data_dir, worthiness), eval_ans_stance(data_dir, stance),
            eval_ans_checked_stance(data_dir, stance, "dev"), eval_ans_checked_stance(data_dir, stance, "test")]
    ufc_row, probs = eval_ufc_stance(data_dir, stance)
    rows += [ufc_row, eval_ufc_verdict(data_dir, artefacts_dir, probs, stance.tfidf),
             eval_ans_claims(data_dir, stores["usem3"])]
    for store in stores.values():
        store.flush()
    return rows


def _pct(x: float) -> str:
    return "—" if np.isnan(x) else f"{100 * x:.1f}"


def render_markdown(rows: list[dict]) -> str:
    """The figures as markdown: the main table, per-class F1 and the reliability table."""
    out = ["| task | data / split | metric | TF-IDF+LR baseline | model | published |",
           "|---|---|---|---|---|---|"]
    out += [f"| {r['task']} | {r['data']} | {r['metric']} | {_pct(r['baseline'])} | {_pct(r['model'])} "
            f"| {r['reference']} |" for r in rows]
    for r in rows:
        if "per_class" in r:
            out += ["", f"Per-class F1, {r['data']}: " + ", ".join(
                f"{k} {_pct(v)}" for k, v in r["per_class"].items())]
        if "f1_pos" in r:
            out += ["", f"Check-worthiness F1 (positive class) on dev: model {_pct(r['f1_pos'])}, baseline "
                    f"{_pct(r['f1_pos_baseline'])}; threshold {r['threshold']:.2f}; ECE {r['ece']:.3f}; "
                    f"Brier {r['brier']:.3f}.", "", "| bin | n | mean predicted | observed |", "|---|---|---|---|"]
            out += [f"| {b['bin']} | {b['n']} | {b['mean_p']:.3f} | {b['observed']:.3f} |" for b in r["reliability"]]
        if "model_alone" in r:
            out += ["", f"{r['data']}: the learned model alone {_pct(r['model_alone'])}, "
                    f"with the fact checks of `verify` {_pct(r['model'])}."]
        if "f1_pos_rules" in r:
            out += ["", f"Rule-based check-worthiness on dev: F1 (positive class) {_pct(r['f1_pos_rules'])}, "
                    f"flags {_pct(r['flagged_share'])}% of the tweets."]
        if "accuracy" in r:
            out += ["", f"Verdict accuracy on unifiedfc fold 4: {_pct(r['accuracy'])}."]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(render_markdown(evaluate_all(*(Path(a) for a in sys.argv[1:3]))))
