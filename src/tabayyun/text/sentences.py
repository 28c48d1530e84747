"""Sentence splitting into (start, end) spans of the original text."""
from __future__ import annotations

import re

from tabayyun.text._lexicon import word_set
from tabayyun.text.social import mask_social

__all__ = ["split_sentences"]

_CLOSERS = "\"'”’»)]"
# A line break; terminal punctuation (with closing quotes) before a space or the end; or terminal
# punctuation glued to the next Arabic word ("متنقلة.حرب").
_BOUNDARY = re.compile(rf"\n\s*|[.!?؟…]+[{re.escape(_CLOSERS)}]*(?=\s|$)|[.!?؟…]+(?=[\u0621-\u064a])")
# "بيروت (رويترز) -", "محافظة دير الزور (سوريا) (رويترز) –", "دمشق - (أ ف ب) -", "(CNN) --".
_BYLINE = re.compile(r"[ \t]*(?:[^\W\d_][^\n()\-–—.!?؟:]{0,40}?\s*(?:[-–—]+\s*)?)?"
                     r"(?:\([^()\n]{1,30}\)\s*)+[-–—:]{1,2}\s*")
_LAST_WORD = re.compile(r"([^\W\d_]+)\.?$")
_HAS_CONTENT = re.compile(r"\w")
_ABBREVIATIONS = word_set("abbreviations.txt")
_LOOKBEHIND = 12


def _is_abbreviation(text: str, dot: int) -> bool:
    """The period at ``dot`` closes a single letter ("J.", "أ.") or a listed abbreviation ("د.", "Dr.")."""
    m = _LAST_WORD.search(text, max(0, dot - _LOOKBEHIND), dot)
    if m is None or (m.start() > 0 and text[m.start() - 1] not in " \t\n.("):
        return False
    word = m.group(1)
    return len(word) == 1 or word.casefold() in _ABBREVIATIONS


def _append(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.lstrip()
    start += len(piece) - len(stripped)
    end = start + len(stripped.rstrip())
    if end > start and _HAS_CONTENT.search(text, start, end):
        spans.append((start, end))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Whitespace-trimmed sentence spans; a byline/dateline opening a paragraph is left out of its first span.

    Splits on . ! ? ؟ … and line breaks; not inside numbers (2.5, 60,000), not after single letters or
    listed abbreviations ("د.", "Dr."). Read on ``mask_social(text)``: no split inside a link, and spans leave out
    links, mentions and emoji at their edges; a span of only those is dropped.
    """
    text = mask_social(text)
    spans: list[tuple[int, int]] = []
    start = 0
    paragraph_start = True
    for m in _BOUNDARY.finditer(text):
        if paragraph_start:
            byline = _BYLINE.match(text, start)
            if byline is not None:
                start = byline.end()
            paragraph_start = False
        if m.start() < start:
            continue
        newline = m.group()[0] == "\n"
        if not newline and (m.group().rstrip(_CLOSERS) == ".."
                            or m.group() == "." and _is_abbreviation(text, m.start())):
            continue  # ".." is a pause in informal Arabic, "د." an abbreviation
        _append(spans, text, start, m.start() if newline else m.end())
        start = m.end()
        paragraph_start = newline
    if paragraph_start:
        byline = _BYLINE.match(text, start)
        if byline is not None:
            start = byline.end()
    _append(spans, text, start, len(text))
    return spans
