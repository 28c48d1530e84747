"""Shared machinery for the word lists in ``data/``: loading, clitic variants and phrase matching.

Phrases are matched on normalised tokens (``Token.norm``); the first token of a phrase may carry
proclitics (و ف ب ل ...), which each lexicon chooses through its ``clitics`` table.
"""
from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from typing import Callable, Generic, Iterable, Protocol, Sequence, TypeVar

from tabayyun.text.normalize import normalize_ar

T = TypeVar("T")
R = TypeVar("R")


class _Span(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

# (prefix, replacement) pairs tried on the first word of a phrase, longest first.
CONJ_CLITICS: tuple[tuple[str, str], ...] = (("و", ""), ("ف", ""))
ALL_CLITICS: tuple[tuple[str, str], ...] = (
    ("ولل", "ال"), ("فلل", "ال"), ("لل", "ال"), ("وب", ""), ("ول", ""), ("فب", ""), ("فل", ""),
    ("و", ""), ("ف", ""), ("ب", ""), ("ل", ""),
)
_MIN_STEM = 2
#: The one bound of every per-word cache (normalised spellings, stems, clitic variants, index terms, hashed
#: features): a word costs a few hundred bytes in each, so they hold the frequent vocabulary in a few tens of MB
#: together, and a server's memory stops growing once they are full (BENCHMARKS.md, serve memory).
WORD_CACHE = 30_000


def data_rows(name: str) -> list[list[str]]:
    """Rows of a tab-separated data file shipped in ``tabayyun/text/data`` (``#`` comments, blanks skipped)."""
    text = files("tabayyun.text").joinpath("data", name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=WORD_CACHE)
def clitic_variants(word: str, clitics: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """The word itself, then the word with each applicable proclitic removed (cached: words recur)."""
    return (word, *(replacement + word[len(prefix):] for prefix, replacement in clitics
                    if word.startswith(prefix) and len(word) - len(prefix) >= _MIN_STEM))


class PhraseMatcher(Generic[T]):
    """Greedy longest-match lookup of multi-word phrases over a sequence of normalised tokens.

    A phrase whose last word ends with ``*`` matches any word starting with that prefix.
    """

    def __init__(self, phrases: Iterable[tuple[str, T]], clitics: tuple[tuple[str, str], ...] = ()) -> None:
        self._table: dict[tuple[str, ...], T] = {}
        self._stars = False
        for phrase, payload in phrases:
            key = tuple(normalize_ar(phrase).split())
            self._table[key] = payload
            self._stars = self._stars or key[-1].endswith("*")
        self._max = max((len(k) for k in self._table), default=0)
        self.clitics = clitics
        # first words of the phrases: a token that cannot start one is passed over at once
        self._firsts = frozenset(k[0] for k in self._table if not (len(k) == 1 and k[0].endswith("*")))
        self._star_firsts = frozenset(k[0] for k in self._table if len(k) == 1 and k[0].endswith("*"))
        # word -> its variants if one may start a phrase, else None
        self._starts: dict[str, tuple[str, ...] | None] = {}

    def _may_start(self, variants: tuple[str, ...]) -> bool:
        """Can one of a word's variants start a phrase?"""
        return not self._firsts.isdisjoint(variants) or (bool(self._star_firsts) and any(
            word[:k] + "*" in self._star_firsts for word in variants for k in range(len(word), _MIN_STEM, -1)))

    def _starting(self, word: str) -> tuple[str, ...] | None:
        """The word's clitic variants when one of them may start a phrase, else None (asked of every token of every
        text: kept per matcher, for up to ``WORD_CACHE`` words, then forgotten all at once)."""
        variants = clitic_variants(word, self.clitics)
        found = variants if self._may_start(variants) else None
        if len(self._starts) >= WORD_CACHE:
            self._starts.clear()
        self._starts[word] = found
        return found

    def _lookup(self, key: tuple[str, ...]) -> tuple[bool, T | None]:
        if key in self._table:
            return True, self._table[key]
        if self._stars:
            head, last = key[:-1], key[-1]
            for k in range(len(last), _MIN_STEM, -1):
                star = head + (last[:k] + "*",)
                if star in self._table:
                    return True, self._table[star]
        return False, None

    def match_at(self, norms: Sequence[str], joined: Sequence[bool], i: int) -> tuple[int, T | None] | None:
        """Longest phrase starting at token ``i``: (length, payload), or None.

        ``joined[k]`` tells whether tokens k and k+1 are separated by whitespace only.
        """
        word = norms[i]
        variants = self._starts[word] if word in self._starts else self._starting(word)
        if variants is None:
            return None
        n_max = 1
        while n_max < self._max and i + n_max < len(norms) and joined[i + n_max - 1]:
            n_max += 1
        for n in range(n_max, 0, -1):
            rest = tuple(norms[i + 1:i + n])
            for first in variants:
                found, payload = self._lookup((first,) + rest)
                if found:
                    return n, payload
        return None

    def find(self, norms: Sequence[str], joined: Sequence[bool]) -> list[tuple[int, int, T | None]]:
        """Non-overlapping (start token, end token, payload) matches, left to right."""
        out: list[tuple[int, int, T | None]] = []
        i = 0
        while i < len(norms):
            hit = self.match_at(norms, joined, i)
            if hit is None:
                i += 1
                continue
            out.append((i, i + hit[0], hit[1]))
            i += hit[0]
        return out


@lru_cache(maxsize=None)
def word_set(name: str) -> frozenset[str]:
    """First column of a data file, normalised, as a set."""
    return frozenset(normalize_ar(row[0]) for row in data_rows(name))


def joined_flags(text: str, tokens: Sequence[_Span]) -> list[bool]:
    """For each pair of neighbouring tokens: are they separated by whitespace only (no punctuation)?"""
    return [text[a.end:b.start].isspace() for a, b in zip(tokens, tokens[1:])]


def scan(n: int, read: Callable[[int], tuple[int, R] | None]) -> list[R]:
    """Left-to-right reading over n tokens: ``read(i)`` gives (next index, item) or None to move on."""
    out: list[R] = []
    i = 0
    while i < n:
        hit = read(i)
        if hit is None:
            i += 1
        else:
            i, item = hit
            out.append(item)
    return out
