"""Verification: stance of each evidence sentence toward a claim, then a verdict with reasons."""
from tabayyun.verify.base import StanceModel, VerdictModel, WorthinessModel
from tabayyun.verify.hybrid import CheckedStance
from tabayyun.verify.rules import RuleStance, RuleVerdict
from tabayyun.verify.select import StoredFacts, candidate_ranks, decisive_first
from tabayyun.verify.signals import Signals, compare, weigh

__all__ = ["StanceModel", "VerdictModel", "WorthinessModel", "CheckedStance", "RuleStance", "RuleVerdict",
           "Signals", "StoredFacts", "candidate_ranks", "compare", "decisive_first", "weigh"]
