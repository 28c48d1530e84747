"""What the pipeline read of texts, kept in the store beside the sentence vectors (pure functions of the texts,
each kept under a spec of everything it depends on; no verdict or state of the base is kept).

- the learned stance model's ``TextInputs`` of a text (the half of a pair's features that reads one text alone), and
  its probabilities per ``predict`` call (a claim and its evidence, in order): a claim checked again against the
  same evidence (a feed checked again) reads them instead of computing the pair features;
- a post's claims (spans and check-worthiness) and subjects: a post checked again is not split and scored again;
- a claim's query terms (``index.lexical.query_terms``: its entities' other names and its actions' opposites,
  analysed);
- what a checked text's story is found by (``StoryClusterer.attach``: its terms and entities);
- the ranks the fact checks give a claim's candidates (``verify.select.candidate_ranks``): a claim checked again
  against the same candidates is not compared with each of them again, and only its selected evidence's facts are read.

A model reads texts; where what it read is kept is the pipeline's business, so this module (not ``tabayyun.models``)
joins the models to the store and to the text code's version.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Callable, Generic, Iterable, Sequence, TypeVar

import numpy as np

from tabayyun.claims import RuleWorthiness
from tabayyun.index.lexical import QUERY_TERMS
from tabayyun.models.features import TextInputs
from tabayyun.models.stance import LearnedStance
from tabayyun.organise.stories import LeadFeatures, StoryClusterer
from tabayyun.organise.topics import TopicClassifier
from tabayyun.records import STANCES, Claim, Topic
from tabayyun.store.base import VectorStore, text_key
from tabayyun.verify.base import WorthinessModel
from tabayyun.memory import TextMemory
from tabayyun.verify.signals import facts_version

__all__ = ["Kept", "StoredStance", "StoredPosts", "StoredRanks", "stored_queries", "stored_leads", "INPUTS_NAME",
           "PREDICTIONS_NAME", "POSTS_NAME", "RANKS_NAME", "QUERIES_NAME", "LEADS_NAME"]

#: The names under which a store keeps the stance model's ``TextInputs`` of texts, its predictions of calls, posts'
#: claims and subjects, claims' query terms, the ranks of claims' candidates, and what checked texts' stories are
#: found by.
INPUTS_NAME = "stance-inputs"
PREDICTIONS_NAME = "stance-predictions"
POSTS_NAME = "post-claims"
QUERIES_NAME = "query-terms"
RANKS_NAME = "candidate-ranks"
LEADS_NAME = "story-leads"

T = TypeVar("T")


class Kept(Generic[T]):
    """What a model read, by string, in its ``memory`` and in ``store`` as vectors named ``name`` under ``spec``
    (those of another spec are dropped by a writable store, not read by a read-only one; a base from before has
    none). ``load`` before the model reads, ``flush`` after it: what it read of the loaded strings that the
    store lacked is kept (a read-only store keeps nothing)."""

    def __init__(self, store: VectorStore, name: str, spec: str | None, memory: TextMemory[T],
                 to_vector: Callable[[T], np.ndarray], from_vector: Callable[[np.ndarray], T]) -> None:
        self.store, self.name, self.memory = store, name, memory
        self.to_vector, self.from_vector = to_vector, from_vector
        self.usable = spec is not None and store.use_vector_spec(name, spec)
        self._lacking: dict[str, None] = {}  # loaded, not in the store

    def load(self, keys: Iterable[str]) -> None:
        """Put the stored values of ``keys`` in memory (one query for those not there)."""
        if not self.usable:
            return
        wanted = {text_key(k): k for k in dict.fromkeys(keys) if self.memory.get(k) is None}
        if not wanted:
            return
        stored = self.store.load_vectors(self.name, list(wanted))
        self.memory.remember({wanted[h]: self.from_vector(v) for h, v in stored.items()})
        self._lacking.update((k, None) for h, k in wanted.items() if h not in stored)

    def flush(self) -> None:
        read = self.memory.known(self._lacking)
        self._lacking.clear()
        if read:
            self.store.save_vectors(self.name, {text_key(k): self.to_vector(v) for k, v in read.items()})


def _words(values: np.ndarray) -> np.ndarray:
    """float64 values as float32 words (the same bits back: ``_values``)."""
    return np.ascontiguousarray(values, dtype=np.float64).view(np.float32).ravel()


def _values(vector: np.ndarray) -> np.ndarray:
    return np.frombuffer(vector.tobytes(), dtype=np.float64)


def _probabilities(vector: np.ndarray) -> np.ndarray:
    """(n, 4) float64 probabilities back from their float32 words (``_words``)."""
    return _values(vector).reshape(-1, len(STANCES))


class StoredStance:
    """The ``TextInputs`` of the texts ``model`` reads and its ``predict`` results, kept in ``store``: the inputs
    under ``model.inputs_spec(facts_version())``, the results under ``model.predictions_spec`` (with the spec of
    the encoder whose vectors it reads; none are kept for an encoder without one)."""

    def __init__(self, model: LearnedStance, store: VectorStore) -> None:
        self.model = model
        self.inputs = Kept(store, INPUTS_NAME, model.inputs_spec(facts_version()), model.inputs,
                            TextInputs.to_vector, TextInputs.from_vector)
        spec = getattr(getattr(model.encoder, "encoder", model.encoder), "spec", None)  # behind a vector cache
        encoder_spec = spec() if callable(spec) else None
        self.predictions = Kept(store, PREDICTIONS_NAME, encoder_spec and model.predictions_spec(
            facts_version(), encoder_spec), model.predictions, _words, _probabilities)

    def load(self, calls: Iterable[tuple[str, Sequence[str]]]) -> None:
        """Put what the store kept for the ``predict`` calls ``calls`` (claim, texts) in the model's memory: their
        results (one query), and the inputs of the texts of those whose result it lacks (one query)."""
        keyed = {self.model.call_key(claim, texts): (claim, texts) for claim, texts in calls}
        self.predictions.load(keyed)
        self.inputs.load(text for key, (claim, texts) in keyed.items() if self.model.predictions.get(key) is None
                         for text in (claim, *texts))

    def flush(self) -> None:
        """Keep what the model read or gave of the loaded calls that the store lacked."""
        self.inputs.flush()
        self.predictions.flush()


PostReads = tuple[list[Claim], list[Topic]]


def _span(claim: Claim) -> tuple[int, int]:
    assert claim.span is not None, "split_claims gives every claim its span"
    return claim.span


_PACKAGE = Path(__file__).resolve().parent


def posts_spec(topics: TopicClassifier) -> str:
    """What a post's claims and subjects depend on, as a short digest: the text code (``facts_version``), the
    claims' splitting and rule check-worthiness, ``pipeline.extract_claims``, the topic model's code, data and
    weights."""
    digest = hashlib.sha1(facts_version().encode())
    code = [*sorted((_PACKAGE / "claims").glob("*.py")), *sorted((_PACKAGE / "organise" / "data").iterdir()),
            _PACKAGE / "organise" / "topics.py", _PACKAGE / "models" / "features.py", _PACKAGE / "models" / "linear.py",
            _PACKAGE / "pipeline.py"]
    for path in code:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    topics.digest(digest)
    return digest.hexdigest()[:16]


class StoredPosts:
    """A post's claims (``extract_claims`` with the rule check-worthiness) and subjects (``topics.predict``), by
    its text, in memory and in ``store`` (vectors named ``POSTS_NAME`` under ``posts_spec``). ``load`` the posts of
    a chunk before ``read``, ``flush`` after."""

    def __init__(self, store: VectorStore, topics: TopicClassifier, remember: int = 256) -> None:
        # ``remember`` posts in memory, by their text (up to ``MAX_TEXT_CHARS`` each): a chunk of ``batch`` and
        # the last few posts checked in a server
        self.topics = topics
        self.kept: Kept[PostReads] = Kept(store, POSTS_NAME, posts_spec(topics), TextMemory(remember), self._vector,
                                          self._reads)

    @classmethod
    def of(cls, store: VectorStore, worthiness: WorthinessModel, topics: object) -> "StoredPosts | None":
        """Posts kept for the rule check-worthiness and a topic model that reads no vectors; None for others."""
        if isinstance(worthiness, RuleWorthiness) and isinstance(topics, TopicClassifier) and not topics.uses_vectors:
            return cls(store, topics)
        return None

    def load(self, texts: Iterable[str]) -> None:
        self.kept.load(texts)

    def read(self, text: str, extract: Callable[[str], PostReads]) -> PostReads:
        """The claims and subjects of ``text`` (new lists and claims: the caller may change them), read by
        ``extract`` if not kept (a claim's text is the post's text at its span, as ``split_claims`` cuts it)."""
        claims, topics = self.kept.memory.read(text, extract) if self.kept.usable else extract(text)
        out = []
        for c in claims:
            a, b = _span(c)
            out.append(Claim(text[a:b], (a, b), c.checkworthiness))
        return out, list(topics)

    def flush(self) -> None:
        self.kept.flush()

    def _vector(self, reads: PostReads) -> np.ndarray:
        """[n, then start, end, check-worthiness of each claim, then subject number and score of each topic]."""
        claims, topics = reads
        return _words(np.array([len(claims), *(x for c in claims for x in (*_span(c), c.checkworthiness)),
                                *(x for t in topics for x in (self.topics.subject_index(t.id), t.score))],
                               dtype=np.float64))

    def _reads(self, vector: np.ndarray) -> PostReads:
        values = _values(vector)
        n = int(values[0])
        spans = values[1:1 + 3 * n].reshape(-1, 3)
        topics = values[1 + 3 * n:].reshape(-1, 2)
        return ([Claim(text="", span=(int(a), int(b)), checkworthiness=float(w)) for a, b, w in spans],
                [self.topics.topic(int(i), float(p)) for i, p in topics])


def _code_spec(*paths: str, extra: str = "") -> str:
    """The text code's version (``facts_version``), the code of ``paths`` (in the package) and ``extra``, as a short
    digest."""
    digest = hashlib.sha1(f"{facts_version()}:{extra}".encode())
    for path in paths:
        digest.update(path.encode() + b"\0" + (_PACKAGE / path).read_bytes())
    return digest.hexdigest()[:16]


def queries_spec() -> str:
    """What a claim's query terms depend on: the text code and ``index/lexical.py``."""
    return _code_spec("index/lexical.py")


