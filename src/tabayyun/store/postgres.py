"""The server store: one PostgreSQL database shared by every tabayyun process (psycopg 3).

The schema is versioned (``tabayyun_schema``); the migrations below are applied in order on open. A
database that holds other tables and no tabayyun mark is refused, untouched. Writers of documents take
one transaction-scoped advisory lock, so sentence ids (from a sequence) and document positions grow in
commit order: an index that follows the store never skips a sentence that commits late. Other writers
wait for row locks as PostgreSQL makes them; nothing fails because another process writes.
Vectors are kept as ``bytea`` (pgvector is not used).
"""
from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator, Mapping, Sequence

import numpy as np

from tabayyun.errors import TabayyunError
from tabayyun.records import Document, Review, Sentence, Story, Topic
from tabayyun.store.base import (VECTOR_SPEC_KEY, BatchResult, PendingSentence, StoryBatch, StoryStateRows,
                                 text_key)
from tabayyun.store.sqlite import IdConflict

__all__ = ["PostgresStore", "MIGRATIONS", "is_postgres_url"]

_T = 'TEXT COLLATE "C"'  # byte order, as SQLite compares and sorts text
# Step i brings a base from schema version i to i + 1; a step, once released, is never edited.
MIGRATIONS: list[str] = [f"""
CREATE SEQUENCE sentence_ids;
CREATE TABLE documents (seq BIGSERIAL UNIQUE, id {_T} PRIMARY KEY, hash {_T} NOT NULL UNIQUE, title {_T} NOT NULL,
    text {_T} NOT NULL, source {_T} NOT NULL, date {_T}, url {_T});
CREATE TABLE sentences (id BIGINT PRIMARY KEY DEFAULT nextval('sentence_ids'),
    doc_id {_T} NOT NULL REFERENCES documents(id), position INTEGER NOT NULL, start INTEGER NOT NULL,
    "end" INTEGER NOT NULL);
CREATE INDEX sentences_doc ON sentences(doc_id, position);
CREATE TABLE vectors (model {_T} NOT NULL, key {_T} NOT NULL, vec BYTEA NOT NULL, PRIMARY KEY (model, key));
CREATE TABLE aliases (seq BIGSERIAL, id {_T} PRIMARY KEY, doc_id {_T} NOT NULL REFERENCES documents(id));
CREATE INDEX aliases_doc ON aliases(doc_id);
CREATE TABLE meta (key {_T} PRIMARY KEY, value {_T} NOT NULL);
CREATE TABLE checks (id BIGSERIAL PRIMARY KEY, created {_T} NOT NULL, text {_T} NOT NULL, result {_T} NOT NULL);
CREATE INDEX checks_created ON checks(created);
CREATE TABLE reviews (id BIGSERIAL PRIMARY KEY, check_id BIGINT NOT NULL REFERENCES checks(id),
    claim INTEGER NOT NULL, verdict {_T} NOT NULL, rating {_T} NOT NULL, reviewer {_T} NOT NULL,
    note {_T} NOT NULL, cite {_T} NOT NULL, created {_T} NOT NULL);
CREATE INDEX reviews_check ON reviews(check_id, id);
CREATE TABLE document_topics (doc_id {_T} NOT NULL REFERENCES documents(id), rank INTEGER NOT NULL,
    topic {_T} NOT NULL, ar {_T} NOT NULL, en {_T} NOT NULL, score DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (doc_id, rank));
CREATE INDEX document_topics_topic ON document_topics(topic);
CREATE TABLE stories (id {_T} PRIMARY KEY, title {_T} NOT NULL, keywords {_T} NOT NULL, entities {_T} NOT NULL,
    first_date {_T}, last_date {_T}, sources {_T} NOT NULL, size INTEGER NOT NULL, state {_T} NOT NULL);
CREATE INDEX stories_last ON stories(last_date);
CREATE TABLE story_documents (seq BIGSERIAL, doc_id {_T} PRIMARY KEY, story_id {_T} NOT NULL,
    score DOUBLE PRECISION NOT NULL);
CREATE INDEX story_documents_story ON story_documents(story_id);
CREATE TABLE story_aliases (alias {_T} PRIMARY KEY, story_id {_T} NOT NULL);
CREATE TABLE story_terms (term {_T} PRIMARY KEY, df INTEGER NOT NULL);
CREATE TABLE story_claims (check_id BIGINT NOT NULL, position INTEGER NOT NULL, story_id {_T} NOT NULL,
    claim {_T} NOT NULL, verdict {_T} NOT NULL, PRIMARY KEY (check_id, position));
CREATE INDEX story_claims_story ON story_claims(story_id);
"""]
SCHEMA_VERSION = len(MIGRATIONS)
_MARK = "tabayyun_schema"  # the table that marks a tabayyun base and holds its schema version
_LOCK_SCHEMA = 0x54425901  # advisory lock keys: schema migration, and the writers of documents
_LOCK_DOCUMENTS = 0x54425902
_STORY_COUNT_KEY = "stories_documents_counted"
_BREAKDOWN = {"source": "d.source", "month": "COALESCE(substr(d.date, 1, 7), '')"}
_SENTENCE_SQL = """SELECT s.id, s.doc_id, s.position, s.start, s."end", substr(d.text, s.start + 1, s."end" - s.start)
FROM sentences s JOIN documents d ON d.id = s.doc_id"""
_STORY_COLUMNS = "s.id, s.title, s.keywords, s.entities, s.first_date, s.last_date, s.sources"


