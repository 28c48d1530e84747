"""Control sets on a small corpus of invented articles written for these tests, in the ANT file layout."""
from __future__ import annotations

import gzip
import hashlib
import json
import random
import re
from collections import Counter
from pathlib import Path

import pytest

from tabayyun.evaluation import EXPECTED, KINDS, ControlCase, build_controls, load_seed_report, score_controls
from tabayyun.evaluation import controls as controls_module
from tabayyun.evaluation.controls import ANT_FILE, SEED_FILE, _attribution_to_end, _entities, _number_words, _table_change
from tabayyun.text import entities as product_entities
from tabayyun.text import extract_dates, extract_entities, extract_numbers
from tabayyun.text._lexicon import PhraseMatcher

ARTICLES = [
    ("SK-economy-1-20180301", "train",
     "ارتفعت أسعار القمح في الأسواق المحلية بنسبة 12 في المئة خلال شهر مارس الماضي. "
     "وقال وزير التجارة في مؤتمر صحفي إن الحكومة ستستورد 300 ألف طن من القمح قبل نهاية العام. "
     "وأكد الوزير أن المخزون الحالي يكفي لمدة 5 أشهر على الأقل بحسب تقديرات رسمية."),
    ("AL-sport-2-20180302", "train",
     "فاز المنتخب المغربي على نظيره التونسي بهدفين مقابل هدف في المباراة التي أقيمت مساء الجمعة. "
     "وسجل المهاجم الشاب هدف الفوز في الدقيقة 88 من عمر اللقاء أمام جمهور غفير. "
     "وقال المدرب بعد المباراة إن فريقه استحق الفوز رغم صعوبة الظروف في تونس."),
    ("FR-internationalNews-3-20180303", "train",
     "أعلنت السلطات في تركيا اعتقال 40 شخصا يشتبه في انتمائهم إلى شبكة لتهريب البشر. "
     "وذكرت وكالة الأناضول أن العملية جرت في ثلاث مدن ساحلية يوم الأحد. "
     "وكانت الشبكة قد نقلت أكثر من 700 مهاجر منذ عام 2016 بحسب التحقيقات الأولية."),
    ("BB-middleEast-4-20180304", "dev",
     "وصل وزير الخارجية الأردني إلى بغداد في زيارة رسمية تستمر يومين لبحث العلاقات الثنائية. "
     "والتقى الوزير نظيره العراقي وناقش معه مشاريع الربط الكهربائي بين الأردن والعراق. "
     "وقال مسؤول عراقي إن الجانبين وقعا 6 اتفاقيات في مجالات الطاقة والنقل والتجارة."),
    ("AL-technology-5-20180305", "train",
     "كشفت شركة ناشئة في دبي عن طائرة مسيرة لتوصيل الطرود تستطيع حمل 20 كيلوغراما. "
     "وقالت الشركة إن الطائرة قطعت مسافة 60 كيلومترا في أول تجربة لها الشهر الماضي. "
     "وتخطط الشركة لبدء الخدمة التجارية في عام 2020 داخل الإمارات وفق خطتها المعلنة."),
    ("BB-culture-6-20180306", "train",
     "افتتح معرض الكتاب الدولي في القاهرة أبوابه أمام الزوار بمشاركة 850 دار نشر من 35 دولة. "
     "وأعلن المنظمون أن عدد الزوار تجاوز 400 ألف زائر خلال الأيام الثلاثة الأولى من المعرض. "
     "ويستمر المعرض حتى نهاية الشهر المقبل في مصر وسط إقبال كبير من الشباب."),
    ("SK-economy-7-20180307", "train",
     "انخفض سعر صرف الليرة بنسبة 8 في المئة أمام الدولار الأمريكي خلال الأسبوع الماضي. "
     "وأوضح البنك المركزي في بيان أنه سيتدخل لضبط السوق في لبنان إذا استمر التراجع. "
     "ويبلغ حجم الاحتياطي الأجنبي لدى البنك نحو 90 مليار دولار وفق أرقام رسمية حديثة."),
    ("CN-sport-8-20180308", "dev",
     "خسر نادي الزمالك أمام ضيفه بثلاثة أهداف دون رد في الجولة العاشرة من الدوري المصري. "
     "وتراجع الفريق بهذه النتيجة إلى المركز الرابع برصيد 17 نقطة فقط في جدول الترتيب. "
     "وقال رئيس النادي إنه سيعقد اجتماعا طارئا مع الجهاز الفني يوم السبت في القاهرة."),
    ("FR-internationalNews-9-20180309", "train",
     "أفرجت السلطات في فرنسا عن 12 ناشطا بيئيا بعد احتجازهم لمدة يومين في باريس. "
     "وكان الناشطون قد أغلقوا طريقا رئيسيا في باريس احتجاجا على مشروع لتوسيع المطار. "
     "وقالت محاميتهم إن موكليها سيواصلون الاحتجاج بطرق سلمية خلال الأسابيع المقبلة في فرنسا."),
    ("SK-middleEast-10-20180310", "train",
     "وافق البرلمان في لبنان على قانون جديد للانتخابات البلدية بأغلبية 70 صوتا من أصل 128. "
     "وقال رئيس البرلمان إن القانون يمنح المرأة حصة لا تقل عن 30 في المئة من المقاعد. "
     "وستجرى الانتخابات البلدية المقبلة في شهر مايو من عام 2022 في جميع المحافظات."),
    ("SK-technology-11-20180311", "dev",
     "أطلقت وكالة الفضاء الهندية قمرا صناعيا جديدا لرصد الطقس من قاعدة في جنوب الهند. "
     "وقال مدير الوكالة إن القمر يزن 900 كيلوغرام وسيعمل لمدة 10 سنوات في مداره. "
     "وشارك في تطوير القمر أكثر من 500 مهندس على مدى أربع سنوات في الهند."),
    ("AL-internationalNews-12-20180312", "dev",
     "تضررت عشرات المنازل في اليمن جراء سيول غزيرة ضربت مدينة عدن مساء الخميس. "
     "وأعلن الدفاع المدني مقتل 9 أشخاص وإصابة 25 آخرين في حصيلة أولية للكارثة في اليمن. "
     "وأرسلت الحكومة 4 فرق إغاثة إلى الأحياء المتضررة لتقديم المساعدات العاجلة في عدن."),
    ("SK-sport-14-20180314", "train",
     "شارك أكثر من 5000 عداء في ماراثون الرياض الدولي الذي انطلق صباح الجمعة في السعودية. "
     "وفاز عداء كيني بالمركز الأول في سباق الرجال بزمن قياسي جديد أمام 30 منافسا. "
     "وقالت اللجنة المنظمة إن النسخة المقبلة ستقام في شهر فبراير من عام 2021 في الرياض."),
]
# The same text filed a second time, under another category: one article after de-duplication.
DUPLICATE = ("SK-internationalNews-13-20180301", "train", ARTICLES[0][2])
MARKER = "الزمردية"  # only in test-split articles
TEST_ARTICLES = [
    ("SK-culture-90-20180320", "test",
     f"افتتحت بلدية الجزيرة {MARKER} 3 حدائق عامة جديدة في قطر خلال شهر يونيو من عام 2019. "
     f"وقال رئيس بلدية الجزيرة {MARKER} إن الحدائق تضم 400 شجرة من أنواع نادرة ومختلفة."),
    ("AL-sport-91-20180321", "test",
     f"فاز فريق المدينة {MARKER} بكأس البطولة بعد تغلبه على منافسه بأربعة أهداف في مصر. "
     f"وسجل لاعبو الفريق {MARKER} 45 هدفا خلال الموسم كله في الدوري المحلي."),
]
SEED_TEXT = """\
المدينة الساحلية تستقبل أول سفينة شحن بعد إعادة فتح الميناء
الميناء (وكالة الاختبار) – قالت هيئة الموانئ إن أول سفينة شحن رست في الميناء يوم الثلاثاء بعد إغلاق دام 14 شهرا.
وأضافت الهيئة أن السفينة تحمل 2500 طن من المواد الغذائية والأدوية للسكان في اليمن.
وكانت الأمم المتحدة قد حذرت في عام 2018 من نقص حاد في الغذاء في المدينة بسبب الحرب.حرب
منشور متداول …
يقول المنشور ان الميناء ما زال مغلقا وان السفينة عادت دون ان تفرغ حمولتها …
"""


