"""A document that started a story of its own before the story of its event existed is gathered into that story
when a later document joins both: the stories depend less on the order the documents arrive in."""
from __future__ import annotations

from collections import Counter

from tabayyun.ingest import content_hash
from tabayyun.organise import StoryClusterer, StoryConfig, story_id_for
from tabayyun.organise.stories import Member, StoryState
from tabayyun.records import Document
from tabayyun.store import SQLiteStore

POSTS = [
    ("arrives", "المدرب الجديد يصل مع ملاكه المساعد"),  # first: no story of the signing yet, shares nothing with ...
    ("signed", "الاتحاد يوقع عقد التعاقد الرسمي لقيادة المنتخب الأول"),  # ... the signing itself
    ("links", "المدرب الجديد يوقع عقد قيادة المنتخب الأول رسميا"),  # joins the signing and the arrival
    ("rain", "أمطار غزيرة تغلق الطرق الرئيسية"),
]


def feed(order: list[int]) -> list[Document]:
    return [Document(id=POSTS[i][0], text=POSTS[i][1], source="الاتحاد") for i in order]


def groups(placed: dict[str, str]) -> list[list[str]]:
    out: dict[str, list[str]] = {}
    for doc_id, sid in placed.items():
        out.setdefault(sid, []).append(doc_id)
    return sorted(sorted(g) for g in out.values())


def test_an_early_post_is_gathered_into_its_story_whatever_the_order():
    expected = [["arrives", "links", "signed"], ["rain"]]
    for order in ([0, 1, 2, 3], [2, 1, 0, 3], [1, 2, 0, 3], [3, 0, 1, 2]):
        assert groups(StoryClusterer().cluster(feed(order))) == expected, order
    # without gathering, the arrival stays alone when it comes first
    assert groups(StoryClusterer(config=StoryConfig(regather=0)).cluster(feed([0, 1, 2, 3]))) == [
        ["arrives"], ["links", "signed"], ["rain"]]


def test_the_gathered_story_id_stays_resolvable_in_the_store_and_a_rebuild_gives_the_same(tmp_path):
    docs = feed([0, 1, 2, 3])
    clusterer = StoryClusterer()
    assert [clusterer.assign(d)[0] for d in docs[:2]] == [story_id_for("arrives"), story_id_for("signed")]
    kept, _, merged = clusterer.assign(docs[2])
    assert kept == story_id_for("signed") and merged == [story_id_for("arrives")]

    store = SQLiteStore(tmp_path / "db")
    store.add_documents([(d, content_hash(d.text), []) for d in docs])
    organiser = StoryClusterer(store)
    organiser.sync(batch_size=2)
    story = store.get_story(story_id_for("arrives"))
    assert story is not None and story.id == kept and sorted(story.documents) == ["arrives", "links", "signed"]
    before = store.story_of_documents([d.id for d in docs])
    assert organiser.rebuild() == 4
    assert store.story_of_documents([d.id for d in docs]) == before


def test_a_member_keeps_whether_it_was_short_and_old_states_still_load():
    member = Member("d", {"عقد": 1.0}, [], "s", None, "t", 1.0, {}, [], True)
    assert Member(*member.to_json()) == member and member.features().short
    old = StoryState("x", 1, {}, {}, {}, {}).to_json() | {"members": [member.to_json()[:9]]}  # saved before
    loaded = StoryState.from_json("x", old)
    assert loaded.members is not None and not loaded.members[0].short


LATE = [  # made-up posts of one event, and one of another
    ("c", "الاتحاد يستقبل المساعد رسميا في الملاعب بعد عقد"),  # first: far from the others until their story grows
    ("a", "المدرب المساعد في قيادة الملاك"),
    ("b", "يستقبل المدرب الجديد قيادة"),
    ("d", "جولة رئيس الاتحاد مع الملاك"),  # joins the coach's story, and scores the first post under its threshold
    ("x", "أمطار غزيرة تغلق الطرق الرئيسية في الجنوب"),
]
OFF = StoryConfig(regather_floor=1.0)  # gathering only what the later document joins (the eleventh session's rule)


def late_feed(order: list[int]) -> list[Document]:
    return [Document(id=LATE[i][0], text=LATE[i][1], source="الاتحاد") for i in order]


def test_a_post_scored_below_the_threshold_is_gathered_once_its_story_is_close_enough():
    docs = late_feed([0, 1, 2, 3, 4])
    assert groups(StoryClusterer().cluster(docs)) == [["a", "b", "c", "d"], ["x"]]
    assert groups(StoryClusterer(config=OFF).cluster(docs)) == [["a", "b", "d"], ["c"], ["x"]]
    clusterer = StoryClusterer()
    assert [clusterer.assign(d)[0] for d in docs[:3]] == [story_id_for("c"), story_id_for("a"), story_id_for("a")]
    kept, score, merged = clusterer.assign(docs[3])  # "d" joins the coach's story (above join_short), not "c" ...
    assert kept == story_id_for("a") and score >= StoryConfig().join_short and merged == [story_id_for("c")]
    assert clusterer.resolve(story_id_for("c")) == kept  # ... which is gathered: its id stays resolvable
    before = StoryClusterer(config=OFF)
    assert [before.assign(d)[2] for d in docs[:4]] == [[], [], [], []]  # before: nothing gathered


def test_the_stories_no_longer_depend_on_the_order_the_posts_arrive_in():
    from itertools import permutations

    def outcomes(config: StoryConfig) -> set[tuple[tuple[str, ...], ...]]:
        return {tuple(map(tuple, groups(StoryClusterer(config=config).cluster(late_feed(list(order))))))
                for order in permutations(range(len(LATE)))}

    assert outcomes(StoryConfig()) == {(("a", "b", "c", "d"), ("x",))}
    assert len(outcomes(OFF)) > 1


def test_below_the_threshold_only_posts_are_gathered_and_only_with_the_margin():
    clusterer = StoryClusterer()
    clusterer.cluster(late_feed([1, 2]))
    story = next(iter(clusterer.stories.values()))
    f = clusterer.features(late_feed([2])[0])
    fit = clusterer.score(f, story)
    assert fit >= StoryConfig().join_short + StoryConfig().regather_margin

    def single(short: bool) -> StoryState:
        member = Member("p", f.terms, sorted(f.entities), "s", None, "t", 1.0, f.head, [], short)
        return StoryState("s-p", 0, {}, Counter(), Counter(), {}, size=1, members=[member])

    assert clusterer._regathered(single(True), story, below=True)
    assert not clusterer._regathered(single(False), story, below=True)  # an article: only as before
    strict = StoryClusterer(config=StoryConfig(regather_margin=fit))
    strict.cluster(late_feed([1, 2]))
    assert not strict._regathered(single(True), next(iter(strict.stories.values())), below=True)
