"""Hold under abuse: kills during ingest, and reads during the longest check the desk accepts.

    python bench/bench_abuse.py kills --kills 10 [--docs 3000] [--embed]
    python bench/bench_abuse.py long --db DIR --post FILE

``kills`` ingests a generated corpus, SIGKILLs the ingest at a different point each time (then runs it
again), and checks after every kill that ``PRAGMA integrity_check`` is ok and that the store and the
search index agree; at the end, the base must equal one clean run. ``long`` serves DIR, sends one
``POST /api/check`` of FILE (cut to the 100,000-character limit) and polls ``/healthz`` (and now and
then ``/api/search``) meanwhile: it prints how long the check took, what it answered, and the slowest
``/healthz`` and search.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
ENV = {**os.environ, "PYTHONPATH": str(SRC)}
ROWS = 'SELECT d.id, s.position, s.start, s."end" FROM sentences s JOIN documents d ON d.id = s.doc_id ORDER BY 1, 2'


def _corpus(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"k{i}", "text": f"خبر رقم {i} عن سوق الأسهم المحلية. وارتفع المؤشر العام {i} "
                                                       "نقطة اليوم."}, ensure_ascii=False) + "\n")


def _state(db: Path) -> tuple[str, int, int]:
    """(integrity_check, stored sentences, indexed sentences once the index has caught up)."""
    sys.path.insert(0, str(SRC))
    from tabayyun.pipeline import Tabayyun

    conn = sqlite3.connect(db / "tabayyun.sqlite")
    integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    conn.close()
    tb = Tabayyun(db)
    tb.retriever.sync()
    result = integrity, tb.store.counts()["sentences"], len(tb.retriever.lexical)
    tb.close()
    return result


def kills(args: argparse.Namespace) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="tabayyun-kills-"))
    corpus = tmp / "corpus.jsonl"
    _corpus(corpus, args.docs)
    cmd = [sys.executable, "-m", "tabayyun.cli", "ingest", str(corpus), "--batch-size", "100"]
    cmd += ["--embed"] if args.embed else []
    clean = tmp / "clean"
    t0 = time.monotonic()
    subprocess.run(cmd + ["--db", str(clean)], env=ENV, check=True, capture_output=True)
    clean_s = time.monotonic() - t0
    db = tmp / "killed"
    rng = random.Random(11)
    failures = []
    for n in range(args.kills):
        proc = subprocess.Popen(cmd + ["--db", str(db)], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, max(clean_s, 1.0)))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if (db / "tabayyun.sqlite").exists():
            integrity, stored, indexed = _state(db)
            if integrity != "ok" or stored != indexed:
                failures.append({"kill": n, "integrity": integrity, "stored": stored, "indexed": indexed})
    subprocess.run(cmd + ["--db", str(db)], env=ENV, check=True, capture_output=True)
    a, b = sqlite3.connect(db / "tabayyun.sqlite"), sqlite3.connect(clean / "tabayyun.sqlite")
    same = a.execute(ROWS).fetchall() == b.execute(ROWS).fetchall()
    vectors = [c.execute("SELECT COUNT(*) FROM vectors").fetchone()[0] for c in (a, b)]
    print(json.dumps({"kills": args.kills, "docs": args.docs, "embed": args.embed, "failed_checks": failures,
                      "rerun_equals_clean_run": same, "vectors_killed_vs_clean": vectors,
                      "final": _state(db)}, ensure_ascii=False))
    return 0 if same and not failures and vectors[0] == vectors[1] else 1


def long(args: argparse.Namespace) -> int:
    import httpx

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_http import _free_port, _start

    text = Path(args.post).read_text(encoding="utf-8")[:100_000]
    port = _free_port()
    proc = _start(args.db, port)
    url = f"http://127.0.0.1:{port}"
    slowest = slowest_search = 0.0
    polls = 0
    done = threading.Event()
    answer: dict = {}

    def check() -> None:
        t0 = time.monotonic()
        r = httpx.post(url + "/api/check", json={"text": text}, timeout=3600)
        answer.update(status=r.status_code, seconds=round(time.monotonic() - t0, 1),
                      body=r.json().get("error") or f"{len(r.json().get('claims', []))} claims")
        done.set()

    try:
        worker = threading.Thread(target=check)
        worker.start()
        while not done.is_set():
            t0 = time.monotonic()
            httpx.get(url + "/healthz", timeout=60)
            slowest = max(slowest, time.monotonic() - t0)
            if polls % 10 == 0:  # a read that needs the pipeline: it waits for one claim at most
                t0 = time.monotonic()
                httpx.get(url + "/api/search", params={"q": "أسعار النفط"}, timeout=600)
                slowest_search = max(slowest_search, time.monotonic() - t0)
            polls += 1
            time.sleep(0.2)
        worker.join()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(json.dumps({"chars": len(text), "check": answer, "healthz_polls": polls,
                      "healthz_slowest_ms": round(slowest * 1000, 1),
                      "search_slowest_ms": round(slowest_search * 1000, 1)}, ensure_ascii=False))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    p = sub.add_parser("kills")
    p.add_argument("--kills", type=int, default=10)
    p.add_argument("--docs", type=int, default=3000)
    p.add_argument("--embed", action="store_true")
    p = sub.add_parser("long")
    p.add_argument("--db", required=True)
    p.add_argument("--post", required=True, help="a long Arabic text file")
    args = parser.parse_args()
    return kills(args) if args.what == "kills" else long(args)


if __name__ == "__main__":
    sys.exit(main())
