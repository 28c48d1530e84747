"""Load on the HTTP API: N concurrent clients calling POST /api/verify for D seconds, on loopback.

    python bench/bench_http.py --db DIR [--clients 20] [--seconds 30] [--claims claims.txt]
                               [--writer] [--ingest FILE.jsonl] [--workers N]

Starts ``python -m tabayyun.service`` on a free 127.0.0.1 port against the evidence base DIR, then
prints requests/s, p50/p95 latency and the count of non-2xx answers. Bounded: loopback only, one
server, the clients stop at the deadline. ``--writer`` adds a client that posts a few new documents
(``POST /api/documents``) every second; ``--ingest`` runs ``tabayyun ingest FILE --db DIR`` in another
process at the same time: both writers must queue, so every answer stays 2xx and the ingest exits 0.
``--workers N`` serves with N processes (``serve --workers``); DIR may be a ``postgresql://`` URL.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from _server import TOKEN, free_port, start_server

# Claims in our own words about the kind of news in the evidence bases; a file can replace them.
DEFAULT_CLAIMS = [
    "أسرت قوات سوريا الديمقراطية 500 مقاتل من تنظيم الدولة الإسلامية",
    "ارتفعت أسعار النفط إلى مئة دولار للبرميل",
    "فاز المنتخب الوطني بثلاثة أهداف مقابل هدف",
    "غادر أكثر من ستين ألف شخص بلدة الباغوز خلال شهرين",
    "أعلنت الحكومة خفض الضرائب على الوقود",
    "ضرب زلزال قوي شمال البلاد وأدى إلى مقتل العشرات",
]




def _client(url: str, claims: list[str], offset: int, step: int, stop: float, latencies: list[float],
            statuses: list[int]) -> None:
    """Claims offset, offset + step, ...: the clients together walk the list once before repeating."""
    with httpx.Client(base_url=url, timeout=120) as http:
        n = offset
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            status = http.post("/api/verify", json={"claim": claims[n % len(claims)]}).status_code
            latencies.append(time.perf_counter() - t0)
            statuses.append(status)
            n += step


def _writer(url: str, stop: float, statuses: list[int]) -> None:
    """New documents every second, each call a few records with fresh ids and texts."""
    with httpx.Client(base_url=url, timeout=600, headers={"Authorization": f"Bearer {TOKEN}"}) as http:
        n = 0
        while time.monotonic() < stop:
            records = [{"id": f"bench-writer-{os.getpid()}-{n}-{i}",
                        "text": f"خبر تجريبي رقم {n}-{i} عن افتتاح مدرسة جديدة في الحي {i}. وقال المدير إن المدرسة تتسع لـ{n} طالب."}
                       for i in range(5)]
            statuses.append(http.post("/api/documents", json=records).status_code)
            n += 1
            time.sleep(1.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="evidence base folder")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--claims", help="a file of claims, one per line (default: a few built-in ones)")
    parser.add_argument("--writer", action="store_true", help="also post new documents every second")
    parser.add_argument("--ingest", help="also run 'tabayyun ingest FILE' into the same base meanwhile")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes (default 1)")
    args = parser.parse_args()
    claims = (Path(args.claims).read_text(encoding="utf-8").split("\n") if args.claims else DEFAULT_CLAIMS)
    claims = [c.strip() for c in claims if c.strip()]
    port = free_port()
    proc = start_server(args.db, port, args.workers, wait_s=120)
    url = f"http://127.0.0.1:{port}"
    try:
        docs = httpx.get(url + "/healthz").json()
        with httpx.Client(base_url=url, timeout=120) as warm:  # load the encoder before timing
            warm.post("/api/verify", json={"claim": claims[0]})
        latencies: list[float] = []
        statuses: list[int] = []
        start = time.monotonic()
        stop = start + args.seconds
        threads = [threading.Thread(target=_client, args=(url, claims, i, args.clients, stop, latencies, statuses))
                   for i in range(args.clients)]
        writes: list[int] = []
        if args.writer:
            threads.append(threading.Thread(target=_writer, args=(url, stop, writes)))
        ingest = None
        if args.ingest:
            src = str(Path(__file__).resolve().parents[1] / "src")
            ingest = subprocess.Popen([sys.executable, "-m", "tabayyun.cli", "ingest", args.ingest, "--db", args.db],
                                      env={**os.environ, "PYTHONPATH": src}, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True)
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - start
        ingest_out = ingest.communicate(timeout=3600) if ingest is not None else None
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [latencies[0]] * 99
    result = {"documents": docs["documents"], "sentences": docs["sentences"], "clients": args.clients,
              "workers": args.workers,
              "seconds": round(elapsed, 1), "requests": len(latencies),
              "requests_per_s": round(len(latencies) / elapsed, 1), "p50_ms": round(q[49] * 1000, 1),
              "p95_ms": round(q[94] * 1000, 1), "non_2xx": sum(1 for s in statuses if not 200 <= s < 300)}
    if args.writer:
        result.update(writes=len(writes), writes_non_2xx=sum(1 for s in writes if not 200 <= s < 300))
    if ingest is not None and ingest_out is not None:
        result.update(ingest_exit=ingest.returncode, ingest_summary=(ingest_out[0].strip() or ingest_out[1].strip())[-300:])
    print(json.dumps(result, ensure_ascii=False))
    failed = result["non_2xx"] or result.get("writes_non_2xx") or result.get("ingest_exit")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
