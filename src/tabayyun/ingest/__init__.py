"""Ingest: stream trusted documents from JSONL, CSV, text files and folders."""
from tabayyun.ingest.readers import content_hash, read_documents

__all__ = ["read_documents", "content_hash"]
