"""The command line under abuse: every failure is one line and writes nothing; two writers queue."""
from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tabayyun.cli import main
from tabayyun.store import SQLiteStore

from tests.conftest import ROOT, wait_for_documents, write_jsonl


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(code: int, err: str) -> None:
    assert code != 0
    assert err.startswith("tabayyun: error:") and err.strip().count("\n") == 0 and "Traceback" not in err
    assert "internal error" not in err


def _records(n: int, prefix: str = "d") -> list[dict]:
    return [{"id": f"{prefix}{i}", "text": f"خبر رقم {i} ({prefix}) عن سوق الأسهم المحلية. وارتفع المؤشر العام {i} نقطة اليوم."}
            for i in range(n)]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def _cli(*argv: str) -> list[str]:
    return [sys.executable, "-m", "tabayyun.cli", *argv]


@pytest.mark.parametrize("bad", [
    '{"id": "bad", "text": "\\ud800 نص فيه بديل منفرد عن موضوع ما"}',  # lone surrogate, valid JSON
    '{"id": "bad", "text": "نص فيه بايت صفري \\u0000 عن موضوع ما"}',
    '{"id": ' + "7" * 5000 + ', "text": "نص بمعرف من خمسة آلاف رقم"}',
    "[" * 100_000,
])
@pytest.mark.parametrize("batch", ["10", "1000"])
def test_one_bad_record_stores_nothing(capsys, tmp_path, bad, batch):
    path = tmp_path / "feed.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in _records(30)] + [bad]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = run(capsys, "ingest", str(path), "--db", str(tmp_path / "db"), "--batch-size", batch)
    one_line_error(code, err)
    assert "feed.jsonl:31" in err
    assert SQLiteStore(tmp_path / "db").counts() == {"documents": 0, "sentences": 0}


def test_the_same_id_with_another_text_is_refused_naming_the_line(capsys, tmp_path):
    first = write_jsonl(tmp_path / "a.jsonl", _records(5))
    code, _, _ = run(capsys, "ingest", str(first), "--db", str(tmp_path / "db"))
    assert code == 0
    changed = _records(8)
    changed[6]["text"] += " وتغير النص."
    changed[7] = {"id": "d2", "text": "نص جديد كليا تحت معرف قديم عن موضوع مختلف."}
    second = write_jsonl(tmp_path / "b.jsonl", changed)
    code, _, err = run(capsys, "ingest", str(second), "--db", str(tmp_path / "db"))
    one_line_error(code, err)
    assert "b.jsonl:8: id 'd2' already stands for another text" in err
    assert SQLiteStore(tmp_path / "db").counts()["documents"] == 5  # d5 and d6 were not written either
    inside = write_jsonl(tmp_path / "c.jsonl", [{"id": "x", "text": "نص أول عن الطقس في الشمال."},
                                                  {"id": "x", "text": "نص ثان عن الطقس في الجنوب."}])
    code, _, err = run(capsys, "ingest", str(inside), "--db", str(tmp_path / "db"))
    one_line_error(code, err)
    assert "c.jsonl:2" in err
    code, out, err = run(capsys, "ingest", str(second), str(inside), "--db", str(tmp_path / "db"), "--skip-invalid")
    assert code == 0 and "added 3 documents" in out and "passed over 2 invalid records" in out


@pytest.mark.parametrize("argv", [
    ("ingest", "{feed}", "--db", "{tmp}/db", "--batch-size", "0"),
    ("ingest", "{feed}", "--db", "{tmp}/db", "--batch-size", "-5"),
    ("ingest", "{feed}", "--db", "{tmp}/db", "--batch-size", "9" * 5000),
    ("search", "النفط", "--db", "{tmp}/db", "--limit", "0"),
    ("search", "النفط", "--db", "{tmp}/db", "--limit", "1000"),
    ("stories", "--db", "{tmp}/db", "--limit", "0"),
    ("stories", "--db", "{tmp}/db", "--limit", "-1"),  # SQL reads LIMIT -1 as no limit at all
    ("review", "9" * 30, "--db", "{tmp}/db", "--verdict", "refuted", "--reviewer", "x"),
    ("export", "--db", "{tmp}/db", "--format", "csv", "--check", "9" * 30),
    ("export", "--db", "{tmp}/db", "--format", "csv", "--check", "0"),
])
def test_bad_numbers_are_usage_errors(capsys, tmp_path, argv):
    feed = write_jsonl(tmp_path / "feed.jsonl", _records(3))
    with pytest.raises(SystemExit) as exit_:
        main([a.format(feed=feed, tmp=tmp_path) for a in argv])
    _, err = capsys.readouterr()
    assert exit_.value.code == 2 and err.count("\n") == 1 and "expected" in err
    assert not (tmp_path / "db").exists()


