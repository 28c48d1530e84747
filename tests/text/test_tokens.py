from tabayyun.text import Token, analyze, is_stopword, stem_ar, tokenize


def test_offsets_slice_back_to_original():
    text = "قالَ الـــرئيس: خرج 60,000 شخص، و٦٠ آخرون (2.5%)."
    for tok in tokenize(text):
        assert text[tok.start:tok.end] == tok.text


def test_words_keep_diacritics_and_tatweel_inside():
    toks = tokenize("قالَ الـــرئيس")
    assert [t.text for t in toks] == ["قالَ", "الـــرئيس"]
    assert [t.norm for t in toks] == ["قال", "الرييس"]


def test_numbers_with_separators_any_script():
    toks = tokenize("60,000 و٦٠ و2.5 و٢٫٥")
    assert [t.text for t in toks if t.is_number] == ["60,000", "٦٠", "2.5", "٢٫٥"]
    assert [t.norm for t in toks if t.is_number] == ["60,000", "60", "2.5", "2.5"]


def test_punctuation_is_not_a_token_and_glued_text_splits():
    assert [t.text for t in tokenize("متنقلة.حرب")] == ["متنقلة", "حرب"]
    assert [t.text for t in tokenize("«نعم»، لا!")] == ["نعم", "لا"]


def test_trailing_period_not_part_of_number():
    assert [t.text for t in tokenize("عددهم 157.")] == ["عددهم", "157"]


def test_token_is_frozen():
    tok = Token("a", 0, 1, "a")
    try:
        tok.start = 3  # type: ignore[misc]
    except AttributeError:
        return
    raise AssertionError("Token must be immutable")


def test_stem_strips_conjunction_and_article():
    assert stem_ar("والمقاتلين") == stem_ar("مقاتلين") == stem_ar("المقاتلين")
    assert stem_ar("فالدوله") == stem_ar("دوله") == stem_ar("الدوله")
    assert stem_ar("للمقاتلين") == stem_ar("مقاتلين")


def test_stem_leaves_latin_alone():
    assert stem_ar("reuters") == "reuters"


def test_stopwords():
    assert is_stopword("في")
    assert is_stopword("وفي")
    assert is_stopword("الذي")
    assert not is_stopword("مقاتل")
    assert not is_stopword("فلم")


def test_analyze_index_and_query_forms_agree():
    index = analyze("أسرت المقاتلين")
    query = analyze("اسرت مقاتلين")
    assert index == query
    assert set(analyze("وقالت قوات سوريا الديمقراطية")) & set(analyze("قوات سورية الديمقراطيه"))


def test_analyze_numbers_as_plain_digits():
    assert "60000" in analyze("خرج أكثر من 60,000 شخص")
    assert "60" in analyze("خرج ٦٠ ألف شخص")
    assert "2014" in analyze("عام ٢٠١٤")


def test_analyze_drops_stopwords():
    assert analyze("في من على") == []
    assert len(analyze("قال إن المعارك في الباغوز")) == 3


def test_analyze_drops_diacritics():
    assert analyze("أَسَرَتْ") == analyze("اسرت")


def test_elongated_token_matches_plain_word():
    (tok,) = tokenize("عاجلللل")
    assert (tok.text, tok.norm) == ("عاجلللل", "عاجل")
    assert analyze("خبر عاجلللل جداااا") == analyze("خبر عاجل جدا")


def test_words_read_by_runs_match_as_one_character_at_a_time():
    import random
    import re

    from tabayyun.text.normalize import WORD_MARKS, WORD_PATTERN

    one_at_a_time = re.compile(rf"[{WORD_MARKS}]*[^\W\d_](?:[^\W\d_]|[{WORD_MARKS}])*")
    by_runs = re.compile(WORD_PATTERN)
    alphabet = "قالرئيسa Z٦3_.-،\u064e\u0651\u0640\u200c\u200d\u0670\u06e5\u06d6"
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        assert [m.span() for m in by_runs.finditer(text)] == [m.span() for m in one_at_a_time.finditer(text)]


def test_index_term_of_a_word_a_number_and_a_stopword():
    from tabayyun.text import index_term

    assert index_term("60,000") == "60000"
    assert index_term("والرييس") == stem_ar("والرييس")
    assert index_term("في") is None and index_term("وفي") is None
