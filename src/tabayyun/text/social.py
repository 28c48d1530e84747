"""Social-media noise in text: links, @mentions, retweet prefixes, emoji and hashtags.

``mask_social`` keeps the length of its input (masked characters become spaces), so spans found in the
masked text index the original text too. Tokens, numbers and dates are read from the masked text.
"""
from __future__ import annotations

import re

from tabayyun.text.normalize import WORD_MARKS, WORD_PATTERN

__all__ = ["mask_social", "has_social", "content_words", "longest_arabic_run"]

# Pictographs, dingbats, arrows and stars, flags (regional indicators), skin tones and subdivision tags.
_EMOJI = "\U0001f000-\U0001faff\u2300-\u23ff\u2600-\u27bf\u2b00-\u2bff\U000e0020-\U000e007f"
# Glue of emoji sequences: variation selectors, combining keycap; a ZWJ only between such characters,
# since one inside an Arabic word is a letter joiner.
_GLUE = "\ufe0e\ufe0f\u20e3"
# Bidi isolates/embeddings/marks that clients wrap around mentions and hashtags.
_BIDI = "\u200e\u200f\u202a-\u202e\u2066-\u2069"
_URL_END = r"[^\s.,;:!?\u060c\u061b\u061f)\]}\"'»”…]"  # a link does not end with sentence punctuation
_NOISE = (
    rf"(?:https?://|www\.)\S*{_URL_END}"
    r"|(?<![\w.+-])[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"  # e-mail address
    rf"|(?<![\w.@/-])(?:[A-Za-z0-9-]+\.)+(?:[A-Za-z]{{2,}}/\S*{_URL_END}"  # bare link: "t.co/x", "bit.ly/x"
    r"|(?:com|net|org|gov|edu|info|news)(?:\.[A-Za-z]{2})?\b)"  # bare domain: "moh.gov.bh"
    r"|(?<!\w)RT\s*@\w+:?"
    r"|(?<![A-Za-z0-9_@])@\w+"
    rf"|[0-9#*][{_GLUE}]*\u20e3"  # keycap "1️⃣" is a bullet, not a number
    rf"|[{_EMOJI}{_GLUE}](?:[{_EMOJI}{_GLUE}\u200d]*[{_EMOJI}{_GLUE}])?"
    rf"|[{_BIDI}]+"
)
_HASHTAG = r"(?<![A-Za-z0-9_&])#"
_MASK = re.compile(rf"{_NOISE}|{_HASHTAG}([\w{WORD_MARKS}]+)", re.IGNORECASE)
_MASK_ALL = re.compile(rf"{_NOISE}|{_HASHTAG}[\w{WORD_MARKS}]+", re.IGNORECASE)
# Every match of _MASK holds one of these: most text has none and is returned as is.
_TRIGGER = re.compile(rf"[@#/{_EMOJI}{_GLUE}{_BIDI}]|\.[A-Za-z]")
_WORD = re.compile(WORD_PATTERN)
_ARABIC_LETTERS = re.compile("[\u0621-\u063f\u0641-\u064a\u0671-\u06d3]+")  # tatweel (U+0640) is no letter


def _blank(m: re.Match[str]) -> str:
    tag = m.group(1)
    if tag is None:
        return " " * (m.end() - m.start())
    return " " + tag.replace("_", " ")


def has_social(text: str) -> bool:
    """Whether ``text`` may hold something ``mask_social`` changes (False: it is returned as it is)."""
    return _TRIGGER.search(text) is not None


def mask_social(text: str) -> str:
    """``text`` of the same length with links, e-mails, @mentions, "RT @user:", emoji and bidi marks blanked
    to spaces; a hashtag keeps its words: "#كورونا_في_البحرين" -> " كورونا في البحرين"."""
    return _MASK.sub(_blank, text) if has_social(text) else text


def _content(text: str) -> str:
    """``text`` with links, mentions, emoji and hashtags blanked."""
    return text if _TRIGGER.search(text) is None else _MASK_ALL.sub(" ", text)


def content_words(text: str) -> int:
    """Words of ``text`` outside links, mentions, emoji and hashtags: 0 for a tweet that is only those."""
    return len(_WORD.findall(_content(text)))


def longest_arabic_run(text: str) -> int:
    """The most Arabic letters in a row (no space, digit, mark or punctuation between) outside links, mentions,
    emoji and hashtags."""
    return max(map(len, _ARABIC_LETTERS.findall(_content(text))), default=0)
