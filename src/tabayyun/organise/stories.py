"""Stories: online clustering of documents into the real-world events they report.

Each document, in the order it was stored, either joins the story of the same event or starts a new one:

1. ``features``: TF-IDF weights of the terms of its headline and lead (document frequencies kept in
   the store, counted as documents arrive), its named entities and its date;
2. ``candidates``: the stories holding its rarest terms among their own top terms, from an inverted
   index over story terms (at most ``postings`` stories per term, the most recently updated): the cost
   of a document does not grow with the base;
3. ``score``: cosine with the story's centroid plus a bonus for shared entities, less a penalty per day
   beyond ``gap_free`` from the story's nearest date, within a time window around the story's dates (a
   document without a date is judged on its content alone); a document with a headline is scored only
   against stories whose headlines share some of its terms; a document and a story that both name
   entities must share one (in their headlines when both headlines name some, else in their leads);
4. ``assign``: the best story above ``join`` takes it (a short text, a post: few terms, or no headline and
   few characters, has fewer words to share: it joins above ``join_short``); other candidates that it also
   joins strongly and whose centroids are close enough are merged into that story (the smaller folded into
   the larger; the merged id stays an alias), and so is a story of one document that it joins when that
   document would join the story now (it arrived before its event's story existed or could take it: the
   stories depend less on the order documents arrive in), or a story of one post that it scores a little
   under its threshold when that post would now join the story by a margin (the story grew close to it); a
   post also merges any candidate whose centroid the story it joined has grown within ``merge`` of, when the two
   stories pass the gates a document passes (dates, headlines, entities): fragments of one event that started
   apart come together as it grows;
5. ``split``: a story that grew is checked for two separated groups of documents (a document, or a few,
   far from the rest: another event with the same people or words); the larger group keeps the id (so it
   stays resolvable), the other becomes a story of its own. A story keeps its members' vectors only while
   it has at most ``split_max`` documents, so the check costs a bounded amount per document.

A short text (a post) has few words to share, so two rules help it find its event: a term frequent among the
last ``burst_docs`` documents organised but rarer in the base (a burst: the words of an event being reported
now, «اقتحام» while a channel's attack is news) weighs more in it; and two names that share a word count as
one entity for the shared-entity check (a tweet's names are often cut short or run on).

``StoryClusterer.sync`` catches the stories up with the store (resumable: a watermark records the last
document organised; each batch lands in one transaction). The same documents in the same order give
the same stories.
"""
from __future__ import annotations

import hashlib
import heapq
import math
from collections import Counter, OrderedDict, deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import AbstractSet, Any, Iterable, Iterator, Mapping, Protocol, Sequence

from tabayyun.memory import TextMemory
from tabayyun.records import Document
from tabayyun.store.base import StoryBatch, Store
from tabayyun.text import Token, extract_entities, has_social, index_term, tokenize

__all__ = ["StoryConfig", "StoryClusterer", "DocFeatures", "StoryState", "Member", "story_id_for", "LeadFeatures",
           "lead_features", "StoryReads", "Gated"]


@dataclass(frozen=True)
class StoryConfig:
    """Thresholds and sizes; ``join``/``merge``/``entity_weight`` were tuned on unifiedfc folds 1-3 (EVALUATION.md)."""

    lead_chars: int = 900  # the headline and the start of the text carry the event
    title_weight: float = 2.0
    prior_docs: int = 100  # IDF as if the base held this many more documents without the term: a small base
    # weighs its words almost evenly instead of by chance counts
    doc_terms: int = 40  # top terms kept per document vector
    story_terms: int = 80  # top terms kept per story centroid
    index_terms: int = 25  # a story is findable by its top terms ...
    query_terms: int = 12  # ... from a document's top terms
    postings: int = 40  # most recently updated stories read per term
    rescored: int = 30  # candidates scored in full
    join: float = 0.30
    merge: float = 0.45  # centroid cosine for two stories the same document joins
    entity_weight: float = 0.10
    window_days: int = 2
    max_span_days: int = 4  # a story is one event: a document that would stretch it further starts another
    short_terms: int = 25  # a document with fewer terms than this, or one without a headline of at most
    short_chars: int = 400  # this many characters (a post, a tweet), is short ...
    join_short: float = 0.20  # ... and joins a story above this, or above this / ``member_link`` with one of
    member_link: float = 0.9  # its members (while the story keeps them)
    head_min: float = 0.10  # a document with a headline joins a story only if it shares headline terms with it,
    shared_entity: bool = True  # and, when both name people, places or bodies (in headlines: when both
    # headlines name some; else in the leads), one of them
    gap_free: int = 1  # a document more than this many days from the story's nearest date ...
    gap_weight: float = 0.10  # ... scores this much less per further day
    split: float = 0.10  # two groups of a story whose centroids are less similar than this are two stories
    split_max: int = 48  # a story is checked for a split while it has at most this many documents
    member_terms: int = 20  # top terms kept per member for that check
    attach: float = 0.10  # a checked claim (short) is placed in the nearest story above this ...
    about_weight: float = 0.5  # ... counting the share of its evidence about it that the story holds ...
    rank_weight: float = 0.4  # ... and the share of its evidence ranks (1/(1+rank)) the story holds
    burst_docs: int = 10  # a short text's terms that are frequent among the last this many documents organised ...
    burst_weight: float = 1.5  # ... and rarer in the base weigh up to (1 + this) as much: the words of an event
    burst_min: int = 3  # being reported now (full weight from this many of those documents)
    regather: int = 1  # a story of at most this many documents that the document also joins is merged into its
    # story when each of them would join that story now (it came before the story could take it) ...
    regather_floor: float = 0.10  # ... and so is one of posts only that the document scores at least this (below
    regather_margin: float = 0.05  # its join threshold) when each would join the story by this much more than
    # its own threshold (a post that came while its event's story was still too far: the story grew since)
    merge_near: bool = True  # a post: a candidate it scores under its threshold is merged too when the story the
    # post joined (or started) has grown within ``merge`` of it and the two pass the gates (dates, headlines, entities)
    loose_names: bool = True  # a short text or a checked claim shares an entity with a story when two of their
    # names share a word («سلمان العوده» and «سلمان العوده فك»: names are cut where they end in a tweet)


