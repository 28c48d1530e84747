"""Store backends side by side: ingest the first N ANT documents into SQLite and into PostgreSQL, then time
warm verify on both (the same claims, interleaved: paired runs).

    TABAYYUN_TEST_PG=postgresql:///tabayyun_test python bench/bench_store.py [--docs 2000] [--claims 30]

A database is created on that server for the run and dropped after. Prints a markdown table for
BENCHMARKS.md. Not a test: figures depend on the machine.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import psycopg

from tabayyun.pipeline import IngestSummary, Tabayyun

ROOT = Path(__file__).resolve().parents[1]


def ant_sample(data: Path, out: Path, n: int) -> None:
    """The first ``n`` ANT documents in the ingest shape."""
    with gzip.open(data / "ant_multisource" / "ant_multisource_v2.1.jsonl.gz", "rt", encoding="utf-8") as src, \
            open(out, "w", encoding="utf-8") as dst:
        for _, line in zip(range(n), src):
            rec = json.loads(line)
            dst.write(json.dumps({"id": rec["docno"], "title": rec["title"], "text": rec["text"],
                                  "source": rec["source"]}, ensure_ascii=False) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--claims", type=int, default=30)
    ap.add_argument("--pg", default=os.environ.get("TABAYYUN_TEST_PG", "postgresql:///tabayyun_test"))
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tabayyun-bench-store-"))
    corpus = work / "ant.jsonl"
    ant_sample(args.data, corpus, args.docs)
    name = f"tabayyun_bench_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(args.pg, autocommit=True)
    admin.execute(f"CREATE DATABASE {name}")
    url = args.pg.rsplit("/", 1)[0] + "/" + name
    rows = []
    try:
        bases = {"SQLite": str(work / "lite"), "PostgreSQL": url}
        tbs: dict[str, tuple[Tabayyun, IngestSummary, float]] = {}
        for label, db in bases.items():
            tb = Tabayyun(db, create=True, index_dir=work / "pg-index")
            t0 = time.perf_counter()
            summary = tb.ingest([corpus], skip_invalid=True)
            tbs[label] = (tb, summary, time.perf_counter() - t0)
        lite = tbs["SQLite"][0]
        rng = random.Random(13)
        sentences = [s for b in lite.store.iter_sentences() for s in b if 40 <= len(s.text) <= 200]
        claims = [s.text for s in rng.sample(sentences, args.claims)]
        times: dict[str, list[float]] = {label: [] for label in tbs}
        for round_ in range(2):  # round 0 warms encoders and vector caches; round 1 is timed
            for claim in claims:
                for label, (tb, _, _) in tbs.items():
                    t0 = time.perf_counter()
                    tb.verify(claim)
                    if round_:
                        times[label].append(time.perf_counter() - t0)
        for label, (tb, summary, seconds) in tbs.items():
            rows.append(f"| {label} | {summary.documents_added} | {summary.sentences_indexed} | {seconds:.1f} | "
                        f"{summary.documents_added / seconds:.0f} | {summary.sentences_indexed / seconds:.0f} | "
                        f"{statistics.median(times[label]) * 1000:.1f} |")
            tb.close()
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()
    print(f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
          f"load average at end {os.getloadavg()[0]:.2f}; {args.docs} ANT documents, {args.claims} claims "
          "(ANT sentences), verify warm = second pass, paired")
    print("| store | documents | sentences | ingest s | documents/s | sentences/s | verify p50 warm (ms) |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
