"""Story clustering on short reports written for these tests: same event together, others apart, merges,
bounded candidates, determinism, resuming, and the seed's report and post in one story."""
from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date

import pytest

from tabayyun.evaluation.stories import bcubed, pairwise
from tabayyun.ingest import content_hash
from tabayyun.organise import StoryClusterer, StoryConfig, story_id_for
from tabayyun.records import Document
from tabayyun.store import SQLiteStore

QUAKE = [
    ("q1", "وكالة أ", "2021-05-02", "زلزال بقوة 6 درجات يضرب مدينة الحسيمة",
     "ضرب زلزال بقوة 6 درجات على مقياس ريختر مدينة الحسيمة شمال المغرب فجر الأحد وأدى إلى انهيار منازل "
     "قديمة ومقتل 12 شخصا حسب السلطات المحلية."),
    ("q2", "صحيفة ب", "2021-05-02", "ارتفاع حصيلة قتلى زلزال الحسيمة",
     "ارتفعت حصيلة قتلى الزلزال الذي ضرب مدينة الحسيمة شمال المغرب إلى 12 قتيلا وعشرات الجرحى بعد انهيار "
     "منازل قديمة، وقالت السلطات إن فرق الإنقاذ تواصل البحث تحت الأنقاض."),
    ("q3", "قناة ج", "2021-05-03", "فرق الإنقاذ تواصل البحث في الحسيمة بعد الزلزال",
     "تواصل فرق الإنقاذ البحث عن ناجين تحت أنقاض المنازل المنهارة في مدينة الحسيمة بعد الزلزال الذي بلغت "
     "قوته 6 درجات وأودى بحياة 12 شخصا."),
]
FOOTBALL = ("f1", "صحيفة ب", "2021-05-02", "الوداد يفوز على الرجاء في الديربي",
            "فاز فريق الوداد على غريمه الرجاء بهدفين نظيفين في مباراة الديربي التي أقيمت مساء السبت على ملعب "
            "محمد الخامس وسط حضور جماهيري كبير.")
BUDGET = ("b1", "وكالة أ", "2021-05-03", "البرلمان يصادق على ميزانية التعليم",
          "صادق البرلمان على زيادة ميزانية التعليم بنسبة 8 في المئة للعام المقبل لبناء مدارس جديدة في القرى "
          "وتوظيف آلاف المعلمين.")


def doc(row, **changes) -> Document:
    doc_id, source, date, title, text = row
    return replace(Document(id=doc_id, text=text, title=title, source=source, date=date), **changes)


def corpus() -> list[Document]:
    return [doc(QUAKE[0]), doc(FOOTBALL), doc(QUAKE[1]), doc(BUDGET), doc(QUAKE[2])]


def test_same_event_joins_one_story_and_unrelated_ones_do_not():
    placed = StoryClusterer().cluster(corpus())
    assert placed["q1"] == placed["q2"] == placed["q3"] == story_id_for("q1")
    assert len({placed["q1"], placed["f1"], placed["b1"]}) == 3


def test_the_same_input_in_the_same_order_gives_the_same_stories():
    first = StoryClusterer().cluster(corpus())
    second = StoryClusterer().cluster(corpus())
    assert first == second
    assert StoryClusterer().cluster(list(reversed(corpus())))["q1"] == story_id_for("q3")  # order decides the id


def test_a_report_out_of_the_time_window_starts_another_story():
    late = doc(QUAKE[1], id="q-late", date="2021-06-20")
    placed = StoryClusterer().cluster([doc(QUAKE[0]), late, doc(QUAKE[2])])
    assert placed["q-late"] != placed["q1"] == placed["q3"]


def test_an_undated_report_is_judged_on_its_words():
    placed = StoryClusterer().cluster([doc(QUAKE[0]), doc(QUAKE[1], date=None), doc(FOOTBALL, id="f2", date=None)])
    assert placed["q2"] == placed["q1"] != placed["f2"]


