"""End-to-end control sets for verdicts, built from the ANT news corpus and the seed Reuters report.

A control set is an evidence base plus claims whose right verdict is known by construction:

* ``unseen_true``: sentences of articles kept out of the base; anything but ``refuted`` is right;
* ``verbatim``: base sentences word for word: ``supported``;
* ``paraphrase``: base sentences reworded by meaning-preserving rules: ``supported``;
* ``changed``: base sentences with exactly one fact changed: ``refuted``.

Only ANT train/dev articles are read (never test), one per distinct ``text_md5``. The base and the
held-out articles are the texts with the smallest seeded hashes, so one streaming pass is enough and
the result depends on the seed only. Rewrite tables live in ``tabayyun/evaluation/data``, with the builder's own
frozen entity list (``entities.tsv``): which actor is swapped and which entities a paraphrase keeps never depend on
the product's gazetteer or entity extraction, so the draw does not move when the system under test learns names.
"""
from __future__ import annotations

import gzip
import hashlib
import heapq
import json
import math
import random
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from tabayyun.records import VERDICTS, Document
from tabayyun.text import extract_dates, extract_numbers, find_negations, normalize_ar, split_sentences
from tabayyun.text.dates import DateMention
from tabayyun.text.numbers import NumberMention

__all__ = ["ControlCase", "ControlSet", "build_controls", "load_seed_report", "load_seed_post", "score_controls",
           "KINDS",
           "EXPECTED", "GOALS", "ANT_FILE", "SEED_FILE"]

ANT_FILE = Path("ant_multisource") / "ant_multisource_v2.1.jsonl.gz"
SEED_FILE = "000_dfc15cf6d599c7ec.txt"
SEED_DATE = "2019-03-19"
KINDS = ("unseen_true", "verbatim", "paraphrase", "changed")
EXPECTED = {"unseen_true": "not_refuted", "verbatim": "supported", "paraphrase": "supported", "changed": "refuted"}
# Per kind: (label whose share is the goal figure, comparison, threshold).
GOALS: dict[str, tuple[str, str, float]] = {
    "unseen_true": ("refuted", "<=", 0.05),
    "verbatim": ("supported", ">=", 0.90),
    "paraphrase": ("supported", ">=", 0.70),
    "changed": ("refuted", ">=", 0.70),
}
_SPLITS = frozenset({"train", "dev"})
_MIN_WORDS, _MAX_WORDS = 8, 40
_POOL_FACTOR = 3  # held-out articles read for unseen_true, per case wanted
_MAX_SYNONYMS = 2
_SAY_REACH = 16  # words after a verb of saying in which its إن is looked for
_MAX_SOURCE_WORDS = 8  # words between a verb of saying and its إن/أن
_CHANGE_TYPES = ("number", "year", "actor", "antonym", "negated")


@dataclass
class ControlCase:
    """One claim with the label a correct system gives it."""

    kind: str  # unseen_true | verbatim | paraphrase | changed
    claim: str
    expected: str  # not_refuted (anything but refuted) | supported | refuted
    source_sentence: str
    doc_id: str
    change: str = ""  # what was rewritten or changed ("number 157->314", "synonym قال->ذكر; ...")
    date: str | None = None  # the date of the article the sentence comes from: when the claim was made


@dataclass
class ControlSet:
    """The evidence base to ingest and the cases to verify against it."""

    base: list[Document]
    cases: list[ControlCase]


# --- reading ---------------------------------------------------------------------------------------------

_DOCNO_DATE = re.compile(r"-(\d{4})(\d{2})(\d{2})$")
_FIELDS = ("docno", "title", "text", "source", "url")


def _sample_articles(path: Path, k: int, seed: int) -> list[dict[str, str]]:
    """The k train/dev articles (one per text) with the smallest seeded hash, smallest first; one pass."""
    heap: list[tuple[int, str, dict[str, str]]] = []
    seen: set[str] = set()
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            md5 = rec["text_md5"]
            if rec["split"] not in _SPLITS or md5 in seen or not rec["text"].strip():
                continue
            seen.add(md5)
            key = int.from_bytes(hashlib.blake2b(f"{seed}:{md5}".encode(), digest_size=8).digest(), "big")
            item = (-key, md5, {name: rec.get(name) or "" for name in _FIELDS})
            if len(heap) < k:
                heapq.heappush(heap, item)
            elif item[0] > heap[0][0]:
                heapq.heapreplace(heap, item)
    return [rec for _, _, rec in sorted(heap, reverse=True)]


