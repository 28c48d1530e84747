"""The rules for short texts: a burst of an event's words weighs more, and names that share a word are shared."""
from __future__ import annotations

from dataclasses import replace

import pytest

from tabayyun.ingest import content_hash
from tabayyun.organise import StoryClusterer, StoryConfig
from tabayyun.records import Document
from tabayyun.store import SQLiteStore

# One account's feed: thirty older posts about other things, each with the channel's boilerplate ...
OLDER = [f"{what} في {where}" for what in ("افتتاح معرض الكتاب", "ارتفاع درجات الحرارة", "مباراة ودية للشباب",
                                           "موعد الامتحانات الوزارية", "أمطار غزيرة تغلق طرقا", "مهرجان المسرح")
         for where in ("بغداد", "البصرة", "أربيل", "الموصل", "النجف")]
# ... then a run of posts on one event (the attack on the channel): «اقتحام» is new and frequent.
EVENT = ["اقتحام مقر القناة من قبل مسلحين فجر اليوم", "نقابة الصحفيين تدين اقتحام مقر القناة",
         "اقتحام القناة يثير موجة استنكار واسعة"]
TAIL = " #عاجل"


def feed() -> list[Document]:
    return [Document(id=f"t{n}", text=text + TAIL, source="القناة") for n, text in enumerate(OLDER + EVENT)]


POST = Document(id="p", text="وزير الداخلية يزور موقع الاقتحام ويأمر بالتحقيق مع الحراس" + TAIL, source="القناة")


def organised(config: StoryConfig) -> StoryClusterer:
    clusterer = StoryClusterer(config=config)
    clusterer.cluster(feed())
    return clusterer


def test_a_burst_term_weighs_more_in_a_short_text_and_boilerplate_does_not():
    clusterer = organised(StoryConfig())
    with_burst = clusterer.features(POST, count=True)
    without = organised(StoryConfig(burst_docs=0)).features(POST, count=True)
    assert with_burst.short and without.short and with_burst.terms.keys() == without.terms.keys()
    term = {with_burst.surface[t]: t for t in with_burst.terms}
    ratio = {word: with_burst.terms[t] / without.terms[t] for word, t in term.items()}
    assert ratio["الاقتحام"] > 1.5 * ratio["وزير"]  # in three of the last ten posts, in none before
    assert ratio["عاجل"] == pytest.approx(ratio["وزير"])  # in every post: no burst
    # the weight itself: 1 + burst_weight x (1 - base share / recent share), in full from burst_min posts
    assert clusterer.burst(term["الاقتحام"], 0.0) == pytest.approx(1 + clusterer.config.burst_weight)
    assert clusterer.burst(term["عاجل"], 1.0) == 1.0


def test_a_long_report_is_not_reweighed():
    report = Document(id="r", title="اقتحام مقر قناة في بغداد", source="وكالة", text=(
        "اقتحم مسلحون مقر القناة الفضائية فجر اليوم وحطموا أجهزة البث واعتدوا على عدد من العاملين فيها قبل أن "
        "ينسحبوا، وقالت إدارة القناة في بيان إن البث سيعود خلال يومين بعد إصلاح الأضرار، فيما دانت نقابة "
        "الصحفيين الاعتداء وطالبت الحكومة بحماية المؤسسات الإعلامية ومحاسبة المسؤولين عنه."))
    f = organised(StoryConfig()).features(report, count=True)
    g = organised(StoryConfig(burst_docs=0)).features(report, count=True)
    assert not f.short and f.terms == pytest.approx(g.terms)


def test_a_post_of_the_burst_joins_the_event_only_with_the_burst():
    # The post shares only «الاقتحام» (and «عاجل») with the event's story.
    last = f"t{len(OLDER) + len(EVENT) - 1}"
    placed = StoryClusterer().cluster([*feed(), POST])
    plain = StoryClusterer(config=StoryConfig(burst_docs=0)).cluster([*feed(), POST])
    assert placed["p"] == placed[last]
    assert plain["p"] != plain[last]
    event = {f"t{len(OLDER) + n}" for n in range(len(EVENT))}
    for stories in (placed, plain):  # the older posts are other stories either way
        assert len({stories[d] for d in event}) == 1
        assert all(stories[f"t{n}"] != stories[last] for n in range(len(OLDER)))


def test_names_that_share_a_word_are_shared_for_a_short_text_only_when_loose():
    clusterer = StoryClusterer()
    sid = clusterer.assign(Document(id="a", text="الشيخ سلمان العودة فك الله أسرك يا شيخنا"))[0]
    story = clusterer.stories[sid]
    story.entities = story.entities.__class__({"سلمان العوده فك": 1})  # a name run on, as tweets give them
    f = clusterer.features(Document(id="b", text="إطلاق سراح الشيخ سلمان العودة"))
    f = replace(f, entities=frozenset({"سلمان العوده"}))
    assert clusterer.disjoint(f, story) and not clusterer.disjoint(f, story, loose=True)
    other = replace(f, entities=frozenset({"محمد بن راشد"}))
    assert clusterer.disjoint(other, story, loose=True)  # no word in common: still apart
    assert clusterer.score(f, story) > 0.0
    assert StoryClusterer(config=StoryConfig(loose_names=False)).score(f, story) == 0.0
    assert clusterer.score(replace(f, short=False), story) == 0.0  # a report keeps the strict rule


def test_going_on_from_the_store_keeps_the_window_of_the_last_documents(tmp_path):
    docs = feed()
    one_pass = StoryClusterer()
    expected = one_pass.cluster(docs)
    store = SQLiteStore(tmp_path / "db")
    store.add_documents([(d, content_hash(d.text), []) for d in docs])
    assert StoryClusterer(store).sync_some(7) == 7  # the process stops inside the event's run
    again = StoryClusterer(store)
    again._ensure_loaded()
    window = StoryClusterer()
    window.cluster(docs[:7])
    assert again.recent_df == window.recent_df and len(again.recent) == len(window.recent)
    assert again.sync(batch_size=2) == len(docs) - 7
    assert store.story_of_documents([d.id for d in docs]) == expected
