"""Core benchmark: ingest the ANT corpus, then time retrieval and full verification; compare with bm25s.

    python bench/bench_core.py [--data ../shared/data] [--db /tmp/tabayyun-ant] [--claims 200]

Prints a markdown block for BENCHMARKS.md. Not a test: figures depend on the machine.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import json
import platform
import random
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from tabayyun.pipeline import Tabayyun
from tabayyun.text import analyze

ROOT = Path(__file__).resolve().parents[1]


def ant_as_jsonl(data: Path, out: Path) -> int:
    """ANT in the ingest shape (date from the docno's YYYYMMDD)."""
    n = 0
    with gzip.open(data / "ant_multisource" / "ant_multisource_v2.1.jsonl.gz", "rt", encoding="utf-8") as src, \
            open(out, "w", encoding="utf-8") as dst:
        for line in src:
            rec = json.loads(line)
            ymd = rec["docno"].rsplit("-", 1)[-1]
            date = f"{ymd[:4]}-{ymd[4:6]}-{ymd[6:8]}" if len(ymd) == 8 and ymd.isdigit() else None
            dst.write(json.dumps({"id": rec["docno"], "title": rec["title"], "text": rec["text"],
                                  "source": rec["source"], "date": date, "url": rec["url"]}, ensure_ascii=False) + "\n")
            n += 1
    return n


def percentiles(values: list[float]) -> tuple[float, float]:
    arr = np.array(values) * 1000
    return float(np.percentile(arr, 50)), float(np.percentile(arr, 95))


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--claims", type=int, default=200)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--embed-docs", type=int, default=300, help="documents for the ingest-with-vectors sample")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tabayyun-bench-"))
    db = args.db or work / "db"
    if db.exists():
        shutil.rmtree(db)
    corpus = work / "ant.jsonl"
    n_docs = ant_as_jsonl(args.data, corpus)

    # 1. ingest (no embeddings: vectors are computed lazily at verify time and cached)
    t0 = time.perf_counter()
    tb = Tabayyun(db, create=True)
    summary = tb.ingest([corpus], skip_invalid=True)
    ingest_s = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sqlite_mb = tb.store.path.stat().st_size / 2**20
    index_mb = dir_size(db / "index") / 2**20

    # 2. claims: ANS claims (headlines, for latency) and ANT sentences (for recall@10 of their source)
    with open(args.data / "ans" / "claim" / "test.csv", encoding="utf-8") as fh:
        ans_claims = [row["claim_s"] for row in csv.DictReader(fh)][: args.claims]
    rng = random.Random(args.seed)
    total = tb.store.max_sentence_id()
    picked = tb.store.get_sentences(rng.sample(range(1, total + 1), args.claims))
    probes = []  # a query made from a sentence: its first 12 words, so the exact sentence is the target
    for sid, s in picked.items():
        words = s.text.split()
        if len(words) >= 8:
            probes.append((sid, " ".join(words[:12])))

    lex_times, verify_times = [], []
    for claim in ans_claims:
        t = time.perf_counter()
        tb.retriever.lexical.search(claim, 50)
        lex_times.append(time.perf_counter() - t)
    for claim in ans_claims:
        t = time.perf_counter()
        tb.verify(claim)
        verify_times.append(time.perf_counter() - t)
    warm_times = []
    for claim in ans_claims:
        t = time.perf_counter()
        tb.verify(claim)
        warm_times.append(time.perf_counter() - t)

    tantivy_hits = 0
    t = time.perf_counter()
    for sid, query in probes:
        tantivy_hits += sid in [h for h, _ in tb.retriever.lexical.search(query, 10)]
    tantivy_q_s = (time.perf_counter() - t) / len(probes)

    # 3. the same retrieval with a plain bm25s index over the same terms
    import bm25s

    ids, corpus_terms = [], []
    for batch in tb.store.iter_sentences():
        for s in batch:
            ids.append(s.id)
            corpus_terms.append(analyze(s.text))
    t = time.perf_counter()
    retriever = bm25s.BM25(k1=1.2, b=0.75, method="lucene")  # tantivy's parameters
    retriever.index(corpus_terms, show_progress=False)
    bm25s_index_s = time.perf_counter() - t
    bm25s_hits, bm25s_times = 0, []
    id_arr = np.array(ids)
    for sid, query in probes:
        terms = [q for q in analyze(query) if q in retriever.vocab_dict]
        t = time.perf_counter()
        if terms:
            docs, _ = retriever.retrieve([terms], k=10, show_progress=False)
            bm25s_hits += sid in set(id_arr[docs[0]].tolist())
        bm25s_times.append(time.perf_counter() - t)
    bm25s_q_s = statistics.mean(bm25s_times)
    batch = [[q for q in analyze(query) if q in retriever.vocab_dict] or ["-"] for _, query in probes]
    t = time.perf_counter()
    retriever.retrieve(batch, k=10, show_progress=False, n_threads=1)
    bm25s_batch_q_s = (time.perf_counter() - t) / len(batch)

    # 4. ingest with sentence vectors computed up front (a sample: the encoder is the slow part)
    sample = work / "sample.jsonl"
    with open(corpus, encoding="utf-8") as src, open(sample, "w", encoding="utf-8") as dst:
        for _, line in zip(range(args.embed_docs), src):
            dst.write(line)
    t = time.perf_counter()
    embedded = Tabayyun(work / "embedded", create=True).ingest([sample], skip_invalid=True, embed=True)
    embed_s = time.perf_counter() - t

    lp50, lp95 = percentiles(lex_times)
    vp50, vp95 = percentiles(verify_times)
    wp50, wp95 = percentiles(warm_times)
    print(f"""### Core benchmark ({time.strftime('%Y-%m-%d')})
Machine: {platform.processor() or platform.machine()}, {__import__('os').cpu_count()} cores, Python {platform.python_version()}
Command: `python bench/bench_core.py --claims {args.claims}`

| measure | value |
|---|---|
| ANT documents read | {n_docs} |
| documents added / skipped (duplicates) / invalid (empty text) | {summary.documents_added} / {summary.documents_skipped} / {len(summary.invalid)} |
| sentences indexed | {summary.sentences_indexed} |
| ingest time (validation pass + store + index) | {ingest_s:.1f} s |
| documents/s | {n_docs / ingest_s:.0f} |
| sentences/s | {summary.sentences_indexed / ingest_s:.0f} |
| peak memory (RSS) | {peak_mb:.0f} MB |
| SQLite store / tantivy index size | {sqlite_mb:.0f} MB / {index_mb:.0f} MB |
| retrieval (tantivy BM25, top 50) p50 / p95, {len(ans_claims)} ANS claims | {lp50:.1f} / {lp95:.1f} ms |
| full verify (BM25 top {tb.retriever.candidates_n} reranked, decisive-first, stance, verdict), cold embedding cache, p50 / p95 | {vp50:.0f} / {vp95:.0f} ms |
| full verify, same claims again (vectors cached), p50 / p95 | {wp50:.0f} / {wp95:.0f} ms |
| recall@10 of the source sentence ({len(probes)} probes: first 12 words of a random sentence), tantivy | {tantivy_hits / len(probes):.3f} |
| same, bm25s over the same terms | {bm25s_hits / len(probes):.3f} |
| mean query time tantivy / bm25s (top 10) | {tantivy_q_s * 1000:.2f} / {bm25s_q_s * 1000:.2f} ms (bm25s/tantivy = {bm25s_q_s / tantivy_q_s:.2f}) |
| same, bm25s given all {len(batch)} queries at once, per query | {bm25s_batch_q_s * 1000:.2f} ms |
| bm25s index build (terms already computed) | {bm25s_index_s:.1f} s |
| ingest with vectors (`--embed`), first {args.embed_docs} documents | {embedded.sentences_indexed / embed_s:.0f} sentences/s |
""")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
