"""unifiedfc (Baly et al. 2018), end to end: claims about the Syrian war verified against the web articles.

One evidence base holds every distinct article of folds 1-4 (one document per article text, ``source`` =
the URL's host, the page as it was crawled, boilerplate and all: ingest is the only cleaning). Each
claim is verified as the CLI does (``Tabayyun.verify``, no date). ``R-*`` claims (from Reuters) are true,
``V-*`` (from the VERIFY fact-checking site) false. Scored: the verdicts of true and of false claims, the
share of true claims refuted (the harm), of false claims supported, macro-F1 of true->supported /
false->refuted (strict: anything else is wrong; lenient: over the decided verdicts only), and whether
a decided verdict cites an article that the claim's annotators marked agree or disagree.
"""
from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence
from urllib.parse import urlparse

from tabayyun.models.data import load_unifiedfc
from tabayyun.records import VERDICTS, Document, Evidence, Verdict

__all__ = ["UfcCase", "UfcResult", "load_ufc_verdicts", "run_ufc_verdicts", "score_ufc_verdicts",
           "render_ufc_verdicts", "FOLD_GROUPS"]

FOLD_GROUPS: dict[str, tuple[int, ...]] = {"folds 1-3": (1, 2, 3), "fold 4": (4,), "folds 1-4": (1, 2, 3, 4)}
DECIDED = ("supported", "refuted")
_STATED = ("agree", "disagree")


@dataclass(frozen=True)
class UfcCase:
    """One claim, its truth, and the base's documents its annotators read as agree/disagree (and all stances)."""

    id: str
    fold: int
    claim: str
    true: bool
    stated_ids: frozenset[str]
    stances: dict[str, str] = field(default_factory=dict, compare=False)  # doc id -> stance for this claim


@dataclass
class UfcResult:
    case: UfcCase
    label: str
    confidence: float
    cited: list[str]  # document ids of the weighed evidence (with their duplicates), in rank order
    reasons: list[str] = field(default_factory=list)
    sentence: str = ""  # the first evidence sentence
    evidence: list[Evidence] = field(default_factory=list)  # the weighed evidence, stances set

    @property
    def cites_stated(self) -> bool:
        return bool(self.case.stated_ids & set(self.cited))


def _host(url: str) -> str:
    host = (urlparse(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def load_ufc_verdicts(data_dir: Path, folds: Iterable[int] = (1, 2, 3, 4)) -> tuple[list[Document], list[UfcCase]]:
    """The distinct articles of ``folds`` (by text, first occurrence kept) and the claims with their labels."""
    docs: dict[str, Document] = {}
    cases = []
    for c in load_unifiedfc(data_dir, folds):
        stances: dict[str, str] = {}
        for n, (text, url, stance) in enumerate(zip(c.articles, c.urls, c.stances)):
            if not text.strip():
                continue
            doc = docs.setdefault(text.strip(), Document(id=f"{c.id}-{n}", text=text, source=_host(url), url=url))
            if stances.get(doc.id) not in _STATED:  # the same text twice under one claim: a stated label wins
                stances[doc.id] = stance
        cases.append(UfcCase(c.id, c.fold, c.claim, c.true,
                             frozenset(d for d, s in stances.items() if s in _STATED), stances))
    return list(docs.values()), cases


def _cited(verdict: Verdict) -> list[str]:
    return [doc_id for e in verdict.evidence for doc_id in (e.document.id, *e.also_ids)]


def run_ufc_verdicts(documents: Sequence[Document], cases: Sequence[UfcCase]) -> list[UfcResult]:
    """Verify every claim against one base of ``documents``."""
    from tabayyun.pipeline import Tabayyun

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        tb = Tabayyun(tmp, create=True)
        try:
            tb.add_documents(documents)
            for case in cases:
                v = tb.verify(case.claim)
                results.append(UfcResult(case, v.label, v.confidence, _cited(v), list(v.reasons),
                                         v.evidence[0].sentence.text if v.evidence else "", v.evidence))
        finally:
            tb.close()
    return results


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _macro_f1(pairs: Sequence[tuple[bool, str]]) -> float:
    """Mean F1 of the classes true (predicted ``supported``) and false (predicted ``refuted``); any other
    verdict is a miss for its claim's class and a false alarm for neither."""
    per = []
    for truth, label in ((True, "supported"), (False, "refuted")):
        tp = sum(t == truth and p == label for t, p in pairs)
        fp = sum(t != truth and p == label for t, p in pairs)
        fn = sum(t == truth and p != label for t, p in pairs)
        per.append(_f1(tp, fp, fn))
    return sum(per) / 2


def score_ufc_verdicts(results: Sequence[UfcResult]) -> dict[str, Any]:
    """Figures of one group of results (see the module's docstring)."""
    true = [r for r in results if r.case.true]
    false = [r for r in results if not r.case.true]
    decided = [r for r in results if r.label in DECIDED]
    pairs = [(r.case.true, r.label) for r in results]
    return {
        "n": len(results), "n_true": len(true), "n_false": len(false),
        "true_verdicts": Counter(r.label for r in true), "false_verdicts": Counter(r.label for r in false),
        "true_refuted": sum(r.label == "refuted" for r in true) / max(1, len(true)),
        "false_supported": sum(r.label == "supported" for r in false) / max(1, len(false)),
        "macro_f1": _macro_f1(pairs),
        "lenient_macro_f1": _macro_f1([(r.case.true, r.label) for r in decided]),
        "decided": len(decided),
        "decided_right": sum((r.label == "supported") == r.case.true for r in decided),
        "decided_cite_stated": sum(r.cites_stated for r in decided),
        "right_cite_stated": sum(r.cites_stated and (r.label == "supported") == r.case.true for r in decided),
    }


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _cell(text: str) -> str:
    return text.replace("|", "/").replace("\n", " ")


def _dist(counts: Counter[str], n: int) -> str:
    return " / ".join(f"{counts[v]}" for v in VERDICTS) + f" (of {n})"


def render_ufc_verdicts(ufc: dict[str, Any]) -> list[str]:
    """Markdown lines of the unifiedfc figures."""
    order = " / ".join(VERDICTS)
    out = [f"| unifiedfc ({ufc['n_documents']:,}-article base) | claims | true: {order} | false: {order} | "
           "true refuted | false supported | macro-F1 | lenient macro-F1 | decided (right) | decided citing "
           "an agree/disagree article (right ones) |", "|---|---|---|---|---|---|---|---|---|---|"]
    for name, s in ufc["groups"].items():
        out.append(f"| {name} | {s['n']} | {_dist(s['true_verdicts'], s['n_true'])} | "
                   f"{_dist(s['false_verdicts'], s['n_false'])} | {_pct(s['true_refuted'])} | "
                   f"{_pct(s['false_supported'])} | {s['macro_f1']:.3f} | {s['lenient_macro_f1']:.3f} | "
                   f"{s['decided']} ({s['decided_right']}) | {s['decided_cite_stated']} ({s['right_cite_stated']}) |")
    if ufc["wrong"]:
        out += ["", "| wrong decided verdict | fold | claim | verdict | stance of the cited article | first reason |",
                "|---|---|---|---|---|---|"]
        for r in ufc["wrong"]:
            stance = r.case.stances.get(r.cited[0], "another claim's article") if r.cited else "none"
            reason = (r.reasons[:1] or [""])[0][:120]
            out.append(f"| {r.case.id} | {r.case.fold} | {_cell(r.case.claim[:80])} | {r.label} | {stance} | "
                       f"{_cell(reason)} |")
    return out
