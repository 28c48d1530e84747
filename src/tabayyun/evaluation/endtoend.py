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
from typing import Any

from tabayyun.evaluation.aured import AURED_LABELS, load_aured, run_aured, score_aured
from tabayyun.evaluation.controls import KINDS, build_controls, load_seed_post, score_controls
from tabayyun.evaluation.unifiedfc import (DECIDED, FOLD_GROUPS, load_ufc_verdicts, render_ufc_verdicts,
                                           run_ufc_verdicts, score_ufc_verdicts)
from tabayyun.records import Claim, VERDICTS

__all__ = ["eval_aured", "eval_ufc_verdicts", "eval_controls", "seed_claims", "render_endtoend"]


def seed_claims() -> list[tuple[str, str]]:
    """(claim, expected verdict) about the seed report, in our own wording."""
    text = files("tabayyun.evaluation").joinpath("data", "seed_claims.tsv").read_text(encoding="utf-8")
    return [(row[0], row[1]) for row in (line.split("\t") for line in text.splitlines())
            if len(row) == 2 and not row[0].startswith("#")]


def eval_aured(data_dir: Path) -> dict[str, Any]:
    """AuRED folds 1-2, scored the task's way; overall and per fold (nothing here is fitted on a fold)."""
    results = run_aured(load_aured(Path(data_dir) / "aured_dev" / "aured_folds1-2.jsonl"))
    out = score_aured(results)
    out["folds"] = {f: score_aured([r for r in results if r.rumour.fold == f]) for f in (1, 2)}
    out["decided"] = [(r.verdict["confidence"], r.predicted == r.rumour.label) for r in results
                      if r.predicted != "NOT ENOUGH INFO"]
    return out


def eval_ufc_verdicts(data_dir: Path) -> dict[str, Any]:
    """unifiedfc folds 1-4 in one base, every claim verified; scored per fold group (folds 1-3, fold 4, all),
    with the wrong decided verdicts and their reasons."""
    documents, cases = load_ufc_verdicts(Path(data_dir))
    results = run_ufc_verdicts(documents, cases)
    decided = [r for r in results if r.label in DECIDED]
    return {"n_documents": len(documents),
            "groups": {name: score_ufc_verdicts([r for r in results if r.case.fold in folds])
                       for name, folds in FOLD_GROUPS.items()},
            "wrong": [r for r in decided if (r.label == "supported") != r.case.true],
            "decided": [(r.confidence, (r.label == "supported") == r.case.true) for r in decided]}


def eval_controls(data_dir: Path, n_base: int = 2000, n_per_kind: int = 200) -> dict[str, Any]:
    """The controls (a base of ``n_base`` ANT train/dev articles and the seed report), with each
    claim verified as of its article's date; then the seed claims and post on the same base."""
    from tabayyun.pipeline import Tabayyun

    data_dir = Path(data_dir)
    controls = build_controls(data_dir, n_base=n_base, n_per_kind=n_per_kind)
    with tempfile.TemporaryDirectory() as tmp:
        tb = Tabayyun(tmp, create=True)
        try:
            tb.add_documents(controls.base)
            verdicts = [tb.verify(Claim(c.claim, date=c.date)) for c in controls.cases]
            seed = [(claim, expected, tb.verify(claim).label) for claim, expected in seed_claims()]
            post = [(v.claim.text, v.label, v.reasons[:1]) for v in tb.check(load_seed_post(data_dir.parent / "seed"))]
        finally:
            tb.close()
    labels = [v.label for v in verdicts]
    decided = [(v.confidence, v.label != "refuted" if c.expected == "not_refuted" else v.label == c.expected)
               for c, v in zip(controls.cases, verdicts) if v.label in ("supported", "refuted")]
    by_change: dict[str, Counter[str]] = {}
    for case, label in zip(controls.cases, labels):
        if case.kind == "changed":
            by_change.setdefault(case.change.split()[0], Counter())[label] += 1
    return {"kinds": score_controls(controls.cases, labels), "changed_by_type": by_change, "decided": decided,
            "seed": seed, "post": post, "n_base": len(controls.base)}


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def _reliability(decided: list[tuple[float, bool]]) -> list[str]:
    """Rows of a reliability table: per confidence bin, how many decided verdicts and how many right."""
    rows = []
    for lo in (0.5, 0.6, 0.7, 0.8, 0.9):
        hit = [ok for conf, ok in decided if lo <= conf < lo + 0.1 or (lo == 0.9 and conf >= 1.0)]
        if hit:
            rows.append(f"| {lo:.1f}-{lo + 0.1:.1f} | {len(hit)} | {_pct(sum(hit) / len(hit))}% |")
    low = [ok for conf, ok in decided if conf < 0.5]
    return ([f"| below 0.5 | {len(low)} | {_pct(sum(low) / len(low))}% |"] if low else []) + rows


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
    for name, result in (("AuRED dev", aured), ("unifiedfc", ufc), ("controls", controls)):
        if result is not None and result["decided"]:
            out += ["", f"Confidence of the supported/refuted verdicts, {name} (right: the gold label; on the "
                    "controls, unseen true news counts as right unless refuted):", "",
                    "| confidence | verdicts | right |", "|---|---|---|", *_reliability(result["decided"])]
    return "\n".join(out) + "\n"
