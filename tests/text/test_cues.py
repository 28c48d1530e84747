import pytest

from tabayyun.text import (OPPOSITES, find_attributed, find_formulae, find_negations, predicate_classes,
                           predicate_polarity)


def _cues(text):
    return [text[a:b] for a, b in find_negations(text)]


@pytest.mark.parametrize("text, cues", [
    ("هذا ليس إعلان نصر", ["ليس"]),
    ("المعارك لم تنته بعد", ["لم"]),
    ("لن ننسحب", ["لن"]),
    ("ونفت الوزارة الخبر", ["ونفت"]),
    ("لا صحة لهذه الأنباء", ["لا صحة"]),
    ("الخبر عار عن الصحة", ["عار عن الصحة"]),
    ("وهي أنباء كاذبة", ["كاذبة"]),
    ("قرار غير مسبوق", ["غير"]),
    ("بسبب عدم الالتزام", ["عدم"]),
    ("ما كان الهجوم ممكنا", ["ما كان"]),
])
def test_negation_cues(text, cues):
    assert _cues(text) == cues


@pytest.mark.parametrize("text", [
    "لا تزال هناك بعض الجيوب",
    "ما زالت الاشتباكات مستمرة",
    "لا سيما في الشرق",
    "غير أن المعارك استمرت",
    "فلم اميركي طويل",
    "أسرت القوات 157 مقاتلا",
])
def test_not_negations(text):
    assert find_negations(text) == []


@pytest.mark.parametrize("text, classes", [
    ("قالت إنها أسرت 157 مقاتلا", {"capture"}),
    ("اعتقلت الشرطة ثلاثة", {"capture"}),
    ("ألقت القوات القبض على قائد", {"capture"}),
    ("قسد افرجت عن مئات", {"release"}),
    ("أطلقت سراح المعتقلين", {"release"}),
    ("أخلت سبيل الصحفي", {"release"}),
    ("ارتفعت الأسعار", {"increase"}),
    ("تراجعت الصادرات", {"decrease"}),
    ("العملة تهبط إلى أدنى مستوياتها", {"decrease"}),
    ("مخاوف تدفع الأسهم للانهيار", {"decrease"}),
    ("صعود أسعار القمح", {"increase"}),
    ("قفزة في الصادرات", {"increase"}),
    ("فاز الفريق", {"win"}),
    ("خسر الحزب", {"lose"}),
    ("رفضت الحكومة العرض", {"reject"}),
    ("هذا ليس إعلان نصر", {"declare_victory"}),
    ("اسرائيل تبني", set()),
])
def test_predicate_classes(text, classes):
    assert predicate_classes(text) == classes


def test_opposites_are_symmetric():
    assert OPPOSITES["capture"] == "release"
    assert OPPOSITES["release"] == "capture"
    for a, b in OPPOSITES.items():
        assert OPPOSITES[b] == a


def test_capture_and_release_conflict():
    claim, evidence = predicate_classes("افرجت قسد عن عناصر"), predicate_classes("أسرت قسد عناصر")
    assert any(OPPOSITES.get(c) in evidence for c in claim)


@pytest.mark.parametrize("text, polarity", [
    ("لم تطلق قسد سراح أي مقاتل", {"release": True}),
    ("نفت قسد أن تكون أطلقت سراح مقاتلين", {"release": True}),
    ("أطلقت قسد سراح مئات المقاتلين", {"release": False}),
    # the negation governs another verb, far before the predicate
    ("لم يعلق المتحدث على الأنباء التي تقول إن القوات في الشرق أطلقت سراح مئات", {"release": False}),
    ("أطلقت القوات سراح عشرة ولم تطلق سراح الباقين", {"release": None}),
    ("ارتفعت الأسعار", {"increase": False}),
    ("اسرائيل تبني", {}),
])
def test_predicate_polarity_is_scoped_to_the_nearby_negation(text, polarity):
    assert predicate_polarity(text) == polarity
    assert set(polarity) == predicate_classes(text)


def test_the_model_reads_only_the_lexicon_it_was_trained_with():
    assert predicate_classes("العملة تهبط إلى أدنى مستوياتها") == {"decrease"}
    assert predicate_classes("العملة تهبط إلى أدنى مستوياتها", model=True) == set()
    assert predicate_classes("تراجعت الصادرات", model=True) == {"decrease"}


@pytest.mark.parametrize("text, cues", [
    ("الخبر مش صحيح", ["مش صحيح"]),
    ("هذا مو صحيح", ["مو صحيح"]),
    ("الكلام مب صحيح", ["مب صحيح"]),
    ("مش راح يطلقوا سراحهم", ["مش"]),
    ("ماكو إصابات", ["ماكو"]),
    ("مافي إصابات", ["مافي"]),
    ("وما في إصابات", ["وما في"]),
])
def test_dialect_negations(text, cues):
    assert _cues(text) == cues


@pytest.mark.parametrize("text", ["أهم ما في الاتفاق", "كل ما في الأمر", "سنبذل ما في وسعنا"])
def test_ma_fi_as_relative_clause_is_not_negation(text):
    assert find_negations(text) == []


def test_formulae_are_whole_phrases():
    text = "عاجل: رحيل الشاعر رحمه الله، ونعاه حزب الله"
    assert [text[a:b] for a, b in find_formulae(text)] == ["عاجل", "رحمه الله"]


def test_find_attributed_marks_a_report_attributed_to_a_source():
    text = "هذا الخبر المنسوب لقناة المدار والتصريحات المنسوبة إلى الوزير غير صحيحة"
    assert [text[a:b] for a, b in find_attributed(text)] == ["المنسوب", "المنسوبة"]
    assert find_attributed("نسب الكاتب القصيدة إلى الشاعر") == []

def test_a_negation_does_not_reach_past_a_concessive_or_a_contrast():
    # what follows "رغم" / "بل" is stated, not negated
    assert predicate_polarity("المعاهدة لم تنته رغم انسحاب الحكومة منها") == {"withdraw": False}
    assert predicate_polarity("المعاهدة لم تنته بالرغم من انسحاب الحكومة") == {"withdraw": False}
    assert predicate_polarity("لم تنسحب الحكومة من المعاهدة") == {"withdraw": True}
