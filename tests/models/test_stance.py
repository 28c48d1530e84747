"""The stance model's results kept by call: a call made again is read, not computed, to the same values."""
from __future__ import annotations

from tabayyun.models.stance import LearnedStance

CLAIM = "افتتاح الجسر في حلب بعد 3 أيام"
TEXTS = ["تم افتتاح الجسر في حلب", "القائمة الرئيسية\nتم إغلاق الجسر في حلب رسميا\nحقوق النشر محفوظة"]


def test_a_call_is_computed_once_and_its_results_read_back_equal(trained, encoder, monkeypatch):
    computed: list[tuple[str, tuple[str, ...]]] = []
    inner = LearnedStance._proba
    monkeypatch.setattr(LearnedStance, "_proba", lambda self, claim, texts: computed.append((claim, tuple(texts)))
                        or inner(self, claim, texts))
    model = LearnedStance.pretrained(trained, encoder=encoder)
    first = model.predict(CLAIM, TEXTS)
    assert model.predict(CLAIM, TEXTS) == first and computed == [(CLAIM, tuple(TEXTS))]
    assert model.predict(CLAIM, TEXTS[:1])[0] != first[1] and len(computed) == 2  # another call: computed
    fresh = LearnedStance.pretrained(trained, encoder=encoder)  # a new process, given what was kept
    key = model.call_key(CLAIM, TEXTS)
    fresh.predictions.remember({key: model.predictions.get(key)})
    assert fresh.predict(CLAIM, TEXTS) == first and len(computed) == 2


def test_call_keys_tell_the_claim_from_its_texts():
    keys = {LearnedStance.call_key("a b", ["c"]), LearnedStance.call_key("a", ["b c"]),
            LearnedStance.call_key("a", ["b", "c"]), LearnedStance.call_key("a", ["c", "b"])}
    assert len(keys) == 4
