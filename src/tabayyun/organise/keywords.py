"""Keyword evidence for the 17 subjects: the Arabic lexicon of ``data/topic_keywords.tsv``.

Used at training time to give weak labels to the ANT articles filed under ``middleEast`` and
``internationalNews`` (see ``tabayyun.organise.train``); run time uses the trained classifier only.
"""
from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

import numpy as np

from tabayyun.organise.topics import subject_ids
from tabayyun.text import tokenize
from tabayyun.text._lexicon import ALL_CLITICS, PhraseMatcher, joined_flags

__all__ = ["keyword_counts"]


@lru_cache(maxsize=1)
def _matcher() -> PhraseMatcher[int]:
    index = {s: i for i, s in enumerate(subject_ids())}
    text = files("tabayyun.organise").joinpath("data", "topic_keywords.tsv").read_text(encoding="utf-8")
    phrases: list[tuple[str, int]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        subject, phrase = line.split("\t")
        phrases.append((phrase, index[subject]))
        if " " not in phrase and not phrase.startswith("ال"):
            phrases.append(("ال" + phrase, index[subject]))
    return PhraseMatcher(phrases, ALL_CLITICS)


def keyword_counts(text: str) -> np.ndarray:
    """Matches of each subject's keywords in ``text`` (longest phrase first, no overlaps), in taxonomy order."""
    toks = tokenize(text)
    out = np.zeros(len(subject_ids()))
    for _, _, subject in _matcher().find([t.norm for t in toks], joined_flags(text, toks)):
        if subject is not None:
            out[subject] += 1
    return out
