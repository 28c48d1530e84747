"""Shared fixtures: a tiny trusted corpus written for the tests, and paths to the shared data."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "000_dfc15cf6d599c7ec.txt"

NEWS = [
    {"id": "n1", "title": "سقوط جيب الباغوز", "source": "وكالة الاختبار", "date": "2019-03-19",
     "url": "https://example.org/n1",
     "text": "قالت قوات سوريا الديمقراطية إنها أسرت 157 مقاتلا معظمهم أجانب قرب الباغوز. "
             "وغادر أكثر من 60 ألف شخص البلدة خلال شهرين."},
    {"id": "n2", "title": "أسعار النفط", "source": "صحيفة المثال", "date": "2019-04-02",
     "text": "ارتفعت أسعار النفط اليوم إلى 70 دولارا للبرميل بعد قرار خفض الإنتاج. "
             "وقال محللون إن الأسواق تترقب اجتماع المنتجين المقبل."},
    {"id": "n3", "title": "مباراة", "source": "صحيفة المثال", "date": "2019-05-10",
     "text": "فاز المنتخب الوطني على ضيفه بثلاثة أهداف مقابل هدف في المباراة الودية. "
             "وسجل المهاجم هدفين في الشوط الثاني من اللقاء."},
]


def wait_for_documents(db: Path, low: int, high: int, seconds: float = 120) -> None:
    """Poll the SQLite base a running ``ingest`` writes until it holds ``low <= n < high`` documents (or time runs out).

    Opened read-only: for a moment after the ingest creates the file it is empty, not yet a base; a reader that
    created the schema itself there would race the writer."""
    from tabayyun.errors import TabayyunError
    from tabayyun.store import SQLiteStore

    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if low <= SQLiteStore(db, readonly=True).counts()["documents"] < high:
                return
        except TabayyunError:
            pass
        time.sleep(0.05)


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def news_file(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "news.jsonl", NEWS)


def seed_parts() -> tuple[str, str]:
    """The seed file's trusted report and its post (the post starts at the line 'فلم ...')."""
    text = SEED.read_text(encoding="utf-8")
    cut = text.index("فلم اميركي")
    return text[:cut].strip(), text[cut:].strip()
