"""The embedded default store: one SQLite file in WAL mode.

A file is opened only if tabayyun made it (``PRAGMA application_id``, or the tables of a base made
before the id was set); a base is created only when asked (``ingest``) and only in a new or empty
folder. Writers from several processes wait for each other (``busy_timeout``) instead of failing.
"""
from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from tabayyun.errors import TabayyunError
from tabayyun.records import Sentence
from tabayyun.store.sql import DocRow, IdConflict, SQLStore

__all__ = ["SQLiteStore", "APPLICATION_ID", "SCHEMA_VERSION", "IdConflict"]

APPLICATION_ID = 0x54425959  # "TBYY": the mark of a tabayyun evidence base in the SQLite header
SCHEMA_VERSION = 1  # PRAGMA user_version: a base from a newer tabayyun is refused, not altered
BUSY_TIMEOUT_S = 600.0  # a writer waits this long for another process's transaction
_LEGACY_TABLES = {"documents", "sentences", "meta"}  # a base made before APPLICATION_ID was set has these

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
CREATE TABLE IF NOT EXISTS facts (version TEXT NOT NULL, key TEXT NOT NULL, facts TEXT NOT NULL,
    PRIMARY KEY (version, key)) WITHOUT ROWID;
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
_SENTENCE_HIGH = "sentence_id_high"  # the highest sentence id ever given (removed ones included)
_DOCUMENT_HIGH = "document_seq_high"  # the same for the documents' storage order
_CHUNK = 500  # SQLite's variable limit is far above this; keeps IN (...) lists short


def _chunks(items: Sequence, size: int = _CHUNK):
    for i in range(0, len(items), size):
        yield items[i:i + size]


class SQLiteStore(SQLStore):
    """Store backed by ``<dir>/tabayyun.sqlite``."""

    FILENAME = "tabayyun.sqlite"

    def __init__(self, directory: str | Path, create: bool = True, readonly: bool = False) -> None:
        """``readonly``: read, never write (no vectors kept, no index catch-up by those who follow the store);
        a base whose file or folder cannot be written is opened so anyway."""
        folder = Path(directory)
        path = folder / self.FILENAME
        self.path = path
        if folder.exists() and not folder.is_dir():
            raise TabayyunError(f"{directory} is a file: an evidence base is a folder / قاعدة الأدلة مجلد لا ملف")
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
        super().__init__()

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

    LIST_CHECKS_SQL = (
        "SELECT id, created, substr(text, 1, 200), json_array_length(result), "
        "(SELECT group_concat(json_extract(value, '$.verdict')) FROM json_each(result)), "
        "(SELECT COUNT(DISTINCT claim) FROM reviews WHERE check_id = checks.id) "
        "FROM checks ORDER BY id DESC LIMIT ? OFFSET ?")

    # -- the dialect (see ``SQLStore``) ------------------------------------------------------------
    def _in(self, column: str, values: Iterable) -> Iterator[tuple[str, list]]:
        """A list's length is padded to a power of two (its last value repeated: the same rows), so that a few
        statements, prepared once and kept by ``sqlite3``, serve lists of every length."""
        items = list(values)
        for part in _chunks(items):
            size = 1 << (len(part) - 1).bit_length()
            yield f"{column} IN ({','.join('?' * size)})", [*part, *[part[-1]] * (size - len(part))]

    def _many(self, sql: str, rows: Sequence[Sequence]) -> None:
        self.conn.executemany(sql, rows)

    def _upsert(self, table: str, columns: Sequence[str], key: str) -> str:
        # REPLACE deletes the old row and adds a new one: a row replaced moves to the end of rowid order
        return f"INSERT OR REPLACE INTO {table} ({', '.join(columns)}) VALUES ({','.join('?' * len(columns))})"

    def _connect_reader(self) -> sqlite3.Connection:
        return self._connect()

    def _insert_documents(self, docs: list[DocRow], sentences: list[tuple[str, int, int, int]],
                          aliases: list[tuple[str, str]], topics: list[tuple]) -> None:
        # ids never reused, even after a removal: the index, the vectors and the stories follow ids upwards
        next_doc = max(self._value("SELECT COALESCE(MAX(rowid), 0) FROM documents"),
                       int(self.get_meta(_DOCUMENT_HIGH) or 0)) + 1
        next_sentence = max(self.max_sentence_id(), int(self.get_meta(_SENTENCE_HIGH) or 0)) + 1
        self.conn.executemany("INSERT INTO documents (rowid, id, hash, title, text, source, date, url) "
                              "VALUES (?,?,?,?,?,?,?,?)", [(next_doc + n, *row) for n, row in enumerate(docs)])
        self.conn.executemany('INSERT INTO sentences (id, doc_id, position, start, "end") VALUES (?,?,?,?,?)',
                              [(next_sentence + n, *row) for n, row in enumerate(sentences)])
        self.conn.executemany("INSERT INTO aliases VALUES (?, ?)", aliases)
        self.conn.executemany("INSERT INTO document_topics VALUES (?,?,?,?,?,?)", topics)

    def _before_remove(self, sentences: list[Sentence], seq: int) -> None:
        for key, value in ((_SENTENCE_HIGH, max([s.id for s in sentences], default=0)), (_DOCUMENT_HIGH, seq)):
            if value > int(self.get_meta(key) or 0):
                self.set_meta(key, str(value))

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
