"""Fit the confidence calibration (``verify.calibrate``) on the development material and write its artefact.

    python -m tabayyun.evaluation.calibration --data ../shared/data --out src/tabayyun/models/artefacts

Development material only: AuRED dev (folds 1-2), unifiedfc folds 1-3 and the controls drawn with seed 13;
unifiedfc fold 4 and the controls of another seed (``eval_controls(..., seed=29)``) are left to check it.
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Sequence

from tabayyun.verify.calibrate import CONFIDENCE_VERSION, Calibration, ConfidenceFeatures, fit

__all__ = ["CUTS", "Z", "MIN_N", "fit_dev", "artefact_meta", "main"]

CUTS = (0.0, 0.6, 0.8, 0.9)  # the bins of each group, on ``ConfidenceFeatures.strength`` (EVALUATION.md: calib2)
Z = 1.0  # each pooled bin's share right is read at one standard error below (Wilson)
MIN_N = 5  # a bin is read (pooled), and a corpus caps it, from this many verdicts in its block
FITTED_ON = {"AuRED dev": "aured_folds1-2", "controls": "build_controls(seed=13)", "unifiedfc": "folds 1-3"}


def fit_dev(corpora: dict[str, Sequence[tuple[ConfidenceFeatures, bool]]], undecided: tuple[int, int]) -> Calibration:
    """The calibration of the development corpora's decided verdicts (``eval_*``'s ``features``) and of AuRED's
    ``not_enough_evidence`` ones (``eval_aured``'s ``undecided``)."""
    return fit(corpora, CUTS, Z, MIN_N, undecided)


def main(argv: list[str] | None = None) -> None:
    from tabayyun.evaluation.endtoend import eval_aured, eval_controls, eval_ufc_verdicts
    from tabayyun.models.artefacts import save_artefact

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", type=Path, required=True, help="the shared data folder")
    p.add_argument("--out", type=Path, required=True, help="where to write confidence.{json,npz}")
    args = p.parse_args(argv)
    aured = eval_aured(args.data)
    corpora = {"AuRED dev": aured["features"], "controls": eval_controls(args.data, seed=13)["features"],
               "unifiedfc": eval_ufc_verdicts(args.data)["by_group"]["folds 1-3"]["features"]}
    calibration = fit_dev(corpora, aured["undecided"])
    save_artefact(args.out, "confidence", calibration.arrays(), artefact_meta(calibration, corpora, aured["undecided"]))


def artefact_meta(calibration: Calibration, corpora: dict[str, Sequence[tuple[ConfidenceFeatures, bool]]],
                  undecided: tuple[int, int]) -> dict[str, Any]:
    """The ``confidence`` artefact's metadata: version, groups, the undecided value and what it was fitted on."""
    return {"version": CONFIDENCE_VERSION, "groups": sorted(calibration.steps), "undecided": calibration.undecided,
            "fitted_on": FITTED_ON, "cuts": list(CUTS), "z": Z, "min_n": MIN_N,
            "decided": {name: [len(rows), sum(ok for _, ok in rows)] for name, rows in corpora.items()},
            "not_enough_evidence": {"AuRED dev": list(undecided)}}


if __name__ == "__main__":
    main()
