"""Topics through the pipeline: stored with each ingested document, carried by every verdict."""
from __future__ import annotations

import pytest

from tabayyun.pipeline import Tabayyun
from tabayyun.records import Document

from tests.conftest import NEWS, seed_parts


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    report, _ = seed_parts()
    tb = Tabayyun(tmp_path_factory.mktemp("topics"), create=True)
    tb.add_documents([Document(id="reuters", text=report, title="الباغوز", source="Reuters", date="2019-03-19"),
                      *(Document(**n) for n in NEWS)])
    yield tb
    tb.close()


def test_ingest_stores_the_topics_of_each_document(base):
    stored = base.store.document_topics(["reuters", "n1", "n2", "n3"])
    assert [stored[d][0].id for d in ("reuters", "n1", "n2", "n3")] == ["conflict", "conflict", "economy", "sport"]
    assert stored["reuters"] == base.topics.predict([base.store.get_document("reuters").text], ["الباغوز"])[0]


def test_check_gives_each_verdict_the_topics_of_the_post(base):
    _, post = seed_parts()
    verdicts = base.check(post, all_claims=True)
    assert verdicts and all(v.topics == verdicts[0].topics for v in verdicts)
    assert verdicts[0].topics[0].id == "conflict"
    out = verdicts[0].to_dict()
    assert out["topics"][0]["id"] == "conflict" and set(out["topics"][0]) == {"id", "ar", "en", "score"}


def test_verify_gives_the_topics_of_the_claim(base):
    verdict = base.verify("ارتفعت أسعار النفط إلى 70 دولارا للبرميل")
    assert verdict.topics[0].id == "economy"
    assert verdict.to_dict()["topics"][0]["id"] == "economy"
