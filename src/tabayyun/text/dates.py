"""Dates stated in text (years, day-month-year in Arabic, Levantine, Maghrebi or English month names,
ISO and d/m/y numerals) and the normalisation of user-given dates."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime

from tabayyun.text._lexicon import ALL_CLITICS, PhraseMatcher, data_rows, joined_flags, scan, word_set
from tabayyun.text.normalize import normalize_digits
from tabayyun.text.social import mask_social
from tabayyun.text.tokens import Token, tokenize

__all__ = ["DateMention", "extract_dates", "stated_years", "parse_iso_date", "day_after"]

_YEARS = range(1900, 2101)
# RFC 2822 timestamps (RSS pubDate, e-mail): "Sun, 18 Feb 2018 21:35:43 +0400"; weekday and zone optional.
_RFC2822 = re.compile(r"(?:[A-Za-z]{3}, *)?\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} "
                      r"\d{2}:\d{2}(?::\d{2})?(?: (?:[+-]\d{4}|[A-Z]{1,5}))?", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date and its span in the original text; fields not stated stay None."""

    start: int
    end: int
    text: str
    year: int | None = None
    month: int | None = None
    day: int | None = None


# Payload: (month, ambiguous).
_MONTHS = PhraseMatcher(((r[0], (int(r[1]), len(r) > 2 and r[2] == "ambiguous")) for r in data_rows("months.tsv")),
                        ALL_CLITICS)
_TRIGGERS = PhraseMatcher(((w, True) for w in word_set("year_triggers.txt")), ALL_CLITICS)
_ISO = re.compile(r"(?<![\d/.-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d/-])")
_DMY = re.compile(r"(?<![\d/.-])(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?![\d/.-])")
_MONTH_SLASH = re.compile(r"\s*/\s*")  # "آذار/مارس": two names of the same month
_DIGIT = re.compile(r"\d")


def _valid(year: int, month: int | None = None, day: int | None = None) -> bool:
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        return False
    return year in _YEARS


def _numeric_dates(text: str, masked: str) -> list[DateMention]:
    out = []
    for pattern, order in ((_ISO, (0, 1, 2)), (_DMY, (2, 1, 0))):
        for m in pattern.finditer(masked):
            y, mo, d = (int(m.group(k + 1)) for k in order)
            if _valid(y, mo, d):
                out.append(DateMention(m.start(), m.end(), text[m.start():m.end()], y, mo, d))
    return out


def _int(token: Token, allowed: range) -> int | None:
    if token.is_number and token.norm.isdigit() and int(token.norm) in allowed:
        return int(token.norm)
    return None


class _Reader:
    """Dates over the tokens of ``masked`` (``mask_social(text)``); mention text is sliced from ``text``."""

    def __init__(self, text: str, masked: str, tokens: list[Token]) -> None:
        self.text, self.masked, self.tokens = text, masked, tokens
        self.norms = [t.norm for t in tokens]
        self.joined = joined_flags(masked, tokens)

    def _month(self, i: int) -> tuple[int, int, bool] | None:
        """(last token, month, ambiguous) of a month name at token i, absorbing "آذار/مارس"."""
        hit = _MONTHS.match_at(self.norms, self.joined, i)
        if hit is None or hit[1] is None:
            return None
        j, (month, ambiguous) = i + hit[0] - 1, hit[1]
        gap = self.masked[self.tokens[j].end:self.tokens[j + 1].start] if j + 1 < len(self.tokens) else ""
        if _MONTH_SLASH.fullmatch(gap):
            alias = _MONTHS.match_at(self.norms, self.joined, j + 1)
            if alias is not None and alias[1] is not None and alias[1][0] == month:
                j, ambiguous = j + alias[0], ambiguous and alias[1][1]
        return j, month, ambiguous

    def read(self, i: int) -> DateMention | None:
        tokens, n = self.tokens, len(self.tokens)
        day = _int(tokens[i], range(1, 32))
        m_at = i + 1 if day is not None and i + 1 < n and self.joined[i] else i
        month = self._month(m_at)
        if month is not None and (m_at == i or day is not None):
            j, mon, ambiguous = month
            year = _int(tokens[j + 1], _YEARS) if j + 1 < n and self.joined[j] else None
            if year is not None:
                j += 1
            if (not ambiguous or day is not None or year is not None) and _valid(year or 2000, mon, day):
                start = tokens[i].start
                return DateMention(start, tokens[j].end, self.text[start:tokens[j].end], year, mon,
                                   day if m_at > i else None)
        trigger = _TRIGGERS.match_at(self.norms, self.joined, i)
        k = i + trigger[0] if trigger is not None else i
        if k < n and (k == i or self.joined[k - 1]):
            year = _int(tokens[k], _YEARS)
            if year is not None and len(tokens[k].norm) == 4:
                start = tokens[i].start
                return DateMention(start, tokens[k].end, self.text[start:tokens[k].end], year)
        return None


def extract_dates(text: str) -> list[DateMention]:
    """Date mentions in order of appearance, with offsets into ``text``; none from links, mentions or emoji."""
    masked = mask_social(text)
    found = _numeric_dates(text, masked)
    taken = [(d.start, d.end) for d in found]
    tokens = [t for t in tokenize(masked) if not any(a <= t.start < b for a, b in taken)]
    reader = _Reader(text, masked, tokens)

    def read(i: int) -> tuple[int, DateMention] | None:
        mention = reader.read(i)
        if mention is None:
            return None
        return next((k for k in range(i, len(tokens)) if tokens[k].start >= mention.end), len(tokens)), mention

    found += scan(len(tokens), read)
    return sorted(found, key=lambda d: d.start)


def stated_years(text: str) -> set[int]:
    """The years of the dates of ``text``; a year is written in digits, so a text without any is not read."""
    if not _DIGIT.search(text):
        return set()
    return {d.year for d in extract_dates(text) if d.year is not None}


def day_after(iso: str | None) -> str | None:
    """The day after an ISO date or timestamp ("2019-03-31" -> "2019-04-01"): the exclusive bound that an
    inclusive "until" day stands for; None for None."""
    return None if iso is None else (date.fromisoformat(iso[:10]) + timedelta(days=1)).isoformat()


def parse_iso_date(s: str) -> str | None:
    """A user date as ISO: "2019-03-19", "19/3/2019", "19 مارس 2019" -> "2019-03-19"; timestamps keep their time
    ("2019-03-19T10:00:00Z" -> "2019-03-19T10:00:00+00:00"), RSS and e-mail ones too ("Sun, 18 Feb 2018
    21:35:43 +0400" -> "2018-02-18T21:35:43+04:00"). None when not a valid full date."""
    s = normalize_digits(s.strip())
    try:
        if len(s) > 10:
            return datetime.fromisoformat(s.replace("Z", "+00:00")).isoformat()
        return date.fromisoformat(s).isoformat()
    except ValueError:
        pass
    if _RFC2822.fullmatch(s):
        try:
            return parsedate_to_datetime(s).isoformat()
        except (TypeError, ValueError):
            return None
    dates = extract_dates(s)
    d = dates[0] if len(dates) == 1 else None
    if d is not None and d.text == s and d.year is not None and d.month is not None and d.day is not None:
        return date(d.year, d.month, d.day).isoformat()
    return None
