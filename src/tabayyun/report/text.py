"""A readable terminal report of verdicts: the claim, its verdict, the evidence and why."""
from __future__ import annotations

from typing import Sequence

from tabayyun.records import Claim, Verdict
from tabayyun.report.bidi import isolate_text

__all__ = ["render_verdicts", "render_claims", "VERDICT_NAMES", "STANCE_NAMES"]

VERDICT_NAMES = {
    "supported": "supported / مؤكَّد",
    "refuted": "refuted / مفنَّد",
    "not_enough_evidence": "not enough evidence / لا أدلة كافية",
    "conflicting": "conflicting / أدلة متعارضة",
}

STANCE_NAMES = {
    "agree": "agrees / يؤيد",
    "disagree": "disagrees / يعارض",
    "discuss": "discusses / يناقش",
    "unrelated": "unrelated / غير متصل",
}


def _evidence_block(verdict: Verdict, limit: int) -> list[str]:
    lines = []
    shown = [e for e in verdict.evidence if e.stance != "unrelated"][:limit]
    for e in shown:
        where = " · ".join(x for x in (e.document.source, e.document.date, e.document.url) if x)
        lines.append(f"    [{e.stance}] {e.sentence.text}")
        lines.append(f"        — {e.document.title or e.document.id}" + (f" ({isolate_text(where)})" if where else ""))
    return lines


def render_verdicts(verdicts: Sequence[Verdict], evidence_limit: int = 3) -> str:
    """One block per claim: verdict and confidence, reasons, then the evidence that was related."""
    if not verdicts:
        return "No check-worthy claims found. / لم يُعثر على ادعاءات قابلة للتحقق."
    blocks = []
    for n, v in enumerate(verdicts, 1):
        lines = [f"{n}. {v.claim.text}",
                 f"   verdict: {VERDICT_NAMES[v.label]}  (confidence {v.confidence:.2f}, "
                 f"check-worthiness {v.claim.checkworthiness:.2f})"]
        if v.topics:
            lines.append("   topics: " + " · ".join(f"{t.en} / {t.ar} ({t.score:.2f})" for t in v.topics))
        lines += [f"   - {reason}" for reason in v.reasons]
        if v.story is not None:
            lines.append(f"   story / القصة: {v.story[1]} [{v.story[0]}]")
        lines += _evidence_block(v, evidence_limit)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def render_claims(claims: Sequence[Claim]) -> str:
    lines = []
    for n, c in enumerate(claims, 1):
        if c.span is None:
            raise TypeError(f"claim {n} has no span")
        lines.append(f"{n}. [{c.span[0]}:{c.span[1]}] worthiness {c.checkworthiness:.2f}  {c.text}")
    return "\n".join(lines)
