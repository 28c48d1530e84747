"""Split a post or article into atomic claims with character offsets into the original text.

Enumerated items (اولا، ثانيا ... / 1- 2- / bullets) become one claim each, even when an item runs
over several sentences' worth of text; everything else is cut at sentence boundaries. Enumerators
at the start of a line always count; inside a line only an ordered run of them does (اولا ... ثانيا,
1- ... 2-). A sentence or item that joins several facts with commas is then cut into its clauses,
conservatively: see ``_clauses``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from tabayyun.records import Claim
from tabayyun.text import (NumberMention, Token, extract_dates, extract_numbers, is_stopword, normalize_ar,
                           predicate_classes, split_sentences, tokenize)

__all__ = ["split_claims", "ENUMERATOR"]

_ORDINAL_WORDS = ("أول", "ثاني", "ثالث", "رابع", "خامس", "سادس", "سابع", "ثامن", "تاسع", "عاشر")
_RANKS = {normalize_ar(w): rank for rank, w in enumerate(_ORDINAL_WORDS, 1)}
# Ordinal adverbs: اولا، أولاً، وثانيا ...
_ORDINAL = r"[وف]?(?P<ord>[اأإآ]ول|" + "|".join(_ORDINAL_WORDS[1:]) + r")(?:اً|ًا|ا)"
_DIGIT = r"[0-9\u0660-\u0669\u06f0-\u06f9]"
_BULLETS = "•▪◦"
# An enumerator at the start of a line: an ordinal adverb, a number with - . ) or a bullet.
ENUMERATOR = re.compile(
    r"(?m)^[ \t\u200f\u200e]*(?:"
    + _ORDINAL + r"(?=[\s:،,\-–])"
    r"|(?P<num>" + _DIGIT + r"{1,2})\s*(?P<sep>[-.)–])"  # 1- 2. 3)
    r"|(?P<bullet>[-*" + _BULLETS + r"])"
    r")[\s:،,\-–]*"
)
# The same inside a line, stricter: not part of a word, a score (2-1), a date (2019-03-19) or a range (10-15).
_INLINE = re.compile(
    r"(?<![\w.,/:\-–])(?:"
    + _ORDINAL + r"(?=[ \t]*[:،,\-–]|[ \t]+[^\W\d_])"
    r"|(?P<num>" + _DIGIT + r"{1,2})[ \t]*(?P<sep>[-.)–])(?=[ \t]*[^\W\d_])"
    r"|(?P<bullet>[" + _BULLETS + r"])"
    r")[ \t:،,\-–]*"
)
_ANCHORS = ".!?؟…:؛;،,\n\"'“”«»()[]"  # what may stand before the first enumerator of an inline run
_MIN_ITEM_WORDS = 3  # each item of an inline run
_MIN_CHARS = 6


@dataclass(frozen=True, slots=True)
class _Mark:
    """An enumerator: ``start``/``end`` delimit the marker itself; ``rank`` is 0 for bullets."""

    start: int
    end: int
    kind: str  # ordinal | number | bullet
    rank: int
    line_initial: bool
    can_open: bool  # may head an inline run


def _mark(text: str, m: re.Match[str], line_initial: bool) -> _Mark:
    if m.group("ord"):
        kind, rank = "ordinal", _RANKS[normalize_ar(m.group("ord"))]
    elif m.group("num"):
        kind, rank = "number", int(m.group("num"))  # int() reads Arabic-Indic digits too
    else:
        kind, rank = "bullet", 0
    before = text[:m.start()].rstrip(" \t")
    ambiguous = kind == "ordinal" or m.group("sep") == "."  # "وصل ثانيا", "ارتفع إلى 2."
    can_open = line_initial or not ambiguous or not before or before[-1] in _ANCHORS
    return _Mark(m.start(), m.end(), kind, rank, line_initial, can_open)


def _not_an_enumerator(text: str, m: re.Match[str]) -> bool:
    """An inline ordinal used as an adverb (a function word follows it with no punctuation: "ثانيا في السباق"),
    or a number that is half of a score written with a word ("1-صفر", "2 - واحد")."""
    after = tokenize(text[m.end():m.end() + 30])
    if not after:
        return False
    if m.group("ord"):
        punctuated = any(c in ":،,-–" for c in text[m.end("ord"):m.end()])
        return not punctuated and is_stopword(after[0].norm)
    return bool(m.group("num")) and (after[0].norm == "صفر" or bool(extract_numbers(after[0].text)))


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end == -1 else end


def _enumerators(text: str) -> list[_Mark]:
    """Line-initial enumerators, and inline ones that belong to an ordered run on one line with long enough items."""
    line_marks = [_mark(text, m, True) for m in ENUMERATOR.finditer(text)]
    taken = {m.start for m in line_marks}
    inline = [_mark(text, m, False) for m in _INLINE.finditer(text)
              if not any(h.start <= m.start() < h.end for h in line_marks) and not _not_an_enumerator(text, m)]
    marks = sorted(line_marks + inline, key=lambda k: k.start)
    runs: list[list[_Mark]] = []
    last: dict[str, list[_Mark]] = {}
    for mark in marks:
        run = last.get(mark.kind)
        if (run is not None and (mark.kind == "bullet" or mark.rank == run[-1].rank + 1)
                and (mark.line_initial or "\n" not in text[run[-1].start:mark.start])):
            run.append(mark)
        else:
            last[mark.kind] = run = [mark]
            runs.append(run)
    for run in runs:
        head = run[0]
        if len(run) < 2 or not head.can_open or head.kind != "bullet" and head.rank != 1:
            continue
        ends = [m.start for m in run[1:]] + [_line_end(text, run[-1].end)]
        if all(len(tokenize(text[m.end:min(end, _line_end(text, m.end))])) >= _MIN_ITEM_WORDS
               for m, end in zip(run, ends)):
            taken.update(m.start for m in run)
    return [m for m in marks if m.start in taken]


def _segments(text: str) -> list[tuple[int, int]]:
    """Spans of enumerated items, and sentence spans of any text outside them."""
    marks = _enumerators(text)
    if not marks:
        return split_sentences(text)
    spans: list[tuple[int, int]] = []
    spans.extend(split_sentences(text[:marks[0].start]))
    for i, mark in enumerate(marks):
        end = marks[i + 1].start if i + 1 < len(marks) else len(text)
        item_end = text.find("\n\n", mark.end, end)
        spans.append((mark.end, end if item_end == -1 else item_end))
        if item_end != -1:  # a paragraph after the last item is ordinary text again
            spans.extend((item_end + s, item_end + e) for s, e in split_sentences(text[item_end:end]))
    return spans


# --- compound sentences -------------------------------------------------------------------------------
_BREAK = re.compile(r"[،؛;]|,(?!\d)")  # not the thousands separator of "60,000"


def _words(*phrases: str) -> frozenset[str]:
    """The normalised words of space-separated word lists."""
    return frozenset(normalize_ar(w) for p in phrases for w in p.split())


# Words that open a dependent clause, never a fact of its own: prepositions and adverbs ("، في عام 2014"),
# relatives ("، التي تضم 30 ..."), subordinators ("، إن القوات ...", "، عندما ..."), exceptives, pronouns,
# circumstantial participles ("، مشيرا إلى ...").
_DEPENDENT = _words(
    "في على عن إلى الى من حتى منذ خلال بعد قبل عند مع رغم وسط حسب وفق وفقا طبقا نقلا اعتبارا ابتداء بدءا",
    "نحو لدى عبر دون تحت فوق أمام وراء داخل خارج حيث إثر اثر عقب جراء ضمن مقابل لمدة",
    "الذي التي الذين اللذين اللذان اللتين اللتان اللواتي اللاتي ما مما من ممن",
    "إن أن ان إنه أنه انه إنها أنها انها إنهم أنهم انهم كي لكي إذ إذا اذا لو لكن بل أو او أي ثم",
    "عندما حينما حين لما كلما طالما بعدما مثلما",
    "غير غيره غيرها غيرهم سوى إلا الا عدا خاصة خصوصا تحديدا سيما لاسيما أيضا ايضا كذلك",
    "هو هي هم هن هما هذا هذه هذان هاتان ذلك تلك هؤلاء أولئك هنا هناك",
    "مشيرا مضيفا موضحا مؤكدا قائلا معتبرا لافتا معربا مشددا منوها",
)
# Words that report a source or a view rather than a fact ("، كما قال الوزير", "، فيما يبدو").
_ATTRIBUTION = _words("قال قالت ذكر ذكرت أفاد أفادت أوضح أوضحت أشار أشارت أكد أكدت نقل نقلت أضاف أضافت صرح صرحت",
                      "يبدو بدا")
_NOT_AFTER_CONNECTIVE = _DEPENDENT | _ATTRIBUTION
# Connectives that open a new clause after a comma, as word sequences (a leading و/ف is allowed).
_CONNECTIVES = tuple(tuple(normalize_ar(p).split()) for p in ("كما", "فيما", "بينما", "في حين", "في الوقت الذي"))
# Partitives that open a quantity of what the clause before counted ("، بينهم 3 أطفال", "، ومن بينهم 5000").
_PARTITIVES = _words("بينهم بينهن بينها منهم منهن منها معظمهم معظمها أغلبهم أغلبها غالبيتهم بعضهم بعضها",
                     "أكثرهم جميعهم كلهم")
# Quantifiers that, after و, coordinate a noun phrase rather than open a clause ("، وعدة ملايين").
_QUANTIFIERS = _words("عدة بضع بضعة أكثر أقل قرابة حوالي")
_MIN_CLAUSE_WORDS = 3


def _variants(norm: str) -> tuple[str, ...]:
    """A normalised word, and the word without a leading conjunction و/ف ("وفي" -> "في")."""
    return (norm, norm[1:]) if norm[:1] in "وف" and len(norm) > 2 else (norm,)


def _dependent(norm: str) -> bool:
    """A word that opens a dependent clause, or a long word with the preposition ب/ل ("بمشاركة", "ليصبح")."""
    return norm in _DEPENDENT or (norm[:1] in "بل" and len(norm) >= 5 and not norm.startswith(("بين", "بعض")))


def _opens_dependent(words: tuple[str, ...]) -> bool:
    """Normalised words that are empty or open a dependent clause (also after و/ف: "وفي عام 2014")."""
    return not words or any(_dependent(v) for v in _variants(words[0]))


def _nominal(word: str) -> bool:
    """A word (as written) that reads as a noun or a modifier, not as a verb opening a clause: the article,
    a participle's م, a feminine ة, an accusative ending in ا ("وقرضا"), a verbal noun ("ارتفاع", "هبوط",
    "تصنيع"), a number or a quantifier."""
    norm = normalize_ar(word)
    if not norm or word.startswith(("ال", "م")) or word.endswith("ة") or norm[0].isdigit():
        return True
    accusative = len(norm) >= 4 and norm.endswith("ا") and not norm.endswith(("وا", "نا"))
    verbal_noun = (len(norm) >= 4 and norm[-2] in "او" and norm[-1] != "ا" and not word.startswith("أ")
                   or len(norm) == 5 and norm[0] == "ت" and norm[-2] == "ي")
    return accusative or verbal_noun or norm in _QUANTIFIERS or _dependent(norm)


def _key_verb(word: str) -> bool:
    """A listed key predicate (as written) in the shape of a verb ("أغلقت", "وانسحبوا"), not a noun ("إغلاق",
    "ومقتل")."""
    bare = word[1:] if word[:1] in "وف" else word
    return not (_nominal(word) or _nominal(bare)) and bool(predicate_classes(normalize_ar(word)))


@dataclass(frozen=True, slots=True)
class _Chunk:
    """Text between two commas, with what decides whether a claim may start or end there."""

    start: int
    end: int
    words: tuple[str, ...]  # normalised, without a free-standing leading و/ف
    after_and: str  # the word after a leading و (free-standing or attached), as written; "" without one
    numbers: int  # number mentions outside dates
    lead: str  # kind of the number mention that starts the chunk ("fraction" for "نصفهم"), or ""
    verb: bool  # has a key predicate in the shape of a verb

    @property
    def dependent(self) -> bool:
        return _opens_dependent(self.words)

    @property
    def elliptical(self) -> bool:
        """Opens with a partitive or a fraction of what came before ("بينهم", "ومن بينهم", "نصفهم")."""
        if not self.words:
            return False
        if self.lead == "fraction":
            return self.words[0].endswith(("هم", "هن", "ها", "هما"))
        first = _variants(self.words[0])
        second = self.words[1] if len(self.words) > 1 else ""
        return any(w in _PARTITIVES or w == "من" and second in _PARTITIVES for w in first)

    def states_fact(self) -> bool:
        """Independent (or elliptical) with a number, or independent with a key verb: may be (part of) a claim."""
        return (self.numbers > 0 and self.elliptical) or (not self.dependent and (self.numbers > 0 or self.verb))

    def opens_fact(self) -> bool:
        """May start a new claim: a connective then a clause; an elliptical clause with its own number
        ("نصفهم", "ومن بينهم 5000"); or و then a verb-like word and its own number, or a key verb."""
        if len(self.words) < _MIN_CLAUSE_WORDS:
            return False
        for first in _variants(self.words[0]):
            words = (first, *self.words[1:])
            for connective in _CONNECTIVES:
                if words[:len(connective)] == connective:
                    rest = words[len(connective):]
                    return (len(rest) >= 2 and rest[0] not in _NOT_AFTER_CONNECTIVE
                            and (self.numbers > 0 or len(rest) >= _MIN_CLAUSE_WORDS))
        if self.numbers > 0 and self.elliptical:
            return True
        if not self.after_and or self.lead or self.dependent or _nominal(self.after_and):
            return False  # an apposition ("، المتحدث باسم"), a modifier, a list ("، و80 في الجيزة")
        return self.numbers > 0 or _key_verb(self.after_and)


def _chunk(start: int, end: int, tokens: list[Token], numbers: list[NumberMention]) -> _Chunk:
    """The chunk ``start:end`` of a sentence, from the sentence's tokens and numbers (outside dates)."""
    tokens = [t for t in tokens if start <= t.start < end]
    numbers = [n for n in numbers if start <= n.start < end]
    if tokens and tokens[0].norm in ("و", "ف"):
        after_and = tokens[1].text if tokens[0].norm == "و" and len(tokens) > 1 else ""
        tokens = tokens[1:]
    else:
        after_and = tokens[0].text[1:] if tokens and tokens[0].norm[:1] == "و" else ""
    words = tuple(t.norm for t in tokens)
    lead = numbers[0].kind if tokens and numbers and numbers[0].start == tokens[0].start else ""
    # A key verb only matters to an independent chunk without a number (``states_fact``): look no further.
    verb = not numbers and not _opens_dependent(words) and any(_key_verb(t.text) for t in tokens)
    return _Chunk(start, end, words, after_and, len(numbers), lead, verb)


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a sentence at commas (، , ؛) that join separate facts.

    A cut needs the claim so far to have at least three words and an independent part with a number or a
    key predicate, and the clause after the comma to have at least three words and open a fact of its own
    (``_Chunk.opens_fact``). Appositions, relative clauses, complements and adverbials stay attached. An
    elliptical clause ("، بينهم 3 أطفال") is cut off only at the end of the sentence or before another cut,
    so that it never carries away adjuncts of the clause it counts from.
    """
    cuts = [m.start() for m in _BREAK.finditer(text, start, end)]
    if not cuts:
        return [(start, end)]
    piece = text[start:end]
    tokens = [Token(t.text, start + t.start, start + t.end, t.norm) for t in tokenize(piece)]
    numbers = extract_numbers(piece)
    dates = extract_dates(piece) if numbers else []
    numbers = [replace(n, start=start + n.start, end=start + n.end) for n in numbers
               if not any(d.start <= n.start < d.end for d in dates)]
    chunks = [_chunk(a, b, tokens, numbers) for a, b in zip([start] + [c + 1 for c in cuts], cuts + [end])]
    opens = [c.opens_fact() for c in chunks] + [True]
    spans: list[tuple[int, int]] = []
    claim = [chunks[0]]
    for i, chunk in enumerate(chunks[1:], 1):
        if (opens[i] and (opens[i + 1] or not chunk.elliptical)
                and sum(len(c.words) for c in claim) >= _MIN_CLAUSE_WORDS and any(c.states_fact() for c in claim)):
            spans.append((claim[0].start, claim[-1].end))
            claim = []
        claim.append(chunk)
    spans.append((claim[0].start, claim[-1].end))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span to exclude surrounding white space, trailing ellipses and dangling punctuation."""
    while start < end and (text[start].isspace() or text[start] in "-–—:،,؛;.*•\ufe0f"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "…-–—:،,؛;"):
        end -= 1
    return start, end


def split_claims(text: str) -> list[Claim]:
    """Atomic claims of ``text``, in order; ``checkworthiness`` is left at its default for the scorer."""
    claims = []
    for segment in _segments(text):
        for start, end in _clauses(text, *segment):
            start, end = _trim(text, start, end)
            if end - start >= _MIN_CHARS:
                claims.append(Claim(text=text[start:end], span=(start, end)))
    return claims
