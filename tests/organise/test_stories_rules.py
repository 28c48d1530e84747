"""The join rules of stories: what counts as a short text, the headline-entity gate, the penalty for days apart."""
from __future__ import annotations

from dataclasses import replace

import pytest

from tabayyun.organise import StoryClusterer, StoryConfig
from tabayyun.records import Document

REPORT = Document(id="r1", source="وكالة أ", date="2021-05-02", title="زلزال يضرب مدينة الحسيمة شمال المغرب",
                  text="ضرب زلزال بقوة 6 درجات مدينة الحسيمة شمال المغرب فجر الأحد وأدى إلى انهيار منازل قديمة "
                       "ومقتل 12 شخصا حسب السلطات المحلية، وتواصل فرق الإنقاذ البحث تحت الأنقاض.")
# A post: no headline, under 400 characters, yet 25 terms or more.
POST = ("عاجل زلزال الحسيمة: انهيار منازل قديمة ومقتل 12 شخصا وفرق الإنقاذ تبحث تحت الأنقاض، الناس خرجوا إلى "
        "الشوارع خائفين والمستشفى يستقبل الجرحى ويطلب التبرع بالدم والمدارس مغلقة والكهرباء مقطوعة "
        "في أحياء كثيرة والطرق الجبلية مقطوعة والجيش يرسل خياما وأغطية للعائلات المتضررة")


def test_a_post_without_a_headline_is_short_by_its_length_whatever_its_terms():
    clusterer = StoryClusterer()
    post = clusterer.features(Document(id="p", text=POST))
    assert len(post.terms) >= clusterer.config.short_terms and len(POST) <= clusterer.config.short_chars
    assert post.short
    assert not clusterer.features(Document(id="p", text=POST, title="زلزال الحسيمة")).short
    assert not StoryClusterer(config=StoryConfig(short_chars=100)).features(Document(id="p", text=POST)).short


def test_a_post_joins_a_story_at_the_short_threshold():
    # A long document never joins: only the short rule can place the post (every term is looked up: the
    # two-document base weighs the post's own words highest).
    config = StoryConfig(join=2.0, index_terms=80, query_terms=80)
    docs = [REPORT, Document(id="p", text=POST, date="2021-05-02")]
    placed = StoryClusterer(config=config).cluster(docs)
    assert placed["p"] == placed["r1"]
    apart = StoryClusterer(config=replace(config, short_chars=0)).cluster(docs)
    assert apart["p"] != apart["r1"]


LEAD = ("أعلن الرئيس ماكرون والرئيس أردوغان خطة مشتركة للطاقة تشمل محطات للرياح والطاقة الشمسية وخطوط نقل "
        "للكهرباء بين البلدين بكلفة مليار يورو خلال خمس سنوات.")


def test_headlines_that_name_other_people_keep_documents_apart_though_their_leads_share_names():
    clusterer = StoryClusterer()
    sid = clusterer.assign(Document(id="a", source="أ", date="2021-05-02", text=LEAD,
                                    title="ماكرون يعلن خطة جديدة للطاقة"))[0]
    story = clusterer.stories[sid]
    other = clusterer.features(Document(id="b", date="2021-05-02", text=LEAD, title="أردوغان يعلن خطة جديدة للطاقة"))
    same = clusterer.features(Document(id="c", date="2021-05-02", text=LEAD, title="ماكرون يعلن خطة للطاقة"))
    assert other.entities & story.entities.keys()  # the leads share both presidents ...
    assert other.head_entities and story.head_entities and not other.head_entities & story.head_entities.keys()
    assert clusterer.score(other, story) == 0.0  # ... the headlines name different ones
    assert clusterer.score(same, story) >= clusterer.config.join


def test_each_day_beyond_the_free_gap_costs_the_gap_weight():
    config = StoryConfig(window_days=6, max_span_days=10)
    clusterer = StoryClusterer(config=config)
    story = clusterer.stories[clusterer.assign(REPORT)[0]]

    def score(day: str) -> float:
        return clusterer.score(clusterer.features(Document(id="x", text=REPORT.text, title=REPORT.title, date=day)),
                               story)

    assert score("2021-05-03") == pytest.approx(score("2021-05-02"))  # one day apart: free
    assert score("2021-05-05") == pytest.approx(score("2021-05-02") - 2 * config.gap_weight)
    assert score("2021-04-29") == pytest.approx(score("2021-05-02") - 2 * config.gap_weight)  # before it, too
