"""Organise the evidence base: stories (online clustering of documents into the events they report)."""
from tabayyun.organise.stories import StoryClusterer, StoryConfig, story_id_for

__all__ = ["StoryClusterer", "StoryConfig", "story_id_for"]