def _document(rec: dict[str, str]) -> Document:
    m = _DOCNO_DATE.search(rec["docno"])
    return Document(id=rec["docno"], text=rec["text"], title=rec["title"], source=rec["source"],
                    date=f"{m[1]}-{m[2]}-{m[3]}" if m else None, url=rec["url"] or None)


def _seed_split(seed_dir: Path) -> tuple[Path, list[str], int]:
    """The seed file's stripped lines and the index of the line ending with «حرب» that closes the report."""
    path = Path(seed_dir) / SEED_FILE
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    end = next((i for i, line in enumerate(lines) if line.endswith("حرب")), None)
    if end is None:
        raise ValueError(f"{path}: no line ending with «حرب» closes the report")
    return path, lines, end


def load_seed_report(seed_dir: Path) -> Document:
    """The Reuters report opening the seed file: its lines up to the one ending with «حرب» (not the post after)."""
    path, lines, end = _seed_split(seed_dir)
    report = [line for line in lines[:end + 1] if line]
    return Document(id=f"seed-{path.stem}", text="\n".join(report), title=report[0], source="reuters",
                    date=SEED_DATE)


def load_seed_post(seed_dir: Path) -> str:
    """The rumour post that follows the report in the seed file."""
    _, lines, end = _seed_split(seed_dir)
    return "\n".join(lines[end + 1:]).strip()


# --- sentences and their facts ---------------------------------------------------------------------------

_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
_TERMINAL = re.compile(r"([.!…]+)([\"'”»)]*)$")
_NOISE = re.compile(r"https?:|www\.|[@#|]")
_PAIRS = (("«", "»"), ("“", "”"), ("(", ")"))


def _sentences(doc: Document) -> list[str]:
    return [doc.text[a:b] for a, b in split_sentences(doc.text)]


def _eligible(s: str) -> bool:
    """A whole statement: 8-40 words, Arabic, no question, closed by . ! or …, balanced quotes, no links or tags."""
    if not _MIN_WORDS <= len(s.split()) <= _MAX_WORDS or "?" in s or "؟" in s or _NOISE.search(s):
        return False
    if not _ARABIC_LETTER.match(s) or not _TERMINAL.search(s):
        return False
    if s.count('"') % 2 or any(s.count(a) != s.count(b) for a, b in _PAIRS):
        return False
    return len(_ARABIC_LETTER.findall(s)) >= 0.8 * sum(ch.isalpha() for ch in s)


@dataclass(frozen=True)
class _Facts:
    numbers: list[NumberMention]
    dates: list[DateMention]
    entities: list[_Entity]

    @property
    def checkable(self) -> bool:
        return bool(self.numbers or self.dates or self.entities)

    def signature(self) -> tuple[tuple[float, ...], tuple[int, ...], tuple[str, ...]]:
        """What a paraphrase must keep: number values, years and entities."""
        return (tuple(sorted(m.value for m in self.numbers)), tuple(sorted(d.year for d in self.dates if d.year)),
                tuple(sorted(e.listed.canonical for e in self.entities)))


def _facts(s: str) -> _Facts:
    return _Facts(extract_numbers(s), extract_dates(s), _entities(s))


def _stream(docs: Sequence[Document], rng: random.Random) -> Iterator[tuple[Document, str]]:
    """Eligible sentences, round-robin over the documents (both in seeded random order)."""
    queues = []
    for doc in docs:
        sentences = [s for s in _sentences(doc) if _eligible(s)]
        rng.shuffle(sentences)
        if sentences:
            queues.append((doc, sentences))
    rng.shuffle(queues)
    for depth in range(max((len(q) for _, q in queues), default=0)):
        for doc, q in queues:
            if depth < len(q):
                yield doc, q[depth]


# --- words and rewrite tables ----------------------------------------------------------------------------

_TOKEN = re.compile(r"\S+")
_LETTERS = r"\w\u064b-\u065f\u0670"
_CORE = re.compile(rf"^([^{_LETTERS}]*)([{_LETTERS}]+)([^{_LETTERS}]*)$")


