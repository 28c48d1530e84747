"""``tabayyun batch``: one record per post in order, error records, formats, resume after SIGKILL."""
from __future__ import annotations

import csv
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tabayyun.cli import main
from tabayyun.pipeline import Tabayyun
from tabayyun.scale import run_batch
from tabayyun.scale.batch import CHUNK

from tests.conftest import ROOT
from tests.scale.conftest import feed_records


def _records(data: bytes) -> list[dict]:
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def test_one_record_per_post_in_order_with_error_records(clean):
    records = _records(clean)
    expected_ids = [r["id"] for r in feed_records()]
    expected_ids.insert(30, None)  # the malformed line has no id to read
    assert [r["input"] for r in records] == list(range(1, 43))
    assert [r["id"] for r in records] == expected_ids
    errors = {r["id"]: r["error"] for r in records if "error" in r}
    assert set(errors) == {"empty", "english", "baddate", "huge", None}
    assert "missing or empty 'text'" in errors["empty"] and "no Arabic" in errors["english"]
    assert "invalid date 'yesterday'" in errors["baddate"] and "post too long (120000 characters" in errors["huge"]
    assert errors[None].endswith("feed.jsonl:31: malformed JSON (Expecting value) / سطر JSON غير صالح")
    checked = [r for r in records if "error" not in r]
    assert len(checked) == 37 and sum(len(r["claims"]) >= 1 for r in checked) >= 20


def test_verdicts_are_those_of_check(base, feed, clean):
    """Shared encoding changes no verdict: each post's claims and labels are what ``check`` gives alone."""
    tb = Tabayyun(base)
    try:
        for record, post in zip([r for r in _records(clean) if r["id"] and "error" not in r],
                                [p for p in feed_records() if p["id"] not in ("empty", "english", "baddate", "huge")]):
            verdicts = tb.check(post["text"], date=post.get("date"))
            assert [(c["claim"], c["verdict"]) for c in record["claims"]] == [(v.claim.text, v.label) for v in verdicts]
    finally:
        tb.close()
    labels = {c["verdict"] for r in _records(clean) for c in r.get("claims", [])}
    assert {"supported", "refuted"} <= labels, labels


def test_warming_changes_no_byte(base, feed, clean, tmp_path):
    out = tmp_path / "cold.jsonl"
    run_batch([feed], base, out, warm=False, progress=False)
    assert out.read_bytes() == clean


def test_a_second_run_embeds_nothing_and_writes_the_same_bytes(base, feed, clean, tmp_path, monkeypatch):
    """The vectors a run computes are saved (USE's encoded one by one, so the same in any batch): a run
    on a base with no vectors of the feed writes what the clean run wrote, and the run after it encodes no text."""
    import shutil
    import sqlite3

    from tabayyun.index.vectors import Encoder

    fresh = tmp_path / "base"
    shutil.copytree(base, fresh)
    with sqlite3.connect(fresh / "tabayyun.sqlite") as conn:  # what earlier tests saved in the shared base
        conn.execute("DELETE FROM vectors")
    run_batch([feed], fresh, tmp_path / "first.jsonl", progress=False)
    embedded: list[str] = []
    original = Encoder.encode
    monkeypatch.setattr(Encoder, "encode", lambda self, texts: embedded.extend(texts) or original(self, texts))
    run_batch([feed], fresh, tmp_path / "second.jsonl", progress=False)
    assert embedded == []
    assert (tmp_path / "first.jsonl").read_bytes() == (tmp_path / "second.jsonl").read_bytes() == clean


