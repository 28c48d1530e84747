"""Hybrid retrieval: BM25 candidates from the lexical index, reranked by sentence-embedding cosine.

The store is the source of truth; ``sync`` brings the lexical index up to the store's last sentence,
so an ingest killed between the two leaves nothing that the next open does not repair.
"""
from __future__ import annotations

import numpy as np

from tabayyun.index.lexical import LexicalIndex
from tabayyun.index.vectors import EmbeddingCache
from tabayyun.records import Evidence
from tabayyun.store.base import Store
from tabayyun.text import entity_aliases, extract_entities

__all__ = ["Retriever"]

_WATERMARK = "lexical_indexed_upto"


def expand_query(text: str) -> str:
    """The query with every other spelling of the entities it names (قسد -> قوات سوريا الديمقراطية)."""
    extra = [a for e in extract_entities(text) for a in entity_aliases(e.canonical) if a not in text]
    return " ".join([text, *dict.fromkeys(extra)])


class Retriever:
    """``search`` returns Evidence ranked by ``rerank_weight`` x cosine + (1 - weight) x scaled BM25,
    the best sentence of each document (so evidence lists distinct documents)."""

    def __init__(self, store: Store, lexical: LexicalIndex, cache: EmbeddingCache | None,
                 candidates: int = 50, rerank_weight: float = 0.7) -> None:
        self.store = store
        self.lexical = lexical
        self.cache = cache
        self.candidates = candidates
        self.rerank_weight = rerank_weight

    def sync(self, batch_size: int = 20_000) -> int:
        """Index every stored sentence the lexical index has not seen; returns how many."""
        done = int(self.store.get_meta(_WATERMARK) or 0)
        if self.store.max_sentence_id() <= done:
            return 0
        self.lexical.delete_after(done)  # anything above the watermark is from an unfinished run
        added = 0
        for sentences in self.store.iter_sentences(after_id=done, batch_size=batch_size):
            added += self.lexical.add((s.id, s.text) for s in sentences)
            done = sentences[-1].id
        self.lexical.commit()
        self.store.set_meta(_WATERMARK, str(done))
        return added

    def search(self, text: str, k: int = 5, rerank: bool = True) -> list[Evidence]:
        hits = self.lexical.search(expand_query(text), max(k, self.candidates))
        if not hits:
            return []
        sentences = self.store.get_sentences([sid for sid, _ in hits])
        hits = [(sid, bm25) for sid, bm25 in hits if sid in sentences]
        documents = self.store.get_documents([sentences[sid].doc_id for sid, _ in hits])
        scores = np.array([bm25 for _, bm25 in hits], dtype=np.float32)
        scores = scores / max(float(scores.max()), 1e-9)
        if rerank and self.cache is not None:
            vectors = self.cache.encode([text, *(sentences[sid].text for sid, _ in hits)])
            cosine = vectors[1:] @ vectors[0]
            scores = self.rerank_weight * cosine + (1 - self.rerank_weight) * scores
        aliases = self.store.document_aliases(list(documents))
        out: list[Evidence] = []
        seen: set[str] = set()
        for i in np.argsort(-scores, kind="stable"):
            sentence = sentences[hits[i][0]]
            if sentence.doc_id not in seen:
                seen.add(sentence.doc_id)
                out.append(Evidence(sentence=sentence, document=documents[sentence.doc_id], score=float(scores[i]),
                                    also_ids=aliases.get(sentence.doc_id, [])))
                if len(out) == k:
                    break
        return out
