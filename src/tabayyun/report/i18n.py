"""Arabic renderings of the English reason strings that verdicts carry.

Reasons are produced in English (the stable JSON form, e.g. ``number mismatch: claim 500, evidence
157``); ``reason_ar`` renders one for the Arabic report and page. A reason with no rendering is
returned as it is.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

__all__ = ["reason_ar", "reasons_ar"]

_TEMPLATES: list[tuple[re.Pattern[str], str]] = [(re.compile(p), t) for p, t in [
    (r"^number mismatch: claim (.+?), evidence (.+)$", "اختلاف في الأرقام: الادعاء {f0}، الدليل {f1}"),
    (r"^date mismatch: claim (.+?), evidence (.+)$", "اختلاف في التاريخ: الادعاء {0}، الدليل {1}"),
    (r"^opposite action: claim '(.+?)', evidence '(.+)'$", "فعل معاكس: الادعاء يذكر {p0} والدليل يذكر {p1}"),
    (r"^negation mismatch: the claim negates '(.+)'$", "نفي: الادعاء ينفي {p0} والدليل يثبته"),
    (r"^negation mismatch: the evidence negates '(.+)'$", "نفي: الدليل ينفي {p0} والادعاء يثبته"),
    (r"^actor mismatch: claim (.+?), evidence (.+)$", "اختلاف في الفاعل: الادعاء {0}، الدليل {1}"),
    (r"^opposite wording: claim «(.+?)», evidence «(.+)»$", "عكس المعنى: الادعاء «{0}» والدليل «{1}»"),
    (r"^wording mismatch: claim «(.+?)», evidence «(.+)»$",
     "اختلاف في الصياغة يغيّر المعنى: الادعاء «{0}» والدليل «{1}»"),
    (r"^denied: the evidence says «(.+)»$", "نفي صريح: يقول الدليل «{0}»"),
    (r"^figures or denials of another time \(claim (.+?), evidence (.+?)\): (.+)$",
     "أرقام أو نفي من وقت آخر (الادعاء {0}، الدليل {1}) فلا ينقض الادعاء: {2}"),
    (r"^supported by (.+)$", "يؤيده {0}"),
    (r"^contradicted by (.+)$", "يناقضه {0}"),
    (r"^related reporting found, but it neither states nor contradicts the claim: (.+)$",
     "وُجدت تقارير ذات صلة لكنها لا تثبت الادعاء ولا تنفيه: {0}"),
    (r"^no related reporting in the evidence base$", "لا توجد تقارير ذات صلة في قاعدة الأدلة"),
]]


# how a figure stated as a bound reads ("at least 14" -> "على الأقل 14")
_BOUNDS_AR = (("at least ", "على الأقل "), ("at most ", "على الأكثر "), ("about ", "نحو "))


def _figure_ar(figure: str) -> str:
    return next((ar + figure[len(en):] for en, ar in _BOUNDS_AR if figure.startswith(en)), figure)


@lru_cache(maxsize=1)
def _predicate_names() -> dict[str, str]:
    text = (resources.files("tabayyun.report") / "data" / "predicate_names.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#"))
    return {key: name.strip() for key, name in rows}


def reason_ar(reason: str) -> str:
    """The Arabic rendering of one reason."""
    names = _predicate_names()
    for pattern, template in _TEMPLATES:
        match = pattern.match(reason)
        if match:
            groups = match.groups()
            return template.format(*groups, **{f"p{i}": names.get(g, g) for i, g in enumerate(groups)},
                                   **{f"f{i}": _figure_ar(g) for i, g in enumerate(groups)})
    return reason


def reasons_ar(reasons: list[str]) -> list[str]:
    return [reason_ar(r) for r in reasons]