@dataclass(frozen=True)
class _Word:
    start: int  # offsets of the core (the token less its punctuation) in the sentence
    end: int
    core: str  # "" for a token with punctuation inside
    bare_before: bool  # no punctuation before the core
    bare_after: bool


def _words(s: str) -> list[_Word]:
    out = []
    for m in _TOKEN.finditer(s):
        c = _CORE.match(m.group())
        if c is None:
            out.append(_Word(m.start(), m.end(), "", False, False))
        else:
            start = m.start() + len(c[1])
            out.append(_Word(start, start + len(c[2]), c[2], not c[1], not c[3]))
    return out


@dataclass(frozen=True)
class _Row:
    words: tuple[str, ...]
    replacement: str
    cls: str


_VERB_PREFIXES = ("", "و", "ف")
_NOUN_PREFIXES = ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "ال", "وال", "فال", "بال", "وبال", "كال",
                  "لل", "ولل", "فلل")
_PREFIXES = {"say": _VERB_PREFIXES, "v": _VERB_PREFIXES, "antonym": _VERB_PREFIXES, "negated": _VERB_PREFIXES,
             "p": ("", "و"), "n": _NOUN_PREFIXES, "antonym_n": _NOUN_PREFIXES}
_ALL_PREFIXES = sorted(set(_NOUN_PREFIXES), key=len)


def _data_rows(name: str) -> list[list[str]]:
    """Tab-separated rows of a data file in ``tabayyun/evaluation/data`` (``#`` comments and blanks skipped)."""
    text = files("tabayyun.evaluation").joinpath("data", name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=None)
def _table(name: str) -> dict[str, list[_Row]]:
    """Rows of a rewrite table in ``tabayyun/evaluation/data``, keyed by their first word."""
    table: dict[str, list[_Row]] = {}
    for source, replacement, cls in _data_rows(name):
        row = _Row(tuple(source.split()), replacement, cls)
        table.setdefault(row.words[0], []).append(row)
    return table


@dataclass(frozen=True)
class _Hit:
    first: int  # word indices of the matched phrase
    last: int
    prefix: str  # proclitics on the first word, kept in the replacement
    row: _Row


def _find(words: Sequence[_Word], table: dict[str, list[_Row]]) -> list[_Hit]:
    hits = []
    for i, w in enumerate(words):
        for prefix in _ALL_PREFIXES:
            if not w.core.startswith(prefix):
                continue
            for row in table.get(w.core[len(prefix):], ()):
                span = words[i:i + len(row.words)]
                if (prefix in _PREFIXES[row.cls] and len(span) == len(row.words)
                        and all(x.core == y for x, y in zip(span[1:], row.words[1:]))
                        and all(x.bare_after for x in span[:-1]) and all(x.bare_before for x in span[1:])):
                    hits.append(_Hit(i, i + len(span) - 1, prefix, row))
    return hits


def _join(prefix: str, word: str) -> str:
    """Proclitics + word in Arabic spelling: ل + العراق -> للعراق, لل + لقاء -> للقاء."""
    if prefix.endswith("لل") and word.startswith("ل"):
        return prefix[:-1] + word
    if prefix.endswith("ل") and word.startswith("ال"):
        return prefix + word[1:]
    return prefix + word


def _apply(s: str, edits: dict[int, tuple[int, str]]) -> str:
    """``s`` with each {start: (end, text)} edit applied."""
    for start in sorted(edits, reverse=True):
        end, text = edits[start]
        s = s[:start] + text + s[end:]
    return s


# --- entities: the builder's own frozen list ------------------------------------------------------------

_ACTOR_PREFIXES = ("", "و", "ف", "ب", "ل", "وب", "ول", "فب", "فل")


@dataclass(frozen=True)
class _Listed:
    """A row of ``entities.tsv``."""

    alias: str
    canonical: str
    kind: str  # PER | LOC | ORG | MISC
    row: int  # rows of one theme sit together in the file


@dataclass(frozen=True)
class _Entity:
    """An alias of the list found in a sentence."""

    start: int  # offsets in the sentence, proclitics included
    end: int
    prefix: str  # proclitics on the first word, kept when the entity is swapped
    listed: _Listed


