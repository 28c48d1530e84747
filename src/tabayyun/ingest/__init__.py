"""Ingest: stream trusted documents from JSONL, CSV, text files and folders."""
from tabayyun.ingest.readers import RecordError, content_hash, decode_text, read_documents, validate_record

__all__ = ["read_documents", "validate_record", "decode_text", "content_hash", "RecordError"]
