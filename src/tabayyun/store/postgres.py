"""The server store: one PostgreSQL database shared by every tabayyun process (psycopg 3).

The schema is versioned (``tabayyun_schema``); the migrations below are applied in order on open. A
database that holds other tables and no tabayyun mark is refused, untouched. Writers of documents take
one transaction-scoped advisory lock, so sentence ids (from a sequence) and document positions grow in
commit order: an index that follows the store never skips a sentence that commits late. Other writers
wait for row locks as PostgreSQL makes them; nothing fails because another process writes.
Vectors are kept as ``bytea`` (pgvector is not used).
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Any, Iterable, Iterator, Sequence

from tabayyun.errors import TabayyunError
from tabayyun.store.sql import DocRow, SQLStore

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
""", f"""
CREATE TABLE facts (version {_T} NOT NULL, key {_T} NOT NULL, facts {_T} NOT NULL, PRIMARY KEY (version, key));
"""]
SCHEMA_VERSION = len(MIGRATIONS)
#: tables with a storage-order column (``SEQ``): a row an upsert replaces takes a new one, as SQLite's REPLACE does
_ORDERED = frozenset(re.findall(r"CREATE TABLE (\w+) \(seq BIGSERIAL", "".join(MIGRATIONS)))
_MARK = "tabayyun_schema"  # the table that marks a tabayyun base and holds its schema version
_LOCK_SCHEMA = 0x54425901  # advisory lock keys: schema migration, and the writers of documents
_LOCK_DOCUMENTS = 0x54425902


def is_postgres_url(db: str) -> bool:
    return str(db).startswith(("postgresql://", "postgres://"))



def _redacted(url: str) -> str:
    """The URL without its password, for messages."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        parts = conninfo_to_dict(url)
    except Exception:
        return "the PostgreSQL URL"
    return f"postgresql://{parts.get('user', '')}@{parts.get('host', '')}/{parts.get('dbname', '')}"


class PostgresStore(SQLStore):
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
            self._open(create and not readonly, migrate=not readonly)
            self.readonly = self.conn.execute("SELECT current_setting('transaction_read_only')").fetchone() == ("on",)
        except BaseException:
            self.conn.close()
            raise
        super().__init__()

    def _open(self, create: bool, migrate: bool = True) -> None:
        """Check the mark and version, and migrate unless ``migrate`` is False (a read-only open reads an older
        schema as it is); another program's database is refused, untouched."""
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
                    raise TabayyunError(f"{self.path} was made by a newer tabayyun (schema {version}); "
                                        "upgrade tabayyun")
                for step in MIGRATIONS[version:] if migrate else ():
                    self.conn.execute(step)
                if version < SCHEMA_VERSION and migrate:
                    self.conn.execute(f"UPDATE {_MARK} SET version = %s", (SCHEMA_VERSION,))
        except psycopg.Error as exc:
            raise TabayyunError(f"cannot open evidence base {self.path}: {str(exc).strip().splitlines()[0]}") from None

    SEQ = "seq"
    LIST_CHECKS_SQL = (
        "SELECT id, created, substr(text, 1, 200), jsonb_array_length(result::jsonb), "
        "(SELECT string_agg(e->>'verdict', ',' ORDER BY n) FROM jsonb_array_elements(result::jsonb) "
        "WITH ORDINALITY AS t(e, n)), "
        "(SELECT COUNT(DISTINCT claim) FROM reviews WHERE check_id = checks.id) "
        "FROM checks ORDER BY id DESC LIMIT ? OFFSET ?")

    # -- the dialect (see ``SQLStore``) ------------------------------------------------------------
    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s")

    def _in(self, column: str, values: Iterable) -> Iterator[tuple[str, list]]:
        items = list(values)
        if items:
            yield f"{column} = ANY(?)", [items]

    def _upsert(self, table: str, columns: Sequence[str], key: str) -> str:
        keys = {k.strip() for k in key.split(",")}
        renew = [f"{c} = excluded.{c}" for c in columns if c not in keys]
        renew += ["seq = excluded.seq"] * (table in _ORDERED)
        return (f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({','.join('?' * len(columns))}) "
                f"ON CONFLICT ({key}) DO UPDATE SET {', '.join(renew)}")

    def _lock_documents(self) -> None:
        self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_DOCUMENTS,))

    def _connect_reader(self) -> Any:
        import psycopg

        return psycopg.connect(self._url, autocommit=True)

    def _insert_documents(self, docs: list[DocRow], sentences: list[tuple[str, int, int, int]],
                          aliases: list[tuple[str, str]], topics: list[tuple]) -> None:
        with self.conn.cursor() as cur:
            cur.executemany("INSERT INTO documents (id, hash, title, text, source, date, url) "
                            "VALUES (%s,%s,%s,%s,%s,%s,%s) ON CONFLICT DO NOTHING RETURNING id", docs,
                            returning=True)
            inserted = {row[0] for _ in cur.results() for row in cur.fetchall()}  # the constraints decide
            with cur.copy('COPY sentences (doc_id, position, start, "end") FROM STDIN') as copy:
                for row in sentences:  # ids from the sequence, in batch order
                    if row[0] in inserted:
                        copy.write_row(row)
            cur.executemany("INSERT INTO aliases (id, doc_id) VALUES (%s, %s) ON CONFLICT DO NOTHING", aliases)
            cur.executemany("INSERT INTO document_topics VALUES (%s,%s,%s,%s,%s,%s) ON CONFLICT DO NOTHING", topics)

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
