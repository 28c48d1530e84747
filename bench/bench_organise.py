"""Organising ANT into stories: all of its distinct articles (about 30,000), in date order.

    python bench/bench_organise.py [--data ../shared/data] [--db DIR] [--limit N]

Stores the articles (documents only: the organise stage reads nothing else), then times
``StoryClusterer.sync`` from nothing, with the time at every 10,000 documents, the peak memory of the
process, the stories it made, and the time to place a checked claim in its story. Prints a markdown block
for BENCHMARKS.md. Not a test.
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path

from tabayyun.evaluation.stories import ant_documents
from tabayyun.ingest import content_hash
from tabayyun.organise.stories import StoryClusterer
from tabayyun.store import SQLiteStore

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--db", help="folder for the evidence base (default: a temporary one)")
    ap.add_argument("--limit", type=int)
    args = ap.parse_args()
    load_before = os.getloadavg()
    docs = ant_documents(Path(args.data), args.limit)
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(args.db or tmp)
        for i in range(0, len(docs), 2000):
            store.add_documents([(d, content_hash(d.text), []) for d in docs[i:i + 2000]])
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        clusterer = StoryClusterer(store)
        marks, done, start, cpu = [], 0, time.perf_counter(), time.process_time()
        while True:
            n = clusterer.sync_some(2000)
            if not n:
                break
            done += n
            if done % 10_000 == 0 or n < 2000:
                marks.append((done, time.perf_counter() - start, time.process_time() - cpu))
        total, total_cpu = time.perf_counter() - start, time.process_time() - cpu
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rng = random.Random(0)
        attach = []
        for _ in range(200):  # a checked claim: the first sentence of an article, five evidence documents
            picked = rng.sample(docs, 5)
            t0 = time.perf_counter()
            StoryClusterer(store).attach(picked[0].text[:200], [(d.id, 0.5) for d in picked], picked[0].date)
            attach.append(time.perf_counter() - t0)
        stories = store.list_stories(limit=10**9)
        store.close()
    sizes = sorted((len(s.documents) for s in stories), reverse=True)
    multi = [s for s in stories if len(s.sources) >= 3]
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
          f"load average before: {load_before}")
    print("command: python bench/bench_organise.py" + (f" --limit {args.limit}" if args.limit else ""))
    print("\n| documents organised | seconds | CPU seconds of this process | documents/s |\n|---|---|---|---|")
    for n, t, c in marks:
        print(f"| {n:,} | {t:.1f} | {c:.1f} | {n / t:.0f} |")
    print(f"\ntotal {total:.1f} s ({total_cpu:.1f} s CPU) for {len(docs):,} documents; load average after: "
          f"{os.getloadavg()}; peak memory {rss:.0f} MB "
          f"(after storing the documents: {rss_before:.0f} MB); {len(stories):,} stories, "
          f"largest {sizes[:5]}, {sum(s > 1 for s in sizes):,} with 2+ documents, {len(multi):,} with 3+ sources")
    print(f"story of a checked claim (attach, 5 evidence documents, fresh clusterer): p50 "
          f"{1000 * statistics.median(attach):.1f} ms, p95 {1000 * sorted(attach)[189]:.1f} ms; "
          f"stories split while organising: {clusterer.splits:,}")


if __name__ == "__main__":
    main()
