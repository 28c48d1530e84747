"""Named entities from a gazetteer (aliases -> one canonical id) and a title rule for people; which place
contains which (``places.tsv``)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from tabayyun.text._lexicon import ALL_CLITICS, PhraseMatcher, data_rows, joined_flags, word_set
from tabayyun.text.tokens import Token, is_stopword, tokenize

__all__ = ["EntityMention", "extract_entities", "entity_aliases", "place_parent", "within", "nested", "is_dateline"]

_MAX_NAME = 3  # name tokens after a title
_MAX_MODIFIERS = 2  # "الرئيس السوري ...", "مدير المركز الإعلامي ..."


@dataclass(frozen=True, slots=True)
class EntityMention:
    """An entity and its span in the original text; kind is PER | LOC | ORG | MISC."""

    start: int
    end: int
    text: str
    canonical: str
    kind: str


_GAZETTEER = PhraseMatcher(((r[0], (r[1], r[2])) for r in data_rows("gazetteer.tsv")), ALL_CLITICS)
_ALIASES: dict[str, tuple[str, ...]] = {}
for _row in data_rows("gazetteer.tsv"):
    _ALIASES[_row[1]] = _ALIASES.get(_row[1], ()) + (_row[0],)
_PARENT: dict[str, str] = {r[0]: r[1] for r in data_rows("places.tsv")}
# after a place at a text's start: "(رويترز) -" or "-": a dateline, where the report was filed
_DATELINE_TAIL = re.compile(r"\s*(?:\([^()]{1,40}\)\s*)?[-–—]")
_TITLES = PhraseMatcher(((w, True) for w in word_set("titles.txt")), ALL_CLITICS)
_BREAKS = word_set("name_breaks.txt")


def entity_aliases(canonical: str) -> tuple[str, ...]:
    """Every spelling the gazetteer knows for an entity ("SDF" -> قسد, قوات سوريا الديمقراطية ...)."""
    return _ALIASES.get(canonical, ())


def place_parent(canonical: str) -> str | None:
    """The place that contains a place (Abu Kamal -> Deir ez-Zor -> Syria); None for a country or an unknown id."""
    return _PARENT.get(canonical)


def within(inner: str, outer: str) -> bool:
    """Whether place ``inner`` lies inside place ``outer`` (strictly: a place is not within itself)."""
    up = _PARENT.get(inner)
    while up is not None:
        if up == outer:
            return True
        up = _PARENT.get(up)
    return False


def nested(a: str, b: str) -> bool:
    """Whether two places are one, or one contains the other (Aleppo and al-Bab, Syria and Aleppo)."""
    return a == b or within(a, b) or within(b, a)


def is_dateline(text: str, mention: EntityMention) -> bool:
    """Whether a place opens the text as its dateline ("بيروت (رويترز) -"): where the report was filed, not
    what it is about."""
    return mention.kind == "LOC" and not text[:mention.start].strip() and bool(_DATELINE_TAIL.match(text, mention.end))


def _mention(text: str, tokens: Sequence[Token], i: int, j: int, canonical: str, kind: str) -> EntityMention:
    start, end = tokens[i].start, tokens[j - 1].end
    return EntityMention(start, end, text[start:end], canonical, kind)


def extract_entities(text: str, cache: bool = True, tokens: Sequence[Token] | None = None) -> list[EntityMention]:
    """Gazetteer entities (longest alias wins) and PER names following a title ("الرئيس ..."); ``cache`` as for
    ``tokenize``; ``tokens``: ``tokenize(text)`` when the caller has them already."""
    if tokens is None:
        tokens = tokenize(text, cache)
    norms = [t.norm for t in tokens]
    joined = joined_flags(text, tokens)
    known = {i: (j, payload) for i, j, payload in _GAZETTEER.find(norms, joined) if payload is not None}
    out: list[EntityMention] = []
    i = 0
    while i < len(tokens):
        if i in known:
            j, (canonical, kind) = known[i]
            out.append(_mention(text, tokens, i, j, canonical, kind))
            i = j
            continue
        title = _TITLES.match_at(norms, joined, i)
        if title is None:
            i += 1
            continue
        k = i + title[0]
        for _ in range(_MAX_MODIFIERS):
            if k < len(tokens) and joined[k - 1] and k not in known and norms[k].startswith("ال"):
                k += 1
        j = k
        while (j < len(tokens) and j - k < _MAX_NAME and joined[j - 1] and j not in known
               and not tokens[j].is_number and not is_stopword(norms[j]) and norms[j] not in _BREAKS
               and _TITLES.match_at(norms, joined, j) is None and (j > k or not norms[j].startswith("ال"))):
            j += 1
        if j > k:
            out.append(_mention(text, tokens, k, j, " ".join(norms[k:j]), "PER"))
        i = max(j, i + 1)
    return out
