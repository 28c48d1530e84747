"""Signals between a claim and one evidence text: what they share, and what the evidence contradicts.

These are the facts a person reads in a verdict's reasons ("number mismatch: claim 500, evidence
157"). Two questions decide every stance (``CheckedStance``):

- ``Signals.about``: is the evidence about the *same thing* as the claim (a shared actor with shared
  wording, or a near-paraphrase), not merely the same topic?
- ``Signals.mismatches``: what it states that is incompatible with the claim: a figure of the same kind
  for the same quantity that the claim's cannot hold beside (bounds and approximations read as such),
  another year (a figure or a year only where both name an entity or each restates half of the other), the
  opposite action (neither negated) or the negation of the same predicate or word, each with an entity or two terms
  next to it shared (the same actor or object; else set aside in ``Signals.aside``, as is a negation in a condition),
  another actor in an otherwise identical statement, a word turned into its opposite, or a denial (a narrated
  denial of another act of the claim's people set aside: ``_denies_another_act``).
``Signals.stated_mismatches`` keeps those that count: all of them for evidence about the same thing,
an opposite action about an actor both name, a report called false ("عار عن الصحة") that restates
enough of the claim. ``Signals.states`` tells evidence that states the claim's content.
"""
from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from tabayyun.memory import TextMemory
from tabayyun.records import Evidence
from tabayyun.text import (OPPOSITES, EntityMention, Token, analyze, antonym_sides, designations, entity_aliases,
                           extract_entities, extract_numbers, find_attributed, find_denials, find_formulae, find_hedges,
                           is_dateline, measures, nested, normalize_ar, place_parent, predicate_classes,
                           predicate_mentions, predicate_polarity, qualifier_classes, stated_years, tokenize, within)
from tabayyun.text._lexicon import CONJ_CLITICS, WORD_CACHE, clitic_variants, data_rows, word_set

__all__ = ["Signals", "compare", "weigh", "TextFacts", "FACTS", "facts", "facts_version", "facts_fields",
           "facts_from_fields", "RELATED_AT", "STATES_COSINE"]

RELATED_AT = 0.3  # share of the claim's terms a text needs to be about the same thing (with a shared entity)
PARAPHRASE_AT = 0.5  # share of the claim's terms a text without a shared entity needs
CONTAINED_AT = 0.6  # share of the evidence's terms found in the claim: the evidence restates part of a long post
SAME_WORDING_AT = 0.75  # share of the claim's words (entities aside) that make "the same statement"
# multilingual-e5-small cosine from which two texts say the same thing (a paraphrase, not a topic):
# on AuRED folds 1-2 evidence stating a rumour reaches 0.91-0.95, same-topic lines 0.88-0.90.
STATES_COSINE = 0.905
PARAPHRASE_COSINE = 0.94  # from which a text that shares less of the claim's wording restates it ...
PARAPHRASE_OVERLAP = 0.4  # ... if it shares this much of the claim's terms
_MAX_SWAP = 3  # words each side may have that the other lacks, for "the same statement, a word replaced"
_MIN_SHARED = 2  # content terms both must state, at the least, to be about the same thing
# A denial restates the report it denies loosely ("ما يشاع عن ... عار عن الصحة"): it needs this many
# shared terms and this share of the claim's (or its own) terms.
DENIAL_SHARED, DENIAL_AT, DENIAL_CONTAINED_AT = 3, 0.25, 0.3
DENIAL_COVERS = 0.5  # or: half of what a denial denies (the words after its cue) is stated by the claim
# A narrated denial in a text about the claim counts when this share of what it denies is the claim's words (unifiedfc
# folds 1-3: «تنفي ... انسحاب القوات الروسية من عفرين» 0.36, «نفت مصادر ... مقتل زعيم تنظيم الدولة» 0.30 deny the
# claim; «نفى التحالف مسؤوليته عن قصف» 0.23 denies its own part, not the claimed toll)
DENIAL_ABOUT_COVERS = 0.3
# A negated verb of saying ("لم تذكر وسائل الإعلام شيئا عن ...") is about what was (not) said: against a text that
# affirms the verb, a contradiction only when that text states this share of what was said.
SAID_COVERS = 0.5
# A denial of a text that names no entity of the claim contradicts only when this many of the claim's report terms
# (words of attribution and of a report's medium aside: "بيان", "موقع") stand in the clauses of its cues
# ("ما يشاع عن ... عار عن الصحة"), not elsewhere in the text ("الأهداف المحتسبة على نحو غير صحيح" beside a report on
# the same matches).
DENIAL_NEAR = 2

APPROX = 0.15  # how far from its figure an approximation ("نحو 100") may be: 105 is about 100, 137 is not
# A floor ("14 على الأقل", "أكثر من 60 ألف") allows a toll that rose since (22 at least), not another order of
# magnitude: "أكثر من 6 آلاف" is no floor of a count of more than 60,000.
FLOOR_REACH = 3.0
_TOLERANCE = 0.02  # figures this close are the same figure (rounding)
_BOUND_WORDS = {"min": "at least ", "max": "at most ", "about": "about "}
_NEIGHBOURS = 2  # words on each side of a number that say what it counts
_FRAME = 4  # words on each side of a predicate, within its clause, that name who acts and on what
# An opposite action or a negated word speaks of the claim's actor or object when the words around it on both sides
# share an entity or this many terms: one topic word ("انخفض الدولار لثالث جلسة" against "ارتفع مؤشر الدولار إلى
# أعلى مستوياته") is another event's.
_FRAME_SHARED = 2
# Verbal negators whose next word is the negated predicate ("لم تفرج", "ليس مديرا").
_NEGATORS = frozenset({"لم", "لن", "لا", "ليس", "ليست", "ليسوا", "لسنا", "لست"})
_NOT_NEGATED = frozenset({"يزال", "تزال", "يزالون", "تزالون", "نزال", "ازال", "بد", "سيما", "شك", "يخفي",
                          "زال", "زالت"})
_EXCEPT = frozenset({"سوي", "الا", "غير"})  # after a negator: "not ... except", a restriction, not a negation
_EXCEPT_REACH = 4
_HEAD_REACH = 8  # words before a claim's first colon that can be its head ("الوزير لقناة ...:"), who speaks
_SOURCE_REACH = 4  # words after "المنسوب إلى" that name who a report is attributed to
_DENIED_REACH = 12  # words after a verb of denial that say what is denied (up to the end of its clause)
_IMPERFECT = frozenset("يت")  # prefixes of a verb of the present tense ("يقول", "تهدد")
_IMPERFECT_LEN = 4  # such a verb of three root letters, once its conjunction is removed
_PUNCT = re.compile(r"[,.:;!?،؛؟]")  # ends a clause
_SENTENCE_END = re.compile(r"[.;!?؛؟\n]")  # ends the clause that holds a figure (``_clauses``)
# Two figures' clauses that share this share of the shorter's words, each with words the other lacks, are the same
# statement about two holders (``_other_holder``).
_TEMPLATE_AT = 0.5
_SKIP = frozenset({"قد", "يعد", "تعد", "يكن", "تكن", "يكون", "تكون", "بعد", "ان", "انه", "انها"})


