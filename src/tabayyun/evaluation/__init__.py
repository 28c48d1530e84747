"""End-to-end evaluation helpers: control sets of claims whose correct verdict is known by construction."""
from tabayyun.evaluation.controls import (EXPECTED, GOALS, KINDS, ControlCase, ControlSet, build_controls,
                                          load_seed_report, score_controls)

__all__ = ["ControlCase", "ControlSet", "build_controls", "load_seed_report", "score_controls", "KINDS",
           "EXPECTED", "GOALS"]
