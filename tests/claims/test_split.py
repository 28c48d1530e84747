from tabayyun.claims import RuleWorthiness, split_claims


def _texts(text):
    return [c.text for c in split_claims(text)]


def test_enumerated_items_are_one_claim_each():
    text = ("مقدمة طويلة عن الموضوع …\n"
            "اولا قتل عشرة أشخاص في انفجار. وأصيب آخرون بجروح\n"
            "ثانياً: أغلقت الحكومة المعبر الحدودي\n"
            "ثالثا - ارتفع سعر الخبز إلى 5 جنيهات …")
    claims = split_claims(text)
    assert [c.text for c in claims] == [
        "مقدمة طويلة عن الموضوع",
        "قتل عشرة أشخاص في انفجار. وأصيب آخرون بجروح",
        "أغلقت الحكومة المعبر الحدودي",
        "ارتفع سعر الخبز إلى 5 جنيهات",
    ]
    for c in claims:
        assert text[c.span[0]:c.span[1]] == c.text


def test_numbered_and_bulleted_lists():
    text = "1- افتتح الوزير المستشفى الجديد\n2) بلغت كلفته 40 مليون دولار\n• يضم 300 سرير"
    assert _texts(text) == ["افتتح الوزير المستشفى الجديد", "بلغت كلفته 40 مليون دولار", "يضم 300 سرير"]


def test_plain_text_splits_into_sentences_and_ولا_is_not_an_ordinal():
    text = "أعلنت الوزارة إغلاق المدارس. ولا يزال القرار ساريا حتى الأحد."
    assert _texts(text) == ["أعلنت الوزارة إغلاق المدارس.", "ولا يزال القرار ساريا حتى الأحد."]


def test_paragraph_after_a_list_is_ordinary_text():
    text = "اولا سقط 3 قتلى\nثانيا أصيب 7 آخرون\n\nوفي سياق آخر افتتح معرض الكتاب. وحضره الآلاف."
    assert _texts(text)[-2:] == ["وفي سياق آخر افتتح معرض الكتاب.", "وحضره الآلاف."]


def test_worthiness_ranks_facts_above_chatter():
    w = RuleWorthiness()
    factual, greeting, question, opinion, tags = w.score([
        "أعلنت وزارة الصحة المصرية تسجيل 120 إصابة جديدة يوم الثلاثاء",
        "صباح الخير يا أصدقاء",
        "هل صحيح أن المدارس ستغلق؟",
        "أعتقد أن الحكومة تتحمل المسؤولية عن كل هذا",
        "#سوريا #الحرية",
    ])
    assert factual > w.threshold
    assert max(greeting, question, opinion, tags) < w.threshold
