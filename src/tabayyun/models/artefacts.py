"""Reading and writing the shipped artefacts: one ``NAME.npz`` (arrays) and ``NAME.json`` (metadata).

The metadata records the version of the features the arrays were trained on and, for a model that reads
sentence vectors, the encoder's name and dimension; ``load_artefact`` checks the version and the name,
``UsesEncoder`` the dimension, so a model trained on other features or vectors is refused in one line
instead of failing on an array's shape."""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from tabayyun.errors import TabayyunError
from tabayyun.index.vectors import ENCODERS

__all__ = ["load_artefact", "save_artefact", "MODEL_VERSION", "encoder_meta"]

#: Version of the features the stance, worthiness and verdict models read (``models/features.py``,
#: ``verify``): raised whenever a feature, its order or the meaning of an array changes.
MODEL_VERSION = 1


def encoder_meta(name: str, dim: int) -> dict[str, Any]:
    """What an artefact records of the sentence encoder it was trained with (``dim``: of the vectors it saw;
    ``UsesEncoder`` refuses vectors of another width)."""
    return {"encoder": name, "encoder_dim": dim}


def load_artefact(name: str, path: str | Path | None = None,
                  version: int | None = None) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Arrays and metadata of an artefact, from ``path`` or the package's ``artefacts/``; with ``version``,
    an artefact of other features, or of an encoder this code does not have, is a ``TabayyunError``."""
    base = Path(path) if path is not None else resources.files("tabayyun.models") / "artefacts"
    with (base / f"{name}.npz").open("rb") as fh, np.load(fh) as z:
        arrays = {k: z[k] for k in z.files}
    meta = json.loads((base / f"{name}.json").read_text(encoding="utf-8"))
    retrain = "retrain it (python -m tabayyun.models.train) or reinstall tabayyun"
    if version is not None and meta.get("version") != version:
        raise TabayyunError(f"the {name} model in {base} has features version {meta.get('version')}, this code "
                            f"reads version {version}: {retrain}")
    encoder = meta.get("encoder")
    if encoder is not None and encoder not in ENCODERS:
        raise TabayyunError(f"the {name} model in {base} was trained on {encoder} vectors, an encoder this code "
                            f"does not have: {retrain}")
    return arrays, meta


def save_artefact(out_dir: Path, name: str, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
    """Write ``NAME.npz`` (compressed, deterministic content) and ``NAME.json``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out_dir / f"{name}.npz",
                        **{k: arrays[k] for k in sorted(arrays)})  # type: ignore[arg-type]  # numpy stubs: allow_pickle
    (out_dir / f"{name}.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True)
                                          + "\n", encoding="utf-8")

