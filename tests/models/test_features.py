"""The stance model's per-text reads are kept in bounded caches and equal an uncached read."""
from __future__ import annotations

from tabayyun.models import features


def test_a_text_is_read_once_within_a_bound():
    text = "ارتفع عدد القتلى إلى 60,000 و 12 جريحا في https://example.com"
    features.tokens.cache_clear()
    words = features.tokens(text)
    assert words == tuple(features._TOKEN.findall(features.normalize(text))) and "https" not in words
    assert features.tokens(text) is words  # read once: the same tuple again
    assert features._numbers(text) == {60000.0, 12.0}
    for cache in (features.tokens, features._numbers, features._text_cues):
        assert cache.cache_info().maxsize == features._TEXT_CACHE
