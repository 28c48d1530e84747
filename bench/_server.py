"""``tabayyun serve`` on a free loopback port, for the benchmarks that put load on it (bench_http, bench_serve)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
TOKEN = "bench-token-not-for-production"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: str, port: int, workers: int = 1, wait_s: float = 300, src: Path = SRC,
                 stand_in: bool = False) -> subprocess.Popen:
    """Serve ``db`` (the code of ``src``, default this checkout's; the bench token) and wait until it answers
    ``/healthz``; ``stand_in``: with stand-in encoders (``_standin.py``; one worker)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")]),
           "TABAYYUN_TOKEN": TOKEN}
    entry = [str(Path(__file__).with_name("_standin.py"))] if stand_in else ["-m", "tabayyun.service"]
    proc = subprocess.Popen([sys.executable, *entry, "--db", db, "--port", str(port), "--workers", str(workers)],
                            env=env)
    deadline = time.monotonic() + wait_s
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                sys.exit(f"{Path(sys.argv[0]).name}: the server did not start")
            time.sleep(0.3)
