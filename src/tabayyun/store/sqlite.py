"""The embedded default store: one SQLite file in WAL mode."""
from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

import numpy as np

from tabayyun.errors import TabayyunError
from tabayyun.records import Document, Review, Sentence, Topic
from tabayyun.store.base import BatchResult, PendingSentence

__all__ = ["SQLiteStore"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, title TEXT NOT NULL, text TEXT NOT NULL,
    source TEXT NOT NULL, date TEXT, url TEXT);
CREATE TABLE IF NOT EXISTS sentences (
    id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(id), position INTEGER NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS sentences_doc ON sentences(doc_id, position);
CREATE TABLE IF NOT EXISTS vectors (model TEXT NOT NULL, key TEXT NOT NULL, vec BLOB NOT NULL,
    PRIMARY KEY (model, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS aliases (id TEXT PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(id));
CREATE INDEX IF NOT EXISTS aliases_doc ON aliases(doc_id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS checks (id INTEGER PRIMARY KEY, created TEXT NOT NULL, text TEXT NOT NULL,
    result TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS checks_created ON checks(created);
CREATE TABLE IF NOT EXISTS reviews (id INTEGER PRIMARY KEY, check_id INTEGER NOT NULL REFERENCES checks(id),
    claim INTEGER NOT NULL, verdict TEXT NOT NULL, rating TEXT NOT NULL, reviewer TEXT NOT NULL,
    note TEXT NOT NULL, cite TEXT NOT NULL, created TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS reviews_check ON reviews(check_id, id);
CREATE TABLE IF NOT EXISTS document_topics (doc_id TEXT NOT NULL REFERENCES documents(id), rank INTEGER NOT NULL,
    topic TEXT NOT NULL, ar TEXT NOT NULL, en TEXT NOT NULL, score REAL NOT NULL, PRIMARY KEY (doc_id, rank))
    WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS document_topics_topic ON document_topics(topic);
"""
# What ``breakdown`` groups documents by (an undated document has the month "").
_BREAKDOWN = {"source": "d.source", "month": "COALESCE(substr(d.date, 1, 7), '')"}
# Sentence text is not stored twice: it is sliced from its document's text on read.
_SENTENCE_SQL = """SELECT s.id, s.doc_id, s.position, s.start, s."end", substr(d.text, s.start + 1, s."end" - s.start)
FROM sentences s JOIN documents d ON d.id = s.doc_id"""
_CHUNK = 500  # SQLite's variable limit is far above this; keeps IN (...) lists short


def _chunks(items: Sequence, size: int = _CHUNK):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _sentence(row: tuple) -> Sentence:
    sid, doc_id, position, start, end, text = row
    return Sentence(id=sid, doc_id=doc_id, position=position, text=text, start=start, end=end)


def _document(row: tuple) -> Document:
    doc_id, title, text, source, date, url = row
    return Document(id=doc_id, title=title, text=text, source=source, date=date, url=url)


class SQLiteStore:
    """Store backed by ``<dir>/tabayyun.sqlite``."""

    FILENAME = "tabayyun.sqlite"

    def __init__(self, directory: str | Path, create: bool = True) -> None:
        path = Path(directory) / self.FILENAME
        if not create and not path.exists():
            raise TabayyunError(f"no evidence base at {directory} (run 'tabayyun ingest' first) / "
                                "لا توجد قاعدة أدلة هنا")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.executescript(SCHEMA)
        except (sqlite3.DatabaseError, OSError) as exc:
            raise TabayyunError(f"cannot open evidence base {path}: {exc}") from None
        self.path = path

    # -- writing ---------------------------------------------------------------------------------
    def add_documents(self, batch: Sequence[tuple[Document, str, Sequence[PendingSentence]]],
                      topics: Mapping[str, Sequence[Topic]] | None = None) -> BatchResult:
        result = BatchResult()
        hashes = [h for _, h, _ in batch]
        ids = [d.id for d, _, _ in batch]
        by_hash: dict[str, str] = {}  # content hash -> id of the document stored with it
        for part in _chunks(hashes):
            by_hash.update(self.conn.execute(
                f"SELECT hash, id FROM documents WHERE hash IN ({','.join('?' * len(part))})", part).fetchall())
        known: set[str] = set()
        for part in _chunks(ids):
            known.update(r[0] for r in self.conn.execute(
                f"SELECT id FROM documents WHERE id IN ({','.join('?' * len(part))})"
                f" UNION SELECT id FROM aliases WHERE id IN ({','.join('?' * len(part))})", part + part))
        doc_rows: list[tuple[str, str, str, str, str, str | None, str | None]] = []
        sent_rows: list[tuple[str, int, int, int]] = []
        alias_rows: list[tuple[str, str]] = []
        topic_rows: list[tuple[str, int, str, str, str, float]] = []
        for doc, digest, sentences in batch:
            if digest in by_hash or doc.id in known:
                if doc.id not in known:  # the same text under another id: both ids lead to it
                    alias_rows.append((doc.id, by_hash[digest]))
                    known.add(doc.id)
                result.skipped += 1
                continue
            known.add(doc.id)
            by_hash[digest] = doc.id
            doc_rows.append((doc.id, digest, doc.title, doc.text, doc.source, doc.date, doc.url))
            sent_rows.extend((doc.id, s.position, s.start, s.end) for s in sentences)
            topic_rows.extend((doc.id, rank, t.id, t.ar, t.en, float(t.score))
                              for rank, t in enumerate((topics or {}).get(doc.id, ())))
            result.added += 1
            result.sentences += len(sentences)
        if doc_rows or alias_rows:
            with self._transaction():
                self.conn.executemany("INSERT INTO documents VALUES (?,?,?,?,?,?,?)", doc_rows)
                self.conn.executemany('INSERT INTO sentences (doc_id, position, start, "end") VALUES (?,?,?,?)',
                                      sent_rows)
                self.conn.executemany("INSERT INTO aliases VALUES (?, ?)", alias_rows)
                self.conn.executemany("INSERT INTO document_topics VALUES (?,?,?,?,?,?)", topic_rows)
        return result

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def save_vectors(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        with self._transaction():
            self.conn.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                                  [(model, k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in vectors.items()])

    def save_check(self, text: str, result: list[dict]) -> int:
        created = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self._transaction():
            cur = self.conn.execute("INSERT INTO checks (created, text, result) VALUES (?, ?, ?)",
                                    (created, text, json.dumps(result, ensure_ascii=False)))
        assert cur.lastrowid is not None  # set by the INSERT
        return cur.lastrowid

    def save_review(self, review: Review) -> Review:
        created = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self._transaction():
            cur = self.conn.execute(
                "INSERT INTO reviews (check_id, claim, verdict, rating, reviewer, note, cite, created) "
                "VALUES (?,?,?,?,?,?,?,?)", (review.check_id, review.claim, review.verdict, review.rating,
                                             review.reviewer, review.note, json.dumps(list(review.cite)), created))
        return replace(review, id=cur.lastrowid, created=created)

    # -- reading ---------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def get_document(self, doc_id: str) -> Document | None:
        return self.get_documents([doc_id]).get(doc_id)

    def get_documents(self, doc_ids: Sequence[str]) -> dict[str, Document]:
        out: dict[str, Document] = {}
        for part in _chunks(list(dict.fromkeys(doc_ids))):
            for row in self.conn.execute("SELECT id, title, text, source, date, url FROM documents "
                                         f"WHERE id IN ({','.join('?' * len(part))})", part):
                out[row[0]] = _document(row)
        return out

    def document_aliases(self, doc_ids: Sequence[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for part in _chunks(list(dict.fromkeys(doc_ids))):
            for alias, doc_id in self.conn.execute(
                    f"SELECT id, doc_id FROM aliases WHERE doc_id IN ({','.join('?' * len(part))}) ORDER BY rowid",
                    part):
                out.setdefault(doc_id, []).append(alias)
        return out

    def document_topics(self, doc_ids: Sequence[str]) -> dict[str, list[Topic]]:
        out: dict[str, list[Topic]] = {}
        for part in _chunks(list(dict.fromkeys(doc_ids))):
            for doc_id, topic, ar, en, score in self.conn.execute(
                    "SELECT doc_id, topic, ar, en, score FROM document_topics "
                    f"WHERE doc_id IN ({','.join('?' * len(part))}) ORDER BY doc_id, rank", part):
                out.setdefault(doc_id, []).append(Topic(id=topic, ar=ar, en=en, score=score))
        return out

    def get_sentences(self, ids: Sequence[int]) -> dict[int, Sentence]:
        out: dict[int, Sentence] = {}
        for part in _chunks(list(dict.fromkeys(int(i) for i in ids))):
            for row in self.conn.execute(f"{_SENTENCE_SQL} WHERE s.id IN ({','.join('?' * len(part))})", part):
                out[row[0]] = _sentence(row)
        return out

    def document_sentences(self, doc_id: str) -> list[Sentence]:
        rows = self.conn.execute(f"{_SENTENCE_SQL} WHERE s.doc_id = ? ORDER BY s.position", (doc_id,))
        return [_sentence(r) for r in rows]

    def iter_sentences(self, after_id: int = 0, batch_size: int = 10_000) -> Iterator[list[Sentence]]:
        last = after_id
        while True:
            rows = self.conn.execute(f"{_SENTENCE_SQL} WHERE s.id > ? ORDER BY s.id LIMIT ?",
                                     (last, batch_size)).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield [_sentence(r) for r in rows]

    def max_sentence_id(self) -> int:
        return self.conn.execute("SELECT COALESCE(MAX(id), 0) FROM sentences").fetchone()[0]

    def counts(self) -> dict[str, int]:
        docs = self.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        sents = self.conn.execute("SELECT COUNT(*) FROM sentences").fetchone()[0]
        return {"documents": docs, "sentences": sents}

    def breakdown(self, by: str) -> list[dict[str, Any]]:
        if by not in _BREAKDOWN:
            raise ValueError(f"breakdown by 'source' or 'month', not {by!r}")
        rows = self.conn.execute(
            f"SELECT {_BREAKDOWN[by]} AS k, COUNT(*), SUM(n), MIN(d.date), MAX(d.date) FROM documents d "
            "LEFT JOIN (SELECT doc_id, COUNT(*) AS n FROM sentences GROUP BY doc_id) s ON s.doc_id = d.id "
            "GROUP BY k ORDER BY k")
        return [{by: key, "documents": docs, "sentences": int(sents or 0), "first": first, "last": last}
                for key, docs, sents, first, last in rows]

    def load_vectors(self, model: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for part in _chunks(list(keys)):
            for key, blob in self.conn.execute(
                    f"SELECT key, vec FROM vectors WHERE model = ? AND key IN ({','.join('?' * len(part))})",
                    [model, *part]):
                out[key] = np.frombuffer(blob, dtype=np.float32)
        return out

    def get_check(self, check_id: int) -> dict | None:
        row = self.conn.execute("SELECT id, created, text, result FROM checks WHERE id = ?", (check_id,)).fetchone()
        return None if row is None else {"id": row[0], "created": row[1], "text": row[2], "claims": json.loads(row[3])}

    def list_checks(self, limit: int = 50, offset: int = 0) -> list[dict]:
        rows = self.conn.execute(
            "SELECT id, created, substr(text, 1, 200), json_array_length(result), "
            "(SELECT group_concat(json_extract(value, '$.verdict')) FROM json_each(result)), "
            "(SELECT COUNT(DISTINCT claim) FROM reviews WHERE check_id = checks.id) "
            "FROM checks ORDER BY id DESC LIMIT ? OFFSET ?", (limit, offset))
        return [{"id": r[0], "created": r[1], "text": r[2], "claims": r[3],
                 "verdicts": r[4].split(",") if r[4] else [], "reviewed": r[5]} for r in rows]

    def reviews(self, check_ids: Sequence[int]) -> dict[int, list[Review]]:
        out: dict[int, list[Review]] = {}
        for part in _chunks(list(dict.fromkeys(check_ids))):
            for row in self.conn.execute(
                    "SELECT id, check_id, claim, verdict, rating, reviewer, note, cite, created FROM reviews "
                    f"WHERE check_id IN ({','.join('?' * len(part))}) ORDER BY id", part):
                out.setdefault(row[1], []).append(Review(
                    id=row[0], check_id=row[1], claim=row[2], verdict=row[3], rating=row[4], reviewer=row[5],
                    note=row[6], cite=tuple(json.loads(row[7])), created=row[8]))
        return out

    def iter_checks(self, since: str | None = None, before: str | None = None,
                    batch_size: int = 500) -> Iterator[list[dict]]:
        after = 0
        while True:
            rows = self.conn.execute(
                "SELECT id, created, text, result FROM checks WHERE id > ? AND created >= ? AND created < ? "
                "ORDER BY id LIMIT ?", (after, since or "", before or "\uffff", batch_size)).fetchall()
            if not rows:
                return
            yield [{"id": r[0], "created": r[1], "text": r[2], "claims": json.loads(r[3])} for r in rows]
            after = rows[-1][0]

    def close(self) -> None:
        self.conn.close()