@lru_cache(maxsize=1)
def _entity_list() -> dict[str, _Listed]:
    """Alias -> its row in ``entities.tsv``."""
    rows = _data_rows("entities.tsv")
    return {alias: _Listed(alias, canonical, kind, i) for i, (alias, canonical, kind) in enumerate(rows)}


@lru_cache(maxsize=1)
def _entity_index() -> dict[str, list[tuple[tuple[str, ...], _Listed]]]:
    """Normalised first word -> (normalised words, row) of each alias it starts, longest first."""
    index: dict[str, list[tuple[tuple[str, ...], _Listed]]] = {}
    for listed in _entity_list().values():
        words = tuple(normalize_ar(listed.alias).split())
        index.setdefault(words[0], []).append((words, listed))
    for options in index.values():
        options.sort(key=lambda option: -len(option[0]))
    return index


def _entity_at(words: Sequence[_Word], norms: Sequence[str], i: int) -> tuple[int, _Entity] | None:
    """(words spanned, entity) of the longest alias starting at word ``i``: "بسوريا" -> ب + سوريا,
    "للعراق" -> ل + العراق."""
    best: tuple[int, _Entity] | None = None
    for prefix in _ACTOR_PREFIXES:
        if not norms[i].startswith(prefix):
            continue
        rest = norms[i][len(prefix):]
        for head in (rest, "ا" + rest):
            if _join(prefix, head) != norms[i]:
                continue
            for key, listed in _entity_index().get(head, ()):
                span = words[i:i + len(key)]
                if (len(span) == len(key) and len(key) > (best[0] if best else 0)
                        and list(key[1:]) == list(norms[i + 1:i + len(key)])
                        and all(w.bare_after for w in span[:-1]) and all(w.bare_before for w in span[1:])):
                    best = len(key), _Entity(span[0].start, span[-1].end, prefix, listed)
                    break
    return best


def _entities(s: str) -> list[_Entity]:
    """The list's entities in ``s``, left to right, the longest alias winning; proclitics allowed on the first
    word; matched on normalised words."""
    words = _words(s)
    norms = [normalize_ar(w.core) for w in words]
    out: list[_Entity] = []
    i = 0
    while i < len(words):
        found = _entity_at(words, norms, i)
        if found is None:
            i += 1
        else:
            out.append(found[1])
            i += found[0]
    return out


# --- paraphrase rules ------------------------------------------------------------------------------------

_SAY_VERBS = frozenset("قال قالت أعلن أعلنت ذكر ذكرت أكد أكدت أوضح أوضحت أفاد أفادت أضاف أضافت".split())
_COMPLEMENTS = frozenset("إن أن بأن إنه إنها إنهم إنهما أنه أنها أنهم أنهما بأنه بأنها بأنهم".split())
_INNA = frozenset("إن إنه إنها إنهم إنهما إننا إنني".split())
# Words a leading و may be dropped from (besides و+ال...); ف only before verbs of saying.
_CONJ_OK = frozenset("""قال قالت أضاف أضافت أكد أكدت أوضح أوضحت أشار أشارت ذكر ذكرت أعلن أعلنت كان كانت تابع
    تابعت يقول تقول في من على بعد قبل خلال منذ بحسب حسب وفقا لم لا لن قد تم يأتي تأتي جاء جاءت بلغ بلغت شهد شهدت
    أفاد أفادت يذكر تشير يشير أظهر أظهرت كشف كشفت أدى أسفر أسفرت بين إلى عن مع هذا هذه هو هي أصبح أصبحت""".split())
_CONJ_NOT = frozenset("والد والدة والده والدها والدته والدتها والدين والدي".split())
_DAYS = "(?:ال)?(?:سبت|أحد|اثنين|ثلاثاء|أربعاء|خميس|جمعة)"
_TIME_TAIL = re.compile(
    rf"\s+((?:(?:خلال|في|منذ)\s+)?(?:(?:يوم|مساء|صباح|ليلة|فجر|ظهر)\s+{_DAYS}|(?:مساء|صباح|ليلة|فجر)\s+(?:أمس|اليوم)"
    rf"|أمس|في\s+وقت\s+(?:سابق|لاحق)|(?:الأسبوع|الشهر|العام)\s+(?:الماضي|المنصرم)))$")
