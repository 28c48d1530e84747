"""The embedded default store: one SQLite file in WAL mode.

A file is opened only if tabayyun made it (``PRAGMA application_id``, or the tables of a base made
before the id was set); a base is created only when asked (``ingest``) and only in a new or empty
folder. Writers from several processes wait for each other (``busy_timeout``) instead of failing.
"""
from __future__ import annotations

import json
import os
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

import numpy as np

from tabayyun.errors import TabayyunError
from tabayyun.records import Document, Review, Sentence, Story, Topic
from tabayyun.store.base import (VECTOR_SPEC_KEY, BatchResult, PendingSentence, StoryBatch, StoryStateRows,
                                 text_key)

__all__ = ["SQLiteStore", "APPLICATION_ID", "SCHEMA_VERSION", "IdConflict"]

APPLICATION_ID = 0x54425959  # "TBYY": the mark of a tabayyun evidence base in the SQLite header
SCHEMA_VERSION = 1  # PRAGMA user_version: a base from a newer tabayyun is refused, not altered
BUSY_TIMEOUT_S = 600.0  # a writer waits this long for another process's transaction
_LEGACY_TABLES = {"documents", "sentences", "meta"}  # a base made before APPLICATION_ID was set has these


class IdConflict(TabayyunError):
    """A document id already stands for another text."""

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
CREATE TABLE IF NOT EXISTS stories (id TEXT PRIMARY KEY, title TEXT NOT NULL, keywords TEXT NOT NULL,
    entities TEXT NOT NULL, first_date TEXT, last_date TEXT, sources TEXT NOT NULL, size INTEGER NOT NULL,
    state TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS stories_last ON stories(last_date);
CREATE TABLE IF NOT EXISTS story_documents (doc_id TEXT PRIMARY KEY, story_id TEXT NOT NULL, score REAL NOT NULL);
CREATE INDEX IF NOT EXISTS story_documents_story ON story_documents(story_id);
CREATE TABLE IF NOT EXISTS story_aliases (alias TEXT PRIMARY KEY, story_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS story_terms (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS story_claims (check_id INTEGER NOT NULL, position INTEGER NOT NULL,
    story_id TEXT NOT NULL, claim TEXT NOT NULL, verdict TEXT NOT NULL, PRIMARY KEY (check_id, position));
CREATE INDEX IF NOT EXISTS story_claims_story ON story_claims(story_id);
"""
# What ``breakdown`` groups documents by (an undated document has the month "").
_BREAKDOWN = {"source": "d.source", "month": "COALESCE(substr(d.date, 1, 7), '')"}
_STORY_COUNT_KEY = "stories_documents_counted"
_SENTENCE_HIGH = "sentence_id_high"  # the highest sentence id ever given (removed ones included)
_DOCUMENT_HIGH = "document_seq_high"  # the same for the documents' storage order
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

    def __init__(self, directory: str | Path, create: bool = True, readonly: bool = False) -> None:
        """``readonly``: read, never write (no vectors kept, no index catch-up by those who follow the store);
        a base whose file or folder cannot be written is opened so anyway."""
        folder = Path(directory)
        path = folder / self.FILENAME
        self.path = path
        fresh = not path.exists() or path.stat().st_size == 0
        if fresh and (readonly or not create):
            raise TabayyunError(f"no evidence base at {directory} (run 'tabayyun ingest' first) / "
                                "لا توجد قاعدة أدلة هنا")
        ours = {self.FILENAME + suffix for suffix in ("", "-journal", "-wal", "-shm")} | {"index"}
        if fresh and folder.is_dir() and any(p.name not in ours for p in folder.iterdir()):
            raise TabayyunError(f"{directory} is a folder with other files and no evidence base: give a new or "
                                "empty folder / المجلد ليس فارغا")
        self.readonly = readonly or (not fresh and not (os.access(path, os.W_OK) and os.access(folder, os.W_OK)))
        try:
            if fresh:
                folder.mkdir(parents=True, exist_ok=True)
            self.conn = self._connect()
            stamped = not fresh and self._check_identity()
            if not self.readonly:
                if stamped:
                    self.conn.executescript(SCHEMA)  # tables a newer version added
                else:  # a new base (or one made before the mark) gets tables and mark in one transaction
                    self._create()
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA synchronous=NORMAL")
        except (sqlite3.DatabaseError, OSError) as exc:
            raise TabayyunError(f"cannot open evidence base {path}: {exc}") from None
        self._reader: sqlite3.Connection | None = None
        self._reader_lock = threading.Lock()

    def _create(self) -> None:
        try:
            self.conn.executescript(f"BEGIN IMMEDIATE; PRAGMA application_id={APPLICATION_ID}; "
                                    f"PRAGMA user_version={SCHEMA_VERSION}; {SCHEMA}; COMMIT;")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    def _connect(self) -> sqlite3.Connection:
        if not self.readonly:
            return sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False,
                                   timeout=BUSY_TIMEOUT_S)
        # Read-only: a WAL base whose folder cannot be written is read as an immutable file.
        uri = self.path.resolve().as_uri()
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
            return conn
        except sqlite3.OperationalError:
            conn.close()
            return sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None, check_same_thread=False)

    def _check_identity(self) -> bool:
        """Refuse (without writing anything) a file that another program made, or a newer tabayyun; True if
        the file carries tabayyun's application id (False: a base made before the id was set)."""
        app_id = self.conn.execute("PRAGMA application_id").fetchone()[0]
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        ours = app_id == APPLICATION_ID or (app_id == 0 and version == 0 and _LEGACY_TABLES <= tables)
        if not ours:
            self.conn.close()
            raise TabayyunError(f"{self.path} is not a tabayyun evidence base (another program's file?); "
                                "it was left untouched / الملف ليس قاعدة أدلة لتبيّن")
        if version > SCHEMA_VERSION:
            self.conn.close()
            raise TabayyunError(f"{self.path} was made by a newer tabayyun (schema {version}); upgrade tabayyun")
        return app_id == APPLICATION_ID

    # -- writing ---------------------------------------------------------------------------------
    def add_documents(self, batch: Sequence[tuple[Document, str, Sequence[PendingSentence]]],
                      topics: Mapping[str, Sequence[Topic]] | None = None) -> BatchResult:
        with self._transaction():  # the lookups too: another process cannot add the same id in between
            return self._add(batch, topics)

    def _add(self, batch: Sequence[tuple[Document, str, Sequence[PendingSentence]]],
             topics: Mapping[str, Sequence[Topic]] | None) -> BatchResult:
        result = BatchResult()
        hashes = [h for _, h, _ in batch]
        ids = [d.id for d, _, _ in batch]
        by_hash: dict[str, str] = {}  # content hash -> id of the document stored with it
        for part in _chunks(hashes):
            by_hash.update(self.conn.execute(
                f"SELECT hash, id FROM documents WHERE hash IN ({','.join('?' * len(part))})", part).fetchall())
        id_hash = self.document_hashes(ids)
        for doc, digest, _ in batch:
            if id_hash.setdefault(doc.id, digest) != digest:
                raise IdConflict(f"document id '{doc.id}' already stands for another text: give the new text its "
                                 "own id (nothing of this batch was written) / المعرّف مستخدم لنص آخر")
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
        # ids never reused, even after a removal: the index, the vectors and the stories follow ids upwards
        next_doc = max(self.conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM documents").fetchone()[0],
                       int(self.get_meta(_DOCUMENT_HIGH) or 0)) + 1
        next_sentence = max(self.max_sentence_id(), int(self.get_meta(_SENTENCE_HIGH) or 0)) + 1
        self.conn.executemany("INSERT INTO documents (rowid, id, hash, title, text, source, date, url) "
                              "VALUES (?,?,?,?,?,?,?,?)", [(next_doc + n, *row) for n, row in enumerate(doc_rows)])
        self.conn.executemany('INSERT INTO sentences (id, doc_id, position, start, "end") VALUES (?,?,?,?,?)',
                              [(next_sentence + n, *row) for n, row in enumerate(sent_rows)])
        self.conn.executemany("INSERT INTO aliases VALUES (?, ?)", alias_rows)
        self.conn.executemany("INSERT INTO document_topics VALUES (?,?,?,?,?,?)", topic_rows)
        return result

    def remove_document(self, doc_id: str) -> list[Sentence] | None:
        with self._transaction():
            return self._remove(doc_id)

    def replace_document(self, document: Document, digest: str, sentences: Sequence[PendingSentence],
                         topics: Sequence[Topic] = ()) -> tuple[list[Sentence], BatchResult] | None:
        with self._transaction():
            removed = self._remove(document.id)
            if removed is None:
                return None
            return removed, self._add([(document, digest, sentences)], {document.id: topics})

    def _remove(self, doc_id: str) -> list[Sentence] | None:
        """Remove a document (by its id or another id of it) with its sentences, other ids, topics, story
        membership and the vectors of its sentences; None if there is no such document."""
        row = self.conn.execute("SELECT d.id, d.rowid FROM documents d WHERE d.id = ? UNION "
                                "SELECT a.doc_id, d.rowid FROM aliases a JOIN documents d ON d.id = a.doc_id "
                                "WHERE a.id = ?", (doc_id, doc_id)).fetchone()
        if row is None:
            return None
        stored, seq = row
        sentences = self.document_sentences(stored)
        high = max([s.id for s in sentences], default=0)
        for key, value in ((_SENTENCE_HIGH, high), (_DOCUMENT_HIGH, seq)):
            if value > int(self.get_meta(key) or 0):
                self.set_meta(key, str(value))
        keys = [text_key(s.text) for s in sentences]
        for part in _chunks(keys):
            self.conn.execute(f"DELETE FROM vectors WHERE key IN ({','.join('?' * len(part))})", part)
        for table, column in (("sentences", "doc_id"), ("aliases", "doc_id"), ("document_topics", "doc_id"),
                              ("story_documents", "doc_id"), ("documents", "id")):
            self.conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (stored,))
        return sentences

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write transaction: whole or nothing; a full disk or a read-only base is a one-line error."""
        if self.readonly:
            raise TabayyunError(f"{self.path}: the evidence base is read-only here / القاعدة للقراءة فقط")
        if self.conn.in_transaction:  # already inside a caller's transaction: part of it
            yield
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:  # SQLite has already rolled back after some errors (disk full)
                    self.conn.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError as exc:
            raise TabayyunError(f"cannot write the evidence base {self.path}: {exc} (nothing of this write "
                                "was kept) / تعذرت الكتابة") from None

    def set_meta(self, key: str, value: str) -> None:
        with self._transaction():
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def save_vectors(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        if self.readonly:  # a cache: a read-only base keeps them in memory only
            return
        with self._transaction():
            self.conn.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                                  [(model, k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in vectors.items()])

    def vector_spec(self, model: str) -> str | None:
        return self.get_meta(VECTOR_SPEC_KEY + model)

    def reset_vectors(self, model: str, spec: str) -> None:
        with self._transaction():
            self.conn.execute("DELETE FROM vectors WHERE model = ?", (model,))
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (VECTOR_SPEC_KEY + model, spec))

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

    def document_hashes(self, doc_ids: Sequence[str]) -> dict[str, str]:
        """The content hash each known id (document or alias) stands for."""
        out: dict[str, str] = {}
        for part in _chunks(list(dict.fromkeys(doc_ids))):
            marks = ",".join("?" * len(part))
            out.update(self.conn.execute(
                f"SELECT id, hash FROM documents WHERE id IN ({marks}) UNION ALL "
                f"SELECT a.id, d.hash FROM aliases a JOIN documents d ON d.id = a.doc_id WHERE a.id IN ({marks})",
                part + part).fetchall())
        return out

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
        """Documents and sentences, read on a connection of their own: it answers (for ``/healthz``) while
        another thread holds the main one for a long job."""
        with self._reader_lock:
            if self._reader is None:
                self._reader = self._connect()
            docs = self._reader.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
            sents = self._reader.execute("SELECT COUNT(*) FROM sentences").fetchone()[0]
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

    # -- stories ---------------------------------------------------------------------------------
    def documents_after(self, seq: int, limit: int) -> list[tuple[int, Document]]:
        rows = self.conn.execute("SELECT rowid, id, title, text, source, date, url FROM documents WHERE rowid > ? "
                                 "ORDER BY rowid LIMIT ?", (seq, limit)).fetchall()
        return [(r[0], _document(r[1:])) for r in rows]

    def story_state(self) -> StoryStateRows:
        return StoryStateRows(
            df=dict(self.conn.execute("SELECT term, df FROM story_terms").fetchall()),
            n_docs=int(self.get_meta(_STORY_COUNT_KEY) or 0),
            stories={sid: json.loads(state) for sid, state in self.conn.execute("SELECT id, state FROM stories")},
            aliases=dict(self.conn.execute("SELECT alias, story_id FROM story_aliases").fetchall()))

    def story_terms(self, terms: Sequence[str]) -> tuple[dict[str, int], int]:
        out: dict[str, int] = {}
        for part in _chunks(list(dict.fromkeys(terms))):
            out.update(self.conn.execute(
                f"SELECT term, df FROM story_terms WHERE term IN ({','.join('?' * len(part))})", part).fetchall())
        return out, int(self.get_meta(_STORY_COUNT_KEY) or 0)

    def story_states(self, story_ids: Sequence[str]) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for part in _chunks(list(dict.fromkeys(story_ids))):
            for sid, state in self.conn.execute(
                    f"SELECT id, state FROM stories WHERE id IN ({','.join('?' * len(part))})", part):
                out[sid] = json.loads(state)
        return out

    def save_story_batch(self, batch: StoryBatch) -> None:
        with self._transaction():
            self.conn.executemany(
                "INSERT OR REPLACE INTO stories VALUES (?,?,?,?,?,?,?,?,?)",
                [(sid, r["title"], json.dumps(r["keywords"], ensure_ascii=False),
                  json.dumps(r["entities"], ensure_ascii=False), r["first_date"], r["last_date"],
                  json.dumps(r["sources"], ensure_ascii=False), r["size"], json.dumps(r["state"], ensure_ascii=False))
                 for sid, r in batch.stories.items()])
            self.conn.executemany("INSERT OR REPLACE INTO story_documents VALUES (?,?,?)", batch.members)
            for alias, target in batch.aliases.items():
                self.conn.execute("UPDATE story_documents SET story_id = ? WHERE story_id = ?", (target, alias))
                self.conn.execute("UPDATE story_claims SET story_id = ? WHERE story_id = ?", (target, alias))
                self.conn.execute("INSERT OR REPLACE INTO story_aliases VALUES (?, ?)", (alias, target))
            self.conn.executemany("DELETE FROM stories WHERE id = ?", [(sid,) for sid in batch.removed])
            self.conn.executemany("INSERT OR REPLACE INTO story_terms VALUES (?, ?)", list(batch.df.items()))
            self.set_meta(_STORY_COUNT_KEY, str(batch.n_docs))
            self.set_meta(batch.watermark_key, str(batch.watermark))

    def clear_stories(self, watermark_key: str) -> None:
        with self._transaction():
            for table in ("stories", "story_documents", "story_aliases", "story_terms"):
                self.conn.execute(f"DELETE FROM {table}")
            self.conn.execute("DELETE FROM meta WHERE key IN (?, ?)", (watermark_key, _STORY_COUNT_KEY))

    def resolve_story(self, story_id: str) -> str | None:
        row = self.conn.execute("SELECT id FROM stories WHERE id = ? UNION ALL SELECT story_id FROM story_aliases "
                                "WHERE alias = ?", (story_id, story_id)).fetchone()
        return row[0] if row else None

    def count_stories(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0]

    def story_of_documents(self, doc_ids: Sequence[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for part in _chunks(list(dict.fromkeys(doc_ids))):
            out.update(self.conn.execute(
                f"SELECT doc_id, story_id FROM story_documents WHERE doc_id IN ({','.join('?' * len(part))})",
                part).fetchall())
        return out

    def _story(self, row: tuple, documents: list[str]) -> Story:
        sid, title, keywords, entities, first, last, sources = row
        claims = [{"check_id": r[0], "position": r[1], "claim": r[2], "verdict": r[3]} for r in self.conn.execute(
            "SELECT check_id, position, claim, verdict FROM story_claims WHERE story_id = ? "
            "ORDER BY check_id, position",
            (sid,))]
        aliases = [r[0] for r in self.conn.execute("SELECT alias FROM story_aliases WHERE story_id = ? ORDER BY alias",
                                                   (sid,))]
        return Story(id=sid, title=title, keywords=json.loads(keywords), entities=json.loads(entities),
                     first_date=first, last_date=last, sources=json.loads(sources), documents=documents, claims=claims,
                     aliases=aliases)

    _STORY_COLUMNS = "s.id, s.title, s.keywords, s.entities, s.first_date, s.last_date, s.sources"

    def get_story(self, story_id: str) -> Story | None:
        sid = self.resolve_story(story_id)
        if sid is None:
            return None
        row = self.conn.execute(f"SELECT {self._STORY_COLUMNS} FROM stories s WHERE s.id = ?", (sid,)).fetchone()
        docs = [r[0] for r in self.conn.execute("SELECT doc_id FROM story_documents WHERE story_id = ? ORDER BY rowid",
                                                (sid,))]
        return self._story(row, docs)

    def list_stories(self, since: str | None = None, until: str | None = None, source: str | None = None,
                     topic: str | None = None, limit: int = 50, offset: int = 0) -> list[Story]:
        where, args = [], []
        if since:
            where.append("s.last_date >= ?")
            args.append(since)
        if until:
            where.append("s.first_date <= ?")
            args.append(until + "\uffff")  # a timestamp of that day is not after it
        if source:
            where.append("EXISTS (SELECT 1 FROM story_documents sd JOIN documents d ON d.id = sd.doc_id "
                         "WHERE sd.story_id = s.id AND d.source = ?)")
            args.append(source)
        if topic:  # a story is about a subject when one of its documents has it among its topics
            where.append("EXISTS (SELECT 1 FROM story_documents sd JOIN document_topics dt ON dt.doc_id = sd.doc_id "
                         "WHERE sd.story_id = s.id AND dt.topic = ?)")
            args.append(topic)
        sql = (f"SELECT {self._STORY_COLUMNS} FROM stories s {'WHERE ' + ' AND '.join(where) if where else ''} "
               "ORDER BY s.last_date IS NULL, s.last_date DESC, s.size DESC, s.id LIMIT ? OFFSET ?")
        rows = self.conn.execute(sql, [*args, limit, offset]).fetchall()
        members: dict[str, list[str]] = {}
        for part in _chunks([r[0] for r in rows]):
            for doc_id, sid in self.conn.execute(
                    f"SELECT doc_id, story_id FROM story_documents WHERE story_id IN ({','.join('?' * len(part))}) "
                    "ORDER BY rowid", part):
                members.setdefault(sid, []).append(doc_id)
        return [self._story(r, members.get(r[0], [])) for r in rows]

    def attach_claims(self, check_id: int, claims: Sequence[tuple[int, str, str, str]]) -> None:
        with self._transaction():
            self.conn.execute("DELETE FROM story_claims WHERE check_id = ?", (check_id,))
            self.conn.executemany("INSERT INTO story_claims VALUES (?, ?, ?, ?, ?)",
                                  [(check_id, pos, sid, claim, verdict) for pos, sid, claim, verdict in claims])

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
        self.conn.close()
