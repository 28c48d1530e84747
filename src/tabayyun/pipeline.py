"""The few lines that chain the stages: read this first.

    documents --ingest--> store + lexical index (+ topics of each document)
    text --claims--> Claim[] --retrieve--> Evidence[] --stance--> Evidence[] --verdict--> Verdict (+ topics)

``Tabayyun`` is the Python API; the CLI and the HTTP API are thin doors onto it.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Collection, Iterable, Iterator, Sequence

from tqdm import tqdm

from tabayyun.claims import RuleWorthiness, split_claims
from tabayyun.errors import TabayyunError
from tabayyun.index import EmbeddingCache, Encoder, LexicalIndex, Retriever, Window, cached_encoder, make_encoder
from tabayyun.ingest import RecordError, check_text, content_hash, read_records
from tabayyun.ingest.prepare import Prepared, prepare, sentence_spans
from tabayyun.organise import StoryClusterer, TopicClassifier
from tabayyun.organise.topics import combine_topics
from tabayyun.records import Claim, Document, Evidence, Story, Topic, Verdict
from tabayyun.store import BatchResult, Store, is_postgres_url, open_store
from tabayyun.store.base import DanglingLinks, text_key
from tabayyun.verify import (CheckedStance, RuleStance, RuleVerdict, StanceModel, StoredFacts, VerdictModel,
                             WorthinessModel, candidate_ranks, decisive_first, weigh)
from tabayyun.verify.signals import facts_version

if TYPE_CHECKING:
    from tabayyun.kept import Kept, StoredPosts, StoredRanks, StoredStance
    from tabayyun.organise.stories import LeadFeatures

__all__ = ["Tabayyun", "IngestSummary", "extract_claims", "has_arabic", "MAX_TEXT_CHARS", "MAX_CLAIM_CHARS",
           "MAX_CLAIMS"]

# Bounds on the work of one call (documented in the README), the same for the CLI, the API and Python.
MAX_TEXT_CHARS = 100_000  # a post or article given to check
MAX_CLAIM_CHARS = 2_000  # one claim given to verify; a longer claim found in a text is verified on its start
MAX_CLAIMS = 50  # claims to verify in one check; a text with more is refused (check it in parts)
_VECTORS_UPTO = "vectors_upto:"  # meta key prefix: sentences up to this id have vectors of that encoder
_FACTS_UPTO = "facts_upto:"  # meta key prefix: sentences up to this id have their facts kept, of that facts version


@dataclass
class IngestSummary:
    documents_added: int = 0
    documents_skipped: int = 0
    sentences_indexed: int = 0
    invalid: list[str] = field(default_factory=list)  # bad records passed over (with skip_invalid)
    empty: list[str] = field(default_factory=list)  # empty files of a folder, passed over

    def line(self) -> str:
        line = (f"added {self.documents_added} documents, skipped {self.documents_skipped} already present, "
                f"indexed {self.sentences_indexed} sentences")
        line += f", passed over {len(self.invalid)} invalid records" if self.invalid else ""
        return line + (f", passed over {len(self.empty)} empty files" if self.empty else "")


def local_index_dir(url: str) -> Path:
    """Where the lexical index of a server base lives on this machine: ``$TABAYYUN_INDEX_DIR``, else a
    folder of the user's cache named by a hash of the URL."""
    if os.environ.get("TABAYYUN_INDEX_DIR"):
        return Path(os.environ["TABAYYUN_INDEX_DIR"])
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "tabayyun" / hashlib.sha256(url.encode()).hexdigest()[:16] / "index"


def has_arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" for ch in text)


