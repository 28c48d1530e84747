"""AuRED scoring the task's way, on rumours written for the test."""
import json

from tabayyun.evaluation.aured import Rumour, RumourResult, load_aured, score_aured
from tabayyun.evaluation.endtoend import render_endtoend, seed_claims


def _result(label, predicted, retrieved, gold_ids=("g1",)):
    rumour = Rumour("r", 1, "نص", label, [], frozenset(gold_ids if label != "NOT ENOUGH INFO" else ()))
    return RumourResult(rumour, predicted, list(retrieved), {"confidence": 0.8})


def test_strict_counts_a_right_label_only_with_gold_evidence():
    results = [_result("SUPPORTS", "SUPPORTS", ["x", "g1"]), _result("REFUTES", "REFUTES", ["x", "y"]),
               _result("NOT ENOUGH INFO", "NOT ENOUGH INFO", ["z"])]
    s = score_aured(results)
    assert s["macro_f1"] == 1.0
    assert s["per_class_f1"]["REFUTES"] == 1.0 and s["strict_macro_f1"] < 1.0
    assert s["recall_at_5"] == 0.5 and s["map"] == 0.25  # g1 at rank 2 for one rumour, none for the other
    assert s["confusion"]["REFUTES"]["REFUTES"] == 1 and s["refuted_share"] == 1 / 3


def test_load_reads_timelines_as_documents(tmp_path):
    row = {"id": "AuRED_x", "fold": 1, "rumor": "خبر", "label": "REFUTES",
           "timeline": [["https://twitter.com/moh", 11, "تغريدة أولى"], ["https://twitter.com/moh", 12, "ثانية"]],
           "evidence": [["https://twitter.com/moh", 12, "ثانية"]]}
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    rumour = load_aured(path)[0]
    assert [(d.id, d.source) for d in rumour.timeline] == [("11", "moh"), ("12", "moh")]
    assert rumour.evidence_ids == frozenset({"12"})


def test_seed_claims_ship_with_the_package():
    claims = seed_claims()
    assert sum(expected == "supported" for _, expected in claims) >= 8
    assert ("قسد أفرجت عن مئات من عناصر داعش", "refuted") in claims


def test_reliability_rows_are_rendered():
    s = score_aured([_result("SUPPORTS", "SUPPORTS", ["g1"])])
    s["folds"] = {1: s, 2: s}
    s["decided"] = [(0.85, 0.75, True), (0.55, 0.52, False), (0.45, 0.5, True)]
    text = render_endtoend(s, None)
    assert "| 0.8-0.9 | 1 | 100.0% |  |  |" in text and "| 0.7-0.8 |  |  | 1 | 100.0% |" in text
    assert "| below 0.5 | 1 | 100.0% |  |  |" in text and "| 0.5-0.6 | 1 | 0.0% | 2 | 50.0% |" in text
    assert "Expected calibration error (10 bins): 0.417 -> 0.090" in text
