"""The whole chain on PostgreSQL: ingest and verify through the CLI give what they give on SQLite."""
from __future__ import annotations

import json

from tabayyun.cli import main
from tabayyun.pipeline import Tabayyun

CLAIMS = ["أسرت قوات سوريا الديمقراطية 157 مقاتلا قرب الباغوز",
          "أسرت قوات سوريا الديمقراطية 300 مقاتل قرب الباغوز",
          "ارتفعت أسعار النفط إلى 70 دولارا للبرميل",
          "فاز المنتخب الوطني بخمسة أهداف"]


def _verdicts(capsys, *db: str) -> list[dict]:
    with open("claims.txt", "w", encoding="utf-8") as out:
        out.write("\n".join(CLAIMS))
    capsys.readouterr()
    assert main(["verify", "--file", "claims.txt", "--json", *db]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_ingest_and_verify_on_postgres_match_sqlite(news_file, pg_database, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TABAYYUN_INDEX_DIR", str(tmp_path / "pg-index"))
    assert main(["ingest", str(news_file), "--db", str(tmp_path / "lite")]) == 0
    expected = _verdicts(capsys, "--db", str(tmp_path / "lite"))
    monkeypatch.setenv("TABAYYUN_DB", pg_database)  # the default base when --db is left out
    assert main(["ingest", str(news_file)]) == 0
    assert main(["ingest", str(news_file)]) == 0  # again: nothing new
    got = _verdicts(capsys)
    assert [v["verdict"] for v in got] == [v["verdict"] for v in expected]
    assert got == expected
    assert {v["verdict"] for v in got} >= {"supported", "refuted"}
    tb = Tabayyun(pg_database)
    assert tb.store.counts() == {"documents": 3, "sentences": 6}
    tb.close()


def test_a_second_index_folder_catches_up_from_the_store(news_file, pg_database, tmp_path):
    """Each machine keeps its own copy of the index; a new one reads the whole store, not from another's mark."""
    first = Tabayyun(pg_database, create=True, index_dir=tmp_path / "one")
    first.ingest([news_file])
    hits = [e.sentence.id for e in first.search("الباغوز")]
    first.close()
    second = Tabayyun(pg_database, index_dir=tmp_path / "two")
    assert [e.sentence.id for e in second.search("الباغوز")] == hits and hits
    second.close()


def test_the_desk_api_on_postgres(pg_database, tmp_path, monkeypatch):
    """The HTTP API over a PostgreSQL base: counts, a saved check, documents added then found, a review."""
    from fastapi.testclient import TestClient

    from tabayyun.service import create_app
    from tests.service.conftest import build_base, seed_parts

    monkeypatch.setenv("TABAYYUN_INDEX_DIR", str(tmp_path / "desk-index"))
    tb = build_base(pg_database)
    with TestClient(create_app(tb, "token-for-the-pg-test")) as client:
        auth = {"Authorization": "Bearer token-for-the-pg-test"}
        assert client.get("/healthz").json()["documents"] == 5
        check = client.post("/api/check", json={"text": seed_parts()[1]}).json()
        assert check["claims"] and client.get(f"/api/checks/{check['id']}").json() == check
        assert client.get("/api/checks").json()["checks"][0]["id"] == check["id"]
        records = [{"id": "uni-1", "text": "افتتحت الجامعة الوطنية كلية جديدة للهندسة الزراعية في الشمال.",
                    "title": "كلية جديدة", "source": "نشرة الاختبار", "date": "2021-09-01"}]
        assert client.post("/api/documents", json=records, headers=auth).json()["documents_added"] == 1
        assert client.get("/api/search", params={"q": "الهندسة الزراعية"}).json()["results"][0]["doc_id"] == "uni-1"
    tb.close()


def test_what_a_check_keeps_is_read_back_on_postgres(news_file, pg_database, tmp_path, monkeypatch):
    """A check in a new process on PostgreSQL reads its claims' query terms, candidates' ranks and story reads back."""
    from tabayyun import pipeline
    from tabayyun.index import lexical
    from tabayyun.organise.stories import StoryClusterer

    post = "أسرت قوات سوريا الديمقراطية 157 مقاتلا قرب الباغوز. وارتفعت أسعار النفط إلى 70 دولارا للبرميل"
    first = Tabayyun(pg_database, create=True, index_dir=tmp_path / "index")
    first.ingest([news_file])
    lexical.QUERY_TERMS.clear()
    want = [v.to_dict() for v in first.check(post, all_claims=True)]
    first.close()
    lexical.QUERY_TERMS.clear()
    computed: list[str] = []
    for owner, name in ((pipeline, "candidate_ranks"), (lexical, "_query_terms"), (StoryClusterer, "_text_lead")):
        inner = getattr(owner, name)
        monkeypatch.setattr(owner, name, lambda *a, _inner=inner, _name=name: computed.append(_name) or _inner(*a))
    again = Tabayyun(pg_database, index_dir=tmp_path / "index")
    assert [v.to_dict() for v in again.check(post, all_claims=True)] == want and len(want) == 2
    assert computed == []
    again.close()
