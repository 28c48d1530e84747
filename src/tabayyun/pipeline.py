"""The few lines that chain the stages: read this first.

    documents --ingest--> store + lexical index
    text --claims--> Claim[] --retrieve--> Evidence[] --stance--> Evidence[] --verdict--> Verdict

``Tabayyun`` is the Python API; the CLI and the HTTP API are thin doors onto it.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from tqdm import tqdm

from tabayyun.claims import RuleWorthiness, split_claims
from tabayyun.errors import TabayyunError
from tabayyun.index import EmbeddingCache, Encoder, LexicalIndex, Retriever, cached_encoder, make_encoder
from tabayyun.ingest import content_hash, read_documents
from tabayyun.organise.stories import StoryClusterer
from tabayyun.records import Claim, Document, Evidence, Verdict
from tabayyun.store import BatchResult, PendingSentence, SQLiteStore, Store
from tabayyun.text import content_words, split_sentences
from tabayyun.verify import (CheckedStance, RuleStance, RuleVerdict, StanceModel, VerdictModel, WorthinessModel,
                             compare, decisive_first)

__all__ = ["Tabayyun", "IngestSummary", "extract_claims", "has_arabic"]

MIN_SENTENCE_WORDS = 3  # shorter fragments ("حرب" glued to a last sentence, a tweet of links and hashtags) are not evidence


@dataclass
class IngestSummary:
    documents_added: int = 0
    documents_skipped: int = 0
    sentences_indexed: int = 0
    invalid: list[str] = field(default_factory=list)  # bad records passed over (with skip_invalid)

    def line(self) -> str:
        line = (f"added {self.documents_added} documents, skipped {self.documents_skipped} already present, "
                f"indexed {self.sentences_indexed} sentences")
        return line + (f", passed over {len(self.invalid)} invalid records" if self.invalid else "")


def has_arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" for ch in text)


def _batched(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def sentence_spans(text: str) -> list[PendingSentence]:
    """The evidence sentences of a document text."""
    spans: list[PendingSentence] = []
    for start, end in split_sentences(text):
        if content_words(text[start:end]) >= MIN_SENTENCE_WORDS:
            spans.append(PendingSentence(position=len(spans), start=start, end=end))
    return spans


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


def extract_claims(text: str, worthiness: WorthinessModel | None = None) -> list[Claim]:
    """Atomic claims of a post or article, each with its span and check-worthiness."""
    claims = split_claims(text)
    scores = (worthiness or default_worthiness()).score([c.text for c in claims])
    for claim, score in zip(claims, scores):
        claim.checkworthiness = float(score)
    return claims


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
                 verdict: VerdictModel | None = None, evidence_k: int = 5) -> None:
        self.db = Path(db)
        self.store = store or SQLiteStore(self.db, create=create)
        self._caches: dict[str, EmbeddingCache] = {}
        self.cache = self.embedder(Encoder.name)
        self.retriever = Retriever(self.store, LexicalIndex(self.db / "index"), self.cache)
        self.retriever.sync()
        self.worthiness = worthiness or default_worthiness()
        self.stance = stance or default_stance(self.embedder)
        self.verdict = verdict or RuleVerdict()
        self.evidence_k = evidence_k
        self.stories = StoryClusterer(self.store)

    def embedder(self, name: str) -> EmbeddingCache:
        """The vector cache of sentence encoder ``name``, kept in the store (one per encoder)."""
        if name not in self._caches:
            self._caches[name] = EmbeddingCache(make_encoder(name), load=partial(self.store.load_vectors, name),
                                                save=partial(self.store.save_vectors, name))
        return self._caches[name]

    # -- evidence base ---------------------------------------------------------------------------
    def add_documents(self, documents: Iterable[Document], batch_size: int = 1000,
                      on_batch: Callable[[int], None] | None = None, embed: bool = False) -> IngestSummary:
        """Store and index documents; each batch lands whole or not at all.

        With ``embed``, the new sentences' retrieval vectors are computed now instead of at first
        retrieval. (The stance model's vectors are computed for the few sentences that become
        evidence, when they first do, and kept in the store too.)
        """
        summary = IngestSummary()
        for batch in _batched(documents, batch_size):
            before = self.store.max_sentence_id()
            result: BatchResult = self.store.add_documents(
                [(doc, content_hash(doc.text), sentence_spans(doc.text)) for doc in batch])
            self.retriever.sync()
            self.stories.sync()
            if embed:
                for sentences in self.store.iter_sentences(after_id=before, batch_size=512):
                    self.cache.encode([s.text for s in sentences])
            summary.documents_added += result.added
            summary.documents_skipped += result.skipped
            summary.sentences_indexed += result.sentences
            if on_batch is not None:
                on_batch(len(batch))
        return summary

    def ingest(self, paths: Sequence[str | Path], source: str | None = None, progress: bool = False,
               batch_size: int = 1000, skip_invalid: bool = False, embed: bool = False) -> IngestSummary:
        """Ingest files and folders.

        Every record is validated before anything is written: a bad one fails the whole call, or,
        with ``skip_invalid``, is passed over and listed in ``IngestSummary.invalid``.
        """
        invalid: list[str] = []
        total = sum(1 for _ in read_documents(paths, source, (lambda e: invalid.append(str(e))) if skip_invalid
                                              else None))
        with tqdm(total=total, unit="doc", disable=not progress, desc="ingest") as bar:
            docs = read_documents(paths, source, (lambda e: None) if skip_invalid else None)
            summary = self.add_documents(docs, batch_size, on_batch=bar.update, embed=embed)
        summary.invalid = invalid
        return summary

    # -- claims ----------------------------------------------------------------------------------
    def claims(self, text: str) -> list[Claim]:
        return extract_claims(text, self.worthiness)

    # -- verification ----------------------------------------------------------------------------
    def retrieve(self, claim: str, k: int | None = None) -> list[Evidence]:
        return self.retriever.search(claim, k or self.evidence_k)

    def verify(self, claim: str | Claim, date: str | None = None) -> Verdict:
        """Retrieve evidence for one claim, set each one's stance, and decide.

        ``date`` (ISO-8601) is when the claim was made, for a text given as ``str`` (a ``Claim`` carries
        its own): figures that change with time are not contradicted by evidence of another week."""
        text = claim if isinstance(claim, str) else claim.text
        if not text.strip():
            raise TabayyunError("empty claim / الادعاء فارغ")
        if not has_arabic(text):
            raise TabayyunError("the claim has no Arabic text; tabayyun checks Arabic claims / الادعاء ليس بالعربية")
        if isinstance(claim, str):
            claim = Claim(text=text.strip(), checkworthiness=self.worthiness.score([text.strip()])[0], date=date)
        evidence = decisive_first(claim.text, self.retriever.candidates(claim.text), self.evidence_k)
        for item, probs in zip(evidence, self.stance.predict(claim.text, [e.sentence.text for e in evidence])):
            item.stance_probs = probs
            item.stance = max(probs, key=probs.__getitem__)
            if item.stance != "unrelated":
                signals = compare(claim.text, item.sentence.text)
                item.mismatches = signals.stated_mismatches()
                if item.stance == "disagree" and not item.mismatches and signals.swap is not None:
                    item.mismatches = [signals.swap_line()]  # a replaced word the stance model read as opposite
        label, confidence, reasons = self.verdict.decide(claim, evidence)
        story = self.stories.attach(claim.text, story_votes(evidence), claim.date)
        return Verdict(claim=claim, label=label, confidence=confidence, evidence=evidence, reasons=reasons,
                       story=story)

    def check(self, text: str, all_claims: bool = False, date: str | None = None) -> list[Verdict]:
        """Extract the claims of a text (posted on ``date``, if given) and verify each check-worthy one."""
        if not text.strip():
            raise TabayyunError("empty text / النص فارغ")
        if not has_arabic(text):
            raise TabayyunError("the text has no Arabic; tabayyun checks Arabic posts / النص ليس بالعربية")
        claims = [replace(c, date=date) for c in self.claims(text)]
        verdicts = [self.verify(c) for c in claims
                    if (all_claims or c.checkworthiness >= self.worthiness.threshold) and has_arabic(c.text)]
        post = self.stories.attach(text, [vote for v in verdicts for vote in story_votes(v.evidence)], date)
        return [replace(v, story=post or v.story) for v in verdicts]  # the claims of a post are in its story

    # -- stories ---------------------------------------------------------------------------------
    def organise(self, rebuild: bool = False) -> int:
        """Place every document not yet in a story (all of them again with ``rebuild``), then the claims of
        the saved checks; returns how many documents were placed."""
        placed = self.stories.rebuild() if rebuild else self.stories.sync()
        if rebuild:
            for check in self.store.iter_checks():
                self.attach_check(check["id"], check["claims"])
        return placed

    def attach_check(self, check_id: int, claims: list[dict]) -> None:
        """Place the claims of a saved check (``Verdict.to_dict`` shapes) in their stories."""
        rows = []
        for position, c in enumerate(claims):
            story = self.stories.attach(c["claim"], [(e["doc_id"], story_vote(e["stance"], e["score"]))
                                                     for e in c["evidence"]])
            if story is not None:
                rows.append((position, story[0], c["claim"], c["verdict"]))
        self.store.attach_claims(check_id, rows)

    def search(self, query: str, limit: int = 10) -> list[Evidence]:
        return self.retriever.search(query, limit)

    def close(self) -> None:
        self.store.close()