def _record(docno: str, split: str, text: str) -> dict[str, str]:
    source, category = docno.split("-")[:2]
    return {"docno": docno, "source": source, "category": category, "title": text.split(".")[0][:40],
            "time": "", "url": f"https://example.org/{docno}", "abstract": "", "text": text,
            "path": f"{source}/{category}/{docno}.txt", "text_md5": hashlib.md5(text.strip().encode()).hexdigest(),
            "split": split}


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    """A shared folder: data/ant_multisource/... (invented articles, test split included) and seed/."""
    records = [_record(*a) for a in ARTICLES[:5] + [DUPLICATE] + TEST_ARTICLES[:1] + ARTICLES[5:] + TEST_ARTICLES[1:]]
    ant = tmp_path / "data" / ANT_FILE
    ant.parent.mkdir(parents=True)
    with gzip.open(ant, "wt", encoding="utf-8") as f:
        f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    (tmp_path / "seed").mkdir()
    (tmp_path / "seed" / SEED_FILE).write_text(SEED_TEXT, encoding="utf-8")
    return tmp_path


def _build(shared: Path, **kwargs: int):
    return build_controls(shared / "data", **{"n_base": 8, "n_per_kind": 5, **kwargs})


def _texts() -> dict[str, str]:
    return {docno: text for docno, _, text in ARTICLES + [DUPLICATE] + TEST_ARTICLES}