def test_a_report_linking_two_stories_merges_them_and_both_ids_stay_resolvable(tmp_path):
    # Four days apart: the second report cannot join the first's story; one in between joins both.
    docs = [doc(QUAKE[0], date="2021-05-01"), doc(QUAKE[1], date="2021-05-05"), doc(QUAKE[2], date="2021-05-03")]
    clusterer = StoryClusterer()
    assert clusterer.assign(docs[0])[0] != clusterer.assign(docs[1])[0]
    kept, _, merged = clusterer.assign(docs[2])
    assert merged and {kept, *merged} == {story_id_for("q1"), story_id_for("q2")}
    assert clusterer.resolve(story_id_for("q1")) == clusterer.resolve(story_id_for("q2")) == kept

    store = store_with(tmp_path, docs)
    StoryClusterer(store).sync(batch_size=1)
    for sid in (story_id_for("q1"), story_id_for("q2")):
        story = store.get_story(sid)
        assert story is not None and story.id == kept and set(story.documents) == {"q1", "q2", "q3"}
    assert store.get_story(kept).aliases == merged
    assert store.count_stories() == 1


def test_a_report_joining_the_smaller_of_two_stories_it_merges_leaves_the_larger_stored(tmp_path, monkeypatch):
    # The report scores highest with the one-document story, but the other story it also joins is larger and
    # is the one kept: the store must drop the smaller story's row, not the larger one's.
    docs = [doc(QUAKE[0], date="2021-05-01"), doc(QUAKE[1], date="2021-05-05"),
            doc(QUAKE[1], id="q2b", date="2021-05-05", source="قناة د", text=QUAKE[1][4] + " وأعلنت الحداد."),
            doc(QUAKE[1], id="q2c", date="2021-05-05", source="قناة هـ", text=QUAKE[1][4] + " وفتحت المدارس."),
            doc(QUAKE[2], date="2021-05-03")]
    small, large = story_id_for("q1"), story_id_for("q2")
    score = StoryClusterer.score

    def closer_to_the_small_story(self, f, story):
        real = score(self, f, story)
        return real if f.day != date(2021, 5, 3).toordinal() else (0.9 if story.id == small else 0.5)

    monkeypatch.setattr(StoryClusterer, "score", closer_to_the_small_story)
    clusterer = StoryClusterer()
    assert [clusterer.assign(d)[0] for d in docs[:4]] == [small, large, large, large]
    assert clusterer.assign(docs[4])[::2] == (large, [small])

    store = store_with(tmp_path, docs)
    StoryClusterer(store).sync(batch_size=5)
    assert [(s.id, sorted(s.documents)) for s in store.list_stories(limit=10)] == [
        (large, ["q1", "q2", "q2b", "q2c", "q3"])]
    assert store.resolve_story(small) == large


def test_candidates_are_bounded_however_many_stories_share_the_words():
    config = StoryConfig(postings=4, rescored=3, join=2.0, join_short=2.0, merge=2.0)  # above any score: every report
    # starts a story and none merges
    clusterer = StoryClusterer(config=config)
    base = doc(QUAKE[0])
    for n in range(60):
        clusterer.assign(replace(base, id=f"d{n}", title=f"{base.title} {n}"))
    assert len(clusterer.stories) == 60
    scored = []
    score = clusterer.score
    clusterer.score = lambda f, s: scored.append(s.id) or score(f, s)  # type: ignore[method-assign]
    clusterer.assign(replace(base, id="new"))
    # each candidate is scored once, and a candidate of one post at most once more (its post against the story)
    assert 0 < len(scored) <= 2 * config.rescored and len(set(scored) - {story_id_for("new")}) <= config.rescored
    assert len(clusterer.candidates(clusterer.features(base))) <= config.rescored


def store_with(tmp_path, docs, name="db") -> SQLiteStore:
    store = SQLiteStore(tmp_path / name)
    store.add_documents([(d, content_hash(d.text), []) for d in docs])
    return store


def test_organising_in_batches_and_resuming_gives_the_stories_of_one_pass(tmp_path):
    expected = StoryClusterer().cluster(corpus())
    store = store_with(tmp_path, corpus())
    assert StoryClusterer(store).sync_some(2) == 2  # then the process stops
    assert StoryClusterer(store).sync(batch_size=2) == 3  # a new one goes on from the saved state
    assert store.story_of_documents([d.id for d in corpus()]) == expected
    assert StoryClusterer(store).sync() == 0
    quake = store.get_story(expected["q1"])
    assert quake is not None and quake.documents == ["q1", "q2", "q3"]
    assert quake.sources == {"وكالة أ": 1, "صحيفة ب": 1, "قناة ج": 1}
    assert (quake.first_date, quake.last_date) == ("2021-05-02", "2021-05-03")
    assert "الحسيمة" in quake.keywords and quake.title in {q[3] for q in QUAKE}