def ranks_spec() -> str:
    """What the ranks of a claim's candidates depend on: the text code and the fact checks (``facts_version``), the
    ranking (``verify/select.py``) and the claim's query terms (``index/lexical.py``)."""
    return _code_spec("verify/select.py", "index/lexical.py")


def _text_words(text: str) -> np.ndarray:
    """A text (no NUL in it) as float32 words: its UTF-8, padded with zero bytes (``_text`` reads it back)."""
    data = text.encode()
    return np.frombuffer(data + b"\0" * (-len(data) % 4), dtype=np.float32)


def _text(vector: np.ndarray) -> str:
    return vector.tobytes().rstrip(b"\0").decode()


def _terms_vector(terms: tuple[str, ...]) -> np.ndarray:
    """Terms (none holds a line break) as their lines."""
    return _text_words("\n".join(terms))


def _terms(vector: np.ndarray) -> tuple[str, ...]:
    text = _text(vector)
    return tuple(text.split("\n")) if text else ()


def _lead_vector(lead: LeadFeatures) -> np.ndarray:
    """The terms with their counts and surface words, in order, and the entities, as JSON."""
    return _text_words(json.dumps([[[t, n, lead.surface[t]] for t, n in lead.counts.items()], sorted(lead.entities)],
                                  ensure_ascii=False))


