"""The AuRED story figures in the order a live feed arrives: each timeline organised oldest tweet first."""
from tabayyun.evaluation.stories import posting_order, render_stories
from tabayyun.organise.stories import StoryConfig
from tabayyun.records import Document


def test_posting_order_is_by_tweet_id_as_a_number():
    newest_first = [Document(id=i, text="x") for i in ("1000", "999", "10", "9")]
    assert [d.id for d in posting_order(newest_first)] == ["9", "10", "999", "1000"]


def _row(recall: float) -> dict[str, float]:
    return {"rumours": 2, "attached": 2, "recall": recall, "precision": 0.5, "holds_any": 1.0}


def test_the_oldest_first_figures_get_rows_of_their_own():
    ufc = {"folds 1-4": {"documents": 3, "gold_stories": 1, "stories": 2, "bcubed": (1.0, 0.5, 0.667),
                         "pairwise": (1.0, 0.5, 0.667), "bcubed_related": (1.0, 0.5, 0.667)}}
    seed = {"background": 300, "claim_stories": ["s"], "same": True}
    ant = {"sample": 50, "sizes": [3, 9], "judged": 50, "pure": 45, "seed": 14, "kept": 50, "kept_pure": 45,
           "judgements": 50}
    newest = {"verify": _row(0.8), "verify, fold 1": _row(0.9)}
    oldest = {"verify": _row(0.6), "verify, fold 1": _row(0.55)}
    text = render_stories(ufc, newest, seed, ant, StoryConfig(), oldest)
    assert "| story named by `verify` | 2 | 2 | 0.800 |" in text
    assert "| story named by `verify`, each timeline organised oldest tweet first | 2 | 2 | 0.600 |" in text
    assert "| story named by `verify`, each timeline organised oldest tweet first: fold 1 | 2 | 2 | 0.550 |" in text
    assert "oldest tweet first" not in render_stories(ufc, newest, seed, ant, StoryConfig())
