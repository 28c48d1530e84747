"""Query expansion: the words a claim's evidence may use instead of the claim's own."""
from __future__ import annotations

from tabayyun.text.cues import OPPOSITES, predicate_classes, predicate_words
from tabayyun.text.entities import entity_aliases, extract_entities

__all__ = ["expand_query"]


def expand_query(text: str) -> str:
    """The query with every other spelling of the entities it names (قسد -> قوات سوريا الديمقراطية) and
    the words of the opposite of each key action it states (أفرجت -> أسر, اعتقل ...): reporting that
    contradicts a claim often uses the opposite verb, and must be found to be weighed."""
    extra = [a for e in extract_entities(text) for a in entity_aliases(e.canonical) if a not in text]
    extra += [w for cls in sorted(predicate_classes(text)) if cls in OPPOSITES for w in predicate_words(OPPOSITES[cls])]
    return " ".join([text, *dict.fromkeys(extra)])