@dataclass(frozen=True)
class _Number:
    value: float
    text: str
    kind: str  # cardinal | fraction | percent | approx | score | margin (``measures``): compared within a kind
    context: frozenset[str]
    bound: str = "exact"  # exact | min | max | about (``NumberMention.bound``)
    clause: frozenset[str] = frozenset()  # terms (and entities) of its clause (``_clauses``): whose figure it is

    def span(self) -> tuple[float, float]:
        """The values the figure allows: "14 على الأقل" from 14 up to ``FLOOR_REACH`` times 14, "نحو 100" 100 give or
        take ``APPROX`` (an exact figure give or take its rounding)."""
        margin = APPROX if self.bound == "about" else _TOLERANCE
        lo, hi = self.value * (1 - margin), self.value * (1 + margin)
        return (lo, hi * FLOOR_REACH) if self.bound == "min" else (0.0, hi) if self.bound == "max" else (lo, hi)

    def allows(self, other: _Number) -> bool:
        """Whether both figures can hold at once ("14 على الأقل" and "22 على الأقل" can; 100 and "more than 150"
        cannot)."""
        (lo, hi), (other_lo, other_hi) = self.span(), other.span()
        return lo <= other_hi and other_lo <= hi

    def line(self) -> str:
        """The figure as a reason states it ("at least 14")."""
        return f"{_BOUND_WORDS.get(self.bound, '')}{_format(self.value)}"


@dataclass(frozen=True)
class TextFacts:
    """What one text states, extracted once and compared many times."""

    terms: frozenset[str]  # stems of content words, and "@" + canonical id of each entity
    words: frozenset[str]  # stems of the content words outside entity names
    numbers: tuple[_Number, ...]
    years: frozenset[int]
    entities: dict[str, str]  # canonical id -> kind (PER | LOC | ORG | MISC)
    predicates: frozenset[str]
    polarity: dict[str, bool | None]  # per predicate class: negated, affirmed, or both (None)
    negated: frozenset[str]  # stems of words right after a verbal negator
    affirmed: frozenset[str]  # stems of content words that no negator governs
    denial: str  # the first cue that the text denies something ("عار عن الصحة", "نفى"), or ""
    says_false: bool  # a cue calls a report false ("عار عن الصحة"), not only a verb of denial
    denied_terms: frozenset[str]  # terms (and entities) of the words right after the first cue: what is denied
    denial_clauses: frozenset[str]  # terms (and entities) of the clauses around every denial cue: what it speaks of
    antonyms: dict[tuple[int, int], str]  # (antonym pair, side) -> the word stating it
    frames: dict[str, frozenset[str]]  # per predicate class: the terms (and entities) next to it: who does it to what
    hedge: str  # the first cue that the text reports something as unconfirmed or alleged ("أنباء عن", "يزعم"), or ""
    qualifiers: frozenset[str]  # classes of the words that qualify how much or how finally ("بالكامل" -> whole)
    denial_first_false: bool  # the first denial cue calls a report false ("عار عن الصحة")
    denial_reported: frozenset[str]  # terms of the clauses around the cues that call a report false
    denied_predicates: frozenset[str]  # key predicate classes of what the first cue denies (``_denied_clause``)
    report_item: frozenset[str]  # terms of the report a first report cue calls false, named before it


@lru_cache(maxsize=None)
def _listed_terms(name: str) -> frozenset[str]:
    """Terms of the words listed in ``text/data/NAME``, one a line."""
    return frozenset(term for row in data_rows(name) for term in _terms(row[0]))


def _attribution() -> frozenset[str]:
    """Terms of the words that say who reports (``attribution.txt``): a shared attribution ("نقلت الوكالة الروسية
    عن ... قوله") is no shared report."""
    return _listed_terms("attribution.txt")


