"""What the SQL stores share: every query written once, over the few things the two dialects do differently.

``SQLiteStore`` and ``PostgresStore`` subclass ``SQLStore`` and say how to connect, lock and write in
bulk; their statements are written here with ``?`` placeholders (``_sql`` turns them into the
dialect's), ``_in`` writes a test of membership in a list of values (``IN (...)`` in chunks, or
``= ANY(array)``), and ``SEQ`` names the column that keeps storage order (SQLite's ``rowid``, a
``seq`` column in PostgreSQL).
"""
from __future__ import annotations

import json
import threading
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import datetime, timezone
from functools import partial
from typing import Any, Iterable, Iterator, Mapping, Sequence

import numpy as np

from tabayyun.errors import TabayyunError
from tabayyun.records import Document, Review, Sentence, Story, Topic
from tabayyun.store.base import (VECTOR_SPEC_KEY, BatchResult, DanglingLinks, PendingSentence, StoryBatch,
                                 StoryStateRows, text_key)

__all__ = ["SQLStore", "IdConflict"]

STORY_COUNT_KEY = "stories_documents_counted"
_FACTS_VERSION_KEY = "facts_version"  # meta: the version of the facts kept (those of others are dropped)
# What ``breakdown`` groups documents by (an undated document has the month "").
_BREAKDOWN = {"source": "d.source", "month": "COALESCE(substr(d.date, 1, 7), '')"}
# Sentence text is not stored twice: it is sliced from its document's text on read.
_SENTENCE_COLUMNS = 's.id, s.doc_id, s.position, s.start, s."end", substr(d.text, s.start + 1, s."end" - s.start)'
_SENTENCE_FROM = "FROM sentences s JOIN documents d ON d.id = s.doc_id"
_SENTENCE_SQL = f"SELECT {_SENTENCE_COLUMNS} {_SENTENCE_FROM}"
_STORY_COLUMNS = "s.id, s.title, s.keywords, s.entities, s.first_date, s.last_date, s.sources"
_dumps = partial(json.dumps, ensure_ascii=False)

DocRow = tuple[str, str, str, str, str, "str | None", "str | None"]  # id, hash, title, text, source, date, url


class IdConflict(TabayyunError):
    """A document id already stands for another text."""


def _sentence(row: tuple) -> Sentence:
    sid, doc_id, position, start, end, text = row
    return Sentence(id=sid, doc_id=doc_id, position=position, text=text, start=start, end=end)


def _document(row: tuple) -> Document:
    doc_id, title, text, source, date, url = row
    return Document(id=doc_id, title=title, text=text, source=source, date=date, url=url)


def _unique(items: Iterable) -> list:
    return list(dict.fromkeys(items))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _check(row: tuple) -> dict:
    return {"id": row[0], "created": row[1], "text": row[2], "claims": json.loads(row[3])}


