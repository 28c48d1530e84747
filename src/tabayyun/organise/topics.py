"""Subjects of a text: the IPTC Media Topics top level (17 subjects) and a calibrated classifier over it.

The taxonomy lives in ``data/topics.tsv``. ``TopicClassifier`` is a linear model (logistic loss) on
hashed TF-IDF (``tabayyun.models.features``) of the title and the first ``max_chars`` characters of a
text; a softmax with a temperature fitted on held-out scores turns its scores into calibrated
probabilities over the 17 subjects (they sum to 1). ``predict`` returns the most probable subject always, and a second and
third one when their probability reaches ``threshold`` (0.2 unless the artefact says otherwise).
Training: ``tabayyun.organise.train``.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Sequence

import numpy as np

from tabayyun.errors import TabayyunError
from tabayyun.index.vectors import TextEncoder, UsesEncoder
from tabayyun.models.artefacts import load_artefact
from tabayyun.models.features import HashedTfidf
from tabayyun.models.linear import LinearHead, log_softmax, softmax
from tabayyun.records import Topic

__all__ = ["Subject", "taxonomy", "subject_ids", "known_subject", "combine_topics", "model_text", "title_text",
           "TopicFusion", "TopicClassifier", "ARTEFACT", "ARTEFACT_VERSION", "MAX_TOPICS", "SECTIONS", "GATED"]

ARTEFACT = "topics"
ARTEFACT_VERSION = 1  # raised whenever the features or the meaning of the arrays change
MAX_TOPICS = 3
#: ANT's sections a fused model's section head reads: those of the mapped subjects in taxonomy order (arts, economy,
#: science, sport), then the world sections (``middleEast``, ``internationalNews``)
SECTIONS = ("culture", "economy", "technology", "sport", "world")
#: the subjects the first four ``SECTIONS`` gate
GATED = ("arts", "economy", "science", "sport")


@dataclass(frozen=True)
class Subject:
    """One subject of the taxonomy: a short id, its IPTC Media Topics code, names and scope."""

    id: str
    iptc: str
    en: str
    ar: str
    description: str


@lru_cache(maxsize=1)
def taxonomy() -> tuple[Subject, ...]:
    """The 17 subjects, in IPTC code order."""
    text = files("tabayyun.organise").joinpath("data", "topics.tsv").read_text(encoding="utf-8")
    return tuple(Subject(*line.split("\t")) for line in text.splitlines() if line.strip() and not line.startswith("#"))


def subject_ids() -> tuple[str, ...]:
    return tuple(s.id for s in taxonomy())


def combine_topics(per_document: Sequence[Sequence[Topic]], threshold: float = 0.2) -> list[Topic]:
    """The subjects of a set of documents (a story): each subject's mean probability over the documents
    (0 where a document does not have it), the first always, up to two more at ``threshold`` or above."""
    if not per_document:
        return []
    total: dict[str, float] = {}
    names: dict[str, Topic] = {}
    for topics in per_document:
        for t in topics:
            total[t.id] = total.get(t.id, 0.0) + t.score
            names.setdefault(t.id, t)
    ranked = sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_TOPICS]
    return [replace(names[i], score=score / len(per_document)) for n, (i, score) in enumerate(ranked)
            if n == 0 or score / len(per_document) >= threshold]


def known_subject(topic: str) -> str:
    """``topic`` if it is a subject id of the taxonomy; else a one-line error naming the ids."""
    if topic not in subject_ids():
        raise TabayyunError(f"unknown topic '{topic[:64]}' (one of {', '.join(subject_ids())})")
    return topic


def model_text(text: str, title: str = "", max_chars: int = 1000) -> str:
    """What the classifier reads: the title, then the first ``max_chars`` characters of the text."""
    return f"{title}\n{text[:max_chars]}" if title else text[:max_chars]


def title_text(text: str, title: str = "", max_chars: int = 100) -> str:
    """What a title head reads: the title; a text without one (a post): its first ``max_chars`` characters, cut at a
    word."""
    if title.strip():
        return title.strip()
    lead = " ".join(text.split())[:max_chars]
    return lead.rsplit(" ", 1)[0] if len(lead) == max_chars and " " in lead else lead


@dataclass
class TopicFusion:
    """The heads a fused model adds to the TF-IDF head (fifteenth session, EVALUATION.md): a TF-IDF head trained on the
    hand labels, a head on the sentence vector of the title (``title_text``), and a head for ANT's ``SECTIONS``. Score:
    the mean of the three 17-subject heads' log-softmax, plus ``beta`` times the section head's probability of each
    mapped subject's section on that subject (a prior gated by how much the text reads like that section)."""

    hand: LinearHead
    title: LinearHead
    section: LinearHead
    beta: float = 0.0

    def parts(self, main: np.ndarray, rows: list, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The fused score without the prior, and the gate the prior multiplies (zero outside the mapped four)."""
        base = (log_softmax(main) + log_softmax(self.hand.logits(None, rows))
                + log_softmax(self.title.logits(vectors))) / 3
        sections = softmax(self.section.logits(None, rows))
        gate = np.zeros_like(base)
        gate[:, [subject_ids().index(s) for s in GATED]] = sections[:, :len(GATED)]
        return base, gate

    def logits(self, main: np.ndarray, rows: list, vectors: np.ndarray) -> np.ndarray:
        base, gate = self.parts(main, rows, vectors)
        return base + self.beta * gate

    def to_arrays(self) -> dict[str, np.ndarray]:
        return {**self.hand.to_arrays("hand"), **self.title.to_arrays("title"), **self.section.to_arrays("section"),
                "fusion_beta": np.array([self.beta])}

    @classmethod
    def from_arrays(cls, arrays) -> "TopicFusion | None":
        if "fusion_beta" not in arrays:
            return None
        return cls(LinearHead.from_arrays(arrays, "hand"), LinearHead.from_arrays(arrays, "title"),
                   LinearHead.from_arrays(arrays, "section"), float(arrays["fusion_beta"][0]))

    def digest(self, into: hashlib._Hash) -> None:
        into.update(f"fusion:{self.beta}".encode())
        for head in (self.hand, self.title, self.section):
            head.digest(into)


class TopicClassifier(UsesEncoder):
    """Up to ``MAX_TOPICS`` subjects per text, with calibrated probabilities. A model whose head has dense weights
    also reads the sentence vector (encoder ``encoder_name``) of the title and the first ``vector_chars``
    characters; a fused model (``fusion``) reads that encoder's vector of ``title_text`` instead; ``encoder`` may be set
    to a shared cache of that encoder."""

    def __init__(self, tfidf: HashedTfidf, head: LinearHead, threshold: float = 0.2, max_chars: int = 1000,
                 encoder: TextEncoder | None = None, encoder_name: str = "usem3", encoder_dim: int | None = None,
                 vector_chars: int = 300, fusion: TopicFusion | None = None) -> None:
        if head.labels != subject_ids():
            raise TabayyunError("topic model labels do not match the taxonomy "
                                "(retrain: python -m tabayyun.organise.train)")
        self.tfidf = tfidf
        self.head = head
        self.threshold = threshold
        self.max_chars = max_chars
        self.encoder = encoder
        self.encoder_name = encoder_name
        self.encoder_dim = encoder_dim
        self.vector_chars = vector_chars
        self.fusion = fusion
        self._subjects = taxonomy()

    @classmethod
    def pretrained(cls, path: str | Path | None = None, encoder: TextEncoder | None = None) -> "TopicClassifier":
        """The shipped model (or the one in directory ``path``); refuses an artefact of another version."""
        arrays, meta = load_artefact(ARTEFACT, path)
        if meta.get("version") != ARTEFACT_VERSION:
            raise TabayyunError(f"topic model artefact has version {meta.get('version')}, this code reads version "
                                f"{ARTEFACT_VERSION} (retrain: python -m tabayyun.organise.train)")
        return cls(HashedTfidf.from_arrays(arrays, "tfidf"), LinearHead.from_arrays(arrays, "head"),
                   float(meta["threshold"]), int(meta["max_chars"]), encoder, meta.get("encoder", "usem3"),
                   meta.get("encoder_dim"), int(meta.get("vector_chars", 300)), TopicFusion.from_arrays(arrays))

    @property
    def uses_vectors(self) -> bool:
        return bool(len(self.head.dense_w)) or self.fusion is not None

    def proba(self, texts: Sequence[str], titles: Sequence[str] | None = None) -> np.ndarray:
        """Calibrated probabilities, shape (len(texts), 17), columns in taxonomy order."""
        if not texts:
            return np.zeros((0, len(self._subjects)))
        titles = titles or [""] * len(texts)
        dense = self._encode([model_text(t, h, self.vector_chars) for t, h in zip(texts, titles)]) \
            if len(self.head.dense_w) else None
        rows = self.tfidf.rows([model_text(t, h, self.max_chars) for t, h in zip(texts, titles)])
        z = self.head.logits(dense, rows)
        if self.fusion is not None:
            z = self.fusion.logits(z, rows, self._encode([title_text(t, h) for t, h in zip(texts, titles)]))
        return self.head.calibrate(z)

    def predict(self, texts: Sequence[str], titles: Sequence[str] | None = None) -> list[list[Topic]]:
        """Per text, its subjects by decreasing probability: the first always, up to two more above ``threshold``."""
        out = []
        for p in self.proba(texts, titles):
            order = np.argsort(-p, kind="stable")[:MAX_TOPICS]
            out.append([self.topic(int(i), float(p[i])) for n, i in enumerate(order)
                        if n == 0 or p[i] >= self.threshold])
        return out

    def topic(self, i: int, score: float) -> Topic:
        """The ``i``-th subject of the taxonomy with ``score``."""
        s = self._subjects[i]
        return Topic(id=s.id, ar=s.ar, en=s.en, score=score)

    def subject_index(self, topic_id: str) -> int:
        """The number of subject ``topic_id`` in the taxonomy (``topic``'s ``i``)."""
        return next(i for i, s in enumerate(self._subjects) if s.id == topic_id)

    def digest(self, into: hashlib._Hash) -> None:
        """Feed what ``predict`` computes with (features, weights, thresholds, taxonomy) to the hash ``into``."""
        into.update(f"{self.threshold}:{self.max_chars}:{self.vector_chars}:{MAX_TOPICS}:{self._subjects}".encode())
        for name, array in sorted(self.tfidf.to_arrays("tfidf").items()):
            into.update(name.encode())
            into.update(array.ravel(order="K").data)
        self.head.digest(into)
        if self.fusion is not None:
            self.fusion.digest(into)
