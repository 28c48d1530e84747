"""``ingest --dask``: a LocalCluster of 2 workers makes the base the in-process ingest makes, row for row."""
from __future__ import annotations

import gzip
import hashlib
import json
import sqlite3
import sys
from itertools import islice
from pathlib import Path

import pytest

from tabayyun.cli import main
from tabayyun.index.lexical import LexicalIndex
from tabayyun.organise import StoryClusterer
from tabayyun.pipeline import Tabayyun
from tabayyun.records import Document

from tests.conftest import SHARED, write_jsonl

ANT = SHARED / "data" / "ant_multisource" / "ant_multisource_v2.1.jsonl.gz"


def ant_records(n: int) -> list[dict]:
    """The first ``n`` ANT articles in the ingest shape, then the same texts again: 5 under new ids (kept as
    aliases) and 5 under their own ids (skipped)."""
    with gzip.open(ANT, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in islice(fh, n)]
    records = [{"id": r["docno"], "text": r["text"], "title": r["title"], "source": r["source"]} for r in rows]
    return records + [dict(r, id=f"copy-{i}") for i, r in enumerate(records[:5])] + records[10:15]


def snapshot(db: Path) -> dict[str, str]:
    """A digest of every table (a story's state compared with its keys sorted: its entity counts are kept in
    set order, which varies with the hash seed) and of the BM25 hits of every tenth stored sentence."""
    conn = sqlite3.connect(db / "tabayyun.sqlite")
    out = {}
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    for table in tables:
        rows = conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
        if table == "stories":
            rows = [row[:-1] + (json.dumps(json.loads(row[-1]), sort_keys=True),) for row in rows]
        if table == "meta":  # the index's watermark is kept under the index folder's random id
            rows = [row for row in rows if not row[0].startswith("lexical_indexed_upto:")]
        out[table] = f"{len(rows)} {hashlib.sha256(repr(rows).encode()).hexdigest()}"
    texts = [r[0] for r in conn.execute('SELECT substr(d.text, s.start + 1, s."end" - s.start) FROM sentences s '
                                        "JOIN documents d ON d.id = s.doc_id WHERE s.id % 10 = 0")]
    conn.close()
    index = LexicalIndex(db / "index", readonly=True)
    out["index"] = f"{len(index)} {hashlib.sha256(repr([index.search(t, 10) for t in texts]).encode()).hexdigest()}"
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("ant") / "ant.jsonl", ant_records(150))


@pytest.fixture(scope="module")
def in_process(corpus, tmp_path_factory) -> dict[str, str]:
    db = tmp_path_factory.mktemp("in-process") / "db"
    assert main(["ingest", str(corpus), "--db", str(db), "--batch-size", "40"]) == 0
    return snapshot(db)


def test_dask_local_equals_in_process(corpus, in_process, tmp_path, capsys):
    pytest.importorskip("distributed", reason="the 'scale' extra (dask[distributed]) is not installed")
    db = tmp_path / "db"
    assert main(["ingest", str(corpus), "--db", str(db), "--batch-size", "40", "--dask", "local:2"]) == 0
    assert "added 150 documents, skipped 10 already present" in capsys.readouterr().out
    found = snapshot(db)
    assert found == in_process
    assert int(found["stories"].split()[0]) > 10 and int(found["aliases"].split()[0]) == 5


def test_embed_under_dask_gives_the_same_vectors(tmp_path):
    pytest.importorskip("distributed", reason="the 'scale' extra (dask[distributed]) is not installed")
    corpus = write_jsonl(tmp_path / "few.jsonl", ant_records(12)[:12])
    found = []
    for db, extra in ((tmp_path / "plain", []), (tmp_path / "dask", ["--dask", "local:1"])):
        assert main(["ingest", str(corpus), "--db", str(db), "--batch-size", "5", "--embed", *extra]) == 0
        found.append(snapshot(db))
    assert found[0] == found[1] and int(found[0]["vectors"].split()[0]) > 50


def test_stories_are_those_of_the_clusterer(corpus, tmp_path):
    """Ingest hands the clusterer the lead features it prepared: the stories are those of computing them again."""
    records = ant_records(60)[:60]
    tb = Tabayyun(tmp_path / "db", create=True)
    tb.add_documents([Document(**r) for r in records], batch_size=25)
    placed = tb.store.story_of_documents([r["id"] for r in records])
    tb.close()
    assert placed == StoryClusterer().cluster([Document(**r) for r in records])


def test_bad_input_under_dask_is_refused_before_anything_is_written(corpus, tmp_path, capsys):
    lines = corpus.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines[:70] + ['{"id": "x", "text": '] + lines[70:]) + "\n", encoding="utf-8")
    errors = []
    for db, extra in ((tmp_path / "plain", []), (tmp_path / "dask", ["--dask", "local:2"])):
        assert main(["ingest", str(bad), "--db", str(db), "--batch-size", "40", *extra]) == 1
        errors.append(capsys.readouterr().err)
        assert not db.exists()  # nothing half-written: a failed first ingest leaves no base
    assert errors[0] == errors[1] and errors[0].count("\n") == 1 and "bad.jsonl:71: malformed JSON" in errors[0]


def test_without_dask_one_line_names_the_extra(corpus, tmp_path, monkeypatch, capsys):
    for name in [m for m in sys.modules if m == "dask" or m.startswith(("dask.", "distributed"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "dask", None)  # what an environment without the extra imports
    monkeypatch.setitem(sys.modules, "distributed", None)
    db = tmp_path / "db"
    assert main(["ingest", str(corpus), "--db", str(db), "--dask", "local:2"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'scale' extra" in err and "pip install 'tabayyun[scale]'" in err
    assert not db.exists()


def test_bad_target_is_one_line(corpus, tmp_path, capsys):
    assert main(["ingest", str(corpus), "--db", str(tmp_path / "db"), "--dask", "locale"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--dask must be local, local:N or tcp://HOST:PORT" in err