def story_id_for(doc_id: str) -> str:
    """A story's id, from the document that started it: stable across rebuilds of the same base."""
    return "s-" + hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[:12]


class Gated(Protocol):
    """What the gates of ``StoryClusterer.gates`` read of a document or a story: its first and last day (ordinal),
    the terms of its headlines, the entities it names and those its headlines name."""

    @property
    def first_day(self) -> int | None: ...

    @property
    def last_day(self) -> int | None: ...

    @property
    def heads(self) -> Mapping[str, float]: ...

    @property
    def names(self) -> AbstractSet[str]: ...

    @property
    def head_names(self) -> AbstractSet[str]: ...


@dataclass
class DocFeatures:
    """A document as the clusterer sees it: normalised term weights, entities, day (ordinal) if dated."""

    terms: dict[str, float]
    entities: frozenset[str]
    day: int | None
    surface: dict[str, str] = field(default_factory=dict)  # term -> a word it came from
    head: dict[str, float] = field(default_factory=dict)  # the terms of its headline alone (none without one)
    head_entities: frozenset[str] = frozenset()  # the entities its headline names
    short: bool = False  # a post or a tweet: few terms, or no headline and a short text

    @property
    def first_day(self) -> int | None:
        return self.day

    @property
    def last_day(self) -> int | None:
        return self.day

    @property
    def heads(self) -> Mapping[str, float]:
        return self.head

    @property
    def names(self) -> AbstractSet[str]:
        return self.entities

    @property
    def head_names(self) -> AbstractSet[str]:
        return self.head_entities


@dataclass
class Member:
    """What a story keeps of one of its documents while it may still split."""

    id: str
    terms: dict[str, float]
    entities: list[str]
    source: str
    day: int | None
    title: str
    score: float
    head: dict[str, float]
    head_entities: list[str] = field(default_factory=list)
    short: bool = False

    def to_json(self) -> list[Any]:
        return [self.id, self.terms, self.entities, self.source, self.day, self.title, self.score, self.head,
                self.head_entities, self.short]

    def features(self) -> DocFeatures:
        """The document as the clusterer saw it (its top terms only), to place it again."""
        return DocFeatures(self.terms, frozenset(self.entities), self.day, head=self.head,
                           head_entities=frozenset(self.head_entities), short=self.short)


@dataclass
class StoryState:
    """What the clusterer keeps of a story: the sum of its documents' vectors, entity and source counts, and
    its members while it is small enough to split (``None`` after)."""

    id: str
    seq: int  # order of last update: postings are read most recent first
    centroid: dict[str, float]
    entities: Counter[str]
    sources: Counter[str]
    surface: dict[str, str]
    first_day: int | None = None
    last_day: int | None = None
    size: int = 0
    title: str = ""
    title_score: float = -1.0
    members: list[Member] | None = field(default_factory=list)
    heads: dict[str, float] = field(default_factory=dict)  # the sum of its documents' headline terms
    head_entities: Counter[str] = field(default_factory=Counter)  # the entities its headlines name

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "centroid": self.centroid, "entities": dict(self.entities),
                "sources": dict(self.sources), "surface": self.surface, "first_day": self.first_day,
                "last_day": self.last_day, "size": self.size, "title": self.title, "title_score": self.title_score,
                "members": None if self.members is None else [m.to_json() for m in self.members], "heads": self.heads,
                "head_entities": dict(self.head_entities)}

    @classmethod
    def from_json(cls, story_id: str, d: dict[str, Any]) -> StoryState:
        members = d.get("members")  # a story saved before splits existed is not split
        return cls(id=story_id, seq=d["seq"], centroid=d["centroid"], entities=Counter(d["entities"]),
                   sources=Counter(d["sources"]), surface=d["surface"], first_day=d["first_day"],
                   last_day=d["last_day"], size=d["size"], title=d["title"], title_score=d["title_score"],
                   members=None if members is None else [Member(*m) for m in members], heads=d.get("heads", {}),
                   head_entities=Counter(d.get("head_entities", {})))

    def row(self) -> dict[str, Any]:
        """What the store keeps of the story: the fields of ``records.Story`` and the state to go on from."""
        return {"title": self.title, "keywords": self.keywords(), "entities": self.main_entities(),
                "first_date": _iso(self.first_day), "last_date": _iso(self.last_day),
                "sources": dict(sorted(self.sources.items(), key=lambda kv: (-kv[1], kv[0]))), "size": self.size,
                "state": self.to_json()}

    def keywords(self, n: int = 8) -> list[str]:
        top = sorted(self.centroid.items(), key=lambda kv: (-kv[1], kv[0]))
        return [self.surface.get(t, t) for t, _ in top if not t.isdigit()][:n]

    def main_entities(self, n: int = 6) -> list[str]:
        return [e for e, _ in sorted(self.entities.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]

    @property
    def names(self) -> AbstractSet[str]:
        return self.entities.keys()

    @property
    def head_names(self) -> AbstractSet[str]:
        return self.head_entities.keys()


def _day(iso: str | None) -> int | None:
    if not iso:
        return None
    try:
        return date.fromisoformat(iso[:10]).toordinal()
    except ValueError:
        return None


def _iso(day: int | None) -> str | None:
    return None if day is None else date.fromordinal(day).isoformat()


def _norm(vec: Mapping[str, float]) -> float:
    return math.sqrt(sum([w * w for w in vec.values()])) or 1.0


def _dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """The dot product of two (about) unit vectors: a cosine without the norms, for many comparisons."""
    if len(a) > len(b):
        a, b = b, a
    return sum([w * b.get(t, 0.0) for t, w in a.items()])


def _cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    return _dot(a, b) / (_norm(a) * _norm(b))


def _sum(vecs: Iterable[Mapping[str, float]]) -> dict[str, float]:
    out: dict[str, float] = {}
    for vec in vecs:
        for t, w in vec.items():
            out[t] = out.get(t, 0.0) + w
    return out


def _minus(a: Mapping[str, float], b: Mapping[str, float]) -> dict[str, float]:
    return {t: w - b.get(t, 0.0) for t, w in a.items() if w - b.get(t, 0.0) > 1e-9}


def _top(vec: dict[str, float], n: int) -> dict[str, float]:
    if len(vec) <= n:
        return vec
    return dict(sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:n])


