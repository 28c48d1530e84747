"""The store interface: documents, their sentences, cached vectors and facts, checks, stories and a little metadata.

The store is the source of truth; indexes are rebuilt or caught up from it. A batch of documents is
written in one transaction: it lands whole or not at all. ``Store`` is the sum of one protocol per
concern (``DocumentStore``, ``MetaStore``, ``VectorStore``, ``FactStore``, ``CheckStore``,
``StoryStore``): a stage asks only for the part it uses.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Iterator, Mapping, Protocol, Sequence

import numpy as np

from tabayyun.records import Document, Review, Sentence, Story, Topic

__all__ = ["Store", "DocumentStore", "MetaStore", "VectorStore", "FactStore", "CheckStore", "StoryStore", "BatchResult",
           "PendingSentence", "text_key", "StoryBatch", "StoryStateRows", "DanglingLinks"]


VECTOR_SPEC_KEY = "vector_spec:"  # + encoder name: the meta key of the spec its stored vectors were made with


def text_key(text: str) -> str:
    """The key of a text's vectors in the store (its SHA-1): the same text has one vector per encoder."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PendingSentence:
    """A sentence before it has an id: its position and offsets in its document's text."""

    position: int
    start: int
    end: int


@dataclass
class BatchResult:
    """What one ``add_documents`` call did."""

    added: int = 0
    skipped: int = 0
    sentences: int = 0


@dataclass
class StoryBatch:
    """What one organise batch changes, written in one transaction: stories (id -> state) updated or
    created, stories merged away, (doc id, story id, score) placements, aliases (merged id -> story id),
    document frequencies of terms, the count of documents organised and the watermark reached."""

    stories: dict[str, dict]
    removed: list[str]
    members: list[tuple[str, str, float]]
    aliases: dict[str, str]
    df: dict[str, int]
    n_docs: int
    watermark: int
    watermark_key: str = "stories_organised_upto"


@dataclass(frozen=True)
class DanglingLinks:
    """Story links that led nowhere, dropped: how many placements of documents that are gone, the documents
    placed in a story that is gone (storage order) and the checks with a claim placed in one; the documents and
    the claims are to be placed again."""

    gone_documents: int = 0
    unplaced: tuple[str, ...] = ()
    checks: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.gone_documents or self.unplaced or self.checks)


@dataclass
class StoryStateRows:
    """The clusterer's saved state: term document frequencies, documents counted, stories, aliases."""

    df: dict[str, int]
    n_docs: int
    stories: dict[str, dict]
    aliases: dict[str, str]


class DocumentStore(Protocol):
    """Documents, their sentences, their other ids and their topics."""

    def add_documents(self, batch: Sequence[tuple[Document, str, Sequence[PendingSentence]]],
                      topics: Mapping[str, Sequence[Topic]] | None = None) -> BatchResult:
        """Add (document, content hash, sentences) triples in one transaction; known ids are skipped, and a
        known text under a new id is kept as an alias of the stored document. ``topics`` (by document id)
        are stored with the documents they belong to, in the same transaction."""

    def document_hashes(self, doc_ids: Sequence[str]) -> dict[str, str]:
        """The content hash each known id (document or alias) stands for; ``add_documents`` refuses
        (``TabayyunError``, nothing written) a batch that would give a known id another text."""

    def get_document(self, doc_id: str) -> Document | None: ...

    def get_documents(self, doc_ids: Sequence[str]) -> dict[str, Document]: ...

    def document_aliases(self, doc_ids: Sequence[str]) -> dict[str, list[str]]:
        """Other ids under which the same text was ingested, per stored document id."""

    def document_topics(self, doc_ids: Sequence[str]) -> dict[str, list[Topic]]:
        """Stored topics per document id, most probable first (documents without topics are absent)."""

    def get_sentences(self, ids: Sequence[int]) -> dict[int, Sentence]: ...

    def cited_sentences(self, ids: Sequence[int]) -> tuple[dict[int, Sentence], dict[str, Document]]:
        """``get_sentences`` and their documents in one read, the documents without their text (empty)."""

    def document_sentences(self, doc_id: str) -> list[Sentence]: ...

    def iter_sentences(self, after_id: int = 0, batch_size: int = 10_000) -> Iterator[list[Sentence]]:
        """Sentences with id > ``after_id`` in id order, in batches."""

    def max_sentence_id(self) -> int: ...

    def counts(self) -> dict[str, int]: ...

    def remove_document(self, doc_id: str) -> list[Sentence] | None:
        """Remove a document (named by any of its ids) with its sentences, other ids, topics, story
        membership and the vectors of its sentences, in one transaction; returns the removed sentences,
        or None if there is no such document. Ids are never given again."""
        ...

    def replace_document(self, document: Document, digest: str, sentences: Sequence[PendingSentence],
                         topics: Sequence[Topic] = ()) -> tuple[list[Sentence], BatchResult] | None:
        """``remove_document`` of ``document.id`` and the new text added under it, in one transaction;
        None (nothing written) if there is no such document."""
        ...

    def breakdown(self, by: str) -> list[dict[str, Any]]:
        """Per source (``by="source"``) or per month (``"month"``, YYYY-MM): documents, sentences, first
        and last date, ordered by key."""
        ...

    def documents_after(self, seq: int, limit: int) -> list[tuple[int, Document]]:
        """Up to ``limit`` documents stored after position ``seq``, as (position, document), in storage order."""