def test_silent_successes_are_now_errors(capsys, tmp_path):
    (tmp_path / "empty").mkdir()
    code, _, err = run(capsys, "ingest", str(tmp_path / "empty"), "--db", str(tmp_path / "db"))
    one_line_error(code, err)
    feed = write_jsonl(tmp_path / "feed.jsonl", _records(3))
    assert run(capsys, "ingest", str(feed), "--db", str(tmp_path / "db"))[0] == 0
    for query in ("", "   "):
        code, _, err = run(capsys, "search", query, "--db", str(tmp_path / "db"))
        one_line_error(code, err)
        assert "empty query" in err


@pytest.mark.parametrize("command", [("ingest", "{feed}"), ("stats",), ("verify", "ارتفعت أسعار النفط")])
def test_a_db_that_is_a_file_is_one_line_and_left_alone(capsys, tmp_path, command):
    feed = write_jsonl(tmp_path / "feed.jsonl", _records(3))
    (tmp_path / "db").write_text("notes", encoding="utf-8")
    code, _, err = run(capsys, *(a.format(feed=feed) for a in command), "--db", str(tmp_path / "db"))
    one_line_error(code, err)
    assert "is a file" in err and (tmp_path / "db").read_text(encoding="utf-8") == "notes"


def test_a_search_that_finds_nothing_says_so(capsys, tmp_path):
    feed = write_jsonl(tmp_path / "feed.jsonl", _records(3))
    assert run(capsys, "ingest", str(feed), "--db", str(tmp_path / "db"))[0] == 0
    code, out, _ = run(capsys, "search", "سوق الأسهم", "--db", str(tmp_path / "db"), "--source", "لا مصدر بهذا الاسم")
    assert code == 0 and out.startswith("no matching sentences")
    code, out, _ = run(capsys, "search", "سوق الأسهم", "--db", str(tmp_path / "db"), "--source", "x", "--json")
    assert code == 0 and out == ""


def test_search_limit_is_honoured(capsys, tmp_path):
    records = [{"id": f"m{i}", "text": " ".join(f"وتغير مؤشر السوق {i * 20 + j} نقطة في اليوم رقم {j}." for j in range(12))}
               for i in range(70)]  # each document has 12 sentences that match as well as each other
    feed = write_jsonl(tmp_path / "feed.jsonl", records)
    assert run(capsys, "ingest", str(feed), "--db", str(tmp_path / "db"))[0] == 0
    code, out, _ = run(capsys, "search", "مؤشر السوق", "--db", str(tmp_path / "db"), "--limit", "50", "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(rows) == 50 and len({r["doc_id"] for r in rows}) == 50


@pytest.mark.parametrize("content", [
    '{"text": ' + "[" * 100_000 + "\n",
    '{"text": ' + "9" * 5000 + "}\n",
    '{"text": "\\udc80 نص"}\n',
])
def test_worthiness_bad_json_is_one_line(capsys, tmp_path, content):
    path = tmp_path / "in.jsonl"
    path.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "worthiness", str(path))
    one_line_error(code, err)
    assert out == "" and "in.jsonl:1" in err