def test_seed_report_stops_at_the_line_ending_with_harb(shared: Path) -> None:
    doc = load_seed_report(shared / "seed")
    assert doc.source == "reuters" and doc.date == "2019-03-19"
    assert doc.title.startswith("المدينة الساحلية")
    assert doc.text.endswith("حرب") and "المنشور" not in doc.text


def test_same_seed_same_set(shared: Path) -> None:
    first, second = _build(shared), _build(shared)
    assert first.cases == second.cases
    assert [d.id for d in first.base] == [d.id for d in second.base]
    assert Counter(c.kind for c in first.cases) == {kind: 5 for kind in KINDS}


def test_base_holds_train_dev_articles_and_the_report(shared: Path) -> None:
    controls = _build(shared)
    ant = controls.base[:-1]
    assert len(ant) == 8 and controls.base[-1].source == "reuters"
    assert all(d.date == f"2018-03-{d.id[-2:]}" and d.url for d in ant)
    assert len({d.text for d in ant}) == len(ant)  # de-duplicated by text


def test_test_split_never_used(shared: Path) -> None:
    controls = build_controls(shared / "data", n_base=12, n_per_kind=40)
    test_ids = {docno for docno, _, _ in TEST_ARTICLES}
    assert not test_ids & {d.id for d in controls.base}
    assert not test_ids & {c.doc_id for c in controls.cases}
    assert all(MARKER not in c.claim and MARKER not in c.source_sentence for c in controls.cases)
    assert all(MARKER not in d.text for d in controls.base)


def test_unseen_sentences_come_from_articles_outside_the_base(shared: Path) -> None:
    controls = _build(shared)
    base_ids = {d.id for d in controls.base}
    base_text = "\n".join(d.text for d in controls.base)
    texts = _texts()
    unseen = [c for c in controls.cases if c.kind == "unseen_true"]
    assert unseen and all(c.expected == "not_refuted" and c.claim == c.source_sentence for c in unseen)
    for case in unseen:
        assert case.doc_id not in base_ids and case.claim in texts[case.doc_id]
        assert case.claim not in base_text


def test_verbatim_and_sources_are_base_sentences(shared: Path) -> None:
    controls = _build(shared)
    by_id = {d.id: d.text for d in controls.base}
    for case in controls.cases:
        if case.kind != "unseen_true":
            assert case.source_sentence in by_id[case.doc_id]
            assert 8 <= len(case.source_sentence.split()) <= 40
        if case.kind == "verbatim":
            assert case.claim == case.source_sentence and case.expected == "supported" and case.change == ""


def _values(text: str) -> list[float]:
    return sorted(m.value for m in extract_numbers(text))


def test_paraphrases_differ_but_keep_the_numbers(shared: Path) -> None:
    cases = [c for c in build_controls(shared / "data", n_base=12, n_per_kind=40).cases if c.kind == "paraphrase"]
    assert len(cases) >= 5
    for case in cases:
        assert case.claim != case.source_sentence and case.expected == "supported" and case.change
        assert _values(case.claim) == _values(case.source_sentence)


def test_changed_cases_differ_in_exactly_the_recorded_fact(shared: Path) -> None:
    cases = [c for c in build_controls(shared / "data", n_base=12, n_per_kind=40).cases if c.kind == "changed"]
    kinds = Counter(c.change.split()[0] for c in cases)
    assert {"number", "year", "actor"} <= set(kinds)
    for case in cases:
        kind, edit = case.change.split(" ", 1)
        old, new = edit.split("->")
        src = case.source_sentence
        assert case.expected == "refuted" and old != new
        # The claim is the source with one occurrence of `old` replaced by `new`, nothing else.
        assert any(src[:i] + new + src[i + len(old):] == case.claim for i in range(len(src)) if src.startswith(old, i))
        if kind == "number":
            assert re.fullmatch(r"\d+", old) and re.fullmatch(r"\d+", new)
            assert _values(case.claim) != _values(src)
            assert len(case.claim.split()) == len(src.split())
        if kind == "year":
            years = sorted(d.year for d in extract_dates(case.claim) if d.year)
            assert years != sorted(d.year for d in extract_dates(src) if d.year)
            assert 1 <= abs(int(new) - int(old)) <= 5


