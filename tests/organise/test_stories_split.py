"""Story splits: a story whose documents form two groups apart splits; the larger group keeps the id (so it
stays resolvable), the store follows, rebuilds give the same stories, and the check has a bounded cost."""
from __future__ import annotations

from dataclasses import replace

from tabayyun.ingest import content_hash
from tabayyun.organise import StoryClusterer, StoryConfig, story_id_for
from tabayyun.records import Document
from tabayyun.store import SQLiteStore

from tests.organise.test_stories import QUAKE, doc

# Another event in the same city on the same days: it shares the city's name with the quake reports.
FIRE = [
    ("m1", "صحيفة د", "2021-05-03", "حريق يلتهم سوق الخضر في الحسيمة",
     "التهم حريق ضخم عشرات المحلات التجارية في سوق الخضر بالحسيمة ليلة الاثنين، وقال تجار إن خسائرهم "
     "كبيرة بعد أن عجزت شاحنات الإطفاء عن الوصول إلى الأزقة الضيقة."),
    ("m2", "وكالة أ", "2021-05-03", "تجار سوق الخضر يحصون خسائر الحريق",
     "أحصى تجار سوق الخضر خسائر الحريق الذي أتى على محلاتهم التجارية، وطالبوا البلدية بتعويضهم وبتوسيع "
     "الأزقة حتى تصل شاحنات الإطفاء."),
]

# Joining is made easy (any shared word), so the two events land in one story first: only the split can
# tell them apart.
LOOSE = StoryConfig(join=0.01, join_short=0.01, head_min=0.0, shared_entity=False, merge=2.0, split=0.2)


def docs() -> list[Document]:
    return [doc(QUAKE[0]), doc(QUAKE[1]), doc(FIRE[0]), doc(QUAKE[2]), doc(FIRE[1])]


def test_a_story_of_two_events_splits_and_the_larger_part_keeps_its_id():
    joined = StoryClusterer(config=replace(LOOSE, split=0.0)).cluster(docs())
    assert len(set(joined.values())) == 1  # without splits, one story holds both events
    clusterer = StoryClusterer(config=LOOSE)
    placed = clusterer.cluster(docs())
    quake = story_id_for("q1")
    assert placed["q1"] == placed["q2"] == placed["q3"] == quake
    assert placed["m1"] == placed["m2"] != quake
    assert clusterer.splits >= 1 and clusterer.resolve(quake) == quake
    fire = clusterer.stories[placed["m1"]]
    assert fire.size == 2 and fire.sources == {"صحيفة د": 1, "وكالة أ": 1}
    assert clusterer.stories[quake].size == 3 and "سوق" not in clusterer.stories[quake].centroid


def test_a_coherent_story_does_not_split():
    clusterer = StoryClusterer(config=replace(LOOSE, split=0.2))
    placed = clusterer.cluster([doc(q) for q in QUAKE])
    assert set(placed.values()) == {story_id_for("q1")} and clusterer.splits == 0


def store_with(tmp_path, documents) -> SQLiteStore:
    store = SQLiteStore(tmp_path / "db")
    store.add_documents([(d, content_hash(d.text), []) for d in documents])
    return store


def test_the_store_follows_a_split_in_any_batch_size_and_a_rebuild_gives_the_same_stories(tmp_path):
    expected = StoryClusterer(config=LOOSE).cluster(docs())
    store = store_with(tmp_path, docs())
    StoryClusterer(store, LOOSE).sync(batch_size=1)  # the split happens in a later batch than the fire report
    ids = [d.id for d in docs()]
    assert store.story_of_documents(ids) == expected
    quake = store.get_story(story_id_for("q1"))
    assert quake is not None and sorted(quake.documents) == ["q1", "q2", "q3"]
    fire = store.get_story(expected["m1"])
    assert fire is not None and sorted(fire.documents) == ["m1", "m2"] and fire.title in {f[3] for f in FIRE}
    clusterer = StoryClusterer(store, LOOSE)
    assert clusterer.rebuild() == 5
    assert store.story_of_documents(ids) == expected
    assert store.count_stories() == 2


def test_a_removed_document_is_not_brought_back_by_a_split(tmp_path):
    store = store_with(tmp_path, [doc(QUAKE[0]), doc(FIRE[0])])
    StoryClusterer(store, LOOSE).sync()
    assert len(set(store.story_of_documents(["q1", "m1"]).values())) == 1  # too few documents to split yet
    store.remove_document("m1")
    assert "m1" not in store.story_of_documents(["m1"])
    store.add_documents([(d, content_hash(d.text), []) for d in (doc(QUAKE[1]), doc(QUAKE[2]), doc(FIRE[1]))])
    clusterer = StoryClusterer(store, LOOSE)
    clusterer.sync()
    assert clusterer.splits >= 1  # the split moved "m1" with "m2" in the clusterer's state ...
    placed = store.story_of_documents(["q1", "q2", "q3", "m1", "m2"])
    assert "m1" not in placed and placed["m2"] != placed["q1"]  # ... but the base holds no removed document


def test_a_story_stops_keeping_members_past_split_max():
    config = replace(LOOSE, split_max=4, split=0.0)
    clusterer = StoryClusterer(config=config)
    base = doc(QUAKE[0])
    for n in range(6):
        clusterer.assign(replace(base, id=f"d{n}"))
    story = clusterer.stories[story_id_for("d0")]
    assert story.size == 6 and story.members is None  # no more split checks: their cost stays bounded
    restored = type(story).from_json(story.id, story.to_json())
    assert restored.members is None and restored.size == 6


def test_a_checked_claim_leans_to_the_story_of_its_best_ranked_evidence():
    from tests.organise.test_stories import corpus

    clusterer = StoryClusterer()
    placed = clusterer.cluster(corpus())
    f = clusterer.features(Document(id="", text="خبر لا يشارك التقارير أي كلمة"))
    for evidence in ([("f1", 0.0), ("q1", 0.0)], [("q1", 0.0), ("f1", 0.0)]):  # stance said nothing: rank decides
        got = clusterer.place(f, clusterer.stories, placed, evidence)
        assert got is not None and got[0] == placed[evidence[0][0]]
    assert StoryClusterer(config=StoryConfig(rank_weight=0.0)).place(f, clusterer.stories, placed,
                                                                     [("f1", 0.0), ("q1", 0.0)]) is None