def test_csv_and_claimreview_keep_one_line_per_post(base, feed, clean, tmp_path):
    run_batch([feed], base, tmp_path / "out.csv", fmt="csv", progress=False)
    rows = list(csv.DictReader((tmp_path / "out.csv").open(encoding="utf-8")))
    assert len((tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()) == 43
    assert [int(r["input"]) for r in rows] == list(range(1, 43))
    for row, record in zip(rows, _records(clean)):
        assert (json.loads(row["claims"]) if row["claims"] else None) == record.get("claims")
        if "claims" in record:
            assert [v for v in row["verdicts"].split(";") if v] == [c["verdict"] for c in record["claims"]]
        else:
            assert row["error"] == record["error"] and not row["verdicts"]
    run_batch([feed], base, tmp_path / "out.cr", fmt="claimreview", progress=False)
    reviews = _records((tmp_path / "out.cr").read_bytes())
    assert len(reviews) == 42
    first = reviews[0]
    assert first["@context"] == "https://schema.org" and first["@graph"][0]["@type"] == "ClaimReview"
    assert first["@graph"][0]["datePublished"] == "2019-03-20"


def test_resume_of_a_complete_or_partial_output(base, feed, clean, tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_bytes(clean)
    assert run_batch([feed], base, out, resume=True, progress=False).posts == 0
    assert out.read_bytes() == clean
    lines = clean.splitlines(keepends=True)
    out.write_bytes(b"".join(lines[:CHUNK + 3]) + lines[CHUNK + 3][:50])  # a partial line, cut mid-character
    summary = run_batch([feed], base, out, resume=True, progress=False)
    assert (summary.resumed_from, summary.posts) == (CHUNK + 3, 42 - CHUNK - 3)
    assert out.read_bytes() == clean
    out.write_bytes(lines[0][:30])  # killed while writing the first record
    assert run_batch([feed], base, out, resume=True, progress=False).resumed_from == 0
    assert out.read_bytes() == clean


def _batch_command(base: Path, feed: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "tabayyun.cli", "batch", str(feed), "--db", str(base), "--out", str(out), "--resume"]


def _lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return -1


def test_resume_after_sigkill_equals_a_clean_run(base, feed, clean, tmp_path):
    """Killed at random points (while starting, then after a random number of records), resumed each time,
    then run to the end: the same bytes as a clean run."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    out = tmp_path / "out.jsonl"
    rng = random.Random(12)
    seen: list[int] = []
    for round_ in range(4):  # round 0: killed while starting; then after 1-16 more records, plus 0-5 ms
        # (a warm chunk can take under 50 ms: a longer wait could let the run finish before the kill)
        proc = subprocess.Popen(_batch_command(base, feed, out), env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        target = _lines(out) + rng.randint(1, CHUNK) if round_ else 0
        deadline = time.monotonic() + (rng.uniform(0.2, 1.5) if round_ == 0 else 120)
        while proc.poll() is None and time.monotonic() < deadline and _lines(out) < target:
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.005) if round_ else 0)
        if proc.poll() is not None:
            break
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        seen.append(_lines(out))
    done = subprocess.run(_batch_command(base, feed, out), env=env, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert sum(0 < n < 42 for n in seen) >= 2, seen  # killed twice at least with part of the output written
    assert out.read_bytes() == clean


def test_one_line_errors_for_bad_input(base, feed, tmp_path, capsys):
    def error(*argv: str) -> str:
        code = main(["batch", *argv])
        err = capsys.readouterr().err
        assert code != 0 and err.count("\n") == 1 and "Traceback" not in err, err
        return err

    out = str(tmp_path / "out.jsonl")
    assert "no such file" in error(str(tmp_path / "missing.jsonl"), "--db", str(base), "--out", out)
    (tmp_path / "bin.jsonl").write_bytes(b"\x00\x01\x02" * 10)
    assert "binary file" in error(str(tmp_path / "bin.jsonl"), "--db", str(base), "--out", out)
    (tmp_path / "latin.txt").write_bytes("café\n".encode("latin-1"))
    assert "not valid UTF-8" in error(str(tmp_path / "latin.txt"), "--db", str(base), "--out", out)
    (tmp_path / "posts.csv").write_text("body\nنص\n", encoding="utf-8")
    assert "'text' column" in error(str(tmp_path / "posts.csv"), "--db", str(base), "--out", out)
    (tmp_path / "open.csv").write_text('text\n"نص لم يغلق\nسطر\n', encoding="utf-8")  # a quote left open
    assert "unreadable CSV" in error(str(tmp_path / "open.csv"), "--db", str(base), "--out", out)
    (tmp_path / "blank.txt").write_text("\n\n", encoding="utf-8")
    assert "no posts" in error(str(tmp_path / "blank.txt"), "--db", str(base), "--out", out)
    assert "no evidence base" in error(str(feed), "--db", str(tmp_path / "nobase"), "--out", out)
    assert "--dask must be" in error(str(feed), "--db", str(base), "--out", out, "--dask", "remote")
    foreign = tmp_path / "foreign.jsonl"
    foreign.write_text('{"something": "else"}\n', encoding="utf-8")
    assert "cannot resume" in error(str(feed), "--db", str(base), "--out", str(foreign), "--resume")
    assert foreign.read_text(encoding="utf-8") == '{"something": "else"}\n'  # left as it was
    notes = tmp_path / "notes.txt"  # no newline at all: not a half-written record either
    notes.write_text("ملاحظات", encoding="utf-8")
    assert "cannot resume" in error(str(feed), "--db", str(base), "--out", str(notes), "--resume")
    assert notes.read_text(encoding="utf-8") == "ملاحظات"
    assert main(["batch", str(feed), "--db", str(base), "--out", out]) == 0
    capsys.readouterr()
    assert "claimreview format" in error(str(feed), "--db", str(base), "--out", out, "--resume", "--format", "claimreview")
    assert "cannot write" in error(str(feed), "--db", str(base), "--out", str(tmp_path / "no" / "dir" / "o.jsonl"))


def test_text_csv_and_gzip_feeds_folders_included(base, tmp_path, capsys):
    import gzip

    texts = [r["text"] for r in feed_records()[:4]]
    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "a.txt").write_text("\n".join(texts[:2]) + "\n\n", encoding="utf-8")
    with open(folder / "b.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["id", "text", "published"])
        writer.writeheader()
        writer.writerow({"id": "c1", "text": texts[2], "published": "2019-03-21"})
    with gzip.open(folder / "c.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "g1", "text": texts[3], "published": "2019-04-02"}, ensure_ascii=False) + "\n")
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(folder), "--db", str(base), "--out", str(out), "--date-field", "published"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("tabayyun: checked 4 posts") and err.count("\n") == 1  # no bar: stderr is no terminal
    records = _records(out.read_bytes())
    assert [(r["input"], r["id"]) for r in records] == [(1, None), (2, None), (3, "c1"), (4, "g1")]
    assert all("claims" in r for r in records)


def test_progress_bar_shows_rate_and_eta(base, feed, clean, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    out.write_bytes(b"".join(clean.splitlines(keepends=True)[:40]))
    run_batch([feed], base, out, resume=True, progress=True)
    bar = capsys.readouterr().err.split("\r")[-1]
    assert bar.startswith("batch: 100%") and "42/42 [" in bar and "post/s" in bar and "<00:00" in bar, bar
    assert "claims=" in bar and "errors=" in bar


def test_a_planned_chunk_gives_what_checking_each_post_alone_gives(base, feed, tmp_path):
    """``check_chunk`` finds the claims of all its posts and selects their evidence first, encodes the e5
    vectors of all of them in one call, then judges: every record holds what ``check`` of its post alone
    gives (evidence, scores, stances and stories included), with one call of the stance encoder."""
    import shutil
    import sqlite3

    from tabayyun.index import EmbeddingCache
    from tabayyun.index.vectors import OneByOne
    from tabayyun.scale.batch import check_chunk
    from tabayyun.scale.feed import read_posts

    posts = list(read_posts([feed], "date"))[:CHUNK]
    engines = {}
    for name in ("alone", "planned"):
        shutil.copytree(base, tmp_path / name)
        with sqlite3.connect(tmp_path / name / "tabayyun.sqlite") as conn:  # no vector of the feed's texts yet
            conn.execute("DELETE FROM vectors")
        engines[name] = Tabayyun(tmp_path / name)
    alone, planned = engines["alone"], engines["planned"]
    try:
        alone.cache = alone.retriever.cache = EmbeddingCache(OneByOne(alone.cache.encoder))  # as batch encodes
        e5 = planned.stance.encoder.encoder
        calls: list[int] = []
        original = e5.encode
        e5.encode = lambda texts: calls.append(len(texts)) or original(texts)
        records = check_chunk(planned, posts)
        checked = 0
        for post, record in zip(posts, records, strict=True):
            assert (record["input"], record["id"]) == (post.n, post.id)
            if "error" in record:
                assert post.error is not None or post.id in ("empty", "english")
                continue
            assert record["claims"] == [v.to_dict() for v in alone.check(post.text, date=post.date)]
            checked += bool(record["claims"])
        assert checked >= 8
        assert len(calls) == 1 and calls[0] > sum(len(r.get("claims", ())) for r in records)
    finally:
        alone.close()
        planned.close()


def test_a_chunk_reads_the_stories_of_its_evidence_once(base, feed, tmp_path):
    """Each claim of a chunk and each post is placed in a story among those of its evidence (the post's evidence is
    its claims'): ``check_chunk`` asks the store for each document's story and each story's state once, and places
    every claim and post where ``check`` of the post alone does (``test_a_planned_chunk_gives_...``)."""
    from collections import Counter

    from tabayyun.scale.batch import check_chunk
    from tabayyun.scale.feed import read_posts

    posts = list(read_posts([feed], "date"))[:CHUNK]
    tb = Tabayyun(base)
    try:
        asked: dict[str, Counter] = {"story_states": Counter(), "story_of_documents": Counter()}
        for name, counter in asked.items():
            original = getattr(tb.store, name)
            setattr(tb.store, name, lambda ids, original=original, counter=counter: counter.update(ids) or original(ids))
        records = check_chunk(tb, posts)
        placed = [c["story"] for r in records for c in r.get("claims", ()) if c["story"] is not None]
        assert len(placed) >= 8
        for counter in asked.values():
            assert counter and max(counter.values()) == 1, counter
        alone = [[c["story"] for c in r.get("claims", ())] for r in records]
        assert alone == [[v.to_dict()["story"] for v in tb.check(p.text, date=p.date)] if "claims" in r else []
                         for p, r in zip(posts, records)]
    finally:
        tb.close()


def test_a_chunk_is_checked_with_fewer_collections_and_the_collector_set_back(base, feed, monkeypatch):
    """Inside ``check_chunk`` the collector's youngest generation waits ``GC_YOUNG`` allocations (its older
    thresholds kept); afterwards, and after a chunk that fails, the thresholds are those from before."""
    import gc

    from tabayyun.scale import batch
    from tabayyun.scale.feed import read_posts

    posts = list(read_posts([feed], "date"))[:2]
    seen: list[tuple[int, int, int]] = []
    original = batch._claims
    monkeypatch.setattr(batch, "_claims", lambda *a, **k: seen.append(gc.get_threshold()) or original(*a, **k))
    before = gc.get_threshold()
    gc.set_threshold(700, 11, 12)
    tb = Tabayyun(base)
    try:
        assert len(batch.check_chunk(tb, posts)) == 2
        assert seen == [(batch.GC_YOUNG, 11, 12)] * 2 and gc.get_threshold() == (700, 11, 12)
        monkeypatch.setattr(batch, "_claims", lambda *a, **k: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            batch.check_chunk(tb, posts)
        assert gc.get_threshold() == (700, 11, 12)
    finally:
        gc.set_threshold(*before)
        tb.close()
