"""Ingest: stream trusted documents from JSONL, CSV, text files and folders."""
from tabayyun.ingest.readers import (MAX_DOCUMENT_CHARS, RecordError, check_text, content_hash, decode_text,
                                     parse_field_map, parse_json, read_documents, read_records,
                                     validate_record)

__all__ = ["read_documents", "read_records", "validate_record", "decode_text", "content_hash", "RecordError",
           "check_text", "parse_json", "parse_field_map", "MAX_DOCUMENT_CHARS"]