_NUMBER_WORDS = {3: "ثلاثة", 4: "أربعة", 5: "خمسة", 6: "ستة", 7: "سبعة", 8: "ثمانية", 9: "تسعة", 10: "عشرة",
                 20: "عشرين", 30: "ثلاثين", 40: "أربعين", 50: "خمسين", 60: "ستين", 70: "سبعين", 80: "ثمانين",
                 90: "تسعين", 100: "مئة", 200: "مئتين", 300: "ثلاثمئة", 400: "أربعمئة", 500: "خمسمئة",
                 600: "ستمئة", 700: "سبعمئة", 800: "ثمانمئة", 900: "تسعمئة", 1000: "ألف", 2000: "ألفين",
                 **{k * 1000: f"{w} آلاف" for k, w in ((3, "ثلاثة"), (4, "أربعة"), (5, "خمسة"), (6, "ستة"),
                                                       (7, "سبعة"), (8, "ثمانية"), (9, "تسعة"), (10, "عشرة"))}}
_SCALES = frozenset("ألف آلاف مليون ملايين مليار مليارات".split())
_DIGIT_WORD = re.compile(r"([وب]?)(\d+)")
_Rewrite = tuple[str, list[str]]


def _split_end(s: str) -> tuple[str, str]:
    """(body, terminal punctuation): closing quotes stay with the body."""
    m = _TERMINAL.search(s)
    if m is None:
        return s, "."
    return s[:m.start()] + m[2], m[1]


def _drop_conjunction(s: str) -> str | None:
    m = re.match(r"([وف])(\w+)", s)
    if m is None:
        return None
    conj, rest = m[1], m[2]
    ok = rest in _SAY_VERBS if conj == "ف" else (
        rest in _CONJ_OK or rest.startswith("ال") and len(rest) >= 4 and m[0] not in _CONJ_NOT)
    return s[1:] if ok else None


def _attribution_to_end(s: str) -> _Rewrite | None:
    """«قال X إن Y.» -> «Y، بحسب X.»"""
    words = _words(s)
    if len(words) < 3 or words[0].start != 0 or not words[0].bare_after:
        return None
    verb = words[0].core
    if verb not in _SAY_VERBS and not (verb[:1] in "وف" and verb[1:] in _SAY_VERBS):
        return None
    j = next((k for k in range(1, min(len(words), _MAX_SOURCE_WORDS + 2)) if words[k].core in _COMPLEMENTS), 0)
    if j < 2 or not words[j].bare_before or not words[j].bare_after:
        return None
    source = s[words[0].end:words[j].start].strip(" ،,")
    rest = s[words[j].end:].strip()
    if any(ch in source for ch in "\"«»“”:()") or len(rest.split()) < 5:
        return None
    body, end = _split_end(rest)
    return f"{body.rstrip(' ،,')}، بحسب {source}{end}", ["attribution_to_end"]


def _time_to_front(s: str) -> _Rewrite | None:
    """«... يوم الثلاثاء.» -> «يوم الثلاثاء، ...»; not past an إن/أن, whose clause the time may belong to."""
    if any(w.core in _COMPLEMENTS for w in _words(s)):
        return None
    body, end = _split_end(s)
    m = _TIME_TAIL.search(body)
    if m is None:
        return None
    head = body[:m.start()].rstrip(" ،,")
    if head[:1] in "وف":
        dropped = _drop_conjunction(head)
        if dropped is None:
            return None
        head = dropped
    if len(head.split()) < 6:
        return None
    return f"{m[1]}، {head}{end}", ["time_to_front"]


def _synonyms(s: str) -> _Rewrite | None:
    """Up to two swaps from synonyms.tsv; after a verb of saying, its إن becomes أن."""
    words = _words(s)
    edits: dict[int, tuple[int, str]] = {}
    steps: list[str] = []
    for hit in _find(words, _table("synonyms.tsv")):
        start, end = words[hit.first].start, words[hit.last].end
        if len(steps) == _MAX_SYNONYMS or any(a < end and start < b for a, (b, _) in edits.items()):
            continue
        new = _join(hit.prefix, hit.row.replacement)
        edits[start] = (end, new)
        steps.append(f"synonym {s[start:end]}->{new}")
        if hit.row.cls == "say":
            comp = next((w for w in words[hit.last + 1:hit.last + _SAY_REACH] if w.core in _INNA), None)
            if comp is not None:
                edits[comp.start] = (comp.start + 1, "أ")
    return (_apply(s, edits), steps) if steps else None


