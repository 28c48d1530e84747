from tabayyun.text import split_sentences


def _pieces(text):
    return [text[a:b] for a, b in split_sentences(text)]


NEWS = ("سقوط آخر الجيوب\n"
        "بيروت (رويترز) - قالت مصادر محلية إن الاشتباكات توقفت مساء الأحد. وأضافت أن 2.5 مليون شخص نزحوا.\n\n"
        "وذكر د. سامي أن نحو 60,000 مدني غادروا المنطقة! هل انتهت الحرب؟ لا أحد يعرف…\n"
        "وقال مسؤول “الوضع هادئ جدا”.")


def test_multi_paragraph_news_with_byline():
    assert _pieces(NEWS) == [
        "سقوط آخر الجيوب",
        "قالت مصادر محلية إن الاشتباكات توقفت مساء الأحد.",
        "وأضافت أن 2.5 مليون شخص نزحوا.",
        "وذكر د. سامي أن نحو 60,000 مدني غادروا المنطقة!",
        "هل انتهت الحرب؟",
        "لا أحد يعرف…",
        "وقال مسؤول “الوضع هادئ جدا”.",
    ]


def test_spans_are_trimmed_and_slice_original():
    text = "  أولى الجمل.   ثانيتها!  "
    spans = split_sentences(text)
    assert spans == [(2, 13), (16, 24)]
    for a, b in spans:
        assert text[a:b] == text[a:b].strip()


def test_bylines_are_excluded():
    assert _pieces("دمشق - (أ ف ب) - أعلنت الحكومة خطة جديدة.") == ["أعلنت الحكومة خطة جديدة."]
    assert _pieces("(CNN) -- Officials said the talks failed.") == ["Officials said the talks failed."]
    assert _pieces("مدينة حلب (سوريا) (رويترز) – عاد السكان.") == ["عاد السكان."]


def test_no_byline_no_trim():
    assert _pieces("عاد السكان إلى حلب (سوريا) بعد الحرب.") == ["عاد السكان إلى حلب (سوريا) بعد الحرب."]


def test_period_glued_to_next_word():
    assert _pieces("وسط ملاجئ متنقلة.حرب") == ["وسط ملاجئ متنقلة.", "حرب"]


def test_no_split_inside_numbers_or_after_initials():
    assert _pieces("بلغت النسبة 2.5 في المئة و3.75 لاحقا.") == ["بلغت النسبة 2.5 في المئة و3.75 لاحقا."]
    assert _pieces("Mr. J. Smith arrived in the U.S. today.") == ["Mr. J. Smith arrived in the U.S. today."]
    assert _pieces("نقلت أ.ف.ب الخبر.") == ["نقلت أ.ف.ب الخبر."]


def test_arabic_question_mark_glued():
    assert _pieces("هل هذا صحيح؟نعم") == ["هل هذا صحيح؟", "نعم"]


def test_double_period_is_a_pause():
    assert _pieces("انتظروا.. كلا لن يحدث.") == ["انتظروا.. كلا لن يحدث."]


def test_newlines_split_and_empty_lines_dropped():
    assert _pieces("سطر أول\n\n\nسطر ثان\n …\n") == ["سطر أول", "سطر ثان"]


def test_empty_text():
    assert split_sentences("") == []
    assert split_sentences("   \n ") == []
