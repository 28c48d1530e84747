"""Loaders of the training corpora in ``../shared/data`` (training and evaluation only).

Every loader returns plain Python lists in file order, so training is deterministic.
The corpora are not shipped: at run time the package loads ``artefacts/`` only.
"""
from __future__ import annotations

import ast
import csv
import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import numpy as np

__all__ = ["default_data_dir", "load_worthiness", "load_ans_stance", "load_ans_claims",
           "load_unifiedfc", "UfcClaim", "ANS_STANCE_MAP", "EmbeddingStore"]

#: ANS labels onto ``records.STANCES``: "other" pairs share the topic but neither confirm nor deny.
ANS_STANCE_MAP = {"agree": "agree", "disagree": "disagree", "other": "discuss"}


def default_data_dir() -> Path:
    """``../shared/data`` relative to the repository root."""
    return Path(__file__).resolve().parents[3].parent / "shared" / "data"


def load_worthiness(data_dir: Path, split: str) -> tuple[list[str], list[int]]:
    """CheckThat! 2024 Arabic tweets: texts and 1 (check-worthy) / 0 labels."""
    with open(Path(data_dir) / "ct24_checkworthy_ar" / f"{split}.tsv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [r["tweet_text"] for r in rows], [int(r["class_label"].strip() == "Yes") for r in rows]


def load_ans_stance(data_dir: Path, split: str) -> tuple[list[str], list[str], list[str]]:
    """ANS stance pairs: reference headlines, paraphrased/corrupted ones, raw labels."""
    with open(Path(data_dir) / "ans" / "stance" / f"{split}.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [r["s1"] for r in rows], [r["s2"] for r in rows], [r["stance"] for r in rows]


def load_ans_claims(data_dir: Path, split: str) -> tuple[list[str], list[int]]:
    """ANS claim-only verification: claims and 1 (true) / 0 (corrupted) labels."""
    with open(Path(data_dir) / "ans" / "claim" / f"{split}.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [r["claim_s"] for r in rows], [1 - int(r["fake_flag"]) for r in rows]


@dataclass
class UfcClaim:
    """One unifiedfc claim with its retrieved articles."""

    id: str
    claim: str
    true: bool
    fold: int
    articles: list[str]
    stances: list[str]
    rationales: list[list[int]]
    urls: list[str]


def load_unifiedfc(data_dir: Path, folds: Iterable[int]) -> list[UfcClaim]:
    """unifiedfc claims of the given folds (1-4), in file order."""
    wanted = set(folds)
    out = []
    with gzip.open(Path(data_dir) / "unifiedfc" / "unifiedfc_folds1-4.jsonl.gz", "rt",
                   encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            fold = int(r["fold"].split("_")[1])
            if fold in wanted:
                out.append(UfcClaim(r["id"], r["claim"], r["fact"] == "true", fold, r["article"],
                                    r["stance"], [list(ast.literal_eval(x or "[]")) for x in r["rationale"]], r["url"]))
    return out


class EmbeddingStore:
    """A persistent sentence-vector cache for training (an ``.npz`` outside git), read on first use."""

    def __init__(self, path: Path, encoder=None) -> None:
        from tabayyun.index.vectors import EmbeddingCache, Encoder

        self.path = Path(path)
        self._loaded: dict[str, np.ndarray] | None = None
        self._dirty = False
        self.cache = EmbeddingCache(encoder or Encoder(), max_items=10_000_000,
                                    load=lambda keys: {k: self._table[k] for k in keys if k in self._table},
                                    save=self._add)

    @property
    def _table(self) -> dict[str, np.ndarray]:
        if self._loaded is None:
            self._loaded = {}
            if self.path.exists():
                with np.load(self.path) as z:
                    self._loaded = dict(zip(z["keys"].tolist(), z["vecs"]))
        return self._loaded

    def _add(self, new: dict[str, np.ndarray]) -> None:
        self._table.update(new)
        self._dirty = True

    @property
    def dim(self) -> int:
        return self.cache.encoder.dim

    def encode(self, texts) -> np.ndarray:
        return self.cache.encode(list(texts))

    def flush(self) -> None:
        """Write new vectors to disk."""
        if self._dirty:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            keys = list(self._table)
            np.savez(self.path, keys=np.array(keys), vecs=np.stack([self._table[k] for k in keys]))
            self._dirty = False
