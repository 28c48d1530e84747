"""Stories: online clustering of documents into the real-world events they report.

Each document, in the order it was stored, either joins the story of the same event or starts a new one:

1. ``features``: TF-IDF weights of the terms of its headline and lead (document frequencies kept in
   the store, counted as documents arrive), its named entities and its date;
2. ``candidates``: the stories holding its rarest terms among their own top terms, from an inverted
   index over story terms (at most ``postings`` stories per term, the most recently updated): the cost
   of a document does not grow with the base;
3. ``score``: cosine with the story's centroid plus a bonus for shared entities, within a time window
   around the story's dates (a document without a date is judged on its content alone);
4. ``assign``: the best story above ``join`` takes it; other candidates that it also joins strongly and
   whose centroids are close enough are merged into that story (the merged id stays an alias).

``StoryClusterer.sync`` catches the stories up with the store (resumable: a watermark records the last
document organised; each batch lands in one transaction). The same documents in the same order give
the same stories.
"""
from __future__ import annotations

import hashlib
import math
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, Mapping, Sequence

from tabayyun.records import Document
from tabayyun.store.base import StoryBatch, Store
from tabayyun.text import extract_entities, is_stopword, stem_ar, tokenize

__all__ = ["StoryConfig", "StoryClusterer", "DocFeatures", "StoryState", "story_id_for"]


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
    attach: float = 0.10  # a checked claim (short) is placed in the nearest story above this ...
    about_weight: float = 0.5  # ... counting the share of its evidence about it that the story holds


def story_id_for(doc_id: str) -> str:
    """A story's id, from the document that started it: stable across rebuilds of the same base."""
    return "s-" + hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[:12]


@dataclass
class DocFeatures:
    """A document as the clusterer sees it: normalised term weights, entities, day (ordinal) if dated."""

    terms: dict[str, float]
    entities: frozenset[str]
    day: int | None
    surface: dict[str, str] = field(default_factory=dict)  # term -> a word it came from


@dataclass
class StoryState:
    """What the clusterer keeps of a story: the sum of its documents' vectors, entity and source counts."""

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

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "centroid": self.centroid, "entities": dict(self.entities),
                "sources": dict(self.sources), "surface": self.surface, "first_day": self.first_day,
                "last_day": self.last_day, "size": self.size, "title": self.title, "title_score": self.title_score}

    @classmethod
    def from_json(cls, story_id: str, d: dict[str, Any]) -> StoryState:
        return cls(id=story_id, seq=d["seq"], centroid=d["centroid"], entities=Counter(d["entities"]),
                   sources=Counter(d["sources"]), surface=d["surface"], first_day=d["first_day"],
                   last_day=d["last_day"], size=d["size"], title=d["title"], title_score=d["title_score"])

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


def _day(iso: str | None) -> int | None:
    if not iso:
        return None
    try:
        return date.fromisoformat(iso[:10]).toordinal()
    except ValueError:
        return None


def _iso(day: int | None) -> str | None:
    return None if day is None else date.fromordinal(day).isoformat()


def _norm(vec: dict[str, float]) -> float:
    return math.sqrt(sum(w * w for w in vec.values())) or 1.0


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items()) / (_norm(a) * _norm(b))


def _top(vec: dict[str, float], n: int) -> dict[str, float]:
    if len(vec) <= n:
        return vec
    return dict(sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:n])


def lead_terms(title: str, text: str, lead_chars: int, title_weight: float) -> tuple[dict[str, float], dict[str, str]]:
    """Term counts of a headline (weighted) and lead, and a surface word for each term."""
    counts: dict[str, float] = {}
    surface: dict[str, str] = {}
    for part, weight in ((title, title_weight), (text[:lead_chars], 1.0)):
        for tok in tokenize(part, cache=False):
            if tok.is_number:
                term = tok.norm.replace(",", "")
                if len(term) < 2:
                    continue
            elif is_stopword(tok.norm) or len(tok.norm) < 2:
                continue
            else:
                term = stem_ar(tok.norm)
            counts[term] = counts.get(term, 0.0) + weight
            surface.setdefault(term, tok.text)
    return counts, surface


