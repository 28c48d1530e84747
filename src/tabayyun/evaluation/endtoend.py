"""End-to-end figures of verdicts, as a fact-checker meets them: AuRED dev, unifiedfc, the ANT controls, the seed.

Each function builds its evidence bases from ``../shared/data`` in temporary folders, runs
``Tabayyun.verify`` (or ``check``) exactly as the CLI does, and returns a dict of figures;
``render_endtoend`` turns them into the markdown of EVALUATION.md.
"""
from __future__ import annotations

import tempfile
from collections import Counter
from importlib.resources import files
from pathlib import Path
from typing import Any, Sequence

from tabayyun.evaluation.aured import AURED_LABELS, load_aured, run_aured, score_aured
from tabayyun.evaluation.controls import KINDS, build_controls, load_seed_post, score_controls
from tabayyun.evaluation.unifiedfc import (DECIDED, FOLD_GROUPS, load_ufc_verdicts, render_ufc_verdicts,
                                           run_ufc_verdicts, score_ufc_verdicts)
from tabayyun.records import Claim, Evidence, VERDICTS
from tabayyun.verify.calibrate import Calibration, ConfidenceFeatures, ece
from tabayyun.verify.rules import RuleVerdict

__all__ = ["eval_aured", "eval_ufc_verdicts", "eval_controls", "seed_claims", "render_endtoend"]


def seed_claims() -> list[tuple[str, str]]:
    """(claim, expected verdict) about the seed report, in our own wording."""
    text = files("tabayyun.evaluation").joinpath("data", "seed_claims.tsv").read_text(encoding="utf-8")
    return [(row[0], row[1]) for row in (line.split("\t") for line in text.splitlines())
            if len(row) == 2 and not row[0].startswith("#")]


Decided = tuple[float, float, bool]  # confidence before calibration, after, and whether the verdict is right


class _Raw(Calibration):
    """No calibration (the raw score), remembering the features of the last decided verdict."""

    def __init__(self) -> None:
        super().__init__({})
        self.last: ConfidenceFeatures | None = None

    def confidence(self, features: ConfidenceFeatures) -> float:
        self.last = features
        return features.score


def calibration_row(claim: Claim, evidence: Sequence[Evidence], label: str,
                    confidence: float) -> tuple[float, float, ConfidenceFeatures]:
    """A decided verdict's raw confidence (``RuleVerdict`` without calibration, on the same evidence), its own, and
    its ``ConfidenceFeatures``; the raw rule must give the same label (the calibration moves confidences only)."""
    raw = _Raw()
    raw_label, score, _ = RuleVerdict(raw).decide(claim, evidence)
    if raw_label != label or raw.last is None:
        raise AssertionError(f"the calibration changed a label: {raw_label} -> {label} for «{claim.text}»")
    return score, confidence, raw.last


def _decided(rows: Sequence[tuple[tuple[float, float, ConfidenceFeatures], bool]]) -> dict[str, list]:
    """``decided`` (before, after, right) and ``features`` (``ConfidenceFeatures``, right) of the decided verdicts."""
    return {"decided": [(before, after, ok) for (before, after, _), ok in rows],
            "features": [(f, ok) for (_, _, f), ok in rows]}


def eval_aured(data_dir: Path) -> dict[str, Any]:
    """AuRED folds 1-2, scored the task's way; overall and per fold (nothing here is fitted on a fold)."""
    results = run_aured(load_aured(Path(data_dir) / "aured_dev" / "aured_folds1-2.jsonl"))
    out = score_aured(results)
    out["folds"] = {f: score_aured([r for r in results if r.rumour.fold == f]) for f in (1, 2)}
    out.update(_decided([(calibration_row(Claim(r.rumour.text), r.evidence, r.verdict["verdict"],
                                          r.verdict["confidence"]),
                          r.predicted == r.rumour.label) for r in results if r.predicted != "NOT ENOUGH INFO"]))
    undecided = [r.rumour.label == "NOT ENOUGH INFO" for r in results if r.verdict["verdict"] == "not_enough_evidence"]
    out["undecided"] = (sum(undecided), len(undecided))  # not_enough_evidence verdicts: gold NOT ENOUGH INFO, all
    return out


