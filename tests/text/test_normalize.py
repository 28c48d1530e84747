import pytest

from tabayyun.text import (collapse_elongation_ar, dediac_ar, normalize_alef_ar, normalize_alef_maksura_ar,
                           normalize_ar, normalize_digits, normalize_hamza_ar, normalize_punct_ar,
                           normalize_teh_marbuta_ar, remove_tatweel_ar)


def test_dediac_removes_harakat_shadda_tanween_and_superscript_alef():
    assert dediac_ar("كَتَبَ") == "كتب"
    assert dediac_ar("مُحَمَّدٌ") == "محمد"
    assert dediac_ar("كتاباً") == "كتابا"
    assert dediac_ar("هٰذا") == "هذا"
    assert dediac_ar("الرَّحِيمِۖ") == "الرحيم"


def test_dediac_keeps_letters_and_latin():
    assert dediac_ar("سوريا Syria 2019") == "سوريا Syria 2019"


def test_remove_tatweel():
    assert remove_tatweel_ar("الـــرئيس") == "الرئيس"


def test_alef_forms():
    assert normalize_alef_ar("أحمد إبراهيم آمن ٱلله") == "احمد ابراهيم امن الله"


def test_hamza_seats_but_lone_hamza_kept():
    assert normalize_hamza_ar("مؤتمر رئيس") == "موتمر رييس"
    assert normalize_hamza_ar("سماء") == "سماء"


def test_alef_maksura_and_teh_marbuta():
    assert normalize_alef_maksura_ar("مستشفى على") == "مستشفي علي"
    assert normalize_teh_marbuta_ar("مدينة الرقة") == "مدينه الرقه"


def test_digits_any_script_and_separators():
    assert normalize_digits("٢٠١٤ و۱۲۳") == "2014 و123"
    assert normalize_digits("٢٫٥ و٦٠٬٠٠٠") == "2.5 و60,000"


def test_punctuation():
    assert normalize_punct_ar("نعم، لا؛ لماذا؟") == "نعم, لا; لماذا?"
    assert normalize_punct_ar("“قريبا” «جدا»") == '"قريبا" "جدا"'


def test_normalize_ar_is_the_matching_form():
    assert normalize_ar("  أُسِرَتْ   المقاتلــين\n") == "اسرت المقاتلين"
    assert normalize_ar("أمريكا") == normalize_ar("امريكا")
    assert normalize_ar("آلاف") == normalize_ar("الاف")
    assert normalize_ar("الآن") == normalize_ar("الان")
    assert normalize_ar("امرأة") == normalize_ar("امراة")
    assert normalize_ar("CNN Reuters") == "cnn reuters"
    assert normalize_ar("٦٠ ألفاً") == "60 الفا"


def test_normalize_ar_drops_invisible_marks():
    assert normalize_ar("سور\u200cيا\u200f") == "سوريا"


def test_normalize_ar_idempotent():
    s = "قالَتْ قوّاتُ سوريّة الديمقراطيّة إنّها أسَرَتْ ١٥٧ مقاتلاً؟"
    assert normalize_ar(normalize_ar(s)) == normalize_ar(s)


@pytest.mark.parametrize("elongated, plain", [
    ("عاجلللل", "عاجل"),
    ("عاجـــلللل", "عاجل"),
    ("كثيييير", "كثير"),
    ("جداااا", "جدا"),
    ("صحيـيـيح", "صحيح"),
])
def test_elongation_collapses_in_the_matching_form(elongated, plain):
    assert normalize_ar(elongated) == plain


@pytest.mark.parametrize("word", ["الله", "للتحقق", "مدد", "الأخصائيين", "وووجهت"])
def test_two_letter_runs_hamza_seats_and_waw_are_not_elongation(word):
    assert collapse_elongation_ar(word) == word


def test_collapse_elongation_keeps_other_letters():
    assert collapse_elongation_ar("لاااا يا شبااااب") == "لا يا شباب"
    assert collapse_elongation_ar("coool") == "coool"


def test_the_translation_list_reads_as_the_table_for_every_character():
    from tabayyun.text import normalize as module

    every = "".join(map(chr, range(0x110000)))
    assert every.translate(module._ALL_TABLE) == every.translate(module._ALL)


def test_spaces_collapse_as_re_reads_them():
    import re

    spaces = "".join(c for c in map(chr, range(0x110000)) if re.match(r"\s", c))
    assert spaces and all(c.isspace() for c in spaces)  # the characters ``str.split`` splits at
    text = f"{spaces}قال{spaces[:3]}الرئيس \u200b\ufeff{spaces[::-1]}غدا{spaces[5:9]}"
    assert normalize_ar(text) == "قال الرييس غدا"
