"""Claims: split a text into atomic claims and score how check-worthy each is."""
from tabayyun.claims.split import split_claims
from tabayyun.claims.worthiness import RuleWorthiness, clearly_checkable

__all__ = ["split_claims", "RuleWorthiness", "clearly_checkable"]
