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
