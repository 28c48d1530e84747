"""How well documents are organised into stories: unifiedfc, AuRED dev, the seed, and ANT at scale.

Gold stories:
- unifiedfc (folds 1-4): the articles that a claim's annotators marked agree / disagree / discuss are one
  story (claims that share such an article are one story); an article only ever marked unrelated is a
  story of its own. Every article is organised once, in file order.
- AuRED dev: the rumour and its gold evidence tweets belong to one story of its timeline (organised in the
  file's order, newest tweet first, and again in the order the tweets were posted, as a live feed arrives:
  the stories of short texts depend on the order).
- The seed: the Reuters report and the post are one story.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import random
import tempfile
from collections import Counter
from importlib.resources import files
from pathlib import Path
from typing import Any, Hashable, Iterable, Mapping

from tabayyun.evaluation.aured import load_aured
from tabayyun.evaluation.controls import ANT_FILE, SEED_DATE, load_seed_post, load_seed_report
from tabayyun.evaluation.controls import _document as _ant_document, _sample_articles
from tabayyun.models.data import load_unifiedfc
from tabayyun.organise.stories import StoryClusterer, StoryConfig
from tabayyun.records import Document

__all__ = ["bcubed", "pairwise", "unifiedfc_documents", "eval_unifiedfc", "posting_order", "eval_aured_stories",
           "eval_seed_story",
           "ant_documents", "ANT_JUDGED_SEED", "ant_story_sample", "eval_ant_purity", "members_hash", "render_stories",
           "eval_stories"]

RELATED = frozenset({"agree", "disagree", "discuss"})


def bcubed(pred: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering (item -> cluster) against the gold one."""
    items = list(gold)
    pred_members: dict[Hashable, set[str]] = {}
    gold_members: dict[Hashable, set[str]] = {}
    for item in items:
        pred_members.setdefault(pred[item], set()).add(item)
        gold_members.setdefault(gold[item], set()).add(item)
    p = r = 0.0
    for item in items:
        both = len(pred_members[pred[item]] & gold_members[gold[item]])
        p += both / len(pred_members[pred[item]])
        r += both / len(gold_members[gold[item]])
    p, r = p / len(items), r / len(items)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def pairwise(pred: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> tuple[float, float, float]:
    """Precision, recall and F1 over pairs of items placed together."""
    def pairs(labels: Mapping[str, Hashable]) -> set[tuple[str, str]]:
        groups: dict[Hashable, list[str]] = {}
        for item in gold:
            groups.setdefault(labels[item], []).append(item)
        return {(a, b) for g in groups.values() for i, a in enumerate(sorted(g)) for b in sorted(g)[i + 1:]}

    p_pairs, g_pairs = pairs(pred), pairs(gold)
    both = len(p_pairs & g_pairs)
    p = both / len(p_pairs) if p_pairs else 1.0
    r = both / len(g_pairs) if g_pairs else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def unifiedfc_documents(data_dir: Path, folds: Iterable[int] = (1, 2, 3, 4)) -> tuple[list[Document], dict[str, str]]:
    """The distinct articles of the given folds (file order) and their gold story."""
    docs: dict[str, Document] = {}
    parent: dict[str, str] = {}  # union-find over claims sharing a related article

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    related_to: dict[str, str] = {}
    for c in load_unifiedfc(data_dir, folds):
        for n, (text, stance) in enumerate(zip(c.articles, c.stances)):
            if not text.strip():
                continue
            doc = docs.setdefault(text.strip(), Document(id=f"{c.id}-{n}", text=text, source=f"web{n}"))
            if stance in RELATED:
                claim = find(c.id)
                if doc.id in related_to:
                    parent[find(related_to[doc.id])] = claim
                related_to[doc.id] = claim
    gold = {d.id: (f"claim:{find(related_to[d.id])}" if d.id in related_to else f"alone:{d.id}")
            for d in docs.values()}
    return list(docs.values()), gold


def eval_unifiedfc(data_dir: Path, folds: Iterable[int] = (1, 2, 3, 4),
                   config: StoryConfig | None = None) -> dict[str, Any]:
    docs, gold = unifiedfc_documents(data_dir, folds)
    pred = StoryClusterer(config=config).cluster(docs)
    related = {d: g for d, g in gold.items() if g.startswith("claim:")}
    return {"documents": len(docs), "gold_stories": len(set(related.values())), "stories": len(set(pred.values())),
            "bcubed": bcubed(pred, gold), "pairwise": pairwise(pred, gold),
            "bcubed_related": bcubed(pred, related)}


def posting_order(timeline: Iterable[Document]) -> list[Document]:
    """A timeline in the order its tweets were posted (tweet ids grow with time), oldest first."""
    return sorted(timeline, key=lambda d: int(d.id))


def eval_aured_stories(data_dir: Path, config: StoryConfig | None = None,
                       oldest_first: bool = False) -> dict[str, Any]:
    """Per rumour with gold evidence: its timeline ingested (and so organised) in a fresh base, in the file's
    order (newest first) or, with ``oldest_first``, in ``posting_order``; the rumour verified as ``verify``
    does it, which names its story; how much of the gold evidence that story holds (recall), how much of the
    story is gold evidence (precision). ``features_only``: the same with the story nearest to the rumour's
    own words, without its evidence."""
    from tabayyun.pipeline import Tabayyun

    rumours = [r for r in load_aured(Path(data_dir) / "aured_dev" / "aured_folds1-2.jsonl") if r.evidence_ids]
    sums: dict[str, Counter[str]] = {}
    for rumour in rumours:
        with tempfile.TemporaryDirectory() as tmp:
            tb = Tabayyun(tmp, create=True)
            try:
                if config is not None:
                    tb.stories.config = config
                tb.add_documents(posting_order(rumour.timeline) if oldest_first else rumour.timeline)
                story = tb.verify(rumour.text).story
                near = tb.stories.nearest(rumour.text)
                for way, sid in (("verify", story[0] if story else None), ("features_only", near[0] if near else None)):
                    found = tb.store.get_story(sid) if sid else None
                    for key in (way, f"{way}, fold {rumour.fold}"):
                        sums.setdefault(key, Counter())["rumours"] += 1
                        if found is not None:
                            hits = len(set(found.documents) & rumour.evidence_ids)
                            sums[key].update({"attached": 1, "recall": hits / len(rumour.evidence_ids),
                                              "precision": hits / len(found.documents), "holds_any": hits > 0})
            finally:
                tb.close()
    return {"rumours": len(rumours), **{key: {"rumours": c["rumours"], **{
        k: c[k] / (1 if k == "attached" else c["rumours"]) for k in ("attached", "recall", "precision", "holds_any")}}
        for key, c in sorted(sums.items())}}


def ant_documents(data_dir: Path, limit: int | None = None) -> list[Document]:
    """ANT's distinct texts (by ``text_md5``) as documents, in date order (then id): a feed as it arrives."""
    seen: set[str] = set()
    docs = []
    with gzip.open(Path(data_dir) / ANT_FILE, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["text_md5"] in seen or not rec["text"].strip():
                continue
            seen.add(rec["text_md5"])
            docs.append(_ant_document(rec))
    docs.sort(key=lambda d: (d.date or "", d.id))
    return docs[:limit]


def members_hash(doc_ids: Iterable[str]) -> str:
    """A short fingerprint of a story's documents: a judgement holds only for the very same story."""
    return hashlib.sha1("\n".join(sorted(doc_ids)).encode("utf-8")).hexdigest()[:12]


#: The seed of the judged draw of ``data/ant_story_judgements.tsv`` (its header says which code drew it).
ANT_JUDGED_SEED = 15


def _ant_stories(data_dir: Path, config: StoryConfig | None = None) -> dict[str, list[str]]:
    """All of ANT organised in memory, in date order: story id -> document ids, for the stories with 3+ sources."""
    docs = ant_documents(data_dir)
    placed = StoryClusterer(config=config).cluster(docs)
    source = {d.id: d.source for d in docs}
    members: dict[str, list[str]] = {}
    for doc_id, sid in placed.items():
        members.setdefault(sid, []).append(doc_id)
    return {sid: ids for sid, ids in sorted(members.items()) if len({source[d] for d in ids}) >= 3}


def _draw(multi: dict[str, list[str]], n: int, seed: int) -> list[tuple[str, list[str]]]:
    return [(sid, multi[sid]) for sid in random.Random(seed).sample(sorted(multi), min(n, len(multi)))]


def ant_story_sample(data_dir: Path, n: int = 50, seed: int = ANT_JUDGED_SEED,
                     config: StoryConfig | None = None) -> list[tuple[str, list[str]]]:
    """All of ANT organised in memory; ``n`` stories with 3+ sources drawn at random: (id, document ids)."""
    return _draw(_ant_stories(data_dir, config), n, seed)


def eval_ant_purity(data_dir: Path, config: StoryConfig | None = None) -> dict[str, Any]:
    """The judged sample of ANT stories (``data/ant_story_judgements.tsv``, the rule in its header) against the
    stories the code makes now: a judgement counts only for the very same story (same documents). Counted twice:
    in the draw of the judged seed, and among all stories (a judged story the code still makes, drawn or not: the
    figure survives a change that moves the draw)."""
    rows = [line.split("\t") for line in files("tabayyun.evaluation").joinpath("data", "ant_story_judgements.tsv")
            .read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    judged = {r[0]: (r[1], r[3]) for r in rows}
    multi = _ant_stories(data_dir, config)
    sample = _draw(multi, 50, ANT_JUDGED_SEED)
    same = [judged[sid][1] for sid, ids in sample if sid in judged and judged[sid][0] == members_hash(ids)]
    kept = [label for sid, (digest, label) in judged.items() if sid in multi and digest == members_hash(multi[sid])]
    return {"sample": len(sample), "judged": len(same), "pure": same.count("pure"), "seed": ANT_JUDGED_SEED,
            "sizes": sorted(len(ids) for _, ids in sample), "kept": len(kept), "kept_pure": kept.count("pure"),
            "judgements": len(judged)}


def eval_seed_story(data_dir: Path, n_background: int = 300) -> dict[str, Any]:
    """The seed report among ``n_background`` ANT articles (train/dev), all ingested and so organised; the
    post checked as ``check`` does it, as of the report's date: the story each of its claims names."""
    from tabayyun.pipeline import Tabayyun

    data_dir = Path(data_dir)
    report = load_seed_report(data_dir.parent / "seed")
    background = [_ant_document(r) for r in _sample_articles(data_dir / ANT_FILE, n_background, 0)]
    with tempfile.TemporaryDirectory() as tmp:
        tb = Tabayyun(tmp, create=True)
        try:
            tb.add_documents([*background, report])
            story = tb.store.story_of_documents([report.id]).get(report.id)
            claims = [v.story[0] if v.story else None
                      for v in tb.check(load_seed_post(data_dir.parent / "seed"), date=SEED_DATE)]
        finally:
            tb.close()
    return {"report_story": story, "claim_stories": claims, "background": len(background),
            "same": story is not None and bool(claims) and all(c == story for c in claims)}


def _f(x: float) -> str:
    return f"{x:.3f}"


def render_stories(ufc: dict[str, dict[str, Any]], aured: dict[str, Any], seed: dict[str, Any],
                   ant: dict[str, Any], config: StoryConfig, aured_oldest: dict[str, Any] | None = None) -> str:
    """The markdown of the figures; ``aured_oldest``: the AuRED figures with each timeline organised oldest
    first (rows of the story named by ``verify``)."""
    lines = ["| unifiedfc | articles | gold stories | stories | B-cubed P | R | F1 | pairwise P | R | F1 | "
             "B-cubed F1, related only |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, r in ufc.items():
        lines.append(f"| {name} | {r['documents']} | {r['gold_stories']} | {r['stories']} | "
                     + " | ".join(_f(x) for x in (*r["bcubed"], *r["pairwise"])) + f" | {_f(r['bcubed_related'][2])} |")
    lines += ["", "| AuRED dev, folds 1-2 (rumours with gold evidence) | rumours | placed in a story | recall | "
              "precision | the story holds some gold evidence |", "|---|---|---|---|---|---|"]
    ways = [(aured, "verify", "story named by `verify`"), (aured, "features_only", "nearest story by its words only")]
    if aured_oldest is not None:
        ways.append((aured_oldest, "verify", "story named by `verify`, each timeline organised oldest tweet first"))
    for figures, way, name in ways:
        for key, label in ((way, name), (f"{way}, fold 1", f"{name}: fold 1"), (f"{way}, fold 2", f"{name}: fold 2")):
            row = figures.get(key)
            if row is not None:
                lines.append(f"| {label} | {row['rumours']} | {int(row['attached'])} | {_f(row['recall'])} | "
                             f"{_f(row['precision'])} | {_f(row['holds_any'])} |")
    lines += ["",
              f"Seed (the report among {seed['background']} ANT articles; the post checked): the report and the "
              f"post's {len(seed['claim_stories'])} checked claims are one story: "
              f"**{'yes' if seed['same'] else 'no'}**.",
              "",
              f"ANT: {ant['sample']} stories with 3+ sources drawn at random (seed {ant['seed']}; of "
              f"{ant['sizes'][0]} to {ant['sizes'][-1]} "
              f"documents); {ant['judged']} of them as judged (a story whose documents changed since is not counted); "
              "pure "
              f"**{ant['pure']}/{ant['judged']}** ({100 * ant['pure'] / max(1, ant['judged']):.0f}%). Of all "
              f"{ant['judgements']} judged stories, {ant['kept']} are still made with the very same documents, "
              "drawn or "
              f"not: pure **{ant['kept_pure']}/{ant['kept']}** ({100 * ant['kept_pure'] / max(1, ant['kept']):.0f}%).",
              "",
              f"Settings: join {config.join} (a short text, under {config.short_terms} terms or without a headline and "
              f"at most {config.short_chars} characters: {config.join_short}, or "
              f"{config.join_short / config.member_link:.2f} with one member), merge {config.merge}, split "
              f"{config.split}, entity weight {config.entity_weight}, headline overlap {config.head_min}, shared "
              f"entity {'required' if config.shared_entity else 'not required'}, window {config.window_days} days, "
              f"span at most {config.max_span_days} days, {config.gap_weight} less per day beyond {config.gap_free} "
              "from the "
              f"story's nearest date, attach {config.attach} (rank weight {config.rank_weight}); a short text: burst "
              f"terms (in {config.burst_min}+ of the last {config.burst_docs} documents) up to "
              f"x{1 + config.burst_weight}, "
              f"names sharing a word {'shared' if config.loose_names else 'not shared'}; a story of up to "
              f"{config.regather} document(s) that a new document also joins gathered into its story when they would "
              f"join it now, one of posts that it scores at least {config.regather_floor} (under its threshold) when "
              f"they would join it {config.regather_margin} above theirs"
              + ("; a post also merges a candidate it scores under its threshold once its story's centroid is within "
                 "merge of it." if config.merge_near else ".")]
    return "\n".join(lines)




def eval_stories(data_dir: Path) -> str:
    """Every story figure of EVALUATION.md, as markdown (a few minutes: AuRED runs ``verify`` per rumour)."""
    data_dir = Path(data_dir)
    config = StoryConfig()
    ufc = {"folds 1-3 (tuned on)": eval_unifiedfc(data_dir, (1, 2, 3), config),
           "fold 4 (held out)": eval_unifiedfc(data_dir, (4,), config),
           "folds 1-4": eval_unifiedfc(data_dir, (1, 2, 3, 4), config)}
    return render_stories(ufc, eval_aured_stories(data_dir, config), eval_seed_story(data_dir),
                          eval_ant_purity(data_dir, config), config,
                          eval_aured_stories(data_dir, config, oldest_first=True))
