from tabayyun.text import expand_query


def test_expansion_keeps_the_query_and_adds_other_spellings_of_its_entities():
    out = expand_query("قسد أفرجت عن مئات من عناصر داعش")
    assert out.startswith("قسد أفرجت عن مئات من عناصر داعش")
    assert "قوات سوريا الديمقراطية" in out


def test_expansion_adds_the_words_of_the_opposite_action():
    out = expand_query("ارتفع سعر الذهب")
    assert "انخفاض" in out
    assert "ارتفاع" not in out.split()[3:]  # the claim's own side is not repeated


def test_a_query_without_entities_or_actions_is_unchanged():
    assert expand_query("الطقس جميل") == "الطقس جميل"