def _format(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


@lru_cache(maxsize=1)
def _report_words() -> frozenset[str]:
    """Terms that say who reports or where (``attribution.txt``, ``report_media.txt``: "بيان", "نشر", "موقع"): the
    words of a denial's clause that name a report, not what it reports."""
    return _attribution() | _listed_terms("report_media.txt")


def _key(term: str) -> str:
    """A stem without a proclitic the stemmer left on ("لحادث" -> "حادث"), so spellings meet."""
    return term[1:] if len(term) >= 5 and term[0] in "وفبلك" else term


def _verb_forms(term: str) -> set[str]:
    """A negated imperfect verb and the perfect forms it may face ("يسجل" -> "سجل", "يصل" -> "وصل")."""
    if term[:1] not in "يتنا" or len(term) < 3:
        return {term}
    return {term, term[1:]} if len(term) >= 4 else {term, "و" + term[1:]}


def _negation_scope(norms: list[str]) -> tuple[set[int], set[int]]:
    """Indexes of the words a verbal negator governs (the next content word), and of those a negator governs in a
    condition ("في حال لم تضمن": a text's facts count them as negated, ``_word_frame`` tells them apart)."""
    out: set[int] = set()
    supposed: set[int] = set()
    for i, w in enumerate(norms):
        bare = w[1:] if w[:1] in "وف" and w[1:] in _NEGATORS else w
        if bare not in _NEGATORS:
            continue
        j = i + 1
        while j < len(norms) and j <= i + 2 and norms[j] in _SKIP:
            j += 1
        exceptive = any(w in _EXCEPT for w in norms[i + 1:i + 1 + _EXCEPT_REACH])  # "لم يسجل سوى 3": only
        if j < len(norms) and norms[j] not in _NOT_NEGATED and not exceptive:
            (supposed if i and norms[i - 1] in word_set("conditionals.txt") else out).add(j)
    return out, supposed


@lru_cache(maxsize=WORD_CACHE)
def _terms(word: str) -> tuple[str, ...]:
    """Index terms of one word, proclitics the stemmer left on removed (cached: words recur)."""
    return tuple(_key(term) for term in analyze(word))


def _frames(text: str, tokens: list[Token], entities: list[EntityMention]) -> dict[str, frozenset[str]]:
    """Per predicate class: the terms of the ``_FRAME`` words on each side of its mentions, within their clause,
    and the entities among them: the actor and the object of the action ("رفض عضو في حزب ميركل" -> عضو, حزب)."""
    frames: dict[str, set[str]] = {}
    for start, end, cls in predicate_mentions(text):
        inside = [i for i, t in enumerate(tokens) if start <= t.start < end]
        if not inside:
            continue
        frames.setdefault(cls, set()).update(_frame_terms(_near(tokens, text, inside[0], inside[-1]), entities))
    return {cls: frozenset(terms) for cls, terms in frames.items()}


def _near(tokens: list[Token], text: str, first: int, last: int) -> list[Token]:
    """The ``_FRAME`` tokens on each side of ``tokens[first:last + 1]``, within its clause."""
    lo, hi = first, last
    while lo > 0 and first - lo < _FRAME and not _PUNCT.search(text[tokens[lo - 1].end:tokens[lo].start]):
        lo -= 1
    while hi < len(tokens) - 1 and hi - last < _FRAME and not _PUNCT.search(text[tokens[hi].end:tokens[hi + 1].start]):
        hi += 1
    return tokens[lo:first] + tokens[last + 1:hi + 1]


def _frame_terms(near: list[Token], entities: list[EntityMention]) -> set[str]:
    """The terms of the ``near`` tokens (figures aside) and the entities among them."""
    return ({term for t in near for term in _terms(t.text) if not term.isdigit()}
            | {"@" + e.canonical for e in entities if any(e.start <= t.start < e.end for t in near)})


def _word_frame(text: str, term: str) -> tuple[frozenset[str], bool]:
    """The terms around every word of ``text`` whose term (or a perfect form of its negated verb) is ``term``, and
    whether every negation of it states a condition ("في حال لم تضمن")."""
    tokens = list(tokenize(text))
    entities = extract_entities(text)
    scope, supposed = _negation_scope([t.norm for t in tokens])
    out: set[str] = set()
    found: set[int] = set()
    for i, t in enumerate(tokens):
        if any(term in _verb_forms(own) for own in _terms(t.text)):
            out |= _frame_terms(_near(tokens, text, i, i), entities) - {term}
            found.add(i)
    return frozenset(out), bool(found & supposed) and not found & scope


def _same_frame(said: frozenset[str], found: frozenset[str]) -> bool:
    """Whether the words around a predicate in one text and around its opposite or negation in the other name the
    same actor or object: an entity of both, or ``_FRAME_SHARED`` terms."""
    shared = said & found
    return len(shared) >= _FRAME_SHARED or any(term.startswith("@") for term in shared)


def _clause(tokens: list[Token], text: str, start: int) -> list[Token]:
    """The ``tokens`` (which follow offset ``start``) up to the first punctuation after ``start``: the clause a cue
    there speaks of ("ينفي إيقاف اللقاح، وقال" -> إيقاف اللقاح; "بيان كاذب، حيث أن ..." -> nothing)."""
    out: list[Token] = []
    for t in tokens:
        if _PUNCT.search(text[start:t.start]):
            break
        out.append(t)
        start = t.end
    return out


def _around(tokens: list[Token], text: str, start: int, end: int) -> list[Token]:
    """The ``tokens`` of the clause before a cue at ``start``-``end`` and of the clause after it (a punctuation mark
    right after the cue aside: "عار عن الصحة. لم ...")."""
    before = [t for t in tokens if t.end <= start][::-1]  # nearest first
    after = [t for t in tokens if t.start >= end]
    clause = before[:1]
    for t in before[1:]:  # ``_clause`` walked backwards
        if _PUNCT.search(text[t.end:clause[-1].start]):
            break
        clause.append(t)
    return clause[::-1] + (_clause(after, text, after[0].start) if after else [])


def _denied_clause(text: str, tokens: list[Token], denials: list[tuple[int, int, bool]],
                   names: frozenset[int]) -> list[Token]:
    """The ``tokens`` that say what the first of ``denials`` (``find_denials``) denies: up to ``_DENIED_REACH`` words
    after its cue, to the end of their clause."""
    if not denials:
        return []
    _, end, strong = denials[0]
    following = [t for t in tokens if t.start >= end][:_DENIED_REACH]
    # a report called false is followed by what is true, even past a full stop ("عار من الصحة. لم يتحدث ..."); a word
    # that names falsehood in passing speaks of its own clause ("بيان كاذب، حيث أن ..." is not about what follows the
    # comma)
    clause = _clause(following, text, following[0].start if strong and following else end)
    # nor of a coordinated verb's clause ("أمام التزوير وتهدد نزاهة ..."): another predicate, not what is denied
    cut = next((i for i, t in enumerate(clause) if _coordinated_verb(t.norm) and t.start not in names), len(clause))
    return clause[:cut]


def _coordinated_verb(norm: str) -> bool:
    """Whether a normalised word is the conjunction و/ف joined to a verb of the present tense of three root letters
    ("وتهدد", "ويقول"): its variant without the conjunction (``CONJ_CLITICS``) is a prefix ي/ت and three letters
    ("وزارة" aside: "زارة" has no such prefix; a name is passed over by the caller)."""
    return any(len(v) == _IMPERFECT_LEN and v[0] in _IMPERFECT for v in clitic_variants(norm, CONJ_CLITICS)[1:])


#: The facts of the texts last compared (about 6 KB each: the candidates of the last 100 claims); a store's
#: kept facts are put here (``select.StoredFacts``) so that ``facts`` does not extract them again.
FACTS: TextMemory[TextFacts] = TextMemory(5_000)


def facts(text: str) -> TextFacts:
    """The comparable facts of ``text`` (kept in ``FACTS``: evidence sentences recur across claims)."""
    return FACTS.read(text, _extract)


@lru_cache(maxsize=1)
def facts_version() -> str:
    """What the facts of a text depend on, as a short digest: the code and word lists of ``tabayyun.text``, this
    module and the stemmer's version (the index terms of ``analyze`` too). What was kept under another version is not
    read."""
    digest = hashlib.sha1(version("PyStemmer").encode())
    text_dir = Path(__file__).resolve().parents[1] / "text"
    for path in sorted([*text_dir.glob("*.py"), *(text_dir / "data").iterdir(), Path(__file__).resolve()]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def facts_fields(f: TextFacts) -> list:
    """``f`` as a JSON-able list (sets sorted), for a store to keep; ``facts_from_fields`` reads it back equal."""
    return [sorted(f.terms), sorted(f.words),
            [[n.value, n.text, n.kind, sorted(n.context), n.bound, sorted(n.clause)] for n in f.numbers],
            sorted(f.years), f.entities, sorted(f.predicates), f.polarity, sorted(f.negated), sorted(f.affirmed),
            f.denial, f.says_false, sorted(f.denied_terms), sorted(f.denial_clauses),
            [[pair, side, word] for (pair, side), word in f.antonyms.items()],
            {cls: sorted(terms) for cls, terms in f.frames.items()}, f.hedge, sorted(f.qualifiers),
            f.denial_first_false, sorted(f.denial_reported), sorted(f.denied_predicates), sorted(f.report_item)]


def facts_from_fields(fields: list) -> TextFacts:
    """The facts that ``facts_fields`` wrote (read back from JSON)."""
    (terms, words, numbers, years, entities, predicates, polarity, negated, affirmed, denial, says_false,
     denied_terms, denial_clauses, antonyms, frames, hedge, qualifiers, denial_first_false, denial_reported,
     denied_predicates, report_item) = fields
    return TextFacts(terms=frozenset(terms), words=frozenset(words),
                     numbers=tuple(_Number(v, t, k, frozenset(c), b, frozenset(h)) for v, t, k, c, b, h in numbers),
                     years=frozenset(years),
                     entities=entities, predicates=frozenset(predicates), polarity=polarity,
                     negated=frozenset(negated), affirmed=frozenset(affirmed), denial=denial, says_false=says_false,
                     denied_terms=frozenset(denied_terms), denial_clauses=frozenset(denial_clauses),
                     antonyms={(pair, side): word for pair, side, word in antonyms},
                     frames={cls: frozenset(terms) for cls, terms in frames.items()}, hedge=hedge,
                     qualifiers=frozenset(qualifiers), denial_first_false=denial_first_false,
                     denial_reported=frozenset(denial_reported), denied_predicates=frozenset(denied_predicates),
                     report_item=frozenset(report_item))


def _extract(text: str) -> TextFacts:
    """Extract the comparable facts of ``text``."""
    years = stated_years(text)
    tokens = tokenize(text)
    mentions = extract_numbers(text)
    entities = extract_entities(text)
    # content terms: numbers are compared as values, not as words; entities by canonical id too; a dateline
    # ("بيروت (رويترز) -") says where the report was filed, not what it is about, a formula ("رحمه الله", "عاجل")
    # states nothing of it: neither
    datelines = [e for e in entities if is_dateline(text, e)]
    left_out = [(m.start, m.end) for m in mentions] + [(e.start, e.end) for e in datelines] + find_formulae(text)
    entities = [e for e in entities if e not in datelines]
    content = [t for t in tokens if not any(s <= t.start < e for s, e in left_out)]
    is_content = set(content)
    # a gazetteer entity counts once, by its id; a name read from a title ("النائب ...") keeps its words
    known = [e for e in entities if entity_aliases(e.canonical)]
    plain = [t for t in content if not any(e.start <= t.start < e.end for e in known)]
    scope, supposed = _negation_scope([t.norm for t in tokens])
    negated, affirmed = set(), set()
    for i, t in enumerate(tokens):
        if t in is_content:
            for term in _terms(t.text):
                if i in scope or i in supposed:
                    negated.update(_verb_forms(term))
                else:
                    affirmed.add(term)
    numbers = []
    names = designations(text)  # "Tu-22M3", "إف 16": the figures of a model's name count nothing
    clauses = _clauses(text, tokens, plain, known, [m.start for m in mentions])
    for m, kind in zip(mentions, measures(text, mentions)):  # a score's side, a margin, a stage ("ربع النهائي")
        if m.kind == "cardinal" and m.value in years and m.text.strip().isdigit():
            continue  # a year is a date, compared as such
        if kind is None or any(start < m.end and m.start < end for start, end in names):
            continue
        near = [t for t in tokens if t.end <= m.start][-_NEIGHBOURS:] + \
               [t for t in tokens if t.start >= m.end][:_NEIGHBOURS]
        context = frozenset(term for t in near for term in _terms(t.text) if not term.isdigit())
        numbers.append(_Number(m.value, m.text, kind, context, m.bound, clauses[m.start]))
    polarity = predicate_polarity(text)
    denials = find_denials(text)
    after = _denied_clause(text, tokens, denials, frozenset(t.start for t in tokens
                                                           if any(e.start <= t.start < e.end for e in entities)))
    denied = {"@" + e.canonical for e in entities if after and after[0].start <= e.start <= after[-1].start}
    near = [t for start, end, _ in denials for t in _around(tokens, text, start, end)]
    return TextFacts(
        terms=frozenset(term for t in plain for term in _terms(t.text)) | {"@" + e.canonical for e in entities},
        words=frozenset(term for t in plain if not any(e.start <= t.start < e.end for e in entities)
                        for term in _terms(t.text)),
        numbers=tuple(numbers),
        years=frozenset(years),
        entities={e.canonical: e.kind for e in entities},
        predicates=frozenset(polarity),
        polarity=polarity,
        negated=frozenset(negated - affirmed),
        affirmed=frozenset(affirmed),
        denial=text[denials[0][0]:denials[0][1]] if denials else "",
        says_false=any(strong for _, _, strong in denials),
        denied_terms=frozenset(term for t in after for term in _terms(t.text)) | denied,
        denial_clauses=frozenset(term for t in near for term in _terms(t.text))
        | {"@" + e.canonical for e in entities if any(e.start <= t.start < e.end for t in near)},
        antonyms=antonym_sides(text),
        frames=_frames(text, tokens, entities),
        hedge=next(iter(find_hedges(text)), ""),
        qualifiers=frozenset(qualifier_classes(text)),
        denial_first_false=bool(denials) and denials[0][2],
        denial_reported=frozenset(term for start, end, strong in denials if strong
                                  for t in _around(tokens, text, start, end) for term in _terms(t.text)),
        denied_predicates=frozenset(predicate_classes(text[after[0].start:after[-1].end]) if after else ()),
        report_item=_report_item(text, tokens, denials[0]) if denials and denials[0][2] else frozenset(),
    )


def _clauses(text: str, tokens: list[Token], plain: list[Token], known: list[EntityMention],
             starts: list[int]) -> dict[int, frozenset[str]]:
    """For each offset of ``starts`` (a figure's), the terms of the ``plain`` words and the ids of the ``known``
    entities of its clause: the stretch of ``text`` between sentence punctuation or words that open a clause about
    another subject (``clause_breaks.txt``: "فيما", "بينما"); commas do not end it ("في 11 مباراة، والتعادل في ست")."""
    opening = word_set("clause_breaks.txt")
    breaks = [0] + [t.start for t in tokens if not opening.isdisjoint(clitic_variants(t.norm, CONJ_CLITICS))]
    breaks += [m.end() for m in _SENTENCE_END.finditer(text)]
    out = {}
    for start in starts:
        lo = max(b for b in breaks if b <= start)
        hi = min((b for b in breaks if b > start), default=len(text))
        out[start] = frozenset(term for t in plain if lo <= t.start < hi for term in _terms(t.text)) | {
            "@" + e.canonical for e in known if lo <= e.start < hi}
    return out


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=_TOLERANCE)


@dataclass
class Signals:
    """Agreement and disagreement cues between a claim and an evidence text."""

    overlap: float = 0.0  # share of the claim's terms found in the evidence
    evidence_overlap: float = 0.0  # share of the evidence's terms found in the claim
    shared_terms: int = 0
    numbers_matched: int = 0
    numbers_unmatched: int = 0
    dates_matched: int = 0
    entities_shared: int = 0
    entities_missing: int = 0  # claim entities the evidence does not mention
    opposite: bool = False  # the evidence states the opposite action (captured vs released)
    specifics: int = 0  # exact numbers and years the claim states
    denied: bool = False  # the evidence calls a report false and the claim does not
    denial_unstated: bool = False  # the claim reports a denial that the evidence does not state
    denial_covers: float = 0.0  # share of what the evidence denies (the words after its cue) that the claim states
    denial_near: int = 0  # the claim's report terms in the clauses of the evidence's denial cues
    both_deny: bool = False  # both texts report a denial (a replaced denial verb is no contradiction)
    actors_shared: int = 0  # shared entities that can act (people, organisations), not places
    predicates_missing: int = 0  # key predicates of the claim (released, captured, won ...) the evidence lacks
    swap: tuple[tuple[str, ...], tuple[str, ...]] | None = None  # (claim's words, evidence's words) that differ
    place_unstated: bool = False  # the evidence sets the event elsewhere, or only in a region around the claim's place
    report_shared: int = 0  # shared terms that are not words of an attribution ("نقلت الوكالة عن ... قوله")
    hedged: bool = False  # the evidence reports as unconfirmed or alleged ("أنباء عن", "يزعم") what the claim states
    qualifiers_missing: int = 0  # qualifiers of the claim ("بالكامل", "نهائيا", "لأول مرة") the evidence lacks
    event_unstated: bool = False  # the evidence shares none of the claim's words for what happened, only who/when/where
    denial_unreported: bool = False  # the evidence reports a denial ("نفى ...") and the claim reports none
    source_denied: bool = False  # the evidence calls false the report attributed to the source the claim cites
    # an opposite action or a negation of another actor or object, or in a condition ("في حال لم تضمن"): no
    # contradiction, but the evidence does not state the claim either
    aside: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)

    @property
    def specifics_matched(self) -> int:
        """How many of the claim's exact numbers and years the evidence states too."""
        return self.numbers_matched + self.dates_matched

    @property
    def opposite_about_shared_actor(self) -> bool:
        """An opposite action about a person or organisation both name ("قسد أفرجت" / "قسد أسرت"): a
        contradiction however the rest is worded. A shared place is a setting, not an actor."""
        return self.opposite and self.actors_shared > 0

    def about(self) -> bool:
        """Whether the evidence is about the same thing as the claim: it names one of the claim's
        entities and shares its wording, or restates much of the claim, or the claim (a long post)
        restates much of it. A shared topic alone is not enough."""
        if self.shared_terms < _MIN_SHARED:
            return False
        if self.entities_shared and (self.overlap >= RELATED_AT or self.evidence_overlap >= CONTAINED_AT):
            return True
        if self.swap is not None or self.overlap >= PARAPHRASE_AT:
            return True
        return self.evidence_overlap >= CONTAINED_AT and self.shared_terms >= 4

    def swap_line(self) -> str:
        """The replaced words as a reason ("wording mismatch: claim «...», evidence «...»")."""
        said, found = self.swap or ((), ())
        return f"wording mismatch: claim «{' '.join(said)}», evidence «{' '.join(found)}»"

    def stated_mismatches(self) -> list[str]:
        """The mismatches that contradict the claim: every one when the evidence is about the same
        thing (a narrated denial only when ``DENIAL_ABOUT_COVERS`` of what it denies is the claim's words);
        otherwise only an opposite action about an actor both name, or a report called false
        that restates enough of the claim (a denial restates it loosely: "ما يشاع عن ... عار عن الصحة"),
        or a denial whose object is mostly the claim's own words. A denial in a text that names no entity of the
        claim counts only with ``DENIAL_NEAR`` of the claim's report terms in the clauses of its cues.
        A replaced word (``swap``) is left to the caller: only a stance model can tell an antonym."""
        # "نفى التحالف مسؤوليته عن قصف ...": someone denies something else than the claim, however close the rest
        # "نفى ... أنباء عن هدنة" in a text on another matter's truce, no entity in common: another matter denied
        # (a denial of the report attributed to the claim's own source names that source: not elsewhere)
        elsewhere = not self.source_denied and not self.entities_shared and self.denial_near < DENIAL_NEAR
        narrated = elsewhere or (not self.denied and self.denial_covers < DENIAL_ABOUT_COVERS)
        if self.about():
            return [m for m in self.mismatches if not (narrated and m.startswith("denied"))]
        shared_actor = self.opposite_about_shared_actor
        out = [m for m in self.mismatches if m.startswith("opposite action")] if shared_actor else []
        said_false = self.denied and self.report_shared >= DENIAL_SHARED and (
            self.overlap >= DENIAL_AT or self.evidence_overlap >= DENIAL_CONTAINED_AT)
        # "ينفي إيقاف لقاح ...": the claim; "الخبر المنسوب إلى <the claim's source> عار عن الصحة": the whole claim
        if (said_false or self.source_denied or self.denial_covers >= DENIAL_COVERS) and not elsewhere:
            out += [m for m in self.mismatches if m.startswith("denied")]
        return out

    def contradicts(self) -> bool:
        """Whether the evidence states something incompatible with the claim about the same thing."""
        return bool(self.stated_mismatches())

    def states(self, cosine: float | None = None) -> bool:
        """Whether the evidence states the claim's content: about it, every key predicate, number and
        year of the claim stated, its town not set elsewhere (``place_unstated``), its qualifiers ("بالكامل",
        "لأول مرة") stated, not reported as a rumour or an allegation (``hedged``) nor as what someone denies
        (``denial_unreported``), some of its words for what happened stated, not only who acted, when and where
        (``event_unstated``), nothing contradicting, and in
        the same words (most of the claim's wording, or the evidence contained in the claim) or, when sentence
        vectors are given, in other words (``cosine`` >= ``PARAPHRASE_COSINE`` with ``PARAPHRASE_OVERLAP`` of the
        claim's terms). With vectors, a text below ``STATES_COSINE`` is a topic, not a statement."""
        if (not self.about() or self.mismatches or self.denial_unstated or self.predicates_missing
                or self.place_unstated or self.hedged or self.qualifiers_missing or self.event_unstated
                or self.denial_unreported or self.aside or self.specifics_matched < self.specifics):
            return False
        if cosine is not None and cosine < STATES_COSINE:
            return False
        worded = self.overlap >= CONTAINED_AT or (self.evidence_overlap >= CONTAINED_AT and self.shared_terms >= 4)
        return worded or (cosine is not None and cosine >= PARAPHRASE_COSINE and self.overlap >= PARAPHRASE_OVERLAP)


