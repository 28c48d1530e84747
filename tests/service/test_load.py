"""The load that held, now with both writers at once: 20 clients verifying, a client adding documents
through the API every second, and a CLI ingest into the same base (bench/bench_http.py, shortened)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import ROOT, write_jsonl
from tests.service.conftest import build_base


def test_twenty_clients_an_api_writer_and_a_cli_ingest(tmp_path):
    build_base(tmp_path / "db").close()
    feed = write_jsonl(tmp_path / "feed.jsonl", [
        {"id": f"load-{i}", "text": f"خبر رقم {i} عن سوق الأسهم المحلية. وارتفع المؤشر العام {i} نقطة اليوم."}
        for i in range(3000)])
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_http.py"), "--db", str(tmp_path / "db"),
                           "--clients", "20", "--seconds", "15", "--writer", "--ingest", str(feed)],
                          env=env, capture_output=True, text=True, timeout=600)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert done.returncode == 0, result
    assert result["requests"] > 20 and result["non_2xx"] == 0
    assert result["writes"] >= 3 and result["writes_non_2xx"] == 0
    assert result["ingest_exit"] == 0 and "added 3000 documents" in result["ingest_summary"]
