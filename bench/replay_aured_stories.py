"""AuRED dev story figures in seconds: ``verify``'s evidence captured once, then replayed against the clusterer.

    python bench/replay_aured_stories.py [--data ../shared/data] [--capture FILE] [--oldest-first]
                                         [--set join_short=0.18 ...]

The first run ingests each rumour's timeline and verifies the rumour as ``tabayyun eval --part stories`` does
(about 20 s on 2 cores), keeping the timeline and the evidence ``verify`` hands to ``StoryClusterer.attach``
in ``--capture``. Every run then organises each timeline in memory with the given ``StoryConfig`` settings
and places the rumour with that evidence (``StoryClusterer.place``), printing recall and precision per fold.
With the default settings the recall equals the full evaluation's; the precision of fold 1 differs by less
than 0.01 (the evaluation reads the stories back from the store). For choosing settings (on fold 1, checked
on fold 2): the evaluation gives the figures to report. ``--oldest-first``: each timeline organised in the
order its tweets were posted (tweet ids grow with time) instead of the file's order (newest first, as the
evaluation ingests it): a check that a setting does not depend on the order (a live feed arrives oldest first;
``verify``'s evidence does not depend on the stories). Not a test.
"""
from __future__ import annotations

import argparse
import json
import tempfile
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from tabayyun.evaluation.aured import load_aured
from tabayyun.evaluation.stories import posting_order
from tabayyun.organise.stories import LeadFeatures, StoryClusterer, StoryConfig, lead_terms, story_members
from tabayyun.records import Document
from tabayyun.text import extract_entities

ROOT = Path(__file__).resolve().parents[1]


def capture(data: Path, out: Path) -> None:
    """Each rumour with gold evidence: its fold, text, gold ids, timeline and ``verify``'s evidence votes."""
    from tabayyun.pipeline import Tabayyun

    calls: list[list[Any]] = []
    attach = StoryClusterer.attach

    def spy(self: StoryClusterer, text: str, evidence: Any, date_: str | None = None) -> Any:
        calls.append([text, [list(e) for e in evidence], date_])
        return attach(self, text, evidence, date_)

    rows = []
    StoryClusterer.attach = spy  # type: ignore[method-assign]
    try:
        for rumour in load_aured(data / "aured_dev" / "aured_folds1-2.jsonl"):
            if not rumour.evidence_ids:
                continue
            calls.clear()
            with tempfile.TemporaryDirectory() as tmp:
                tb = Tabayyun(tmp, create=True)
                try:
                    tb.add_documents(rumour.timeline)
                    tb.verify(rumour.text)
                finally:
                    tb.close()
            rows.append({"fold": rumour.fold, "gold": sorted(rumour.evidence_ids), "call": calls[0],
                         "timeline": [[d.id, d.title, d.text, d.date, d.source] for d in rumour.timeline]})
    finally:
        StoryClusterer.attach = attach  # type: ignore[method-assign]
    out.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")


def replay(rows: list[dict[str, Any]], config: StoryConfig,
           oldest_first: bool = False) -> dict[str, tuple[float, float]]:
    """Mean recall and precision of the story each rumour is placed in, per fold and over both."""
    scores: dict[str, list[tuple[float, float]]] = {}
    for row in rows:
        clusterer = StoryClusterer(config=config)
        timeline = [Document(id=i, title=t, text=x, date=d, source=s) for i, t, x, d, s in row["timeline"]]
        placed = clusterer.cluster(posting_order(timeline) if oldest_first else timeline)
        text, evidence, date_ = row["call"]
        counts, surface = lead_terms("", text, len(text), 1.0)  # as ``attach`` reads a checked text
        entities = extract_entities(f"\n{text[:config.lead_chars]}", cache=False)
        f = clusterer._features(Document(id="", text=text, date=date_),
                                LeadFeatures(counts, surface, frozenset(e.canonical for e in entities)),
                                clusterer.df, clusterer.n_docs)
        got = clusterer.place(f, clusterer.stories, placed, [(d, w) for d, w in evidence])
        members = set(story_members(placed).get(got[0], [])) if got else set()
        hits = len(members & set(row["gold"]))
        score = (hits / len(row["gold"]), hits / len(members) if members else 0.0)
        for key in (f"fold {row['fold']}", "both"):
            scores.setdefault(key, []).append(score)
    return {k: (sum(r for r, _ in v) / len(v), sum(p for _, p in v) / len(v)) for k, v in sorted(scores.items())}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--capture", default=str(Path(tempfile.gettempdir()) / "aured_story_capture.json"))
    ap.add_argument("--oldest-first", action="store_true", help="organise each timeline in the order of its tweet ids")
    ap.add_argument("--set", nargs="*", default=[], metavar="NAME=VALUE", help="StoryConfig settings to change")
    args = ap.parse_args()
    path = Path(args.capture)
    if not path.exists():
        capture(Path(args.data), path)
    types = {f.name: type(getattr(StoryConfig(), f.name)) for f in fields(StoryConfig)}
    changes = {name: value.lower() in ("1", "true", "yes") if types[name] is bool else types[name](value)
               for name, value in (s.split("=", 1) for s in args.set)}
    rows = json.loads(path.read_text(encoding="utf-8"))
    for key, (recall, precision) in replay(rows, replace(StoryConfig(), **changes), args.oldest_first).items():
        print(f"{key}: recall {recall:.3f} precision {precision:.3f}")


if __name__ == "__main__":
    main()