def test_rebuild_gives_the_same_stories(tmp_path):
    store = store_with(tmp_path, corpus())
    clusterer = StoryClusterer(store)
    clusterer.sync()
    before = store.story_of_documents([d.id for d in corpus()])
    assert clusterer.rebuild() == 5
    assert store.story_of_documents([d.id for d in corpus()]) == before


def test_stories_are_listed_newest_first_and_filtered(tmp_path):
    store = store_with(tmp_path, corpus())
    StoryClusterer(store).sync()
    listed = store.list_stories()
    assert [s.last_date for s in listed] == sorted((s.last_date for s in listed), reverse=True)
    assert {s.id for s in store.list_stories(source="قناة ج")} == {story_id_for("q1")}
    assert {s.id for s in store.list_stories(until="2021-05-02")} == {story_id_for("q1"), story_id_for("f1")}
    assert {s.id for s in store.list_stories(since="2021-05-03")} == {story_id_for("q1"), story_id_for("b1")}
    assert store.list_stories(topic="sport") == []  # no document has topics yet
    conn = sqlite3.connect(store.path)
    conn.execute("INSERT INTO document_topics VALUES ('f1', 0, 'sport', 'رياضة', 'sport', 0.9), "
                 "('q2', 0, 'disaster', 'كوارث', 'disaster', 0.8)")
    conn.commit()
    conn.close()
    assert [s.id for s in store.list_stories(topic="sport")] == [story_id_for("f1")]
    assert [s.id for s in store.list_stories(topic="disaster")] == [story_id_for("q1")]


def test_clustering_scores():
    gold = {"a": 1, "b": 1, "c": 2, "d": 3}
    assert bcubed(gold, gold) == (1.0, 1.0, 1.0)
    p, r, _ = bcubed({"a": 1, "b": 1, "c": 1, "d": 3}, gold)
    assert p == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4) and r == 1.0
    p, r, _ = pairwise({"a": 1, "b": 2, "c": 2, "d": 3}, gold)
    assert (p, r) == (0.0, 0.0)


def test_the_seed_report_and_its_post_are_one_story(tmp_path):
    from tabayyun.pipeline import Tabayyun

    from tests.conftest import NEWS, seed_parts

    report, post = seed_parts()
    tb = Tabayyun(tmp_path / "seed", create=True)
    try:
        tb.add_documents([Document(**n) for n in NEWS] + [doc(r) for r in (*QUAKE, FOOTBALL, BUDGET)]
                         + [Document(id="reuters", text=report, title="الباغوز", source="Reuters", date="2019-03-19")])
        story = tb.store.story_of_documents(["reuters"])["reuters"]
        verdicts = tb.check(post, date="2019-03-20")
        assert len(verdicts) >= 2 and {v.story for v in verdicts} == {(story, "الباغوز")}
        assert tb.store.get_story(story).documents[-1] == "reuters"
    finally:
        tb.close()


def test_saved_claims_stay_in_their_story_when_the_stories_are_rebuilt(tmp_path):
    from tabayyun.pipeline import Tabayyun

    tb = Tabayyun(tmp_path / "claims", create=True)
    try:
        tb.add_documents(corpus())
        quake = story_id_for("q1")
        claims = [v.to_dict() for v in tb.check("ضرب زلزال بقوة 6 درجات مدينة الحسيمة وقتل 12 شخصا", all_claims=True)]
        assert claims and all(c["story"]["id"] == quake for c in claims)
        check_id = tb.store.save_check("منشور", claims)
        tb.attach_check(check_id, claims)
        assert [c["claim"] for c in tb.store.get_story(quake).claims] == [c["claim"] for c in claims]
        assert tb.organise(rebuild=True) == 5
        story = tb.store.get_story(quake)
        assert story.documents == ["q1", "q2", "q3"] and [c["check_id"] for c in story.claims] == [check_id] * len(claims)
    finally:
        tb.close()


