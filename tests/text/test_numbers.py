import pytest

from tabayyun.text import extract_numbers, measures
from tabayyun.text.numbers import parse_number


def _one(text):
    found = extract_numbers(text)
    assert len(found) == 1, found
    m = found[0]
    assert text[m.start:m.end] == m.text
    return m


@pytest.mark.parametrize("text, value, span", [
    ("أسرت القوات 157 مقاتلا", 157, "157"),
    ("خرج أكثر من 60 ألف شخص", 60000, "60 ألف"),
    ("خرج 60,000 شخص", 60000, "60,000"),
    ("نزح ٦٠٠٠ مدني", 6000, "٦٠٠٠"),
    ("قتلت ثلاثة الاف امراة", 3000, "ثلاثة الاف"),
    ("قتلت ثلاثة آلاف امرأة", 3000, "ثلاثة آلاف"),
    ("انهم الفين مقاتل", 2000, "الفين"),
    ("نحو ألفين مقاتل", 2000, "ألفين"),
    ("ألفان من الجنود", 2000, "ألفان"),
    ("بلغ 2.5 مليون نسمة", 2500000, "2.5 مليون"),
    ("بلغ ٢٫٥ مليون نسمة", 2500000, "٢٫٥ مليون"),
    ("قرابة خمسة وعشرين جريحا", 25, "خمسة وعشرين"),
    ("قرابة خمسة و عشرين جريحا", 25, "خمسة و عشرين"),
    ("نحو خمسة وعشرين ألف لاجئ", 25000, "خمسة وعشرين ألف"),
    ("ثلاثة آلاف وخمسمئة شخص", 3500, "ثلاثة آلاف وخمسمئة"),
    ("مئة وخمسة وعشرون", 125, "مئة وخمسة وعشرون"),
    ("ثلاث مئة جندي", 300, "ثلاث مئة"),
    ("ثلاثمائة جندي", 300, "ثلاثمائة"),
    ("مئتا جندي", 200, "مئتا"),
    ("أحد عشر لاعبا", 11, "أحد عشر"),
    ("إحدى عشرة سيارة", 11, "إحدى عشرة"),
    ("ثلاثة عشر ألفا", 13000, "ثلاثة عشر ألفا"),
    ("عشرة آلاف", 10000, "عشرة آلاف"),
    ("أربعين قتيلا", 40, "أربعين"),
    ("اربعين قتيلا", 40, "اربعين"),
    ("مليون شخص", 1000000, "مليون"),
    ("وسبعة جنود", 7, "وسبعة"),
    ("بثلاثة صواريخ", 3, "بثلاثة"),
    ("في عام 2014", 2014, "2014"),
])
def test_cardinals(text, value, span):
    m = _one(text)
    assert (m.value, m.text, m.kind) == (value, span, "cardinal")


@pytest.mark.parametrize("text, value, span", [
    ("سيطروا على ثلث مساحة البلاد", 1 / 3, "ثلث"),
    ("نصفهم تقريبا من الأنصار", 0.5, "نصفهم"),
    ("ربع السكان", 0.25, "ربع"),
    ("ثلثي الأراضي", 2 / 3, "ثلثي"),
])
def test_fractions(text, value, span):
    m = _one(text)
    assert m.kind == "fraction" and m.text == span and m.value == pytest.approx(value)


@pytest.mark.parametrize("text, span", [
    ("ارتفعت الأسعار 20% أمس", "20%"),
    ("ارتفعت الأسعار 20 % أمس", "20 %"),
    ("ارتفعت الأسعار ٢٠٪ أمس", "٢٠٪"),
    ("ارتفعت 20 في المئة أمس", "20 في المئة"),
    ("ارتفعت 20 في المائة أمس", "20 في المائة"),
    ("ارتفعت 20 بالمئة أمس", "20 بالمئة"),
    ("ارتفعت عشرين بالمئة أمس", "عشرين بالمئة"),
])
def test_percent(text, span):
    m = _one(text)
    assert (m.value, m.text, m.kind) == (20, span, "percent")


@pytest.mark.parametrize("text, value, span", [
    ("أسرت المئات من المقاتلين", 100, "المئات"),
    ("أفرجت عن مئات من العناصر", 100, "مئات"),
    ("فر الآلاف من المدنيين", 1000, "الآلاف"),
    ("فر آلاف المدنيين", 1000, "آلاف"),
    ("قتل عشرات الجنود", 10, "عشرات"),
    ("نزح مئات الآلاف", 100000, "مئات الآلاف"),
    ("نزح عشرات الالاف", 10000, "عشرات الالاف"),
])
def test_vague_quantities(text, value, span):
    m = _one(text)
    assert (m.value, m.text, m.kind) == (value, span, "approx")


@pytest.mark.parametrize("text", [
    "أولا قال ثانيا ثالثا",
    "مساء الاثنين الماضي",
    "وصل يوم الثلاثاء",
    "في المئة",
    "أحد الأشخاص",
])
def test_not_numbers(text):
    assert extract_numbers(text) == []


def test_separate_numbers_stay_separate():
    assert [m.value for m in extract_numbers("ثلاثة، أربعة")] == [3, 4]
    assert [m.value for m in extract_numbers("ثلاثة أو أربعة")] == [3, 4]
    assert [m.value for m in extract_numbers("أسرت 157 مقاتلا وخرج 5000 آخرون")] == [157, 5000]


def test_several_mentions_with_offsets():
    text = "خرج أكثر من ٦٠ ألف شخص، بينهم حوالي 5000 مقاتل، ونصفهم من الأنصار عام 2019."
    found = extract_numbers(text)
    assert [(m.value, m.kind) for m in found] == [(60000, "cardinal"), (5000, "cardinal"), (0.5, "fraction"),
                                                 (2019, "cardinal")]
    for m in found:
        assert text[m.start:m.end] == m.text


