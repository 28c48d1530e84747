"""Scale benchmark: a base of about 1,000,000 sentences (ANT plus documents built from sampled ANT
sentences), ingested in one run with the time and peak memory at which 300k sentences were stored, then
retrieval and full verify latency at 1M.

    python bench/bench_scale.py [--data ../shared/data] [--sentences 1000000] [--claims 100]
                                [--dask local:2] [--embed-docs 2000]

``--dask``: the batches are prepared on Dask workers (peak memory is then the sum over the client and its
workers); ``--claims 0`` measures the ingest only; ``--embed-docs N``: also ``--embed`` sentences/s over the
first N ANT articles, in a base of their own. Prints a markdown block for BENCHMARKS.md (with the load
average). Not a test.
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
import threading
import time
from pathlib import Path
from typing import Callable, Iterator

from tabayyun.pipeline import Tabayyun
from tabayyun.records import Document
from tabayyun.text import split_sentences

ROOT = Path(__file__).resolve().parents[1]


def ant(data: Path) -> list[dict]:
    with gzip.open(data / "ant_multisource" / "ant_multisource_v2.1.jsonl.gz", "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def sentence_pool(records: list[dict]) -> list[str]:
    """Every sentence of ANT, to sample documents from (computed before the clock starts)."""
    return [r["text"][a:b] for r in records for a, b in split_sentences(r["text"])]


def documents(records: list[dict], pool: list[str], target: int, seed: int) -> Iterator[Document]:
    """ANT's articles, then articles of 10 sentences sampled from ANT (each a new text) until about
    ``target`` sentences (ANT's own count about 304k)."""
    rng = random.Random(seed)
    for r in records:
        ymd = r["docno"].rsplit("-", 1)[-1]
        date = f"{ymd[:4]}-{ymd[4:6]}-{ymd[6:8]}" if len(ymd) == 8 and ymd.isdigit() else None
        yield Document(id=r["docno"], text=r["text"], title=r["title"], source=r["source"], date=date)
    made = 0
    while made * 10 < target - 304_000:
        yield Document(id=f"synthetic-{made}", text=" ".join(rng.sample(pool, 10)), title="", source="synthetic",
                       date=f"2020-{1 + made % 12:02d}-{1 + made % 28:02d}")
        made += 1


class PeakMemory:
    """Peak resident memory of this process and its children (Dask workers), sampled every 0.2 s."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def now(self) -> int:
        try:
            import psutil
        except ImportError:  # this process only
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        me = psutil.Process()
        total = me.memory_info().rss
        for child in me.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:
                pass
        return total

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, self.now())

    def mb(self) -> float:
        self.peak = max(self.peak, self.now())
        return self.peak / 2**20


def embed_rate(records: list[dict], n: int, dask: str | None) -> tuple[int, float]:
    """(sentences, seconds) of ``add_documents(embed=True)`` over the first ``n`` ANT articles in a new base."""
    tb = Tabayyun(Path(tempfile.mkdtemp(prefix="tabayyun-embed-")) / "db", create=True)
    docs = [Document(id=r["docno"], text=r["text"], title=r["title"], source=r["source"]) for r in records[:n]]
    t = time.perf_counter()
    summary = tb.add_documents(docs, batch_size=500, embed=True, **({"dask": dask} if dask else {}))
    seconds = time.perf_counter() - t
    tb.close()
    return summary.sentences_indexed, seconds


def timed(obj, name: str, totals: dict[str, float], label: str, clock: Callable[[], float] = time.perf_counter,
          calls: dict[str, int] | None = None) -> None:
    """Wrap ``obj.name`` so the seconds spent in it (by ``clock``: wall time unless told) add up in
    ``totals[label]``, and its calls in ``calls[label]`` when given."""
    inner = getattr(obj, name)

    def wrapper(*a, **k):
        t = clock()
        try:
            return inner(*a, **k)
        finally:
            totals[label] = totals.get(label, 0.0) + clock() - t
            if calls is not None:
                calls[label] = calls.get(label, 0) + 1
    setattr(obj, name, wrapper)


def stage_profile(records: list[dict], n: int) -> tuple[int, dict[str, float]]:
    """(sentences, seconds per stage) of an in-process ingest of the first ``n`` ANT articles, each stage of
    ``ingest.prepare`` timed on its own, then the commit (store, index, stories)."""
    from tabayyun.ingest.prepare import sentence_spans
    from tabayyun.organise.stories import lead_features
    from tabayyun.text import analyze

    tb = Tabayyun(Path(tempfile.mkdtemp(prefix="tabayyun-stages-")) / "db", create=True)
    docs = [Document(id=r["docno"], text=r["text"], title=r["title"], source=r["source"]) for r in records[:n]]
    totals: dict[str, float] = {}
    for label, work in (("topics (prepare)", lambda: tb.topics.predict([d.text for d in docs], [d.title for d in docs])),
                        ("sentence spans (prepare)", lambda: [sentence_spans(d.text) for d in docs]),
                        ("index terms, analyze (prepare)", lambda: [analyze(d.text[s.start:s.end]) for d in docs
                                                                    for s in sentence_spans(d.text)]),
                        ("story lead terms and entities (prepare)",
                         lambda: [lead_features(d.title, d.text, tb.stories.config) for d in docs])):
        t = time.perf_counter()
        work()
        totals[label] = time.perf_counter() - t
    totals["index terms, analyze (prepare)"] -= totals["sentence spans (prepare)"]
    prepared = [tb.prepare(docs[i:i + 1000]) for i in range(0, len(docs), 1000)]
    timed(tb.store, "add_documents", totals, "store: SQLite insert (commit)")
    timed(tb.retriever, "sync", totals, "index: tantivy add and commit (commit)")
    timed(tb.stories, "sync", totals, "stories: assign and save (commit)")
    sentences = sum(tb.add_prepared(batch).sentences for batch in prepared)
    tb.close()
    return sentences, totals


def p50_p95(values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    return f"{statistics.median(ms):.1f} / {ms[int(0.95 * (len(ms) - 1))]:.1f} ms"


def big_ingest(args, records: list[dict], memory: PeakMemory) -> list[str]:
    """The base of ``args.sentences`` in one ingest, then BM25 and verify on it: the table rows."""
    pool = sentence_pool(records)
    tb = Tabayyun(args.db or Path(tempfile.mkdtemp(prefix="tabayyun-scale-")) / "db", create=True)
    marks: dict[int, tuple[float, float, int]] = {}  # sentences -> (seconds, peak MB, sentences stored then)
    t0 = time.perf_counter()

    def on_batch(_: int) -> None:
        stored = tb.store.max_sentence_id()
        for mark in (300_000, args.sentences):
            if stored >= mark and mark not in marks:
                marks[mark] = (time.perf_counter() - t0, memory.mb(), stored)

    dask = {"dask": args.dask} if args.dask else {}  # (the code before --dask runs this script too)
    summary = tb.add_documents(documents(records, pool, args.sentences, args.seed), batch_size=2000,
                               on_batch=on_batch, **dask)
    ingest_s = time.perf_counter() - t0
    peak_mb = memory.mb()
    sentences = tb.store.counts()["sentences"]
    mode = f"Dask {args.dask}" if args.dask else "in-process"
    rows = [f"| documents added / sentences stored | {summary.documents_added} / {sentences} |"]
    for mark, (seconds, mb, stored) in sorted(marks.items()):
        rows.append(f"| ingest ({mode}: store, index, topics, stories), first {stored} sentences | {seconds:.0f} s "
                    f"({stored / seconds:.0f} sentences/s), peak memory {mb:.0f} MB |")
    rows.append(f"| ingest, all {sentences} sentences | {ingest_s:.0f} s ({sentences / ingest_s:.0f} sentences/s) |")
    rows.append(f"| peak memory (RSS{', client and workers' if args.dask else ''}) | {peak_mb:.0f} MB |")
    rows.append(f"| load average after the ingest | {'/'.join(f'{x:.2f}' for x in os.getloadavg())} |")
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
    tb.close()
    if claims:
        rows.append(f"| BM25 top 50, p50 / p95 ({len(claims)} ANS claims) | {p50_p95(lexical)} |")
        rows.append(f"| full verify, cold vectors, p50 / p95 | {p50_p95(cold)} |")
        rows.append(f"| full verify, warm, p50 / p95 | {p50_p95(warm)} |")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--sentences", type=int, default=1_000_000, help="0: no big ingest (only --embed-docs, --stages)")
    ap.add_argument("--claims", type=int, default=100)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--dask", help="prepare the batches on Dask workers: local[:N] or tcp://HOST:PORT")
    ap.add_argument("--db", help="where the base goes: a new folder, or an empty PostgreSQL database "
                                 "(postgresql://...); default a temporary folder")
    ap.add_argument("--embed-docs", type=int, default=0, help="also measure --embed over this many ANT articles")
    ap.add_argument("--stages", type=int, default=0, help="also time each stage of ingest over this many ANT articles")
    args = ap.parse_args()
    load_start = os.getloadavg()
    records = ant(args.data)
    memory = PeakMemory()
    rows = big_ingest(args, records, memory) if args.sentences else []
    mode = f"Dask {args.dask}" if args.dask else "in-process"
    if args.embed_docs:
        count, seconds = embed_rate(records, args.embed_docs, args.dask)
        rows.append(f"| ingest --embed ({mode}), first {args.embed_docs} ANT articles | {count} sentences in "
                    f"{seconds:.0f} s ({count / seconds:.0f} sentences/s) |")
    stages = stage_profile(records, args.stages) if args.stages else None
    print(f"### Scale benchmark ({time.strftime('%Y-%m-%d')}, ingest {mode})\n")
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores; load average (1/5/15 min) at start "
          f"{'/'.join(f'{x:.2f}' for x in load_start)}, at end {'/'.join(f'{x:.2f}' for x in os.getloadavg())}")
    options = ((f" --dask {args.dask}" if args.dask else "") + (" --db postgresql://..." if args.db and
                                                                 args.db.startswith("postgres") else "") + (f" --embed-docs {args.embed_docs}" if args.embed_docs else "")
               + (f" --stages {args.stages}" if stages else ""))
    print(f"Command: `python bench/bench_scale.py --sentences {args.sentences} --claims {args.claims}{options}`\n")
    if rows:
        print("| measure | value |\n|---|---|")
        print("\n".join(rows))
    if stages:
        count, totals = stages
        print(f"\nWhere an in-process ingest's time goes (first {args.stages} ANT articles, {count} sentences; "
              "each stage timed on its own, in one process):\n")
        print("| stage | s | µs per sentence | share |\n|---|---|---|---|")
        whole = sum(totals.values())
        for label, seconds in totals.items():
            print(f"| {label} | {seconds:.1f} | {1e6 * seconds / count:.0f} | {seconds / whole:.0%} |")
        print(f"| all | {whole:.1f} | {1e6 * whole / count:.0f} | 100% |")


if __name__ == "__main__":
    main()