def test_work_per_call_is_bounded(capsys, tmp_path):
    feed = write_jsonl(tmp_path / "feed.jsonl", _records(3))
    assert run(capsys, "ingest", str(feed), "--db", str(tmp_path / "db"))[0] == 0
    t0 = time.monotonic()
    code, _, err = run(capsys, "verify", "ارتفع المؤشر " * 4000, "--db", str(tmp_path / "db"))
    one_line_error(code, err)
    assert "over the limit of 2000" in err
    post = tmp_path / "post.txt"
    post.write_text(("ارتفع المؤشر العام عشر نقاط اليوم في السوق. " * 2400) + "\n", encoding="utf-8")
    code, _, err = run(capsys, "check", str(post), "--db", str(tmp_path / "db"))
    one_line_error(code, err)
    assert "over the limit of 100000" in err
    many = tmp_path / "many.txt"
    many.write_text("".join(f"{i}- ارتفع المؤشر العام {i} نقطة في السوق اليوم\n" for i in range(1, 80)), encoding="utf-8")
    code, _, err = run(capsys, "check", str(many), "--db", str(tmp_path / "db"))
    one_line_error(code, err)
    assert "over the limit of 50 per check" in err
    assert time.monotonic() - t0 < 30


def test_stats_and_search_leave_a_foreign_file_untouched(capsys, tmp_path):
    folder = tmp_path / "other"
    folder.mkdir()
    conn = sqlite3.connect(folder / "tabayyun.sqlite")
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    before = hashlib.sha1((folder / "tabayyun.sqlite").read_bytes()).hexdigest()
    feed = write_jsonl(tmp_path / "feed.jsonl", _records(2))
    for argv in (("stats",), ("search", "المؤشر"), ("ingest", str(feed))):
        code, _, err = run(capsys, *argv, "--db", str(folder))
        one_line_error(code, err)
        assert "not a tabayyun evidence base" in err
    assert hashlib.sha1((folder / "tabayyun.sqlite").read_bytes()).hexdigest() == before
    assert sorted(p.name for p in folder.iterdir()) == ["tabayyun.sqlite"]
    for argv in (("stats",), ("search", "المؤشر")):  # no base: nothing is created
        code, _, err = run(capsys, *argv, "--db", str(tmp_path / "none"))
        one_line_error(code, err)
    assert not (tmp_path / "none").exists()


def test_two_ingest_processes_into_one_base_both_succeed(tmp_path):
    a = write_jsonl(tmp_path / "a.jsonl", _records(1500, "a"))
    b = write_jsonl(tmp_path / "b.jsonl", _records(1500, "b") + _records(300, "a"))  # overlap: same ids, texts
    db = tmp_path / "db"
    for trial in range(3):
        procs = [subprocess.Popen(_cli("ingest", str(p), "--db", str(db), "--batch-size", "50"), env=_env(),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for p in (a, b)]
        results = [p.communicate(timeout=300) for p in procs]
        assert [p.returncode for p in procs] == [0, 0], results
        assert all("error" not in err for _, err in results)
    from tabayyun.pipeline import Tabayyun

    tb = Tabayyun(db)
    assert tb.store.counts() == {"documents": 3000, "sentences": 6000}
    tb.search("المؤشر")  # catches up whatever the last writer left
    assert len(tb.retriever.lexical) == 6000


def test_embed_after_a_kill_resumes_the_sentences_without_vectors(tmp_path):
    corpus = write_jsonl(tmp_path / "corpus.jsonl", _records(1500))
    db = tmp_path / "db"
    cmd = _cli("ingest", str(corpus), "--db", str(db), "--batch-size", "100", "--embed")
    proc = subprocess.Popen(cmd, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_documents(db, 300, 1500)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    store = SQLiteStore(db, create=False)
    assert store.counts()["documents"] < 1500
    subprocess.run(cmd, env=_env(), check=True, capture_output=True, timeout=600)
    from tabayyun.index.vectors import text_key

    keys = {text_key(s.text) for batch in store.iter_sentences() for s in batch}
    assert len(keys) == 3000
    assert set(store.load_vectors("usem3", sorted(keys))) == keys


def test_claims_and_worthiness_are_bounded(capsys, tmp_path):
    line = tmp_path / "line.txt"
    line.write_text("ارتفع المؤشر العام في السوق " * 40_000 + "\n", encoding="utf-8")  # a 1.1M-character line
    t0 = time.monotonic()
    for argv in (("claims", str(line)), ("worthiness", str(line))):
        code, out, err = run(capsys, *argv)
        one_line_error(code, err)
        assert "over the limit" in err and out == ""
    assert time.monotonic() - t0 < 20
