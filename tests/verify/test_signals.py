from tabayyun.verify import compare

EVIDENCE = "قالت قوات سوريا الديمقراطية إنها أسرت 157 مقاتلا معظمهم أجانب عام 2019"


def test_same_number_matches():
    s = compare("أسرت قوات سوريا الديمقراطية 157 مقاتلا", EVIDENCE)
    assert s.numbers_matched == 1 and not s.mismatches and s.overlap > 0.6


def test_changed_number_is_named():
    s = compare("أسرت قوات سوريا الديمقراطية 500 مقاتل", EVIDENCE)
    assert "number mismatch: claim 500, evidence 157" in s.mismatches


def test_number_words_compare_with_digits():
    s = compare("أسرت قسد مئة وسبعة وخمسين مقاتلا", EVIDENCE)
    assert s.numbers_matched == 1 and not s.mismatches


def test_unrelated_number_is_no_mismatch():
    s = compare("أسرت قوات سوريا الديمقراطية 157 مقاتلا", "ارتفعت الأسعار 12 في المئة")
    assert not s.mismatches


def test_changed_year():
    s = compare("أسرت قوات سوريا الديمقراطية 157 مقاتلا عام 2017", EVIDENCE)
    assert "date mismatch: claim 2017, evidence 2019" in s.mismatches


def test_opposite_action():
    s = compare("أفرجت قوات سوريا الديمقراطية عن مقاتلين أجانب", EVIDENCE)
    assert any(m.startswith("opposite action") for m in s.mismatches)


def test_aliases_count_as_the_same_entity():
    s = compare("قسد أسرت 157 مقاتلا", EVIDENCE)
    assert s.entities_shared >= 1 and s.entities_missing == 0


def test_negated_action_is_a_mismatch():
    s = compare("أطلقت قسد سراح مئات المقاتلين", "نفت قسد أن تكون أطلقت سراح مقاتلين")
    assert "negation mismatch: the evidence negates 'release'" in s.mismatches


def test_negation_of_another_verb_is_no_mismatch():
    evidence = "لم يعلق المتحدث على الأنباء، وقال إن القوات في الشرق أطلقت سراح مئات المقاتلين"
    s = compare("أطلقت قسد سراح مئات المقاتلين", evidence)
    assert not any(m.startswith("negation") for m in s.mismatches), s.mismatches


def test_rise_against_fall_is_an_opposite_action():
    s = compare("سعر القمح يرتفع لأعلى مستوى في 5 أشهر", "سعر القمح يهبط لأدنى مستوى في 5 أشهر")
    assert "opposite action: claim 'increase', evidence 'decrease'" in s.mismatches