def lead_terms(title: str, text: str, lead_chars: int, title_weight: float,
               tokens: Sequence[Token] | None = None) -> tuple[dict[str, float], dict[str, str]]:
    """Term counts of a headline (weighted) and lead, and a surface word for each term; ``tokens``: those of
    the headline, a line break and the lead (as ``lead_features`` reads them) when the caller has them."""
    counts: dict[str, float] = {}
    surface: dict[str, str] = {}
    if tokens is None:
        tokens = tokenize(f"{title}\n{text[:lead_chars]}", cache=False)
    for tok in tokens:  # a one-letter word or one-digit number, a stopword: no term
        if len(tok.norm) < 2 or (term := index_term(tok.norm)) is None:
            continue
        counts[term] = counts.get(term, 0.0) + (title_weight if tok.end <= len(title) else 1.0)
        surface.setdefault(term, tok.text)
    return counts, surface


@dataclass(frozen=True)
class LeadFeatures:
    """What the clusterer reads of a document before document frequencies come in (order-free: ingest
    computes it ahead, on any worker): the term counts of its headline and lead, a surface word per term,
    the entities of the lead and those of its headline."""

    counts: dict[str, float]
    surface: dict[str, str]
    entities: frozenset[str]
    head_entities: frozenset[str] = frozenset()
    head: dict[str, float] | None = None  # the term counts of the headline alone (``StoryClusterer.head``), if read


def lead_features(title: str, text: str, config: StoryConfig) -> LeadFeatures:
    lead = f"{title}\n{text[:config.lead_chars]}"
    tokens = tokenize(lead, cache=False)  # one tokenisation for the terms, the entities and the headline's terms
    counts, surface = lead_terms(title, text, config.lead_chars, config.title_weight, tokens)
    mentions = extract_entities(lead, tokens=tokens)
    # The headline's tokens are those of the lead that end in it, unless masking may change the lead (a mask may
    # reach across the line break: "RT" ending the headline, "@name" opening the text): then they are read again.
    head_tokens = None if has_social(lead) else [t for t in tokens if t.end <= len(title)]
    return LeadFeatures(counts, surface, frozenset(e.canonical for e in mentions),
                        frozenset(e.canonical for e in mentions if e.end <= len(title)),
                        lead_terms(title, "", 0, 1.0, head_tokens)[0])