def is_postgres_url(db: str) -> bool:
    return str(db).startswith(("postgresql://", "postgres://"))


def _sentence(row: tuple) -> Sentence:
    sid, doc_id, position, start, end, text = row
    return Sentence(id=sid, doc_id=doc_id, position=position, text=text, start=start, end=end)


def _document(row: tuple) -> Document:
    doc_id, title, text, source, date, url = row
    return Document(id=doc_id, title=title, text=text, source=source, date=date, url=url)


def _unique(items: Iterable) -> list:
    return list(dict.fromkeys(items))


def _redacted(url: str) -> str:
    """The URL without its password, for messages."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        parts = conninfo_to_dict(url)
    except Exception:
        return "the PostgreSQL URL"
    return f"postgresql://{parts.get('user', '')}@{parts.get('host', '')}/{parts.get('dbname', '')}"


class PostgresStore:
    """Store in the PostgreSQL database at ``url`` (``postgresql://user@host:port/name``)."""

    def __init__(self, url: str, create: bool = True, readonly: bool = False) -> None:
        """``readonly``: every transaction of the connection is read-only (a reader or a worker)."""
        try:
            import psycopg
        except ImportError:
            raise TabayyunError("a PostgreSQL base needs psycopg: pip install 'tabayyun[postgres]'") from None
        self.path = _redacted(url)  # what messages name
        self._url = url
        try:
            if readonly:
                self.conn = psycopg.connect(url, autocommit=True, options="-c default_transaction_read_only=on")
            else:
                self.conn = psycopg.connect(url, autocommit=True)
        except psycopg.Error as exc:
            raise TabayyunError(f"cannot connect to {self.path}: {str(exc).strip().splitlines()[0]}") from None
        try:
            self._open(create and not readonly)
            self.readonly = self.conn.execute("SELECT current_setting('transaction_read_only')").fetchone() == ("on",)
        except BaseException:
            self.conn.close()
            raise
        self._reader: Any = None
        self._reader_lock = threading.Lock()

    def _open(self, create: bool) -> None:
        """Check the mark and version, and migrate (refusing, untouched, another program's database)."""
        import psycopg

        try:
            with self.conn.transaction():
                self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_SCHEMA,))
                tables = {r[0] for r in self.conn.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")}
                if _MARK in tables:
                    version = self._value(f"SELECT version FROM {_MARK}")
                elif tables:
                    raise TabayyunError(f"{self.path} holds other tables and no tabayyun evidence base; it was left "
                                        "untouched / قاعدة البيانات ليست قاعدة أدلة لتبيّن")
                elif not create:
                    raise TabayyunError(f"no evidence base in {self.path} (run 'tabayyun ingest' first) / "
                                        "لا توجد قاعدة أدلة هنا")
                else:
                    self.conn.execute(f"CREATE TABLE {_MARK} (version INTEGER NOT NULL)")
                    self.conn.execute(f"INSERT INTO {_MARK} VALUES (0)")
                    version = 0
                if version > SCHEMA_VERSION:
                    raise TabayyunError(f"{self.path} was made by a newer tabayyun (schema {version}); upgrade tabayyun")
                for step in MIGRATIONS[version:]:
                    self.conn.execute(step)
                if version < SCHEMA_VERSION:
                    self.conn.execute(f"UPDATE {_MARK} SET version = %s", (SCHEMA_VERSION,))
        except psycopg.Error as exc:
            raise TabayyunError(f"cannot open evidence base {self.path}: {str(exc).strip().splitlines()[0]}") from None

    def _value(self, sql: str) -> Any:
        row = self.conn.execute(sql).fetchone()
        assert row is not None  # an aggregate or the one row of the mark
        return row[0]

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write transaction: whole or nothing; a database error is a one-line error."""
        import psycopg

        if self.readonly:
            raise TabayyunError(f"{self.path}: the evidence base is read-only here / القاعدة للقراءة فقط")
        if self.conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:  # part of a caller's
            yield
            return
        try:
            with self.conn.transaction():
                yield
        except psycopg.Error as exc:
            raise TabayyunError(f"cannot write the evidence base {self.path}: {str(exc).strip().splitlines()[0]} "
                                "(nothing of this write was kept) / تعذرت الكتابة") from None

    # -- writing ---------------------------------------------------------------------------------
    def add_documents(self, batch: Sequence[tuple[Document, str, Sequence[PendingSentence]]],
                      topics: Mapping[str, Sequence[Topic]] | None = None) -> BatchResult:
        with self._transaction():  # writers of documents in turn: ids grow in commit order
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_DOCUMENTS,))
            return self._add(batch, topics)

    def _add(self, batch: Sequence[tuple[Document, str, Sequence[PendingSentence]]],
             topics: Mapping[str, Sequence[Topic]] | None) -> BatchResult:
        result = BatchResult()
        ids = [d.id for d, _, _ in batch]
        by_hash: dict[str, str] = dict(self.conn.execute(  # content hash -> id of the document stored with it
            "SELECT hash, id FROM documents WHERE hash = ANY(%s)", (_unique([h for _, h, _ in batch]),)).fetchall())
        id_hash = self.document_hashes(ids)
        for doc, digest, _ in batch:
            if id_hash.setdefault(doc.id, digest) != digest:
                raise IdConflict(f"document id '{doc.id}' already stands for another text: give the new text its "
                                 "own id (nothing of this batch was written) / المعرّف مستخدم لنص آخر")
        known = set(self.document_hashes(ids))
        doc_rows: list[tuple] = []
        sent_rows: list[tuple[str, int, int, int]] = []
        alias_rows: list[tuple[str, str]] = []
        topic_rows: list[tuple] = []
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
        with self.conn.cursor() as cur:
            cur.executemany("INSERT INTO documents (id, hash, title, text, source, date, url) "
                            "VALUES (%s,%s,%s,%s,%s,%s,%s) ON CONFLICT DO NOTHING RETURNING id", doc_rows,
                            returning=True)
            inserted = {row[0] for _ in cur.results() for row in cur.fetchall()}  # the constraints decide
            with cur.copy('COPY sentences (doc_id, position, start, "end") FROM STDIN') as copy:
                for row in sent_rows:  # ids from the sequence, in batch order
                    if row[0] in inserted:
                        copy.write_row(row)
            cur.executemany("INSERT INTO aliases (id, doc_id) VALUES (%s, %s) ON CONFLICT DO NOTHING", alias_rows)
            cur.executemany("INSERT INTO document_topics VALUES (%s,%s,%s,%s,%s,%s) ON CONFLICT DO NOTHING",
                            topic_rows)
        return result

    def remove_document(self, doc_id: str) -> list[Sentence] | None:
        with self._transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_DOCUMENTS,))
            return self._remove(doc_id)

    def replace_document(self, document: Document, digest: str, sentences: Sequence[PendingSentence],
                         topics: Sequence[Topic] = ()) -> tuple[list[Sentence], BatchResult] | None:
        with self._transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_DOCUMENTS,))
            removed = self._remove(document.id)
            if removed is None:
                return None
            return removed, self._add([(document, digest, sentences)], {document.id: topics})

    def _remove(self, doc_id: str) -> list[Sentence] | None:
        """As ``SQLiteStore._remove``; ids come from sequences, so none is given again."""
        row = self.conn.execute("SELECT id FROM documents WHERE id = %s UNION SELECT doc_id FROM aliases WHERE id = %s",
                                (doc_id, doc_id)).fetchone()
        if row is None:
            return None
        stored = row[0]
        sentences = self.document_sentences(stored)
        self.conn.execute("DELETE FROM vectors WHERE key = ANY(%s)", (_unique(text_key(x.text) for x in sentences),))
        for table, column in (("sentences", "doc_id"), ("aliases", "doc_id"), ("document_topics", "doc_id"),
                              ("story_documents", "doc_id"), ("documents", "id")):
            self.conn.execute(f"DELETE FROM {table} WHERE {column} = %s", (stored,))
        return sentences

    def set_meta(self, key: str, value: str) -> None:
        with self._transaction():
            self.conn.execute("INSERT INTO meta VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                              (key, value))

    def save_vectors(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        if self.readonly:  # a cache: a read-only base keeps them in memory only
            return
        with self._transaction(), self.conn.cursor() as cur:
            cur.executemany("INSERT INTO vectors VALUES (%s, %s, %s) ON CONFLICT (model, key) "
                            "DO UPDATE SET vec = excluded.vec",
                            [(model, k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in vectors.items()])

    def vector_spec(self, model: str) -> str | None:
        return self.get_meta(VECTOR_SPEC_KEY + model)

    def reset_vectors(self, model: str, spec: str) -> None:
        with self._transaction():
            self.conn.execute("DELETE FROM vectors WHERE model = %s", (model,))
            self.conn.execute("INSERT INTO meta VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = excluded.value", (VECTOR_SPEC_KEY + model, spec))

    def save_check(self, text: str, result: list[dict]) -> int:
        created = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self._transaction():
            row = self.conn.execute("INSERT INTO checks (created, text, result) VALUES (%s, %s, %s) RETURNING id",
                                    (created, text, json.dumps(result, ensure_ascii=False))).fetchone()
        assert row is not None
        return int(row[0])

    def save_review(self, review: Review) -> Review:
        created = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self._transaction():
            row = self.conn.execute(
                "INSERT INTO reviews (check_id, claim, verdict, rating, reviewer, note, cite, created) "
                "VALUES (%s,%s,%s,%s,%s,%s,%s,%s) RETURNING id",
                (review.check_id, review.claim, review.verdict, review.rating, review.reviewer, review.note,
                 json.dumps(list(review.cite)), created)).fetchone()
        assert row is not None
        return replace(review, id=int(row[0]), created=created)

    # -- reading ---------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = %s", (key,)).fetchone()
        return row[0] if row else None

    def document_hashes(self, doc_ids: Sequence[str]) -> dict[str, str]:
        ids = _unique(doc_ids)
        return dict(self.conn.execute(
            "SELECT id, hash FROM documents WHERE id = ANY(%s) UNION ALL "
            "SELECT a.id, d.hash FROM aliases a JOIN documents d ON d.id = a.doc_id WHERE a.id = ANY(%s)",
            (ids, ids)).fetchall())

    def get_document(self, doc_id: str) -> Document | None:
        return self.get_documents([doc_id]).get(doc_id)

    def get_documents(self, doc_ids: Sequence[str]) -> dict[str, Document]:
        rows = self.conn.execute("SELECT id, title, text, source, date, url FROM documents WHERE id = ANY(%s)",
                                 (_unique(doc_ids),))
        return {r[0]: _document(r) for r in rows}

    def document_aliases(self, doc_ids: Sequence[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for alias, doc_id in self.conn.execute("SELECT id, doc_id FROM aliases WHERE doc_id = ANY(%s) ORDER BY seq",
                                               (_unique(doc_ids),)):
            out.setdefault(doc_id, []).append(alias)
        return out

    def document_topics(self, doc_ids: Sequence[str]) -> dict[str, list[Topic]]:
        out: dict[str, list[Topic]] = {}
        for doc_id, topic, ar, en, score in self.conn.execute(
                "SELECT doc_id, topic, ar, en, score FROM document_topics WHERE doc_id = ANY(%s) ORDER BY doc_id, rank",
                (_unique(doc_ids),)):
            out.setdefault(doc_id, []).append(Topic(id=topic, ar=ar, en=en, score=score))
        return out

    def get_sentences(self, ids: Sequence[int]) -> dict[int, Sentence]:
        rows = self.conn.execute(f"{_SENTENCE_SQL} WHERE s.id = ANY(%s)", (_unique(int(i) for i in ids),))
        return {r[0]: _sentence(r) for r in rows}

    def document_sentences(self, doc_id: str) -> list[Sentence]:
        rows = self.conn.execute(f"{_SENTENCE_SQL} WHERE s.doc_id = %s ORDER BY s.position", (doc_id,))
        return [_sentence(r) for r in rows]

    def iter_sentences(self, after_id: int = 0, batch_size: int = 10_000) -> Iterator[list[Sentence]]:
        last = after_id
        while True:
            rows = self.conn.execute(f"{_SENTENCE_SQL} WHERE s.id > %s ORDER BY s.id LIMIT %s",
                                     (last, batch_size)).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield [_sentence(r) for r in rows]

    def max_sentence_id(self) -> int:
        return int(self._value("SELECT COALESCE(MAX(id), 0) FROM sentences"))

    def counts(self) -> dict[str, int]:
        """Documents and sentences, read on a connection of their own (it answers while another thread
        holds the main one for a long job)."""
        import psycopg

        with self._reader_lock:
            if self._reader is None:
                self._reader = psycopg.connect(self._url, autocommit=True)
            docs, sents = self._reader.execute(
                "SELECT (SELECT COUNT(*) FROM documents), (SELECT COUNT(*) FROM sentences)").fetchone()
        return {"documents": int(docs), "sentences": int(sents)}

    def breakdown(self, by: str) -> list[dict[str, Any]]:
        if by not in _BREAKDOWN:
            raise ValueError(f"breakdown by 'source' or 'month', not {by!r}")
        rows = self.conn.execute(
            f"SELECT {_BREAKDOWN[by]} AS k, COUNT(*), SUM(n), MIN(d.date), MAX(d.date) FROM documents d "
            "LEFT JOIN (SELECT doc_id, COUNT(*) AS n FROM sentences GROUP BY doc_id) s ON s.doc_id = d.id "
            "GROUP BY k ORDER BY k")
        return [{by: key, "documents": int(docs), "sentences": int(sents or 0), "first": first, "last": last}
                for key, docs, sents, first, last in rows]

    def load_vectors(self, model: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        rows = self.conn.execute("SELECT key, vec FROM vectors WHERE model = %s AND key = ANY(%s)",
                                 (model, list(keys)))
        return {key: np.frombuffer(blob, dtype=np.float32) for key, blob in rows}

    def get_check(self, check_id: int) -> dict | None:
        row = self.conn.execute("SELECT id, created, text, result FROM checks WHERE id = %s", (check_id,)).fetchone()
        return None if row is None else {"id": row[0], "created": row[1], "text": row[2], "claims": json.loads(row[3])}

    def list_checks(self, limit: int = 50, offset: int = 0) -> list[dict]:
        rows = self.conn.execute(
            "SELECT id, created, substr(text, 1, 200), jsonb_array_length(result::jsonb), "
            "(SELECT string_agg(e->>'verdict', ',' ORDER BY n) FROM jsonb_array_elements(result::jsonb) "
            "WITH ORDINALITY AS t(e, n)), "
            "(SELECT COUNT(DISTINCT claim) FROM reviews WHERE check_id = checks.id) "
            "FROM checks ORDER BY id DESC LIMIT %s OFFSET %s", (limit, offset))
        return [{"id": r[0], "created": r[1], "text": r[2], "claims": r[3],
                 "verdicts": r[4].split(",") if r[4] else [], "reviewed": r[5]} for r in rows]

    def reviews(self, check_ids: Sequence[int]) -> dict[int, list[Review]]:
        out: dict[int, list[Review]] = {}
        for row in self.conn.execute(
                "SELECT id, check_id, claim, verdict, rating, reviewer, note, cite, created FROM reviews "
                "WHERE check_id = ANY(%s) ORDER BY id", (_unique(check_ids),)):
            out.setdefault(row[1], []).append(Review(
                id=row[0], check_id=row[1], claim=row[2], verdict=row[3], rating=row[4], reviewer=row[5],
                note=row[6], cite=tuple(json.loads(row[7])), created=row[8]))
        return out

    def iter_checks(self, since: str | None = None, before: str | None = None,
                    batch_size: int = 500) -> Iterator[list[dict]]:
        after = 0
        while True:
            rows = self.conn.execute(
                "SELECT id, created, text, result FROM checks WHERE id > %s AND created >= %s AND created < %s "
                "ORDER BY id LIMIT %s", (after, since or "", before or "\uffff", batch_size)).fetchall()
            if not rows:
                return
            yield [{"id": r[0], "created": r[1], "text": r[2], "claims": json.loads(r[3])} for r in rows]
            after = rows[-1][0]

    # -- stories ---------------------------------------------------------------------------------
    def documents_after(self, seq: int, limit: int) -> list[tuple[int, Document]]:
        rows = self.conn.execute("SELECT seq, id, title, text, source, date, url FROM documents WHERE seq > %s "
                                 "ORDER BY seq LIMIT %s", (seq, limit)).fetchall()
        return [(int(r[0]), _document(r[1:])) for r in rows]

    def story_state(self) -> StoryStateRows:
        return StoryStateRows(
            df=dict(self.conn.execute("SELECT term, df FROM story_terms").fetchall()),
            n_docs=int(self.get_meta(_STORY_COUNT_KEY) or 0),
            stories={sid: json.loads(state) for sid, state in self.conn.execute("SELECT id, state FROM stories")},
            aliases=dict(self.conn.execute("SELECT alias, story_id FROM story_aliases").fetchall()))

    def story_terms(self, terms: Sequence[str]) -> tuple[dict[str, int], int]:
        found: dict[str, int] = dict(self.conn.execute("SELECT term, df FROM story_terms WHERE term = ANY(%s)",
                                       (_unique(terms),)).fetchall())
        return found, int(self.get_meta(_STORY_COUNT_KEY) or 0)

    def story_states(self, story_ids: Sequence[str]) -> dict[str, dict]:
        rows = self.conn.execute("SELECT id, state FROM stories WHERE id = ANY(%s)", (_unique(story_ids),))
        return {sid: json.loads(state) for sid, state in rows}

    def save_story_batch(self, batch: StoryBatch) -> None:
        dumps = partial(json.dumps, ensure_ascii=False)
        with self._transaction(), self.conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO stories VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s) ON CONFLICT (id) DO UPDATE SET "
                "title = excluded.title, keywords = excluded.keywords, entities = excluded.entities, "
                "first_date = excluded.first_date, last_date = excluded.last_date, sources = excluded.sources, "
                "size = excluded.size, state = excluded.state",
                [(sid, r["title"], dumps(r["keywords"]), dumps(r["entities"]), r["first_date"], r["last_date"],
                  dumps(r["sources"]), r["size"], dumps(r["state"])) for sid, r in batch.stories.items()])
            cur.executemany(  # a document placed again moves to the end of its story, as in SQLite
                "INSERT INTO story_documents (doc_id, story_id, score) VALUES (%s,%s,%s) ON CONFLICT (doc_id) "
                "DO UPDATE SET story_id = excluded.story_id, score = excluded.score, seq = excluded.seq",
                batch.members)
            for alias, target in batch.aliases.items():
                cur.execute("UPDATE story_documents SET story_id = %s WHERE story_id = %s", (target, alias))
                cur.execute("UPDATE story_claims SET story_id = %s WHERE story_id = %s", (target, alias))
                cur.execute("INSERT INTO story_aliases VALUES (%s, %s) ON CONFLICT (alias) "
                            "DO UPDATE SET story_id = excluded.story_id", (alias, target))
            cur.execute("DELETE FROM stories WHERE id = ANY(%s)", (list(batch.removed),))
            cur.executemany("INSERT INTO story_terms VALUES (%s, %s) ON CONFLICT (term) DO UPDATE SET df = excluded.df",
                            list(batch.df.items()))
            self.set_meta(_STORY_COUNT_KEY, str(batch.n_docs))
            self.set_meta(batch.watermark_key, str(batch.watermark))

    def clear_stories(self, watermark_key: str) -> None:
        with self._transaction():
            for table in ("stories", "story_documents", "story_aliases", "story_terms"):
                self.conn.execute(f"DELETE FROM {table}")
            self.conn.execute("DELETE FROM meta WHERE key IN (%s, %s)", (watermark_key, _STORY_COUNT_KEY))

    def resolve_story(self, story_id: str) -> str | None:
        row = self.conn.execute("SELECT id FROM stories WHERE id = %s UNION ALL SELECT story_id FROM story_aliases "
                                "WHERE alias = %s", (story_id, story_id)).fetchone()
        return row[0] if row else None

    def count_stories(self) -> int:
        return int(self._value("SELECT COUNT(*) FROM stories"))

    def story_of_documents(self, doc_ids: Sequence[str]) -> dict[str, str]:
        return dict(self.conn.execute("SELECT doc_id, story_id FROM story_documents WHERE doc_id = ANY(%s)",
                                      (_unique(doc_ids),)).fetchall())

    def _story(self, row: tuple, documents: list[str]) -> Story:
        sid, title, keywords, entities, first, last, sources = row
        claims = [{"check_id": r[0], "position": r[1], "claim": r[2], "verdict": r[3]} for r in self.conn.execute(
            "SELECT check_id, position, claim, verdict FROM story_claims WHERE story_id = %s "
            "ORDER BY check_id, position", (sid,))]
        aliases = [r[0] for r in self.conn.execute(
            "SELECT alias FROM story_aliases WHERE story_id = %s ORDER BY alias", (sid,))]
        return Story(id=sid, title=title, keywords=json.loads(keywords), entities=json.loads(entities),
                     first_date=first, last_date=last, sources=json.loads(sources), documents=documents, claims=claims,
                     aliases=aliases)

    def get_story(self, story_id: str) -> Story | None:
        sid = self.resolve_story(story_id)
        if sid is None:
            return None
        row = self.conn.execute(f"SELECT {_STORY_COLUMNS} FROM stories s WHERE s.id = %s", (sid,)).fetchone()
        assert row is not None  # resolved above
        docs = [r[0] for r in self.conn.execute("SELECT doc_id FROM story_documents WHERE story_id = %s ORDER BY seq",
                                                (sid,))]
        return self._story(row, docs)

    def list_stories(self, since: str | None = None, until: str | None = None, source: str | None = None,
                     topic: str | None = None, limit: int = 50, offset: int = 0) -> list[Story]:
        where, args = [], []
        if since:
            where.append("s.last_date >= %s")
            args.append(since)
        if until:
            where.append("s.first_date <= %s")
            args.append(until + "\uffff")  # a timestamp of that day is not after it
        if source:
            where.append("EXISTS (SELECT 1 FROM story_documents sd JOIN documents d ON d.id = sd.doc_id "
                         "WHERE sd.story_id = s.id AND d.source = %s)")
            args.append(source)
        if topic:  # a story is about a subject when one of its documents has it among its topics
            where.append("EXISTS (SELECT 1 FROM story_documents sd JOIN document_topics dt ON dt.doc_id = sd.doc_id "
                         "WHERE sd.story_id = s.id AND dt.topic = %s)")
            args.append(topic)
        sql = (f"SELECT {_STORY_COLUMNS} FROM stories s {'WHERE ' + ' AND '.join(where) if where else ''} "
               "ORDER BY s.last_date IS NULL, s.last_date DESC, s.size DESC, s.id LIMIT %s OFFSET %s")
        rows = self.conn.execute(sql, [*args, limit, offset]).fetchall()
        members: dict[str, list[str]] = {}
        for doc_id, sid in self.conn.execute(
                "SELECT doc_id, story_id FROM story_documents WHERE story_id = ANY(%s) ORDER BY seq",
                ([r[0] for r in rows],)):
            members.setdefault(sid, []).append(doc_id)
        return [self._story(r, members.get(r[0], [])) for r in rows]

    def attach_claims(self, check_id: int, claims: Sequence[tuple[int, str, str, str]]) -> None:
        with self._transaction(), self.conn.cursor() as cur:
            cur.execute("DELETE FROM story_claims WHERE check_id = %s", (check_id,))
            cur.executemany("INSERT INTO story_claims VALUES (%s, %s, %s, %s, %s)",
                            [(check_id, pos, sid, claim, verdict) for pos, sid, claim, verdict in claims])

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
        self.conn.close()