def _compare_numbers(claim: TextFacts, evidence: TextFacts, out: Signals) -> None:
    """Numbers the evidence states too; another figure is a contradiction only in a restatement of the
    claim (as a year is): a text that shares less of it counts the same kind of thing in another event
    (7 killed in another bombing, 8 in another attack; unifiedfc folds 1-3), and only a figure the claim's
    cannot hold beside: "14 على الأقل" and "22 على الأقل" are two lower bounds of one toll, 105 is "نحو 100"."""
    for number in claim.numbers:
        if number.kind == "approx":
            continue
        same_kind = [e for e in evidence.numbers if e.kind == number.kind]
        if any(_same(number.value, e.value) for e in same_kind):
            out.numbers_matched += 1
            continue
        if out.overlap < PARAPHRASE_AT:
            continue
        # the evidence number of the same kind that counts the same thing (shares context words), if any
        rivals = [e for e in same_kind if e.context & number.context]
        if rivals:
            rival = max(rivals, key=lambda e: len(e.context & number.context))
            if number.allows(rival) or _other_holder(number, rival, claim.numbers + evidence.numbers):
                continue
            out.numbers_unmatched += 1
            out.mismatches.append(f"number mismatch: claim {number.line()}, evidence {rival.line()}")


def _other_holder(number: _Number, rival: _Number, figures: tuple[_Number, ...]) -> bool:
    """Whether two figures are stated in the same wording about different holders: their clauses share
    ``_TEMPLATE_AT`` of the words of the shorter and each has one to ``_MAX_SWAP`` words the other lacks (not words of
    speech, time or report, ``_frame_words``, nor those next to one of ``figures``, the figures of both texts; not a
    place inside the other's; a clause reworded more is a paraphrase, its figures compared): its own team, actor or
    competition ("الفوز السابع لفريق أ مقابل الخسارة في 11 مباراة" / "الفوز التاسع لفريق ب مقابل الخسارة في سبع
    مباريات"). A figure changed in a clause restated word for word is compared."""
    said, found = number.clause, rival.clause
    if len(said & found) < _TEMPLATE_AT * min(len(said), len(found)):
        return False
    # the words next to a figure (its counted noun, inflected by the figure, and its bound) say what it counts
    near = _frame_words().union(*(n.context for n in figures))
    own, other = _own(said - near, found), _own(found - near, said)
    return 1 <= len(own) <= _MAX_SWAP and 1 <= len(other) <= _MAX_SWAP


