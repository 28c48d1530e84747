import pytest

from tabayyun.text import extract_entities


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
