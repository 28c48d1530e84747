"""The rule every stance obeys, whatever the learned model says (CheckedStance)."""
from tabayyun.verify import CheckedStance

EVIDENCE = "قالت قوات سوريا الديمقراطية إنها أسرت 157 مقاتلا معظمهم أجانب في الباغوز"


class Fixed:
    """A stand-in model that always answers the same probabilities."""

    def __init__(self, **probs):
        self.probs = probs

    def predict(self, claim, texts):
        return [dict(self.probs) for _ in texts]


AGREES = Fixed(agree=0.9, disagree=0.02, discuss=0.04, unrelated=0.04)
DISAGREES = Fixed(agree=0.02, disagree=0.9, discuss=0.04, unrelated=0.04)


class Cosine:
    """A stand-in encoder: every text but the first gets cosine ``value`` with the first."""

    def __init__(self, value):
        self.value = value

    def encode(self, texts):
        import numpy as np

        other = np.sqrt(1 - self.value ** 2)
        return np.array([[1.0, 0.0]] + [[self.value, other]] * (len(texts) - 1))


def _stance(model, claim, text=EVIDENCE, encoder=None):
    probs = CheckedStance(model, encoder=encoder).predict(claim, [text])[0]
    assert abs(sum(probs.values()) - 1) < 1e-9
    return max(probs, key=probs.get), probs


def test_a_stated_mismatch_about_the_same_thing_disagrees_whatever_the_model_says():
    label, probs = _stance(AGREES, "أسرت قوات سوريا الديمقراطية 500 مقاتل في الباغوز")
    assert label == "disagree" and probs["disagree"] >= 0.6


def test_restatement_agrees_even_when_the_model_reads_disagree():
    label, _ = _stance(DISAGREES, "أسرت قوات سوريا الديمقراطية 157 مقاتلا في الباغوز")
    assert label == "agree"


def test_same_topic_other_fact_never_disagrees():
    # about Baghouz too, but it neither states nor denies the capture of fighters
    label, probs = _stance(DISAGREES, "أسرت قوات سوريا الديمقراطية 157 مقاتلا في الباغوز",
                           "وصلت قوافل المساعدات الإنسانية إلى مخيمات النازحين قرب الباغوز")
    assert label != "disagree" and probs["disagree"] == 0.0


def test_opposite_action_without_a_shared_actor_is_no_contradiction():
    label, _ = _stance(DISAGREES, "فاز المنتخب السوري بكأس آسيا", "خسر المنتخب المصري مباراته في كأس العالم")
    assert label != "disagree"


def test_evidence_silent_on_the_numbers_cannot_confirm():
    label, probs = _stance(AGREES, "غادر 60 ألف شخص الباغوز", "غادر آلاف الأشخاص الباغوز خلال الأسابيع الماضية")
    assert label != "agree" and probs["agree"] == 0.0


def test_an_explicit_denial_of_the_same_report_disagrees():
    label, _ = _stance(AGREES, "وزارة الصحة تعلن تسجيل 75 إصابة جديدة بالكوليرا في العاصمة",
                       "تؤكد وزارة الصحة أن ما تم تداوله عن تسجيل إصابات بالكوليرا في العاصمة عار عن الصحة")
    assert label == "disagree"


def test_a_denial_of_something_else_is_no_contradiction():
    label, _ = _stance(AGREES, "وزارة الصحة تعلن تسجيل 75 إصابة جديدة بالكوليرا في العاصمة",
                       "نفت وزارة التربية إلغاء امتحانات الثانوية العامة")
    assert label != "disagree"


def test_a_topical_line_is_no_paraphrase_when_vectors_say_so():
    claim = "أسرت قوات سوريا الديمقراطية 157 مقاتلا في الباغوز"
    assert _stance(DISAGREES, claim, encoder=Cosine(0.97))[0] == "agree"
    assert _stance(AGREES, claim, encoder=Cosine(0.85))[0] != "agree"


def test_link_digits_are_no_number_mismatch():
    label, _ = _stance(AGREES, "أسرت قوات سوريا الديمقراطية 157 مقاتلا في الباغوز https://t.co/a5000b",
                       EVIDENCE + " https://t.co/x31Zq")
    assert label == "agree"


class Counting(Fixed):
    def __init__(self, **probs):
        super().__init__(**probs)
        self.calls = 0

    def predict(self, claim, texts):
        self.calls += 1
        return super().predict(claim, texts)


def test_a_claim_read_again_against_the_same_evidence_is_not_read_twice():
    model = Counting(agree=0.9, disagree=0.02, discuss=0.04, unrelated=0.04)
    stance = CheckedStance(model, remember=1)
    claim = "أسرت قوات سوريا الديمقراطية 157 مقاتلا في الباغوز"
    first = stance.predict(claim, [EVIDENCE])
    first[0]["agree"] = -1.0  # a caller changing what it got changes nothing kept
    assert stance.predict(claim, [EVIDENCE]) == CheckedStance(model).predict(claim, [EVIDENCE])
    assert model.calls == 2  # the second call came from memory; the third is another CheckedStance
    stance.predict(claim, [EVIDENCE, "هطول أمطار غزيرة على عمان"])
    stance.predict(claim, [EVIDENCE])  # pushed out by the call before (remember=1): read again
    assert model.calls == 4
