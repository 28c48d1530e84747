"""Cold ``tabayyun batch`` as a user runs it: the command line, a fresh copy of a base for every run.

    nice -n 10 python bench/bench_batch_cli.py --base DIR [--base DIR2] --feed FEED.jsonl [--rounds 2]
        [--config inproc] [--config workers:2] [--config dask:local:2]

Each configuration (``inproc``: no flag; ``workers:N``: ``--workers N``; ``dask:ADDR``: ``--dask ADDR``) runs
``tabayyun batch FEED --db COPY --out OUT`` (``tabayyun.cli.main`` in a fresh process) on a fresh copy of each
``--base`` (no claim of the feed ever checked on it), ``--rounds`` times, the order of the (base, configuration)
pairs reversed every other round. Each is also run on a feed of one post (the feed's first with a claim; a fresh
copy again): its time is the start-up (interpreter, models, base, worker processes) plus that post's claims.
Prints a markdown table: wall, CPU of the process tree (user + system, its waited-for children included),
claims/s, claims per CPU second, the same with the start-up run's time taken off, peak RSS of the process tree,
load average before / after. Every run's output is compared byte for byte with the first.
Not a test: figures depend on the machine and its load.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_batch import run  # noqa: E402


def flags(config: str) -> list[str]:
    """The command-line flags of a configuration name."""
    if config == "inproc":
        return []
    kind, _, value = config.partition(":")
    return [f"--{kind}", value]


def timed(config: str, base: Path, feed: Path, work: Path) -> dict:
    """Run the CLI once, in a fresh process, on a fresh copy of ``base`` (``bench_batch.run``'s figures)."""
    db, out = work / "db", work / "out.jsonl"
    shutil.rmtree(db, ignore_errors=True)
    shutil.copytree(base, db)
    argv = ["batch", str(feed), "--db", str(db), "--out", str(out), *flags(config)]
    code = f"import sys\nfrom tabayyun.cli import main\nif __name__ == '__main__':\n    sys.exit(main({argv!r}))"
    return {**run(config, code, out), "base": base}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", type=Path, action="append", required=True, help="a base to copy (repeatable)")
    ap.add_argument("--feed", type=Path, required=True)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--config", action="append", default=None, help="inproc, workers:N or dask:ADDR (repeatable)")
    args = ap.parse_args()
    pairs = [(base, config) for base in args.base for config in args.config or ["inproc", "workers:2"]]
    work = Path(tempfile.mkdtemp(prefix="tabayyun-bench-cold-"))
    one = work / "one.jsonl"
    rows: list[tuple[int, dict, dict]] = []
    for n in range(args.rounds):
        for base, config in pairs if n % 2 == 0 else pairs[::-1]:
            full = timed(config, base, args.feed, work)
            if not one.exists():
                records = [json.loads(line) for line in full["bytes"].decode("utf-8").splitlines()]
                post = next(r["input"] for r in records if r.get("claims"))
                one.write_text(args.feed.read_text(encoding="utf-8").splitlines()[post - 1] + "\n", encoding="utf-8")
            startup = timed(config, base, one, work)
            rows.append((n + 1, full, startup))
            print(f"round {n + 1} {base.name} {config}: {full['claims']} claims in {full['wall']:.1f} s (start-up run "
                  f"{startup['wall']:.1f} s)", file=sys.stderr)
    same = len({full["bytes"] for _, full, _ in rows}) == 1
    print(f"Feed `{args.feed}` ({rows[0][1]['claims']} claims); each run a fresh process on a fresh copy of the base; "
          f"outputs identical across runs: {'yes' if same else 'NO'}\n")
    print("| round | base | configuration | wall | CPU | claims/s (wall) | claims per CPU s | start-up run: wall / CPU "
          "| without start-up: claims/s (wall) / per CPU s | peak RSS | load average before / after |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for n, full, startup in rows:
        claims, rest = full["claims"], full["claims"] - startup["claims"]
        how = " ".join(flags(full["label"])) or "(none)"
        print(f"| {n} | `{full['base'].name}` | `{how}` | {full['wall']:.1f} s | {full['cpu']:.1f} s | "
              f"{claims / full['wall']:.1f} | {claims / full['cpu']:.1f} | "
              f"{startup['wall']:.1f} / {startup['cpu']:.1f} s | {rest / (full['wall'] - startup['wall']):.1f} / "
              f"{rest / (full['cpu'] - startup['cpu']):.1f} | {full['peak_mb']:.0f} MB | "
              f"{full['load'][0]:.2f} / {full['load'][1]:.2f} |")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
