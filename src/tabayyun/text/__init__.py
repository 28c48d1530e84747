"""Arabic text processing: normalisation, social-media masking, tokens and stems, sentences, numbers, dates,
entities, cues.

Pure functions over ``str``; word lists live in ``tabayyun/text/data``.
"""
from tabayyun.text.cues import (OPPOSITES, antonym_sides, find_attributed, find_denials, find_formulae, find_hedges,
                                find_negations, predicate_classes, predicate_mentions, predicate_polarity,
                                predicate_words, qualifier_classes)
from tabayyun.text.dates import DateMention, day_after, extract_dates, parse_iso_date, stated_years
from tabayyun.text.entities import (EntityMention, entity_aliases, extract_entities, is_dateline, nested, place_parent,
                                   within)
from tabayyun.text.normalize import (collapse_elongation_ar, dediac_ar, normalize_alef_ar, normalize_alef_maksura_ar,
                                     normalize_ar, normalize_digits, normalize_hamza_ar, normalize_punct_ar,
                                     normalize_teh_marbuta_ar, remove_tatweel_ar)
from tabayyun.text.query import expand_query
from tabayyun.text.numbers import NumberMention, designations, extract_numbers, measures
from tabayyun.text.sentences import split_sentences
from tabayyun.text.social import content_words, has_social, longest_arabic_run, mask_social
from tabayyun.text.tokens import Token, analyze, index_term, is_stopword, stem_ar, tokenize

__all__ = [
    "normalize_ar", "dediac_ar", "remove_tatweel_ar", "normalize_alef_ar", "normalize_hamza_ar",
    "normalize_alef_maksura_ar", "normalize_teh_marbuta_ar", "normalize_digits", "normalize_punct_ar",
    "collapse_elongation_ar", "mask_social", "has_social", "content_words", "longest_arabic_run",
    "Token", "tokenize", "stem_ar", "is_stopword", "index_term", "analyze", "split_sentences",
    "NumberMention", "extract_numbers", "designations", "measures", "DateMention", "extract_dates", "stated_years",
    "parse_iso_date", "day_after",
    "EntityMention", "extract_entities", "entity_aliases", "place_parent", "within", "nested", "is_dateline",
    "find_denials", "find_hedges", "find_formulae", "qualifier_classes", "antonym_sides", "predicate_words",
    "find_negations", "find_attributed",
    "predicate_classes", "predicate_polarity", "predicate_mentions", "OPPOSITES",
    "expand_query",
]