def _lead(vector: np.ndarray) -> LeadFeatures:
    terms, entities = json.loads(_text(vector))
    return LeadFeatures({t: n for t, n, _ in terms}, {t: w for t, _, w in terms}, frozenset(entities))


def stored_leads(stories: StoryClusterer, store: VectorStore) -> Kept[LeadFeatures]:
    """What ``stories.attach`` read of checked texts (``stories.texts``), kept in ``store`` under a digest of the text
    code, ``organise/stories.py`` and the clusterer's configuration: ``load`` before attaching, ``flush`` after."""
    return Kept(store, LEADS_NAME, _code_spec("organise/stories.py", extra=repr(stories.config)), stories.texts,
                _lead_vector, _lead)


def stored_queries(store: VectorStore) -> Kept[tuple[str, ...]]:
    """Claims' query terms (``QUERY_TERMS``), kept in ``store`` under ``queries_spec``: ``load`` the claims before
    they are searched, ``flush`` after."""
    return Kept(store, QUERIES_NAME, queries_spec(), QUERY_TERMS, _terms_vector, _terms)


def _ranks_vector(ranks: tuple[int, ...]) -> np.ndarray:
    return np.array(ranks, dtype=np.float32)


def _ranks(vector: np.ndarray) -> tuple[int, ...]:
    return tuple(int(r) for r in vector)


class StoredRanks:
    """The ``candidate_ranks`` of claims' candidates, by the claim and the candidates' texts (in order), in memory
    and in ``store`` (vectors named ``RANKS_NAME`` under ``ranks_spec``). ``load`` the calls before ``read``,
    ``flush`` after."""

    def __init__(self, store: VectorStore, remember: int = 256) -> None:
        self.kept: Kept[tuple[int, ...]] = Kept(store, RANKS_NAME, ranks_spec(), TextMemory(remember), _ranks_vector,
                                                _ranks)

    @staticmethod
    def key(claim: str, texts: Sequence[str]) -> str:
        return json.dumps([claim, *texts], ensure_ascii=False)

    def load(self, calls: Iterable[tuple[str, Sequence[str]]]) -> None:
        self.kept.load(self.key(claim, texts) for claim, texts in calls)

    def read(self, claim: str, texts: Sequence[str], rank: Callable[[], Sequence[int]]) -> tuple[int, ...]:
        """The kept ranks of the candidates ``texts`` of ``claim``, computed by ``rank`` if not kept."""
        return self.kept.memory.read(self.key(claim, texts), lambda _: tuple(rank()))

    def flush(self) -> None:
        self.kept.flush()
