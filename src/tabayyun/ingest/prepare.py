"""The per-document work of ingest, done once per document and in any order (in this process or on Dask
workers): content hash, evidence sentences, their index terms, topics, the story features of the lead, and
(with ``embed``) the sentence vectors. What depends on the order of the input (ids, de-duplication,
document frequencies, stories) is left to the one process that commits (``Tabayyun.add_prepared``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Sequence

import numpy as np

from tabayyun.ingest.readers import content_hash
from tabayyun.organise.stories import LeadFeatures, StoryConfig, lead_features
from tabayyun.organise.topics import TopicClassifier
from tabayyun.records import Document, Topic
from tabayyun.store.base import PendingSentence
from tabayyun.text import analyze, content_words, longest_arabic_run, split_sentences

__all__ = ["Prepared", "prepare", "sentence_spans", "MIN_SENTENCE_WORDS", "MAX_PIECE_CHARS"]

#: shorter fragments ("حرب" glued to a last sentence, a tweet of links and hashtags) are not evidence
MIN_SENTENCE_WORDS = 3
# A run of this many Arabic letters is words written without spaces (a word is shorter): a text of no space and no
# punctuation is still evidence, in pieces of ``MAX_PIECE_CHARS``.
RUN_ON_LETTERS = 24
MAX_PIECE_CHARS = 2_000  # a longer sentence is cut in pieces (``pipeline.MAX_CLAIM_CHARS``: one claim's bound)


@dataclass(frozen=True)
class Prepared:
    """A document with everything computed that does not depend on the rest of the base."""

    document: Document
    digest: str  # ``content_hash`` of its text
    sentences: tuple[PendingSentence, ...]
    terms: tuple[str, ...]  # per sentence: its index terms (``analyze``), joined by spaces
    topics: tuple[Topic, ...]
    lead: LeadFeatures
    vectors: np.ndarray | None = None  # per sentence, with ``embed``


def _pieces(text: str, start: int, end: int, size: int = MAX_PIECE_CHARS) -> Iterator[tuple[int, int]]:
    """``text[start:end]`` in pieces of at most ``size`` characters, cut at a space where there is one: a
    sentence that runs on for pages (no punctuation) must not make every claim it is retrieved for slow."""
    while end - start > size:
        cut = text.rfind(" ", start + size // 2, start + size)
        cut = cut if cut > start else start + size
        yield start, cut
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        yield start, end


def sentence_spans(text: str) -> list[PendingSentence]:
    """The evidence sentences of a document text (a sentence over ``MAX_PIECE_CHARS`` is cut in pieces): those
    of ``MIN_SENTENCE_WORDS`` words or more, or holding words written without spaces (``RUN_ON_LETTERS``)."""
    spans: list[PendingSentence] = []
    for sentence in split_sentences(text):
        for start, end in _pieces(text, *sentence):
            piece = text[start:end]
            if content_words(piece) >= MIN_SENTENCE_WORDS or longest_arabic_run(piece) >= RUN_ON_LETTERS:
                spans.append(PendingSentence(position=len(spans), start=start, end=end))
    return spans


def _embed(encoder, texts: list[list[str]]) -> list[np.ndarray]:
    """Per document, the vectors of its sentences; each distinct text of the batch is encoded once."""
    unique = list(dict.fromkeys(t for doc in texts for t in doc))
    row = {t: i for i, t in enumerate(unique)}
    matrix = encoder.encode(unique)
    return [matrix[[row[t] for t in doc]] for doc in texts]


def prepare(documents: Sequence[Document], topics: TopicClassifier, config: StoryConfig,
            encoder=None) -> list[Prepared]:
    """The order-free work of ingest for a batch of documents (``encoder``: an ``Encoder``, or the store's
    ``EmbeddingCache`` of one, to embed the sentences with; None: no vectors)."""
    if not documents:
        return []
    predicted = topics.predict([d.text for d in documents], [d.title for d in documents])
    spans = [sentence_spans(d.text) for d in documents]
    texts = [[d.text[s.start:s.end] for s in doc_spans] for d, doc_spans in zip(documents, spans)]
    vectors: list[np.ndarray | None] = list(_embed(encoder, texts)) if encoder is not None else [None] * len(texts)
    return [Prepared(doc, content_hash(doc.text), tuple(doc_spans), tuple(" ".join(analyze(t)) for t in doc_texts),
                     tuple(subjects), lead_features(doc.title, doc.text, config), doc_vectors)
            for doc, subjects, doc_spans, doc_texts, doc_vectors in zip(documents, predicted, spans, texts, vectors)]

