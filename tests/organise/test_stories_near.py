"""Two stories of posts that a later post brings close are merged, even when that post scores the second story
under its threshold (``merge_near``): the fragments of one event that started apart come together as it grows."""
from __future__ import annotations

from collections import Counter
from datetime import date

from tabayyun.ingest import content_hash
from tabayyun.organise import StoryClusterer, StoryConfig, story_id_for
from tabayyun.organise.stories import DocFeatures, StoryState
from tabayyun.records import Document
from tabayyun.store import SQLiteStore

POSTS = [  # made-up posts of one event, arriving as two fragments
    ("a1", "الوزارة تطلق حملة التطعيم في المستشفيات"),
    ("b1", "الطواقم الطبية تتلقى اللقاح مع اطلاق حملة التطعيم"),
    ("joins", "حملة التطعيم تبدأ بالطواقم الطبية في المستشفيات"),
]
OFF = StoryConfig(merge_near=False)


def posts(title: str = "") -> list[Document]:
    return [Document(id=i, title=title, text=t, source="الوزارة") for i, t in POSTS]


def scripted(monkeypatch) -> None:
    """The first two posts start stories of their own; the third joins the first and scores the second under
    every threshold (so neither the centroid merge of a joined candidate nor gathering applies)."""
    def fake(self, f, story):
        if len(self.stories) < 2:
            return 0.0
        return 0.9 if story.id == story_id_for("a1") else 0.05

    monkeypatch.setattr(StoryClusterer, "score", fake)


def test_a_post_that_brings_two_stories_within_merge_merges_them(monkeypatch):
    scripted(monkeypatch)
    docs = posts()
    clusterer = StoryClusterer()
    assert [clusterer.assign(d)[0] for d in docs[:2]] == [story_id_for("a1"), story_id_for("b1")]
    kept, score, merged = clusterer.assign(docs[2])
    assert score == 0.9 and {kept, *merged} == {story_id_for("a1"), story_id_for("b1")}
    assert clusterer.resolve(story_id_for("b1")) == clusterer.resolve(story_id_for("a1")) == kept
    assert clusterer.stories[kept].size == 3

    off = StoryClusterer(config=OFF)  # without the rule the two fragments stay apart
    assert [off.assign(d)[2] for d in docs] == [[], [], []]
    strict = StoryClusterer(config=StoryConfig(merge=0.99))  # and with centroids that are not close enough
    assert [strict.assign(d)[2] for d in docs] == [[], [], []]


def test_only_a_post_merges_what_it_scores_under_its_threshold(monkeypatch):
    scripted(monkeypatch)
    words = ("مدينة شارع مبنى سوق جسر نهر جبل بحر سهل وادي قرية ساحة حديقة مكتبة مدرسة جامعة مصنع ميناء مطار "
             "محطة ملعب متحف مسرح فندق مطعم")  # an article: a headline and 25+ terms
    long_text = f"حملة التطعيم تبدأ بالطواقم الطبية في المستشفيات {words}"
    docs = posts()
    clusterer = StoryClusterer()
    for d in docs[:2]:
        clusterer.assign(d)
    article = Document(id="joins", title="حملة التطعيم", text=long_text, source="الوزارة")
    assert not clusterer.features(article).short
    assert clusterer.assign(article)[2] == []


def test_stories_below_the_threshold_merge_only_through_the_gates():
    clusterer = StoryClusterer()
    day = date(2021, 3, 1).toordinal()

    def story(sid: str, entities: list[str], first: int | None = day, head: dict[str, float] | None = None) -> StoryState:
        return StoryState(sid, 0, {"حمل": 1.0, "تطعيم": 1.0}, Counter(entities), Counter(), {}, first, first,
                          size=2, heads=head or {})

    one = story("s-1", ["وزارة الصحة"])
    assert clusterer._close(story("s-2", ["وزارة الصحة"]), one, below=True)
    assert not clusterer._close(story("s-2", ["الاتحاد"]), one, below=True)  # entities disjoint
    assert clusterer._close(story("s-2", ["الاتحاد"]), one, below=False)  # a candidate it joined: as before
    assert not clusterer._close(story("s-2", ["وزارة الصحة"], day + 10), one, below=True)  # days apart
    assert clusterer._close(story("s-2", ["وزارة الصحة"], None), one, below=True)  # undated
    assert not clusterer._close(story("s-2", ["وزارة الصحة"], head={"مطر": 1.0}),
                                story("s-1", ["وزارة الصحة"], head={"لقاح": 1.0}), below=True)  # headlines apart
    far = StoryState("s-3", 0, {"مطر": 1.0}, Counter(["وزارة الصحة"]), Counter(), {}, day, day, size=2)
    assert not clusterer._close(far, one, below=True)  # centroids apart


def test_a_document_and_a_story_of_that_document_pass_the_same_gates():
    """One implementation of the date, headline and entity gates serves documents and stories: a story made of
    one document passes them where the document does (with the same window, names read the same way)."""
    clusterer = StoryClusterer()
    day = date(2021, 3, 1).toordinal()
    one = StoryState("s-1", 0, {"حمل": 1.0}, Counter(["وزارة الصحة"]), Counter(), {}, day, day + 1, size=2,
                     heads={"لقاح": 1.0}, head_entities=Counter(["وزارة الصحة"]))
    for doc_day, entities, head in [(day, {"وزارة الصحة"}, {"لقاح": 1.0}), (day + 3, {"وزارة الصحة"}, {}),
                                    (day + 9, {"وزارة الصحة"}, {}), (None, {"الاتحاد"}, {}),
                                    (day, {"وزارة الصحة"}, {"مطر": 1.0}), (day, {"الصحة"}, {})]:
        f = DocFeatures({"حمل": 1.0}, frozenset(entities), doc_day, head=head, head_entities=frozenset(entities))
        as_story = StoryState("s-2", 0, dict(f.terms), Counter(entities), Counter(), {}, doc_day, doc_day, size=1,
                              heads=head, head_entities=Counter(entities))
        for window, loose, headlines in [(2, False, True), (None, False, False), (None, True, True)]:
            assert clusterer.gates(f, one, window=window, loose=loose, headlines=headlines) == clusterer.gates(
                as_story, one, window=window, loose=loose, headlines=headlines), (doc_day, entities, head, window)
    f = DocFeatures({"حمل": 1.0}, frozenset(["وزارة الصحة"]), day + 3, head={"لقاح": 1.0})
    assert clusterer.score(f, one) > 0 and not clusterer.gates(f, one, window=0, loose=False, headlines=True)
    assert clusterer.gates(f, one, window=None, loose=False, headlines=False)  # two stories: their span only


def test_the_merged_id_stays_resolvable_in_the_store(tmp_path, monkeypatch):
    scripted(monkeypatch)
    docs = posts()
    store = SQLiteStore(tmp_path / "db")
    store.add_documents([(d, content_hash(d.text), []) for d in docs])
    StoryClusterer(store).sync(batch_size=2)  # the merge happens in the second batch
    [story] = store.list_stories(limit=10)
    assert sorted(story.documents) == ["a1", "b1", "joins"]
    assert store.resolve_story(story_id_for("a1")) == store.resolve_story(story_id_for("b1")) == story.id
