"""Feature extraction shared by training and run time (numpy only).

Sparse text features are hashed (CRC-32 of the n-gram, so they are stable across processes) and
TF-IDF weighted with an IDF vector learned at training time; dense features are sentence-vector
interactions and lexical/number agreement between a claim and a text.
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Sequence

import numpy as np

from tabayyun.text import OPPOSITES, find_negations, normalize_ar, predicate_classes
from tabayyun.text._lexicon import WORD_CACHE, data_rows
from tabayyun.text.numbers import parse_number

__all__ = ["normalize", "tokens", "split_passages", "HashedTfidf", "sparse_dot", "pair_dense",
           "PAIR_DENSE_NAMES", "number_mismatch", "TextInputs"]

_TOKEN = re.compile(r"\w+", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_SENTENCE_END = re.compile(r"(?<=[.!?\u061f])\s+")
_URL = re.compile(r"https?://\S+|@\w+")
_MAX_PASSAGE = 400


def normalize(text: str) -> str:
    """``tabayyun.text.normalize_ar`` without URLs and user handles (the form that is hashed)."""
    return normalize_ar(_URL.sub(" ", text))


_TEXT_CACHE = 5_000  # texts whose tokens and numbers are kept: a claim meets each of its evidence sentences
#                      several times (dense and sparse features, TF-IDF rows), a sentence the claims it is evidence for


@lru_cache(maxsize=_TEXT_CACHE)
def tokens(text: str) -> tuple[str, ...]:
    """Word tokens of the normalised text."""
    return tuple(_TOKEN.findall(normalize(text)))


def split_passages(text: str) -> list[str]:
    """Lines of a text; long lines (web pages without line breaks) are cut at sentence ends."""
    out: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        out.extend(p for p in (_SENTENCE_END.split(line) if len(line) > _MAX_PASSAGE else [line]) if p)
    return out


def _word_grams(token: str, char_range: tuple[int, int], words: bool, prefix: str) -> list[str]:
    """The features of one word: the word itself (with ``words``) and its character n-grams, padded."""
    grams = [prefix + "w" + token] if words else []
    padded = f" {token} "
    for n in range(char_range[0], char_range[1] + 1):
        grams += [prefix + padded[i:i + n] for i in range(max(1, len(padded) - n + 1))]
    return grams


def _crc32s(grams: list[str]) -> np.ndarray:
    """CRC-32 of each string's UTF-8 (one C-level pass: hashing a new word's grams is most of its cost)."""
    return np.fromiter(map(zlib.crc32, map(str.encode, grams)), dtype=np.int64, count=len(grams))


@lru_cache(maxsize=WORD_CACHE)
def _word_hashes(token: str, char_range: tuple[int, int], words: bool, prefix: str, n_features: int) -> np.ndarray:
    """Feature indices of one word's features (cached: words recur, and hashing them is most of the cost)."""
    return _crc32s(_word_grams(token, char_range, words, prefix)) % n_features


class HashedTfidf:
    """Hashed TF-IDF of word unigrams and in-word character n-grams, L2-normalised rows."""

    def __init__(self, n_features: int = 2 ** 18, char_range: tuple[int, int] = (2, 5),
                 words: bool = True, idf: np.ndarray | None = None) -> None:
        self.n_features = n_features
        self.char_range = char_range
        self.words = words
        self.idf = idf if idf is not None else np.ones(n_features, dtype=np.float32)

    def hash(self, grams: list[str]) -> np.ndarray:
        """Feature indices of strings (CRC-32 modulo ``n_features``)."""
        return _crc32s(grams) % self.n_features

    def rows(self, texts: Sequence[str], prefix: str = "") -> list[tuple[np.ndarray, np.ndarray]]:
        """Per text: (sorted feature indices, TF-IDF values); a text given several times (a claim against each of
        its evidence sentences) is read once, and its entries are the same arrays: read them, do not change them."""
        out = {}
        for text in dict.fromkeys(texts):
            hashed = [_word_hashes(t, self.char_range, self.words, prefix, self.n_features) for t in tokens(text)]
            idx, counts = np.unique(np.concatenate(hashed) if hashed else np.zeros(0, dtype=np.int64),
                                    return_counts=True)
            vals = (1.0 + np.log(counts)) * self.idf[idx]
            norm = np.linalg.norm(vals)
            out[text] = (idx, (vals / norm if norm > 0 else vals).astype(np.float32))
        return [out[text] for text in texts]

    def fit_idf(self, texts: Sequence[str], prefixes: Sequence[str] = ("",)) -> "HashedTfidf":
        """Smoothed IDF from a training corpus (for the features of every namespace prefix)."""
        df = np.zeros(self.n_features, dtype=np.float64)
        for prefix in prefixes:
            for idx, _ in self.rows(texts, prefix):
                df[idx] += 1
        self.idf = (np.log((1 + len(texts)) / (1 + df)) + 1).astype(np.float32)
        return self

    def to_arrays(self, name: str) -> dict[str, np.ndarray]:
        return {f"{name}_idf": self.idf,
                f"{name}_cfg": np.array([self.n_features, *self.char_range, int(self.words)])}

    @classmethod
    def from_arrays(cls, arrays, name: str) -> "HashedTfidf":
        n, lo, hi, words = (int(x) for x in arrays[f"{name}_cfg"])
        return cls(n, (lo, hi), bool(words), np.asarray(arrays[f"{name}_idf"], dtype=np.float32))


