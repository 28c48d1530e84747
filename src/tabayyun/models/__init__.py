"""Learned models of tabayyun: check-worthiness, stance and verdict, loaded from ``artefacts/``.

Run time needs numpy only; training (``tabayyun.models.train``) needs scikit-learn and the corpora.
"""
from tabayyun.models.stance import LearnedStance
from tabayyun.models.verdict import LearnedVerdict
from tabayyun.models.worthiness import LearnedWorthiness

__all__ = ["LearnedStance", "LearnedVerdict", "LearnedWorthiness"]
