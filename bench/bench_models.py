"""Speed of the learned models: loading, check-worthiness sentences/s, stance pairs/s.

Run: ``python bench/bench_models.py [--n 2000]``. Sentence vectors are embedded once first
(a warm embedding cache), so the figures measure the models, as the speed goals specify; the time
that embedding took is reported too (sentences/s of each encoder the models use, cold).
"""
from __future__ import annotations

import argparse
import json
import random
import time

from tabayyun.index.vectors import cached_encoder
from tabayyun.models import LearnedStance, LearnedVerdict, LearnedWorthiness

WORDS = ("أعلنت الحكومة الوزارة الجيش مقتل إصابة ارتفاع انخفاض أسعار النفط الذهب في حلب دمشق "
         "بغداد القاهرة أمس اليوم نفى أكد مصدر رسمي عن 300 50 مليون دولار شخصا اتفاق مفاوضات").split()


def sentences(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 25))) for _ in range(n)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=2000)
    args = ap.parse_args()
    start = time.perf_counter()
    worth, stance = LearnedWorthiness.pretrained(), LearnedStance.pretrained()
    LearnedVerdict.pretrained()
    load_s = time.perf_counter() - start
    texts, claims = sentences(args.n, 1), sentences(args.n, 2)
    caches, embed_rates = {}, {}
    for model in (worth, stance):
        if model.encoder_name not in caches:
            caches[model.encoder_name] = cached_encoder(model.encoder_name)
            start = time.perf_counter()
            caches[model.encoder_name].encode(texts + claims)
            embed_rates[model.encoder_name] = round(2 * args.n / (time.perf_counter() - start))
        model.encoder = caches[model.encoder_name]
    start = time.perf_counter()
    worth.score(texts)
    worth_rate = args.n / (time.perf_counter() - start)
    start = time.perf_counter()
    stance.sentence_proba(claims, texts)
    stance_rate = args.n / (time.perf_counter() - start)
    start = time.perf_counter()
    for claim, text in zip(claims[:200], texts[:200]):
        stance.predict(claim, [text])
    single_rate = 200 / (time.perf_counter() - start)
    print(json.dumps({"load_s": round(load_s, 3), "cold_embedding_sentences_per_s": embed_rates,
                      "worthiness_sentences_per_s": round(worth_rate),
                      "stance_pairs_per_s_batched": round(stance_rate),
                      "stance_pairs_per_s_one_call_each": round(single_rate)}, indent=1))


if __name__ == "__main__":
    main()