class SQLStore:
    """The ``Store`` protocol in SQL; a subclass gives ``conn``, ``path``, ``readonly`` and the hooks below."""

    conn: Any
    path: Any  # what messages name
    readonly: bool
    SEQ = "rowid"  # the column that keeps the storage order of documents, aliases and story members
    LIST_CHECKS_SQL = ""  # the history's summary of each check (the two dialects read JSON differently)

    def __init__(self) -> None:
        self._facts_version: str | None = None  # the version of the stored facts, once read or written
        self._reader: Any = None
        self._reader_lock = threading.Lock()

    # -- the dialect -------------------------------------------------------------------------------
    def _sql(self, sql: str) -> str:
        return sql

    def _in(self, column: str, values: Iterable) -> Iterator[tuple[str, list]]:
        """``(condition, params)`` pairs that together test ``column`` against every value (none if there are none)."""
        raise NotImplementedError

    def _transaction(self) -> AbstractContextManager[None]:
        """One write transaction (part of the caller's, if one is open); a database error is a one-line error."""
        raise NotImplementedError

    def _lock_documents(self) -> None:
        """Inside a transaction: make writers of documents take turns (ids then grow in commit order)."""

    def _insert_documents(self, docs: list[DocRow], sentences: list[tuple[str, int, int, int]],
                          aliases: list[tuple[str, str]], topics: list[tuple]) -> None:
        """Write the new rows of one ``add_documents`` batch (sentences as doc id, position, start, end)."""
        raise NotImplementedError

    def _before_remove(self, sentences: list[Sentence], seq: int) -> None:
        """Called with a document's sentences and storage position before it is removed."""

    def _upsert(self, table: str, columns: Sequence[str], key: str) -> str:
        """An INSERT that replaces the row of the same ``key``."""
        raise NotImplementedError

    def _connect_reader(self) -> Any:
        raise NotImplementedError

    def _run(self, sql: str, params: Sequence = ()) -> Any:
        return self.conn.execute(self._sql(sql), params)

    def _many(self, sql: str, rows: Sequence[Sequence]) -> None:
        if rows:
            with self.conn.cursor() as cur:
                cur.executemany(self._sql(sql), rows)

    def _rows(self, sql: str, column: str, values: Iterable, params: Sequence = (), tail: str = "") -> Iterator[tuple]:
        """Rows of ``sql WHERE column in values [AND ...] tail``: ``sql`` ends where the membership test goes."""
        for cond, args in self._in(column, values):
            yield from self._run(f"{sql} {cond} {tail}", [*params, *args])

    def _value(self, sql: str, params: Sequence = ()) -> Any:
        """The one value of an aggregate, or of an INSERT ... RETURNING (read to the end: the statement is done)."""
        return self._run(sql, params).fetchall()[0][0]

    # -- documents and sentences -------------------------------------------------------------------
    def add_documents(self, batch: Sequence[tuple[Document, str, Sequence[PendingSentence]]],
                      topics: Mapping[str, Sequence[Topic]] | None = None) -> BatchResult:
        with self._transaction():  # the lookups too: another process cannot add the same id in between
            self._lock_documents()
            return self._add(batch, topics)

    def _add(self, batch: Sequence[tuple[Document, str, Sequence[PendingSentence]]],
             topics: Mapping[str, Sequence[Topic]] | None) -> BatchResult:
        result = BatchResult()
        ids = [d.id for d, _, _ in batch]
        by_hash: dict[str, str] = dict(  # content hash -> id of the document stored with it
            self._rows("SELECT hash, id FROM documents WHERE", "hash", _unique(h for _, h, _ in batch)))
        id_hash = self.document_hashes(ids)
        for doc, digest, _ in batch:
            if id_hash.setdefault(doc.id, digest) != digest:
                raise IdConflict(f"document id '{doc.id}' already stands for another text: give the new text its "
                                 "own id (nothing of this batch was written) / المعرّف مستخدم لنص آخر")
        known = set(self.document_hashes(ids))
        doc_rows: list[DocRow] = []
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
        self._insert_documents(doc_rows, sent_rows, alias_rows, topic_rows)
        return result

    def remove_document(self, doc_id: str) -> list[Sentence] | None:
        with self._transaction():
            self._lock_documents()
            return self._remove(doc_id)

    def replace_document(self, document: Document, digest: str, sentences: Sequence[PendingSentence],
                         topics: Sequence[Topic] = ()) -> tuple[list[Sentence], BatchResult] | None:
        with self._transaction():
            self._lock_documents()
            removed = self._remove(document.id)
            if removed is None:
                return None
            return removed, self._add([(document, digest, sentences)], {document.id: topics})

    def _remove(self, doc_id: str) -> list[Sentence] | None:
        """Remove a document (by its id or another id of it) with its sentences, other ids, topics, story
        membership and the vectors and facts of its sentences; None if there is no such document."""
        row = self._run(f"SELECT d.id, d.{self.SEQ} FROM documents d WHERE d.id = ? UNION "
                        f"SELECT a.doc_id, d.{self.SEQ} FROM aliases a JOIN documents d ON d.id = a.doc_id "
                        "WHERE a.id = ?", (doc_id, doc_id)).fetchone()
        if row is None:
            return None
        stored, seq = row
        story = self._run("SELECT story_id FROM story_documents WHERE doc_id = ?", (stored,)).fetchone()
        sentences = self.document_sentences(stored)
        self._before_remove(sentences, int(seq))
        for cond, args in self._in("key", _unique(text_key(s.text) for s in sentences)):
            self._run(f"DELETE FROM vectors WHERE {cond}", args)
            self._run(f"DELETE FROM facts WHERE {cond}", args)
        for table, column in (("sentences", "doc_id"), ("aliases", "doc_id"), ("document_topics", "doc_id"),
                              ("story_documents", "doc_id"), ("documents", "id")):
            self._run(f"DELETE FROM {table} WHERE {column} = ?", (stored,))
        if story is not None:  # a story left with no document goes too (a document placed again brings it back)
            self._run("DELETE FROM stories WHERE id = ? AND NOT EXISTS "
                      "(SELECT 1 FROM story_documents WHERE story_id = ?)", (story[0], story[0]))
        return sentences

    def document_hashes(self, doc_ids: Sequence[str]) -> dict[str, str]:
        """The content hash each known id (document or alias) stands for."""
        ids = _unique(doc_ids)
        out = dict(self._rows("SELECT id, hash FROM documents WHERE", "id", ids))
        out.update(self._rows("SELECT a.id, d.hash FROM aliases a JOIN documents d ON d.id = a.doc_id WHERE",
                              "a.id", ids))
        return out

    def get_document(self, doc_id: str) -> Document | None:
        return self.get_documents([doc_id]).get(doc_id)

    def get_documents(self, doc_ids: Sequence[str]) -> dict[str, Document]:
        return {r[0]: _document(r) for r in self._rows(
            "SELECT id, title, text, source, date, url FROM documents WHERE", "id", _unique(doc_ids))}

    def document_aliases(self, doc_ids: Sequence[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for alias, doc_id in self._rows("SELECT id, doc_id FROM aliases WHERE", "doc_id", _unique(doc_ids),
                                        tail=f"ORDER BY {self.SEQ}"):
            out.setdefault(doc_id, []).append(alias)
        return out

    def document_topics(self, doc_ids: Sequence[str]) -> dict[str, list[Topic]]:
        out: dict[str, list[Topic]] = {}
        for doc_id, topic, ar, en, score in self._rows(
                "SELECT doc_id, topic, ar, en, score FROM document_topics WHERE", "doc_id", _unique(doc_ids),
                tail="ORDER BY doc_id, rank"):
            out.setdefault(doc_id, []).append(Topic(id=topic, ar=ar, en=en, score=score))
        return out

    def get_sentences(self, ids: Sequence[int]) -> dict[int, Sentence]:
        return {r[0]: _sentence(r) for r in self._rows(f"{_SENTENCE_SQL} WHERE", "s.id", _unique(int(i) for i in ids))}

    def cited_sentences(self, ids: Sequence[int]) -> tuple[dict[int, Sentence], dict[str, Document]]:
        """Sentences by id and their documents' metadata, in one query: each ``Document``'s ``text`` is empty
        (not read), for results that cite a document rather than quote it."""
        sentences: dict[int, Sentence] = {}
        documents: dict[str, Document] = {}
        for row in self._rows(f"SELECT {_SENTENCE_COLUMNS}, d.title, d.source, d.date, d.url {_SENTENCE_FROM} WHERE",
                              "s.id", _unique(int(i) for i in ids)):
            sentences[row[0]] = _sentence(row[:6])
            if row[1] not in documents:
                documents[row[1]] = Document(id=row[1], text="", title=row[6], source=row[7], date=row[8], url=row[9])
        return sentences, documents

    def document_sentences(self, doc_id: str) -> list[Sentence]:
        return [_sentence(r) for r in self._run(f"{_SENTENCE_SQL} WHERE s.doc_id = ? ORDER BY s.position", (doc_id,))]

    def iter_sentences(self, after_id: int = 0, batch_size: int = 10_000) -> Iterator[list[Sentence]]:
        last = after_id
        while True:
            rows = self._run(f"{_SENTENCE_SQL} WHERE s.id > ? ORDER BY s.id LIMIT ?", (last, batch_size)).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield [_sentence(r) for r in rows]

    def max_sentence_id(self) -> int:
        return int(self._value("SELECT COALESCE(MAX(id), 0) FROM sentences"))

    def counts(self) -> dict[str, int]:
        """Documents and sentences, read on a connection of their own: it answers (for ``/healthz``) while
        another thread holds the main one for a long job."""
        with self._reader_lock:
            if self._reader is None:
                self._reader = self._connect_reader()
            docs, sents = self._reader.execute(
                "SELECT (SELECT COUNT(*) FROM documents), (SELECT COUNT(*) FROM sentences)").fetchone()
        return {"documents": int(docs), "sentences": int(sents)}

    def breakdown(self, by: str) -> list[dict[str, Any]]:
        if by not in _BREAKDOWN:
            raise ValueError(f"breakdown by 'source' or 'month', not {by!r}")
        rows = self._run(
            f"SELECT {_BREAKDOWN[by]} AS k, COUNT(*), SUM(n), MIN(d.date), MAX(d.date) FROM documents d "
            "LEFT JOIN (SELECT doc_id, COUNT(*) AS n FROM sentences GROUP BY doc_id) s ON s.doc_id = d.id "
            "GROUP BY k ORDER BY k")
        return [{by: key, "documents": int(docs), "sentences": int(sents or 0), "first": first, "last": last}
                for key, docs, sents, first, last in rows]

    def documents_after(self, seq: int, limit: int) -> list[tuple[int, Document]]:
        rows = self._run(f"SELECT {self.SEQ}, id, title, text, source, date, url FROM documents "
                         f"WHERE {self.SEQ} > ? ORDER BY {self.SEQ} LIMIT ?", (seq, limit)).fetchall()
        return [(int(r[0]), _document(r[1:])) for r in rows]

    # -- meta and vectors --------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self._run("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self._transaction():
            self._run(self._upsert("meta", ("key", "value"), "key"), (key, value))

    def load_vectors(self, model: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        return {key: np.frombuffer(blob, dtype=np.float32)
                for key, blob in self._rows("SELECT key, vec FROM vectors WHERE model = ? AND", "key", list(keys),
                                            params=(model,))}

    def save_vectors(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        if self.readonly:  # a cache: a read-only base keeps them in memory only
            return
        with self._transaction():
            self._many(self._upsert("vectors", ("model", "key", "vec"), "model, key"),
                       [(model, k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in vectors.items()])

    def vector_spec(self, model: str) -> str | None:
        return self.get_meta(VECTOR_SPEC_KEY + model)

    def use_vector_spec(self, model: str, spec: str) -> bool:
        kept = self.vector_spec(model)
        if kept == spec or self.readonly:
            return kept in (spec, None)
        with self._transaction():
            if kept is not None:
                self._run("DELETE FROM vectors WHERE model = ?", (model,))
            self.set_meta(VECTOR_SPEC_KEY + model, spec)
        return True

    # -- facts -------------------------------------------------------------------------------------
    def load_facts(self, version: str, keys: Sequence[str]) -> dict[str, str]:
        if self._facts_version is None and self.readonly:  # none kept yet (or a base from before the facts table)
            self._facts_version = self.get_meta(_FACTS_VERSION_KEY)
            if self._facts_version is None:
                return {}
        return dict(self._rows("SELECT key, facts FROM facts WHERE version = ? AND", "key", list(keys),
                               params=(version,)))

    def save_facts(self, version: str, facts: Mapping[str, str]) -> None:
        if self.readonly or not facts:  # a cache: a read-only base keeps them in memory only
            return
        with self._transaction():
            if self._facts_version != version and self.get_meta(_FACTS_VERSION_KEY) != version:
                self._run("DELETE FROM facts WHERE version <> ?", (version,))
                self.set_meta(_FACTS_VERSION_KEY, version)
            self._facts_version = version
            self._many(self._upsert("facts", ("version", "key", "facts"), "version, key"),
                       [(version, k, v) for k, v in facts.items()])

    # -- checks and reviews ------------------------------------------------------------------------
    def save_check(self, text: str, result: list[dict]) -> int:
        with self._transaction():
            return int(self._value("INSERT INTO checks (created, text, result) VALUES (?, ?, ?) RETURNING id",
                                   (_now(), text, _dumps(result))))

    def get_check(self, check_id: int) -> dict | None:
        row = self._run("SELECT id, created, text, result FROM checks WHERE id = ?", (check_id,)).fetchone()
        return None if row is None else _check(row)

    def list_checks(self, limit: int = 50, offset: int = 0) -> list[dict]:
        return [{"id": r[0], "created": r[1], "text": r[2], "claims": r[3],
                 "verdicts": r[4].split(",") if r[4] else [], "reviewed": r[5]}
                for r in self._run(self.LIST_CHECKS_SQL, (limit, offset))]

    def iter_checks(self, since: str | None = None, before: str | None = None,
                    batch_size: int = 500) -> Iterator[list[dict]]:
        after = 0
        while True:
            rows = self._run("SELECT id, created, text, result FROM checks WHERE id > ? AND created >= ? "
                             "AND created < ? ORDER BY id LIMIT ?",
                             (after, since or "", before or "\uffff", batch_size)).fetchall()
            if not rows:
                return
            yield [_check(r) for r in rows]
            after = rows[-1][0]

    def save_review(self, review: Review) -> Review:
        created = _now()
        with self._transaction():
            review_id = self._value(
                "INSERT INTO reviews (check_id, claim, verdict, rating, reviewer, note, cite, created) "
                "VALUES (?,?,?,?,?,?,?,?) RETURNING id",
                (review.check_id, review.claim, review.verdict, review.rating, review.reviewer, review.note,
                 json.dumps(list(review.cite)), created))
        return replace(review, id=int(review_id), created=created)

    def reviews(self, check_ids: Sequence[int]) -> dict[int, list[Review]]:
        out: dict[int, list[Review]] = {}
        for row in self._rows("SELECT id, check_id, claim, verdict, rating, reviewer, note, cite, created "
                              "FROM reviews WHERE", "check_id", _unique(check_ids), tail="ORDER BY id"):
            out.setdefault(row[1], []).append(Review(
                id=row[0], check_id=row[1], claim=row[2], verdict=row[3], rating=row[4], reviewer=row[5],
                note=row[6], cite=tuple(json.loads(row[7])), created=row[8]))
        return out

    # -- stories -----------------------------------------------------------------------------------
    def story_state(self) -> StoryStateRows:
        return StoryStateRows(
            df=dict(self._run("SELECT term, df FROM story_terms").fetchall()),
            n_docs=int(self.get_meta(STORY_COUNT_KEY) or 0),
            stories={sid: json.loads(state) for sid, state in self._run("SELECT id, state FROM stories")},
            aliases=dict(self._run("SELECT alias, story_id FROM story_aliases").fetchall()))

    def story_terms(self, terms: Sequence[str]) -> tuple[dict[str, int], int]:
        found = dict(self._rows("SELECT term, df FROM story_terms WHERE", "term", _unique(terms)))
        return found, int(self.get_meta(STORY_COUNT_KEY) or 0)

    def story_states(self, story_ids: Sequence[str]) -> dict[str, dict]:
        return {sid: json.loads(state)
                for sid, state in self._rows("SELECT id, state FROM stories WHERE", "id", _unique(story_ids))}

    def save_story_batch(self, batch: StoryBatch) -> None:
        with self._transaction():
            self._many(self._upsert("stories", ("id", "title", "keywords", "entities", "first_date", "last_date",
                                                "sources", "size", "state"), "id"),
                       [(sid, r["title"], _dumps(r["keywords"]), _dumps(r["entities"]), r["first_date"],
                         r["last_date"], _dumps(r["sources"]), r["size"], _dumps(r["state"]))
                        for sid, r in batch.stories.items()])
            # a document placed again moves to the end of its story
            self._many(self._upsert("story_documents", ("doc_id", "story_id", "score"), "doc_id"), batch.members)
            for alias, target in batch.aliases.items():
                self._run("UPDATE story_documents SET story_id = ? WHERE story_id = ?", (target, alias))
                self._run("UPDATE story_claims SET story_id = ? WHERE story_id = ?", (target, alias))
                self._run(self._upsert("story_aliases", ("alias", "story_id"), "alias"), (alias, target))
            for cond, args in self._in("id", batch.removed):
                self._run(f"DELETE FROM stories WHERE {cond}", args)
            self._many(self._upsert("story_terms", ("term", "df"), "term"), list(batch.df.items()))
            self.set_meta(STORY_COUNT_KEY, str(batch.n_docs))
            self.set_meta(batch.watermark_key, str(batch.watermark))

    def clear_stories(self, watermark_key: str) -> None:
        with self._transaction():
            for table in ("stories", "story_documents", "story_aliases", "story_terms"):
                self._run(f"DELETE FROM {table}")
            self._run("DELETE FROM meta WHERE key IN (?, ?)", (watermark_key, STORY_COUNT_KEY))

    def drop_dangling_story_links(self) -> DanglingLinks:
        gone = ("NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = {0}.story_id) AND NOT EXISTS (SELECT 1 FROM "
                "story_aliases a JOIN stories s ON s.id = a.story_id WHERE a.alias = {0}.story_id)")
        with self._transaction():
            no_document = "NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = story_documents.doc_id)"
            gone_documents = int(self._value(f"SELECT COUNT(*) FROM story_documents WHERE {no_document}"))
            self._run(f"DELETE FROM story_documents WHERE {no_document}")
            unplaced = tuple(r[0] for r in self._run(
                f"SELECT sd.doc_id FROM story_documents sd JOIN documents d ON d.id = sd.doc_id "
                f"WHERE {gone.format('sd')} ORDER BY d.{self.SEQ}"))
            self._run(f"DELETE FROM story_documents WHERE {gone.format('story_documents')}")
            checks = tuple(r[0] for r in self._run(
                f"SELECT DISTINCT check_id FROM story_claims WHERE {gone.format('story_claims')} ORDER BY check_id"))
            self._run(f"DELETE FROM story_claims WHERE {gone.format('story_claims')}")
        return DanglingLinks(gone_documents, unplaced, checks)

    def resolve_story(self, story_id: str) -> str | None:
        row = self._run("SELECT id FROM stories WHERE id = ? UNION ALL SELECT a.story_id FROM story_aliases a "
                        "JOIN stories s ON s.id = a.story_id WHERE a.alias = ?", (story_id, story_id)).fetchone()
        return row[0] if row else None

    def count_stories(self) -> int:
        return int(self._value("SELECT COUNT(*) FROM stories"))

    def story_of_documents(self, doc_ids: Sequence[str]) -> dict[str, str]:
        return dict(self._rows("SELECT doc_id, story_id FROM story_documents WHERE", "doc_id", _unique(doc_ids)))

    def _story(self, row: tuple, documents: list[str]) -> Story:
        sid, title, keywords, entities, first, last, sources = row
        claims = [{"check_id": r[0], "position": r[1], "claim": r[2], "verdict": r[3]} for r in self._run(
            "SELECT check_id, position, claim, verdict FROM story_claims WHERE story_id = ? "
            "ORDER BY check_id, position", (sid,))]
        aliases = [r[0] for r in self._run("SELECT alias FROM story_aliases WHERE story_id = ? ORDER BY alias",
                                           (sid,))]
        return Story(id=sid, title=title, keywords=json.loads(keywords), entities=json.loads(entities),
                     first_date=first, last_date=last, sources=json.loads(sources), documents=documents, claims=claims,
                     aliases=aliases)

    def get_story(self, story_id: str) -> Story | None:
        sid = self.resolve_story(story_id)
        if sid is None:
            return None
        row = self._run(f"SELECT {_STORY_COLUMNS} FROM stories s WHERE s.id = ?", (sid,)).fetchone()
        assert row is not None  # resolved above
        docs = [r[0] for r in self._run(f"SELECT doc_id FROM story_documents WHERE story_id = ? ORDER BY {self.SEQ}",
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
        sql = (f"SELECT {_STORY_COLUMNS} FROM stories s {'WHERE ' + ' AND '.join(where) if where else ''} "
               "ORDER BY s.last_date IS NULL, s.last_date DESC, s.size DESC, s.id LIMIT ? OFFSET ?")
        rows = self._run(sql, [*args, limit, offset]).fetchall()
        members: dict[str, list[str]] = {}
        for doc_id, sid in self._rows("SELECT doc_id, story_id FROM story_documents WHERE", "story_id",
                                      [r[0] for r in rows], tail=f"ORDER BY {self.SEQ}"):
            members.setdefault(sid, []).append(doc_id)
        return [self._story(r, members.get(r[0], [])) for r in rows]

    def attach_claims(self, check_id: int, claims: Sequence[tuple[int, str, str, str]]) -> None:
        with self._transaction():
            self._run("DELETE FROM story_claims WHERE check_id = ?", (check_id,))
            self._many("INSERT INTO story_claims VALUES (?, ?, ?, ?, ?)",
                       [(check_id, pos, sid, claim, verdict) for pos, sid, claim, verdict in claims])

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
        self.conn.close()
