"""Memory of ``serve`` over many requests: RSS of the server process as distinct requests go by.

    python bench/bench_serve.py --db DIR [--requests 10000] [--verify 0.1] [--search 0.4] [--every 500]
                                [--stand-in-encoders] [--src SRC --src OTHER_SRC]

Serves a copy of the base DIR (``python -m tabayyun.service`` on a free 127.0.0.1 port) and sends it
``--requests`` requests from one client, one at a time: ``--verify`` of them ``POST /api/verify`` of a
distinct claim (the first 6-14 words of an ANT sentence, a fresh one each time), ``--search`` of them
``GET /api/search`` of a distinct query, the rest pages (the home page, a document as JSON and as a page,
the stories list, the search page). The server's RSS is read every ``--every`` requests; prints a markdown
block for BENCHMARKS.md: RSS over time, p50 latency per kind, non-2xx answers, load average. Flat memory is
RSS that stops growing once the bounded caches are full (the file pages of the lexical index, mapped, grow
with the share of the index that searches have read, up to its size). ``--stand-in-encoders``: small
deterministic encoders instead of USE and e5 (``_standin.py``), so 10,000 requests take minutes; ``--src``
twice: two source trees, each serving its own copy of the base, get every request in turn (paired under the
same load). Not a test: figures depend on the machine.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

from _server import free_port, start_server

ROOT = Path(__file__).resolve().parents[1]




def memory(proc: psutil.Process) -> tuple[float, float]:
    """RSS, and the part of it that is file pages (the index's mapped segments: the kernel can drop them), in MB."""
    info = proc.memory_info()
    return info.rss / 2**20, getattr(info, "shared", 0) / 2**20


def texts(data: Path, n: int, seed: int) -> tuple[list[str], list[str]]:
    """``n`` distinct ANT sentences cut to 6-14 words, and the ids of the documents they come from."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out, ids = [], []
    with gzip.open(data / "ant_multisource" / "ant_multisource_v2.1.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            for sentence in rec["text"].split("."):
                words = sentence.split()
                if len(words) < 8:
                    continue
                text = " ".join(words[:rng.randint(6, 14)])
                if text not in seen:
                    seen.add(text)
                    out.append(text)
                    ids.append(rec["docno"])
            if len(out) >= n:
                break
    order = list(range(len(out)))
    rng.shuffle(order)
    return [out[i] for i in order], [ids[i] for i in order]


def request(client: httpx.Client, rng: random.Random, args: argparse.Namespace, text: str,
            doc_id: str) -> tuple[str, httpx.Response]:
    """One request of the mix (``rng`` draws its kind and page)."""
    draw = rng.random()
    if draw < args.verify:
        return "verify", client.post("/api/verify", json={"claim": text})
    if draw < args.verify + args.search:
        return "search", client.get("/api/search", params={"q": " ".join(text.split()[:5])})
    quoted = urllib.parse.quote(doc_id, safe="")
    path = rng.choice(["/", f"/api/documents/{quoted}", f"/documents/{quoted}", "/stories",
                       "/api/stories?limit=20", "/search?q=" + urllib.parse.quote(text.split()[0])])
    return "page", client.get(path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--requests", type=int, default=10_000)
    ap.add_argument("--verify", type=float, default=0.1, help="share of POST /api/verify (distinct claims)")
    ap.add_argument("--search", type=float, default=0.4, help="share of GET /api/search (distinct queries)")
    ap.add_argument("--every", type=int, default=500, help="read the RSS every this many requests")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--src", type=Path, action="append",
                    help="serve the code of this src folder (default this checkout's); given twice or more, "
                         "each tree serves its own copy of the base and gets every request in turn (paired)")
    ap.add_argument("--stand-in-encoders", action="store_true",
                    help="small deterministic encoders instead of USE and e5 (bench/_standin.py): memory of the "
                         "code around the encoders in minutes; not the verdicts nor the latency of the real ones")
    args = ap.parse_args()
    trees = [path.resolve() for path in args.src or [ROOT / "src"]]
    pool, doc_ids = texts(args.data, args.requests, args.seed)
    work = Path(tempfile.mkdtemp(prefix="tabayyun-bench-serve-"))
    servers = []
    try:
        for n, src in enumerate(trees):
            shutil.copytree(args.db, work / f"db{n}")
            port = free_port()
            proc = start_server(str(work / f"db{n}"), port, src=src, stand_in=args.stand_in_encoders)
            servers.append((proc, psutil.Process(proc.pid), httpx.Client(base_url=f"http://127.0.0.1:{port}",
                                                                         timeout=120)))
        runs = [Run(rng=random.Random(args.seed)) for _ in trees]
        for run, (_, server, _) in zip(runs, servers):
            run.samples.append((0, 0.0, *memory(server), os.getloadavg()[0]))
        t_start = time.perf_counter()
        for n in range(1, args.requests + 1):
            text, doc_id = pool[(n - 1) % len(pool)], doc_ids[(n - 1) % len(pool)]
            for run, (_, server, client) in zip(runs, servers):
                t0 = time.perf_counter()
                kind, answer = request(client, run.rng, args, text, doc_id)
                run.times[kind].append(time.perf_counter() - t0)
                if not 200 <= answer.status_code < 300:
                    run.failed[f"{kind} {answer.status_code}"] = run.failed.get(f"{kind} {answer.status_code}", 0) + 1
                if n % args.every == 0:
                    run.samples.append((n, time.perf_counter() - t_start, *memory(server), os.getloadavg()[0]))
            if n % args.every == 0:
                print(f"{n} requests, {time.perf_counter() - t_start:.0f} s: RSS "
                      f"{', '.join(f'{r.samples[-1][2]:.0f}' for r in runs)} MB", file=sys.stderr)
    finally:
        for proc, _, client in servers:
            client.close()
            proc.terminate()
            proc.wait(30)
        shutil.rmtree(work, ignore_errors=True)
    options = (" --stand-in-encoders" if args.stand_in_encoders else "") + "".join(f" --src {t}" for t in args.src or [])
    print(f"### serve memory ({time.strftime('%Y-%m-%d')}{', stand-in encoders' if args.stand_in_encoders else ''})"
          f"\n\nCommand: `python bench/bench_serve.py --db DIR --requests {args.requests} --verify {args.verify} "
          f"--search {args.search}{options}` ({os.cpu_count()} cores)\n")
    if args.stand_in_encoders:
        print("Encoders: stand-ins (hashed character trigrams of the real widths, `bench/_standin.py`), not USE "
              "and e5: RSS is lower than with the real weights and latencies leave out the encoders.\n")
    for src, run in zip(trees, runs):
        print(run.render(src if len(trees) > 1 else None))


@dataclass
class Run:
    """What one server answered: latencies per kind, non-2xx answers, RSS samples."""

    rng: random.Random
    times: dict[str, list[float]] = field(default_factory=lambda: {"verify": [], "search": [], "page": []})
    failed: dict[str, int] = field(default_factory=dict)
    samples: list[tuple] = field(default_factory=list)

    def render(self, src: Path | None) -> str:
        def p50(kind: str) -> str:
            return f"{statistics.median(self.times[kind]) * 1000:.0f} ms" if self.times[kind] else "-"

        lines = [f"Code: `{src}`.\n"] if src else []
        lines.append(f"Requests one at a time: {len(self.times['verify'])} POST /api/verify of distinct claims (p50 "
                     f"{p50('verify')}), {len(self.times['search'])} distinct searches (p50 {p50('search')}), "
                     f"{len(self.times['page'])} pages (p50 {p50('page')}); answers not 2xx: {self.failed or 'none'}.\n")
        lines.append("| requests | seconds | server RSS | of it, file pages (index and base, mapped) | load average |")
        lines.append("|---|---|---|---|---|")
        lines += [f"| {n} | {seconds:.0f} | {rss:.0f} MB | {shared:.0f} MB | {load:.2f} |"
                  for n, seconds, rss, shared, load in self.samples]
        if len(self.samples) > 2:  # over the second half of the run, once the caches have had time to fill
            (n0, _, rss0, _, _), (n1, _, rss1, _, _) = self.samples[len(self.samples) // 2], self.samples[-1]
            lines.append(f"\nGrowth over the last {n1 - n0} requests: {1000 * (rss1 - rss0) / (n1 - n0):.1f} MB per 1000.\n")
        return "\n".join(lines)


if __name__ == "__main__":
    main()
