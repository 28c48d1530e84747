"""The web page, server side: languages, the check flow, adding documents, and escaping everywhere."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from tests.service.conftest import TOKEN, XSS_TITLE

XSS_POST = "زعم منشور أن <script>alert(1)</script> الجسر الجديد <img src=x onerror=alert(2)> انهار أمس في المدينة."


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, dict(attrs)))


def assert_inert(html: str) -> None:
    """Parsed as a browser would: no injected element, no event-handler attribute, no script link."""
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag not in ("img", "b", "iframe"), tag
        assert tag != "script" or attrs == {"src": "/static/app.js", "defer": None}
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        assert not str(attrs.get("href", "")).lower().startswith("javascript"), attrs


def test_arabic_first_with_english_available(client):
    ar = client.get("/").text
    assert '<html lang="ar" dir="rtl">' in ar and "الصق منشورا أو مقالا" in ar and '<label for="text">' in ar
    en = client.get("/?lang=en").text
    assert '<html lang="en" dir="ltr">' in en and "Paste a post or article" in en
    r = client.get("/lang/en", params={"next": "/search?q=x"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/search?q=x" and "lang=en" in r.headers["set-cookie"]


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example"])
def test_language_toggle_never_redirects_away(client, target):
    assert client.get("/lang/ar", params={"next": target}, follow_redirects=False).headers["location"] == "/"


def test_pages_load_nothing_from_elsewhere(client):
    for path in ("/", "/search", "/add", "/checks", "/docs"):
        html = client.get(path).text
        assert not re.search(r'(src|href)="(https?:)?//', html), path
    assert client.get("/static/app.js").status_code == 200


def test_check_form_shows_highlighted_claims(client, post):
    r = client.post("/check", data={"text": post}, follow_redirects=False)
    assert r.status_code == 303
    page = client.get(r.headers["location"])
    check_id = int(r.headers["location"].rsplit("/", 1)[1])
    claims = client.get(f"/api/checks/{check_id}").json()["claims"]
    for n, claim in enumerate(claims, 1):
        assert f'<a class="claim v-{claim["verdict"]}" href="#claim-{n}"' in page.text
        assert f'<section class="panel card" id="claim-{n}"' in page.text
    assert f'href="/api/checks/{check_id}/claimreview"' in page.text
    report = client.get(f"/checks/{check_id}/report")
    assert report.status_code == 200 and "script-src" not in report.headers["content-security-policy"]


def test_reasons_are_in_arabic_on_the_arabic_page(client, post):
    check = client.post("/api/check", json={"text": post}).json()
    english = [r for c in check["claims"] for r in c["reasons"]]
    assert any(r.startswith("opposite action") for r in english)
    arabic_page = client.get(f"/checks/{check['id']}?lang=ar").text
    english_page = client.get(f"/checks/{check['id']}?lang=en").text
    assert "فعل معاكس: الادعاء يذكر الإفراج والدليل يذكر الأسر" in arabic_page
    assert "opposite action: claim &#39;release&#39;" in english_page



def test_topics_are_named_in_the_page_language(client, post):
    check_id = client.post("/api/check", json={"text": post}).json()["id"]
    arabic, english = (client.get(f"/checks/{check_id}?lang={lang}").text for lang in ("ar", "en"))
    assert "الموضوعات" in arabic and re.search(r'<span class="topic" title="[01]\.\d\d">نزاعات وحروب وسلام</span>', arabic)
    assert "Topics" in english and ">conflict, war and peace</span>" in english
    assert '>رياضة</span>' in client.get("/documents/n3?lang=ar").text

def test_empty_check_form_is_a_422_page(client):
    r = client.post("/check", data={"text": ""})
    assert r.status_code == 422 and 'role="alert"' in r.text


def test_markup_in_a_post_is_shown_as_text(client):
    check_id = client.post("/api/check", json={"text": XSS_POST, "all": True}).json()["id"]
    for path in (f"/checks/{check_id}", f"/checks/{check_id}/report", "/checks"):
        html = client.get(path).text
        assert_inert(html)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_markup_in_a_document_is_shown_as_text(client):
    for path in ("/documents/xss-1?s=1", "/search?q=الجسر+الجديد", "/search?q=" + XSS_TITLE):
        html = client.get(path).text
        assert_inert(html)
    doc_page = client.get("/documents/xss-1").text
    assert "&lt;img src=x onerror=alert(1)&gt;" in doc_page
    search = client.get("/search", params={"q": "الجسر الجديد"}).text
    assert 'href="/documents/xss-1?s=' in search


def test_document_page_marks_the_matching_sentence(client):
    doc = client.get("/api/documents/reuters%2Fbaghouz%201").json()
    sentence = doc["sentences"][2]
    page = client.get(f"/documents/reuters%2Fbaghouz%201?s={sentence['id']}")
    assert f'<mark id="s-{sentence["id"]}" tabindex="-1">{sentence["text"]}</mark>' in page.text
    assert 'href="https://example.org/reuters/baghouz"' in page.text


@pytest.mark.parametrize("path, status", [("/checks/0", 422), ("/checks/x", 422), ("/checks/99999", 404),
                                          ("/documents/nothing", 404), ("/documents/n1?s=abc", 422),
                                          ("/checks?page=0", 422), ("/search?q=" + "ا" * 600, 422)])
def test_bad_page_addresses_get_an_error_page(client, path, status):
    r = client.get(path)
    assert r.status_code == status and r.headers["content-type"].startswith("text/html")
    assert 'role="alert"' in r.text


def test_add_page_needs_the_token(client):
    data = {"title": "خبر", "text": "أعلن المجلس البلدي عن خطة جديدة لتشجير الشوارع الرئيسية."}
    assert client.post("/add", data=data).status_code == 401
    wrong = client.post("/add", data={**data, "token": "wrong"})
    assert wrong.status_code == 403 and "الرمز غير صحيح" in wrong.text
    assert data["text"] in wrong.text  # what was pasted is kept, to try again
    ok = client.post("/add", data={**data, "token": TOKEN, "source": "نشرة محلية", "date": "2022-04-01"})
    assert ok.status_code == 200 and 'role="status"' in ok.text
    assert client.get("/api/search", params={"q": "تشجير الشوارع"}).json()["results"][0]["source"] == "نشرة محلية"


def test_add_page_takes_a_jsonl_upload(client):
    lines = [{"id": "up-1", "text": "وصلت قافلة مساعدات طبية إلى المستشفى المركزي صباح اليوم.", "source": "رفع"},
             {"id": "up-2", "text": "أعلنت وزارة التربية موعد بدء العام الدراسي الجديد في أيلول."}]
    body = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines).encode()
    r = client.post("/add", data={"token": TOKEN}, files={"file": ("batch.jsonl", body, "application/json")})
    assert r.status_code == 200
    assert client.get("/api/documents/up-2").json()["source"] == "batch"  # the file name names the source


@pytest.mark.parametrize("name, body, message", [
    ("bad.jsonl", b'{"text": "\xd9\x86\xd8\xb5 \xd8\xb3\xd9\x84\xd9\x8a\xd9\x85"}\n{broken\n', "bad.jsonl:2: malformed JSON"),
    ("bad.csv", b"title,body\nx,y\n", "bad.csv: CSV needs a header row with a"),
    ("program.exe", b"MZ\x00\x00", "expected a file ending in"),
    ("zero.jsonl", b"\x00\x01\x02", "binary file"),
])
def test_bad_uploads_are_refused_by_name(client, name, body, message):
    before = client.get("/healthz").json()
    r = client.post("/add", data={"token": TOKEN}, files={"file": (name, body, "application/octet-stream")})
    assert r.status_code == 422 and message in r.text and "/tmp" not in r.text
    assert client.get("/healthz").json() == before


def test_api_docs_page_is_served_locally(client):
    html = client.get("/docs").text
    assert "POST /api/check" in html and "GET /api/checks/{check_id}/claimreview" in html


@pytest.mark.parametrize("headers", [{"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
                                     {"Origin": "https://evil.example"}])
def test_forms_posted_from_another_site_are_refused(client, headers):
    before = len(client.get("/api/checks").json()["checks"])
    r = client.post("/check", data={"text": "أعلنت البلدية افتتاح جسر جديد بطول 300 متر."}, headers=headers,
                    follow_redirects=False)
    assert r.status_code == 403 and "cross-site" in r.text
    assert len(client.get("/api/checks").json()["checks"]) == before


@pytest.mark.parametrize("headers", [{"Sec-Fetch-Site": "same-origin"}, {"Origin": "http://testserver"}, {}])
def test_forms_from_the_desk_itself_and_scripts_pass(client, headers):
    r = client.post("/check", data={"text": "أعلنت البلدية افتتاح جسر جديد بطول 300 متر."}, headers=headers,
                    follow_redirects=False)
    assert r.status_code == 303


def test_search_page_filters_by_source_and_keeps_the_filter_in_the_form(client):
    page = client.get("/search", params={"q": "أسعار النفط الباغوز", "source": "صحيفة المثال", "since": "",
                                         "until": ""})
    assert page.status_code == 200
    assert "/documents/n2" in page.text and "/documents/n1" not in page.text
    assert 'value="صحيفة المثال"' in page.text and "<details open>" in page.text


def test_stories_page_and_a_story_with_its_timeline_and_claims(client, post):
    check = client.post("/api/check", json={"text": post}).json()
    story_id = next(c["story"]["id"] for c in check["claims"] if c["story"])
    listed = client.get("/stories")
    assert listed.status_code == 200 and 'dir="rtl"' in listed.text and f'href="/stories/{story_id}"' in listed.text
    page = client.get(f"/stories/{story_id}")
    assert page.status_code == 200
    assert "Reuters" in page.text and "2019-03-19" in page.text and f'href="/checks/{check["id"]}#claim-1"' in page.text
    assert 'href="/documents/reuters/baghouz%201"' in page.text
    assert client.get(f"/checks/{check['id']}").text.count(f'href="/stories/{story_id}"') == len(check["claims"])
    assert client.get("/stories", params={"source": "Reuters", "lang": "en"}).text.count('href="/stories/') == 1
    assert client.get("/stories/s-000000000000").status_code == 404
    assert client.get("/stories", params={"topic": "nonsense"}).status_code == 422
    assert client.get("/stories", params={"topic": "sport"}).status_code == 200


def test_correct_and_remove_a_document_from_its_page(tmp_path):
    from fastapi.testclient import TestClient

    from tabayyun.service import create_app
    from tests.service.conftest import TOKEN, build_base

    tb = build_base(tmp_path / "base")
    with TestClient(create_app(tb, TOKEN)) as c:
        page = c.get("/documents/n3").text
        assert 'action="/documents/n3/correct"' in page and 'action="/documents/n3/remove"' in page
        assert c.post("/documents/n3/correct", data={"token": "wrong", "title": "x"}).status_code == 403
        r = c.post("/documents/n3/correct", data={"token": TOKEN, "title": "مباراة ودية", "text": ""},
                   follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/documents/n3"
        assert "مباراة ودية" in c.get("/documents/n3").text
        r = c.post("/documents/n3/remove", data={"token": TOKEN})
        assert r.status_code == 200 and "n3" in r.text and c.get("/documents/n3").status_code == 404
    tb.close()


def test_stats_page_per_source_and_month(client):
    page = client.get("/stats")
    assert page.status_code == 200 and "حسب المصدر" in page.text and "حسب الشهر" in page.text
    assert "صحيفة المثال" in page.text and "2019-04" in page.text and 'href="/search?source=' in page.text
