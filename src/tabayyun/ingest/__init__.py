"""Ingest: stream trusted documents from JSONL, CSV, text files and folders."""
from tabayyun.ingest.readers import RecordError, content_hash, read_documents, validate_record

__all__ = ["read_documents", "validate_record", "content_hash", "RecordError"]
