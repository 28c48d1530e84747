"""The command line: outputs, and one clear line for every kind of bad input."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tabayyun.cli import main
from tabayyun.store import SQLiteStore

from tests.conftest import ROOT, wait_for_documents, write_jsonl


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path, news_file, capsys) -> Path:
    path = tmp_path / "db"
    code, out, _ = run(capsys, "ingest", str(news_file), "--db", str(path))
    assert code == 0 and out.strip() == "added 3 documents, skipped 0 already present, indexed 6 sentences"
    return path


def _one_line_error(code: int, err: str) -> None:
    assert code != 0
    assert err.startswith("tabayyun: error:") and err.strip().count("\n") == 0 and "Traceback" not in err


def test_verify_json_schema(capsys, db):
    code, out, _ = run(capsys, "verify", "ارتفعت أسعار النفط إلى 70 دولارا للبرميل", "--db", str(db), "--json")
    assert code == 0
    result = json.loads(out)
    assert {"claim", "checkworthiness", "verdict", "confidence", "evidence", "reasons"} <= set(result)
    assert result["verdict"] in {"supported", "refuted", "not_enough_evidence", "conflicting"}
    assert 0 <= result["confidence"] <= 1
    first = result["evidence"][0]
    assert {"sentence", "doc_id", "title", "source", "date", "url", "score", "stance"} <= set(first)
    assert first["doc_id"] == "n2"


def test_verify_human_report(capsys, db):
    code, out, _ = run(capsys, "verify", "ارتفعت أسعار النفط إلى 90 دولارا للبرميل", "--db", str(db))
    assert code == 0
    assert "verdict: refuted" in out and "number mismatch: claim 90, evidence 70" in out and "صحيفة المثال" in out


def test_a_figure_from_another_month_does_not_refute_a_dated_claim(capsys, db):
    claim = "ارتفعت أسعار النفط إلى 90 دولارا للبرميل"
    code, out, _ = run(capsys, "verify", claim, "--db", str(db), "--json", "--date", "2019-09-01")
    result = json.loads(out)
    assert code == 0 and result["verdict"] == "not_enough_evidence"
    assert any("of another time (claim 2019-09-01, evidence 2019-04-02)" in r for r in result["reasons"])
    code, out, _ = run(capsys, "verify", claim, "--db", str(db), "--json", "--date", "2019-04-03")
    assert json.loads(out)["verdict"] == "refuted"


def test_verify_before_a_day_reads_only_evidence_published_before_it(capsys, db):
    claim = "ارتفعت أسعار النفط إلى 90 دولارا للبرميل"
    code, out, _ = run(capsys, "verify", claim, "--db", str(db), "--json", "--before", "2019-04-03")
    result = json.loads(out)
    assert code == 0 and result["verdict"] == "refuted"  # the report of 2019-04-02 was known
    code, out, _ = run(capsys, "verify", claim, "--db", str(db), "--json", "--before", "2019-04-02")
    result = json.loads(out)
    assert code == 0 and result["verdict"] == "not_enough_evidence"
    assert all(e["date"] < "2019-04-02" for e in result["evidence"])
    code, _, err = run(capsys, "verify", claim, "--db", str(db), "--before", "yesterday")
    _one_line_error(code, err)
    assert "--before must be a date" in err


def test_search_filters_by_source_and_dates_and_shows_no_stance(capsys, db):
    code, out, _ = run(capsys, "search", "أسعار النفط المنتخب الباغوز", "--db", str(db), "--json")
    assert code == 0 and {json.loads(line)["doc_id"] for line in out.splitlines()} == {"n1", "n2", "n3"}
    assert all("stance" not in json.loads(line) for line in out.splitlines())
    code, out, _ = run(capsys, "search", "أسعار النفط المنتخب الباغوز", "--db", str(db), "--json",
                       "--source", "صحيفة المثال")
    assert {json.loads(line)["doc_id"] for line in out.splitlines()} == {"n2", "n3"}
    code, out, _ = run(capsys, "search", "أسعار النفط المنتخب الباغوز", "--db", str(db), "--json",
                       "--since", "2019-04-02", "--until", "2019-04-02")
    assert {json.loads(line)["doc_id"] for line in out.splitlines()} == {"n2"}


def test_stats_per_source_and_month(capsys, db):
    code, out, _ = run(capsys, "stats", "--db", str(db), "--by", "source", "--json")
    rows = json.loads(out)["by_source"]
    assert code == 0 and [r["source"] for r in rows] == sorted(["صحيفة المثال", "وكالة الاختبار"])
    paper = next(r for r in rows if r["source"] == "صحيفة المثال")
    assert paper == {"source": "صحيفة المثال", "documents": 2, "sentences": 4, "first": "2019-04-02",
                     "last": "2019-05-10"}
    code, out, _ = run(capsys, "stats", "--db", str(db), "--by", "month")
    assert code == 0 and "2019-03\t1 documents\t2 sentences\t2019-03-19 .. 2019-03-19" in out


def test_show_a_document_and_a_clear_error_for_an_unknown_id(capsys, db):
    code, out, _ = run(capsys, "show", "n2", "--db", str(db), "--json")
    doc = json.loads(out)
    assert code == 0 and doc["id"] == "n2" and len(doc["sentences"]) == 2
    assert doc["text"][doc["sentences"][1]["start"]:doc["sentences"][1]["end"]] == doc["sentences"][1]["text"]
    code, out, _ = run(capsys, "show", "n2", "--db", str(db))
    assert code == 0 and "أسعار النفط" in out and "صحيفة المثال, 2019-04-02" in out
    code, _, err = run(capsys, "show", "nope", "--db", str(db))
    _one_line_error(code, err)


def test_verify_file_keeps_order_and_bad_lines(capsys, db, tmp_path):
    claims = tmp_path / "claims.txt"
    claims.write_text("فاز المنتخب الوطني بثلاثة أهداف\n\nارتفعت أسعار النفط\nhello world\n", encoding="utf-8")
    code, out, _ = run(capsys, "verify", "--file", str(claims), "--db", str(db), "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["claim"] for r in rows] == claims.read_text(encoding="utf-8").splitlines()
    assert "verdict" in rows[0] and "error" in rows[1] and "verdict" in rows[2] and "error" in rows[3]


def test_check_and_claims_json(capsys, db, tmp_path):
    post = tmp_path / "post.txt"
    text = "صباح الخير\nاولا ارتفعت أسعار النفط إلى 90 دولارا للبرميل\nثانيا فاز المنتخب الوطني بثلاثة أهداف مقابل هدف\n"
    post.write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, "claims", str(post), "--json")
    claims = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(claims) == 3
    for c in claims:
        assert text[c["span"][0]:c["span"][1]] == c["claim"]
    assert claims[0]["checkworthiness"] < 0.5 < claims[1]["checkworthiness"]
    code, out, _ = run(capsys, "check", str(post), "--db", str(db), "--json")
    verdicts = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [v["span"] for v in verdicts] == [c["span"] for c in claims[1:]]


def test_stdin_input(capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("اولا قتل 5 أشخاص في حادث\n".encode())))
    code, out, _ = run(capsys, "claims", "-")
    assert code == 0 and "قتل 5 أشخاص" in out


@pytest.mark.parametrize("content", [b"", b"\x00\x01binary\x00", b'{"text": "\xd9\x86\xd8\xb5 \xd8\xb3\xd9\x84\xd9\x8a\xd9\x85"}\n{broken\n'])
def test_bad_ingest_leaves_base_unchanged(capsys, db, tmp_path, content):
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(content)
    before = SQLiteStore(db).counts()
    code, _, err = run(capsys, "ingest", str(bad), "--db", str(db))
    _one_line_error(code, err)
    if b"broken" in content:
        assert "bad.jsonl:2" in err
    assert SQLiteStore(db).counts() == before
    code, out, _ = run(capsys, "verify", "ارتفعت أسعار النفط", "--db", str(db), "--json")
    assert code == 0 and json.loads(out)["evidence"]


@pytest.mark.parametrize("argv", [
    ("ingest", "/nonexistent/file.jsonl", "--db", "{db}"),
    ("verify", "", "--db", "{db}"),
    ("verify", "   ", "--db", "{db}"),
    ("verify", "The army captured 157 fighters", "--db", "{db}"),
    ("verify", "ادعاء", "--db", "{tmp}/no-such-base"),
    ("check", "/nonexistent.txt", "--db", "{db}"),
    ("claims", "{tmp}"),
    ("check", "{english}", "--db", "{db}"),
    ("verify", "ارتفعت أسعار النفط", "--db", "{db}", "--date", "yesterday"),
])
def test_bad_input_one_line(capsys, db, tmp_path, argv):
    english = tmp_path / "english.txt"
    english.write_text("First: the army captured 157 fighters.", encoding="utf-8")
    code, _, err = run(capsys, *(a.format(db=db, tmp=tmp_path, english=english) for a in argv))
    _one_line_error(code, err)
    assert not (tmp_path / "no-such-base").exists()


def test_claims_has_no_date_option_that_would_do_nothing(capsys, tmp_path):
    post = tmp_path / "post.txt"
    post.write_text("ارتفعت أسعار النفط اليوم إلى 70 دولارا للبرميل.", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        main(["claims", str(post), "--date", "2019-13-45"])
    assert exit_.value.code == 2 and "--date" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [("ingest", "-", "--db", "{tmp}/db"), ("batch", "-", "--db", "{db}", "--out", "{tmp}/o")])
def test_ingest_and_batch_from_standard_input_say_to_save_a_file(capsys, db, tmp_path, argv):
    code, _, err = run(capsys, *(a.format(db=db, tmp=tmp_path) for a in argv))
    _one_line_error(code, err)
    assert "standard input" in err and not (tmp_path / "o").exists()


def test_version(capsys):
    from tabayyun import __version__

    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0 and capsys.readouterr().out == f"tabayyun {__version__}\n"


def test_check_save_on_a_read_only_base_says_so_before_checking(capsys, db, tmp_path, monkeypatch):
    from tabayyun.pipeline import Tabayyun

    post = tmp_path / "post.txt"
    post.write_text("ارتفعت أسعار النفط إلى 90 دولارا للبرميل.", encoding="utf-8")
    monkeypatch.setattr("tabayyun.store.sqlite.os.access", lambda *_: False)  # as a read-only folder reads
    monkeypatch.setattr(Tabayyun, "check", lambda *a, **k: pytest.fail("checked, then failed to save"))
    code, out, err = run(capsys, "check", str(post), "--db", str(db), "--save")
    _one_line_error(code, err)
    assert "read-only" in err and out == ""


def test_missing_db_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["verify", "ادعاء"])
    _, err = capsys.readouterr()
    assert exit_.value.code == 2 and "--db" in err and err.strip().count("\n") == 0


def test_killed_ingest_rerun_matches_clean_run(tmp_path):
    records = [{"id": f"d{i}", "text": f"خبر رقم {i} عن سوق الأسهم المحلية. وارتفع المؤشر العام {i} نقطة اليوم."}
               for i in range(3000)]
    corpus = write_jsonl(tmp_path / "corpus.jsonl", records)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-m", "tabayyun.cli", "ingest", str(corpus), "--batch-size", "100", "--db"]
    killed = tmp_path / "killed"
    proc = subprocess.Popen(cmd + [str(killed)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_documents(killed, 1, 3000, seconds=60)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = SQLiteStore(killed).counts()["documents"]
    assert partial % 100 == 0 and partial < 3000  # whole batches only
    assert SQLiteStore(killed).conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    subprocess.run(cmd + [str(killed)], env=env, check=True, capture_output=True)
    clean = tmp_path / "clean"
    subprocess.run(cmd + [str(clean)], env=env, check=True, capture_output=True)
    a, b = SQLiteStore(killed), SQLiteStore(clean)
    assert a.counts() == b.counts() == {"documents": 3000, "sentences": 6000}
    rows = "SELECT d.id, s.position, s.start, s.\"end\" FROM sentences s JOIN documents d ON d.id = s.doc_id ORDER BY 1, 2"
    assert a.conn.execute(rows).fetchall() == b.conn.execute(rows).fetchall()
    from tabayyun.pipeline import Tabayyun

    assert len(Tabayyun(killed).retriever.lexical) == 6000


def test_skip_invalid_passes_over_bad_records(capsys, tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text('{"text": "خبر سليم عن افتتاح مستشفى جديد في المدينة"}\n{oops\n{"text": ""}\n', encoding="utf-8")
    code, _, err = run(capsys, "ingest", str(path), "--db", str(tmp_path / "db"))
    _one_line_error(code, err)
    code, out, err = run(capsys, "ingest", str(path), "--db", str(tmp_path / "db"), "--skip-invalid")
    assert code == 0 and "added 1 documents" in out and "passed over 2 invalid records" in out
    assert "mixed.jsonl:2" in err and "mixed.jsonl:3" in err


def test_worthiness_plain_lines_and_jsonl_keep_order(capsys, tmp_path):
    lines = tmp_path / "lines.txt"
    lines.write_text("صباح الخير يا جماعة\nأعلنت وزارة الصحة تسجيل 120 إصابة جديدة يوم الاثنين\n", encoding="utf-8")
    jsonl = write_jsonl(tmp_path / "t.jsonl", [{"text": t} for t in lines.read_text(encoding="utf-8").splitlines()])
    for path in (lines, jsonl):
        for model in ("rules", "learned"):
            code, out, _ = run(capsys, "worthiness", str(path), "--model", model)
            rows = [json.loads(line) for line in out.splitlines()]
            assert code == 0 and len(rows) == 2 and set(rows[0]) == {"score", "checkworthy"}
            assert rows[0]["score"] < rows[1]["score"] and rows[1]["checkworthy"] and not rows[0]["checkworthy"]


def test_stance_command(capsys, tmp_path):
    path = write_jsonl(tmp_path / "pairs.jsonl", [
        {"claim": "ارتفعت أسعار النفط إلى 90 دولارا", "text": "ارتفعت أسعار النفط اليوم إلى 70 دولارا للبرميل"},
        {"claim": "ارتفعت أسعار النفط إلى 70 دولارا", "text": "ارتفعت أسعار النفط اليوم إلى 70 دولارا للبرميل"},
    ])
    code, out, _ = run(capsys, "stance", str(path))
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["stance"] for r in rows] == ["disagree", "agree"]
    assert all(abs(sum(r["probs"].values()) - 1) < 1e-3 and set(r["probs"]) == {"agree", "disagree", "discuss",
                                                                                 "unrelated"} for r in rows)


@pytest.mark.parametrize("argv, content", [
    (("stance",), '{"claim": "ادعاء"}\n'),
    (("stance",), 'سطر بلا JSON\n'),
    (("stance",), '{"claim": "ادعاء", "text": \n'),
    (("worthiness",), '{"text": ""}\n'),
    (("worthiness",), 'سطر\n\nسطر\n'),
])
def test_model_commands_bad_input(capsys, tmp_path, argv, content):
    path = tmp_path / "in.jsonl"
    path.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, *argv, str(path))
    _one_line_error(code, err)
    assert out == "" and "in.jsonl:" in err


def test_train_and_eval_need_the_data(capsys, tmp_path):
    for command in ("train", "eval"):
        code, _, err = run(capsys, command, "--data", str(tmp_path / "missing"))
        _one_line_error(code, err)
    (tmp_path / "other").mkdir()  # a folder that is not the datasets folder
    code, _, err = run(capsys, "eval", "--data", str(tmp_path / "other"), "--part", "stories")
    _one_line_error(code, err)
    assert "shared/data" in err


def test_serve_without_the_serve_extra_names_the_extra(capsys, db, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_uvicorn(name, *args, **kwargs):
        if name == "uvicorn":
            raise ModuleNotFoundError("No module named 'uvicorn'", name="uvicorn")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_uvicorn)
    code, _, err = run(capsys, "serve", "--db", str(db))
    _one_line_error(code, err)
    assert "pip install 'tabayyun[serve]'" in err


def test_serve_on_a_port_it_cannot_have_is_a_one_line_error(capsys, db):
    import socket

    pytest.importorskip("uvicorn")
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--db", str(db), "--port", "99999"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "--port" in err and err.strip().count("\n") == 0
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        code, _, err = run(capsys, "serve", "--db", str(db), "--port", str(busy.getsockname()[1]))
    _one_line_error(code, err)
    assert "in use" in err


def test_verify_file_shows_a_progress_bar_on_a_terminal_only(db, tmp_path):
    import fcntl
    import pty
    import struct
    import termios

    claims = tmp_path / "claims.txt"
    claims.write_text("ارتفعت أسعار النفط إلى 90 دولارا للبرميل\nفاز المنتخب الوطني بثلاثة أهداف\n", encoding="utf-8")
    argv = [sys.executable, "-m", "tabayyun.cli", "verify", "--file", str(claims), "--db", str(db), "--json"]
    main_fd, tty_fd = pty.openpty()
    fcntl.ioctl(tty_fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a terminal has a size
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=tty_fd, timeout=300)
    os.close(tty_fd)
    bar = b""
    while True:
        try:
            chunk = os.read(main_fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        bar += chunk
    os.close(main_fd)
    assert proc.returncode == 0 and len(proc.stdout.decode().splitlines()) == 2
    assert b"2/2" in bar and b"claim" in bar
    piped = subprocess.run(argv, capture_output=True, timeout=300)
    assert piped.returncode == 0 and b"claim/s" not in piped.stderr and b"2/2" not in piped.stderr


def test_save_review_and_export_a_check(capsys, db, tmp_path):
    post = tmp_path / "post.txt"
    post.write_text("ارتفعت أسعار النفط إلى 90 دولارا للبرميل", encoding="utf-8")
    code, out, err = run(capsys, "check", str(post), "--db", str(db), "--json", "--save")
    assert code == 0 and json.loads(out.splitlines()[0])["verdict"] == "refuted" and "saved as check 1" in err
    code, out, _ = run(capsys, "review", "1", "--db", str(db), "--verdict", "refuted", "--reviewer", "سارة",
                       "--note", "السعر 70", "--cite", "n2", "--json")
    review = json.loads(out)
    assert code == 0 and (review["rating"], review["cite"], review["claim"]) == ("false", ["n2"], 0)
    code, _, err = run(capsys, "review", "1", "--db", str(db), "--verdict", "refuted", "--reviewer", "x",
                       "--cite", "missing-doc")
    _one_line_error(code, err)
    code, _, err = run(capsys, "export", "--db", str(db), "--format", "claimreview")
    _one_line_error(code, err)
    assert "--name and --public-url" in err
    code, _, _ = run(capsys, "publisher", "--db", str(db), "--name", "غرفة التحقق", "--public-url",
                     "https://desk.example.org")
    assert code == 0
    target = tmp_path / "out.jsonl"
    code, _, err = run(capsys, "export", "--db", str(db), "--format", "jsonl", "--out", str(target))
    row = json.loads(target.read_text(encoding="utf-8"))
    assert code == 0 and "wrote 1 claims" in err
    assert (row["verdict"], row["reviewer"], row["cited"], row["machine_verdict"]) == ("refuted", "سارة", ["n2"],
                                                                                       "refuted")
    code, out, _ = run(capsys, "export", "--db", str(db), "--format", "claimreview", "--until", "2000-01-01")
    assert code == 0 and json.loads(out)["@graph"] == []


def test_stories_and_one_story(capsys, db):
    code, out, _ = run(capsys, "organise", "--db", str(db), "--rebuild")
    assert code == 0 and out.strip() == "placed 3 documents in stories (3 stories)"
    code, out, _ = run(capsys, "stories", "--db", str(db), "--json")
    stories = [json.loads(line) for line in out.splitlines()]
    assert [s["last_date"] for s in stories] == ["2019-05-10", "2019-04-02", "2019-03-19"]
    oil = stories[1]
    assert oil["documents"] == ["n2"] and oil["sources"] == {"صحيفة المثال": 1}
    code, out, _ = run(capsys, "stories", "--db", str(db), "--since", "2019-04-01", "--until", "2019-04-30")
    assert code == 0 and out.startswith(oil["id"]) and out.count("\n") == 1
    code, out, _ = run(capsys, "story", oil["id"], "--db", str(db))
    assert code == 0 and "أسعار النفط" in out and "[n2]" in out
    code, out, _ = run(capsys, "verify", "ارتفعت أسعار النفط إلى 70 دولارا للبرميل", "--db", str(db), "--json")
    assert json.loads(out)["story"] == {"id": oil["id"], "title": "أسعار النفط"}


@pytest.mark.parametrize("argv", [("story", "s-nope"), ("stories", "--topic", "nonsense"), ("stories", "--since", "soon"),
                                  ("stories", "--until", "2019-02-30"),
                                  ("stories", "--since", "2019-12-01", "--until", "2019-01-01"),
                                  ("search", "النفط", "--since", "2019-12-01", "--until", "2019-01-01"),
                                  ("export", "--format", "csv", "--since", "2019-12-01", "--until", "2019-01-01")])
def test_story_commands_and_empty_date_ranges_refuse_bad_input_in_one_line(capsys, db, argv):
    _one_line_error(*run(capsys, *argv, "--db", str(db))[::2])


def _damage_stories(db: Path) -> str:
    """A base as an old correction bug left it: the story of the oil report deleted while its document and a
    claim still point to it, and a placement of a document that is gone."""
    import sqlite3

    from tabayyun.pipeline import Tabayyun

    tb = Tabayyun(db)
    try:
        verdicts = tb.check("ارتفعت أسعار النفط إلى 70 دولارا للبرميل", all_claims=True)
        sid = tb.store.story_of_documents(["n2"])["n2"]
        assert verdicts and all(v.story and v.story[0] == sid for v in verdicts)
        tb.save_check("منشور", verdicts)
    finally:
        tb.close()
    conn = sqlite3.connect(SQLiteStore(db).path)
    conn.execute("DELETE FROM stories WHERE id = ?", (sid,))
    conn.execute("INSERT INTO story_documents VALUES ('gone', ?, 1.0)", (sid,))
    conn.commit()
    conn.close()
    return sid


def _links_lead_somewhere(db: Path) -> bool:
    store = SQLiteStore(db)
    try:
        placed = store.story_of_documents(["n1", "n2", "n3", "gone"])
        claims = store.conn.execute("SELECT story_id FROM story_claims").fetchall()
        return (set(placed) == {"n1", "n2", "n3"} and all(store.resolve_story(s) for s in placed.values())
                and bool(claims) and all(store.resolve_story(s) for s, in claims))
    finally:
        store.close()


@pytest.mark.parametrize("rebuild", [False, True])
def test_organise_repairs_story_links_that_lead_nowhere(capsys, db, rebuild):
    run(capsys, "organise", "--db", str(db))
    _damage_stories(db)
    assert not _links_lead_somewhere(db)
    code, out, _ = run(capsys, "organise", "--db", str(db), *(["--rebuild"] if rebuild else []))
    assert code == 0 and _links_lead_somewhere(db)
    assert ("1 to removed documents dropped, 1 documents and the claims of 1 checks placed again" in out) != rebuild
    code, out, _ = run(capsys, "organise", "--db", str(db))
    assert code == 0 and out.strip() == "placed 0 documents in stories (3 stories)"  # nothing left to repair


def test_organise_needs_an_evidence_base(capsys, tmp_path):
    _one_line_error(*run(capsys, "organise", "--db", str(tmp_path / "none"))[::2])


def test_story_json_lists_its_documents_without_their_text(capsys, db):
    run(capsys, "organise", "--db", str(db))
    code, out, _ = run(capsys, "stories", "--db", str(db), "--source", "وكالة الاختبار", "--json")
    story_id = json.loads(out)["id"]
    code, out, _ = run(capsys, "story", story_id, "--db", str(db), "--json")
    story = json.loads(out)
    assert code == 0 and [d["id"] for d in story["documents"]] == ["n1"] and "text" not in story["documents"][0]
    assert story["documents"][0]["date"] == "2019-03-19" and story["title"] == "سقوط جيب الباغوز"


def test_ingest_maps_other_column_names(capsys, tmp_path):
    feed = tmp_path / "feed.csv"
    feed.write_text("body,published,outlet\nارتفعت أسعار الذهب اليوم إلى مستوى قياسي جديد في الأسواق.,2020-05-01,صحيفة\n",
                    encoding="utf-8")
    db = tmp_path / "db"
    code, _, err = run(capsys, "ingest", str(feed), "--db", str(db))
    _one_line_error(code, err)
    assert "'text' column" in err and "--map text=COLUMN" in err
    code, out, _ = run(capsys, "ingest", str(feed), "--db", str(db), "--map", "text=body,date=published,source=outlet")
    assert code == 0 and out.startswith("added 1 documents")
    code, out, _ = run(capsys, "search", "أسعار الذهب", "--db", str(db), "--json")
    hit = json.loads(out.splitlines()[0])
    assert (hit["date"], hit["source"]) == ("2020-05-01", "صحيفة")
    code, _, err = run(capsys, "ingest", str(feed), "--db", str(db), "--map", "body=text")
    _one_line_error(code, err)


def test_a_folder_of_text_files_takes_its_name_as_source_and_passes_over_an_empty_file(capsys, tmp_path):
    folder = tmp_path / "reuters"
    folder.mkdir()
    (folder / "a.txt").write_text("الباغوز\nقالت قوات سوريا الديمقراطية إنها أسرت 157 مقاتلا قرب الباغوز.", encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    db = tmp_path / "db"
    code, out, err = run(capsys, "ingest", str(folder), "--db", str(db))
    assert code == 0 and "added 1 documents" in out and "passed over 1 empty files" in out
    assert "warning: passed over the empty file" in err and "empty.txt" in err
    code, out, _ = run(capsys, "search", "الباغوز", "--db", str(db), "--json")
    assert json.loads(out.splitlines()[0])["source"] == "reuters"
    code, _, err = run(capsys, "ingest", str(folder / "empty.txt"), "--db", str(db))
    _one_line_error(code, err)  # an empty file named on its own is an error


def test_a_failed_first_ingest_leaves_no_empty_base_behind(capsys, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "نص عربي صالح تماما للاختبار هنا."}\n{"title": "no text"}\n', encoding="utf-8")
    db = tmp_path / "new-base"
    code, _, err = run(capsys, "ingest", str(bad), "--db", str(db))
    _one_line_error(code, err)
    assert not db.exists()
    empty_folder = tmp_path / "empty-folder-base"
    empty_folder.mkdir()
    code, _, _ = run(capsys, "ingest", str(bad), "--db", str(empty_folder))
    assert code != 0 and empty_folder.is_dir() and not any(empty_folder.iterdir())


def test_remove_and_correct_a_document(capsys, db):
    claim = "ارتفعت أسعار النفط إلى 90 دولارا للبرميل"
    code, out, _ = run(capsys, "verify", claim, "--db", str(db), "--json")
    assert json.loads(out)["verdict"] == "refuted"
    fixed = db.parent / "fixed.txt"
    fixed.write_text("ارتفعت أسعار النفط اليوم إلى 90 دولارا للبرميل بعد قرار خفض الإنتاج.", encoding="utf-8")
    code, out, _ = run(capsys, "correct", "n2", "--db", str(db), "--text", str(fixed), "--date", "2019-04-03")
    assert code == 0 and "corrected n2" in out
    code, out, _ = run(capsys, "verify", claim, "--db", str(db), "--json")
    result = json.loads(out)
    assert result["verdict"] == "supported" and result["evidence"][0]["doc_id"] == "n2"
    assert result["evidence"][0]["date"] == "2019-04-03"
    code, out, _ = run(capsys, "remove", "n2", "--db", str(db))
    assert code == 0 and "removed n2" in out
    code, out, _ = run(capsys, "verify", claim, "--db", str(db), "--json")
    assert json.loads(out)["verdict"] == "not_enough_evidence"
    assert all(e["doc_id"] != "n2" for e in json.loads(out)["evidence"])
    code, out, _ = run(capsys, "stats", "--db", str(db), "--json")
    assert json.loads(out)["documents"] == 2
    code, out, _ = run(capsys, "ingest", str(db.parent / "news.jsonl"), "--db", str(db))
    assert code == 0 and out.startswith("added 1 documents")  # the old text can come back, indexed anew
    code, out, _ = run(capsys, "verify", claim, "--db", str(db), "--json")
    assert json.loads(out)["verdict"] == "refuted"
    for argv in (("remove", "nope"), ("correct", "nope", "--title", "x"), ("correct", "n1")):
        code, _, err = run(capsys, *argv, "--db", str(db))
        _one_line_error(code, err)


def test_search_filters_by_topic(capsys, db):
    code, out, _ = run(capsys, "search", "أسعار النفط المنتخب الباغوز", "--db", str(db), "--json", "--topic", "sport")
    assert code == 0 and {json.loads(line)["doc_id"] for line in out.splitlines()} == {"n3"}
    code, _, err = run(capsys, "search", "النفط", "--db", str(db), "--topic", "gossip")
    _one_line_error(code, err)


def test_a_check_saved_by_the_cli_is_kept_in_its_story_as_the_desk_keeps_it(capsys, db, tmp_path):
    post = tmp_path / "post.txt"
    post.write_text("ارتفعت أسعار النفط إلى 90 دولارا للبرميل", encoding="utf-8")
    code, out, _ = run(capsys, "check", str(post), "--db", str(db), "--json", "--save")
    checked = json.loads(out.splitlines()[0])
    assert code == 0 and checked["story"] is not None
    code, out, _ = run(capsys, "story", checked["story"]["id"], "--db", str(db), "--json")
    claims = json.loads(out)["claims"]
    assert code == 0 and [(c["claim"], c["verdict"]) for c in claims] == [(checked["claim"], checked["verdict"])]


def test_a_removed_document_takes_its_story_along_when_it_was_alone_in_it(capsys, db):
    code, out, _ = run(capsys, "stories", "--db", str(db), "--json")
    oil = next(s for s in map(json.loads, out.splitlines()) if s["documents"] == ["n2"])
    assert run(capsys, "remove", "n2", "--db", str(db))[0] == 0
    code, out, _ = run(capsys, "stories", "--db", str(db), "--json")
    stories = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(stories) == 2 and all(s["documents"] for s in stories)
    code, _, err = run(capsys, "story", oil["id"], "--db", str(db))
    _one_line_error(code, err)
    assert "no story" in err

