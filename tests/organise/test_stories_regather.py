"""A document that started a story of its own before the story of its event existed is gathered into that story
when a later document joins both: the stories depend less on the order the documents arrive in."""
from __future__ import annotations

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
