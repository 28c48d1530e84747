"""``batch --dask``: a LocalCluster of 2 workers gives the in-process output byte for byte."""
from __future__ import annotations

import sys

import numpy as np
import pytest

from tabayyun.cli import main
from tabayyun.errors import TabayyunError
from tabayyun.scale import run_batch
from tabayyun.scale.cluster import parse_target


def test_dask_local_equals_in_process(base, feed, clean, tmp_path):
    pytest.importorskip("distributed", reason="the 'scale' extra (dask[distributed]) is not installed")
    out = tmp_path / "dask.jsonl"
    summary = run_batch([feed], base, out, dask="local:2", progress=False)
    assert summary.posts == 42
    assert out.read_bytes() == clean


def test_without_dask_one_line_names_the_extra(base, feed, tmp_path, monkeypatch, capsys):
    for name in [m for m in sys.modules if m == "dask" or m.startswith(("dask.", "distributed"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "dask", None)  # what an environment without the extra imports
    monkeypatch.setitem(sys.modules, "distributed", None)
    out = tmp_path / "o.jsonl"
    out.write_text("kept\n", encoding="utf-8")
    code = main(["batch", str(feed), "--db", str(base), "--out", str(out), "--dask", "local:2"])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1
    assert "'scale' extra" in err and "pip install 'tabayyun[scale]'" in err
    assert out.read_text(encoding="utf-8") == "kept\n"  # refused before anything was written


def test_targets():
    assert parse_target("local:3") == ("local", 3)
    assert parse_target("local")[0] == "local" and parse_target("local")[1] >= 1
    assert parse_target("tcp://10.0.0.5:8786") == ("tcp://10.0.0.5:8786", None)
    for bad in ("local:0", "local:x", "tcp://host", "http://host:1", ""):
        with pytest.raises(TabayyunError):
            parse_target(bad)


def test_a_worker_opens_the_base_once_and_again_when_it_grew(base):
    from tabayyun.scale.cluster import worker_engine

    first = worker_engine(str(base), 6)
    assert worker_engine(str(base), 6) is first
    first.store.save_vectors("e5small", {"k": np.ones(384, dtype=np.float32)})
    assert first.store.load_vectors("e5small", ["k"]) == {}  # a worker writes no vectors
    grown = worker_engine(str(base), 7)
    assert grown is not first and worker_engine(str(base), 7) is grown
    grown.close()
