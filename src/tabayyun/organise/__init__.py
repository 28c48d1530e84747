"""The organise stage: the subjects (IPTC Media Topics) of documents and checked posts, and stories
(online clustering of documents into the events they report)."""
from tabayyun.organise.stories import StoryClusterer, StoryConfig, story_id_for
from tabayyun.organise.topics import Subject, TopicClassifier, taxonomy

__all__ = ["Subject", "TopicClassifier", "taxonomy", "StoryClusterer", "StoryConfig", "story_id_for"]