def eval_ufc_verdicts(data_dir: Path) -> dict[str, Any]:
    """unifiedfc folds 1-4 in one base, every claim verified; scored per fold group (folds 1-3, fold 4, all),
    with the wrong decided verdicts and their reasons."""
    documents, cases = load_ufc_verdicts(Path(data_dir))
    results = run_ufc_verdicts(documents, cases)
    decided = [r for r in results if r.label in DECIDED]
    rows = [(calibration_row(Claim(r.case.claim), r.evidence, r.label, r.confidence),
             (r.label == "supported") == r.case.true) for r in decided]
    return {"n_documents": len(documents),
            "groups": {name: score_ufc_verdicts([r for r in results if r.case.fold in folds])
                       for name, folds in FOLD_GROUPS.items()},
            "wrong": [r for r in decided if (r.label == "supported") != r.case.true],
            "by_group": {name: _decided([row for r, row in zip(decided, rows) if r.case.fold in folds])
                         for name, folds in FOLD_GROUPS.items() if name != "folds 1-4"}}


def eval_controls(data_dir: Path, n_base: int = 2000, n_per_kind: int = 200, seed: int = 13) -> dict[str, Any]:
    """The controls (a base of ``n_base`` ANT train/dev articles and the seed report, drawn with ``seed``), with
    each claim verified as of its article's date; then the seed claims and post on the same base."""
    from tabayyun.pipeline import Tabayyun

    data_dir = Path(data_dir)
    controls = build_controls(data_dir, n_base=n_base, n_per_kind=n_per_kind, seed=seed)
    with tempfile.TemporaryDirectory() as tmp:
        tb = Tabayyun(tmp, create=True)
        try:
            tb.add_documents(controls.base)
            verdicts = [tb.verify(Claim(c.claim, date=c.date)) for c in controls.cases]
            on_seed = [(claim, expected, tb.verify(claim).label) for claim, expected in seed_claims()]
            post = [(v.claim.text, v.label, v.reasons[:1]) for v in tb.check(load_seed_post(data_dir.parent / "seed"))]
        finally:
            tb.close()
    labels = [v.label for v in verdicts]
    decided = _decided([(calibration_row(v.claim, v.evidence, v.label, v.confidence),
                         v.label != "refuted" if c.expected == "not_refuted" else v.label == c.expected)
                        for c, v in zip(controls.cases, verdicts) if v.label in ("supported", "refuted")])
    by_change: dict[str, Counter[str]] = {}
    for case, label in zip(controls.cases, labels):
        if case.kind == "changed":
            by_change.setdefault(case.change.split()[0], Counter())[label] += 1
    return {"kinds": score_controls(controls.cases, labels), "changed_by_type": by_change, **decided,
            "seed": on_seed, "post": post, "n_base": len(controls.base)}


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def _bins(decided: Sequence[tuple[float, bool]]) -> dict[str, tuple[int, float]]:
    """Per confidence bin (below 0.5, then tenths), how many decided verdicts and the share right."""
    out = {}
    steps = ((f"{x:.1f}-{x + 0.1:.1f}", x, x + 0.1) for x in (0.5, 0.6, 0.7, 0.8))
    for name, lo, hi in [("below 0.5", -1.0, 0.5), *steps]:
        hit = [ok for conf, ok in decided if lo <= conf < hi]
        if hit:
            out[name] = (len(hit), sum(hit) / len(hit))
    top = [ok for conf, ok in decided if conf >= 0.9]
    return {**out, **({"0.9-1.0": (len(top), sum(top) / len(top))} if top else {})}


def _reliability(decided: Sequence[Decided]) -> list[str]:
    """Rows of a reliability table before and after calibration: per confidence bin, how many decided verdicts
    and how many right; then the expected calibration error (``ece``) before -> after."""
    before, after = [(b, ok) for b, _, ok in decided], [(a, ok) for _, a, ok in decided]
    bins = _bins(before), _bins(after)
    rows = []
    for name in ("below 0.5", "0.5-0.6", "0.6-0.7", "0.7-0.8", "0.8-0.9", "0.9-1.0"):
        if name in bins[0] or name in bins[1]:
            cells = [f"{b[name][0]} | {_pct(b[name][1])}%" if name in b else " | " for b in bins]
            rows.append(f"| {name} | {cells[0]} | {cells[1]} |")
    return rows + ["", f"Expected calibration error (10 bins): {ece(before):.3f} -> {ece(after):.3f}; labels identical "
                   f"before and after calibration ({len(decided)} decided verdicts)."]


