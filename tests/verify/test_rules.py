from tabayyun.records import Claim, Document, Evidence, Sentence
from tabayyun.verify import RuleStance, RuleVerdict

EVIDENCE = "قالت قوات سوريا الديمقراطية إنها أسرت 157 مقاتلا معظمهم أجانب"


def _stance(claim, text):
    probs = RuleStance().predict(claim, [text])[0]
    assert abs(sum(probs.values()) - 1) < 1e-6
    return max(probs, key=probs.get)


def test_stances():
    assert _stance("أسرت قوات سوريا الديمقراطية 157 مقاتلا معظمهم أجانب", EVIDENCE) == "agree"
    assert _stance("أسرت قوات سوريا الديمقراطية 500 مقاتل معظمهم أجانب", EVIDENCE) == "disagree"
    assert _stance("فاز المنتخب بكأس البطولة بعد مباراة مثيرة", EVIDENCE) == "unrelated"


def _evidence(stance, p, text="جملة"):
    probs = {s: (p if s == stance else (1 - p) / 3) for s in ("agree", "disagree", "discuss", "unrelated")}
    return Evidence(sentence=Sentence(1, "d", 0, text), document=Document("d", text, source="مصدر"),
                    score=0.9, stance=stance, stance_probs=probs)


def test_verdict_aggregation():
    v = RuleVerdict()
    claim = Claim("ادعاء")
    assert v.decide(claim, [_evidence("agree", 0.9)])[0] == "supported"
    assert v.decide(claim, [_evidence("disagree", 0.9), _evidence("unrelated", 0.9)])[0] == "refuted"
    assert v.decide(claim, [_evidence("agree", 0.9), _evidence("disagree", 0.8)])[0] == "conflicting"
    label, _, reasons = v.decide(claim, [_evidence("agree", 0.85), _evidence("disagree", 0.6)])
    assert label == "supported" and any(r.startswith("contradicted by") for r in reasons)
    assert reasons[0].startswith("supported by"), reasons  # the deciding side first, the counter-evidence after
    assert v.decide(claim, [_evidence("agree", 0.6), _evidence("disagree", 0.85)])[0] == "refuted"
    assert v.decide(claim, [_evidence("discuss", 0.7)])[0] == "not_enough_evidence"
    assert v.decide(claim, [])[0] == "not_enough_evidence"
    label, confidence, reasons = v.decide(claim, [_evidence("agree", 0.9)])
    assert 0 < confidence <= 1 and reasons[0].startswith("supported by «جملة» (مصدر)")


def test_related_reporting_cites_only_sentences_about_the_claim():
    claim = Claim("دفع التحالف ملياري دولار لعشائر دير الزور")
    off_topic = _evidence("discuss", 0.7, "يبدأ سعر الهاتف الجديد من 899 دولارا للطراز الأساسي")
    about = _evidence("discuss", 0.7, "التقى ممثلو التحالف وجهاء العشائر في دير الزور")
    label, _, reasons = RuleVerdict().decide(claim, [off_topic])
    assert label == "not_enough_evidence" and reasons == ["no related reporting in the evidence base"]
    label, _, reasons = RuleVerdict().decide(claim, [off_topic, about])
    assert label == "not_enough_evidence" and "وجهاء العشائر" in reasons[0] and "الهاتف" not in reasons[0]


def test_a_far_weaker_losing_side_is_not_cited():
    strong = _evidence("agree", 0.85, "غادر أكثر من ستين ألف شخص الباغوز خلال شهرين")
    weak = _evidence("disagree", 0.66, "أسر 157 مقاتلا في الباغوز")
    weak.score = 0.2  # barely about the claim: 0.66 x 0.2 against 0.85 x 0.9
    label, _, reasons = RuleVerdict().decide(Claim("خرج ستون ألف شخص من الباغوز"), [strong, weak])
    assert label == "supported" and not any(r.startswith("contradicted by") for r in reasons), reasons


def test_a_close_call_is_conflicting_with_a_low_confidence():
    label, confidence, _ = RuleVerdict().decide(Claim("ادعاء"), [_evidence("agree", 0.9), _evidence("disagree", 0.88)])
    assert label == "conflicting" and confidence <= 0.5


def test_figures_from_evidence_dated_far_from_the_claim_do_not_refute_it():
    old = _evidence("disagree", 0.9, "بلغ سعر النفط 62 دولارا")
    old.document.date, old.mismatches = "2018-03-01", ["number mismatch: claim 70, evidence 62"]
    label, _, reasons = RuleVerdict().decide(Claim("بلغ سعر النفط 70 دولارا", date="2018-06-01"), [old])
    assert label == "not_enough_evidence"
    assert any("of another time (claim 2018-06-01, evidence 2018-03-01)" in r for r in reasons), reasons
    same_day = Claim("بلغ سعر النفط 70 دولارا", date="2018-03-02")
    assert RuleVerdict().decide(same_day, [old])[0] == "refuted"  # a day apart: the figure stands
    undated = Claim("بلغ سعر النفط 70 دولارا")
    assert RuleVerdict().decide(undated, [old])[0] == "refuted"


def test_a_denial_of_another_time_does_not_refute_a_dated_claim():
    old = _evidence("disagree", 0.9, "نفى المتحدث أن تكون الغارات قد استهدفت أحدا يوم الخميس")
    old.document.date, old.mismatches = "2018-08-02", ["denied: the evidence says «نفى»"]
    assert RuleVerdict().decide(Claim("قتل القيادي في غارة يوم الخميس", date="2018-04-20"), [old])[0] != "refuted"
    assert RuleVerdict().decide(Claim("قتل القيادي في غارة يوم الخميس", date="2018-08-01"), [old])[0] == "refuted"
