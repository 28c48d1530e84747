"""``serve --workers 2``: two processes answer on one port over one base, on both backends; what one of
them writes, the other finds (the lexical index follows the store from any process)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

import tabayyun
from tests.service.conftest import TOKEN, build_base
from tests.store.conftest import _empty, pg_database  # noqa: F401  (the PostgreSQL fixture)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    kids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                kids.append(int(entry.name))
    return kids


@pytest.fixture(params=["sqlite", "postgres"])
def served(request, tmp_path):
    if request.param == "sqlite":
        db = str(tmp_path / "base")
    else:
        db = request.getfixturevalue("pg_database")
        _empty(db)
    build_base(db).close()
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(Path(tabayyun.__file__).parents[1]), os.environ.get("PYTHONPATH", "")]), "TABAYYUN_TOKEN": TOKEN}
    proc = subprocess.Popen([sys.executable, "-m", "tabayyun.service", "--db", db, "--port", str(port),
                             "--workers", "2"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            httpx.get(url + "/healthz", timeout=2).raise_for_status()
            break
        except httpx.HTTPError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("server did not start: " + (proc.stdout.read() if proc.stdout else ""))
            time.sleep(0.3)
    yield url, proc
    proc.terminate()
    proc.wait(timeout=30)


def test_two_workers_share_one_base(served):
    url, proc = served
    assert len(_children(proc.pid)) >= 2  # the supervisor and its two workers
    before = httpx.get(url + "/healthz").json()["documents"]

    def post(i: int) -> int:  # a new connection each time: the two workers take turns
        record = {"id": f"workers-{i}", "text": f"افتتحت البلدية جسر الزيتون الجديد رقم {i} فوق نهر العاصي. "
                                                 "وقال رئيس البلدية إن الجسر يخدم آلاف السكان."}
        return httpx.post(url + "/api/documents", json=[record], timeout=300,
                          headers={"Authorization": f"Bearer {TOKEN}"}).status_code

    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(post, range(8)))
    assert statuses == [200] * 8
    assert httpx.get(url + "/healthz").json()["documents"] == before + 8

    def found(_: int) -> set[str]:
        results = httpx.get(url + "/api/search", params={"q": "جسر الزيتون", "limit": 20}, timeout=300).json()
        return {r["doc_id"] for r in results["results"] if r["doc_id"].startswith("workers-")}

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(found, range(12)))
    assert all(a == {f"workers-{i}" for i in range(8)} for a in answers), answers
