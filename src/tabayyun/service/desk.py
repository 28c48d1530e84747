"""The service's one door onto the pipeline: every call goes through one lock.

The store holds a single SQLite connection, so pipeline calls are serialized here; the API and the
web pages both call these methods, never the stages themselves.
"""
from __future__ import annotations

import tempfile
import threading
from pathlib import Path
from typing import Any, Iterable

from tabayyun.errors import TabayyunError
from tabayyun.ingest import read_documents, validate_record
from tabayyun.pipeline import Tabayyun
from tabayyun.records import Document

__all__ = ["Desk", "UPLOAD_SUFFIXES"]

UPLOAD_SUFFIXES = (".jsonl", ".csv", ".txt", ".jsonl.gz", ".csv.gz")


class Desk:
    """Thread-safe checks, searches and additions on one evidence base."""

    def __init__(self, tb: Tabayyun) -> None:
        self.tb = tb
        self.lock = threading.Lock()

    def check(self, text: str, all_claims: bool = False) -> dict[str, Any]:
        """Check a text, keep the check in the history, and return it as saved."""
        with self.lock:
            claims = [v.to_dict() for v in self.tb.check(text, all_claims=all_claims)]
            check_id = self.tb.store.save_check(text, claims)
            self.tb.store.attach_claims(check_id, [(n, c["story"]["id"], c["claim"], c["verdict"])
                                                   for n, c in enumerate(claims) if c["story"] is not None])
            saved = self.tb.store.get_check(check_id)
            assert saved is not None  # just saved, under the lock
            return saved

    def verify(self, claim: str) -> dict[str, Any]:
        with self.lock:
            return self.tb.verify(claim).to_dict()

    def search(self, query: str, limit: int) -> list[dict[str, Any]]:
        if not query.strip():
            raise TabayyunError("empty query / الاستعلام فارغ")
        with self.lock:
            return [e.to_dict() for e in self.tb.search(query, limit)]

    def document(self, doc_id: str) -> dict[str, Any] | None:
        """A document with its evidence sentences (id, position, start, end, text), or None."""
        with self.lock:
            doc = self.tb.store.get_document(doc_id)
            if doc is None:
                return None
            sentences = self.tb.store.document_sentences(doc_id)
        return {**doc.to_dict(), "sentences": [{"id": s.id, "position": s.position, "start": s.start,
                                                "end": s.end, "text": s.text} for s in sentences]}

    def stories(self, since: str | None = None, until: str | None = None, source: str | None = None,
                topic: str | None = None, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Stories newest first, with counts of documents, sources and verdicts (not the document lists)."""
        with self.lock:
            stories = self.tb.store.list_stories(since, until, source, topic, limit, offset)
        return [{**{k: v for k, v in s.to_dict().items() if k != "documents"}, "n_documents": len(s.documents)}
                for s in stories]

    def story(self, story_id: str) -> dict[str, Any] | None:
        """A story with its documents (id, title, source, date, url; no text), in the order they joined."""
        with self.lock:
            story = self.tb.store.get_story(story_id)
            if story is None:
                return None
            docs = self.tb.store.get_documents(story.documents)
        return {**story.to_dict(), "documents": [{k: v for k, v in docs[d].to_dict().items() if k != "text"}
                                                 for d in story.documents if d in docs]}

    def get_check(self, check_id: int) -> dict[str, Any] | None:
        with self.lock:
            return self.tb.store.get_check(check_id)

    def checks(self, limit: int, offset: int) -> list[dict[str, Any]]:
        with self.lock:
            return self.tb.store.list_checks(limit, offset)

    def counts(self) -> dict[str, int]:
        with self.lock:
            return self.tb.store.counts()

    def add_records(self, records: Iterable[Any], source: str) -> dict[str, int]:
        """Validate every record (ingest shape) first, then add them all."""
        documents = []
        for n, record in enumerate(records, 1):
            if not isinstance(record, dict):
                raise TabayyunError(f"record {n}: expected a JSON object")
            documents.append(validate_record(record, f"record {n}", source))
        return self._add(documents)

    def add_file(self, name: str, data: bytes, source: str | None) -> dict[str, int]:
        """Add the documents of an uploaded JSONL/CSV/text file (read by the ingest readers)."""
        base = Path(name or "upload").name
        suffix = next((s for s in UPLOAD_SUFFIXES if base.lower().endswith(s)), None)
        if suffix is None:
            raise TabayyunError(f"{base}: expected a file ending in {', '.join(UPLOAD_SUFFIXES)}")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"upload{suffix}"
            path.write_bytes(data)
            try:
                documents = list(read_documents([path], source or Path(base[: -len(suffix)]).name))
            except TabayyunError as exc:
                raise TabayyunError(str(exc).replace(str(path), base)) from None
        return self._add(documents)

    def _add(self, documents: list[Document]) -> dict[str, int]:
        if not documents:
            raise TabayyunError("no documents given / لا توجد مستندات")
        with self.lock:
            summary = self.tb.add_documents(documents)
        return {"documents_added": summary.documents_added, "documents_skipped": summary.documents_skipped,
                "sentences_indexed": summary.sentences_indexed}

    def close(self) -> None:
        with self.lock:
            self.tb.close()
