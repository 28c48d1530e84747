import pytest

from tabayyun.text import (analyze, content_words, extract_dates, extract_numbers, mask_social, split_sentences,
                           tokenize)

TWEET = "RT @MOH_Bahrain: #عاجل | تسجيل 12 حالة جديدة #كورونا_في_البحرين 🇧🇭🔴 https://t.co/7pMab8yWCD"


@pytest.mark.parametrize("text", [
    TWEET,
    "الرابط https://t.co/7pMab8yWCD.",
    "\u2066@user\u2069 👨\u200d👩\u200d👧 ❤\ufe0f 1\ufe0f\u20e3 bit.ly/3xYz9 info@moh.gov.bh",
    "نص عربي عادي بلا روابط 2019.",
])
def test_mask_keeps_length(text):
    assert len(mask_social(text)) == len(text)


@pytest.mark.parametrize("text, kept", [
    ("الرابط https://t.co/7pMab8yWCD.", "الرابط ."),
    ("انظر http://example.com/a?b=1, ثم", "انظر , ثم"),
    ("موقع www.bbc.com/arabic اليوم", "موقع اليوم"),
    ("تابعوا tinyurl.com/y4abc9 و t.co/AbC123 و pic.twitter.com/x1", "تابعوا و و"),
    ("موقع الوزارة moh.gov.bh اليوم", "موقع الوزارة اليوم"),
    ("راسلونا info@moh.gov.bh الآن", "راسلونا الآن"),
    ("RT @MOH_Bahrain: تسجيل حالة", "تسجيل حالة"),
    ("قال \u2066@user_1\u2069 إن", "قال إن"),
    ("عاجل 🇧🇭🔴 👨\u200d👩\u200d👧 ❤\ufe0f ✅ خبر", "عاجل خبر"),
    ("1\ufe0f\u20e3 البند الأول", "البند الأول"),
])
def test_mask_blanks_links_mentions_emoji(text, kept):
    assert " ".join(mask_social(text).split()) == kept


def test_hashtag_becomes_words():
    assert mask_social("#كورونا_في_البحرين") == " كورونا في البحرين"
    assert [t.text for t in tokenize("عاجل #كورونا_في_البحرين")] == ["عاجل", "كورونا", "في", "البحرين"]


@pytest.mark.parametrize("text", [
    "ارتفعت الأسعار 2.5% في 2019 ونصف مليون",
    "C# و 3.5 و e.g. و Dr.Smith",
    "قال د. سامي: 60,000 شخص",
])
def test_plain_text_untouched(text):
    assert mask_social(text) == text


def test_link_digits_are_not_numbers_or_terms():
    text = "عدد الحالات 12 https://t.co/7pMab8yWCD و https://site.com/news/19-3-2019/5000"
    assert [m.text for m in extract_numbers(text)] == ["12"]
    assert extract_dates(text) == []
    terms = analyze(text)
    assert "12" in terms
    assert not {"7", "8", "2019", "5000", "t", "co", "https", "pmab"} & set(terms)


def test_mention_and_retweet_prefix_give_no_tokens():
    assert tokenize("RT @user: @other_2 \u2066@x\u2069") == []
    assert analyze("RT @user123: @other") == []


def test_emoji_ignored_and_keycap_is_no_number():
    assert [t.text for t in tokenize("🔴 عاجل ❤\ufe0f 👨\u200d👩\u200d👧")] == ["عاجل"]
    assert extract_numbers("1\ufe0f\u20e3 البند الأول") == []


def test_offsets_index_the_original_tweet():
    tokens = tokenize(TWEET)
    assert [t.text for t in tokens] == ["عاجل", "تسجيل", "12", "حالة", "جديدة", "كورونا", "في", "البحرين"]
    for t in tokens:
        assert TWEET[t.start:t.end] == t.text
    (number,) = extract_numbers(TWEET)
    assert (TWEET[number.start:number.end], number.value) == ("12", 12)


def test_number_phrase_inside_hashtag_joins():
    (m,) = extract_numbers("ارتفعت #خمسين_في_المئة")
    assert (m.value, m.kind, m.text) == (50, "percent", "خمسين_في_المئة")


@pytest.mark.parametrize("text, words", [
    ("https://t.co/7pMab8yWCD", 0),
    ("@MOH_Bahrain @WHO #كورونا_في_البحرين 🇧🇭 https://t.co/7pMab8yWCD", 0),
    ("RT @user: #عاجل 🔴", 0),
    ("#عاجل تسجيل 12 حالة جديدة https://t.co/x", 3),
    ("قالَ الـــرئيس", 2),
])
def test_content_words(text, words):
    assert content_words(text) == words


def test_sentences_drop_link_only_lines_and_trim_links():
    text = "تسجيل 12 حالة جديدة https://t.co/7pMab8yWCD\n@MOH_Bahrain https://t.co/abc\n🔴 عاجل: وفاة شخص."
    assert [text[a:b] for a, b in split_sentences(text)] == ["تسجيل 12 حالة جديدة", "عاجل: وفاة شخص."]


def test_no_sentence_split_inside_a_link():
    text = "انظر www.site.com/a.بيان اليوم"
    assert split_sentences(text) == [(0, len(text))]
