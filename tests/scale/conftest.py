"""A small evidence base (the test news and the seed's Reuters report) and a feed of posts about it."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tabayyun.pipeline import Tabayyun
from tabayyun.records import Document
from tabayyun.scale import run_batch

from tests.conftest import NEWS, seed_parts


def _changed(sentence: str, k: int) -> str:
    """The sentence with each of its numbers changed (k=0: unchanged)."""
    return re.sub(r"\d+", lambda m: str(int(m.group()) + 3 * k), sentence) if k else sentence


def feed_records() -> list[dict]:
    """Posts built from the base's own sentences (some numbers changed), with a few bad records among them."""
    report, post = seed_parts()
    sentences = [s.strip() + "." for d in NEWS for s in d["text"].split(".") if s.strip()]
    sentences += [s.strip() + "." for s in report.split(".") if len(s.split()) > 6][:6]
    records: list[dict] = []
    for k in range(3):
        for i, sentence in enumerate(sentences):
            records.append({"id": f"p{k}-{i}", "text": _changed(sentence, k), "date": "2019-03-20"})
    records.insert(5, {"id": "empty", "text": "  "})
    records.insert(11, {"id": "english", "text": "the army captured 157 fighters"})
    records.insert(17, {"id": "baddate", "text": sentences[0], "date": "yesterday"})
    records.insert(23, {"id": "huge", "text": "قال " * 30_000})
    records.append({"id": "post", "text": post})
    return records


def write_feed(path: Path, records: list[dict], malformed_at: tuple[int, ...] = ()) -> Path:
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    for at in malformed_at:
        lines.insert(at, '{"id": "broken", "text": ')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def base(tmp_path_factory) -> Path:
    """The evidence base folder (indexed, no vectors stored)."""
    path = tmp_path_factory.mktemp("base")
    report, _ = seed_parts()
    tb = Tabayyun(path, create=True)
    tb.add_documents([Document(**{k: v for k, v in d.items()}) for d in NEWS]
                     + [Document(id="reuters-baghouz", text=report, title="الباغوز", source="Reuters",
                                 date="2019-03-19")])
    tb.close()
    return path


@pytest.fixture(scope="session")
def feed(tmp_path_factory) -> Path:
    return write_feed(tmp_path_factory.mktemp("feed") / "feed.jsonl", feed_records(), malformed_at=(30,))


@pytest.fixture(scope="session")
def clean(base, feed, tmp_path_factory) -> bytes:
    """The output of one clean in-process run."""
    out = tmp_path_factory.mktemp("clean") / "out.jsonl"
    summary = run_batch([feed], base, out, progress=False)
    assert summary.posts == 42 and summary.resumed_from == 0
    return out.read_bytes()
