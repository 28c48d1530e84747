"""Readers that stream Documents from JSONL, CSV, plain-text files and folders.

Every record is validated here; a bad one raises ``TabayyunError`` naming the file and line, so the
caller can refuse the whole input before anything is written.
"""
from __future__ import annotations

import csv
import gzip
import hashlib
import json
import sys
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from tabayyun.errors import TabayyunError
from tabayyun.records import Document
from tabayyun.text import parse_iso_date

__all__ = ["read_documents", "validate_record", "decode_text", "content_hash", "RecordError", "SUFFIXES", "expand_paths",
           "open_text", "file_kind", "check_text_file"]

SUFFIXES = (".jsonl", ".csv", ".txt", ".gz")  # .gz: a gzip-compressed file of one of the others
_SNIFF_BYTES = 8192


class RecordError(TabayyunError):
    """One bad record; the rest of the input can still be read."""


def content_hash(text: str) -> str:
    """The identity of a document's content: SHA-1 of its stripped text."""
    return hashlib.sha1(text.strip().encode("utf-8")).hexdigest()


def expand_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*")
                           if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith("."))
            yield from files
        elif path.is_file():
            yield path
        else:
            raise TabayyunError(f"{path}: no such file or folder / الملف غير موجود")


def open_text(path: Path, newline: str | None = None):
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rt", encoding="utf-8", newline=newline)
    return open(path, encoding="utf-8", newline=newline)


def file_kind(path: Path) -> str:
    """The format suffix, looking through a .gz ending."""
    suffixes = [s.lower() for s in path.suffixes]
    return suffixes[-2] if suffixes[-1:] == [".gz"] and len(suffixes) > 1 else (suffixes[-1] if suffixes else "")


def refuse_binary(head: bytes, where: str | Path) -> None:
    """Raise the one-line error for binary input when the first bytes hold a NUL."""
    if b"\x00" in head[:_SNIFF_BYTES]:
        raise TabayyunError(f"{where}: binary file, expected UTF-8 text / ملف ثنائي وليس نصا")


def not_utf8(where: str | Path) -> TabayyunError:
    return TabayyunError(f"{where}: not valid UTF-8 text / الملف ليس نصا بترميز UTF-8")


def decode_text(data: bytes, where: str | Path) -> str:
    """Bytes held in memory as text: refuses binary and non-UTF-8 input (a BOM is dropped)."""
    refuse_binary(data, where)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise not_utf8(where) from None


def check_text_file(path: Path) -> None:
    with (gzip.open if path.suffix.lower() == ".gz" else open)(path, "rb") as fh:
        refuse_binary(fh.read(_SNIFF_BYTES), path)


def validate_record(record: dict[str, Any], where: str, default_source: str = "") -> Document:
    """A Document from an ingest-shaped mapping, or ``RecordError`` naming ``where`` and the problem."""
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise RecordError(f"{where}: missing or empty 'text' field / حقل النص مفقود أو فارغ")
    fields: dict[str, str | None] = {}
    for key in ("title", "source", "url", "id", "date"):
        value = record.get(key)
        if value is not None and not isinstance(value, (str, int)):
            raise RecordError(f"{where}: field '{key}' must be a string")
        fields[key] = str(value).strip() if value not in (None, "") else None
    date = fields["date"]
    if date is not None:
        iso = parse_iso_date(date)
        if iso is None:
            raise RecordError(f"{where}: invalid date '{date}', expected ISO-8601 like 2019-03-19")
        date = iso
    doc_id = fields["id"] or "doc-" + content_hash(text)[:16]
    return Document(id=doc_id, text=text, title=fields["title"] or "", source=fields["source"] or default_source,
                    date=date, url=fields["url"])


def _read_jsonl(path: Path) -> Iterator[tuple[str, dict | RecordError]]:
    with open_text(path) as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield where, RecordError(f"{where}: malformed JSON ({exc.msg}) / سطر JSON غير صالح")
                continue
            yield where, (record if isinstance(record, dict)
                          else RecordError(f"{where}: expected a JSON object per line"))


def _read_csv(path: Path) -> Iterator[tuple[str, dict | RecordError]]:
    csv.field_size_limit(sys.maxsize)
    with open_text(path, newline="") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or "text" not in reader.fieldnames:
            raise TabayyunError(f"{path}: CSV needs a header row with a 'text' column")
        for record in reader:
            yield f"{path}:{reader.line_num}", record


def _read_txt(path: Path) -> Iterator[tuple[str, dict | RecordError]]:
    with open_text(path) as fh:
        text = fh.read()
    title = next((line.strip() for line in text.splitlines() if line.strip()), "")
    yield str(path), {"text": text, "title": title[:200]}


_READERS = {".jsonl": _read_jsonl, ".csv": _read_csv}


def read_documents(paths: Iterable[str | Path], source: str | None = None,
                   on_invalid: Callable[[RecordError], None] | None = None) -> Iterator[Document]:
    """Stream the documents of every file (folders recursively).

    ``source`` names the source of records without one (default: the file name). A bad record raises
    ``RecordError``, unless ``on_invalid`` is given: then it is passed there and skipped.
    """
    for path in expand_paths(paths):
        reader = _READERS.get(file_kind(path), _read_txt)
        found = False
        try:
            check_text_file(path)
            for where, record in reader(path):
                found = True
                try:
                    if isinstance(record, RecordError):
                        raise record
                    doc = validate_record(record, where, source or path.stem)
                except RecordError as exc:
                    if on_invalid is None:
                        raise
                    on_invalid(exc)
                    continue
                yield doc
        except (gzip.BadGzipFile, EOFError):
            raise TabayyunError(f"{path}: damaged gzip file") from None
        except UnicodeDecodeError:
            raise not_utf8(path) from None
        except OSError as exc:
            raise TabayyunError(f"{path}: cannot read ({exc.strerror})") from None
        if not found:
            raise TabayyunError(f"{path}: no documents found (empty file?) / لا توجد مستندات")
