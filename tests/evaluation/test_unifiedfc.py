"""unifiedfc end-to-end scoring, on hand-made results and a hand-made data file."""
import gzip
import json

from tabayyun.evaluation.endtoend import eval_ufc_verdicts, render_endtoend
from tabayyun.evaluation.unifiedfc import UfcCase, UfcResult, load_ufc_verdicts, score_ufc_verdicts


def _result(true, label, cited=(), stated=("a",)):
    case = UfcCase("R-1" if true else "V-1", 1, "ادعاء", true, frozenset(stated))
    return UfcResult(case, label, 0.8, list(cited))


def test_strict_counts_not_enough_evidence_as_wrong_and_lenient_drops_it():
    results = [_result(True, "supported", ["a"]), _result(True, "not_enough_evidence"),
               _result(False, "refuted", ["x"]), _result(False, "not_enough_evidence")]
    s = score_ufc_verdicts(results)
    # each class: tp 1, fp 0, fn 1 -> F1 2/3; over the decided ones both are perfect
    assert abs(s["macro_f1"] - 2 / 3) < 1e-9 and s["lenient_macro_f1"] == 1.0
    assert s["true_refuted"] == 0 and s["false_supported"] == 0
    assert s["true_verdicts"]["not_enough_evidence"] == 1 and s["decided"] == 2 and s["decided_right"] == 2
    assert s["decided_cite_stated"] == 1  # the refutation cites "x", which its annotators did not mark


def test_harm_figures_and_errors():
    results = [_result(True, "refuted", ["a"]), _result(True, "supported", ["b"]), _result(False, "supported", ["a"]),
               _result(False, "conflicting")]
    s = score_ufc_verdicts(results)
    assert s["true_refuted"] == 0.5 and s["false_supported"] == 0.5
    assert s["macro_f1"] == 0.25  # true: tp 1, fp 1, fn 1 -> 0.5; false: no refuted false claim -> 0
    assert s["decided_right"] == 1 and s["right_cite_stated"] == 0


def _write(tmp_path, rows):
    (tmp_path / "unifiedfc").mkdir()
    with gzip.open(tmp_path / "unifiedfc" / "unifiedfc_folds1-4.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))


def test_load_keeps_one_document_per_text_and_maps_stances(tmp_path):
    rows = [{"id": "R-1", "claim": "خبر أول", "fact": "true", "fold": "Fold_1", "article": ["نص أ", "نص ب", ""],
             "url": ["https://www.example.com/x", "http://news.org/y", "http://z.org"],
             "stance": ["agree", "unrelated", "agree"], "rationale": ["[0]", "", ""]},
            {"id": "V-2", "claim": "خبر ثان", "fact": "false", "fold": "Fold_4", "article": ["نص ب "],
             "url": ["http://other.net/b"], "stance": ["disagree"], "rationale": ["[0]"]}]
    _write(tmp_path, rows)
    docs, cases = load_ufc_verdicts(tmp_path)
    assert [(d.id, d.source) for d in docs] == [("R-1-0", "example.com"), ("R-1-1", "news.org")]
    assert cases[0].true and not cases[1].true and cases[1].fold == 4
    assert cases[0].stated_ids == frozenset({"R-1-0"}) and cases[1].stated_ids == frozenset({"R-1-1"})
    assert load_ufc_verdicts(tmp_path, folds=(4,))[1][0].id == "V-2"


def test_rendered_with_the_wrong_verdicts_listed():
    wrong = _result(True, "refuted", ["a"])
    wrong.reasons = ["number mismatch | 15 against 1.7"]
    groups = {name: score_ufc_verdicts([wrong]) for name in ("folds 1-3", "fold 4", "folds 1-4")}
    text = render_endtoend(None, None, {"n_documents": 3, "groups": groups, "wrong": [wrong],
                                        "by_group": {"folds 1-3": {"decided": [(0.8, 0.6, False)]},
                                                     "fold 4": {"decided": []}}})
    assert "| fold 4 | 1 | 0 / 1 / 0 / 0 (of 1) |" in text
    assert "number mismatch / 15 against 1.7" in text and "| 0.8-0.9 | 1 | 0.0% |  |  |" in text
    assert "unifiedfc folds 1-3, before -> after" in text and "unifiedfc fold 4" not in text


def test_eval_verifies_each_claim_against_one_base(tmp_path):
    report = "أسرت قوات سوريا الديمقراطية 157 مقاتلا معظمهم أجانب في الباغوز يوم الأحد."
    _write(tmp_path, [
        {"id": "R-1", "claim": "أسرت قوات سوريا الديمقراطية 157 مقاتلا معظمهم أجانب", "fact": "true",
         "fold": "Fold_1", "article": [report], "url": ["https://www.example.com/a"], "stance": ["agree"],
         "rationale": ["[0]"]},
        {"id": "V-2", "claim": "وصل فريق كرة السلة إلى الدوحة للمشاركة في البطولة", "fact": "false",
         "fold": "Fold_4", "article": ["ارتفعت أسعار النفط في الأسواق العالمية."], "url": ["http://b.org/x"],
         "stance": ["unrelated"], "rationale": [""]}])
    out = eval_ufc_verdicts(tmp_path)
    assert out["n_documents"] == 2
    assert out["groups"]["folds 1-3"]["true_verdicts"]["supported"] == 1
    assert out["groups"]["folds 1-3"]["decided_cite_stated"] == 1
    assert out["groups"]["fold 4"]["false_verdicts"]["not_enough_evidence"] == 1 and not out["wrong"]
    (before, after, right), = out["by_group"]["folds 1-3"]["decided"]  # the R-1 claim, supported
    (features, _), = out["by_group"]["folds 1-3"]["features"]
    assert right and features.group == "statement" and abs(features.score - before) < 1e-4 and 0.5 <= after < 1
