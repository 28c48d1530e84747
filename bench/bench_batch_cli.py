"""Cold ``tabayyun batch`` as a user runs it: the command line, a fresh copy of a base for every run.

    python bench/bench_batch_cli.py --base DIR [--base DIR2] --feed FEED.jsonl [--rounds 2] [--config inproc]
        [--config workers:2] [--config dask:local:2] [--nice 10]

Each configuration (``inproc``: no flag; ``workers:N``: ``--workers N``; ``dask:ADDR``: ``--dask ADDR``) runs
``python -m tabayyun.cli batch FEED --db COPY --out OUT`` on a fresh copy of each ``--base`` (no claim of the feed
ever checked on it), ``--rounds`` times, the order of the (base, configuration) pairs reversed every other round. Each is also run
on a feed of one post (the feed's first with a claim; a fresh copy again): its time is the start-up (interpreter,
models, base, worker processes) plus that post's claims. Prints a markdown table: wall, CPU of the process tree (user + system, its waited-for
children included), claims/s, claims per CPU second, the same with the start-up run's time taken off, peak RSS of
the process tree, load average before / after. Every run's output is compared byte for byte with the first.
Not a test: figures depend on the machine and its load.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_batch import tree_rss  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Run:
    """One timed ``tabayyun batch`` process."""

    config: str
    base: Path
    wall: float
    cpu: float
    claims: int
    peak_mb: float
    load: tuple[float, float]
    output: bytes


def flags(config: str) -> list[str]:
    """The command-line flags of a configuration name."""
    if config == "inproc":
        return []
    kind, _, value = config.partition(":")
    return [f"--{kind}", value]


def timed(config: str, base: Path, feed: Path, work: Path, nice: int) -> Run:
    """Run the CLI once on a fresh copy of ``base``."""
    db, out = work / "db", work / "out.jsonl"
    shutil.rmtree(db, ignore_errors=True)
    shutil.copytree(base, db)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    cmd = ["nice", "-n", str(nice), sys.executable, "-m", "tabayyun.cli", "batch", str(feed), "--db", str(db),
           "--out", str(out), *flags(config)]
    load_before = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.DEVNULL)
    ps, peak = psutil.Process(proc.pid), 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(ps))
        time.sleep(0.1)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{config}: exit {proc.returncode}")
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return Run(config, base, wall, cpu, sum(len(r.get("claims", ())) for r in records), peak / 2**20,
               (load_before, os.getloadavg()[0]), out.read_bytes())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", type=Path, action="append", required=True, help="a base to copy (repeatable)")
    ap.add_argument("--feed", type=Path, required=True)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--config", action="append", default=None, help="inproc, workers:N or dask:ADDR (repeatable)")
    ap.add_argument("--nice", type=int, default=10)
    args = ap.parse_args()
    pairs = [(base, config) for base in args.base for config in args.config or ["inproc", "workers:2"]]
    work = Path(tempfile.mkdtemp(prefix="tabayyun-bench-cold-"))
    one = work / "one.jsonl"
    rows: list[tuple[int, Run, Run]] = []
    for n in range(args.rounds):
        for base, config in pairs if n % 2 == 0 else pairs[::-1]:
            full = timed(config, base, args.feed, work, args.nice)
            if not one.exists():
                records = [json.loads(line) for line in full.output.decode("utf-8").splitlines()]
                post = next(r["input"] for r in records if r.get("claims"))
                one.write_text(args.feed.read_text(encoding="utf-8").splitlines()[post - 1] + "\n", encoding="utf-8")
            startup = timed(config, base, one, work, args.nice)
            rows.append((n + 1, full, startup))
            print(f"round {n + 1} {base.name} {config}: {full.claims} claims in {full.wall:.1f} s (start-up run "
                  f"{startup.wall:.1f} s)", file=sys.stderr)
    same = len({full.output for _, full, _ in rows}) == 1
    print(f"Feed `{args.feed}` ({rows[0][1].claims} claims); each run a fresh process on a fresh "
          f"copy of the base, `nice -n {args.nice}`; outputs identical across runs: {'yes' if same else 'NO'}\n")
    print("| round | base | configuration | wall | CPU | claims/s (wall) | claims per CPU s | start-up run: wall / CPU "
          "| without start-up: claims/s (wall) / per CPU s | peak RSS | load average before / after |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for n, full, startup in rows:
        rest_wall, rest_cpu = full.wall - startup.wall, full.cpu - startup.cpu
        print(f"| {n} | `{full.base.name}` | `{' '.join(flags(full.config)) or '(none)'}` | {full.wall:.1f} s | {full.cpu:.1f} s | "
              f"{full.claims / full.wall:.1f} | {full.claims / full.cpu:.1f} | {startup.wall:.1f} / {startup.cpu:.1f} s | "
              f"{(full.claims - startup.claims) / rest_wall:.1f} / {(full.claims - startup.claims) / rest_cpu:.1f} | "
              f"{full.peak_mb:.0f} MB | {full.load[0]:.2f} / {full.load[1]:.2f} |")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
