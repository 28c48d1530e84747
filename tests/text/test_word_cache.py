"""Every per-word cache shares one bound (``WORD_CACHE``), so a long-running server's memory stops growing."""
from __future__ import annotations

import pytest

from tabayyun.models import features
from tabayyun.text import _lexicon, tokens
from tabayyun.text import normalize_ar
from tabayyun.text._lexicon import WORD_CACHE
from tabayyun.verify import signals

WORD_CACHES = [tokens._normalize_word, tokens.stem_ar, tokens.index_term, _lexicon.clitic_variants, signals._terms,
               features._word_hashes]


@pytest.mark.parametrize("cache", WORD_CACHES, ids=lambda c: c.__wrapped__.__qualname__)
def test_per_word_caches_share_the_bound(cache) -> None:
    assert cache.cache_info().maxsize == WORD_CACHE


def test_more_distinct_words_than_the_bound_stay_within_it() -> None:
    tokens.stem_ar.cache_clear()
    words = [f"كتاب{n}" for n in range(WORD_CACHE + 500)]
    stems = [tokens.stem_ar(w) for w in words]
    assert tokens.stem_ar.cache_info().currsize == WORD_CACHE
    # an evicted word is computed again, to the same stem
    assert tokens.stem_ar(words[0]) == stems[0]
    assert tokens.stem_ar.cache_info().currsize == WORD_CACHE


def test_a_matchers_memory_of_phrase_starts_stays_within_the_bound() -> None:
    matcher = _lexicon.PhraseMatcher([("قوات سوريا الديمقراطية", "SDF")], _lexicon.ALL_CLITICS)
    words = [f"كلمة{n}" for n in range(WORD_CACHE + 500)]
    assert all(matcher.match_at([w], [], 0) is None for w in words)
    assert len(matcher._starts) <= WORD_CACHE
    norms = normalize_ar("وقوات سوريا الديمقراطية").split()
    assert matcher.match_at(norms, [True, True], 0) == (3, "SDF")  # a start is found again after a forgetting
    assert matcher.match_at(norms, [True, True], 0) == (3, "SDF")
