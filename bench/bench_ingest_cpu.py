"""CPU of ingest's order-free work (``prepare``) per sentence, paired across source trees.

    python bench/bench_ingest_cpu.py [--docs N] [--rounds R] [--src DIR ...]

Each round runs ``prepare`` over the same ANT articles once per source tree (``--src``: a folder holding
the ``tabayyun`` package, e.g. a checkout's ``src``; default: this one), alternating, in fresh
processes, and reports the CPU seconds per sentence of each: a paired comparison that the machine's
other work affects alike. Also checks that every tree gives the same output. Not a test.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHILD = """
import hashlib, json, sys, time
from pathlib import Path
from tabayyun.evaluation.stories import ant_documents
from tabayyun.ingest.prepare import prepare
from tabayyun.organise.stories import StoryConfig
from tabayyun.organise.topics import TopicClassifier
docs = ant_documents(Path(sys.argv[1]), int(sys.argv[2]))
topics = TopicClassifier.pretrained()
prepare(docs[:20], topics, StoryConfig())  # load lexicons and models before the clock
cpu = time.process_time()
out = prepare(docs, topics, StoryConfig())
cpu = time.process_time() - cpu
digest = hashlib.sha1(repr([(p.digest, p.sentences, p.terms, p.topics, sorted(p.lead.counts.items()),
                             sorted(p.lead.surface.items()), sorted(p.lead.entities)) for p in out]).encode())
print(json.dumps({"cpu": cpu, "sentences": sum(len(p.sentences) for p in out), "digest": digest.hexdigest()}))
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--docs", type=int, default=1500)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--src", action="append", help="source tree to time (repeat to compare)")
    args = ap.parse_args()
    trees = args.src or [str(ROOT / "src")]
    per: dict[str, list[float]] = {t: [] for t in trees}
    digests: dict[str, set[str]] = {t: set() for t in trees}
    loads = [os.getloadavg()[0]]
    for _ in range(args.rounds):
        for tree in trees:
            env = {**os.environ, "PYTHONPATH": tree, "OMP_NUM_THREADS": "1"}
            run = subprocess.run([sys.executable, "-c", _CHILD, args.data, str(args.docs)], env=env,
                                 capture_output=True, text=True, check=True)
            result = json.loads(run.stdout.strip().splitlines()[-1])
            per[tree].append(result["cpu"] / result["sentences"] * 1e6)
            digests[tree].add(result["digest"])
        loads.append(os.getloadavg()[0])
    print(f"{args.docs} ANT articles, {args.rounds} rounds, load average (1 min) {min(loads):.1f}-{max(loads):.1f}")
    print("| source | µs CPU per sentence (median) | rounds | output digest |")
    print("|---|---|---|---|")
    for tree in trees:
        print(f"| {tree} | {statistics.median(per[tree]):.0f} | {', '.join(f'{x:.0f}' for x in per[tree])} | "
              f"{', '.join(sorted(d[:10] for d in digests[tree]))} |")
    if len({d for ds in digests.values() for d in ds}) > 1:
        sys.exit("the source trees gave different output")


if __name__ == "__main__":
    main()
