"""Orthographic normalisation of Arabic text (CAMeL-Tools style names).

Every function is a pure ``str -> str`` built on ``str.translate`` tables compiled once at import.
``normalize_ar`` is *the* matching form: the index and the queries both go through it.
"""
from __future__ import annotations

import re

__all__ = [
    "dediac_ar", "remove_tatweel_ar", "normalize_alef_ar", "normalize_hamza_ar", "normalize_alef_maksura_ar",
    "normalize_teh_marbuta_ar", "normalize_digits", "normalize_punct_ar", "collapse_elongation_ar", "normalize_ar",
    "WORD_MARKS", "WORD_PATTERN",
]

# Harakat, tanween, shadda, sukun, maddah/hamza marks (U+064B-U+065F), superscript alef (U+0670),
# Quranic annotation signs (U+0610-U+061A, U+06D6-U+06ED).
_DIACRITICS = "".join(map(chr, [*range(0x064B, 0x0660), 0x0670, *range(0x0610, 0x061B), *range(0x06D6, 0x06EE)]))
_TATWEEL = "\u0640"
# Zero-width and bidi controls that break matching but carry no letters.
_INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"

#: Marks that may sit inside an Arabic word (a regex class body): diacritics, Quranic signs, tatweel, ZWNJ/ZWJ.
WORD_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d"
#: A word (a regex): a letter with the letters and marks around it (read by runs: a run of letters, then of marks,
#: ... matches what one character at a time would, several times faster).
WORD_PATTERN = rf"[{WORD_MARKS}]*[^\W\d_](?:[^\W\d_]+|[{WORD_MARKS}]+)*"

_ALEF = {c: "ا" for c in "أإآٱٲٳ"}
_HAMZA = {"ؤ": "و", "ئ": "ي"}
_ALEF_MAKSURA = {"ى": "ي"}
_TEH_MARBUTA = {"ة": "ه"}
_DIGITS = {**{chr(0x0660 + i): str(i) for i in range(10)}, **{chr(0x06F0 + i): str(i) for i in range(10)},
           "٫": ".", "٬": ","}
_PUNCT = {"،": ",", "؛": ";", "؟": "?", "٪": "%", **{c: '"' for c in "“”„‟«»″‹›"}, "‘": "'", "’": "'"}


def _table(mapping: dict[str, str], delete: str = "") -> dict[int, str | None]:
    table: dict[int, str | None] = {ord(k): v for k, v in mapping.items()}
    table.update({ord(c): None for c in delete})
    return table


_DEDIAC = _table({}, _DIACRITICS)
_TATWEEL_TABLE = _table({}, _TATWEEL)
_ALEF_TABLE = _table(_ALEF)
_HAMZA_TABLE = _table(_HAMZA)
_ALEF_MAKSURA_TABLE = _table(_ALEF_MAKSURA)
_TEH_MARBUTA_TABLE = _table(_TEH_MARBUTA)
_DIGITS_TABLE = _table(_DIGITS)
_PUNCT_TABLE = _table(_PUNCT)
_ALL = _table({**_ALEF, **_HAMZA, **_ALEF_MAKSURA, **_TEH_MARBUTA, **_DIGITS, **_PUNCT},
              _DIACRITICS + _TATWEEL + _INVISIBLE)
# The same as a list by code point (every character up to the last one it changes: itself if unchanged; a later one
# is past the end, which ``str.translate`` leaves as it is): read twice as fast as the dict, for every text.
_ALL_TABLE = [_ALL.get(i, chr(i)) for i in range(max(_ALL) + 1)]
# A run of 3+ identical Arabic letters (marks and tatweel between them allowed): elongation ("عاجلللل",
# "كثيييير"). Read before the hamza/alef mapping, which would make "جزئيين" a run; waw is left out because
# "و" + "ووجه" is a word.
_ELONGATED = re.compile(rf"([\u0621-\u0647\u0649-\u064a])[{WORD_MARKS}]*\1(?:[{WORD_MARKS}]*\1)+")


def dediac_ar(s: str) -> str:
    """Remove harakat, tanween, shadda, sukun, superscript alef and Quranic marks."""
    return s.translate(_DEDIAC)


def remove_tatweel_ar(s: str) -> str:
    """Remove the kashida (tatweel) elongation character."""
    return s.translate(_TATWEEL_TABLE)


def normalize_alef_ar(s: str) -> str:
    """Map hamzated and wasla alef forms (أ إ آ ٱ) to bare alef ا."""
    return s.translate(_ALEF_TABLE)


def normalize_hamza_ar(s: str) -> str:
    """Map hamza on waw/yeh seats (ؤ ئ) to the bare seat; a lone hamza ء is kept."""
    return s.translate(_HAMZA_TABLE)


def normalize_alef_maksura_ar(s: str) -> str:
    """Map alef maksura ى to yeh ي."""
    return s.translate(_ALEF_MAKSURA_TABLE)


def normalize_teh_marbuta_ar(s: str) -> str:
    """Map teh marbuta ة to heh ه."""
    return s.translate(_TEH_MARBUTA_TABLE)


def normalize_digits(s: str) -> str:
    """Map Arabic-Indic and Persian digits to ASCII, and the Arabic decimal/thousands separators to . and ,."""
    return s.translate(_DIGITS_TABLE)


def normalize_punct_ar(s: str) -> str:
    """Map Arabic comma, semicolon, question and percent signs to ASCII and curly/angle quotes to straight ones."""
    return s.translate(_PUNCT_TABLE)


def collapse_elongation_ar(s: str) -> str:
    """Collapse a run of 3+ identical Arabic letters (other than waw) to one: "عاجلللل" -> "عاجل"."""
    return _ELONGATED.sub(r"\1", s)


def normalize_ar(s: str) -> str:
    """The matching form: all normalisations above, elongation collapsed, invisible marks removed, Latin
    casefolded, spaces collapsed (``str.split`` splits at the characters ``\\s`` matches: the runs a
    ``re.sub(r"\\s+", " ", ...).strip()`` would collapse)."""
    return " ".join(collapse_elongation_ar(s).translate(_ALL_TABLE).casefold().split())
