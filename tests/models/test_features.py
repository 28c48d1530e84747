"""The stance model's per-text reads are kept in bounded caches and equal an uncached read."""
from __future__ import annotations

import zlib

import numpy as np

from tabayyun.models import features
from tabayyun.models.features import TextInputs
from tabayyun.models.stance import LearnedStance


def test_a_text_is_read_once_within_a_bound():
    text = "ارتفع عدد القتلى إلى 60,000 و 12 جريحا في https://example.com"
    features.tokens.cache_clear()
    words = features.tokens(text)
    assert words == tuple(features._TOKEN.findall(features.normalize(text))) and "https" not in words
    assert features.tokens(text) is words  # read once: the same tuple again
    assert features._numbers(text) == {60000.0, 12.0}
    for cache in (features.tokens, features._numbers):
        assert cache.cache_info().maxsize == features._TEXT_CACHE


def test_a_texts_inputs_come_back_equal_from_a_stored_vector():
    model = LearnedStance.pretrained()
    for text in ("لم تنفِ الوزارة أن القوات أسرت 500 مقاتل ولم تفرج عنهم", "ارتفعت أسعار النفط", ""):
        read = TextInputs.read(text, model.tfidf)
        back = TextInputs.from_vector(np.frombuffer(read.to_vector().tobytes(), dtype=np.float32))
        assert (back.negations, back.predicates) == (read.negations, read.predicates)
        assert back.row[0].dtype == read.row[0].dtype and np.array_equal(back.row[0], read.row[0])
        assert back.row[1].dtype == read.row[1].dtype and np.array_equal(back.row[1], read.row[1])
    cued = TextInputs.read("لم تنفِ الوزارة أن القوات أسرت 500 مقاتل", model.tfidf)
    assert cued.negations >= 1 and cued.predicates  # a vector that keeps the cues too


def test_pair_features_from_kept_inputs_equal_those_read_from_the_texts():
    model = LearnedStance.pretrained()
    claims = ["أسرت القوات 500 مقاتل قرب الحدود"] * 2
    texts = ["لم تأسر القوات أي مقاتل قرب الحدود", "أفرجت القوات عن 500 مقاتل"]
    vectors = np.random.default_rng(1).standard_normal((4, 8)).astype(np.float32)
    read = model.sentence_inputs(claims, texts, vectors[:2], vectors[2:])
    kept = LearnedStance.pretrained()
    kept.inputs.remember({t: TextInputs.from_vector(model.text_inputs(t).to_vector()) for t in [*claims, *texts]})
    again = kept.sentence_inputs(claims, texts, vectors[:2], vectors[2:])
    assert np.array_equal(read[0], again[0]) and read[0][:, -2:].any()  # the cue features are there
    assert all(np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1]) for a, b in zip(read[1], again[1]))


def test_a_words_feature_indices_are_the_crc32_of_its_grams():
    # the shipped model was trained on these indices: a faster hashing must give the same ones
    for word in ("الباغوز", "2019", "a", "ب"):
        for prefix, char_range, words in (("", (2, 5), True), ("t:", (2, 5), True), ("c:", (1, 3), False)):
            grams = features._word_grams(word, char_range, words, prefix)
            want = [zlib.crc32(g.encode("utf-8")) % 2 ** 18 for g in grams]
            assert features._word_hashes.__wrapped__(word, char_range, words, prefix, 2 ** 18).tolist() == want
    assert features.HashedTfidf(2 ** 10).hash(["s:a>b"]).tolist() == [zlib.crc32(b"s:a>b") % 2 ** 10]
