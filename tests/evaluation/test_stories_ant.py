"""The judged ANT stories: the file holds one judgement per drawn story, for the seed the evaluation draws."""
from importlib.resources import files

from tabayyun.evaluation import stories
from tabayyun.evaluation.stories import ANT_JUDGED_SEED, eval_ant_purity, render_stories
from tabayyun.organise.stories import StoryConfig


def _judgements() -> list[str]:
    return files("tabayyun.evaluation").joinpath("data", "ant_story_judgements.tsv").read_text(encoding="utf-8") \
        .splitlines()


def test_the_header_names_the_seed_the_evaluation_draws() -> None:
    header = " ".join(line for line in _judgements() if line.startswith("#"))
    assert f"seed {ANT_JUDGED_SEED}:" in header
    assert "it is MIXED when at least one" in header


def test_the_draw_and_the_kept_judgements_are_distinct_stories_each_judged_pure_or_mixed() -> None:
    rows = [line.split("\t") for line in _judgements() if line and not line.startswith("#")]
    assert len(rows) >= 50 and len({r[0] for r in rows}) == len(rows)  # the seed's draw is the last 50
    for story, fingerprint, size, verdict, note in rows:
        assert story.startswith("s-") and len(fingerprint) == 12 and int(fingerprint, 16) >= 0
        assert int(size) >= 3 and verdict in {"pure", "mixed"} and note


def test_the_figure_names_its_seed() -> None:
    ufc = {"folds 1-4": {"documents": 3, "gold_stories": 1, "stories": 2, "bcubed": (1.0, 0.5, 0.667),
                         "pairwise": (1.0, 0.5, 0.667), "bcubed_related": (1.0, 0.5, 0.667)}}
    seed = {"background": 300, "claim_stories": ["s"], "same": True}
    ant = {"sample": 50, "sizes": [3, 41], "judged": 2, "pure": 2, "seed": ANT_JUDGED_SEED, "kept": 46, "kept_pure": 39,
           "judgements": 50}
    text = render_stories(ufc, {}, seed, ant, StoryConfig())
    assert f"(seed {ANT_JUDGED_SEED}; of 3 to 41 documents)" in text and "**2/2** (100%)" in text
    assert "Of all 50 judged stories, 46 are still made" in text and "**39/46** (85%)" in text


def test_a_judged_story_still_made_counts_whether_or_not_it_is_drawn(monkeypatch) -> None:
    rows = [line.split("\t") for line in _judgements() if line and not line.startswith("#")]
    kept = {r[0]: r[1] for r in rows[:5]}  # five judged stories the code still makes, with the same documents
    made = {**{sid: [sid + "-a", sid + "-b", sid + "-c"] for sid in kept}, "s-new": ["x", "y", "z"]}
    monkeypatch.setattr(stories, "_ant_stories", lambda data_dir, config=None: made)
    monkeypatch.setattr(stories, "members_hash", lambda ids: kept.get(ids[0][:-2], "changed"))
    ant = eval_ant_purity(None)
    assert ant["sample"] == 6 and ant["judgements"] == len(rows)
    assert ant["kept"] == 5 and ant["kept_pure"] == sum(r[3] == "pure" for r in rows[:5])
    assert ant["judged"] == 5 and ant["pure"] == ant["kept_pure"]
