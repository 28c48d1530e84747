"""Artefacts record their features version and encoder; another version or vector width is refused in one line."""
from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from tabayyun.errors import TabayyunError
from tabayyun.models.artefacts import MODEL_VERSION
from tabayyun.models.stance import LearnedStance
from tabayyun.models.verdict import LearnedVerdict
from tabayyun.models.worthiness import LearnedWorthiness


def _edit(src, dst, name: str, **changes) -> None:
    shutil.copytree(src, dst)
    meta = json.loads((dst / f"{name}.json").read_text(encoding="utf-8"))
    (dst / f"{name}.json").write_text(json.dumps({**meta, **changes}), encoding="utf-8")


def test_trained_and_shipped_artefacts_record_version_and_encoder(trained, encoder):
    for path in (trained, None):
        for name, model in (("stance", LearnedStance), ("worthiness", LearnedWorthiness)):
            loaded = model.pretrained(path)
            assert loaded.encoder_dim == (encoder.dim if path else 384), name
        assert LearnedVerdict.pretrained(path) is not None
    meta = json.loads((trained / "stance.json").read_text(encoding="utf-8"))
    assert (meta["version"], meta["encoder_dim"]) == (MODEL_VERSION, encoder.dim)


@pytest.mark.parametrize("name, model", [("stance", LearnedStance), ("worthiness", LearnedWorthiness),
                                         ("verdict", LearnedVerdict)])
def test_an_artefact_of_other_features_is_refused(trained, tmp_path, name, model):
    _edit(trained, tmp_path / "old", name, version=MODEL_VERSION + 1)
    with pytest.raises(TabayyunError, match=f"the {name} model .* version {MODEL_VERSION + 1}.*retrain"):
        model.pretrained(tmp_path / "old")


def test_an_unknown_encoder_is_refused(trained, tmp_path):
    _edit(trained, tmp_path / "odd", "stance", encoder="labse")
    with pytest.raises(TabayyunError, match="labse"):
        LearnedStance.pretrained(tmp_path / "odd")


def test_vectors_of_another_width_are_refused_before_the_heads_read_them(trained, encoder):
    class Narrow:
        dim = 16

        def encode(self, texts):
            return np.ones((len(texts), 16), dtype=np.float32) / 4.0

    model = LearnedStance.pretrained(trained, encoder=Narrow())
    with pytest.raises(TabayyunError, match=f"{encoder.dim} dimensions, but its encoder gives 16"):
        model.sentence_proba(["ارتفع سعر الخبز"], ["ارتفع سعر الخبز في المدينة"])
    assert LearnedStance.pretrained(trained, encoder=encoder).sentence_proba(
        ["ارتفع سعر الخبز"], ["ارتفع سعر الخبز في المدينة"]).shape == (1, 4)