def test_the_draw_does_not_depend_on_the_product_gazetteer(shared: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = build_controls(shared / "data", n_base=12, n_per_kind=40).cases
    assert any(c.change.startswith("actor ") for c in before)
    # The product forgets every name it knew: the controls are the same claims.
    monkeypatch.setattr(product_entities, "_GAZETTEER", PhraseMatcher(()))
    assert not extract_entities("مشاريع الربط الكهربائي بين الأردن والعراق في بغداد.")
    assert build_controls(shared / "data", n_base=12, n_per_kind=40).cases == before


@pytest.fixture
def fresh_entity_list():
    """The builder's entity list read anew, before and after the test."""
    caches = (controls_module._entity_list, controls_module._entity_index)
    for cache in caches:
        cache.cache_clear()
    yield
    for cache in caches:
        cache.cache_clear()


def test_entities_come_from_the_builders_frozen_list(monkeypatch: pytest.MonkeyPatch, fresh_entity_list: None) -> None:
    s = "وقال مسؤول للعراق إن قوات سوريا الديمقراطية دخلت أعزاز وبسوريا قبل أيام."
    found = [(s[e.start:e.end], e.prefix, e.listed.canonical) for e in _entities(s)]
    assert found == [("للعراق", "ل", "Iraq"), ("قوات سوريا الديمقراطية", "", "SDF"), ("وبسوريا", "وب", "Syria")]
    # أعزاز came to the product's gazetteer after the list was frozen: the product reads it, the builder does not.
    assert "أعزاز" in [e.text for e in extract_entities(s)]
    rows = controls_module._data_rows

    def other_list(name: str) -> list[list[str]]:
        return [["أعزاز", "Azaz", "LOC"]] if name == "entities.tsv" else rows(name)

    monkeypatch.setattr(controls_module, "_data_rows", other_list)
    controls_module._entity_list.cache_clear()
    controls_module._entity_index.cache_clear()
    assert [e.listed.canonical for e in _entities(s)] == ["Azaz"]


def test_attribution_moves_to_the_end() -> None:
    done = _attribution_to_end("وقال مسؤول في الوزارة إن الحكومة ستبني 40 مدرسة جديدة هذا العام.")
    assert done == ("الحكومة ستبني 40 مدرسة جديدة هذا العام، بحسب مسؤول في الوزارة.", ["attribution_to_end"])


def test_number_words_keep_values_and_skip_years() -> None:
    text = "وصل 5 أشخاص و60 ألف زائر إلى المدينة في عام 2000 بحسب السلطات."
    done = _number_words(text)
    assert done is not None
    assert done[0] == "وصل خمسة أشخاص وستين ألف زائر إلى المدينة في عام 2000 بحسب السلطات."
    assert _values(done[0]) == _values(text)


def test_negation_only_where_it_reads_as_one(shared: Path) -> None:
    rng = random.Random(0)
    s = "وقالت الشرطة إنها اعتقلت 12 شخصا بعد مواجهات في وسط المدينة."
    start, end, new = _table_change(s, ("negated",), rng) or (0, 0, "")
    assert s[:start] + new + s[end:] == "وقالت الشرطة إنها لم تعتقل 12 شخصا بعد مواجهات في وسط المدينة."
    assert _table_change("لم تصل الطائرة إلى المطار بعد ساعات من الانتظار في العاصمة.", ("negated",), rng) is None


def test_score_controls_arithmetic() -> None:
    cases = [ControlCase(kind, "c", EXPECTED[kind], "s", "d") for kind in
             ["unseen_true"] * 4 + ["verbatim"] * 2 + ["paraphrase"] * 2 + ["changed"] * 4]
    labels = ["not_enough_evidence", "supported", "refuted", "conflicting",
              "supported", "supported",
              "supported", "not_enough_evidence",
              "refuted", "refuted", "refuted", "supported"]
    scores = score_controls(cases, labels)
    unseen = scores["unseen_true"]
    assert unseen["n"] == 4 and unseen["refuted"] == unseen["supported"] == 0.25
    assert unseen["value"] == 0.25 and unseen["met"] is False and unseen["goal"] == "refuted <= 5%"
    assert scores["verbatim"]["supported"] == 1.0 and scores["verbatim"]["met"] is True
    assert scores["paraphrase"]["value"] == 0.5 and scores["paraphrase"]["met"] is False
    assert scores["changed"]["refuted"] == 0.75 and scores["changed"]["met"] is True
    assert all(sum(row[label] for label in ("supported", "refuted", "not_enough_evidence", "conflicting")) == 1
               for row in scores.values())
    with pytest.raises(ValueError):
        score_controls(cases, labels[:-1])
    with pytest.raises(ValueError):
        score_controls(cases[:1], ["maybe"])