def _own(terms: frozenset[str], other: frozenset[str]) -> set[str]:
    """The ``terms`` that ``other`` lacks, but for an entity nested in one of its entities or around one (a town of
    the other's province: the same place named more closely)."""
    return {t for t in terms - other if not (t[:1] == "@" and any(
        o[:1] == "@" and nested(t[1:], o[1:]) for o in other))}


def _compare_dates(claim: TextFacts, evidence: TextFacts, out: Signals) -> None:
    """Another year is a contradiction only in a restatement of the claim: a text that shares less
    of it may date another event ("since 2011" against "in 2016")."""
    shared = claim.years & evidence.years
    out.dates_matched = len(shared)
    if claim.years and evidence.years and not shared and out.overlap >= PARAPHRASE_AT:
        out.mismatches.append(f"date mismatch: claim {min(claim.years)}, evidence {min(evidence.years)}")


def _compare_polarity(claim: TextFacts, evidence: TextFacts, out: Signals, texts: tuple[str, str]) -> None:
    """The opposite action (stated, not negated, on either side), or one predicate or word negated on one side only
    (``texts``: the claim's and the evidence's); either with the same actor or object next to it (``_same_frame``),
    not another party's ("لندن لا تريد الانخراط" / "موسكو تريد ضمانات")."""
    for cls in sorted(claim.predicates):
        opposite = OPPOSITES.get(cls)
        said_frame, found_frame = claim.frames.get(cls, frozenset()), evidence.frames.get(opposite or "", frozenset())
        if (opposite and opposite in evidence.predicates and cls not in evidence.predicates
                and opposite not in claim.predicates  # the claim states both ("فتحت المعبر الذي أغلقته")
                and claim.polarity[cls] is not True and evidence.polarity[opposite] is not True  # no rise: no fall
                and said_frame & found_frame):
            same = _framed(out, f"opposite action: claim '{cls}', evidence '{opposite}'", said_frame, found_frame)
            out.opposite = out.opposite or same
    for cls in sorted(claim.polarity.keys() & evidence.polarity.keys()):
        said, found = claim.polarity[cls], evidence.polarity[cls]
        if (said is not None and found is not None and said != found
                and _framed(out, f"negation mismatch: the {'claim' if said else 'evidence'} negates '{cls}'",
                            claim.frames.get(cls, frozenset()), evidence.frames.get(cls, frozenset()))):
            return
    # any other predicate: negated on one side, stated on the other
    for word in sorted((claim.negated & evidence.affirmed) | (evidence.negated & claim.affirmed)):
        line = f"negation mismatch: the {'claim' if word in claim.negated else 'evidence'} negates '{word}'"
        (said_frame, said_supposed), (found_frame, found_supposed) = (_word_frame(text, word) for text in texts)
        negating = texts if word in claim.negated else texts[::-1]  # (the text that negates the word, the other)
        if said_supposed or found_supposed:
            out.aside.append(f"{line} in a condition")
        elif _another_subject(*negating, word):
            out.aside.append(f"{line} of another actor")
        elif _another_statement(*negating, word):
            out.aside.append(f"{line} of another statement")
        elif _framed(out, line, said_frame, found_frame):
            return


