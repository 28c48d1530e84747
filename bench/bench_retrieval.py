"""Does retrieval keep the decisive evidence as the base grows? Recall of gold evidence at 5 and 20.

    python bench/bench_retrieval.py [--data ../shared/data] [--sizes 0 1000 10000 30000]

One base holds every AuRED dev timeline (folds 1-2, one document per tweet), the seed's Reuters
report and N background articles from ANT (train and dev splits, in a fixed random order); for each
N, every AuRED rumour with gold evidence and the seed's paraphrase queries (gold: the report
sentence that states them) are retrieved as ``verify`` retrieves them (20 distinct documents): recall
in the first 5 and the 20 documents, and in the 5 that ``verify`` weighs (decisive first among the 50
candidate sentences, one per document). Prints a
markdown table for EVALUATION.md. Not a test: it reads ../shared and takes minutes.
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from tabayyun.evaluation.aured import load_aured
from tabayyun.pipeline import Tabayyun
from tabayyun.records import Document
from tabayyun.verify import decisive_first

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.conftest import seed_parts  # noqa: E402  (the seed report, split off its post)

# Seed queries (our own wording) and the position of the report sentence that states each one.
SEED_QUERIES = [
    ("قسد أفرجت عن مئات من عناصر داعش", 10),
    ("أسرت قوات سوريا الديمقراطية 157 مقاتلا أغلبهم أجانب", 13),
    ("غادر أكثر من ستين ألف شخص الباغوز في الشهرين الأخيرين", 15),
    ("بين الخارجين من الباغوز نحو خمسة آلاف مقاتل", 15),
    ("مصطفى بالي يدير المركز الإعلامي لقسد", 2),
    ("بعض المقاتلين استخدموا أطفالهم دروعا بشرية", 5),
    ("سكان المخيم أكلوا الحشائش بسبب نقص الطعام", 9),
    ("سيطر التنظيم عام 2014 على ثلث مساحة سوريا والعراق", 6),
    ("المتحدث باسم داعش قال إن التنظيم سيبقى قويا", 16),
]


def background(data: Path, n: int, seed: int = 13) -> list[Document]:
    """``n`` ANT train/dev articles, de-duplicated by text, in a fixed random order."""
    rows, seen = [], set()
    with gzip.open(data / "ant_multisource" / "ant_multisource_v2.1.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if rec["split"] != "test" and rec["text_md5"] not in seen:
                seen.add(rec["text_md5"])
                rows.append(rec)
    random.Random(seed).shuffle(rows)
    return [Document(id=r["docno"], text=r["text"], title=r["title"], source=r["source"]) for r in rows[:n]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--sizes", type=int, nargs="+", default=[0, 1000, 10000, 30000])
    args = ap.parse_args()
    rumours = [r for r in load_aured(args.data / "aured_dev" / "aured_folds1-2.jsonl") if r.evidence_ids]
    every = load_aured(args.data / "aured_dev" / "aured_folds1-2.jsonl")
    report, _ = seed_parts()
    extra = background(args.data, max(args.sizes))
    print("| background articles | sentences | AuRED R@5 | AuRED R@20 | AuRED weighed | seed R@5 | seed R@20 | "
          "seed weighed | ms/query |")
    print("|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        tb = Tabayyun(tmp, create=True)
        tb.add_documents([Document(id="seed-reuters", text=report, source="Reuters", date="2019-03-19")])
        tb.add_documents([d for r in every for d in r.timeline])
        seed_ids = {s.position: s.id for s in tb.store.document_sentences("seed-reuters")}
        have = 0
        for size in sorted(args.sizes):
            tb.add_documents(extra[have:size])
            have = size
            t0, n = time.perf_counter(), 0
            aured: dict[int | str, list[float]] = {5: [], 20: [], "weighed": []}
            for r in rumours:
                found = tb.retrieve(r.text, 20)
                weighed = decisive_first(r.text, tb.retriever.candidates(r.text), 5)
                n += 1
                for k, chosen in ((5, found[:5]), (20, found), ("weighed", weighed)):
                    ids = {i for e in chosen for i in (e.document.id, *e.also_ids)}
                    aured[k].append(len(r.evidence_ids & ids) / len(r.evidence_ids))
            seed: dict[int | str, list[float]] = {5: [], 20: [], "weighed": []}
            for query, position in SEED_QUERIES:
                found = tb.retrieve(query, 20)
                weighed = decisive_first(query, tb.retriever.candidates(query), 5)
                n += 1
                for k, chosen in ((5, found[:5]), (20, found), ("weighed", weighed)):
                    seed[k].append(float(seed_ids[position] in {e.sentence.id for e in chosen}))
            ms = (time.perf_counter() - t0) / n * 1000
            mean = lambda xs: sum(xs) / len(xs)  # noqa: E731
            print(f"| {size:,} | {tb.store.counts()['sentences']:,} | {mean(aured[5]):.3f} | {mean(aured[20]):.3f} | "
                  f"{mean(aured['weighed']):.3f} | {mean(seed[5]):.2f} | {mean(seed[20]):.2f} | "
                  f"{mean(seed['weighed']):.2f} | {ms:.0f} |", flush=True)
        tb.close()


if __name__ == "__main__":
    main()