def sparse_dot(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> float:
    """Dot product of two ``HashedTfidf.rows`` entries (the cosine, rows being unit vectors)."""
    _, i, j = np.intersect1d(a[0], b[0], assume_unique=True, return_indices=True)
    return float(a[1][i] @ b[1][j])


@lru_cache(maxsize=_TEXT_CACHE)
def _numbers(text: str) -> frozenset[float]:
    """Values of the numbers a text writes in digits ("60,000" is 60000)."""
    return frozenset(parse_number(m) for m in _NUMBER.findall(normalize(text)))


def number_mismatch(claim: str, text: str) -> tuple[list[float], list[float]]:
    """Numbers of the claim absent from the text, and the text's numbers (both empty when agreeing)."""
    cn, tn = _numbers(claim), _numbers(text)
    missing = sorted(cn - tn)
    return (missing, sorted(tn)) if missing and tn else ([], [])


PAIR_DENSE_NAMES = ("cosine", "claim_cover", "text_cover", "jaccard", "char_cos", "claim_has_num",
                    "text_has_num", "num_shared", "num_mismatch", "len_ratio", "novel_share",
                    "negation_diff", "negation_abs_diff", "opposite_predicates", "shared_predicates")


#: The classes ``predicate_classes(text, model=True)`` gives (those of predicates.tsv), in a fixed order: a class's
#: number in a stored ``TextInputs`` vector.
_MODEL_CLASSES: tuple[str, ...] = tuple(sorted({row[1] for row in data_rows("predicates.tsv")}))


@dataclass(frozen=True)
class TextInputs:
    """The half of a pair's features that reads one text alone: its TF-IDF row (``HashedTfidf.rows``), its
    negation cues counted and the model's predicate classes in it. Read once per text, and kept in a store as one
    float32 vector (``to_vector``, ``from_vector``: the same values back)."""

    row: tuple[np.ndarray, np.ndarray]
    negations: int
    predicates: frozenset[str]

    @classmethod
    def read(cls, text: str, tfidf: "HashedTfidf") -> "TextInputs":
        return cls(tfidf.rows([text])[0], len(find_negations(text)), frozenset(predicate_classes(text, model=True)))

    def to_vector(self) -> np.ndarray:
        """[negations, k, k predicate class numbers, the row's indices, its values] (indices < 2**24: exact)."""
        classes = sorted(_MODEL_CLASSES.index(c) for c in self.predicates)
        return np.concatenate([np.array([self.negations, len(classes), *classes], dtype=np.float32),
                               self.row[0].astype(np.float32), self.row[1]])

    @classmethod
    def from_vector(cls, vector: np.ndarray) -> "TextInputs":
        k = int(vector[1])
        rest = vector[2 + k:]
        n = len(rest) // 2
        return cls((rest[:n].astype(np.int64), rest[n:]), int(vector[0]),
                   frozenset(_MODEL_CLASSES[int(i)] for i in vector[2:2 + k]))


def _cues(claim: TextInputs, text: TextInputs) -> tuple[float, float, float, float]:
    neg = text.negations - claim.negations
    return (neg, abs(neg), float(any(OPPOSITES.get(c) in text.predicates for c in claim.predicates)),
            float(bool(claim.predicates & text.predicates)))


def pair_dense(claims: Sequence[str], texts: Sequence[str], cu: np.ndarray, tv: np.ndarray,
               inputs: Callable[[str], TextInputs]) -> np.ndarray:
    """Dense pair features: [u*v, |u-v|, scalar agreement features of ``PAIR_DENSE_NAMES``]; ``inputs`` gives
    each text's ``TextInputs``."""
    scal = np.zeros((len(texts), len(PAIR_DENSE_NAMES)), dtype=np.float32)
    for i, (c, t) in enumerate(zip(claims, texts)):
        ct, tt = set(tokens(c)), set(tokens(t))
        ci, ti = inputs(c), inputs(t)
        inter = len(ct & tt)
        cn, tn = _numbers(c), _numbers(t)
        scal[i] = (float(cu[i] @ tv[i]), inter / max(1, len(ct)), inter / max(1, len(tt)),
                   inter / max(1, len(ct | tt)), sparse_dot(ci.row, ti.row), bool(cn), bool(tn),
                   bool(cn & tn), bool(cn - tn) and bool(tn),
                   min(len(tt), len(ct)) / max(1, len(tt), len(ct)),
                   len(tt - ct) / max(1, len(tt)), *_cues(ci, ti))
    return np.hstack([cu * tv, np.abs(cu - tv), scal]).astype(np.float32)