def _another_subject(negating: str, other: str, term: str) -> bool:
    """Whether every negation of ``term`` in ``negating`` has a named subject right after the verb ("لم تطرد أثينا")
    or right before its negator ("أثينا لم تطرد") that ``other`` does not name: another party did not do it, which
    says nothing of those who did."""
    tokens = tokenize(negating)
    scope, _ = _negation_scope([t.norm for t in tokens])
    entities = extract_entities(negating)
    named = [e.canonical for e in extract_entities(other)]
    negations = [i for i in sorted(scope) if any(term in _verb_forms(own) for own in _terms(tokens[i].text))]
    for i in negations:
        after = tokens[i + 1].start if i + 1 < len(tokens) else -1
        before = tokens[i - 2].start if i >= 2 and tokens[i - 1].norm in _NEGATORS else -1
        subjects = [e.canonical for e in entities if e.start == after or e.start <= before < e.end]
        if not subjects or any(s == n or within(s, n) or within(n, s) for s in subjects for n in named):
            return False
    return bool(negations)


def _another_statement(negating: str, other: str, term: str) -> bool:
    """Whether ``term`` is a verb of saying (``speech.tsv``) and ``other`` states less than ``SAID_COVERS`` of what
    ``negating`` says was not said ("لم تذكر وسائل الإعلام شيئا عن اتفاق ..." / "ذكرت الوكالة أن الجيش تقدم"): a
    report of something else, no contradiction."""
    if term not in {t for word in _speech()["verb"] for t in _terms(word)}:
        return False
    tokens = tokenize(negating)
    verb = next((i for i, t in enumerate(tokens) if any(term in _verb_forms(own) for own in _terms(t.text))), None)
    if verb is None:
        return False
    link = next((i for i in range(verb + 1, len(tokens)) if tokens[i].norm in _speech()["link"]), verb)
    said = {term for t in tokens[link + 1:] for term in _terms(t.text)} - _frame_words()
    return bool(said) and len(said & facts(other).terms) < SAID_COVERS * len(said)


def _framed(out: Signals, line: str, said: frozenset[str], found: frozenset[str]) -> bool:
    """Record ``line`` among the mismatches when the words around both predicates name the same actor or object
    (``_same_frame``), else aside (another party's: it neither contradicts nor lets the evidence state the claim)."""
    same = _same_frame(said, found)
    (out.mismatches if same else out.aside).append(line)
    return same


def _rival(a: str, b: str, kind: str) -> bool:
    """Whether entity ``b`` stands against ``a`` of the same kind: another name, not a place that contains the
    other (Abu Kamal in Deir ez-Zor, Aleppo in Syria)."""
    return a != b and not (kind == "LOC" and nested(a, b))


def _named(a: str, b: str) -> bool:
    """Whether one of two rival names is a known entity: a word after a title that the gazetteer does not know
    may be a common noun ("يجري رئيس الوزراء مباحثات", "يرأس النائب البريطاني لقاء"), so two such words that
    differ are no evidence of another actor."""
    return bool(entity_aliases(a) or entity_aliases(b))