def _number_words(s: str) -> _Rewrite | None:
    """Round numbers in digits as words: "5 أشخاص" -> "خمسة أشخاص", "60 ألف" -> "ستين ألف" (not years)."""
    words = _words(s)
    years = [(d.start, d.end) for d in extract_dates(s)]
    edits: dict[int, tuple[int, str]] = {}
    steps: list[str] = []
    for w, nxt in zip(words, words[1:]):
        m = _DIGIT_WORD.fullmatch(w.core)
        if (m is None or not w.bare_before or not w.bare_after or not _ARABIC_LETTER.match(nxt.core)
                or any(a < w.end and w.start < b for a, b in years)):
            continue
        value = int(m[2])
        word = _NUMBER_WORDS.get(value) if nxt.core not in _SCALES or value < 1000 else None
        if word is not None:
            edits[w.start] = (w.end, m[1] + word)
            steps.append(f"number_words {m[2]}->{word}")
    return (_apply(s, edits), steps) if steps else None


_PARAPHRASE_STEPS: tuple[Callable[[str], _Rewrite | None], ...] = (
    _attribution_to_end, _time_to_front, _synonyms, _number_words)


def _paraphrase(s: str, facts: _Facts) -> tuple[str, str] | None:
    """(claim, steps applied) or None; each step must keep the numbers, years and entities of ``s``."""
    signature = facts.signature()
    text = s
    steps: list[str] = []
    for step in _PARAPHRASE_STEPS:
        done = step(text)
        if done is not None and _facts(done[0]).signature() == signature:
            text, steps = done[0], steps + done[1]
    if not steps:
        return None
    dropped = _drop_conjunction(text)
    if dropped is not None:
        text, steps = dropped, steps + ["drop_conjunction"]
    return text, "; ".join(steps)


# --- single-fact changes ---------------------------------------------------------------------------------

_NUMBER = re.compile(r"\d+(?:[,\u066c]\d{3})*")
_NUMBER_GLUE = frozenset("-–/:.,\u066b\u066c")
_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_PRONOUN_COMPLEMENTS = _COMPLEMENTS - {"إن", "أن", "بأن"}
_ACTOR_KINDS = frozenset({"LOC", "ORG", "PER"})  # not events or seasons (MISC)
_NEIGHBOUR_ROWS = 20  # an actor is swapped for one listed near it in entities.tsv: a country for a country
_MAX_CHANGE_SHARE = 0.3  # of the changed cases, per change type
_Edit = tuple[int, int, str]  # start, end, replacement


def _like(old: str, value: int) -> str:
    """``value`` written as ``old`` is: same digits script, same thousands separator."""
    sep = next((c for c in ",\u066c" if c in old), "")
    text = f"{value:,}".replace(",", sep) if sep else str(value)
    return text.translate(_INDIC) if any("\u0660" <= c <= "\u0669" for c in old) else text


def _digits_value(digits: str) -> int:
    """The value of a run of digits (any script) with thousands separators: "60,000" -> 60000."""
    return int(digits.replace(",", "").replace("\u066c", ""))


def _overlaps(start: int, end: int, dates: Sequence[DateMention]) -> bool:
    return any(d.start < end and start < d.end for d in dates)


def _glued(s: str, start: int, end: int) -> bool:
    """The digits at start:end touch a separator or a Latin letter (a score, a range, a date, a decimal, "G5")."""
    before, after = s[start - 1:start], s[end:end + 1]
    return (before in _NUMBER_GLUE or after in _NUMBER_GLUE or before.isascii() and before.isalpha()
            or after.isascii() and after.isalpha())


def _number_change(s: str, facts: _Facts, rng: random.Random) -> _Edit | None:
    """A count or percent (not a year, date, score or decimal) doubled or raised by 37%."""
    options = []
    for m in facts.numbers:
        runs = list(_NUMBER.finditer(m.text))
        if m.kind not in ("cardinal", "percent") or len(runs) != 1:
            continue
        start, end = m.start + runs[0].start(), m.start + runs[0].end()
        if _overlaps(start, end, facts.dates) or _glued(s, start, end):
            continue
        value = _digits_value(runs[0].group())
        if value > 0:
            options.append((start, end, value, m.kind))
    if not options:
        return None
    start, end, value, kind = rng.choice(options)
    new = value * 2 if rng.random() < 0.5 else round(value * 1.37)
    if new == value:
        new = value * 2
    if kind == "percent" and new > 100 >= value:
        new = round(value / 2)
    return start, end, _like(s[start:end], new)


