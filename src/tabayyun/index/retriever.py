"""Hybrid retrieval: BM25 candidates from the lexical index, reranked by sentence-embedding cosine.

The store is the source of truth; ``sync`` brings the lexical index up to the store's last sentence,
so an ingest killed between the two leaves nothing that the next open does not repair.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from tabayyun.errors import TabayyunError
from tabayyun.index.lexical import LOCK_WAIT_S, IndexBusy, LexicalIndex, query_terms
from tabayyun.index.vectors import EmbeddingCache
from tabayyun.records import Document, Evidence
from tabayyun.store.base import Store

__all__ = ["Retriever", "Window"]

_WATERMARK = "lexical_indexed_upto"


@dataclass(frozen=True)
class Window:
    """Which documents may be evidence: those of ``sources`` (any source when empty), dated on or after
    ``since`` and before ``before`` (ISO dates), about one of ``topics`` (IPTC subject ids, any when
    empty). A date bound leaves out undated documents: nothing says when they were published."""

    sources: frozenset[str] = frozenset()
    since: str | None = None
    before: str | None = None
    topics: frozenset[str] = frozenset()

    def admits(self, document: Document) -> bool:
        if self.sources and document.source not in self.sources:
            return False
        if self.since is None and self.before is None:
            return True
        day = (document.date or "")[:10]
        return bool(day) and (self.since is None or day >= self.since[:10]) and (
            self.before is None or day < self.before[:10])


class Retriever:
    """``search`` returns Evidence ranked by ``rerank_weight`` x cosine + (1 - weight) x scaled BM25
    (the cosine for the first ``rerank_n`` BM25 hits), the best sentence of each document; ``candidates``
    returns every candidate sentence, for the fact checks to pick the decisive ones."""

    def __init__(self, store: Store, lexical: LexicalIndex, cache: EmbeddingCache | None,
                 candidates_n: int = 50, rerank_n: int = 12, rerank_weight: float = 0.7,
                 keep_lexical: int = 5, watermark_key: str = _WATERMARK) -> None:
        self.store = store
        self.watermark_key = watermark_key  # where the store keeps how far this index has read it
        self.lexical = lexical
        self.cache = cache
        self.candidates_n = candidates_n
        self.rerank_n = rerank_n  # the first BM25 hits that the vectors rerank (each costs an encoding, cold)
        self.rerank_weight = rerank_weight
        self.keep_lexical = keep_lexical  # the best BM25 hits stay in the results whatever the rerank says
        self.window_reach = 8  # how much deeper the index is read when a window leaves documents out
        self._seen = -1  # the watermark this process last saw

    def sync(self, batch_size: int = 20_000, commit_every: int = 200_000, wait: bool = True,
             analysed: Mapping[str, str] | None = None) -> int:
        """Index every stored sentence the lexical index has not seen; returns how many.

        The work is committed every ``commit_every`` sentences with its watermark, so a catch-up that is
        stopped resumes where it was. Another process indexing at the same time is waited for, or, without
        ``wait``, left to finish (0 is returned: reads go on with what is indexed). ``analysed``: the index
        terms of sentence texts computed ahead (ingest), used instead of analysing them again."""
        mark = int(self.store.get_meta(self.watermark_key) or 0)
        if mark != self._seen:  # another process indexed: see its commits
            self.lexical.index.reload()
            self._seen = mark
        if self.readonly or self.store.max_sentence_id() <= mark:
            return 0
        try:
            self.lexical.lock(LOCK_WAIT_S if wait else 0.0)
        except IndexBusy:
            if wait:
                raise TabayyunError("the search index stayed locked by another tabayyun process; try again") from None
            return 0
        added = pending = 0
        try:
            done = int(self.store.get_meta(self.watermark_key) or 0)  # read again: another writer may have moved it
            self.lexical.delete_after(done)  # anything above the watermark is from an unfinished run
            for sentences in self.store.iter_sentences(after_id=done, batch_size=batch_size):
                count = self.lexical.add(((s.id, s.text) for s in sentences), analysed)
                added, pending, done = added + count, pending + count, sentences[-1].id
                if pending >= commit_every:
                    self.lexical.commit(keep=True)
                    self.store.set_meta(self.watermark_key, str(done))
                    pending = 0
            self.lexical.commit()
            self.store.set_meta(self.watermark_key, str(done))
            self._seen = done
        finally:
            self.lexical.release()
        return added

    def forget(self, sentence_ids: Sequence[int]) -> None:
        """Take removed sentences out of the lexical index (the store has dropped them already: until this
        commits, a search reads past them)."""
        if not sentence_ids or self.readonly:
            return
        self.lexical.lock()
        try:
            self.lexical.delete(sentence_ids)
            self.lexical.commit()
        finally:
            self.lexical.release()

    @property
    def readonly(self) -> bool:
        return self.store.readonly

    def _choose(self, doc_ids: list[str], scores: np.ndarray, k: int) -> list[int]:
        """Indexes of the best-scored hit of each of the ``k`` best documents, best first; the documents
        of the first BM25 hits (``keep_lexical``, a quarter of ``k`` at most) stay in even when the
        vectors rank them lower (a long sentence that states a short claim among other facts)."""
        best: dict[str, int] = {}
        for i in np.argsort(-scores, kind="stable"):
            best.setdefault(doc_ids[i], int(i))
        ranked = list(best.values())
        chosen = ranked[:k]
        kept = list(dict.fromkeys(doc_ids[:min(self.keep_lexical, k // 4)]))
        for doc in kept:
            if best[doc] not in chosen:
                drop = next(i for i in reversed(chosen) if doc_ids[i] not in kept)
                chosen[chosen.index(drop)] = best[doc]
        return sorted(chosen, key=lambda i: -scores[i])

    def candidates(self, text: str, rerank: bool = True, window: Window | None = None) -> list[Evidence]:
        """Every candidate sentence (``candidates`` BM25 hits, several per document possible), best first."""
        return self.search(text, self.candidates_n, rerank, distinct=False, window=window)

    def search(self, text: str, k: int = 5, rerank: bool = True, distinct: bool = True,
               window: Window | None = None) -> list[Evidence]:
        """The ``k`` best sentences, one per document unless ``distinct`` is False, from the documents
        ``window`` admits (the index is read ``window_reach`` times deeper to find them)."""
        self.sync(wait=False)  # sentences stored since (by this process or another) are searched too
        terms = query_terms(text)
        n = max(k, self.candidates_n)
        depth = n * (self.window_reach if window else 1)
        while True:  # one sentence per document: more hits until k documents (or no more hits) are found
            hits = self.lexical.search_terms(terms, depth)
            sentences, documents = self.store.cited_sentences([sid for sid, _ in hits])
            if not distinct or len(hits) < depth or depth >= 64 * k or len(documents) >= k:
                break
            depth *= 4
        hits = [(sid, bm25) for sid, bm25 in hits if sid in sentences]
        if window is not None:
            subjects = self.store.document_topics(list(documents)) if window.topics else {}
            hits = [(sid, bm25) for sid, bm25 in hits if window.admits(documents[sentences[sid].doc_id]) and (
                not window.topics or any(t.id in window.topics for t in subjects.get(sentences[sid].doc_id, ())))][:n]
        if not hits:
            return []
        scores = np.array([bm25 for _, bm25 in hits], dtype=np.float32)
        scores = scores / max(float(scores.max()), 1e-9)
        if rerank and self.cache is not None:
            top = hits[:self.rerank_n]  # the others keep their BM25 share only, below the reranked ones
            vectors = self.cache.encode([text, *(sentences[sid].text for sid, _ in top)])
            cosine = np.zeros(len(hits), dtype=np.float32)
            cosine[:len(top)] = vectors[1:] @ vectors[0]
            scores = self.rerank_weight * cosine + (1 - self.rerank_weight) * scores
        doc_ids = [sentences[sid].doc_id for sid, _ in hits]
        chosen = self._choose(doc_ids, scores, k) if distinct else list(np.argsort(-scores, kind="stable")[:k])
        aliases = self.store.document_aliases([doc_ids[i] for i in chosen])
        return [Evidence(sentence=sentences[hits[i][0]], document=documents[doc_ids[i]], score=float(scores[i]),
                         also_ids=aliases.get(doc_ids[i], [])) for i in chosen]
