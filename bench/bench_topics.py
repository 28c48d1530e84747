"""Speed of the topic classifier: loading, one post per call (the cost `check` adds), documents/s at ingest.

    python bench/bench_topics.py [--data ../shared/data] [--n 2000]

Prints a markdown table for BENCHMARKS.md. Not a test: figures depend on the machine.
"""
from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from tabayyun.evaluation.controls import load_seed_post
from tabayyun.organise import TopicClassifier
from tabayyun.organise.train import load_ant

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--n", type=int, default=2000)
    args = ap.parse_args()
    start = time.perf_counter()
    model = TopicClassifier.pretrained()
    load_s = time.perf_counter() - start
    post = load_seed_post(args.data.parent / "seed")
    model.predict([post])
    times = []
    for _ in range(200):
        start = time.perf_counter()
        model.predict([post])
        times.append(time.perf_counter() - start)
    docs = load_ant(args.data, ("dev", "test"))[:args.n]
    start = time.perf_counter()
    model.predict([d.text for d in docs], [d.title for d in docs])
    rate = len(docs) / (time.perf_counter() - start)
    print("| measure | value | goal |\n|---|---|---|")
    print(f"| loading the topic model | {load_s:.3f} s | — |")
    print(f"| topics of the seed post, one call (median of 200; p95) | {1000 * statistics.median(times):.2f} ms; "
          f"{1000 * sorted(times)[189]:.2f} ms | < 20 ms |")
    print(f"| topics of ANT articles (title + first 1,000 characters), one batch of {len(docs)} | "
          f"{rate:,.0f} documents/s | — |")
    print(f"\nload average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