def _year_change(s: str, facts: _Facts, rng: random.Random) -> _Edit | None:
    """A stated year moved by 1 to 5 years, to a year the sentence does not state."""
    years = {d.year for d in facts.dates}
    options = []
    for d in facts.dates:
        m = re.search(r"(?<!\d)\d{4}(?!\d)", d.text)
        if d.year and m is not None and int(m.group()) == d.year \
                and not _glued(s, d.start + m.start(), d.start + m.end()):
            options.append((d.start + m.start(), d.start + m.end(), d.year))
    if not options:
        return None
    start, end, year = rng.choice(options)
    shifts = [k for k in (-5, -4, -3, -2, -1, 1, 2, 3, 4, 5) if year + k not in years]
    return start, end, _like(s[start:end], year + rng.choice(shifts))


def _actor_change(facts: _Facts, seen: frozenset[str], rng: random.Random) -> _Edit | None:
    """An entity named once swapped for another of the same kind, listed near it in entities.tsv and seen in
    the base."""
    listed = _entity_list()
    named = Counter(e.listed.canonical for e in facts.entities)
    options = []
    for e in facts.entities:
        if named[e.listed.canonical] > 1:
            continue
        choices = [a for a in sorted(seen) if listed[a].kind == e.listed.kind and listed[a].canonical not in named
                   and abs(listed[a].row - e.listed.row) <= _NEIGHBOUR_ROWS]
        if choices:
            options.append((e, choices))
    if not options:
        return None
    e, choices = rng.choice(options)
    return e.start, e.end, _join(e.prefix, rng.choice(choices))


def _table_change(s: str, kinds: tuple[str, ...], rng: random.Random) -> _Edit | None:
    """A swap from changes.tsv: an antonym, or a past verb negated with لم (at the start of the sentence
    or after «إنه/أنها...»). Sentences that already hold a negation are left alone."""
    if find_negations(s):
        return None
    words = _words(s)
    hits = [h for h in _find(words, _table("changes.tsv")) if h.row.cls in kinds]
    if "negated" in kinds:
        hits = [h for h in hits if h.first == 0 or h.prefix == "" and words[h.first - 1].core in _PRONOUN_COMPLEMENTS]
    if not hits:
        return None
    hit = rng.choice(hits)
    return words[hit.first].start, words[hit.last].end, _join(hit.prefix, hit.row.replacement)


def _change(s: str, facts: _Facts, seen: frozenset[str], done: Counter[str], cap: int,
            rng: random.Random) -> tuple[str, str, str] | None:
    """(claim, change, change type) with one fact changed; of the types used fewer than ``cap`` times so far,
    the least used wins."""
    found = {
        "number": _number_change(s, facts, rng),
        "year": _year_change(s, facts, rng),
        "actor": _actor_change(facts, seen, rng),
        "antonym": _table_change(s, ("antonym", "antonym_n"), rng),
        "negated": _table_change(s, ("negated",), rng),
    }
    edits = {t: e for t, e in found.items() if e is not None and done[t] < cap}
    if not edits:
        return None
    kind = min(_CHANGE_TYPES, key=lambda t: (t not in edits, done[t]))
    start, end, new = edits[kind]
    return s[:start] + new + s[end:], f"{kind} {s[start:end]}->{new}", kind


def _seen_actors(docs: Sequence[Document]) -> frozenset[str]:
    """Listed aliases of places, organisations and people whose words all occur in ``docs``."""
    vocab = {w for doc in docs for w in re.findall(r"\w+", doc.text)}
    return frozenset(alias for alias, listed in _entity_list().items()
                     if listed.kind in _ACTOR_KINDS and all(w in vocab for w in alias.split()))


# --- building --------------------------------------------------------------------------------------------