def test_a_clusterer_goes_on_from_the_store_when_another_process_organised_meanwhile(tmp_path):
    store = store_with(tmp_path, corpus()[:2])
    first, second = StoryClusterer(store), StoryClusterer(store)
    assert second.nearest(QUAKE[0][4]) is None  # loads its (empty) state now
    first.sync()
    store.add_documents([(d, content_hash(d.text), []) for d in corpus()[2:]])
    second.sync()  # loaded before the first wrote: it must read the store again, not its stale state
    first.sync()
    assert store.story_of_documents([d.id for d in corpus()]) == StoryClusterer().cluster(corpus())


def test_lead_features_weigh_the_headline_and_read_entities_from_one_tokenisation():
    from tabayyun.organise.stories import lead_features, lead_terms

    config = StoryConfig(lead_chars=40, title_weight=2.0)
    title = "قصف مدينة حلب"
    text = "قال الرئيس بشار الأسد إن قصف حلب توقف اليوم بعد أسبوع من المعارك العنيفة في الشمال"
    lead = lead_features(title, text, config)
    counts, surface = lead_terms(title, text, config.lead_chars, config.title_weight)
    assert (lead.counts, lead.surface) == (counts, surface)
    by_word = {surface[t]: c for t, c in counts.items()}
    assert by_word["قصف"] == 3.0  # twice in the headline's weight, once in the lead
    assert by_word["مدينة"] == 2.0 and by_word["توقف"] == 1.0
    assert "المعارك" not in by_word  # past lead_chars
    assert lead.entities  # the title rule finds the president's name in the lead


def test_a_document_corrected_twice_stays_in_a_story_that_exists(tmp_path):
    """A corrected document that starts a story gets the id its first placement gave a story that is still there:
    the two must not be taken for one (merged into itself, the story's row was deleted and its documents and claims
    pointed nowhere)."""
    from importlib import resources

    from tabayyun.pipeline import Tabayyun

    tb = Tabayyun(tmp_path / "db", create=True)
    with resources.as_file(resources.files("tabayyun") / "data" / "demo" / "corpus.jsonl") as corpus:
        tb.ingest([corpus])
    first = tb.store.get_document("demo-003")
    tb.correct_document(replace(first, text=first.text.split(". ")[0] + "، بحسب بيان معدل."))
    tb.correct_document(replace(tb.store.get_document("demo-003"), title="عنوان جديد"))
    sid = tb.store.story_of_documents(["demo-003"])["demo-003"]
    assert tb.store.resolve_story(sid) is not None
    assert "demo-003" in tb.find_story(sid).documents
    assert sum(len(s.documents) for s in tb.list_stories()) == tb.store.counts()["documents"]


@pytest.mark.parametrize("title, text", [(QUAKE[0][3], QUAKE[0][4]), (FOOTBALL[3], FOOTBALL[4]),
                                         ("عاجل: انفجار في ميناء بيروت RT", "@user: الدفاع المدني يعلن 5 قتلى"),
                                         ("خبر #عاجل عن بيروت", "نص https://t.co/x قصير"), ("", QUAKE[1][4])])
def test_the_headlines_terms_read_with_the_lead_are_those_of_the_headline_alone(title, text):
    from tabayyun.organise.stories import lead_features, lead_terms

    config = StoryConfig()
    lead = lead_features(title, text, config)
    assert lead.head == lead_terms(title, "", 0, 1.0)[0]
    clusterer = StoryClusterer(config=config)
    document = Document(id="d", text=text, title=title, date="2021-05-02")
    assert clusterer.features(document, lead=lead) == clusterer.features(document, lead=replace(lead, head=None))


def test_a_mask_across_the_line_break_leaves_the_headlines_terms_as_they_are():
    from tabayyun.organise.stories import lead_features

    lead = lead_features("انفجار في بيروت RT", "@user: قتلى", StoryConfig())
    assert "rt" in lead.head and "rt" not in lead.counts  # "RT\n@user:" is masked in the lead, not in the headline
