"""AuRED (CheckThat! 2024 task 5): Arabic rumours verified against the timelines of authorities.

Scored the task's way (``../shared/data/aured_dev/README.md``): per rumour, an evidence base of its own
timeline (one document per tweet, ``id`` = tweet id, ``source`` = account), ``verify`` of the rumour
text, supported -> SUPPORTS, refuted -> REFUTES, anything else -> NOT ENOUGH INFO, and the distinct
evidence tweet ids in rank order (top 5) as the retrieved list.
"""
from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from tabayyun.records import Document, Evidence, Verdict

__all__ = ["Rumour", "RumourResult", "load_aured", "run_aured", "score_aured", "AURED_LABELS"]

AURED_LABELS = ("SUPPORTS", "REFUTES", "NOT ENOUGH INFO")
_TO_AURED = {"supported": "SUPPORTS", "refuted": "REFUTES"}
TOP = 5


@dataclass
class Rumour:
    id: str
    fold: int
    text: str
    label: str
    timeline: list[Document]
    evidence_ids: frozenset[str]


@dataclass
class RumourResult:
    rumour: Rumour
    predicted: str
    retrieved: list[str]  # distinct tweet ids, in rank order
    verdict: dict = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)  # the weighed evidence, stances set

    @property
    def hit(self) -> bool:
        return bool(self.rumour.evidence_ids & set(self.retrieved[:TOP]))


def _account(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def load_aured(path: Path) -> list[Rumour]:
    """The rumours of ``aured_folds1-2.jsonl`` with their timelines as documents."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            docs = [Document(id=str(tid), text=text, source=_account(url)) for url, tid, text in row["timeline"]]
            out.append(Rumour(str(row["id"]), int(row["fold"]), row["rumor"], row["label"], docs,
                              frozenset(str(e[1]) for e in row["evidence"])))
    return out


def _retrieved(verdict: Verdict) -> list[str]:
    ids: list[str] = []
    for e in verdict.evidence:
        for doc_id in (e.document.id, *e.also_ids):
            if doc_id not in ids:
                ids.append(doc_id)
    return ids[:TOP]


def run_aured(rumours: Sequence[Rumour], make: Callable[[Path], "object"] | None = None) -> list[RumourResult]:
    """Verify each rumour against an evidence base of its own timeline."""
    from tabayyun.pipeline import Tabayyun

    results = []
    for rumour in rumours:
        with tempfile.TemporaryDirectory() as tmp:
            tb = make(Path(tmp)) if make else Tabayyun(tmp, create=True)
            try:
                tb.add_documents(rumour.timeline)  # type: ignore[attr-defined]
                verdict = tb.verify(rumour.text)  # type: ignore[attr-defined]
            finally:
                tb.close()  # type: ignore[attr-defined]
        results.append(RumourResult(rumour, _TO_AURED.get(verdict.label, "NOT ENOUGH INFO"), _retrieved(verdict),
                                    verdict.to_dict(), verdict.evidence))
    return results


def _macro_f1(gold: Sequence[str], pred: Sequence[str]) -> tuple[float, dict[str, float]]:
    per = {}
    for label in AURED_LABELS:
        tp = sum(g == p == label for g, p in zip(gold, pred))
        fp = sum(p == label and g != label for g, p in zip(gold, pred))
        fn = sum(g == label and p != label for g, p in zip(gold, pred))
        per[label] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return sum(per.values()) / len(per), per


def score_aured(results: Sequence[RumourResult]) -> dict:
    """Macro-F1, strict macro-F1 (a correct SUPPORTS/REFUTES counts only with a gold tweet among the
    retrieved; otherwise it is scored as NOT ENOUGH INFO), per-class F1, confusion, R@5 and MAP."""
    gold = [r.rumour.label for r in results]
    pred = [r.predicted for r in results]
    strict = [p if p == "NOT ENOUGH INFO" or p != g or r.hit else "NOT ENOUGH INFO"
              for r, g, p in zip(results, gold, pred)]
    macro, per = _macro_f1(gold, pred)
    strict_macro, _ = _macro_f1(gold, strict)
    with_evidence = [r for r in results if r.rumour.evidence_ids]
    recall, ap = [], []
    for r in with_evidence:
        gold_ids, got = r.rumour.evidence_ids, r.retrieved[:TOP]
        recall.append(len(gold_ids & set(got)) / len(gold_ids))
        hits, precisions = 0, []
        for rank, doc_id in enumerate(got, 1):
            if doc_id in gold_ids:
                hits += 1
                precisions.append(hits / rank)
        ap.append(sum(precisions) / min(len(gold_ids), TOP))
    confusion = {g: {p: sum(1 for x, y in zip(gold, pred) if x == g and y == p) for p in AURED_LABELS}
                 for g in AURED_LABELS}
    refuted_share = pred.count("REFUTES") / max(1, len(pred))
    gold_refuted = gold.count("REFUTES") / max(1, len(gold))
    return {"n": len(results), "macro_f1": macro, "strict_macro_f1": strict_macro, "per_class_f1": per,
            "recall_at_5": sum(recall) / max(1, len(recall)), "map": sum(ap) / max(1, len(ap)),
            "confusion": confusion, "refuted_share": refuted_share, "gold_refuted_share": gold_refuted}
