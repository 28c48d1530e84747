import pytest

from tabayyun.claims import RuleWorthiness, split_claims


def _texts(text):
    return [c.text for c in split_claims(text)]


def _assert_spans(text, claims):
    for c in claims:
        assert text[c.span[0]:c.span[1]] == c.text


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
    _assert_spans(text, claims)


def test_numbered_and_bulleted_lists():
    text = "1- افتتح الوزير المستشفى الجديد\n2) بلغت كلفته 40 مليون دولار\n• يضم 300 سرير"
    assert _texts(text) == ["افتتح الوزير المستشفى الجديد", "بلغت كلفته 40 مليون دولار", "يضم 300 سرير"]


def test_plain_text_splits_into_sentences_and_ولا_is_not_an_ordinal():
    text = "أعلنت الوزارة إغلاق المدارس. ولا يزال القرار ساريا حتى الأحد."
    assert _texts(text) == ["أعلنت الوزارة إغلاق المدارس.", "ولا يزال القرار ساريا حتى الأحد."]


def test_paragraph_after_a_list_is_ordinary_text():
    text = "اولا سقط 3 قتلى\nثانيا أصيب 7 آخرون\n\nوفي سياق آخر افتتح معرض الكتاب. وحضره الآلاف."
    assert _texts(text)[-2:] == ["وفي سياق آخر افتتح معرض الكتاب.", "وحضره الآلاف."]


def test_inline_ordinals_on_one_line_are_one_claim_each():
    text = ("قصة لا تصدق …\n"
            "اولا نشرت صفحات محلية خبرا عن سقوط طائرة شحن قرب المطار ومقتل طاقمها الخمسة "
            "ثانيا الشرطة افرجت عن عشرات الموقوفين والناس تستغرب هذا القرار المفاجئ "
            "ثالثا الوزير طلب من البلديات اغلاق الاسواق الشعبية لمدة اسبوع …")
    claims = split_claims(text)
    assert [c.text for c in claims] == [
        "قصة لا تصدق",
        "نشرت صفحات محلية خبرا عن سقوط طائرة شحن قرب المطار ومقتل طاقمها الخمسة",
        "الشرطة افرجت عن عشرات الموقوفين والناس تستغرب هذا القرار المفاجئ",
        "الوزير طلب من البلديات اغلاق الاسواق الشعبية لمدة اسبوع",
    ]
    _assert_spans(text, claims)


def test_inline_numbered_items_and_bullets():
    text = "أهم الأخبار: 1- ارتفع سعر الوقود 20 بالمئة 2- أغلقت الشرطة الطريق الساحلي 3- وصل الوفد إلى العاصمة مساء"
    claims = split_claims(text)
    assert [c.text for c in claims] == ["أهم الأخبار", "ارتفع سعر الوقود 20 بالمئة", "أغلقت الشرطة الطريق الساحلي",
                                        "وصل الوفد إلى العاصمة مساء"]
    _assert_spans(text, claims)
    bullets = "• افتتحت البلدية جسرا جديدا • بلغت كلفة الجسر 20 مليون دينار • يربط الجسر ضفتي النهر"
    assert _texts(bullets) == ["افتتحت البلدية جسرا جديدا", "بلغت كلفة الجسر 20 مليون دينار", "يربط الجسر ضفتي النهر"]


@pytest.mark.parametrize("text", [
    "فاز المنتخب 2-1 على ضيفه يوم 2019-03-19 أمام 10-15 ألف متفرج في الملعب الجديد",
    "فاز الفريق 1-صفر ثم خسر 2 - 1 في مباراة الإياب",
    "وصل العداء المغربي ثانيا في السباق الطويل ثم حل أولا في سباق التتابع",
    "حل المغربي أولا بفارق ثانيتين عن منافسه وجاء الكيني ثانيا بفارق كبير عن البقية",
])
def test_ordinal_adverbs_scores_dates_and_ranges_are_not_enumerations(text):
    assert _texts(text) == [text]


@pytest.mark.parametrize("text, expected", [
    ("ارتفع عدد المصابين إلى 1. وبلغ عدد المتعافين 2. وفق بيان الوزارة",
     ["ارتفع عدد المصابين إلى 1.", "وبلغ عدد المتعافين 2.", "وفق بيان الوزارة"]),  # "1." ends a sentence here
    ("اولا: وصل المغربي ثانيا بفارق كبير", ["وصل المغربي ثانيا بفارق كبير"]),  # an item too short to be one
])
def test_an_inline_run_needs_an_anchored_head_and_real_items(text, expected):
    assert _texts(text) == expected


def test_compound_sentence_gives_atomic_claims():
    text = ("وخلال الأسبوعين الماضيين، غادر أكثر من 60 ألف شخص المدينة المحاصرة، "
            "نصفهم تقريبا من عائلات المسلحين، ومن بينهم حوالي 5000 مسلح.")
    claims = split_claims(text)
    assert len(claims) == 3
    assert ["60" in claims[0].text, "نصف" in claims[1].text, "5000" in claims[2].text] == [True] * 3
    assert claims[0].text.startswith("وخلال الأسبوعين") and claims[2].text.startswith("ومن بينهم")
    _assert_spans(text, claims)


@pytest.mark.parametrize("text, parts", [
    ("قتل 10 أشخاص في الانفجار، بينهم 3 أطفال، وأصيب 25 آخرون بجروح.",
     ["قتل 10 أشخاص في الانفجار", "بينهم 3 أطفال", "وأصيب 25 آخرون بجروح."]),
    ("قالت المعارضة إن 20 شخصا قتلوا، بينما نفت الحكومة هذه الرواية تماما.",
     ["قالت المعارضة إن 20 شخصا قتلوا", "بينما نفت الحكومة هذه الرواية تماما."]),
    ("أغلقت السلطات المعبر الحدودي، وقتلت قواتها 3 مهربين قرب الحدود.",
     ["أغلقت السلطات المعبر الحدودي", "وقتلت قواتها 3 مهربين قرب الحدود."]),
])
def test_clauses_with_their_own_fact_are_split(text, parts):
    claims = split_claims(text)
    assert [c.text for c in claims] == parts
    _assert_spans(text, claims)


@pytest.mark.parametrize("text", [
    "قال سامي الأحمد، المتحدث باسم وزارة الداخلية، إن الشرطة اعتقلت 25 شخصا في المدينة.",
    "شارك في الاجتماع وزراء خارجية مصر، والأردن، والعراق، والسعودية، والإمارات.",
    "وفي عام 2014، سيطر التنظيم على ثلث مساحة البلاد.",
    "أعلنت الوزارة إغلاق المدارس، اعتبارا من 5 مارس المقبل.",
    "عقد المؤتمر في الرياض، بمشاركة 30 دولة عربية وأجنبية.",
    "سجلت الوزارة 120 إصابة في القاهرة، 80 في الجيزة، 40 في الإسكندرية.",
    "فاز المرشح الديمقراطي، البالغ من العمر 70 عاما، بالانتخابات الرئاسية.",
    "قتل 30 مدنيا على الأقل، بينهم ثلاثة أطفال، الجمعة في غارات جوية على المدينة.",
    "قدمت الحكومة منحة بقيمة 400 مليون دولار، وقرضا بقيمة 200 مليون دولار للمشروع.",
    "ارتفع عدد القتلى إلى 50، كما قال وزير الصحة في مؤتمر صحفي.",
])
def test_appositions_modifiers_and_lists_stay_one_claim(text):
    assert _texts(text) == [text]


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