class StoryClusterer:
    """Online story clustering over a store (see the module docstring); one method per stage."""

    def __init__(self, store: Store | None = None, config: StoryConfig | None = None) -> None:
        self.store = store
        self.config = config or StoryConfig()
        self._loaded = False
        self._watermark = 0  # the last document organised, as far as this object knows
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

    # -- stage 1: features -----------------------------------------------------------------------
    def features(self, doc: Document, count: bool = False) -> DocFeatures:
        """The document's features; with ``count``, its terms are counted into the document frequencies first."""
        counts, surface = lead_terms(doc.title, doc.text, self.config.lead_chars, self.config.title_weight)
        if count:
            self.n_docs += 1
            self.df.update(counts.keys())
            self._dirty_terms.update(counts.keys())
        return self._features(doc, counts, surface, self.df, self.n_docs)

    def _features(self, doc: Document, counts: dict[str, float], surface: dict[str, str], df: Mapping[str, int],
                  n_docs: int) -> DocFeatures:
        c = self.config
        idf = {t: math.log((n_docs + c.prior_docs) / (df.get(t, 0) + 0.5)) for t in counts}
        vec = _top({t: (1.0 + math.log(tf)) * idf[t] for t, tf in counts.items() if idf[t] > 0}, c.doc_terms)
        norm = _norm(vec)
        lead = f"{doc.title}\n{doc.text[:c.lead_chars]}"
        entities = frozenset(e.canonical for e in extract_entities(lead, cache=False))
        return DocFeatures({t: w / norm for t, w in vec.items()}, entities, _day(doc.date),
                           {t: surface[t] for t in vec})

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
        ranked = sorted(overlap.items(), key=lambda kv: (-kv[1], self.stories[kv[0]].seq))
        return [sid for sid, _ in ranked[:c.rescored]]

    # -- stage 3: score --------------------------------------------------------------------------
    def in_window(self, f: DocFeatures, story: StoryState) -> bool:
        if f.day is None or story.first_day is None or story.last_day is None:
            return True
        w, span = self.config.window_days, self.config.max_span_days
        return (story.first_day - w <= f.day <= story.last_day + w
                and max(story.last_day, f.day) - min(story.first_day, f.day) <= span)

    def score(self, f: DocFeatures, story: StoryState) -> float:
        """Cosine with the story's centroid, plus the share of the document's entities the story holds."""
        if not self.in_window(f, story):
            return 0.0
        sim = _cosine(f.terms, story.centroid)
        if f.entities:
            sim += self.config.entity_weight * len(f.entities & story.entities.keys()) / len(f.entities)
        return sim

    # -- stage 4: assign -------------------------------------------------------------------------
    def assign(self, doc: Document) -> tuple[str, float, list[str]]:
        """Place one document: (its story id, its score, ids of stories merged into that story)."""
        self._ensure_loaded()
        f = self.features(doc, count=True)
        scored = sorted(((self.score(f, self.stories[sid]), sid) for sid in self.candidates(f)),
                        key=lambda x: (-x[0], self.stories[x[1]].seq))
        merged: list[str] = []
        if scored and scored[0][0] >= self.config.join:
            score, sid = scored[0]
            story = self.stories[sid]
        else:
            score, sid = 1.0, story_id_for(doc.id)
            story = self.stories[sid] = StoryState(sid, 0, {}, Counter(), Counter(), {})
        self._add(story, doc, f, score)
        for other_score, other in scored[1:]:
            if other_score < self.config.join:
                break
            if other in self.stories and _cosine(self.stories[other].centroid, story.centroid) >= self.config.merge:
                story = self._merge(story, self.stories[other])
                merged.append(other)
        return story.id, score, merged

    def _add(self, story: StoryState, doc: Document, f: DocFeatures, score: float) -> None:
        for t, w in f.terms.items():
            story.centroid[t] = story.centroid.get(t, 0.0) + w
        story.centroid = _top(story.centroid, self.config.story_terms)
        story.surface = {t: story.surface.get(t) or f.surface.get(t, t) for t in story.centroid}
        story.entities.update(f.entities)
        story.sources[doc.source] += 1
        if f.day is not None:
            story.first_day = f.day if story.first_day is None else min(story.first_day, f.day)
            story.last_day = f.day if story.last_day is None else max(story.last_day, f.day)
        story.size += 1
        central = _cosine(f.terms, story.centroid)
        if central > story.title_score or not story.title:
            story.title, story.title_score = (doc.title or doc.text[:120]).strip(), central
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
        keep.entities.update(gone.entities)
        keep.sources.update(gone.sources)
        days = [d for d in (keep.first_day, keep.last_day, gone.first_day, gone.last_day) if d is not None]
        keep.first_day, keep.last_day = (min(days), max(days)) if days else (None, None)
        keep.size += gone.size
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
        of = self.store.story_of_documents([d for d, _ in evidence])
        states = self.store.story_states(sorted(set(of.values())))
        if not states:
            return None
        counts, surface = lead_terms("", text, len(text), 1.0)
        df, n_docs = self.store.story_terms(list(counts))
        f = self._features(Document(id="", text=text, date=date_), counts, surface, df, n_docs)
        stories = {sid: StoryState.from_json(sid, data) for sid, data in states.items()}
        stories = {sid: s for sid, s in stories.items() if self.in_window(f, s)}
        votes: dict[str, float] = {}
        for doc_id, weight in evidence:
            if of.get(doc_id) in stories:
                votes[of[doc_id]] = votes.get(of[doc_id], 0.0) + weight
        total = sum(votes.values()) or 1.0
        score, sid = max(((self.score(f, s) + self.config.about_weight * votes.get(sid, 0.0) / total, sid)
                          for sid, s in stories.items()), default=(0.0, ""))
        return (sid, stories[sid].title) if score >= self.config.attach else None

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
        self._loaded = True

    def cluster(self, documents: Iterable[Document]) -> dict[str, str]:
        """In memory: the story id of each document (after merges), in order."""
        placed: dict[str, str] = {}
        for doc in documents:
            placed[doc.id] = self.assign(doc)[0]
        return {d: self.resolve(s) for d, s in placed.items()}

    def sync(self, batch_size: int = 2000) -> int:
        """Organise every stored document not yet in a story; returns how many were placed."""
        done = 0
        while placed := self.sync_some(batch_size):
            done += placed
        return done

    def sync_some(self, batch_size: int = 2000) -> int:
        """Organise the next ``batch_size`` stored documents not yet in a story, in one transaction."""
        if self.store is None:
            raise ValueError("sync needs a store")
        self._ensure_loaded()
        mark = int(self.store.get_meta(_WATERMARK) or 0)
        if mark != self._watermark:  # another process organised since (or a batch failed): start from the store
            self._reset()
            self._loaded = False
            self._ensure_loaded()
        rows = self.store.documents_after(mark, batch_size)
        if not rows:
            return 0
        before = {sid: s.seq for sid, s in self.stories.items()}
        self._dirty_terms, self._new_aliases = set(), {}
        members: list[tuple[str, str, float]] = []
        removed: list[str] = []
        for _, doc in rows:
            sid, score, gone = self.assign(doc)
            members.append((doc.id, sid, score))
            removed.extend(gone)
        self.store.save_story_batch(StoryBatch(
            stories={sid: s.row() for sid, s in self.stories.items() if before.get(sid) != s.seq},
            removed=[sid for sid in removed if sid in before], members=members,
            aliases={a: self.aliases[a] for a in self._new_aliases},
            df={t: self.df[t] for t in self._dirty_terms}, n_docs=self.n_docs, watermark=rows[-1][0],
            watermark_key=_WATERMARK))
        self._watermark = rows[-1][0]
        return len(rows)

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
