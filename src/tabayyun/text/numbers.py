"""Numbers stated in text: digits of any script, number words, multipliers, fractions, percents, vague amounts, and
whether a figure is stated as a bound or an approximation ("14 على الأقل", "نحو 100")."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from tabayyun.text._lexicon import (ALL_CLITICS, CONJ_CLITICS, PhraseMatcher, clitic_variants, data_rows, joined_flags,
                                    scan, word_set)
from tabayyun.text.normalize import normalize_ar, normalize_digits
from tabayyun.text.social import mask_social
from tabayyun.text.tokens import Token, tokenize

__all__ = ["NumberMention", "extract_numbers", "parse_number", "designations", "measures"]


@dataclass(frozen=True, slots=True)
class NumberMention:
    """A number and its span in the original text; kind is cardinal | fraction | percent | approx; bound is exact,
    min (at least, more than), max (at most, less than) or about (an approximation: نحو, حوالي, قرابة)."""

    value: float
    start: int
    end: int
    text: str
    kind: str
    bound: str = "exact"


@dataclass(frozen=True, slots=True)
class _Word:
    value: float
    cls: str
    conj: bool  # written with a leading و ("وعشرين")


_ROWS = data_rows("numbers.tsv")
_PERCENT = PhraseMatcher((r[0], True) for r in _ROWS if r[2] == "percent")
_LEXICON = {normalize_ar(r[0]): (float(r[1]), r[2]) for r in _ROWS if r[2] != "percent"}
_ARTICLE_OK = {"approx", "plural", "fraction"}  # "المئات", "الآلاف", "الثلث"; but "الاثنين" is Monday
_FRACTION_SUFFIXES = ("هما", "هم", "هن", "ها", "كم", "ه")
_BOUND_ROWS = data_rows("number_bounds.tsv")
_BOUNDS_BEFORE = PhraseMatcher(((r[0], r[1]) for r in _BOUND_ROWS if r[2] != "after"), CONJ_CLITICS)
_BOUNDS_AFTER = PhraseMatcher(((r[0], r[1]) for r in _BOUND_ROWS if r[2] != "before"), CONJ_CLITICS)
_BOUND_REACH = 3  # words after a number where a bound may stand ("14 شخصا على الأقل": the counted noun between)
_BEFORE_REACH = 4  # the longest phrase before a number ("ما لا يقل عن")
_PERCENT_SIGN = re.compile(r"[ \t]?%")
_DESIGNATION_ROWS = data_rows("designations.tsv")
_LETTERS = "|".join(sorted((re.escape(r[0]) for r in _DESIGNATION_ROWS if r[1] == "letter"), key=len, reverse=True))
_CUES = "|".join(re.escape(r[0]) for r in _DESIGNATION_ROWS if r[1] == "cue")
_DASH = "[-\u2010\u2011]"
# Figures that name, not count: glued to a Latin letter or after one and a dash ("F16", "S-400", "Tu-22M3"), after
# any word and a dash ("سو-24", "كوفيد-19"), glued before a Latin letter and a figure ("22M3"), next to a Latin
# letter spelled in Arabic ("إف 16", "22 إم 3"), or within the two words after a word for a model ("طراز 737").
_DESIGNATIONS = tuple(re.compile(p) for p in (
    rf"(?<=[A-Za-z]){_DASH}?(\d+)",
    rf"(?<=[^\W\d_]){_DASH}(\d+)",
    r"(\d+)(?=[A-Za-z]+\d)",
    rf"(?<!\S)[وب]?(?:{_LETTERS})\s*{_DASH}?\s*(\d+)",
    rf"(\d+)\s*{_DASH}?\s*(?:{_LETTERS})\s*{_DASH}?\s*\d",
    rf"(?<!\S)[وب]?(?:ال)?(?:{_CUES})\s+(?:[^\s\d]+\s+){{0,2}}[^\s\d]*(\d+)",
))
# The dash between the two sides of a result or a tally ("5-1", "(3 - 0)", "صفر - ستة"), and the word zero, a side
# that the lexicon does not count.
_SCORE_DASH = re.compile(r"\s?[-–]\s?")
_ZERO = re.compile(r"(?<!\w)صفر(?!\w)")
# Order of magnitude of a component; a component joined by و must fit Arabic order:
# thousands و hundreds و units و tens ("ثلاثة آلاف وخمسمئة وخمسة وعشرون").
_RANK = {"digits": 0, "unit": 0, "ten": 0, "tens": 1, "hundred": 2, "scale": 3, "dual": 3, "plural": 3}


def parse_number(digits: str) -> float:
    """Value of a digit string with separators, any script: "60,000" -> 60000, "2.5" -> 2.5, "٦٠٠٠" -> 6000."""
    s = normalize_digits(digits)
    if "," in s and "." in s:
        return float(s.replace(",", ""))
    for sep in ",.":
        groups = s.split(sep)
        if len(groups) > 1:
            thousands = all(len(g) == 3 for g in groups[1:]) and (sep == "," or len(groups) > 2)
            if thousands or len(groups) > 2:
                return float("".join(groups))
            return float(".".join(groups))
    return float(s)


def _lookup(form: str) -> tuple[float, str] | None:
    entry = _LEXICON.get(form)
    if entry is None and form.startswith("ال"):
        bare = _LEXICON.get(form[2:])
        entry = bare if bare is not None and bare[1] in _ARTICLE_OK else None
    if entry is None:
        for suffix in _FRACTION_SUFFIXES:
            if form.endswith(suffix):
                bare = _LEXICON.get(form[:-len(suffix)])
                if bare is not None and bare[1] == "fraction":
                    return bare
    return entry


def _word(token: Token) -> _Word | None:
    """Lexicon entry of a token: digits, or a number word with optional proclitics."""
    norm = token.norm
    if token.is_number:
        return _Word(parse_number(norm), "digits", False)
    for form in clitic_variants(norm, ALL_CLITICS):
        entry = _lookup(form)
        if entry is not None:
            return _Word(entry[0], entry[1], norm[:1] == "و" and form == norm[1:])
    return None


class _Parser:
    """Left-to-right reader of one number expression over the tokens of ``text`` (the masked text)."""

    def __init__(self, text: str, tokens: Sequence[Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.words = [_word(t) for t in tokens]
        self.joined = joined_flags(text, tokens)
        self.norms = [t.norm for t in tokens]

    def _next(self, j: int) -> tuple[int, _Word | None, bool]:
        """The word after token j: (index, entry, joined by و), skipping a free-standing و."""
        k = j + 1
        if k >= len(self.tokens) or not self.joined[j]:
            return k, None, False
        if self.norms[k] == "و" and k + 1 < len(self.tokens) and self.joined[k]:
            w = self.words[k + 1]
            return k + 1, w, w is not None
        w = self.words[k]
        return k, w, w is not None and w.conj

    def _definite_teen(self, i: int) -> tuple[int, float, str] | None:
        """"الستة عشر" (the sixteen): a unit takes the article only in a teen, not alone ("الاثنين" is Monday)."""
        bare = _LEXICON.get(self.norms[i][2:]) if self.norms[i].startswith("ال") else None
        if bare is None or bare[1] not in ("unit", "teen_unit"):
            return None
        k, w, conj = self._next(i)
        return (k, bare[0] + 10, "cardinal") if w is not None and w.cls == "ten" and not conj else None

    def read(self, i: int) -> tuple[int, float, str] | None:
        """(last token index, value, kind) of the expression starting at token i, or None."""
        first = self.words[i]
        if first is None:
            return self._definite_teen(i)
        if first.cls == "fraction":
            k, w, conj = self._next(i)
            if w is not None and w.cls == "scale" and not conj:
                return k, first.value * w.value, "cardinal"  # "نصف مليون"
            return i, first.value, "fraction"
        if first.cls in ("approx", "plural"):
            k, w, _ = self._next(i)
            if w is not None and w.cls in ("approx", "plural") and w.value > first.value:
                return k, first.value * w.value, "approx"  # "مئات الآلاف"
            return i, first.value, "approx"
        if first.cls == "teen_unit":
            k, w, conj = self._next(i)
            if w is None or w.cls != "ten" or conj:
                return None
            return k, first.value + 10, "cardinal"
        total, current, rank, j = 0.0, first.value, _RANK[first.cls], i
        if first.cls in ("scale", "plural"):
            total, current = first.value, 0.0
        elif first.cls == "dual":
            total, current = 2 * first.value, 0.0
        while True:
            k, w, conj = self._next(j)
            if w is None or w.cls in ("fraction", "approx", "teen_unit"):
                break
            new_rank = _RANK[w.cls]
            if conj and w.cls != "digits" and (rank >= 2 and new_rank < rank or rank == 0 and new_rank == 1):
                current += w.value
            elif not conj and w.cls in ("scale", "plural") and current > 0:
                total, current = total + current * w.value, 0.0
            elif not conj and w.cls == "hundred" and w.value == 100 and 0 < current < 10:
                current *= 100  # "ثلاث مئة"
            elif not conj and w.cls == "ten" and first.cls == "unit" and j == i:
                current += 10  # "ثلاثة عشر"
            else:
                break
            rank, j = new_rank, k
        return j, total + current, "cardinal"

    def percent_end(self, j: int) -> int | None:
        """End offset of a percent marker right after token j ("%", "٪", "في المئة", "بالمئة")."""
        end = self.tokens[j].end
        sign = _PERCENT_SIGN.match(normalize_digits(self.text[end:end + 2]).replace("٪", "%"))
        if sign is not None:
            return end + sign.end()
        if j + 1 < len(self.tokens) and self.joined[j]:
            hit = _PERCENT.match_at(self.norms, self.joined, j + 1)
            if hit is not None:
                return self.tokens[j + hit[0]].end
        return None

    def bound(self, i: int, j: int) -> str:
        """How the number on tokens i..j is stated: a bound word right before it, or one of the next
        ``_BOUND_REACH`` words after it with nothing but words between ("exact" when none)."""
        for k in range(max(0, i - _BEFORE_REACH), i):
            hit = _BOUNDS_BEFORE.match_at(self.norms, self.joined, k)
            if hit is not None and k + hit[0] == i and self.joined[i - 1]:
                return str(hit[1])
        for k in range(j + 1, min(j + 1 + _BOUND_REACH, len(self.tokens))):
            if not self.joined[k - 1] or self.words[k] is not None:
                break
            hit = _BOUNDS_AFTER.match_at(self.norms, self.joined, k)
            if hit is not None:
                return str(hit[1])
        return "exact"


def extract_numbers(text: str) -> list[NumberMention]:
    """Every number mention in ``text``, with offsets into it (ordinals such as "ثالثا" are not numbers); digits
    in links, mentions and emoji are not numbers."""
    masked = mask_social(text)
    tokens = tokenize(masked)
    parser = _Parser(masked, tokens)

    def read(i: int) -> tuple[int, NumberMention] | None:
        found = parser.read(i)
        if found is None:
            return None
        j, value, kind = found
        start, end = tokens[i].start, tokens[j].end
        if kind == "cardinal":
            percent = parser.percent_end(j)
            if percent is not None:
                end, kind = percent, "percent"
        return j + 1, NumberMention(value, start, end, text[start:end], kind, parser.bound(i, j))

    return scan(len(tokens), read)


def measures(text: str, mentions: Sequence[NumberMention]) -> list[str | None]:
    """What each of ``mentions`` (``extract_numbers(text)``) measures, for comparing figures: its kind, or "score"
    for a side of a result or a tally of two small figures ("5-1", "(3 - 0)", "صفر - ستة"), "margin" for a
    difference between two counts ("بفارق 5 نقاط", "متفوقا بخمسة أهداف": five ahead, not five in all;
    ``margin_cues.txt``), or None for a fraction word that names a stage of a competition ("ربع النهائي", "نصف
    النهائي": ``fraction_names.txt``)."""
    masked = mask_social(text)
    tokens = tokenize(masked)
    joined = joined_flags(masked, tokens)
    scores = _score_sides(masked, mentions)
    stages, cues = word_set("fraction_names.txt"), word_set("margin_cues.txt")
    out: list[str | None] = []
    for m in mentions:
        first = next(i for i, t in enumerate(tokens) if t.end > m.start)
        last = max(i for i, t in enumerate(tokens) if t.start < m.end)
        if m.kind == "fraction" and last + 1 < len(tokens) and joined[last] and tokens[last + 1].norm in stages:
            out.append(None)
        elif m.start in scores:
            out.append("score")
        elif m.kind == "cardinal" and first > 0 and joined[first - 1] and not cues.isdisjoint(
                clitic_variants(tokens[first - 1].norm, CONJ_CLITICS)):
            out.append("margin")
        else:
            out.append(m.kind)
    return out


def _score_sides(text: str, mentions: Sequence[NumberMention]) -> set[int]:
    """Start offsets of the ``mentions`` that are a side of a result or a tally: two small whole counts (or one and the
    word zero) joined by a dash alone, not within a longer chain of them (a date: "12-3-2018")."""
    sides = sorted([(m.start, m.end, m.kind == "cardinal" and m.value.is_integer() and m.value < 100)
                    for m in mentions] + [(z.start(), z.end(), True) for z in _ZERO.finditer(text)])
    dashed = [_SCORE_DASH.fullmatch(text[a[1]:b[0]]) is not None for a, b in zip(sides, sides[1:])]
    out: set[int] = set()
    for i, (a, b) in enumerate(zip(sides, sides[1:])):
        chained = (i > 0 and dashed[i - 1]) or (i + 1 < len(dashed) and dashed[i + 1])
        if dashed[i] and a[2] and b[2] and not chained:
            out.update((a[0], b[0]))
    return out


def designations(text: str) -> list[tuple[int, int]]:
    """Spans of the figures in ``text`` that belong to a designation: a model, a weapon system, a strain ("Tu-22M3",
    "إف 16", "منظومة إس-400", "طائرة من طراز 737"). They name a thing; they are no amount of anything."""
    return sorted({m.span(1) for pattern in _DESIGNATIONS for m in pattern.finditer(text)
                   if not _after_number_word(text, m.start(1))})


def _after_number_word(text: str, start: int) -> bool:
    """Whether the figure at ``start`` follows a number word and a dash: a score ("صفر-1"), not a name."""
    word = re.search(rf"(\w+){_DASH}$", text[max(0, start - 20):start])
    if word is None:
        return False
    form = normalize_ar(word.group(1))
    return form == "صفر" or _lookup(form) is not None  # zero is no amount in the lexicon, but a score's half
