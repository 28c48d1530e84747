"""``batch --workers N``: N processes of this machine give the in-process output byte for byte, resume included."""
from __future__ import annotations

import pytest

from tabayyun.cli import main
from tabayyun.errors import TabayyunError
from tabayyun.scale import run_batch
from tabayyun.scale.pool import map_workers


def test_two_workers_equal_in_process_and_resume_exactly(base, feed, clean, tmp_path, capsys):
    out = tmp_path / "workers.jsonl"
    assert main(["batch", str(feed), "--db", str(base), "--out", str(out), "--workers", "2"]) == 0
    assert out.read_bytes() == clean
    assert "checked 42 posts" in capsys.readouterr().err
    cut = clean.index(b"\n", len(clean) // 2) + 40  # records 1..k complete, then a partial line (a killed run)
    resumed = tmp_path / "resumed.jsonl"
    resumed.write_bytes(clean[:cut])
    summary = run_batch([feed], base, resumed, resume=True, workers=2, progress=False)
    assert resumed.read_bytes() == clean
    assert 0 < summary.resumed_from < 42 and summary.resumed_from + summary.posts == 42


def test_workers_and_dask_are_not_given_together(base, feed, tmp_path):
    with pytest.raises(TabayyunError, match="not both"):
        run_batch([feed], base, tmp_path / "o.jsonl", dask="local:2", workers=2, progress=False)
    with pytest.raises(TabayyunError, match="1 to 256"):
        next(map_workers(0, str(base), 1, iter(())))


def test_the_cli_bounds_workers_by_the_pools_limit(base, feed, tmp_path, monkeypatch, capsys):
    """``batch --workers`` and ``--dask local:N`` take their bound from one constant, ``MAX_WORKERS``."""
    from tabayyun import cli
    from tabayyun.scale import cluster, pool

    assert cli.MAX_WORKERS == pool.MAX_WORKERS == cluster.MAX_WORKERS
    monkeypatch.setattr(cli, "MAX_WORKERS", 3)
    with pytest.raises(SystemExit):
        main(["batch", str(feed), "--db", str(base), "--out", str(tmp_path / "o.jsonl"), "--workers", "4"])
    assert "expected 1 to 3, not 4" in capsys.readouterr().err
    monkeypatch.setattr(cluster, "MAX_WORKERS", 3)
    with pytest.raises(TabayyunError, match="1 to 3 workers"):
        cluster.parse_target("local:4")
