"""Reading and writing the shipped artefacts: one ``NAME.npz`` (arrays) and ``NAME.json`` (metadata)."""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["load_artefact", "save_artefact"]


def load_artefact(name: str, path: str | Path | None = None) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Arrays and metadata of an artefact, from ``path`` or the package's ``artefacts/``."""
    base = Path(path) if path is not None else resources.files("tabayyun.models") / "artefacts"
    with (base / f"{name}.npz").open("rb") as fh, np.load(fh) as z:
        arrays = {k: z[k] for k in z.files}
    meta = json.loads((base / f"{name}.json").read_text(encoding="utf-8"))
    return arrays, meta


def save_artefact(out_dir: Path, name: str, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
    """Write ``NAME.npz`` (compressed, deterministic content) and ``NAME.json``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out_dir / f"{name}.npz",
                        **{k: arrays[k] for k in sorted(arrays)})  # type: ignore[arg-type]  # numpy stubs: allow_pickle
    (out_dir / f"{name}.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True)
                                          + "\n", encoding="utf-8")

