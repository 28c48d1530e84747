"""Lexical cues compared between a claim and its evidence: negations and classes of key predicates."""
from __future__ import annotations

from typing import cast

from tabayyun.text._lexicon import CONJ_CLITICS, ALL_CLITICS, PhraseMatcher, data_rows, joined_flags
from tabayyun.text.tokens import Token, tokenize

__all__ = ["find_negations", "find_denials", "find_hedges", "find_formulae", "find_attributed", "qualifier_classes",
           "antonym_sides", "predicate_words", "predicate_classes", "predicate_polarity", "predicate_mentions",
           "OPPOSITES"]

#: A negation cue governs a predicate at most this many words after it ("لم تطلق", "نفت قسد أن تكون أطلقت").
NEGATION_SCOPE = 4

# Payload True: a negation cue; False: a look-alike that is not one ("لا يزال").
_NEGATIONS = PhraseMatcher(((r[0].lstrip("!"), not r[0].startswith("!")) for r in data_rows("negations.txt")),
                           CONJ_CLITICS)
_DENIALS = PhraseMatcher(((r[0], r[1] == "report") for r in data_rows("denials.txt")), ALL_CLITICS)
_HEDGES = PhraseMatcher(((r[0], None) for r in data_rows("hedges.txt")), ALL_CLITICS)
_FORMULAE = PhraseMatcher(((r[0], None) for r in data_rows("formulae.txt")), CONJ_CLITICS)
_ATTRIBUTED = PhraseMatcher(((r[0], None) for r in data_rows("attributed.txt")), ALL_CLITICS)
_QUALIFIERS = PhraseMatcher(((r[0], r[1]) for r in data_rows("qualifiers.tsv")), ALL_CLITICS)
_SCOPE_BREAKS = PhraseMatcher(((r[0], None) for r in data_rows("scope_breaks.txt")), CONJ_CLITICS)


def _antonym_matcher() -> PhraseMatcher[tuple[tuple[int, int], ...]]:
    """Each word of antonyms.tsv -> its (pair, side)s; a word may belong to several pairs ("رفض")."""
    sides: dict[str, tuple[tuple[int, int], ...]] = {}
    for pair, row in enumerate(data_rows("antonyms.tsv")):
        for side, word in enumerate(row[:2]):
            sides[word] = sides.get(word, ()) + ((pair, side),)
    return PhraseMatcher(sides.items(), ALL_CLITICS)


_ANTONYMS = _antonym_matcher()
# predicates.tsv is read by the fact checks and by the stance model's features; predicates_checks.tsv
# only by the checks: entries added after the shipped model was trained, merged on its next retrain.
_MODEL_ROWS = [(r[0], r[1]) for r in data_rows("predicates.tsv")]
_MODEL_PREDICATES = PhraseMatcher(_MODEL_ROWS, ALL_CLITICS)
_PREDICATES = PhraseMatcher(_MODEL_ROWS + [(r[0], r[1]) for r in data_rows("predicates_checks.tsv")], ALL_CLITICS)
_WORDS_OF: dict[str, tuple[str, ...]] = {}
for _row in _MODEL_ROWS + [(r[0], r[1]) for r in data_rows("predicates_checks.tsv")]:
    if not _row[0].endswith("*"):
        _WORDS_OF[_row[1]] = _WORDS_OF.get(_row[1], ()) + (_row[0],)
OPPOSITES: dict[str, str] = {a: b for x, y in (r[:2] for r in data_rows("opposites.tsv")) for a, b in ((x, y), (y, x))}


def _words(text: str) -> tuple[list[Token], list[str], list[bool]]:
    """Tokens of ``text``, their normalised forms and joined flags: what a ``PhraseMatcher`` reads."""
    tokens = tokenize(text)
    return tokens, [t.norm for t in tokens], joined_flags(text, tokens)


def _matches(matcher: PhraseMatcher, text: str) -> list[tuple[int, int, object]]:
    tokens, norms, joined = _words(text)
    return [(tokens[i].start, tokens[j - 1].end, payload) for i, j, payload in matcher.find(norms, joined)]


def find_negations(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of negation cues (لا, لم, ليس, نفى, "لا صحة", ...), not "لا تزال" or "ما زال"."""
    return [(a, b) for a, b, is_cue in _matches(_NEGATIONS, text) if is_cue]


def find_denials(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, says_false) of cues that the text denies or corrects something: ``says_false``
    for those that call a report false ("عار عن الصحة", "ننفي", "شائعات", "مفبرك"), not for a verb
    of denial ("نفى", "تنفي")."""
    return [(a, b, bool(strong)) for a, b, strong in _matches(_DENIALS, text)]


def find_hedges(text: str) -> list[str]:
    """The cues by which ``text`` reports something as unconfirmed, rumoured or alleged ("أنباء عن", "يزعم",
    "لم يتسن التحقق"), in order."""
    return [text[a:b] for a, b, _ in _matches(_HEDGES, text)]


def find_formulae(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of formulae that state nothing of a post: invocations and banners ("رحمه الله", "عاجل")."""
    return [(a, b) for a, b, _ in _matches(_FORMULAE, text)]


def find_attributed(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of words that attribute a report to a source ("المنسوب إلى", "منسوبة لـ")."""
    return [(a, b) for a, b, _ in _matches(_ATTRIBUTED, text)]


def qualifier_classes(text: str) -> set[str]:
    """Classes of the words that qualify how much or how finally something happened ("بالكامل" -> whole,
    "نهائيا" -> final, "لأول مرة" -> first)."""
    return {str(cls) for _, _, cls in _matches(_QUALIFIERS, text)}


def antonym_sides(text: str) -> dict[tuple[int, int], str]:
    """The antonym-pair sides the text states ("أقل" -> (pair, 1)), each with the word that states it."""
    return {side: text[a:b] for a, b, sides in _matches(_ANTONYMS, text)
            for side in cast(tuple[tuple[int, int], ...], sides or ())}


def predicate_words(cls: str) -> tuple[str, ...]:
    """The words of a predicate class ("capture" -> أسر, أسرت, اعتقال ...), for query expansion."""
    return _WORDS_OF.get(cls, ())


def predicate_classes(text: str, model: bool = False) -> set[str]:
    """Classes of the key predicates in ``text`` ("أسرت" -> capture, "أطلق سراح" -> release);
    ``model``: only the entries the shipped stance model was trained with."""
    return {str(cls) for _, _, cls in _matches(_MODEL_PREDICATES if model else _PREDICATES, text)}


def predicate_mentions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, class) of each key predicate in ``text`` ("أسرت" -> capture)."""
    return [(a, b, str(cls)) for a, b, cls in _matches(_PREDICATES, text)]


def predicate_polarity(text: str) -> dict[str, bool | None]:
    """Per predicate class in ``text``: True when every mention is negated (a negation cue at most
    ``NEGATION_SCOPE`` words before it, no ``scope_breaks.txt`` word between: "لم يمت رغم الانسحاب" states the
    withdrawal), False when none is, None when mentions differ."""
    _, norms, joined = _words(text)  # matched by word index
    cues = [i for i, _, is_cue in _NEGATIONS.find(norms, joined) if is_cue]
    breaks = [i for i, _, _ in _SCOPE_BREAKS.find(norms, joined)]
    seen: dict[str, set[bool]] = {}
    for at, _, cls in _PREDICATES.find(norms, joined):
        seen.setdefault(str(cls), set()).add(any(0 <= at - c <= NEGATION_SCOPE and not any(c < b < at for b in breaks)
                                                 for c in cues))
    return {cls: next(iter(p)) if len(p) == 1 else None for cls, p in seen.items()}
