"""The desk under abuse: a failed call writes nothing, work is bounded, reads answer during a long job,
and the security items (Host check, Origin: null, token-gated reads, Secure cookie, inert exports)."""
from __future__ import annotations

import json
import threading
import time

import pytest

from tabayyun.report.claimreview import claimreview, claimreview_json
from tabayyun.report.html import render_check_html
from tabayyun.service.security import LOOPBACK_HOSTS, weak_token

from tests.service.conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
JSON = {**AUTH, "Content-Type": "application/json"}


def _docs(n: int) -> list[dict]:
    return [{"id": f"bulk-{i}", "text": f"أعلنت البلدية رقم {i} افتتاح حديقة عامة جديدة في الحي الشرقي."}
            for i in range(n)]


def _app(base, base_url: str = "http://testserver", **options):
    from fastapi.testclient import TestClient

    from tabayyun.service import create_app

    return TestClient(create_app(base, TOKEN, **options), base_url=base_url)


@pytest.mark.parametrize("last, message", [
    ({"id": "bad", "text": "\ud800 نص فيه بديل منفرد عن موضوع ما"}, "record 1001: field 'text': not valid Unicode"),
    ({"id": "bad", "text": "نص فيه بايت صفري \x00 عن موضوع ما"}, "record 1001: field 'text': contains a NUL"),
    ({"id": "bulk-0", "text": "نص آخر تحت معرف السجل الأول في الطلب نفسه."}, "'bulk-0' already stands for another"),
    ({"id": "n1", "text": "نص آخر تحت معرف مستند محفوظ من قبل."}, "'n1' already stands for another text"),
])
def test_a_failed_add_writes_nothing(client, last, message):
    before = client.get("/healthz").json()
    body = json.dumps(_docs(1000) + [last], ensure_ascii=False).encode("utf-8", "surrogatepass")
    r = client.post("/api/documents", content=body, headers=JSON)
    assert r.status_code == 422 and message in r.json()["error"]
    assert client.get("/healthz").json() == before
    assert client.get("/api/documents/bulk-0").status_code == 404


@pytest.mark.parametrize("body", [b"[" * 100_000, b'[{"text": "\xd9\x86\xd8\xb5", "id": ' + b"9" * 5000 + b"}]",
                                  b'[{"text": ' + b"[" * 100_000 + b"}]"])
def test_hostile_json_is_a_422_saying_so(client, body):
    r = client.post("/api/documents", content=body, headers=JSON)
    assert r.status_code == 422 and r.json()["error"].startswith("malformed JSON: ")


def test_an_upload_with_a_huge_integer_id_is_a_4xx(client):
    upload = b'{"text": "\xd9\x86\xd8\xb5 \xd8\xac\xd8\xaf\xd9\x8a\xd8\xaf", "id": ' + b"9" * 5000 + b"}\n"
    r = client.post("/add", data={"token": TOKEN}, files={"file": ("feed.jsonl", upload)})
    assert r.status_code == 422 and "feed.jsonl:1" in r.text and "internal error" not in r.text


def test_a_check_of_too_many_claims_is_refused_quickly(client):
    text = "".join(f"{i}- ارتفع المؤشر العام {i} نقطة في السوق اليوم\n" for i in range(1, 80))
    t0 = time.monotonic()
    r = client.post("/api/check", json={"text": text})
    assert r.status_code == 422 and "over the limit of 50 per check" in r.json()["error"]
    assert time.monotonic() - t0 < 10


def test_healthz_answers_while_a_long_job_holds_the_pipeline(client):
    lock = client.app.state.desk.lock
    held = threading.Event()

    def long_job() -> None:
        with lock:
            held.set()
            time.sleep(3)

    job = threading.Thread(target=long_job)
    job.start()
    held.wait()
    t0 = time.monotonic()
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json()["documents"] >= 5 and time.monotonic() - t0 < 2
    job.join()


def test_dns_rebinding_is_refused_on_a_loopback_desk(base):
    with _app(base, hosts=LOOPBACK_HOSTS, base_url="http://127.0.0.1:8000") as c:
        assert c.get("/api/checks").status_code == 200
        for host in ("localhost:8000", "[::1]:8000", "127.0.0.1"):
            assert c.get("/healthz", headers={"Host": host}).status_code == 200
        for host in ("rebind.example:8000", "127.0.0.1.evil.example", ""):
            r = c.get("/api/checks", headers={"Host": host})
            assert r.status_code == 421 and "Host" in r.json()["error"]
        r = c.post("/api/check", json={"text": "ارتفعت أسعار النفط"}, headers={"Host": "rebind.example:8000"})
        assert r.status_code == 421


def test_origin_null_is_refused(client):
    r = client.post("/api/verify", json={"claim": "ارتفعت أسعار النفط"}, headers={"Origin": "null"})
    assert r.status_code == 403
    same = client.post("/api/verify", json={"claim": "ارتفعت أسعار النفط"}, headers={"Origin": "http://testserver"})
    assert same.status_code == 200


