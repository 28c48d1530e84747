"""The embedded default store: one SQLite file in WAL mode."""
from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from tabayyun.errors import TabayyunError
from tabayyun.records import Document, Sentence, Story
from tabayyun.store.base import BatchResult, PendingSentence, StoryBatch, StoryStateRows

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
_STORY_COUNT_KEY = "stories_documents_counted"
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
    def add_documents(self, batch: Sequence[tuple[Document, str, Sequence[PendingSentence]]]) -> BatchResult:
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
            result.added += 1
            result.sentences += len(sentences)
        if doc_rows or alias_rows:
            with self._transaction():
                self.conn.executemany("INSERT INTO documents VALUES (?,?,?,?,?,?,?)", doc_rows)
                self.conn.executemany('INSERT INTO sentences (doc_id, position, start, "end") VALUES (?,?,?,?)',
                                      sent_rows)
                self.conn.executemany("INSERT INTO aliases VALUES (?, ?)", alias_rows)
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

    def iter_checks(self) -> Iterator[dict]:
        for check_id, result in self.conn.execute("SELECT id, result FROM checks ORDER BY id").fetchall():
            yield {"id": check_id, "claims": json.loads(result)}

    def list_checks(self, limit: int = 50, offset: int = 0) -> list[dict]:
        rows = self.conn.execute("SELECT id, created, substr(text, 1, 200), json_array_length(result) FROM checks "
                                 "ORDER BY id DESC LIMIT ? OFFSET ?", (limit, offset))
        return [{"id": r[0], "created": r[1], "text": r[2], "claims": r[3]} for r in rows]

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
        if topic:
            if self.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'document_topics'").fetchone() is None:
                raise TabayyunError("this evidence base has no topics yet (they are computed by the topics stage) "
                                    "/ لا موضوعات في هذه القاعدة")
            where.append("EXISTS (SELECT 1 FROM story_documents sd JOIN document_topics dt ON dt.doc_id = sd.doc_id "
                         "WHERE sd.story_id = s.id AND dt.topic_id = ?)")
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
        self.conn.close()