def _unseen_cases(docs: Sequence[Document], base_sentences: set[str], n: int,
                  rng: random.Random) -> list[ControlCase]:
    cases: list[ControlCase] = []
    used: set[str] = set()
    for doc, s in _stream(docs, rng):
        if len(cases) == n:
            break
        key = normalize_ar(s)
        if key not in base_sentences and key not in used and _facts(s).checkable:
            used.add(key)
            cases.append(ControlCase("unseen_true", s, EXPECTED["unseen_true"], s, doc.id, date=doc.date))
    return cases


def _base_cases(base: Sequence[Document], n: int, rng: random.Random) -> list[ControlCase]:
    """verbatim, paraphrase and changed cases from distinct base sentences, filled in turn."""
    out: dict[str, list[ControlCase]] = {"verbatim": [], "paraphrase": [], "changed": []}
    seen = _seen_actors(base)
    cap = math.ceil(_MAX_CHANGE_SHARE * n)
    change_types: Counter[str] = Counter()
    used: set[str] = set()
    for doc, s in _stream(base, rng):
        open_kinds = [k for k in ("changed", "paraphrase", "verbatim") if len(out[k]) < n]
        if not open_kinds:
            break
        key = normalize_ar(s)
        if key in used:
            continue
        facts = _facts(s)
        if not facts.checkable:
            continue
        made: dict[str, tuple[str, str]] = {}
        change_type = ""
        if "changed" in open_kinds:
            changed = _change(s, facts, seen, change_types, cap, rng)
            if changed is not None:
                made["changed"], change_type = changed[:2], changed[2]
        if "paraphrase" in open_kinds:
            paraphrase = _paraphrase(s, facts)
            if paraphrase is not None:
                made["paraphrase"] = paraphrase
        if "verbatim" in open_kinds:
            made["verbatim"] = (s, "")
        if not made:
            continue
        kind = min(made, key=lambda k: len(out[k]))
        if kind == "changed":
            change_types[change_type] += 1
        used.add(key)
        claim, change = made[kind]
        out[kind].append(ControlCase(kind, claim, EXPECTED[kind], s, doc.id, change, doc.date))
    return [case for kind in KINDS if kind in out for case in out[kind]]


def build_controls(data_dir: Path, n_base: int = 2000, n_per_kind: int = 200, seed: int = 13,
                   seed_dir: Path | None = None) -> ControlSet:
    """A control set: ``n_base`` random ANT train/dev articles plus the seed Reuters report as the base, and up
    to ``n_per_kind`` cases of each kind (fewer only when the articles run out).

    ``data_dir`` is the shared data folder (holding ``ant_multisource/``); the seed report is read from
    ``seed_dir``, by default the ``seed`` folder next to ``data_dir``. Same arguments, same set.
    """
    data_dir = Path(data_dir)
    rng = random.Random(seed)
    articles = _sample_articles(data_dir / ANT_FILE, n_base + _POOL_FACTOR * n_per_kind, seed)
    base = [_document(r) for r in articles[:n_base]]
    base.append(load_seed_report(seed_dir if seed_dir is not None else data_dir.parent / "seed"))
    held_out = [_document(r) for r in articles[n_base:]]
    base_sentences = {normalize_ar(s) for doc in base for s in _sentences(doc)}
    cases = _unseen_cases(held_out, base_sentences, n_per_kind, rng) + _base_cases(base, n_per_kind, rng)
    return ControlSet(base, cases)


# --- scoring ---------------------------------------------------------------------------------------------

def score_controls(cases: Sequence[ControlCase], verdict_labels: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Per kind: n, the share of each verdict label, and the goal figure (``goal``, ``value``, ``met``)."""
    if len(cases) != len(verdict_labels):
        raise ValueError(f"{len(cases)} cases but {len(verdict_labels)} verdict labels")
    unknown = sorted(set(verdict_labels) - set(VERDICTS))
    if unknown:
        raise ValueError(f"unknown verdict labels: {unknown}")
    scores: dict[str, dict[str, Any]] = {}
    for kind in KINDS:
        labels = Counter(label for case, label in zip(cases, verdict_labels) if case.kind == kind)
        n = sum(labels.values())
        row: dict[str, Any] = {"n": n, **{label: labels[label] / n if n else 0.0 for label in VERDICTS}}
        label, op, threshold = GOALS[kind]
        value = row[label]
        row.update(goal=f"{label} {op} {threshold:.0%}", value=value,
                   met=n > 0 and (value <= threshold if op == "<=" else value >= threshold))
        scores[kind] = row
    return scores
