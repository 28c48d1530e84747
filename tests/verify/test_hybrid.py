from tabayyun.verify import CheckedStance

EVIDENCE = "قالت قوات سوريا الديمقراطية إنها أسرت 157 مقاتلا معظمهم أجانب في الباغوز"


class Fixed:
    """A stand-in model that always answers the same probabilities."""

    def __init__(self, **probs):
        self.probs = probs

    def predict(self, claim, texts):
        return [dict(self.probs) for _ in texts]


def _stance(model, claim, text=EVIDENCE):
    probs = CheckedStance(model).predict(claim, [text])[0]
    assert abs(sum(probs.values()) - 1) < 1e-9
    return max(probs, key=probs.get), probs


def test_a_stated_mismatch_overrides_the_model():
    label, probs = _stance(Fixed(agree=0.9, disagree=0.02, discuss=0.04, unrelated=0.04),
                           "أسرت قوات سوريا الديمقراطية 500 مقاتل في الباغوز")
    assert label == "disagree" and probs["disagree"] == 0.85


def test_all_specifics_stated_agrees():
    label, _ = _stance(Fixed(agree=0.1, disagree=0.6, discuss=0.2, unrelated=0.1),
                       "أسرت قوات سوريا الديمقراطية 157 مقاتلا في الباغوز")
    assert label == "agree"


def test_evidence_silent_on_the_numbers_cannot_confirm():
    label, probs = _stance(Fixed(agree=0.7, disagree=0.1, discuss=0.1, unrelated=0.1),
                           "غادر 60 ألف شخص الباغوز", "وصلت قوافل المساعدات إلى الباغوز اليوم")
    assert label == "discuss" and probs["agree"] == 0.0 and abs(probs["disagree"] - 0.1) < 1e-9


def test_claims_without_specifics_keep_the_model():
    model = Fixed(agree=0.7, disagree=0.1, discuss=0.1, unrelated=0.1)
    _, probs = _stance(model, "قوات سوريا الديمقراطية أسرت مقاتلين في الباغوز")
    assert probs == model.probs