def test_off_loopback_reads_need_the_token_as_documented(base):
    with _app(base, open_reads=False) as c:
        assert c.get("/healthz").json() == {"status": "ok"}  # liveness only: no counts without the token
        assert c.get("/healthz", headers=AUTH).json()["documents"] >= 5
        assert c.get("/openapi.json").status_code == 401
        assert "/api/check" in c.get("/openapi.json", headers=AUTH).json()["paths"]
        assert c.get("/login").status_code == 200  # the way in stays open
        assert c.get("/lang/en", follow_redirects=False).status_code == 303


def _login_cookie(client) -> str:
    r = client.post("/login", data={"token": TOKEN}, follow_redirects=False)
    assert r.status_code == 303
    return r.headers["set-cookie"]


def test_the_login_cookie_is_secure_over_https_and_behind_a_trusted_proxy(base):
    from fastapi.testclient import TestClient
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    from tabayyun.service import create_app

    with _app(base, open_reads=False) as c:
        assert "secure" not in _login_cookie(c).lower()
    with _app(base, open_reads=False, base_url="https://testserver") as c:
        assert "secure" in _login_cookie(c).lower()
    proxied = ProxyHeadersMiddleware(create_app(base, TOKEN, open_reads=False), trusted_hosts="*")
    with TestClient(proxied, headers={"X-Forwarded-Proto": "https"}) as c:
        assert "secure" in _login_cookie(c).lower()


def test_serve_warns_on_a_weak_token_and_checks_the_host(base, monkeypatch, capsys):
    import uvicorn
    from fastapi.testclient import TestClient

    from tabayyun.service import serve

    served = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: served.update(app=app, **kw))
    serve(str(base.db), token="a")
    assert "warning: the token is weak" in capsys.readouterr().err
    with TestClient(served["app"], base_url="http://127.0.0.1:8000") as c:
        assert c.get("/healthz").status_code == 200
        assert c.get("/healthz", headers={"Host": "rebind.example"}).status_code == 421
    serve(str(base.db), token="Zq8-vN3_kP1xWm7rT5yL")
    assert "warning" not in capsys.readouterr().err
    assert weak_token("aaaaaaaaaaaaaaaaaaaaaaaa") and not weak_token("Zq8-vN3_kP1xWm7rT5yL")


def test_claimreview_is_safe_to_embed_in_a_script_element(client):
    hostile = {"id": 1, "created": "2024-01-01T00:00:00", "text": "x", "claims": [
        {"claim": "ادعاء </script><script>alert(1)</script> <!-- &amp;", "verdict": "refuted", "reasons": [],
         "evidence": [{"stance": "disagree", "title": "</SCRIPT>", "sentence": "\u2028", "doc_id": "d"}]}]}
    text = claimreview_json(hostile, url="https://example.org/checks/1")
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == claimreview(hostile, url="https://example.org/checks/1")
    check = client.post("/api/check", json={"text": "يقول منشور إن أسعار النفط ارتفعت إلى 90 دولارا <b>للبرميل</b>"}).json()
    body = client.get(f"/api/checks/{check['id']}/claimreview").text
    assert "<" not in body and json.loads(body)["@graph"]


def test_bidi_overrides_in_titles_are_neutralised_in_pages(client):
    record = {"id": "bidi-1", "title": "\u202eفاتورة\u202c gpj.exe", "source": "\u202dمصدر",
              "text": "أعلنت الوزارة \u202eافتتاح\u202c مستشفى جديد في العاصمة بسعة مئتي سرير."}
    assert client.post("/api/documents", json=[record], headers=AUTH).status_code == 200
    page = client.get("/documents/bidi-1").text
    assert "فاتورة gpj.exe" in page and not any(ch in page for ch in "\u202a\u202b\u202c\u202d\u202e")
    search = client.get("/search", params={"q": "مستشفى جديد في العاصمة"}).text
    assert "مستشفى" in search and "\u202e" not in search
    report = render_check_html({"id": 1, "created": "2024-01-01", "text": "\u202eنص", "claims": [
        {"claim": "\u202eنص", "span": [0, 4], "verdict": "refuted", "reasons": [],
         "evidence": [{"stance": "agree", "title": "\u202egpj.exe", "sentence": "x", "doc_id": "d"}]}]})
    assert "\u202e" not in report and "gpj.exe" in report


def test_a_long_check_lets_other_requests_in_between_its_claims(client, base, monkeypatch):
    verify = base.verify

    def slow_verify(claim, date=None, before=None, topics=None):
        time.sleep(0.5)
        return verify(claim, date, before, topics)

    monkeypatch.setattr(base, "verify", slow_verify)
    text = "".join(f"{i}- ارتفعت أسعار النفط إلى {60 + i} دولارا للبرميل اليوم\n" for i in range(1, 9))
    answer: dict = {}
    job = threading.Thread(target=lambda: answer.update(r=client.post("/api/check", json={"text": text})))
    t0 = time.monotonic()
    job.start()
    time.sleep(0.3)
    r = client.get("/api/search", params={"q": "أسعار النفط"})
    waited = time.monotonic() - t0
    job.join()
    total = time.monotonic() - t0
    assert r.status_code == 200 and answer["r"].status_code == 200 and len(answer["r"].json()["claims"]) == 8
    assert total >= 4 and waited < total / 2  # answered while the check still had claims to go