@pytest.mark.parametrize("digits, value", [
    ("157", 157), ("60,000", 60000), ("1,234,567", 1234567), ("2.5", 2.5), ("٢٫٥", 2.5), ("٦٠٬٠٠٠", 60000),
    ("1.234.567", 1234567), ("1,234.5", 1234.5), ("۱۲۳", 123), ("2,5", 2.5),
])
def test_parse_number(digits, value):
    assert parse_number(digits) == value


@pytest.mark.parametrize("text, value", [
    ("نصفهم من المدنيين", 0.5),
    ("نصف السكان", 0.5),
    ("ثلث المساحة", 1 / 3),
    ("الثلث الأخير", 1 / 3),
    ("ربع السكان", 0.25),
    ("الربع الأول", 0.25),
])
def test_fraction_words_are_fractions_not_counts(text, value):
    (m,) = extract_numbers(text)
    assert m.kind == "fraction" and m.value == pytest.approx(value)


@pytest.mark.parametrize("text, value", [
    ("نزح نصف مليون شخص", 500_000),
    ("ربع مليار دولار", 250_000_000),
])
def test_fraction_of_a_scale_is_a_count(text, value):
    (m,) = extract_numbers(text)
    assert (m.value, m.kind) == (value, "cardinal")


@pytest.mark.parametrize("text, span", [
    ("نجح 50% من الطلاب", "50%"),
    ("نجح 50 بالمئة من الطلاب", "50 بالمئة"),
    ("نجح خمسين في المئة من الطلاب", "خمسين في المئة"),
])
def test_percent_kind(text, span):
    (m,) = extract_numbers(text)
    assert (m.value, m.kind, m.text) == (50, "percent", span)


def test_link_and_mention_digits_are_not_numbers():
    assert extract_numbers("الرابط https://t.co/7pMab8yWCD") == []
    assert extract_numbers("@user2019 قال") == []


def test_a_definite_teen_is_one_number():
    assert [(m.value, m.text) for m in extract_numbers("تأهل إلى دور الستة عشر")] == [(16.0, "الستة عشر")]
    assert extract_numbers("يوم الاثنين") == []


@pytest.mark.parametrize("text, bound", [
    ("قتل 14 شخصا على الأقل في الهجوم", "min"),
    ("على الأقل 14 قتيلا", "min"),
    ("قتل ما لا يقل عن 22 مدنيا", "min"),
    ("خرج أكثر من 60 ألف شخص", "min"),
    ("أصيب 30 شخصا أو أكثر", "min"),
    ("أقل من 10 أشخاص", "max"),
    ("نحو 100 مقاتل", "about"),
    ("قرابة خمسة وعشرين جريحا", "about"),
    ("بلغت النسبة 30 في المئة تقريبا", "about"),
    ("أسرت القوات 157 مقاتلا", "exact"),
    ("قتل 5 أشخاص. على الأقل هذا ما قالوه", "exact"),  # punctuation ends the figure's phrase
])
def test_bound_of_a_figure(text, bound):
    assert _one(text).bound == bound


def test_bound_after_belongs_to_the_nearest_figure():
    first, second = extract_numbers("قتل 14 وأصيب 30 على الأقل")
    assert (first.bound, second.bound) == ("exact", "min")


@pytest.mark.parametrize("text, names", [
    ("قاذفات من طراز Tu-22M3 بعيدة المدى", ["22", "3"]),
    ("مقاتلات F-16 ومنظومة S-400 وطائرة MiG29", ["16", "400", "29"]),
    ("قاذفات تو-22 إم 3 وطائرات سو-24", ["22", "3", "24"]),
    ("صفقة طائرات إف 16 ومنظومة إس-400", ["16", "400"]),
    ("طائرة ركاب من طراز بوينغ 737", ["737"]),
    ("لقاحات كوفيد-19", ["19"]),
])
def test_figures_of_a_designation(text, names):
    from tabayyun.text import designations
    assert [text[a:b] for a, b in designations(text)] == names


@pytest.mark.parametrize("text", [
    "قتل 3 أشخاص و5 جرحى في 2015-2016",
    "فاز الفريق 3-1 على ملعبه",
    "تقدم الفريق صفر-1 ثم تعادل",  # a score written with the word zero
    "قال إن 3 مقاتلين قتلوا في 5 مدن أو 6 قرى",
    "قطع 10km في ساعة",
])
def test_amounts_are_no_designation(text):
    from tabayyun.text import designations
    assert designations(text) == []


@pytest.mark.parametrize("text,kinds", [
    ("فاز الفريق على ضيفه (3-0) في ذهاب الدور", ["score", "score"]),
    ("انتهت المباراة بنتيجة 2 - 2.", ["score", "score"]),
    ("خسر أمام ضيفه (صفر-1)", ["score"]),
    ("خسر أمام ضيفه ثلاثة - صفر", ["score"]),
    ("بلغت النسبة 1.5-2.5 في المئة", ["cardinal", "percent"]),
    ("تصدر الترتيب بفارق 5 نقاط عن أقرب ملاحقيه", ["margin"]),
    ("أنهى الموسم متفوقا بثلاثة أهداف على زميله", ["margin"]),
    ("تأهل الفريق إلى ربع النهائي", [None]),
    ("خسر نصف السكان منازلهم وقتل 12 شخصا", ["fraction", "cardinal"]),
    ("في 12-3-2018 وصل 40 زائرا", ["cardinal", "cardinal", "cardinal", "cardinal"]),
])
def test_what_a_figure_measures(text, kinds):
    assert measures(text, extract_numbers(text)) == kinds