def render_endtoend(aured: dict[str, Any] | None, controls: dict[str, Any] | None,
                    ufc: dict[str, Any] | None = None) -> str:
    """Markdown tables of the end-to-end figures."""
    out: list[str] = []
    if aured is not None:
        out += ["| AuRED dev (folds 1-2) | rumours | macro-F1 | strict macro-F1 | SUPPORTS F1 | REFUTES F1 | "
                "NEI F1 | R@5 | MAP | refuted share (gold) |", "|---|---|---|---|---|---|---|---|---|---|"]
        for name, s in [("both folds", aured), *((f"fold {f}", aured["folds"][f]) for f in (1, 2))]:
            per = s["per_class_f1"]
            out.append(f"| {name} | {s['n']} | {s['macro_f1']:.3f} | {s['strict_macro_f1']:.3f} | "
                       f"{per['SUPPORTS']:.3f} | {per['REFUTES']:.3f} | {per['NOT ENOUGH INFO']:.3f} | "
                       f"{s['recall_at_5']:.3f} | {s['map']:.3f} | {_pct(s['refuted_share'])}% "
                       f"({_pct(s['gold_refuted_share'])}%) |")
        out += ["", "Confusion (rows gold, columns predicted): " + "; ".join(
            f"{g}: " + ", ".join(f"{p} {aured['confusion'][g][p]}" for p in AURED_LABELS) for g in AURED_LABELS)]
        if aured.get("undecided"):
            out += ["", "not_enough_evidence verdicts with a gold NOT ENOUGH INFO (what their confidence estimates): "
                    "{} of {}.".format(*aured["undecided"])]
    if ufc is not None:
        out += ["", *render_ufc_verdicts(ufc)]
    if controls is not None:
        out += ["", f"| controls ({controls['n_base']:,}-document base) | n | supported | refuted | "
                "not enough evidence | conflicting | goal | met |", "|---|---|---|---|---|---|---|---|"]
        for kind in KINDS:
            r = controls["kinds"][kind]
            out.append(f"| {kind} | {r['n']} | " + " | ".join(f"{_pct(r[v])}%" for v in VERDICTS)
                       + f" | {r['goal']} | {'yes' if r['met'] else 'no'} |")
        out += ["", "Changed facts, by what was changed: " + "; ".join(
            f"{k} {sum(c.values())} ({_pct(c['refuted'] / sum(c.values()))}% refuted)"
            for k, c in sorted(controls["changed_by_type"].items()))]
        seed_ok = sum(label == expected for _, expected, label in controls["seed"])
        out += ["", f"Seed claims on the same base: {seed_ok} of {len(controls['seed'])} as expected.", "",
                "| seed claim (our wording) | expected | verdict |", "|---|---|---|"]
        out += [f"| {claim} | {expected} | {label} |" for claim, expected, label in controls["seed"]]
        out += ["", "| seed post claim | verdict |", "|---|---|"]
        out += [f"| {claim[:90]}{'…' if len(claim) > 90 else ''} | {label} |" for claim, label, _ in controls["post"]]
    corpora = [("AuRED dev", aured["decided"] if aured else None),
               ("controls", controls["decided"] if controls else None),
               *((f"unifiedfc {name}", d["decided"]) for name, d in (ufc["by_group"] if ufc else {}).items())]
    for name, decided in corpora:
        if decided:
            out += ["", f"Confidence of the supported/refuted verdicts, {name}, before -> after calibration (right: "
                    "the gold label; on the controls, unseen true news counts as right unless refuted):", "",
                    "| confidence | before: verdicts | right | after: verdicts | right |", "|---|---|---|---|---|",
                    *_reliability(decided)]
    return "\n".join(out) + "\n"
