"""The organise stage: the subjects (IPTC Media Topics) of documents and checked posts."""
from tabayyun.organise.topics import Subject, TopicClassifier, taxonomy

__all__ = ["Subject", "TopicClassifier", "taxonomy"]