def _other_actors(claim: TextFacts, evidence: TextFacts) -> bool:
    """Each text names an entity of a kind that the other names differently (Real Madrid against Las
    Palmas here, against Alaves there): their figures and dates are about different events."""
    said = [(e, k) for e, k in claim.entities.items() if e not in evidence.entities]
    return any(k == kind and _rival(e, other, k) for other, kind in evidence.entities.items()
               if other not in claim.entities for e, k in said)


def _topic_only(out: Signals) -> bool:
    """The texts name no entity in common and neither restates half of the other: they share a topic (the debt of
    some economy, the hour of some event), so a figure or a year of one is no statement about the other's."""
    return not out.entities_shared and min(out.overlap, out.evidence_overlap) < PARAPHRASE_AT


@lru_cache(maxsize=1)
def _speech() -> dict[str, frozenset[str]]:
    """Normalised verbs of saying ("verb") and the words that open what was said ("link"), ``speech.tsv``."""
    rows = data_rows("speech.tsv")
    return {kind: frozenset(normalize_ar(word) for word, k in rows if k == kind) for kind in ("verb", "link")}


@lru_cache(maxsize=1)
def _frame_words() -> frozenset[str]:
    """Terms that say when, where or who acts, or that someone spoke (``frame_words.txt``, ``titles.txt``, the verbs
    of ``speech.tsv`` and the words of an attribution or a report): the rest of a claim's words say what happened."""
    verbs = frozenset(term for word in _speech()["verb"] for term in _terms(word))
    return _listed_terms("frame_words.txt") | _listed_terms("titles.txt") | verbs | _report_words()


@lru_cache(maxsize=1_000)
def _said(text: str) -> frozenset[str] | None:
    """Terms of what a reported statement says: the words after the first link ("بأن", "إن", "عن") that follows a
    verb of saying ("صرح الوزير بأن ..."); None when the text reports no statement."""
    tokens = tokenize(text)
    speech = _speech()
    verb = next((i for i, t in enumerate(tokens)
                 if t.norm in speech["verb"] or (t.norm[:1] in "وف" and t.norm[1:] in speech["verb"])), None)
    if verb is None:
        return None
    link = next((i for i in range(verb + 1, len(tokens)) if tokens[i].norm in speech["link"]), None)
    return None if link is None else frozenset(term for t in tokens[link + 1:] for term in _terms(t.text))


def _event_unstated(claim_text: str, claim: TextFacts, terms: frozenset[str]) -> bool:
    """The claim says what happened (what a reported statement says) in words of which ``terms`` (an evidence text's,
    or what it denies) have none: they share only who acted or spoke, when and where ("أجرى الرئيس اتصالا بنظيره" /
    "قال الرئيس إن نظيره ...", "أعلن الوزير عن إلغاء ..." / "أعلن الوزير أن الاجتماع ..."): another act or statement
    of the same people."""
    said = _said(claim_text)
    event = (claim.words if said is None else claim.words & said) - _frame_words()
    return bool(event) and not event & terms


def _denies_another_act(claim_text: str, claim: TextFacts, evidence: TextFacts) -> bool:
    """The evidence's first denial cue is a verb ("نفت الوزارة أنها احتجزت ...") whose clause shares none of the claim's
    words for what happened (``_event_unstated``) nor its key predicates ("تفرج" / "نفى الإفراج"): it denies another
    act of the claim's people, unless a report called false in the text speaks of the claim's act in its cue's clauses
    ("في إطار الشائعات، ... خبر كاذب عن تعرضه لحادث"). A report called false first ("عار عن الصحة") denies another act
    only when it names the report before its cue and that report shares none of the claim's words for what happened
    ("الأنباء عن طرد السفير ... لا أساس لها من الصحة", ``_report_item``): what such a cue denies stands before it as
    often as after."""
    if evidence.denial_first_false:
        return bool(evidence.report_item - _frame_words()) and _event_unstated(claim_text, claim, evidence.report_item)
    if not _event_unstated(claim_text, claim, evidence.denied_terms):
        return False
    if not _event_unstated(claim_text, claim, evidence.denial_reported):
        return False
    return not claim.predicates & evidence.denied_predicates


_REPORT_CLITICS = (("و", ""), ("ف", ""), ("ب", ""), ("ل", ""))  # the proclitics a report noun may carry


def _report_noun(norm: str) -> bool:
    """Whether a normalised word is a report noun, with a leading و/ف/ب/ل and the article allowed ("والأنباء")."""
    nouns = word_set("report_nouns.txt")
    return any(bare in nouns or (bare.startswith("ال") and bare[2:] in nouns)
               for bare in clitic_variants(norm, _REPORT_CLITICS))


def _report_item(text: str, tokens: list[Token], cue: tuple[int, int, bool]) -> frozenset[str]:
    """The terms of the report that a ``cue`` calling a report false names before it, in its clause ("الأنباء عن طرد
    السفير ... لا أساس لها من الصحة" -> طرد, سفير ...): the words after the last report noun (``report_nouns.txt``),
    up to the cue or a cause or a concession ("على خلفية ..."); none when the clause names no report."""
    before = [t for t in _around(tokens, text, cue[0], cue[1]) if t.end <= cue[0]]
    nouns = [i for i, t in enumerate(before) if _report_noun(t.norm)]
    if not nouns:
        return frozenset()
    item: list[Token] = []
    for t in before[nouns[-1] + 1:]:
        if t.norm in word_set("scope_breaks.txt"):
            break
        item.append(t)
    return frozenset(term for t in item for term in _terms(t.text))


def _source_terms(tokens: list[Token]) -> frozenset[str]:
    """Terms of ``tokens`` that name a source, a bare preposition "لـ" aside ("لسكاي" as "سكاي"), words of a report
    ("وكالة", "قناة") and titles ("الوزير") aside."""
    words = [t.text[1:] if t.norm.startswith("ل") and len(t.norm) > 3 else t.text for t in tokens]
    return frozenset(term for word in words for term in _terms(word)) - _report_words() - _listed_terms("titles.txt")


def _cited_source(claim_text: str) -> frozenset[str]:
    """Terms of the head of a quoting claim: the words before its first colon ("الوزير لقناة ...: ..."), who speaks
    and to whom; empty when the claim has no such head (of at most ``_HEAD_REACH`` words)."""
    head = claim_text.split(":", 1)[0] if ":" in claim_text else ""
    tokens = tokenize(head)
    return _source_terms(tokens) if 0 < len(tokens) <= _HEAD_REACH else frozenset()


def _disowned(claim_text: str, evidence_text: str) -> bool:
    """The evidence calls false a report attributed to a source ("الخبر المنسوب إلى ... عار عن الصحة") that the claim
    cites in its head ("... لقناة ...: ..."): the source disowns what the claim quotes from it, whatever it says.
    The source must be named alike (all its words, an entity, or ``_MIN_SHARED`` words and half of its words); a title
    alone ("المنسوب للوزير") names no one."""
    cited = _cited_source(claim_text)
    if not cited:
        return False
    tokens = tokenize(evidence_text)
    for start, end, strong in find_denials(evidence_text):
        if not strong:
            continue
        clause = _around(tokens, evidence_text, start, end)
        for a, b in find_attributed(evidence_text):
            if not clause or a < clause[0].start or b > clause[-1].end:
                continue  # attributes another report than the one the cue calls false
            # the words after the attribution, up to the cue when it follows ("المنسوب لـ ... عار عن الصحة")
            named = [t for t in clause if t.start >= b and (b > start or t.end <= start)][:_SOURCE_REACH]
            source = _source_terms(named)
            shared = source & cited
            if shared and (shared == source or any(x.startswith("@") for x in shared)
                           or (len(shared) >= _MIN_SHARED and 2 * len(shared) >= len(source))):
                return True
    return False


