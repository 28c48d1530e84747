"""Memory of ``serve`` over many requests: RSS of the server process as distinct requests go by.

    python bench/bench_serve.py --db DIR [--requests 10000] [--verify 0.1] [--search 0.4] [--every 500]

Serves a copy of the base DIR (``python -m tabayyun.service`` on a free 127.0.0.1 port) and sends it
``--requests`` requests from one client, one at a time: ``--verify`` of them ``POST /api/verify`` of a
distinct claim (the first 6-14 words of an ANT sentence, a fresh one each time), ``--search`` of them
``GET /api/search`` of a distinct query, the rest pages (the home page, a document as JSON and as a page,
the stories list, the search page). The server's RSS is read every ``--every`` requests; prints a markdown
block for BENCHMARKS.md: RSS over time, p50 latency per kind, non-2xx answers, load average. Flat memory is
RSS that stops growing once the bounded caches are full (the file pages of the lexical index, mapped, grow
with the share of the index that searches have read, up to its size). Not a test: figures depend on the machine.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import httpx
import psutil

from _server import free_port, start_server

ROOT = Path(__file__).resolve().parents[1]




def memory(proc: psutil.Process) -> tuple[float, float]:
    """RSS, and the part of it that is file pages (the index's mapped segments: the kernel can drop them), in MB."""
    info = proc.memory_info()
    return info.rss / 2**20, getattr(info, "shared", 0) / 2**20


def texts(data: Path, n: int, seed: int) -> tuple[list[str], list[str]]:
    """``n`` distinct ANT sentences cut to 6-14 words, and the ids of the documents they come from."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out, ids = [], []
    with gzip.open(data / "ant_multisource" / "ant_multisource_v2.1.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            for sentence in rec["text"].split("."):
                words = sentence.split()
                if len(words) < 8:
                    continue
                text = " ".join(words[:rng.randint(6, 14)])
                if text not in seen:
                    seen.add(text)
                    out.append(text)
                    ids.append(rec["docno"])
            if len(out) >= n:
                break
    order = list(range(len(out)))
    rng.shuffle(order)
    return [out[i] for i in order], [ids[i] for i in order]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--requests", type=int, default=10_000)
    ap.add_argument("--verify", type=float, default=0.1, help="share of POST /api/verify (distinct claims)")
    ap.add_argument("--search", type=float, default=0.4, help="share of GET /api/search (distinct queries)")
    ap.add_argument("--every", type=int, default=500, help="read the RSS every this many requests")
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    pool, doc_ids = texts(args.data, args.requests, args.seed)
    work = Path(tempfile.mkdtemp(prefix="tabayyun-bench-serve-"))
    shutil.copytree(args.db, work / "db")
    port = free_port()
    proc = start_server(str(work / "db"), port)
    server = psutil.Process(proc.pid)
    base = f"http://127.0.0.1:{port}"
    samples = [(0, 0.0, *memory(server), os.getloadavg()[0])]
    times: dict[str, list[float]] = {"verify": [], "search": [], "page": []}
    failed: dict[str, int] = {}
    t_start = time.perf_counter()
    try:
        with httpx.Client(base_url=base, timeout=120) as client:
            for n in range(1, args.requests + 1):
                text, doc_id = pool[(n - 1) % len(pool)], doc_ids[(n - 1) % len(pool)]
                draw = rng.random()
                t0 = time.perf_counter()
                if draw < args.verify:
                    kind, answer = "verify", client.post("/api/verify", json={"claim": text})
                elif draw < args.verify + args.search:
                    kind, answer = "search", client.get("/api/search", params={"q": " ".join(text.split()[:5])})
                else:
                    kind = "page"
                    quoted = urllib.parse.quote(doc_id, safe="")
                    path = rng.choice(["/", f"/api/documents/{quoted}", f"/documents/{quoted}", "/stories",
                                       "/api/stories?limit=20", "/search?q=" + urllib.parse.quote(text.split()[0])])
                    answer = client.get(path)
                times[kind].append(time.perf_counter() - t0)
                if not 200 <= answer.status_code < 300:
                    failed[f"{kind} {answer.status_code}"] = failed.get(f"{kind} {answer.status_code}", 0) + 1
                if n % args.every == 0:
                    samples.append((n, time.perf_counter() - t_start, *memory(server), os.getloadavg()[0]))
                    print(f"{n} requests, {samples[-1][1]:.0f} s: RSS {samples[-1][2]:.0f} MB", file=sys.stderr)
    finally:
        proc.terminate()
        proc.wait(30)
        shutil.rmtree(work, ignore_errors=True)
    print(f"### serve memory ({time.strftime('%Y-%m-%d')})\n\nCommand: `python bench/bench_serve.py --db DIR "
          f"--requests {args.requests} --verify {args.verify} --search {args.search}` ({os.cpu_count()} cores)\n")
    print(f"Requests one at a time: {len(times['verify'])} POST /api/verify of distinct claims (p50 "
          f"{statistics.median(times['verify']) * 1000:.0f} ms), {len(times['search'])} distinct searches (p50 "
          f"{statistics.median(times['search']) * 1000:.0f} ms), {len(times['page'])} pages (p50 "
          f"{statistics.median(times['page']) * 1000:.0f} ms); answers not 2xx: {failed or 'none'}.\n")
    print("| requests | seconds | server RSS | of it, file pages (index and base, mapped) | load average |")
    print("|---|---|---|---|---|")
    for n, seconds, rss, shared, load in samples:
        print(f"| {n} | {seconds:.0f} | {rss:.0f} MB | {shared:.0f} MB | {load:.2f} |")


if __name__ == "__main__":
    main()
