"""Sentence-level BM25 index on tantivy, over the terms of ``tabayyun.text.analyze``.

Terms are computed in Python by the same function for sentences and queries, then indexed with
tantivy's whitespace tokenizer, so index and query always agree.
"""
from __future__ import annotations

import shutil
import tempfile
import time
import uuid
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import tantivy

from tabayyun.memory import TextMemory
from tabayyun.text import analyze, expand_query

__all__ = ["LexicalIndex", "IndexBusy", "query_terms", "QUERY_TERMS"]

LOCK_WAIT_S = 600.0  # how long a writer waits for another process's index writer


class IndexBusy(Exception):
    """Another process holds the index writer."""

_FIELD = "terms"
_ID = "sid"


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field(_ID, stored=True, indexed=True, fast=True)
    builder.add_text_field(_FIELD, stored=False, tokenizer_name="whitespace", index_option="freq")
    return builder.build()


#: The query terms of the last claims searched (the candidates are retrieved by them, then ranked by them).
QUERY_TERMS: TextMemory[tuple[str, ...]] = TextMemory(1_000)


def _query_terms(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(analyze(expand_query(text))))


def query_terms(text: str) -> tuple[str, ...]:
    """The distinct index terms a claim is searched by: its ``expand_query``, analysed (kept in ``QUERY_TERMS``)."""
    return QUERY_TERMS.read(text, _query_terms)


class LexicalIndex:
    """BM25 over sentences; documents are (sentence id, text) pairs."""

    def __init__(self, directory: str | Path, heap_bytes: int = 128_000_000, readonly: bool = False) -> None:
        self.directory = Path(directory)
        self.schema = _schema()
        if readonly:  # read in place; tantivy takes a lock file even to read: a folder it cannot write is copied
            try:
                self.index = tantivy.Index(self.schema, path=str(self.directory), reuse=True)
                self.index.searcher()
            except (ValueError, OSError):
                self._copy = tempfile.TemporaryDirectory(prefix="tabayyun-index-")
                if self.directory.is_dir():
                    shutil.copytree(self.directory, self._copy.name, dirs_exist_ok=True)
                self.directory = Path(self._copy.name)
                self.index = tantivy.Index(self.schema, path=str(self.directory), reuse=True)
        else:
            self.directory.mkdir(parents=True, exist_ok=True)
            self.index = tantivy.Index(self.schema, path=str(self.directory), reuse=True)
        self.heap_bytes = heap_bytes
        self._writer: tantivy.IndexWriter | None = None

    def identity(self) -> str:
        """A random id of this index folder, made on first use: a store followed by several indexes keeps
        one watermark per index under it."""
        path = self.directory / "tabayyun-index-id"
        try:
            with path.open("x", encoding="ascii") as out:
                out.write(uuid.uuid4().hex)
        except FileExistsError:
            pass
        for _ in range(50):  # another process may be writing it right now
            found = path.read_text(encoding="ascii").strip()
            if found:
                return found
            time.sleep(0.02)
        raise OSError(f"{path} is empty")

    def _writer_or_open(self) -> tantivy.IndexWriter:
        if self._writer is None:
            self.lock()
        assert self._writer is not None
        return self._writer

    def lock(self, wait_s: float = LOCK_WAIT_S) -> None:
        """Take the index writer, waiting up to ``wait_s`` for another process to let it go (then
        ``IndexBusy``): two writers queue instead of failing."""
        deadline = time.monotonic() + wait_s
        delay = 0.02
        while self._writer is None:
            try:
                self._writer = self.index.writer(heap_size=self.heap_bytes, num_threads=1)
            except ValueError as exc:
                if "lock" not in str(exc).lower():
                    raise
                if time.monotonic() >= deadline:
                    raise IndexBusy(str(exc)) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.5)

    def release(self) -> None:
        """Let the writer go without committing what was queued."""
        if self._writer is not None:
            self._writer.rollback()
            self._writer = None

    def add(self, sentences: Iterable[tuple[int, str]], analysed: Mapping[str, str] | None = None) -> int:
        """Queue (id, text) pairs; nothing is visible until ``commit``. ``analysed``: sentence text -> its
        terms joined by spaces, computed ahead (ingest), read instead of analysing the text again."""
        writer = self._writer_or_open()
        count = 0
        for sid, text in sentences:
            terms = analysed.get(text) if analysed else None
            writer.add_document(tantivy.Document(**{_ID: [sid], _FIELD: [" ".join(analyze(text)) if terms is None
                                                                          else terms]}))
            count += 1
        return count

    def delete_after(self, sentence_id: int) -> None:
        """Drop every sentence with an id above ``sentence_id`` (undoes a half-finished catch-up)."""
        query = tantivy.Query.range_query(self.schema, _ID, tantivy.FieldType.Integer,
                                          sentence_id + 1, 2**62, include_lower=True, include_upper=True)
        self._writer_or_open().delete_documents_by_query(query)

    def delete(self, sentence_ids: Iterable[int]) -> None:
        """Queue the removal of these sentences (visible at ``commit``)."""
        writer = self._writer_or_open()
        for sid in sentence_ids:
            writer.delete_documents_by_term(_ID, sid)

    def commit(self, keep: bool = False) -> None:
        """Make what was queued visible; ``keep`` holds on to the writer for more."""
        if self._writer is not None:
            self._writer.commit()
            if not keep:
                self._writer.wait_merging_threads()
                self._writer = None
        self.index.reload()

    def search(self, text: str, k: int = 50) -> list[tuple[int, float]]:
        """Top ``k`` (sentence id, BM25 score) for a query text."""
        return self.search_terms(list(dict.fromkeys(analyze(text))), k)

    def search_terms(self, terms: Sequence[str], k: int = 50) -> list[tuple[int, float]]:
        """Top ``k`` (sentence id, BM25 score) for distinct index terms (``search`` of a text analysed already)."""
        if not terms:
            return []
        query = tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, tantivy.Query.term_query(self.schema, _FIELD, t)) for t in terms])
        searcher = self.index.searcher()
        result = searcher.search(query, k)
        seen: dict[int, float] = {}
        for score, address in result.hits:
            sid = searcher.doc(address)[_ID][0]
            seen.setdefault(sid, score)  # a sentence re-added after a crash counts once
        return list(seen.items())

    def __len__(self) -> int:
        return self.index.searcher().num_docs
