"""The service's one door onto the pipeline: every call goes through one lock.

The store holds a single SQLite connection, so pipeline calls are serialized here; the API and the
web pages both call these methods, never the stages themselves.
"""
from __future__ import annotations

import io
import tempfile
import threading
from pathlib import Path
from typing import Any, Iterable, Sequence

from tabayyun.errors import TabayyunError
from tabayyun.index import Window
from tabayyun.ingest import read_documents, validate_record
from tabayyun.organise.topics import known_subject
from tabayyun.pipeline import Tabayyun
from tabayyun.publish import Publisher, make_review, reviewed_checks, write_export
from tabayyun.records import Document

__all__ = ["Desk", "UPLOAD_SUFFIXES"]

UPLOAD_SUFFIXES = (".jsonl", ".csv", ".txt", ".jsonl.gz", ".csv.gz")


class FairLock:
    """A lock served in order of arrival (``threading.Lock`` is not: a thread that lets it go and takes it
    again at once can starve the others). A long check takes it claim by claim and lets others in."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._next = self._serving = 0

    def __enter__(self) -> None:
        with self._cond:
            ticket = self._next
            self._next += 1
            self._cond.wait_for(lambda: self._serving == ticket)

    def __exit__(self, *exc: object) -> None:
        with self._cond:
            self._serving += 1
            self._cond.notify_all()


class Desk:
    """Thread-safe checks, searches and additions on one evidence base."""

    def __init__(self, tb: Tabayyun) -> None:
        self.tb = tb
        self.lock = FairLock()

    def check(self, text: str, all_claims: bool = False) -> dict[str, Any]:
        """Check a text, keep the check in the history, and return it as saved. The lock is taken claim by
        claim: a long check does not keep the other requests waiting until it ends."""
        pending = self.tb.iter_check(text, all_claims=all_claims)
        verdicts_done = []
        while True:
            with self.lock:
                verdict = next(pending, None)
            if verdict is None:
                break
            verdicts_done.append(verdict)
        with self.lock:
            verdicts = self.tb.place_post(text, verdicts_done)
            check_id = self.tb.save_check(text, verdicts)
            saved = self.tb.store.get_check(check_id)
        assert saved is not None  # just saved
        return saved

    def verify(self, claim: str) -> dict[str, Any]:
        with self.lock:
            return self.tb.verify(claim).to_dict()

    def search(self, query: str, limit: int, window: Window | None = None) -> list[dict[str, Any]]:
        if not query.strip():
            raise TabayyunError("empty query / الاستعلام فارغ")
        with self.lock:
            return [e.to_dict(weighed=False) for e in self.tb.search(query, limit, window)]

    def document(self, doc_id: str) -> dict[str, Any] | None:
        """A document with its evidence sentences (id, position, start, end, text) and topics, or None."""
        with self.lock:
            doc = self.tb.store.get_document(doc_id)
            if doc is None:
                return None
            sentences = self.tb.store.document_sentences(doc_id)
            topics = self.tb.store.document_topics([doc_id]).get(doc_id, [])
        return {**doc.to_dict(), "sentences": [{"id": s.id, "position": s.position, "start": s.start,
                                                "end": s.end, "text": s.text} for s in sentences],
                "topics": [t.to_dict() for t in topics]}

    def remove_document(self, doc_id: str) -> bool:
        with self.lock:
            return self.tb.remove_document(doc_id)

    def correct_document(self, doc_id: str, fields: dict[str, Any]) -> bool:
        """Correct a stored document: ``fields`` (ingest shape, without ``id``) replace its own; False if none."""
        with self.lock:
            old = self.tb.store.get_document(doc_id)
            if old is None:
                return False
            record = {**{k: v for k, v in old.to_dict().items() if v}, **{k: v for k, v in fields.items() if v}}
            document = validate_record({**record, "id": doc_id}, "the corrected document", old.source)
            return self.tb.correct_document(document)

    def stories(self, since: str | None = None, until: str | None = None, source: str | None = None,
                topic: str | None = None, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Stories newest first, with counts of documents, sources and verdicts (not the document lists)."""
        if topic is not None:
            known_subject(topic)
        with self.lock:
            stories = self.tb.list_stories(since, until, source, topic, limit, offset)
        return [{**{k: v for k, v in s.to_dict().items() if k != "documents"}, "n_documents": len(s.documents)}
                for s in stories]

    def story(self, story_id: str) -> dict[str, Any] | None:
        """A story with its documents (id, title, source, date, url; no text), in the order they joined."""
        with self.lock:
            story = self.tb.find_story(story_id)
            if story is None:
                return None
            docs = self.tb.store.get_documents(story.documents)
        return {**story.to_dict(), "documents": [{k: v for k, v in docs[d].to_dict().items() if k != "text"}
                                                 for d in story.documents if d in docs]}

    def get_check(self, check_id: int) -> dict[str, Any] | None:
        with self.lock:
            return self.tb.store.get_check(check_id)

    def reviewed_check(self, check_id: int) -> dict[str, Any] | None:
        """A saved check as reviewed (machine and signed verdicts, history), or None."""
        with self.lock:
            try:
                return next(reviewed_checks(self.tb.store, check_id=check_id))
            except TabayyunError:  # no such check
                return None

    def review(self, check_id: int, claim: int, verdict: str, reviewer: str, rating: str | None = None,
               note: str = "", cite: Sequence[str] = ()) -> dict[str, Any] | None:
        """Sign a review of claim ``claim`` (from 0) of a check; None if there is no such check."""
        with self.lock:
            check = self.tb.store.get_check(check_id)
            if check is None:
                return None
            review = make_review(check, claim, verdict, reviewer, rating, note, cite)
            unknown = [c for c in review.cite if c not in self.tb.store.get_documents(list(review.cite))]
            if unknown:
                raise TabayyunError(f"no document '{unknown[0]}' to cite / لا يوجد مستند بهذا المعرّف")
            return self.tb.store.save_review(review).to_dict()

    def export(self, fmt: str, since: str | None, before: str | None, check_id: int | None) -> tuple[str, int]:
        """An export of reviewed checks (``publish.write_export``): its text and its number of claims."""
        out = io.StringIO()
        with self.lock:
            n = write_export(self.tb.store, out, fmt, since, before, check_id)
        return out.getvalue(), n

    def publisher(self) -> Publisher:
        with self.lock:
            return Publisher.load(self.tb.store)

    def checks(self, limit: int, offset: int) -> list[dict[str, Any]]:
        with self.lock:
            return self.tb.store.list_checks(limit, offset)

    def breakdown(self, by: str) -> list[dict[str, Any]]:
        with self.lock:
            return self.tb.store.breakdown(by)

    def counts(self) -> dict[str, int]:
        """Not behind the lock: the store counts on a connection of its own, so ``/healthz`` answers while
        a long check runs."""
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
        with self.lock:  # one batch: the whole call lands in one transaction, or nothing does
            summary = self.tb.add_documents(documents, batch_size=len(documents))
        return {"documents_added": summary.documents_added, "documents_skipped": summary.documents_skipped,
                "sentences_indexed": summary.sentences_indexed}

    def close(self) -> None:
        with self.lock:
            self.tb.close()
