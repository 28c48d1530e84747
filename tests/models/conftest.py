"""Fixtures for the model tests: a fake sentence encoder and a tiny corpus in the shared-data layout."""
from __future__ import annotations

import csv
import gzip
import json
import tempfile
import zlib
from pathlib import Path

import numpy as np
import pytest

from tabayyun.models.features import tokens

DIM = 512


class FakeEncoder:
    """Deterministic bag-of-words random projection (stands in for USE in tests)."""

    dim = DIM

    def encode(self, texts):
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in tokens(t) or ["<empty>"]:
                out[i] += np.random.default_rng(zlib.crc32(w.encode())).standard_normal(DIM)
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


PLACES = ["حلب", "دمشق", "بغداد", "عمان", "بيروت", "القاهرة", "تونس", "الرباط"]
THINGS = ["المطار", "الجسر", "المستشفى", "الميناء", "السوق", "المدرسة"]
UP, DOWN = "افتتاح", "إغلاق"
WORTHY = "أعلنت الوزارة أن عدد الضحايا بلغ {n} شخصا في {p}"
CHAT = "صباح الخير يا أصدقائي في {p} أتمنى لكم يوما سعيدا"


def _claim(p, t, n):
    return f"{UP} {t} في {p} بعد {n} أيام"


def _rows():
    return [(p, t, n) for p in PLACES for t in THINGS for n in (3, 7)]


@pytest.fixture(scope="session")
def encoder():
    return FakeEncoder()


@pytest.fixture(scope="session")
def tiny_data(tmp_path_factory) -> Path:
    """A tiny corpus written in our own words, in the layout of ``../shared/data``."""
    root = tmp_path_factory.mktemp("data")
    pairs = _rows()
    (root / "ct24_checkworthy_ar").mkdir()
    for split in ("train", "dev"):
        with open(root / "ct24_checkworthy_ar" / f"{split}.tsv", "w", encoding="utf-8") as fh:
            fh.write("tweet_id\ttweet_url\ttweet_text\tclass_label\n")
            for i, (p, t, n) in enumerate(pairs):
                text = WORTHY.format(n=n * 10 + i, p=p) if i % 3 == 0 else CHAT.format(p=p) + f" {t}"
                fh.write(f"{i}\tu\t{text}\t{'Yes' if i % 3 == 0 else 'No'}\n")
    for kind in ("stance", "claim"):
        (root / "ans" / kind).mkdir(parents=True)
    for split in ("train", "dev", "test"):
        with open(root / "ans" / "stance" / f"{split}.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["s1", "s2", "stance"])
            for i, (p, t, n) in enumerate(pairs):
                other = PLACES[(PLACES.index(p) + 1) % len(PLACES)]
                s2 = [f"تم {UP} {t} في {p}", f"{DOWN} {t} في {p}", f"طقس معتدل في {other}"][i % 3]
                w.writerow([_claim(p, t, n), s2, ["agree", "disagree", "other"][i % 3]])
        with open(root / "ans" / "claim" / f"{split}.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["claim_s", "fake_flag"])
            for i, (p, t, n) in enumerate(pairs):
                w.writerow([_claim(p, t, n) if i % 2 else f"{DOWN} {t} في {p}", i % 2])
    (root / "unifiedfc").mkdir()
    with gzip.open(root / "unifiedfc" / "unifiedfc_folds1-4.jsonl.gz", "wt", encoding="utf-8") as fh:
        for i, (p, t, n) in enumerate(pairs[:32]):
            claim, true = _claim(p, t, n), i % 2 == 0
            frame = "القائمة الرئيسية\n{}\nحقوق النشر محفوظة"
            side = f"تم {UP} {t} في {p} رسميا" if true else f"مسؤول ينفي {UP} {t} في {p} ويؤكد {DOWN} {t}"
            arts = [frame.format(x) for x in (side, side, f"جدل حول مستقبل {t} في {p}", "فاز الفريق بالمباراة أمس")]
            stances = ["agree" if true else "disagree"] * 2 + ["discuss", "unrelated"]
            fh.write(json.dumps({"id": f"X-{i}", "claim": claim, "fact": "true" if true else "false",
                                 "article": arts, "url": [""] * 4, "stance": stances,
                                 "rationale": ["[1]", "[1]", "[1]", "[]"], "fold": f"Fold_{i // 2 % 4 + 1}"},
                                ensure_ascii=False) + "\n")
    return root


def _train_small(data: Path, out: Path, encoder) -> None:
    """``train_all`` with a small hashing space (the fixture has few distinct n-grams); the fake
    encoder stands in for every sentence encoder."""
    from tabayyun.models import train

    with pytest.MonkeyPatch.context() as mp, tempfile.TemporaryDirectory() as cache:
        for task in ("worthiness", "stance"):
            mp.setitem(train.CONFIG[task], "n_features", 2 ** 12)
        train.train_all(data, out, cache=Path(cache), encoder=encoder)


@pytest.fixture(scope="session")
def trained(tiny_data, tmp_path_factory, encoder) -> Path:
    """Artefacts trained on the tiny corpus."""
    out = tmp_path_factory.mktemp("artefacts")
    _train_small(tiny_data, out, encoder)
    return out


@pytest.fixture(scope="session")
def train_small():
    """The small-hashing-space trainer, for tests that train again."""
    return _train_small
