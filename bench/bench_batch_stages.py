"""Where the CPU of a warm ``batch`` goes, per stage and per claim, without a profiler (a profiler inflates the
many small calls of the fact checks and features several times).

    python bench/bench_batch_stages.py BASE FEED [--steady N] [--out FILE] [--all]

Runs ``run_batch`` on a copy of ``BASE`` (a base that has seen ``FEED``: its vectors and facts stored) in this
process, with the CPU time (``time.process_time``) of a few stages summed around their calls; nested stages are
indented and included in their parent. ``--steady N``: the first N posts run first, untimed, in the same process
(a worker that stays up: models loaded, caches warm), then the rest is timed. Prints the CPU per claim. ``--out``:
keep the timed run's output there (to compare runs byte for byte); ``--all``: every claim, as ``batch --all``.
"""
from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from tabayyun import pipeline
from tabayyun.index.retriever import Retriever
from tabayyun.models import stance
from tabayyun.organise.stories import StoryClusterer
from tabayyun.organise.topics import TopicClassifier
from tabayyun.scale import run_batch
from tabayyun.scale.batch import Output
from tabayyun.verify import CheckedStance, StoredFacts

from bench_scale import timed

CPU: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)

STAGES = [(pipeline.Tabayyun, "post_claims", "post_claims (split, worthiness, topics)"),
          (pipeline, "extract_claims", "  split and worthiness"),
          (TopicClassifier, "predict", "topics (every call)"),
          (pipeline.Tabayyun, "select", "select"), (Retriever, "candidates", "  retrieve 50 candidates"),
          (StoredFacts, "load", "  read their stored facts"),
          (pipeline.Tabayyun, "judge", "judge"), (CheckedStance, "_predict", "  stance"),
          (stance.LearnedStance, "sentence_inputs", "    the model's pair features"),
          (stance.LearnedStance, "pair_proba", "    the model's heads"),
          (StoryClusterer, "attach", "stories.attach (claims and posts)"),
          (pipeline.Tabayyun, "place_post", "place_post"), (Output, "write", "output")]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("base", type=Path)
    ap.add_argument("feed", type=Path)
    ap.add_argument("--steady", type=int, default=0, metavar="N", help="run the first N posts first, untimed")
    ap.add_argument("--out", type=Path, default=None, help="keep the timed run's output in this file")
    ap.add_argument("--all", action="store_true", help="verify every claim, not only check-worthy ones")
    args = ap.parse_args()
    for owner, name, label in STAGES:
        timed(owner, name, CPU, label, time.process_time, CALLS)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = work / "db"
        shutil.copytree(args.base, db)
        feed = args.feed
        if args.steady:
            lines = feed.read_text(encoding="utf-8").splitlines(keepends=True)
            (work / "first.jsonl").write_text("".join(lines[:args.steady]), encoding="utf-8")
            (work / "rest.jsonl").write_text("".join(lines[args.steady:]), encoding="utf-8")
            run_batch([work / "first.jsonl"], db, work / "first.out", all_claims=args.all, progress=False)
            feed = work / "rest.jsonl"
            CPU.clear()
            CALLS.clear()
        load = os.getloadavg()[0]
        start = time.process_time()
        summary = run_batch([feed], db, work / "out.jsonl", all_claims=args.all, progress=False)
        cpu = time.process_time() - start
        if args.out is not None:
            shutil.copyfile(work / "out.jsonl", args.out)
    n = max(1, summary.claims)
    print(f"{summary.posts} posts, {summary.claims} claims: {cpu:.2f} s of CPU, {1000 * cpu / n:.1f} ms a claim "
          f"({n / cpu:.1f} claims per CPU second); load average {load:.2f} / {os.getloadavg()[0]:.2f}\n")
    print("| stage | ms of CPU a claim | share | calls |\n|---|---|---|---|")
    for _, _, label in STAGES:
        if CALLS[label]:
            print(f"| {label.replace('  ', '&nbsp;&nbsp;')} | {1000 * CPU[label] / n:.2f} | "
                  f"{100 * CPU[label] / cpu:.0f}% | {CALLS[label]} |")


if __name__ == "__main__":
    main()
