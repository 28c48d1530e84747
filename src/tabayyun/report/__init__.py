"""Reports: terminal text and JSON lines (HTML and ClaimReview come with the web surfaces)."""
from tabayyun.report.json import claim_dict, dumps
from tabayyun.report.text import VERDICT_NAMES, render_claims, render_verdicts

__all__ = ["render_verdicts", "render_claims", "dumps", "claim_dict", "VERDICT_NAMES"]
