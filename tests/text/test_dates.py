import pytest

from tabayyun.text import extract_dates, parse_iso_date, stated_years


def _fields(text):
    out = []
    for d in extract_dates(text):
        assert text[d.start:d.end] == d.text
        out.append((d.text, d.year, d.month, d.day))
    return out


@pytest.mark.parametrize("text, expected", [
    ("سيطروا على ثلث البلاد عام 2014.", [("عام 2014", 2014, None, None)]),
    ("في العام 2018 تغير كل شيء", [("العام 2018", 2018, None, None)]),
    ("منذ سنة ٢٠١١", [("سنة ٢٠١١", 2011, None, None)]),
    ("وبعام 1999 وقعت", [("وبعام 1999", 1999, None, None)]),
    ("نتائج 2014 كانت أفضل", [("2014", 2014, None, None)]),
    ("يوم 19 مارس 2019 قال", [("19 مارس 2019", 2019, 3, 19)]),
    ("في مارس 2019", [("مارس 2019", 2019, 3, None)]),
    ("في 5 كانون الثاني ٢٠٢٠", [("5 كانون الثاني ٢٠٢٠", 2020, 1, 5)]),
    ("في 19 آذار/مارس 2019", [("19 آذار/مارس 2019", 2019, 3, 19)]),
    ("في شباط الماضي", [("شباط", None, 2, None)]),
    ("بحلول تشرين الأول", [("تشرين الأول", None, 10, None)]),
    ("في 12 آب", [("12 آب", None, 8, 12)]),
    ("الموعد 2019-03-19 نهائي", [("2019-03-19", 2019, 3, 19)]),
    ("الموعد 19/3/2019 نهائي", [("19/3/2019", 2019, 3, 19)]),
    ("الموعد ٢٠١٩-٠٣-١٩", [("٢٠١٩-٠٣-١٩", 2019, 3, 19)]),
    ("on 4 July 2021", [("4 July 2021", 2021, 7, 4)]),
])
def test_dates(text, expected):
    assert _fields(text) == expected


@pytest.mark.parametrize("text", [
    "أسرت 157 مقاتلا",
    "بلغ العدد 1850 شخصا",
    "عام 2500",
    "ذهب اب الى العمل",
    "خرج 60,000 شخص",
])
def test_not_dates(text):
    assert extract_dates(text) == []


def test_invalid_calendar_date_keeps_only_the_year():
    assert [(d.year, d.month, d.day) for d in extract_dates("الموعد 2019-02-30")] == [(2019, None, None)]


def test_several_dates_in_order():
    text = "بين 3 يناير 2018 وعام ٢٠١٩ وفي 2020-05-01"
    assert [(d.year, d.month, d.day) for d in extract_dates(text)] == [(2018, 1, 3), (2019, None, None), (2020, 5, 1)]


@pytest.mark.parametrize("raw, iso", [
    ("2019-03-19", "2019-03-19"),
    (" 2019-03-19 ", "2019-03-19"),
    ("2019-03-19T10:00:00Z", "2019-03-19T10:00:00+00:00"),
    ("2019-03-19T10:00:00+03:00", "2019-03-19T10:00:00+03:00"),
    ("2019-03-19 10:30", "2019-03-19T10:30:00"),
    ("19/3/2019", "2019-03-19"),
    ("٢٠١٩-٠٣-١٩", "2019-03-19"),
    ("19 مارس 2019", "2019-03-19"),
    ("Sun, 18 Feb 2018 21:35:43 +0400", "2018-02-18T21:35:43+04:00"),  # RSS pubDate
    ("18 feb 2018 21:35 GMT", "2018-02-18T21:35:00+00:00"),
])
def test_parse_iso_date_valid(raw, iso):
    assert parse_iso_date(raw) == iso


@pytest.mark.parametrize("raw", ["2019-02-30", "2019-13-01", "hello", "2019", "", "مارس 2019", "yesterday",
                                 "Sun, 31 Feb 2018 21:35:43 +0400", "18 Foo 2018 21:35:43 +0400"])
def test_parse_iso_date_invalid(raw):
    assert parse_iso_date(raw) is None


def test_day_after_is_the_exclusive_bound_of_an_inclusive_until():
    from tabayyun.text import day_after

    assert day_after("2019-03-31") == "2019-04-01" and day_after("2020-02-28T10:00:00") == "2020-02-29"
    assert day_after(None) is None


@pytest.mark.parametrize("text", ["أعلنت الوزارة في مارس 2020 عن الخطة", "وقع الحادث في ٥ آذار ٢٠١٩",
                                  "اجتمع الوزراء في مارس الماضي", "صدر القرار في 3/4/2021", "قال إن 15 شخصا أصيبوا",
                                  "في عام ٢٠٢٢"])
def test_stated_years_are_the_years_of_the_dates(text: str) -> None:
    assert stated_years(text) == {d.year for d in extract_dates(text) if d.year is not None}


def test_stated_years_of_a_text_without_digits_is_empty_though_it_names_a_month() -> None:
    text = "اجتمع الوزراء في السابع من مارس"
    assert extract_dates(text) and stated_years(text) == set()