class MetaStore(Protocol):
    """A little metadata (settings, watermarks of the stages that follow the store), and whether the
    base was opened read-only (readers then keep what they compute in memory)."""

    readonly: bool

    def get_meta(self, key: str) -> str | None: ...

    def set_meta(self, key: str, value: str) -> None: ...


class VectorStore(Protocol):
    """Sentence vectors by encoder name and ``text_key``: a cache that can always be computed again. Each
    encoder's spec (package revision, width, prompt) is kept beside its vectors."""

    def load_vectors(self, model: str, keys: Sequence[str]) -> dict[str, np.ndarray]: ...

    def save_vectors(self, model: str, vectors: dict[str, np.ndarray]) -> None: ...

    def vector_spec(self, model: str) -> str | None:
        """The spec recorded for encoder ``model``'s vectors, or None if none was."""

    def use_vector_spec(self, model: str, spec: str) -> bool:
        """Whether encoder ``model``'s stored vectors are ``spec``'s (or of a base from before specs were kept).
        A writable store then records ``spec`` for the vectors to come, and drops the vectors of another spec
        first (one transaction), so that it returns True; a read-only one changes nothing."""


class FactStore(Protocol):
    """What the fact checks extracted from sentences (``verify.signals.facts`` as JSON), by ``text_key`` and the
    version of the code that extracted them: a cache that can always be computed again."""

    def load_facts(self, version: str, keys: Sequence[str]) -> dict[str, str]: ...

    def save_facts(self, version: str, facts: Mapping[str, str]) -> None:
        """Keep facts under ``version``; the facts of any other version are dropped first (once per version)."""


class CheckStore(Protocol):
    """Saved checks, the stories their claims were placed in, and people's reviews of them."""

    def save_check(self, text: str, result: list[dict]) -> int:
        """Keep a check (its text and per-claim results); returns its id."""

    def get_check(self, check_id: int) -> dict | None:
        """``{"id", "created", "text", "claims"}`` or None."""

    def list_checks(self, limit: int = 50, offset: int = 0) -> list[dict]:
        """Newest first: ``{"id", "created", "text" (first 200 chars), "claims" (count), "verdicts" (the
        machine verdict of each claim), "reviewed" (how many claims a person reviewed)}``."""

    def save_review(self, review: Review) -> Review:
        """Store a person's review of one claim of a check; returns it with its id and time."""
        ...

    def reviews(self, check_ids: Sequence[int]) -> dict[int, list[Review]]:
        """Every review of these checks, oldest first, by check id."""
        ...

    def iter_checks(self, since: str | None = None, before: str | None = None,
                    batch_size: int = 500) -> Iterator[list[dict]]:
        """Saved checks created on or after ``since`` and before ``before`` (ISO), oldest first, in batches."""
        ...

    def attach_claims(self, check_id: int, claims: Sequence[tuple[int, str, str, str]]) -> None:
        """Place the claims of a saved check: (position in the check, story id, claim, verdict)."""


class StoryStore(Protocol):
    """Stories: written by ``organise``, read by the CLI, the API and the desk."""

    def story_state(self) -> StoryStateRows:
        """Everything the story clusterer needs to go on where it stopped."""

    def story_terms(self, terms: Sequence[str]) -> tuple[dict[str, int], int]:
        """Document frequencies of some terms, and the count of documents organised."""

    def story_states(self, story_ids: Sequence[str]) -> dict[str, dict]:
        """The clusterer's saved state of some stories."""

    def save_story_batch(self, batch: StoryBatch) -> None:
        """Write one organise batch in one transaction."""

    def clear_stories(self, watermark_key: str) -> None:
        """Forget every story (the claims placed in them are kept, to be placed again)."""

    def drop_dangling_story_links(self) -> DanglingLinks:
        """Drop the story links that lead nowhere (an old correction bug left some): placements of documents
        that are gone, placements of documents and claims in stories that are gone (no story and no alias of
        one holds the id); what was dropped."""

    def resolve_story(self, story_id: str) -> str | None:
        """The id a story is kept under now (a merged id leads to the story it joined), or None."""

    def count_stories(self) -> int: ...

    def story_of_documents(self, doc_ids: Sequence[str]) -> dict[str, str]: ...

    def get_story(self, story_id: str) -> Story | None: ...

    def list_stories(self, since: str | None = None, until: str | None = None, source: str | None = None,
                     topic: str | None = None, limit: int = 50, offset: int = 0) -> list[Story]:
        """Newest first (by last date); ``topic`` needs the ``document_topics`` table of the topics stage."""


class Store(DocumentStore, MetaStore, VectorStore, FactStore, CheckStore, StoryStore, Protocol):
    """Everything a base holds: what ``open_store`` returns."""

    def close(self) -> None: ...
