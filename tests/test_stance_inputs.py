"""The stance model's per-text inputs kept in the store: read back instead of from the texts, to the same verdicts."""
from __future__ import annotations

import pytest

from tabayyun import stance_inputs
from tabayyun.models.stance import LearnedStance
from tabayyun.models.features import TextInputs
from tabayyun.pipeline import Tabayyun
from tabayyun.store.base import text_key

CLAIMS = ("أسرت قوات سوريا الديمقراطية 500 مقاتل قرب الباغوز", "ارتفعت أسعار النفط إلى 70 دولارا للبرميل")


@pytest.fixture
def reads(monkeypatch):
    """The texts whose ``TextInputs`` are read from their words in this test."""
    read: list[str] = []
    inner = TextInputs.read.__func__
    monkeypatch.setattr(TextInputs, "read", classmethod(lambda cls, text, tfidf: read.append(text)
                                                        or inner(cls, text, tfidf)))
    return read


def _judged(base: Tabayyun) -> tuple[list[dict], set[str]]:
    verdicts = [base.verify(c).to_dict() for c in CLAIMS]
    return verdicts, {*CLAIMS, *(e["sentence"] for v in verdicts for e in v["evidence"])}


def test_a_check_in_a_new_process_reads_the_kept_inputs_instead_of_the_texts(tmp_path, news_file, reads):
    base = Tabayyun(tmp_path / "db", create=True)
    base.ingest([news_file])
    first, texts = _judged(base)
    assert len(texts) > len(CLAIMS) and texts <= set(reads)
    kept = base.store.load_vectors(stance_inputs.INPUTS_NAME, [text_key(t) for t in texts])
    assert len(kept) == len(texts)
    reads.clear()
    again = Tabayyun(tmp_path / "db")  # a new model: nothing in its memory
    assert again.stance_inputs is not None and again.stance_inputs.model.inputs.get(CLAIMS[0]) is None
    assert _judged(again)[0] == first  # the same verdicts, to the byte
    assert reads == []


def test_inputs_are_not_kept_by_a_read_only_open_nor_read_under_another_spec(tmp_path, news_file, reads,
                                                                             monkeypatch):
    Tabayyun(tmp_path / "db", create=True).ingest([news_file])
    _, texts = _judged(Tabayyun(tmp_path / "db", readonly=True))
    keys = [text_key(t) for t in texts]
    writer = Tabayyun(tmp_path / "db")
    assert writer.store.load_vectors(stance_inputs.INPUTS_NAME, keys) == {}  # a base from before: read from the texts
    first, _ = _judged(writer)
    assert len(writer.store.load_vectors(stance_inputs.INPUTS_NAME, keys)) == len(texts)
    reads.clear()
    monkeypatch.setattr(LearnedStance, "inputs_spec", lambda self, text_version: "another")  # the features changed
    changed = Tabayyun(tmp_path / "db")
    assert changed.store.load_vectors(stance_inputs.INPUTS_NAME, keys) == {}  # dropped by a writable open
    assert _judged(changed)[0] == first and set(reads) == texts


def test_the_kept_inputs_spec_follows_the_text_codes_version(tmp_path, monkeypatch):
    """The spec recorded in the store digests the text code's version: a change of the text code drops the inputs."""
    model = LearnedStance.pretrained()
    assert model.inputs_spec("a") == model.inputs_spec("a") != model.inputs_spec("b")
    store = Tabayyun(tmp_path / "db", create=True).store
    first = store.vector_spec(stance_inputs.INPUTS_NAME)
    assert first == model.inputs_spec(stance_inputs.facts_version())
    monkeypatch.setattr(stance_inputs, "facts_version", lambda: "another text code")
    assert stance_inputs.StoredInputs(model, store).usable
    assert store.vector_spec(stance_inputs.INPUTS_NAME) == model.inputs_spec("another text code") != first
