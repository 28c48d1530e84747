"""The JSON API: every endpoint, and every kind of bad input answered with a 4xx and a clear message."""
from __future__ import annotations

import json

import pytest

from tabayyun.records import VERDICTS
from tabayyun.service.security import MAX_BODY_BYTES

from tests.service.conftest import TOKEN, XSS_TITLE

AUTH = {"Authorization": f"Bearer {TOKEN}"}
SUPPORTED_CLAIM = "أسرت قوات سوريا الديمقراطية 157 مقاتلا معظمهم أجانب"


def test_healthz_counts_the_base(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json()["status"] == "ok" and r.json()["documents"] == 5 and r.json()["sentences"] > 10


def test_check_returns_claims_with_spans_and_is_saved(client, post):
    r = client.post("/api/check", json={"text": post})
    assert r.status_code == 200
    check = r.json()
    assert check["text"] == post and check["claims"]
    for claim in check["claims"]:
        start, end = claim["span"]
        assert post[start:end] == claim["claim"]
        assert claim["verdict"] in VERDICTS and 0 <= claim["confidence"] <= 1
        assert isinstance(claim["evidence"], list) and isinstance(claim["reasons"], list)
        assert claim["topics"][0]["id"] == "conflict"
    assert client.get(f"/api/checks/{check['id']}").json() == check
    listed = client.get("/api/checks").json()["checks"]
    assert listed[0]["id"] == check["id"] and listed[0]["claims"] == len(check["claims"])


def test_verify_one_claim(client):
    r = client.post("/api/verify", json={"claim": SUPPORTED_CLAIM})
    assert r.status_code == 200
    verdict = r.json()
    assert verdict["claim"] == SUPPORTED_CLAIM and verdict["verdict"] == "supported"
    assert "157" in verdict["evidence"][0]["sentence"]


def test_search_returns_sentences_with_documents(client):
    r = client.get("/api/search", params={"q": "أسعار النفط", "limit": 2})
    assert r.status_code == 200
    results = r.json()["results"]
    assert 1 <= len(results) <= 2
    assert results[0]["doc_id"] == "n2" and "النفط" in results[0]["sentence"]


@pytest.mark.parametrize("q", ['"', "(", "AND", "title:x", "*", "النفط OR", "\\", "ـــ", "؟؟"])
def test_search_query_syntax_is_never_an_error(client, q):
    assert client.get("/api/search", params={"q": q}).status_code == 200


def test_document_with_its_sentences(client):
    r = client.get("/api/documents/n1")
    assert r.status_code == 200
    doc = r.json()
    assert doc["title"] == "سقوط جيب الباغوز" and doc["sentences"]
    assert all(doc["text"][s["start"]:s["end"]] == s["text"] for s in doc["sentences"])
    assert client.get("/api/documents/reuters%2Fbaghouz%201").json()["source"] == "Reuters"


def test_documents_and_checks_carry_their_topics(client):
    assert [t["id"] for t in client.get("/api/documents/n3").json()["topics"]][0] == "sport"
    topics = client.get("/api/documents/n1").json()["topics"]
    assert topics[0]["id"] == "conflict" and set(topics[0]) == {"id", "ar", "en", "score"}


def test_documents_need_the_token(client):
    record = [{"text": "أعلنت الجامعة افتتاح كلية جديدة للطب في المدينة هذا العام."}]
    before = client.get("/healthz").json()["documents"]
    assert client.post("/api/documents", json=record).status_code == 401
    assert client.post("/api/documents", json=record, headers={"Authorization": "Bearer nope"}).status_code == 403
    assert client.post("/api/documents", json=record, headers={"X-Tabayyun-Token": "nope"}).status_code == 403
    assert client.get("/healthz").json()["documents"] == before


def test_add_documents_then_find_them(client):
    records = [{"id": "uni-1", "text": "افتتحت الجامعة الوطنية كلية جديدة للهندسة الزراعية في الشمال.",
                "title": "كلية جديدة", "source": "نشرة الاختبار", "date": "2021-09-01"}]
    r = client.post("/api/documents", json=records, headers=AUTH)
    assert r.status_code == 200 and r.json()["documents_added"] == 1
    assert client.post("/api/documents", json=records, headers=AUTH).json()["documents_skipped"] == 1
    hits = client.get("/api/search", params={"q": "الهندسة الزراعية"}).json()["results"]
    assert hits[0]["doc_id"] == "uni-1"


@pytest.mark.parametrize("body, message", [
    ([{"text": "نص صالح عن موضوع ما في مكان ما."}, {"title": "بلا نص"}], "record 2: missing or empty 'text'"),
    ([{"text": "نص صالح عن موضوع آخر في مكان آخر.", "date": "أمس"}], "invalid date"),
    ([{"text": "نص صالح عن موضوع ثالث.", "title": ["list"]}], "field 'title' must be a string"),
    ([], "no documents given"),
    ({"text": "not a list"}, "body: Input should be a valid list"),
    (["just a string"], "body.0: Input should be a valid dictionary"),
])
def test_bad_records_are_refused_whole(client, body, message):
    before = client.get("/healthz").json()
    r = client.post("/api/documents", json=body, headers=AUTH)
    assert r.status_code == 422 and message in r.json()["error"]
    assert client.get("/healthz").json() == before


@pytest.mark.parametrize("path, body, message", [
    ("/api/check", b'{"text": ', "malformed JSON"),
    ("/api/check", b"{'text': 'single quotes'}", "malformed JSON"),
    ("/api/verify", b"\xff\xfe not utf-8", "malformed JSON"),
    ("/api/verify", b"", "body: Field required"),
    ("/api/check", b'"just a string"', "body: Input should be a valid dictionary"),
    ("/api/check", b'{"text": 5}', "body.text: Input should be a valid string"),
    ("/api/check", b'{"text": ""}', "body.text: String should have at least 1 character"),
    ("/api/check", b'{"text": "   "}', "empty text"),
    ("/api/check", b'{"text": "hello", "extra": 1}', "body.extra: Extra inputs are not permitted"),
    ("/api/verify", b'{"claim": "only English here"}', "no Arabic text"),
    ("/api/verify", b'{"text": "wrong field"}', "body.claim: Field required"),
    ("/api/verify", json.dumps({"claim": "ا" * 2001}).encode(), "at most 2000 characters"),
])
def test_bad_bodies_get_422_with_a_clear_message(client, path, body, message):
    r = client.post(path, content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 422
    assert message in r.json()["error"]


def test_oversized_bodies_get_413(client):
    big = json.dumps({"text": "ا" * MAX_BODY_BYTES}).encode()
    r = client.post("/api/check", content=big, headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and "limit 1048576 bytes" in r.json()["error"]

    def chunks():  # no Content-Length: the limit is enforced while the body streams in
        for _ in range(40):
            yield b"a" * 65536

    r = client.post("/api/verify", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413


def test_bad_content_length_is_refused(client):
    r = client.post("/api/verify", content=b"{}", headers={"Content-Type": "application/json", "Content-Length": "-5"})
    assert r.status_code == 400


@pytest.mark.parametrize("path", ["/api/checks/0", "/api/checks/-1", "/api/checks/abc", f"/api/checks/{2**70}",
                                  "/api/checks/1.5", "/api/checks/0/claimreview", "/api/documents/%01bad",
                                  "/api/documents/" + "x" * 300, "/api/search", "/api/search?q=",
                                  "/api/search?q=" + "ا" * 501, "/api/search?q=x&limit=0",
                                  "/api/search?q=x&limit=1000", "/api/search?q=x&limit=ten",
                                  "/api/checks?limit=0", "/api/checks?offset=-1", "/api/documents?source="])
def test_bad_ids_and_parameters_get_422(client, path):
    r = client.request("POST" if path.startswith("/api/documents?") else "GET", path,
                       headers=AUTH, json=[{"text": "نص"}] if "source=" in path else None)
    assert r.status_code == 422, r.text
    assert r.json()["error"]


@pytest.mark.parametrize("path", ["/api/checks/999999", "/api/checks/999999/claimreview",
                                  "/api/documents/no-such-doc", "/api/nothing-here"])
def test_unknown_things_get_404(client, path):
    r = client.get(path)
    assert r.status_code == 404 and r.json()["error"]


def test_wrong_method_gets_405(client):
    assert client.get("/api/check").status_code == 405
    assert client.patch("/api/documents/n1").status_code == 405


def test_claimreview_of_a_check(client):
    check = client.post("/api/check", json={"text": f"يقول منشور إن {SUPPORTED_CLAIM} في الباغوز."}).json()
    r = client.get(f"/api/checks/{check['id']}/claimreview")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/ld+json")
    doc = r.json()
    assert doc["@context"] == "https://schema.org" and len(doc["@graph"]) == len(check["claims"])
    review = doc["@graph"][0]
    assert review["@type"] == "ClaimReview" and review["itemReviewed"]["@type"] == "Claim"
    assert review["claimReviewed"] == check["claims"][0]["claim"]
    assert review["url"].endswith(f"/checks/{check['id']}#claim-1")
    if check["claims"][0]["verdict"] == "supported":
        assert review["reviewRating"]["ratingValue"] == 5
        assert "157" in review["citation"][0]["text"] and review["citation"][0]["publisher"]["name"]


def test_xss_fields_come_back_as_data(client):
    doc = client.get("/api/documents/xss-1").json()
    assert doc["title"] == XSS_TITLE  # JSON keeps the text; pages escape it (see test_pages)
    assert client.get("/api/documents/xss-1").headers["content-type"] == "application/json"


def test_responses_carry_security_headers(client):
    headers = client.get("/healthz").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


def test_openapi_schema_lists_every_endpoint(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/check", "/api/verify", "/api/search", "/api/documents", "/api/documents/{doc_id}",
                 "/api/checks", "/api/checks/{check_id}", "/api/checks/{check_id}/claimreview", "/healthz"):
        assert path in paths


def test_reads_need_the_token_off_loopback(base):
    from fastapi.testclient import TestClient

    from tabayyun.service import create_app

    with TestClient(create_app(base, TOKEN, open_reads=False)) as c:
        assert c.get("/healthz").status_code == 200
        assert c.get("/api/search", params={"q": "النفط"}).status_code == 401
        assert c.get("/api/search", params={"q": "النفط"}, headers=AUTH).status_code == 200
        page = c.get("/")
        assert page.status_code == 401 and 'href="/login"' in page.text
        assert c.post("/login", data={"token": "wrong"}).status_code == 403
        assert c.post("/login", data={"token": TOKEN}, follow_redirects=False).status_code == 303
        assert c.get("/").status_code == 200  # the cookie now lets reads through
        assert c.post("/api/documents", json=[{"text": "نص جديد تماما عن أمر ما."}]).status_code == 401


def test_a_person_signs_a_verdict_and_exports_carry_it(base):
    from fastapi.testclient import TestClient

    from tabayyun.service import create_app

    with TestClient(create_app(base, TOKEN, public_url="https://desk.example.org/")) as c:
        check = c.post("/api/check", json={"text": f"يقول منشور إن {SUPPORTED_CLAIM} في الباغوز."}).json()
        body = {"claim": 1, "verdict": "supported", "reviewer": "سارة", "note": "كما قالت قسد", "cite": ["n1"]}
        assert c.post(f"/api/checks/{check['id']}/reviews", json=body).status_code == 401
        r = c.post(f"/api/checks/{check['id']}/reviews", json=body, headers=AUTH)
        assert r.status_code == 201 and r.json()["rating"] == "true" and r.json()["created"]
        for bad in ({**body, "verdict": "maybe"}, {**body, "claim": 99}, {**body, "cite": ["no-such-doc"]},
                    {**body, "reviewer": ""}, {**body, "extra": 1}):
            bad_r = c.post(f"/api/checks/{check['id']}/reviews", json=bad, headers=AUTH)
            assert bad_r.status_code in (404, 422) and "error" in bad_r.json()
        assert c.post("/api/checks/999999/reviews", json=body, headers=AUTH).status_code == 404
        assert c.get("/api/checks/999999/reviewed").status_code == 404
        claim = c.get(f"/api/checks/{check['id']}/reviewed").json()["claims"][0]
        assert (claim["verdict"], claim["machine_verdict"], len(claim["history"])) == (
            "supported", check["claims"][0]["verdict"], 1)
        review = c.get(f"/api/checks/{check['id']}/claimreview").json()["@graph"][0]
        assert review["url"] == f"https://desk.example.org/checks/{check['id']}#claim-1"
        assert review["reviewRating"]["ratingExplanation"] == "كما قالت قسد"
        csv_r = c.get("/api/export", params={"format": "csv", "check": check["id"]})
        assert csv_r.status_code == 200 and csv_r.content.startswith("\ufeff".encode())
        assert "attachment" in csv_r.headers["content-disposition"] and "سارة" in csv_r.text
        assert c.get("/api/export", params={"format": "xml"}).status_code == 422
        listed = c.get("/api/checks").json()["checks"][0]
        assert listed["reviewed"] == 1 and listed["verdicts"] == [x["verdict"] for x in check["claims"]]


def test_search_filters_by_source_and_dates(client):
    q = {"q": "أسعار النفط المنتخب الباغوز", "limit": 20}
    every = {r["doc_id"] for r in client.get("/api/search", params=q).json()["results"]}
    assert {"n1", "n2", "n3"} <= every
    paper = client.get("/api/search", params={**q, "source": "صحيفة المثال"}).json()["results"]
    assert {r["doc_id"] for r in paper} == {"n2", "n3"}
    april = client.get("/api/search", params={**q, "since": "2019-04-01", "until": "2019-04-30"}).json()["results"]
    assert {r["doc_id"] for r in april} == {"n2"}
    blank = client.get("/api/search", params={**q, "source": "", "since": "", "until": ""}).json()["results"]
    assert {r["doc_id"] for r in blank} == every  # empty form fields are no filter
    assert client.get("/api/search", params={**q, "since": "April"}).status_code == 422


def test_stories_list_and_one_story(client):
    listed = client.get("/api/stories").json()["stories"]
    assert listed and all(s["n_documents"] >= 1 and "documents" not in s for s in listed)
    baghouz = next(s for s in listed if s["title"] == "الباغوز")
    r = client.get(f"/api/stories/{baghouz['id']}")
    assert r.status_code == 200
    story = r.json()
    assert [d["id"] for d in story["documents"]] == ["reuters/baghouz 1"]
    assert story["documents"][0]["source"] == "Reuters" and "text" not in story["documents"][0]
    assert client.get("/api/stories", params={"source": "Reuters"}).json()["stories"][0]["id"] == baghouz["id"]
    assert client.get("/api/stories", params={"since": "2030-01-01"}).json()["stories"] == []


def test_a_saved_check_places_its_claims_in_their_story(client, post):
    check = client.post("/api/check", json={"text": post}).json()
    named = {c["story"]["id"] for c in check["claims"] if c["story"]}
    assert len(named) == 1
    story = client.get(f"/api/stories/{named.pop()}").json()
    mine = [c for c in story["claims"] if c["check_id"] == check["id"]]
    assert [c["claim"] for c in mine] == [c["claim"] for c in check["claims"]]
    assert sum(story["verdicts"].values()) == len(story["claims"])


@pytest.mark.parametrize("path, status", [
    ("/api/stories/s-000000000000", 404), ("/api/stories/bad%20id", 422), ("/api/stories?since=yesterday", 422),
    ("/api/stories?limit=0", 422), ("/api/stories?topic=nonsense", 422),
    ("/api/stories?since=2019-02-30", 422), ("/api/stories?until=2019-13-01", 422)])
def test_bad_story_requests_are_refused_with_a_message(client, path, status):
    r = client.get(path)
    assert r.status_code == status and r.json()["error"]


def test_correct_and_remove_a_document_and_checks_keep_the_citation(tmp_path):
    from fastapi.testclient import TestClient

    from tabayyun.service import create_app
    from tests.service.conftest import build_base

    tb = build_base(tmp_path / "base")
    with TestClient(create_app(tb, TOKEN)) as c:
        claim = "ارتفعت أسعار النفط إلى 90 دولارا للبرميل"
        check = c.post("/api/check", json={"text": claim}).json()
        assert check["claims"][0]["verdict"] == "refuted"
        assert c.delete("/api/documents/n2").status_code == 401
        assert c.put("/api/documents/n2", json={"date": "2019-04-05"}).status_code == 401
        r = c.put("/api/documents/n2", json={"text": "ارتفعت أسعار النفط اليوم إلى 90 دولارا للبرميل."}, headers=AUTH)
        assert r.status_code == 200 and r.json() == {"corrected": "n2"}
        assert c.post("/api/verify", json={"claim": claim}).json()["verdict"] == "supported"
        assert c.put("/api/documents/n2", json={"date": "yesterday"}, headers=AUTH).status_code == 422
        assert c.put("/api/documents/n2", json={"bogus": 1}, headers=AUTH).status_code == 422
        assert c.delete("/api/documents/n2", headers=AUTH).json() == {"removed": "n2"}
        assert c.delete("/api/documents/n2", headers=AUTH).status_code == 404
        assert c.get("/api/documents/n2").status_code == 404
        evidence = c.get(f"/api/checks/{check['id']}/reviewed").json()["claims"][0]["evidence"]
        cited = [e for e in evidence if e["doc_id"] == "n2"]
        assert cited and all(e["removed"] for e in cited)  # the old check keeps its citation, marked removed
        page = c.get(f"/checks/{check['id']}").text
        assert "حُذف من القاعدة" in page
    tb.close()


def test_a_correction_that_changes_nothing_leaves_the_document_and_its_citations_alone(tmp_path):
    from fastapi.testclient import TestClient

    from tabayyun.service import create_app
    from tests.service.conftest import build_base

    tb = build_base(tmp_path / "base")
    with TestClient(create_app(tb, TOKEN)) as c:
        check = c.post("/api/check", json={"text": "ارتفعت أسعار النفط إلى 90 دولارا للبرميل"}).json()
        before = c.get("/api/documents/n2").json()
        for fields in ({}, {"source": before["source"]}):
            r = c.put("/api/documents/n2", json=fields, headers=AUTH)
            assert r.status_code == 200 and r.json() == {"corrected": "n2"}
        assert c.get("/api/documents/n2").json() == before  # the same sentences, under the same ids
        evidence = c.get(f"/api/checks/{check['id']}/reviewed").json()["claims"][0]["evidence"]
        assert not any(e["removed"] for e in evidence if e["doc_id"] == "n2")
    tb.close()


def test_claimreview_never_points_readers_at_a_loopback_address(base):
    from fastapi.testclient import TestClient

    from tabayyun.service import create_app

    with TestClient(create_app(base, TOKEN), base_url="http://127.0.0.1:8000") as c:
        check = c.post("/api/check", json={"text": f"يقول منشور إن {SUPPORTED_CLAIM} في الباغوز."}).json()
        r = c.get(f"/api/checks/{check['id']}/claimreview")
        assert r.status_code == 409 and "public-url" in r.json()["error"]
    with TestClient(create_app(base, TOKEN, public_url="https://desk.example.org"),
                    base_url="http://127.0.0.1:8000") as c:
        review = c.get(f"/api/checks/{check['id']}/claimreview").json()["@graph"][0]
        assert review["url"].startswith("https://desk.example.org/checks/")


def test_search_filters_by_topic(client):
    q = {"q": "أسعار النفط المنتخب الباغوز", "limit": 20}
    sport = client.get("/api/search", params={**q, "topic": "sport"}).json()["results"]
    assert sport and {r["doc_id"] for r in sport} <= {"n3"}
    economy = {r["doc_id"] for r in client.get("/api/search", params={**q, "topic": "economy"}).json()["results"]}
    assert "n2" in economy and "n3" not in economy
    assert client.get("/api/search", params={**q, "topic": "gossip"}).status_code == 422
    page = client.get("/search", params={**q, "topic": "sport"}).text
    assert "/documents/n3" in page and "/documents/n2" not in page and 'value="sport" selected' in page