def _batched(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


Embedder = Callable[[str], EmbeddingCache]


def default_worthiness(name: str = "rules", embedder: Embedder | None = None) -> WorthinessModel:
    """``rules`` (the default gate of ``check``: recall-oriented) or ``learned`` (see EVALUATION.md).

    ``embedder`` gives the vector cache of a sentence encoder by name (default: in memory)."""
    if name == "learned":
        from tabayyun.models import LearnedWorthiness

        model = LearnedWorthiness.pretrained()
        model.encoder = (embedder or cached_encoder)(model.encoder_name)
        return model
    if name != "rules":
        raise TabayyunError(f"unknown worthiness model '{name}' (rules or learned)")
    return RuleWorthiness()


def default_stance(embedder: Embedder | None = None) -> StanceModel:
    """The learned stance model checked against explicit facts; the rules alone if no artefact ships."""
    embedder = embedder or cached_encoder
    try:
        from tabayyun.models import LearnedStance

        model = LearnedStance.pretrained()
    except FileNotFoundError:
        return RuleStance(embed=embedder(Encoder.name).encode)
    model.encoder = embedder(model.encoder_name)
    return CheckedStance(model, encoder=model.encoder)


def stored_stance(stance: StanceModel, store: Store) -> StoredStance | None:
    """The per-text inputs and per-call results of a learned stance model (``CheckedStance.model``), kept in
    ``store``; None for others."""
    from tabayyun.models.stance import LearnedStance
    from tabayyun.kept import StoredStance

    model = getattr(stance, "model", None)
    return StoredStance(model, store) if isinstance(model, LearnedStance) else None


def stored_posts(worthiness: WorthinessModel, topics: TopicClassifier, store: Store) -> StoredPosts | None:
    """The claims and subjects of posts, kept in ``store``, for the rule check-worthiness and a topic model that reads
    no vectors; None for others."""
    from tabayyun.kept import StoredPosts

    return StoredPosts.of(store, worthiness, topics)


def stored_searches(store: Store) -> tuple[Kept[tuple[str, ...]], StoredRanks]:
    """Claims' query terms and the ranks of their candidates (``verify.select.candidate_ranks``), kept in ``store``."""
    from tabayyun.kept import StoredRanks, stored_queries

    return stored_queries(store), StoredRanks(store)


def stored_leads(stories: StoryClusterer, store: Store) -> Kept[LeadFeatures]:
    """What ``stories.attach`` reads of checked texts, kept in ``store``."""
    from tabayyun.kept import stored_leads

    return stored_leads(stories, store)


def extract_claims(text: str, worthiness: WorthinessModel | None = None) -> list[Claim]:
    """Atomic claims of a post or article, each with its span and check-worthiness."""
    if len(text) > MAX_TEXT_CHARS:
        raise TabayyunError(f"text of {len(text)} characters, over the limit of {MAX_TEXT_CHARS} (check it in "
                            "parts) / النص أطول من المسموح")
    claims = split_claims(text)
    scores = (worthiness or default_worthiness()).score([c.text for c in claims])
    for claim, score in zip(claims, scores):
        claim.checkworthiness = float(score)
    return claims


def _bounded(claim: Claim) -> Claim:
    """A claim found in a text, cut to its first ``MAX_CLAIM_CHARS`` (its span cut with it)."""
    if len(claim.text) <= MAX_CLAIM_CHARS:
        return claim
    span = (claim.span[0], claim.span[0] + MAX_CLAIM_CHARS) if claim.span else None
    return replace(claim, text=claim.text[:MAX_CLAIM_CHARS], span=span)


_STORY_VOTE = {"agree": 1.0, "disagree": 1.0, "discuss": 0.5, "unrelated": 0.0}


def story_vote(stance: str, score: float) -> float:
    """How much a piece of evidence places its claim in its document's story: how decisive and how close."""
    return _STORY_VOTE.get(stance, 0.0) * max(score, 0.0)


def story_votes(evidence: Sequence[Evidence]) -> list[tuple[str, float]]:
    return [(e.document.id, story_vote(e.stance, e.score)) for e in evidence]


class Tabayyun:
    """An evidence base in a folder, and the stages that check claims against it."""

    def __init__(self, db: str | Path, *, create: bool = False, store: Store | None = None,
                 worthiness: WorthinessModel | None = None, stance: StanceModel | None = None,
                 verdict: VerdictModel | None = None, evidence_k: int = 5,
                 topics: TopicClassifier | None = None, index_dir: str | Path | None = None,
                 readonly: bool = False) -> None:
        self.db: str | Path = str(db) if is_postgres_url(str(db)) else Path(db)
        self.store = store or open_store(self.db, create=create, readonly=readonly)
        self._caches: dict[str, EmbeddingCache] = {}
        self.cache = self.embedder(Encoder.name)
        readonly = self.store.readonly
        if isinstance(self.db, Path):  # the index beside the SQLite file
            self.retriever = Retriever(self.store, LexicalIndex(self.db / "index", readonly=readonly), self.cache)
        else:  # a local copy of a server's index, with its own watermark in the store
            lexical = LexicalIndex(index_dir or local_index_dir(self.db), readonly=readonly)
            self.retriever = Retriever(self.store, lexical, self.cache,
                                       watermark_key=f"lexical_indexed_upto:{lexical.identity()}")
        self.worthiness = worthiness or default_worthiness()
        self.stance = stance or default_stance(self.embedder)
        self.verdict = verdict or RuleVerdict()
        self.evidence_k = evidence_k
        self.topics = topics or TopicClassifier.pretrained()
        self.stories = StoryClusterer(self.store)
        self.facts = StoredFacts(self.store)  # the candidates' facts, kept for the next check
        self.stance_kept = stored_stance(self.stance, self.store)  # what the stance model read and gave
        self.posts_kept = stored_posts(self.worthiness, self.topics, self.store)  # the claims and subjects of posts
        self.queries_kept, self.ranks_kept = stored_searches(self.store)  # claims' query terms, candidates' ranks
        self.leads_kept = stored_leads(self.stories, self.store)  # what checked texts' stories are found by

    def embedder(self, name: str) -> EmbeddingCache:
        """The vector cache of sentence encoder ``name``, kept in the store (one per encoder). Vectors that
        another revision of the encoder made are dropped on a writable base, left unread on a read-only one."""
        if name not in self._caches:
            encoder = make_encoder(name)
            self._caches[name] = (EmbeddingCache(encoder, load=partial(self.store.load_vectors, name),
                                                 save=partial(self.store.save_vectors, name))
                                  if self.store.use_vector_spec(name, encoder.spec()) else EmbeddingCache(encoder))
        return self._caches[name]

    # -- evidence base ---------------------------------------------------------------------------
    def add_documents(self, documents: Iterable[Document], batch_size: int = 1000,
                      on_batch: Callable[[int], None] | None = None, embed: bool = False,
                      dask: str | None = None) -> IngestSummary:
        """Store and index documents; each batch lands whole or not at all (one batch: one transaction).

        With ``embed``, the retrieval vectors of every sentence that has none yet (this call's, and those
        an earlier killed ``embed`` left) are computed now instead of at first retrieval. (The stance
        model's vectors are computed for the few sentences that become evidence, when they first do, and
        kept in the store too.) ``dask`` (``local[:N]`` or ``tcp://HOST:PORT``): the batches are prepared
        (``tabayyun.ingest.prepare``) on Dask workers, and committed here in input order: the same base as
        without. A failure after some batches were stored says how many were.
        """
        if batch_size < 1:
            raise TabayyunError(f"batch size must be at least 1, not {batch_size}")
        summary = IngestSummary()
        batches = _batched(documents, batch_size)
        if dask is None:
            prepared: Iterable[list[Prepared]] = (self.prepare(batch, embed) for batch in batches)
        else:
            from tabayyun.scale.ingest import map_prepare

            prepared = map_prepare(dask, batches, self.topics, self.stories.config,
                                   self.cache.encoder.name if embed else None)
        try:
            for batch in prepared:
                result = self.add_prepared(batch, embed)
                summary.documents_added += result.added
                summary.documents_skipped += result.skipped
                summary.sentences_indexed += result.sentences
                if on_batch is not None:
                    on_batch(len(batch))
        except (TabayyunError, OSError, ValueError) as exc:  # a full disk, a failed index write ...
            if isinstance(exc, TabayyunError) and not summary.documents_added:
                raise
            stored = (f"; {summary.documents_added} documents of this call had been stored before (running it "
                      "again adds the rest)") if summary.documents_added else ""
            raise TabayyunError(f"cannot add the documents: {exc}{stored}") from None
        return summary

    def prepare(self, documents: Sequence[Document], embed: bool = False) -> list[Prepared]:
        """The order-free work of ingest on a batch of documents, in this process (``ingest.prepare``); the
        vectors through the store's cache (a sentence embedded before is read, not embedded again)."""
        return prepare(documents, self.topics, self.stories.config, self.cache if embed else None)

    def add_prepared(self, batch: Sequence[Prepared], embed: bool = False) -> BatchResult:
        """Commit one prepared batch: store it (one transaction), then bring the index, the stories and (with
        ``embed``) the vectors up to date, reading what was prepared instead of computing it again."""
        result = self.store.add_documents([(p.document, p.digest, p.sentences) for p in batch],
                                          topics={p.document.id: list(p.topics) for p in batch})
        self.retriever.sync(analysed={p.document.text[s.start:s.end]: terms for p in batch
                                      for s, terms in zip(p.sentences, p.terms)})
        self.stories.sync(leads={p.document.id: p.lead for p in batch})
        if embed:
            vectors = {text_key(p.document.text[s.start:s.end]): vector for p in batch if p.vectors is not None
                       for s, vector in zip(p.sentences, p.vectors)}
            self.store.save_vectors(self.cache.encoder.name, vectors)
            self.embed_pending(stored=vectors.keys())
        return result

    def remove_document(self, doc_id: str) -> bool:
        """Remove a document from the evidence base (store, lexical index, vectors, its story); False if
        there is none. Saved checks that cited it keep the citation (marked removed where shown)."""
        removed = self.store.remove_document(doc_id)
        if removed is None:
            return False
        self.retriever.forget([s.id for s in removed])
        return True

    def correct_document(self, document: Document) -> bool:
        """Replace the text (and title, source, date, address) of a stored document, keeping its id: its
        old sentences leave the index, the new ones are indexed and placed in a story; False if none. The same
        document again is left as it is (new sentence ids would mark saved checks' evidence removed)."""
        if self.store.get_document(document.id) == document:
            return True
        topics = self.topics.predict([document.text], [document.title])[0]
        replaced = self.store.replace_document(document, content_hash(document.text), sentence_spans(document.text),
                                               topics)
        if replaced is None:
            return False
        self.retriever.forget([s.id for s in replaced[0]])
        self.retriever.sync()
        self.stories.sync()
        return True

    def embed_pending(self, batch_size: int = 512, stance: bool = False, stored: Collection[str] = ()) -> int:
        """Compute the retrieval vectors of the sentences that have none yet, and with ``stance`` the stance
        encoder's too (e5: several times slower, but a cold check then embeds only its claim) and the facts the fact
        checks read (``StoredFacts.keep``: under 1 ms a sentence; a cold check then reads its candidates' facts);
        resumable (a watermark per encoder, and one per facts version, in the store's meta moves after each batch).
        ``stored``: the ``text_key`` of texts whose retrieval vectors were just saved (ingest's batch): the
        watermark moves past them without reading them back. Returns how many sentences were passed, over the
        passes."""
        passes: list[tuple[str, Callable[[list[str]], object]]] = [(
            _VECTORS_UPTO + self.cache.encoder.name,
            lambda texts: self.cache.encode([t for t in texts if text_key(t) not in stored]))]
        stance_cache = getattr(self.stance, "encoder", None)
        if stance and isinstance(stance_cache, EmbeddingCache) and stance_cache.encoder.name != self.cache.encoder.name:
            passes.append((_VECTORS_UPTO + stance_cache.encoder.name, stance_cache.encode))
        if stance:
            passes.append((_FACTS_UPTO + facts_version(), self.facts.keep))
        count = 0
        for key, step in passes:
            done = int(self.store.get_meta(key) or 0)
            for sentences in self.store.iter_sentences(after_id=done, batch_size=batch_size):
                step([s.text for s in sentences])
                self.store.set_meta(key, str(sentences[-1].id))
                count += len(sentences)
        return count

    def ingest(self, paths: Sequence[str | Path], source: str | None = None, progress: bool = False,
               batch_size: int = 1000, skip_invalid: bool = False, embed: bool = False,
               fields: dict[str, str] | None = None, dask: str | None = None) -> IngestSummary:
        """Ingest files and folders.

        Every record is checked before anything is written (a first pass over the input): a bad one, or
        an id that already stands for another text, fails the whole call naming its file and line, or,
        with ``skip_invalid``, is passed over and listed in ``IngestSummary.invalid``. An empty file
        found in a folder is passed over and listed too. ``fields`` maps our fields to the input's
        column names ({"text": "body", "date": "published"}). ``dask``: see ``add_documents``.
        """
        if batch_size < 1:
            raise TabayyunError(f"batch size must be at least 1, not {batch_size}")
        if dask is not None:
            from tabayyun.scale.cluster import require_dask

            require_dask(dask)
        invalid: list[str] = []
        empty: list[str] = []
        conflicts: set[str] = set()  # where the records with a clashing id were read
        seen: dict[str, str] = {}  # id -> content hash (its first 16 hex digits: memory), over the whole input
        total = 0
        records = read_records(paths, source, (lambda e: invalid.append(str(e))) if skip_invalid else None, fields,
                               lambda path: empty.append(str(path)))
        for batch in _batched(records, 1000):
            stored = self.store.document_hashes([doc.id for _, doc in batch])
            for where, doc in batch:
                digest = content_hash(doc.text)[:16]
                previous = seen.setdefault(doc.id, stored.get(doc.id, digest)[:16])
                if previous != digest:
                    error = RecordError(f"{where}: id '{doc.id}' already stands for another text (give this one "
                                        "its own id) / المعرّف مستخدم لنص آخر")
                    if not skip_invalid:
                        raise error
                    invalid.append(str(error))
                    conflicts.add(where)
                    continue
                total += 1
        with tqdm(total=total, unit="doc", disable=not progress, desc="ingest") as bar:
            docs = (doc for where, doc in read_records(paths, source, (lambda e: None) if skip_invalid else None,
                                                       fields, lambda path: None)
                    if where not in conflicts)
            summary = self.add_documents(docs, batch_size, on_batch=bar.update, embed=embed, dask=dask)
        summary.invalid, summary.empty = invalid, empty
        return summary

    # -- claims ----------------------------------------------------------------------------------
    def claims(self, text: str) -> list[Claim]:
        return extract_claims(text, self.worthiness)

    # -- verification ----------------------------------------------------------------------------
    def retrieve(self, claim: str, k: int | None = None) -> list[Evidence]:
        return self.retriever.search(claim, k or self.evidence_k)

    def verify(self, claim: str | Claim, date: str | None = None, before: str | None = None,
               topics: list[Topic] | None = None) -> Verdict:
        """Retrieve evidence for one claim, set each one's stance, and decide; the verdict carries the claim's topics.

        ``date`` (ISO-8601) is when the claim was made, for a text given as ``str`` (a ``Claim`` carries
        its own): figures that change with time are not contradicted by evidence of another week.
        ``before`` (ISO-8601): only evidence published before that day (what was known then).
        ``topics``: the subjects to give the verdict when they are known already (a claim of a post
        takes the post's); by default the claim's own. The stages, for a caller that plans several
        claims at once (``batch``): ``checked_claim``, ``select``, ``judge``."""
        checked = self.checked_claim(claim, date)
        return self.judge(checked, self.select(checked, before), topics)

    def checked_claim(self, claim: str | Claim, date: str | None = None) -> Claim:
        """The claim as ``verify`` reads it: refused if empty, over ``MAX_CLAIM_CHARS`` or not Arabic; a ``str``
        becomes a ``Claim`` made on ``date``, with its check-worthiness."""
        text = check_text(claim if isinstance(claim, str) else claim.text, "claim")
        if not text.strip():
            raise TabayyunError("empty claim / الادعاء فارغ")
        if len(text) > MAX_CLAIM_CHARS:
            raise TabayyunError(f"claim of {len(text)} characters, over the limit of {MAX_CLAIM_CHARS} (give one "
                                "claim, or check the text with 'check') / الادعاء أطول من المسموح")
        if not has_arabic(text):
            raise TabayyunError("the claim has no Arabic text; tabayyun checks Arabic claims / الادعاء ليس بالعربية")
        if isinstance(claim, str):
            return Claim(text=text.strip(), checkworthiness=self.worthiness.score([text.strip()])[0], date=date)
        return claim

    def select(self, claim: Claim, before: str | None = None) -> list[Evidence]:
        """The evidence the stance stage reads: the ``evidence_k`` most decisive candidates, one per document
        (``decisive_first``), among those published before ``before`` (ISO-8601) if given. The claim's query terms
        and its candidates' ranks are kept in the store: a claim checked again against the same candidates reads
        them, and only the facts of the evidence selected."""
        window = Window(before=before) if before else None
        self.queries_kept.load([claim.text])
        candidates = self.retriever.candidates(claim.text, window=window)
        self.queries_kept.flush()
        texts = [e.sentence.text for e in candidates]

        def rank() -> list[int]:
            # those kept by an earlier check (of the claim too: a feed checked again) are read, not extracted
            self.facts.load([claim.text, *texts])
            return candidate_ranks(claim.text, candidates)

        self.ranks_kept.load([(claim.text, texts)])
        found = decisive_first(claim.text, candidates, self.evidence_k, self.ranks_kept.read(claim.text, texts, rank))
        self.ranks_kept.flush()
        self.facts.load([claim.text, *(e.sentence.text for e in found)])  # what judging them reads
        return found

    def judge(self, claim: Claim, found: Sequence[Evidence], topics: list[Topic] | None = None) -> Verdict:
        """The verdict on ``claim`` from its selected evidence: each one's stance, the decision, the story and
        the topics (``topics`` if given, else the claim's own)."""
        texts = [e.sentence.text for e in found]
        if self.stance_kept is not None:
            self.stance_kept.load([(claim.text, texts)])
        probs = self.stance.predict(claim.text, texts)
        if self.stance_kept is not None:
            self.stance_kept.flush()
        evidence = [weigh(claim.text, e, p) for e, p in zip(found, probs)]
        label, confidence, reasons = self.verdict.decide(claim, evidence)
        story = self._attach(claim.text, story_votes(evidence), claim.date)
        self.facts.flush(e.sentence.text for e in found)
        return Verdict(claim=claim, label=label, confidence=confidence, evidence=evidence, reasons=reasons,
                       topics=self.topics.predict([claim.text])[0] if topics is None else topics, story=story)

    def check(self, text: str, all_claims: bool = False, date: str | None = None,
              before: str | None = None, progress: bool = False) -> list[Verdict]:
        """Extract the claims of a text (posted on ``date``, if given) and verify each check-worthy one
        (against evidence published ``before`` a day, if given); ``progress``: a bar on stderr.

        Each verdict carries the topics and the story of the whole text (a short claim is read in its
        post's context)."""
        return self.place_post(text, list(self.iter_check(text, all_claims, date, before, progress)), date)

    def iter_check(self, text: str, all_claims: bool = False, date: str | None = None,
                   before: str | None = None, progress: bool = False) -> Iterator[Verdict]:
        """``check`` one verdict at a time (the service lets other requests in between two claims), each
        in its own story until ``place_post`` places them all in the post's. The text is refused, before
        any claim is verified, if it is over the bounds."""
        claims, topics = self.post_claims(text, all_claims, date)
        for claim in tqdm(claims, unit="claim", disable=not progress or len(claims) < 2, desc="check"):
            yield self.verify(claim, before=before, topics=topics)

    def post_claims(self, text: str, all_claims: bool = False,
                    date: str | None = None) -> tuple[list[Claim], list[Topic]]:
        """The claims of a post (made on ``date``) that ``check`` verifies: the check-worthy ones (all with
        ``all_claims``) in Arabic, each cut to ``MAX_CLAIM_CHARS``; and the post's subjects, which its claims
        take (a claim of a post is read in its context). The text is refused if empty, not Arabic, or holding
        over ``MAX_CLAIMS`` claims to verify."""
        if not check_text(text, "text").strip():
            raise TabayyunError("empty text / النص فارغ")
        if not has_arabic(text[:MAX_TEXT_CHARS]):
            raise TabayyunError("the text has no Arabic; tabayyun checks Arabic posts / النص ليس بالعربية")
        found, topics = self._post_reads(text)
        claims = [_bounded(replace(c, date=date)) for c in found
                  if (all_claims or c.checkworthiness >= self.worthiness.threshold) and has_arabic(c.text)]
        if len(claims) > MAX_CLAIMS:
            raise TabayyunError(f"the text holds {len(claims)} claims to verify, over the limit of {MAX_CLAIMS} per "
                                "check (check it in parts) / عدد الادعاءات أكبر من المسموح")
        return claims, topics

    def _post_reads(self, text: str) -> tuple[list[Claim], list[Topic]]:
        """The claims and subjects of a post (kept: a post checked again is not read again)."""
        def extract(post: str) -> tuple[list[Claim], list[Topic]]:
            return self.claims(post), self.topics.predict([post])[0]

        if self.posts_kept is None:
            return extract(text)
        self.posts_kept.load([text])
        found = self.posts_kept.read(text, extract)
        self.posts_kept.flush()
        return found

    def place_post(self, text: str, verdicts: Sequence[Verdict], date: str | None = None) -> list[Verdict]:
        """The verdicts of one post, all placed in the post's story (found from its words and all their
        evidence; a claim keeps its own story when the post has none)."""
        post = self._attach(text, [vote for v in verdicts for vote in story_votes(v.evidence)], date)
        return [replace(v, story=post or v.story) for v in verdicts]

    def _attach(self, text: str, evidence: Sequence[tuple[str, float]], date: str | None) -> tuple[str, str] | None:
        """``stories.attach``, with what it reads of ``text`` kept in the store."""
        self.leads_kept.load([text])
        story = self.stories.attach(text, evidence, date)
        self.leads_kept.flush()
        return story

    # -- stories ---------------------------------------------------------------------------------
    def organise(self, rebuild: bool = False) -> int:
        """Place every document not yet in a story (all of them again with ``rebuild``), then the claims of
        the saved checks; returns how many documents were placed."""
        placed = self.stories.rebuild() if rebuild else self.stories.sync()
        if rebuild:
            for checks in self.store.iter_checks():
                for check in checks:
                    self.attach_check(check["id"], check["claims"])
        return placed

    def repair_stories(self) -> DanglingLinks:
        """Drop the story links that lead nowhere (``Store.drop_dangling_story_links``), place the documents
        left in no story again, and the claims of the checks that lost theirs; what was dropped."""
        dropped = self.store.drop_dangling_story_links()
        self.stories.place_again(dropped.unplaced)
        for check_id in dropped.checks:
            check = self.store.get_check(check_id)
            if check is not None:
                self.attach_check(check_id, check["claims"])
        return dropped

    def find_story(self, story_id: str) -> Story | None:
        """A story (by its id or the id of a story merged into it) with the subjects of its documents."""
        found = self.store.get_story(story_id)
        return None if found is None else self._with_topics([found])[0]

    def list_stories(self, since: str | None = None, until: str | None = None, source: str | None = None,
                     topic: str | None = None, limit: int = 50, offset: int = 0) -> list[Story]:
        """Stories newest first (``Store.list_stories``), each with the subjects of its documents."""
        return self._with_topics(self.store.list_stories(since, until, source, topic, limit, offset))

    def _with_topics(self, stories: Sequence[Story]) -> list[Story]:
        per_doc = self.store.document_topics([d for s in stories for d in s.documents])
        return [replace(s, topics=combine_topics([per_doc.get(d, []) for d in s.documents])) for s in stories]

    def save_check(self, text: str, verdicts: Sequence[Verdict]) -> int:
        """Keep a check of ``text`` (its verdicts from ``check``) and its claims in their stories; its id."""
        claims = [v.to_dict() for v in verdicts]
        check_id = self.store.save_check(text, claims)
        self.store.attach_claims(check_id, [(n, c["story"]["id"], c["claim"], c["verdict"])
                                            for n, c in enumerate(claims) if c["story"] is not None])
        return check_id

    def attach_check(self, check_id: int, claims: list[dict]) -> None:
        """Place the claims of a saved check (``Verdict.to_dict`` shapes) in their stories."""
        rows = []
        for position, c in enumerate(claims):
            story = self.stories.attach(c["claim"], [(e["doc_id"], story_vote(e["stance"], e["score"]))
                                                     for e in c["evidence"]])
            if story is not None:
                rows.append((position, story[0], c["claim"], c["verdict"]))
        self.store.attach_claims(check_id, rows)

    def search(self, query: str, limit: int = 10, window: Window | None = None) -> list[Evidence]:
        """The ``limit`` best sentences for a query, one per document, from the documents ``window`` admits."""
        if not check_text(query, "query").strip():
            raise TabayyunError("empty query / الاستعلام فارغ")
        if len(query) > MAX_CLAIM_CHARS:
            raise TabayyunError(f"query of {len(query)} characters, over the limit of {MAX_CLAIM_CHARS} "
                                "/ نص البحث أطول من المسموح")
        return self.retriever.search(query, limit, window=window)

    def close(self) -> None:
        self.store.close()
