import pytest

from tabayyun.text import extract_entities, is_dateline, nested, place_parent, within
from tabayyun.text._lexicon import data_rows


def _found(text):
    out = []
    for e in extract_entities(text):
        assert text[e.start:e.end] == e.text
        out.append((e.text, e.canonical, e.kind))
    return out


@pytest.mark.parametrize("alias", ["داعش", "تنظيم الدولة الإسلامية", "الدولة الإسلامية", "تنظيم الدولة"])
def test_isis_aliases(alias):
    assert _found(f"هاجم {alias} القرية") == [(alias, "ISIS", "ORG")]


@pytest.mark.parametrize("alias", ["قسد", "قوات سوريا الديمقراطية", "قوات سورية الديمقراطية"])
def test_sdf_aliases(alias):
    assert [c for _, c, _ in _found(f"قالت {alias} اليوم")] == ["SDF"]


@pytest.mark.parametrize("alias", ["أمريكا", "امريكا", "أميركا", "الولايات المتحدة", "واشنطن"])
def test_usa_aliases_with_and_without_hamza(alias):
    assert [c for _, c, _ in _found(f"قالت {alias} اليوم")] == ["USA"]


def test_proclitics_on_first_word():
    assert _found("في دير الزور وبالرقة وللموصل ولقوات سوريا الديمقراطية") == [
        ("دير الزور", "Deir ez-Zor", "LOC"),
        ("وبالرقة", "Raqqa", "LOC"),
        ("وللموصل", "Mosul", "LOC"),
        ("ولقوات سوريا الديمقراطية", "SDF", "ORG"),
    ]


def test_longest_alias_wins():
    assert _found("التحالف الذي تقوده الولايات المتحدة") == [("التحالف الذي تقوده الولايات المتحدة", "Coalition", "ORG")]


def test_people_orgs_places():
    found = _found("التقى ترامب وبوتين في موسكو بحضور الأمم المتحدة ورويترز والناتو")
    assert [(c, k) for _, c, k in found] == [("Donald Trump", "PER"), ("Vladimir Putin", "PER"), ("Russia", "LOC"),
                                            ("UN", "ORG"), ("Reuters", "ORG"), ("NATO", "ORG")]


def test_title_rule_gives_person():
    assert _found("قال وزير الخارجية سامي نادر إن الوضع هادئ") == [("سامي نادر", "سامي نادر", "PER")]
    assert _found("وأعلن الرئيس السابق كريم حداد أمس") == [("كريم حداد", "كريم حداد", "PER")]


def test_title_rule_defers_to_gazetteer():
    assert _found("قال الرئيس السوري بشار الأسد") == [("بشار الأسد", "Bashar al-Assad", "PER")]
    assert _found("الرئيس الأمريكي دونالد ترامب") == [("دونالد ترامب", "Donald Trump", "PER")]


def test_title_without_name_gives_nothing():
    assert _found("قال المتحدث باسم الجيش في بيان") == []


def test_punctuation_breaks_multiword_alias():
    assert [c for _, c, _ in _found("دير، الزور")] == []


def test_diacritics_do_not_block_matching():
    assert [c for _, c, _ in _found("في حَلَب")] == ["Aleppo"]


@pytest.mark.parametrize("text", ["زعيم جماعة هيئة تحرير الشام", "رئيس جهاز الأمن في المدينة", "قائد قوات النخبة"])
def test_an_institution_noun_after_a_title_is_no_name(text):
    assert [k for _, _, k in _found(text)] in ([], ["ORG"])


@pytest.mark.parametrize("alias", ["هيئة تحرير الشام", "جبهة النصرة", "جبهة فتح الشام", "النصرة"])
def test_renamed_organisation_keeps_one_id(alias):
    assert [c for _, c, _ in _found(f"قالت {alias} اليوم")] == ["HTS"]


@pytest.mark.parametrize("text", ["فتح الباب أمام الحوار", "مظاهرات سلمية", "صور الأقمار الصناعية", "دعم مالي"])
def test_common_words_are_no_places(text):
    assert _found(text) == []


def test_towns_are_known_with_their_containing_places():
    assert [c for _, c, _ in _found("بين مدينة الباب وبلدة قباسين ودير حافر")] == ["al-Bab", "Qabasin", "Deir Hafer"]
    assert place_parent("Abu Kamal") == "Deir ez-Zor" and place_parent("Deir ez-Zor") == "Syria"
    assert place_parent("Syria") is None


def test_containment():
    assert within("Abu Kamal", "Syria") and within("Abu Kamal", "Deir ez-Zor")
    assert not within("Syria", "Abu Kamal") and not within("Aleppo", "Aleppo")
    assert nested("Aleppo", "Syria") and nested("Syria", "Aleppo") and nested("Homs", "Homs")
    assert not nested("Homs", "Beirut") and not nested("Qabasin", "al-Bab")


@pytest.mark.parametrize("text,dateline", [("بيروت (رويترز) - قالت مصادر في حمص", True),
                                           ("دمشق - أعلنت الحكومة", True),
                                           ("قالت مصادر في بيروت - حسب الوكالة", False),
                                           ("بيروت عاصمة لبنان", False)])
def test_dateline(text, dateline):
    first = extract_entities(text)[0]
    assert is_dateline(text, first) == dateline


def test_data_files_agree():
    """Every alias has one id and kind; containment names known places and has no cycle."""
    from tabayyun.text import normalize_ar
    ids: dict[str, str] = {}
    by_alias: dict[str, tuple[str, str]] = {}
    for alias, canonical, kind in data_rows("gazetteer.tsv"):
        key = normalize_ar(alias)
        assert by_alias.setdefault(key, (canonical, kind)) == (canonical, kind), alias
        assert ids.setdefault(canonical, kind) == kind, canonical
    for place, parent in data_rows("places.tsv"):
        assert ids.get(place) == "LOC" and ids.get(parent) == "LOC", (place, parent)
        assert not within(place, place)