def _place_unstated(claim: TextFacts, evidence: TextFacts) -> bool:
    """The claim sets its event in a town or province (a place inside a country) that the evidence does not
    name, nor a place inside it, while the evidence names another such place or only a region around it
    ("Qabasin" / "al-Bab", "Aleppo" / "Syria"): the evidence does not state where the claim says it happened.
    Another country is left aside: countries act in the news (Russia struck ...), towns are settings."""
    places = [e for e, k in evidence.entities.items() if k == "LOC"]
    elsewhere = [e for e in places if e not in claim.entities]
    for town, kind in claim.entities.items():
        if kind != "LOC" or place_parent(town) is None or town in evidence.entities:
            continue
        if any(within(e, town) for e in places):
            continue
        if any(place_parent(e) is not None or within(town, e) for e in elsewhere):
            return True
    return False


def _compare_actors(claim: TextFacts, evidence: TextFacts, out: Signals) -> None:
    """The same statement about another actor: the wording matches but one entity is swapped for
    another of the same kind."""
    if len(claim.words) < 4 or len(claim.words & evidence.words) < SAME_WORDING_AT * len(claim.words):
        return
    for name, kind in sorted(claim.entities.items()):
        if name in evidence.entities or any(within(e, name) for e in evidence.entities):
            continue  # named, or a place inside it named ("دير الزور" says where in Syria)
        rivals = sorted(e for e, k in evidence.entities.items()
                        if k == kind and e not in claim.entities and _rival(name, e, kind) and _named(name, e))
        if rivals:
            out.mismatches.append(f"actor mismatch: claim {name}, evidence {rivals[0]}")
            return


def _swap(claim: TextFacts, evidence: TextFacts) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The same statement with a few words replaced ("تأجيل مهمة المفتشين" / "المفتشون يباشرون مهمتهم"):
    most terms shared both ways, and at most ``_MAX_SWAP`` words on each side that the other lacks."""
    shared = claim.terms & evidence.terms
    said, found = claim.terms - evidence.terms, evidence.terms - claim.terms
    if (len(shared) >= 2 and 1 <= len(said) <= _MAX_SWAP and 1 <= len(found) <= _MAX_SWAP
            and len(shared) >= len(said) and len(shared) >= len(found)):
        return tuple(sorted(said)), tuple(sorted(found))
    return None


def _compare_antonyms(claim: TextFacts, evidence: TextFacts, out: Signals) -> None:
    """The same statement with a word turned into its opposite ("أكثر" / "أقل", "شمال" / "جنوب")."""
    if out.swap is None and min(out.overlap, out.evidence_overlap) < CONTAINED_AT:
        return
    for (pair, side), word in sorted(claim.antonyms.items()):
        other = (pair, 1 - side)
        if other in evidence.antonyms and (pair, side) not in evidence.antonyms and other not in claim.antonyms:
            out.mismatches.append(f"opposite wording: claim «{word}», evidence «{evidence.antonyms[other]}»")
            return


@lru_cache(maxsize=5_000)
def compare(claim_text: str, evidence_text: str) -> Signals:
    """All signals between a claim and one evidence text (cached: selection, stance and reasons read
    the same pair; the result is shared, read it, do not change it)."""
    claim, evidence = facts(claim_text), facts(evidence_text)
    out = Signals()
    shared = claim.terms & evidence.terms
    out.shared_terms = len(shared)
    out.report_shared = len(shared - _attribution())
    if claim.terms:
        out.overlap = len(shared) / len(claim.terms)
    if evidence.terms:
        out.evidence_overlap = len(shared) / len(evidence.terms)
    out.specifics = len([n for n in claim.numbers if n.kind != "approx"]) + len(claim.years)
    out.entities_shared = len(claim.entities.keys() & evidence.entities.keys())
    out.actors_shared = sum(1 for e in claim.entities.keys() & evidence.entities.keys()
                            if claim.entities[e] in ("PER", "ORG"))
    out.entities_missing = len(claim.entities.keys() - evidence.entities.keys())
    out.predicates_missing = len(claim.predicates - evidence.predicates)
    out.place_unstated = _place_unstated(claim, evidence)
    out.hedged = bool(evidence.hedge) and not claim.hedge
    out.qualifiers_missing = len(claim.qualifiers - evidence.qualifiers)
    out.event_unstated = _event_unstated(claim_text, claim, evidence.terms)
    out.denial_unreported = bool(evidence.denial) and not claim.denial
    _compare_numbers(claim, evidence, out)
    _compare_dates(claim, evidence, out)
    if _other_actors(claim, evidence) or _topic_only(out):  # figures of another match, another country's toll...
        out.mismatches = [m for m in out.mismatches if not m.startswith(("number mismatch", "date mismatch"))]
    _compare_polarity(claim, evidence, out, (claim_text, evidence_text))
    _compare_actors(claim, evidence, out)
    out.swap = _swap(claim, evidence)
    _compare_antonyms(claim, evidence, out)
    out.denial_unstated = bool(claim.denial) and not evidence.denial
    out.both_deny = bool(claim.denial) and bool(evidence.denial)
    denied_shared = len(claim.terms & evidence.denied_terms)
    out.denial_covers = denied_shared / len(evidence.denied_terms) if denied_shared >= _MIN_SHARED else 0.0
    out.denial_near = len((claim.terms - _report_words()) & evidence.denial_clauses)
    out.source_denied = evidence.says_false and not claim.denial and _disowned(claim_text, evidence_text)
    if evidence.denial and not claim.denial and (evidence.says_false or out.denial_covers):
        out.denied = evidence.says_false
        line = f"denied: the evidence says «{evidence.denial}»"
        if not out.source_denied and _denies_another_act(claim_text, claim, evidence):  # a disowned quote is the act
            out.aside.append(f"{line} of another act")
        else:
            out.mismatches.append(line)
    return out


def weigh(claim_text: str, evidence: Evidence, probs: dict[str, float]) -> Evidence:
    """``evidence`` with its stance probabilities, its stance and the mismatches that state why (the
    stated contradictions; a replaced word only where the stance model read it as opposite)."""
    stance = max(probs, key=probs.__getitem__)
    mismatches: list[str] = []
    if stance != "unrelated":
        signals = compare(claim_text, evidence.sentence.text)
        mismatches = signals.stated_mismatches()
        if stance == "disagree" and not mismatches and signals.swap is not None:
            mismatches = [signals.swap_line()]
    return replace(evidence, stance=stance, stance_probs=dict(probs), mismatches=mismatches)
