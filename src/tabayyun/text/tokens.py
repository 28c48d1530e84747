"""Tokens with offsets, a light Arabic stemmer, stopwords, and ``analyze``: the index/query terms."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

from tabayyun.text._lexicon import WORD_CACHE, word_set
from tabayyun.text.normalize import WORD_PATTERN, normalize_ar
from tabayyun.text.social import mask_social

__all__ = ["Token", "tokenize", "stem_ar", "is_stopword", "index_term", "analyze"]

_NUMBER = r"\d+(?:[.,\u066b\u066c]\d+)*"
_TOKEN = re.compile(rf"(?P<num>{_NUMBER})|{WORD_PATTERN}")
# Over already-normalised text (no marks left, separators already ASCII).
_TERM = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")

# Article-bearing prefixes the snowball stemmer leaves on (و+ال, ف+ال, ...), longest first.
_ARTICLES = ("وبال", "فبال", "وكال", "فكال", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل", "ال")
_MIN_STEM = 3
_STEMMER = Stemmer.Stemmer("arabic")
_STOPWORDS = word_set("stopwords.txt")
_normalize_word = lru_cache(maxsize=WORD_CACHE)(normalize_ar)  # words repeat: normalise each spelling once


@dataclass(frozen=True, slots=True)
class Token:
    """A word or number; ``start``/``end`` index the original text, ``norm`` is ``normalize_ar(text)``."""

    text: str
    start: int
    end: int
    norm: str

    @property
    def is_number(self) -> bool:
        return self.norm[:1].isdigit()


def tokenize(text: str, cache: bool = True) -> list[Token]:
    """Word tokens (letters with their diacritics/tatweel) and number tokens of ``mask_social(text)``: none from
    links, mentions or emoji, hashtag words split at "_"; punctuation is dropped. Offsets index ``text``.
    ``cache=False`` for a text read once (a whole article), that should not push sentences out of the cache."""
    return list(_tokens(text) if cache else _tokens.__wrapped__(text))


@lru_cache(maxsize=5_000)
def _tokens(text: str) -> tuple[Token, ...]:
    """``tokenize``, cached: the number, date, entity and cue readers all tokenize the same sentence."""
    masked = mask_social(text)
    return tuple(Token(m.group(), m.start(), m.end(), _normalize_word(m.group())) for m in _TOKEN.finditer(masked))


@lru_cache(maxsize=WORD_CACHE)
def stem_ar(word: str) -> str:
    """Light stem of a normalised word: conjunction+article prefixes, then snowball Arabic."""
    if not word or not "\u0600" <= word[0] <= "\u06ff":
        return word
    for prefix in _ARTICLES:
        if word.startswith(prefix) and len(word) - len(prefix) >= _MIN_STEM:
            word = word[len(prefix):]
            break
    else:
        if word[0] in "وف" and word[1:2] == "ا" and len(word) > _MIN_STEM + 1:
            word = word[1:]
    return _STEMMER.stemWord(word)


def is_stopword(norm_word: str) -> bool:
    """Function word (also with a leading conjunction و), on the normalised form."""
    return norm_word in _STOPWORDS or (norm_word[:1] == "و" and norm_word[1:] in _STOPWORDS)


def _number_term(digits: str) -> str:
    return digits.replace(",", "")


@lru_cache(maxsize=WORD_CACHE)
def index_term(word: str) -> str | None:
    """The term of a normalised word or number (not empty): a number as plain digits, a word's stem; None for a
    stopword (cached: words recur)."""
    if word[0].isdigit():
        return _number_term(word)
    return None if is_stopword(word) else stem_ar(word)


def analyze(text: str) -> list[str]:
    """Index and query terms of ``mask_social(text)``: normalise, tokenize, drop stopwords, stem; numbers as plain
    digits ("60,000" -> "60000")."""
    return [term for term in map(index_term, _TERM.findall(normalize_ar(mask_social(text)))) if term is not None]
