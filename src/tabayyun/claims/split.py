"""Split a post or article into atomic claims with character offsets into the original text.

Enumerated items (اولا، ثانيا ... / 1- 2- / bullets) become one claim each, even when an item runs
over several sentences' worth of text; everything else is cut at sentence boundaries.
"""
from __future__ import annotations

import re

from tabayyun.records import Claim
from tabayyun.text import split_sentences

__all__ = ["split_claims", "ENUMERATOR"]

_ORDINALS = ("[اأإآ]ول", "ثاني", "ثالث", "رابع", "خامس", "سادس", "سابع", "ثامن", "تاسع", "عاشر")
# An enumerator at the start of a line: an ordinal adverb (أولا / اولاً ...), a number with - . ) or a bullet.
ENUMERATOR = re.compile(
    r"(?m)^[ \t\u200f\u200e]*(?:"
    r"(?:[وف]?(?:" + "|".join(_ORDINALS) + r")(?:اً|ًا|ا))"  # ordinals: اولا، أولاً، ثانيا ...
    r"(?=[\s:،,\-–])"
    r"|[0-9\u0660-\u0669\u06f0-\u06f9]{1,2}\s*[-.)–]"  # 1- 2. 3)
    r"|[-•*▪◦]"  # bullets
    r")[\s:،,\-–]*"
)
_MIN_CHARS = 6


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span to exclude surrounding white space, trailing ellipses and dangling punctuation."""
    while start < end and (text[start].isspace() or text[start] in "-–—:،,.*•"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "…-–—:،,"):
        end -= 1
    return start, end


def _segments(text: str) -> list[tuple[int, int]]:
    """Spans of enumerated items, and sentence spans of any text outside them."""
    marks = list(ENUMERATOR.finditer(text))
    if not marks:
        return split_sentences(text)
    spans: list[tuple[int, int]] = []
    spans.extend(split_sentences(text[:marks[0].start()]))
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        item_end = text.find("\n\n", mark.end(), end)
        spans.append((mark.end(), end if item_end == -1 else item_end))
        if item_end != -1:  # a paragraph after the last item is ordinary text again
            spans.extend((item_end + s, item_end + e) for s, e in split_sentences(text[item_end:end]))
    return spans


def split_claims(text: str) -> list[Claim]:
    """Atomic claims of ``text``, in order; ``checkworthiness`` is left at its default for the scorer."""
    claims = []
    for start, end in _segments(text):
        start, end = _trim(text, start, end)
        if end - start >= _MIN_CHARS:
            claims.append(Claim(text=text[start:end], span=(start, end)))
    return claims
