"""In-process ingest of the same ANT articles by several source trees, paired, and the bases they make compared.

    python bench/bench_ingest_paired.py [--docs N] [--rounds R] [--src DIR ...] [--keep DIR]

Each round ingests the first ``--docs`` ANT articles (``evaluation.stories.ant_documents``: distinct texts in date
order) into a new SQLite base once per source tree (``--src``: a folder holding the ``tabayyun`` package, e.g. a
checkout's ``src``; default: this one), alternating, each in a fresh process (what ``Tabayyun.add_documents`` does
in one process, batches of 1,000: ``prepare``, then ``add_prepared``: store, index, stories), and reports the wall and
CPU seconds of the ingest (the models loaded before the clock), the CPU of the commit alone (what the one committer
of ``ingest --dask`` does) and the load average. The bases of the first round are then compared table by table and by the BM25
hits of every tenth sentence (``tests/scale/test_ingest.snapshot``, read by this tree's code; the meta table
without the code digests that version what checks keep): the script fails when two trees made different bases. Not a test.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.scale.test_ingest import snapshot  # noqa: E402


def compared(db: Path) -> dict[str, str]:
    """``snapshot`` of a base, its meta table without the versions of what checks keep (digests of the code that
    computes it: a change of the text code changes them by design, whatever the base holds)."""
    out = snapshot(db)
    conn = sqlite3.connect(db / "tabayyun.sqlite")
    rows = [row for row in conn.execute("SELECT * FROM meta ORDER BY 1, 2")
            if not row[0].startswith("lexical_indexed_upto:")
            and not (row[0].startswith("vector_spec:") and not row[1].startswith("{"))]
    conn.close()
    out["meta"] = f"{len(rows)} {hashlib.sha256(repr(rows).encode()).hexdigest()}"
    return out

_CHILD = """
import json, os, sys, time
from pathlib import Path
from tabayyun.evaluation.stories import ant_documents
from tabayyun.pipeline import Tabayyun
docs = ant_documents(Path(sys.argv[1]), int(sys.argv[2]))
tb = Tabayyun(Path(sys.argv[3]), create=True)
load, wall, cpu = os.getloadavg()[0], time.perf_counter(), time.process_time()
commit = sentences = 0
for i in range(0, len(docs), 1000):  # what ``add_documents`` does in one process, the commit timed apart
    prepared = tb.prepare(docs[i:i + 1000])
    start = time.process_time()
    sentences += tb.add_prepared(prepared).sentences
    commit += time.process_time() - start
cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
tb.close()
print(json.dumps({"cpu": cpu, "commit": commit, "wall": wall, "sentences": sentences,
                  "load": [load, os.getloadavg()[0]]}))
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--src", action="append", help="source tree to time (repeat to compare)")
    ap.add_argument("--keep", help="keep the first round's bases under this folder")
    args = ap.parse_args()
    trees = args.src or [str(ROOT / "src")]
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="tabayyun-paired-"))
    runs: dict[str, list[dict]] = {t: [] for t in trees}
    for r in range(args.rounds):
        for n, tree in enumerate(trees if r % 2 == 0 else trees[::-1]):
            db = work / f"r{r}-{trees.index(tree)}"
            env = {**os.environ, "PYTHONPATH": tree, "OMP_NUM_THREADS": "1"}
            run = subprocess.run([sys.executable, "-c", _CHILD, args.data, str(args.docs), str(db)], env=env,
                                 capture_output=True, text=True)
            if run.returncode:
                sys.exit(run.stderr[-2000:])
            result = json.loads(run.stdout.strip().splitlines()[-1])
            runs[tree].append(result)
            print(f"round {r + 1} {tree}: {json.dumps(result)}", file=sys.stderr)
            if r:
                shutil.rmtree(db)
    digests = {tree: compared(work / f"r0-{i}") for i, tree in enumerate(trees)}
    if not args.keep:
        shutil.rmtree(work)
    sentences = runs[trees[0]][0]["sentences"]
    loads = [x for rs in runs.values() for r in rs for x in r["load"]]
    print(f"{args.docs} ANT articles ({sentences} sentences), in-process, {args.rounds} rounds alternating, "
          f"load average (1 min) {min(loads):.1f}-{max(loads):.1f}\n")
    print("| source | CPU s per round (of it the commit) | median sentences per CPU s (commit alone) | wall s per round | "
          "median sentences/s (wall) |")
    print("|---|---|---|---|---|")
    for tree, rs in runs.items():
        cpu, commit, wall = [r["cpu"] for r in rs], [r["commit"] for r in rs], [r["wall"] for r in rs]
        print(f"| {tree} | {', '.join(f'{x:.1f} ({c:.1f})' for x, c in zip(cpu, commit))} | "
              f"{statistics.median(sentences / x for x in cpu):.0f} ({statistics.median(sentences / x for x in commit):.0f}) | "
              f"{', '.join(f'{x:.1f}' for x in wall)} | {statistics.median(sentences / x for x in wall):.0f} |")
    first = digests[trees[0]]
    same = all(d == first for d in digests.values())
    print(f"\nbases {'identical' if same else 'DIFFERENT'} ({', '.join(f'{k} {v}' for k, v in sorted(first.items()))})")
    if not same:
        for tree, d in digests.items():
            print(tree, {k: v for k, v in d.items() if v != first.get(k)})
        sys.exit(1)


if __name__ == "__main__":
    main()
