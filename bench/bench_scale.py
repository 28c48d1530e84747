"""Scale benchmark: a base of about 1,000,000 sentences (ANT plus documents built from sampled ANT
sentences), ingested in one run with the time at which 300k sentences were stored, then retrieval and
full verify latency at 1M.

    python bench/bench_scale.py [--data ../shared/data] [--sentences 1000000] [--claims 100]

Prints a markdown block for BENCHMARKS.md (with the load average). Not a test.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import platform
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import Iterator

from tabayyun.pipeline import Tabayyun
from tabayyun.records import Document
from tabayyun.text import split_sentences

ROOT = Path(__file__).resolve().parents[1]


def ant(data: Path) -> list[dict]:
    with gzip.open(data / "ant_multisource" / "ant_multisource_v2.1.jsonl.gz", "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def documents(records: list[dict], target: int, seed: int) -> Iterator[Document]:
    """ANT's articles, then articles of 10 sentences sampled from ANT (each a new text) until about
    ``target`` sentences (ANT's own count about 304k)."""
    rng = random.Random(seed)
    pool: list[str] = []
    for r in records:
        ymd = r["docno"].rsplit("-", 1)[-1]
        date = f"{ymd[:4]}-{ymd[4:6]}-{ymd[6:8]}" if len(ymd) == 8 and ymd.isdigit() else None
        pool.extend(r["text"][a:b] for a, b in split_sentences(r["text"]))
        yield Document(id=r["docno"], text=r["text"], title=r["title"], source=r["source"], date=date)
    made = 0
    while made * 10 < target - 304_000:
        yield Document(id=f"synthetic-{made}", text=" ".join(rng.sample(pool, 10)), title="", source="synthetic",
                       date=f"2020-{1 + made % 12:02d}-{1 + made % 28:02d}")
        made += 1


def p50_p95(values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    return f"{statistics.median(ms):.1f} / {ms[int(0.95 * (len(ms) - 1))]:.1f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--sentences", type=int, default=1_000_000)
    ap.add_argument("--claims", type=int, default=100)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()
    load_start = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix="tabayyun-scale-"))
    tb = Tabayyun(work / "db", create=True)
    marks: dict[int, float] = {}
    t0 = time.perf_counter()

    def on_batch(_: int) -> None:
        stored = tb.store.counts()["sentences"]
        for mark in (300_000, args.sentences):
            if stored >= mark and mark not in marks:
                marks[mark] = time.perf_counter() - t0

    summary = tb.add_documents(documents(ant(args.data), args.sentences, args.seed), batch_size=2000,
                               on_batch=on_batch)
    ingest_s = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sentences = tb.store.counts()["sentences"]
    with open(args.data / "ans" / "claim" / "test.csv", encoding="utf-8") as fh:
        claims = [row["claim_s"] for row in csv.DictReader(fh)][200:200 + args.claims]
    lexical = []
    for claim in claims:
        t = time.perf_counter()
        tb.retriever.lexical.search(claim, 50)
        lexical.append(time.perf_counter() - t)
    cold, warm = [], []
    for times in (cold, warm):
        for claim in claims:
            t = time.perf_counter()
            tb.verify(claim)
            times.append(time.perf_counter() - t)
    rate_300k = 300_000 / marks[300_000] if 300_000 in marks else float("nan")
    print(f"### Scale benchmark ({time.strftime('%Y-%m-%d')})\n")
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores; load average at start "
          f"{load_start[0]:.2f}, at end {os.getloadavg()[0]:.2f}")
    print(f"Command: `python bench/bench_scale.py --sentences {args.sentences} --claims {args.claims}`\n")
    print("| measure | value |\n|---|---|")
    print(f"| documents added / sentences stored | {summary.documents_added} / {sentences} |")
    print(f"| ingest (store, index, topics, stories), first 300k sentences | {marks.get(300_000, float('nan')):.0f} s "
          f"({rate_300k:.0f} sentences/s) |")
    print(f"| ingest, all {sentences} sentences | {ingest_s:.0f} s ({sentences / ingest_s:.0f} sentences/s) |")
    print(f"| peak memory (RSS) | {peak_mb:.0f} MB |")
    print(f"| BM25 top 50, p50 / p95 ({len(claims)} ANS claims) | {p50_p95(lexical)} |")
    print(f"| full verify, cold vectors, p50 / p95 | {p50_p95(cold)} |")
    print(f"| full verify, warm, p50 / p95 | {p50_p95(warm)} |")
    tb.close()


if __name__ == "__main__":
    main()