class StoryReads:
    """What ``StoryClusterer.attach`` reads of the stories in a store, each asked for once: the story of each
    document, each story's state (parsed), each term's document frequency and the number of documents."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._of: dict[str, str | None] = {}  # document -> its story, None for none
        self._states: dict[str, StoryState | None] = {}  # story -> its state, None when the store has none
        self._df: dict[str, int] = {}  # term -> document frequency (0: not in the store)
        self._n_docs: int | None = None

    def stories_of(self, doc_ids: Sequence[str]) -> dict[str, str]:
        """Document -> its story, for those of ``doc_ids`` in one."""
        new = [d for d in dict.fromkeys(doc_ids) if d not in self._of]
        if new:
            found = self.store.story_of_documents(new)
            self._of.update((d, found.get(d)) for d in new)
        return {d: sid for d in doc_ids if (sid := self._of[d]) is not None}

    def states(self, story_ids: Iterable[str]) -> dict[str, StoryState]:
        """Story -> its state, for those of ``story_ids`` the store holds, by id."""
        wanted = sorted(set(story_ids))
        new = [sid for sid in wanted if sid not in self._states]
        if new:
            found = self.store.story_states(new)
            self._states.update((sid, None if sid not in found else StoryState.from_json(sid, found[sid]))
                                for sid in new)
        return {sid: state for sid in wanted if (state := self._states[sid]) is not None}

    def terms(self, terms: Sequence[str]) -> tuple[dict[str, int], int]:
        """(term -> document frequency, 0 for a term in no document; the number of documents)."""
        new = [t for t in dict.fromkeys(terms) if t not in self._df]
        if new or self._n_docs is None:
            found, self._n_docs = self.store.story_terms(new)
            self._df.update((t, found.get(t, 0)) for t in new)
        return {t: self._df[t] for t in terms}, self._n_docs


class StoryClusterer:
    """Online story clustering over a store (see the module docstring); one method per stage."""

    def __init__(self, store: Store | None = None, config: StoryConfig | None = None) -> None:
        self.store = store
        self.config = config or StoryConfig()
        self._loaded = False
        self._watermark = 0  # the last document organised, as far as this object knows
        self._shared: StoryReads | None = None  # the store's stories read for ``attach`` (``shared_reads``)
        # what ``attach`` read of the last texts checked (claims and posts, up to ``MAX_TEXT_CHARS`` each: a chunk of
        # ``batch`` and the last few checked in a server)
        self.texts: TextMemory[LeadFeatures] = TextMemory(256)
        self._reset()

    def _reset(self) -> None:
        self.df: Counter[str] = Counter()
        self.n_docs = 0
        self.seq = 0
        self.stories: dict[str, StoryState] = {}
        self.aliases: dict[str, str] = {}
        self.merged_into: dict[str, set[str]] = {}  # story -> the ids that lead to it
        self.postings: dict[str, OrderedDict[str, None]] = {}
        self.indexed: dict[str, frozenset[str]] = {}  # story -> the terms it is posted under
        self._dirty_terms: set[str] = set()  # changed since the last batch was saved
        self._new_aliases: dict[str, str] = {}
        self.moved: dict[str, str] = {}  # document -> the story a split moved it to, since the last batch
        self._moved: dict[str, tuple[str, str, float]] = {}  # the same: (story it was in, story now, its score)
        self.splits = 0
        self.recent: deque[frozenset[str]] = deque()  # the terms of the last ``burst_docs`` documents organised
        self.recent_df: dict[str, int] = {}  # in how many of them each term is

    # -- stage 1: features -----------------------------------------------------------------------
    def features(self, doc: Document, count: bool = False, lead: LeadFeatures | None = None) -> DocFeatures:
        """The document's features (``lead``: its ``lead_features``, when computed ahead); with ``count`` (a
        document being organised), its terms are counted into the document frequencies first, a short
        document's burst terms weigh more, and its terms then enter the window of the last documents."""
        lead = lead or lead_features(doc.title, doc.text, self.config)
        if not count:
            return self._features(doc, lead, self.df, self.n_docs)
        self.n_docs += 1
        self.df.update(lead.counts.keys())
        self._dirty_terms.update(lead.counts.keys())
        f = self._features(doc, lead, self.df, self.n_docs, burst=True)
        self._remember(frozenset(lead.counts))
        return f

    def _remember(self, terms: frozenset[str]) -> None:
        """Count a document's terms into the window of the last ``burst_docs`` documents."""
        if not self.config.burst_docs:
            return
        counts = self.recent_df
        self.recent.append(terms)
        for t in terms:
            counts[t] = counts.get(t, 0) + 1
        if len(self.recent) > self.config.burst_docs:
            for t in self.recent.popleft():
                if counts[t] > 1:
                    counts[t] -= 1
                else:
                    del counts[t]

    def _features(self, doc: Document, lead: LeadFeatures, df: Mapping[str, int], n_docs: int,
                  burst: bool = False) -> DocFeatures:
        """``burst``: a short document's terms weighed by how frequent they are among the last documents."""
        c = self.config
        idf = {t: math.log((n_docs + c.prior_docs) / (df.get(t, 0) + 0.5)) for t in lead.counts}
        vec = {t: (1.0 + math.log(tf)) * idf[t] for t, tf in lead.counts.items() if idf[t] > 0}
        short = len(vec) < c.short_terms or (not doc.title.strip() and len(doc.text.strip()) <= c.short_chars)
        if burst and short and self.recent:
            vec = {t: w * self.burst(t, df.get(t, 0) / max(n_docs, 1)) for t, w in vec.items()}
        vec = _top(vec, c.doc_terms)
        norm = _norm(vec)
        return DocFeatures({t: w / norm for t, w in vec.items()}, lead.entities, _day(doc.date),
                           {t: lead.surface[t] for t in vec}, self.head(doc.title, df, n_docs, lead.head),
                           lead.head_entities, short)

    def burst(self, term: str, base: float) -> float:
        """How much more a term weighs for being frequent among the last documents (share ``r`` of them) but
        rarer in the base (share ``base``): 1 + ``burst_weight`` x (1 - base / r), in full from ``burst_min``
        of them, in proportion below; 1 for a term no more frequent lately than in the base."""
        c = self.config
        n = self.recent_df.get(term, 0)
        r = n / len(self.recent)
        if r <= base:
            return 1.0
        return 1.0 + c.burst_weight * (1.0 - base / r) * min(1.0, n / c.burst_min)

    def head(self, title: str, df: Mapping[str, int], n_docs: int,
             counts: Mapping[str, float] | None = None) -> dict[str, float]:
        """A headline's terms weighted by IDF (not normalised: a story sums them); ``counts``: its term counts
        (``LeadFeatures.head``) when read ahead."""
        if counts is None:
            counts, _ = lead_terms(title, "", 0, 1.0)
        idf = {t: math.log((n_docs + self.config.prior_docs) / (df.get(t, 0) + 0.5)) for t in counts}
        vec = {t: w for t, w in idf.items() if w > 0}
        norm = _norm(vec)
        return {t: round(w / norm, 4) for t, w in vec.items()}

    # -- stage 2: candidates ---------------------------------------------------------------------
    def candidates(self, f: DocFeatures) -> list[str]:
        """Stories sharing the document's top terms, best overlap first; bounded by the config."""
        c = self.config
        overlap: dict[str, float] = {}
        for term, w in sorted(f.terms.items(), key=lambda kv: (-kv[1], kv[0]))[:c.query_terms]:
            posting = self.postings.get(term)
            if not posting:
                continue
            for n, sid in enumerate(reversed(posting)):
                if n >= c.postings:
                    break
                overlap[sid] = overlap.get(sid, 0.0) + w
        stories = self.stories  # (no two stories have the same ``seq``)
        return [sid for _, _, sid in heapq.nsmallest(c.rescored, [(-w, stories[sid].seq, sid)
                                                                   for sid, w in overlap.items()])]

    # -- stage 3: score --------------------------------------------------------------------------
    def gates(self, a: Gated, story: Gated, *, window: int | None, loose: bool, headlines: bool) -> bool:
        """Whether ``a`` (a document, or a story to merge) may be one event with ``story``, whatever their
        similarity: dated together (``dated_together``), their headlines sharing terms (``head_min``, when both
        have some), and their entities not disjoint (``disjoint``)."""
        c = self.config
        return (self.dated_together(a, story, window)
                and not (a.heads and story.heads and _cosine(a.heads, story.heads) < c.head_min)
                and not (c.shared_entity and self.disjoint(a, story, loose, headlines)))

    def dated_together(self, a: Gated, story: Gated, window: int | None) -> bool:
        """Whether all the days of ``a`` and ``story`` lie within ``max_span_days``. ``window`` (a document
        joining a story): also ``a`` within that many days of the story's, and undated on either side passes."""
        if window is not None:
            if a.first_day is None or a.last_day is None or story.first_day is None or story.last_day is None:
                return True
            if not story.first_day - window <= a.first_day <= a.last_day <= story.last_day + window:
                return False
        days = [d for d in (a.first_day, a.last_day, story.first_day, story.last_day) if d is not None]
        return not days or max(days) - min(days) <= self.config.max_span_days

    def gap(self, f: DocFeatures, story: StoryState) -> int:
        """Days between the document's date and the story's nearest date (0 within its days or undated)."""
        if f.day is None or story.first_day is None or story.last_day is None:
            return 0
        return max(story.first_day - f.day, f.day - story.last_day, 0)

    def disjoint(self, a: Gated, story: Gated, loose: bool = False, headlines: bool = True) -> bool:
        """Whether ``a`` (a document or a story) and the story name people, places or bodies and none in common:
        with ``headlines``, in their headlines when both headlines name some; else in their leads. ``loose``: two
        names that share a word (of three letters or more) are in common."""
        if headlines and a.head_names and story.head_names:
            mine, theirs = a.head_names, story.head_names
        elif a.names and story.names:
            mine, theirs = a.names, story.names
        else:
            return False
        if not mine.isdisjoint(theirs):
            return False
        if not loose:
            return True
        words = {w for name in mine for w in name.split() if len(w) > 2}
        return not any(w in words for name in theirs for w in name.split())

    def score(self, f: DocFeatures, story: StoryState) -> float:
        """Cosine with the story's centroid, plus the share of the document's entities the story holds, less
        ``gap_weight`` per day beyond ``gap_free`` between the document and the story's nearest date."""
        c = self.config
        if not self.gates(f, story, window=c.window_days, loose=c.loose_names and f.short, headlines=True):
            return 0.0
        sim = _cosine(f.terms, story.centroid)
        if f.short and story.members and story.size > 1:  # a short text: its nearest member too
            sim = max(sim, c.member_link * max(_dot(f.terms, m.terms) for m in story.members))
        if f.entities:
            sim += self.config.entity_weight * len(f.entities & story.entities.keys()) / len(f.entities)
        return sim - c.gap_weight * max(0, self.gap(f, story) - c.gap_free)

    # -- stage 4: assign -------------------------------------------------------------------------
    def assign(self, doc: Document, lead: LeadFeatures | None = None) -> tuple[str, float, list[str]]:
        """Place one document: (its story id, its score, ids of stories merged into that story). A split that
        follows moves documents: ``moved`` maps each to its new story."""
        self._ensure_loaded()
        c = self.config
        f = self.features(doc, count=True, lead=lead)
        join = c.join_short if f.short else c.join
        scored = sorted(((self.score(f, self.stories[sid]), sid) for sid in self.candidates(f)),
                        key=lambda x: (-x[0], self.stories[x[1]].seq))
        merged: list[str] = []
        if scored and scored[0][0] >= join:
            score, sid = scored[0]
            story = self.stories[sid]
        else:
            score, sid = 1.0, self._free_id(doc.id)
            story = self.stories[sid] = StoryState(sid, 0, {}, Counter(), Counter(), {})
        self._add(story, doc, f, score)
        near = c.merge_near and f.short  # a post: also the candidates it scores under its threshold, by centroid
        for other_score, other in scored[1:]:
            gather = other_score >= min(join, c.regather_floor)
            if not (gather or near):
                break
            below = other_score < join  # scored under the threshold: merged by centroid only next to a post
            if other in self.stories and (
                    ((not below or near) and self._close(self.stories[other], story, below))
                    or (gather and self._regathered(self.stories[other], story, below))):
                kept = self._merge(story, self.stories[other])
                merged.append(story.id if kept is not story else other)  # the larger of the two is kept
                story = kept
        self._split(story)
        self._moved.pop(doc.id, None)  # its own placement names the story it ends in
        return self.moved.get(doc.id, story.id), score, merged

    def _free_id(self, doc_id: str) -> str:
        """The id of a story ``doc_id`` starts: from the document's id, or, when a story or alias already holds that
        (the document was corrected and placed again), from the id and a counter."""
        sid, n = story_id_for(doc_id), 0
        while sid in self.stories or sid in self.aliases:
            n += 1
            sid = story_id_for(f"{doc_id}#{n}")
        return sid

    def _close(self, other: StoryState, story: StoryState, below: bool = False) -> bool:
        """Whether ``other``'s centroid is within ``merge`` of ``story``'s. ``below``: the document that grew
        ``story`` scored ``other`` under its threshold (it did not join it), so the two stories must also pass the
        ``gates`` a document passes: their days within ``max_span_days`` (however far apart within it), their
        headlines sharing terms, and the entities they name (in their leads, strictly) not disjoint."""
        if _cosine(other.centroid, story.centroid) < self.config.merge:
            return False
        return not below or self.gates(other, story, window=None, loose=False, headlines=False)

    def _regathered(self, small: StoryState, story: StoryState, below: bool = False) -> bool:
        """Whether every document of ``small`` (of at most ``regather`` documents) would join ``story`` as it is
        now: a document that started a story of its own because the story of its event did not exist yet, or
        was still too far, is gathered into it when a later document joins both (the stories then depend less
        on the order documents arrive in). ``below``: the later document scored ``small`` under its own join
        threshold: only posts are gathered, and only ``regather_margin`` above their threshold."""
        c = self.config
        members = small.members or []
        margin = c.regather_margin if below else 0.0
        return (small is not story and bool(members) and small.size <= c.regather
                and (not below or all(m.short for m in members))
                and all(self.score(m.features(), story) >= (c.join_short if m.short else c.join) + margin
                        for m in members))

    def _add(self, story: StoryState, doc: Document, f: DocFeatures, score: float) -> None:
        for t, w in f.terms.items():
            story.centroid[t] = story.centroid.get(t, 0.0) + w
        story.centroid = _top(story.centroid, self.config.story_terms)
        story.surface = {t: story.surface.get(t) or f.surface.get(t, t) for t in story.centroid}
        story.heads = _top(_sum((story.heads, f.head)), self.config.story_terms)
        story.entities.update(f.entities)
        story.head_entities.update(f.head_entities)
        story.sources[doc.source] += 1
        if f.day is not None:
            story.first_day = f.day if story.first_day is None else min(story.first_day, f.day)
            story.last_day = f.day if story.last_day is None else max(story.last_day, f.day)
        story.size += 1
        title = (doc.title or doc.text[:120]).strip()
        central = _cosine(f.terms, story.centroid)
        if central > story.title_score or not story.title:
            story.title, story.title_score = title, central
        if story.members is not None:
            terms = {t: round(w, 4) for t, w in _top(f.terms, self.config.member_terms).items()}
            story.members.append(Member(doc.id, terms, sorted(f.entities), doc.source, f.day, title, round(score, 4),
                                        f.head, sorted(f.head_entities), f.short))
            if len(story.members) > self.config.split_max:
                story.members = None
        self._touch(story)

    # -- stage 5: split --------------------------------------------------------------------------
    def _split(self, story: StoryState) -> StoryState | None:
        """Split off the documents of ``story`` that form a group apart (two-means from its least central
        member); the larger group keeps the id. Returns the new story, if any."""
        members = story.members
        if members is None or len(members) < 3:
            return None
        vecs = [m.terms for m in members]
        total = _sum(vecs)
        alone = [_cosine(v, _minus(total, v)) for v in vecs]  # each member against the others
        worst = min(range(len(vecs)), key=lambda i: (alone[i], i))
        if alone[worst] >= self.config.split:
            return None
        apart = [i == worst for i in range(len(vecs))]
        for _ in range(5):
            sums = _sum(v for v, a in zip(vecs, apart) if a), _sum(v for v, a in zip(vecs, apart) if not a)
            moved = [_cosine(v, sums[0]) > _cosine(v, sums[1]) for v in vecs]
            if moved == apart or all(moved) or not any(moved):
                break
            apart = moved
        part = [m for m, a in zip(members, apart) if a]
        rest = [m for m, a in zip(members, apart) if not a]
        if _cosine(_sum(m.terms for m in part), _sum(m.terms for m in rest)) >= self.config.split:
            return None
        if (len(part), apart[0]) > (len(rest), not apart[0]):
            part, rest = rest, part
        sid = "s-" + hashlib.sha1(f"{story.id}/{part[0].id}/{self.seq}".encode("utf-8")).hexdigest()[:12]
        new = self.stories[sid] = StoryState(sid, 0, {}, Counter(), Counter(), {})
        for target, group in ((story, rest), (new, part)):
            self._rebuild(target, group, story.surface)
        for m in part:
            self.moved[m.id] = sid
            self._moved[m.id] = (self._moved[m.id][0] if m.id in self._moved else story.id, sid, m.score)
        self.splits += 1
        return new

    def _rebuild(self, story: StoryState, members: list[Member], surface: Mapping[str, str]) -> None:
        """A story's state recomputed from its members (after a split)."""
        story.centroid = _top(_sum(m.terms for m in members), self.config.story_terms)
        story.surface = {t: surface.get(t, t) for t in story.centroid}
        story.heads = _top(_sum(m.head for m in members), self.config.story_terms)
        story.entities = Counter(e for m in members for e in m.entities)
        story.head_entities = Counter(e for m in members for e in m.head_entities)
        story.sources = Counter(m.source for m in members)
        days = [m.day for m in members if m.day is not None]
        story.first_day, story.last_day = (min(days), max(days)) if days else (None, None)
        story.size, story.members = len(members), list(members)
        story.title_score, story.title = max((_cosine(m.terms, story.centroid), m.title) for m in members)
        self._touch(story)

    def _touch(self, story: StoryState) -> None:
        self.seq += 1
        story.seq = self.seq
        terms = frozenset(_top(story.centroid, self.config.index_terms))
        for t in self.indexed.get(story.id, frozenset()) - terms:
            self.postings[t].pop(story.id, None)
        for t in sorted(terms):
            posting = self.postings.setdefault(t, OrderedDict())
            posting[story.id] = None
            posting.move_to_end(story.id)
        self.indexed[story.id] = terms

    def _merge(self, keep: StoryState, gone: StoryState) -> StoryState:
        """Fold the smaller story into the larger (the older on a tie); returns the one kept."""
        if (gone.size, -gone.seq) > (keep.size, -keep.seq):
            keep, gone = gone, keep
        for t, w in gone.centroid.items():
            keep.centroid[t] = keep.centroid.get(t, 0.0) + w
        keep.centroid = _top(keep.centroid, self.config.story_terms)
        keep.surface = {t: keep.surface.get(t) or gone.surface.get(t, t) for t in keep.centroid}
        keep.heads = _top(_sum((keep.heads, gone.heads)), self.config.story_terms)
        keep.entities.update(gone.entities)
        keep.head_entities.update(gone.head_entities)
        keep.sources.update(gone.sources)
        days = [d for d in (keep.first_day, keep.last_day, gone.first_day, gone.last_day) if d is not None]
        keep.first_day, keep.last_day = (min(days), max(days)) if days else (None, None)
        keep.size += gone.size
        keep.members = (None if keep.members is None or gone.members is None
                        or keep.size > self.config.split_max else keep.members + gone.members)
        for t in self.indexed.pop(gone.id, frozenset()):
            self.postings[t].pop(gone.id, None)
        del self.stories[gone.id]
        moved = self.merged_into.pop(gone.id, set()) | {gone.id}
        for alias in moved:
            self.aliases[alias] = self._new_aliases[alias] = keep.id
        self.merged_into.setdefault(keep.id, set()).update(moved)
        self._touch(keep)
        return keep

    def resolve(self, story_id: str) -> str:
        return self.aliases.get(story_id, story_id)

    def nearest(self, text: str, date_: str | None = None) -> tuple[str, float] | None:
        """The story a short text (a checked claim) belongs to, above ``attach``, among the candidates of its
        terms; nothing is changed."""
        self._ensure_loaded()
        f = self.features(Document(id="", text=text, date=date_))
        best = max(((self.score(f, self.stories[sid]), sid) for sid in self.candidates(f)),
                   key=lambda x: (x[0], -self.stories[x[1]].seq), default=None)
        return (best[1], best[0]) if best is not None and best[0] >= self.config.attach else None

    def attach(self, text: str, evidence: Sequence[tuple[str, float]],
               date_: str | None = None) -> tuple[str, str] | None:
        """(id, title) of the story a checked text belongs to: among the stories of its evidence documents
        (``(doc id, weight)``: how strongly that evidence is about the text, 0 for unrelated), the one its
        words and the weight of its evidence point to most, if above ``attach``. Reads the store for these
        few stories only; nothing is changed."""
        if self.store is None or not evidence:
            return None
        reads = self._shared if self._shared is not None else StoryReads(self.store)
        of = reads.stories_of([d for d, _ in evidence])
        states = reads.states(set(of.values()))
        if not states:
            return None
        lead = self.texts.read(text, self._text_lead)
        df, n_docs = reads.terms(list(lead.counts))
        f = self._features(Document(id="", text=text, date=date_), lead, df, n_docs)
        return self.place(f, states, of, evidence)

    def _text_lead(self, text: str) -> LeadFeatures:
        """What ``attach`` reads of a checked text: its terms (all of it, no headline) and the entities of its lead."""
        counts, surface = lead_terms("", text, len(text), 1.0)
        entities = extract_entities(f"\n{text[:self.config.lead_chars]}", cache=False)  # as ``lead_features`` reads
        return LeadFeatures(counts, surface, frozenset(e.canonical for e in entities))

    @contextmanager
    def shared_reads(self) -> Iterator[None]:
        """Within: ``attach`` asks the store for each document's story, each story's state and each term's document
        frequency once (the claims and posts of a chunk, checked together: their evidence shares stories); the
        stories in the store must not change meanwhile."""
        outer = self._shared
        if self.store is not None and outer is None:
            self._shared = StoryReads(self.store)
        try:
            yield
        finally:
            self._shared = outer

    def place(self, f: DocFeatures, stories: Mapping[str, StoryState], of: Mapping[str, str],
              evidence: Sequence[tuple[str, float]]) -> tuple[str, str] | None:
        """``attach`` once the stories of the evidence (``of``: document -> story) are read: each story in the
        time window scores its similarity to the text, ``about_weight`` x its share of the evidence weight and
        ``rank_weight`` x its share of the evidence ranks (evidence comes best first)."""
        c = self.config
        stories = {sid: s for sid, s in stories.items() if self.dated_together(f, s, c.window_days)}
        votes: dict[str, float] = {}
        ranks: dict[str, float] = {}
        for rank, (doc_id, weight) in enumerate(evidence):
            if of.get(doc_id) in stories:
                votes[of[doc_id]] = votes.get(of[doc_id], 0.0) + weight
                ranks[of[doc_id]] = ranks.get(of[doc_id], 0.0) + 1.0 / (1 + rank)
        total, rank_total = sum(votes.values()) or 1.0, sum(ranks.values()) or 1.0
        score, sid = max(((self.score(f, s) + c.about_weight * votes.get(sid, 0.0) / total
                           + c.rank_weight * ranks.get(sid, 0.0) / rank_total, sid)
                          for sid, s in sorted(stories.items())), default=(0.0, ""))
        return (sid, stories[sid].title) if score >= c.attach else None

    # -- persistence -----------------------------------------------------------------------------
    def _ensure_loaded(self) -> None:
        if self._loaded or self.store is None:
            self._loaded = True
            return
        self._watermark = int(self.store.get_meta(_WATERMARK) or 0)
        state = self.store.story_state()
        self.df = Counter(state.df)
        self.n_docs = state.n_docs
        self.aliases = dict(state.aliases)
        for alias, target in sorted(self.aliases.items()):
            self.merged_into.setdefault(target, set()).add(alias)
        for sid, data in sorted(state.stories.items(), key=lambda kv: kv[1]["seq"]):
            story = StoryState.from_json(sid, data)
            self.stories[sid] = story
            self.seq = story.seq - 1
            self._touch(story)
        self._recall_recent()
        self._loaded = True

    def _recall_recent(self) -> None:
        """The window of the last ``burst_docs`` documents organised, read again from the store (so that going on
        from a saved state gives the stories a rebuild gives; positions freed by many removals just before the
        watermark leave it shorter)."""
        assert self.store is not None
        n = self.config.burst_docs
        if not n or not self._watermark:
            return
        rows = self.store.documents_after(max(0, self._watermark - 4 * n), 4 * n)
        for _, doc in [r for r in rows if r[0] <= self._watermark][-n:]:
            self._remember(frozenset(lead_features(doc.title, doc.text, self.config).counts))

    def cluster(self, documents: Iterable[Document]) -> dict[str, str]:
        """In memory: the story id of each document (after merges and splits), in order."""
        placed: dict[str, str] = {}
        for doc in documents:
            placed[doc.id] = self.assign(doc)[0]
            placed.update(self.moved)
            self.moved.clear()
            self._moved.clear()
        return {d: self.resolve(s) for d, s in placed.items()}

    def sync(self, batch_size: int = 2000, leads: Mapping[str, LeadFeatures] | None = None) -> int:
        """Organise every stored document not yet in a story; returns how many were placed. ``leads``: the
        ``lead_features`` of some documents by id, computed ahead (ingest)."""
        done = 0
        while placed := self.sync_some(batch_size, leads):
            done += placed
        return done

    def sync_some(self, batch_size: int = 2000, leads: Mapping[str, LeadFeatures] | None = None) -> int:
        """Organise the next ``batch_size`` stored documents not yet in a story, in one transaction."""
        store, mark = self._in_step()
        rows = store.documents_after(mark, batch_size)
        if not rows:
            return 0
        self._place([doc for _, doc in rows], rows[-1][0], leads)
        return len(rows)

    def place_again(self, doc_ids: Sequence[str]) -> int:
        """Place stored documents already organised but in no story (the story they were placed in is gone), in
        the order given, as ``sync_some`` places new ones; the watermark stays. Returns how many were placed."""
        store, mark = self._in_step()
        found = store.get_documents(doc_ids)
        docs = [found[d] for d in doc_ids if d in found]
        if docs:
            self._place(docs, mark)
        return len(docs)

    def _in_step(self) -> tuple[Store, int]:
        """The state loaded and in step with the store's (read again if another process organised since, or a
        batch failed); the store and the watermark."""
        if self.store is None:
            raise ValueError("organising needs a store")
        self._ensure_loaded()
        mark = int(self.store.get_meta(_WATERMARK) or 0)
        if mark != self._watermark:
            self._reset()
            self._loaded = False
            self._ensure_loaded()
        return self.store, mark

    def _place(self, docs: Sequence[Document], watermark: int, leads: Mapping[str, LeadFeatures] | None = None) -> None:
        """Place documents in stories and save the batch, in one transaction, with ``watermark`` reached."""
        assert self.store is not None
        before = {sid: s.seq for sid, s in self.stories.items()}
        self._dirty_terms, self._new_aliases = set(), {}
        members: list[tuple[str, str, float]] = []
        removed: list[str] = []
        self.moved.clear()
        self._moved.clear()
        for doc in docs:
            sid, score, gone = self.assign(doc, (leads or {}).get(doc.id))
            members.append((doc.id, sid, score))
            removed.extend(gone)
        members += self._moves(members)
        self.store.save_story_batch(StoryBatch(
            stories={sid: s.row() for sid, s in self.stories.items() if before.get(sid) != s.seq},
            removed=[sid for sid in removed if sid in before], members=members,
            aliases={a: self.aliases[a] for a in self._new_aliases},
            df={t: self.df[t] for t in self._dirty_terms}, n_docs=self.n_docs, watermark=watermark,
            watermark_key=_WATERMARK))
        self._watermark = watermark

    def _moves(self, placed: list[tuple[str, str, float]]) -> list[tuple[str, str, float]]:
        """The documents splits moved in this batch, as placements to save after the batch's own; a member of
        a story that has since left it (its document removed, or replaced and placed again) is not moved."""
        assert self.store is not None
        now = {doc_id: sid for doc_id, sid, _ in placed}
        stored = self.store.story_of_documents(sorted(set(self._moved) - set(now)))
        out = []
        for doc_id, (was, sid, score) in sorted(self._moved.items()):
            current = now.get(doc_id) or stored.get(doc_id)
            if current is not None and self.resolve(current) == self.resolve(was):
                out.append((doc_id, sid, score))
        self._moved.clear()
        return out

    def rebuild(self) -> int:
        """Forget every story and organise the whole base again, in storage order."""
        if self.store is None:
            raise ValueError("rebuild needs a store")
        self.store.clear_stories(_WATERMARK)
        self._reset()
        self._loaded, self._watermark = True, 0
        return self.sync()


_WATERMARK = "stories_organised_upto"


def story_members(placed: dict[str, str]) -> dict[str, list[str]]:
    """Story id -> its document ids, in order, from a doc -> story map."""
    out: dict[str, list[str]] = {}
    for doc, sid in placed.items():
        out.setdefault(sid, []).append(doc)
    return out
