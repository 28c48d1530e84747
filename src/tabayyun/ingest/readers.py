"""Readers that stream Documents from JSONL, CSV, plain-text files and folders.

Every record is validated here; a bad one raises ``TabayyunError`` naming the file and line, so the
caller can refuse the whole input before anything is written.
"""
from __future__ import annotations

import csv
import gzip
import hashlib
from contextlib import contextmanager
import json
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from tabayyun.errors import TabayyunError
from tabayyun.records import Document
from tabayyun.text import parse_iso_date

__all__ = ["read_documents", "read_records", "validate_record", "parse_field_map", "FIELDS", "decode_text",
           "content_hash", "RecordError", "SUFFIXES", "check_text", "parse_json", "MAX_DOCUMENT_CHARS", "MAX_ID_CHARS",
           "expand_paths", "open_text", "file_kind", "check_text_file", "reading", "read_csv"]

SUFFIXES = (".jsonl", ".csv", ".txt", ".gz")  # .gz: a gzip-compressed file of one of the others
_SNIFF_BYTES = 8192
# Bounds on one record (documented in the README): the work and the memory of one document stay bounded.
MAX_DOCUMENT_CHARS = 1_000_000
MAX_ID_CHARS = 256
_MAX_FIELD_CHARS = {"title": 1000, "source": 200, "url": 2000, "id": MAX_ID_CHARS, "date": 40}
_MAX_LINE_CHARS = 8 * MAX_DOCUMENT_CHARS  # a JSON line longer than this is refused before parsing
_MAX_INT = 10**20  # an integer field (an id) is kept as its digits up to this size


class RecordError(TabayyunError):
    """One bad record; the rest of the input can still be read."""


def content_hash(text: str) -> str:
    """The identity of a document's content: SHA-1 of its stripped text."""
    return hashlib.sha1(text.strip().encode("utf-8")).hexdigest()


def _expand(paths: Iterable[str | Path]) -> Iterator[tuple[Path, bool]]:
    """Every file to read, and whether it was found in a folder (rather than named)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*")
                           if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith("."))
            if not files:
                raise TabayyunError(f"{path}: no {', '.join(SUFFIXES)} files in this folder / لا توجد ملفات")
            yield from ((f, True) for f in files)
        elif path.is_file():
            yield path, False
        else:
            raise TabayyunError(f"{path}: no such file or folder / الملف غير موجود")


def expand_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Every file to read (folders recursively, in name order)."""
    return (path for path, _ in _expand(paths))


@contextmanager
def reading(path: Path) -> Iterator[None]:
    """Errors while reading ``path`` as one line naming it (damaged gzip, not UTF-8, unreadable)."""
    try:
        yield
    except (gzip.BadGzipFile, EOFError):
        raise TabayyunError(f"{path}: damaged gzip file / ملف gzip تالف") from None
    except UnicodeDecodeError:
        raise not_utf8(path) from None
    except OSError as exc:
        raise TabayyunError(f"{path}: cannot read ({exc.strerror}) / تعذرت قراءة الملف") from None


def open_text(path: Path, newline: str | None = None):
    """Text of a file, a byte-order mark dropped (spreadsheets write one)."""
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rt", encoding="utf-8-sig", newline=newline)
    return open(path, encoding="utf-8-sig", newline=newline)


def file_kind(path: Path) -> str:
    """The format suffix, looking through a .gz ending. A ``.json`` file is refused: read as text it
    would be one document (or post) of JSON syntax."""
    suffixes = [s.lower() for s in path.suffixes]
    kind = suffixes[-2] if suffixes[-1:] == [".gz"] and len(suffixes) > 1 else (suffixes[-1] if suffixes else "")
    if kind == ".json":
        raise TabayyunError(f"{path}: a .json file is not read: give JSON Lines, one object per line, in a .jsonl "
                            "file / ملف JSON غير مدعوم، استخدم JSONL")
    return kind


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


def check_text(value: str, what: str) -> str:
    """``value`` if the store can keep it, else ``RecordError``: no NUL byte, no lone surrogate (which
    UTF-8 cannot encode), whatever its length."""
    if "\x00" in value:
        raise RecordError(f"{what}: contains a NUL byte (binary data?) / يحتوي على بايت صفري")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise RecordError(f"{what}: not valid Unicode (lone surrogate at character {exc.start}) / "
                          "نص غير صالح") from None
    return value


def parse_json(line: str, where: str) -> Any:
    """One JSON value, or ``RecordError`` for anything malformed: bad syntax, nesting deeper than Python can
    parse, an integer of thousands of digits, a line over the bound of one record."""
    if len(line) > _MAX_LINE_CHARS:
        raise RecordError(f"{where}: line over the limit of {_MAX_LINE_CHARS} characters")
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise RecordError(f"{where}: malformed JSON ({exc.msg}) / سطر JSON غير صالح") from None
    except RecursionError:
        raise RecordError(f"{where}: JSON nested too deeply / JSON متداخل أكثر من اللازم") from None
    except ValueError as exc:  # e.g. an integer over Python's digit limit
        raise RecordError(f"{where}: malformed JSON ({exc}) / سطر JSON غير صالح") from None


def _field(record: dict[str, Any], key: str, where: str) -> str | None:
    value = record.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool) and -_MAX_INT < value < _MAX_INT:
        value = str(value)
    if not isinstance(value, str):
        raise RecordError(f"{where}: field '{key}' must be a string")
    value = check_text(value, f"{where}: field '{key}'").strip()
    if len(value) > _MAX_FIELD_CHARS[key]:
        raise RecordError(f"{where}: field '{key}' is {len(value)} characters long (at most {_MAX_FIELD_CHARS[key]})")
    return value or None


def validate_record(record: dict[str, Any], where: str, default_source: str = "") -> Document:
    """A Document from an ingest-shaped mapping, or ``RecordError`` naming ``where`` and the problem.

    Everything the store would refuse is refused here, before anything is written."""
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise RecordError(f"{where}: missing or empty 'text' field / حقل النص مفقود أو فارغ")
    if len(text) > MAX_DOCUMENT_CHARS:
        raise RecordError(f"{where}: text over the limit of {MAX_DOCUMENT_CHARS} characters "
                          "(split the document) / النص أطول من المسموح")
    check_text(text, f"{where}: field 'text'")
    fields = {key: _field(record, key, where) for key in ("title", "source", "url", "id", "date")}
    date = fields["date"]
    if date is not None:
        iso = parse_iso_date(date)
        if iso is None:
            raise RecordError(f"{where}: invalid date '{date}', expected ISO-8601 like 2019-03-19 / تاريخ غير صالح")
        date = iso
    doc_id = fields["id"] or "doc-" + content_hash(text)[:16]
    return Document(id=doc_id, text=text, title=fields["title"] or "", source=fields["source"] or default_source,
                    date=date, url=fields["url"])


def _lines(fh) -> Iterator[str]:
    """The lines of a text file, each read up to the bound of one record: a longer line is given cut
    there (and refused by ``parse_json``), never held whole in memory."""
    while line := fh.readline(_MAX_LINE_CHARS + 1):
        if len(line) > _MAX_LINE_CHARS:
            rest = line
            while rest and not rest.endswith("\n"):
                rest = fh.readline(1 << 20)
        yield line


def _read_jsonl(path: Path) -> Iterator[tuple[str, dict | RecordError]]:
    with open_text(path) as fh:
        for number, line in enumerate(_lines(fh), 1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = parse_json(line, where)
            except RecordError as exc:
                yield where, exc
                continue
            yield where, (record if isinstance(record, dict)
                          else RecordError(f"{where}: expected a JSON object per line"))


@contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    """``csv.field_size_limit`` at ``limit`` for the block only: the setting is process-global, so a reader
    that sets it while suspended between records would change the bound of any other reader."""
    old = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def read_csv(path: Path, text_column: str = "text", field_limit: int = _MAX_LINE_CHARS,
             hint: str = "map yours with --map text=COLUMN") -> Iterator[tuple[str, dict]]:
    """(``file:line``, row) of each row of a CSV file with a header naming ``text_column``. Strict: a quote
    left open, a NUL byte or a field over ``field_limit`` characters makes the whole file unreadable
    (``TabayyunError``); ``hint`` ends the message about a missing column."""
    with open_text(path, newline="") as fh:
        reader = csv.DictReader(fh, strict=True)  # a quote left open is an error, not the rest of the file as one field
        try:
            with _field_limit(field_limit):
                names = reader.fieldnames
            if not names or text_column not in names:
                columns = ", ".join(names or []) or "none"
                raise TabayyunError(f"{path}: CSV needs a header row with a '{text_column}' column (it has: "
                                    f"{columns[:200]}{'; ' + hint if hint else ''}) / لا يوجد عمود النص")
            while True:
                with _field_limit(field_limit):
                    record = next(reader, None)
                if record is None:
                    return
                yield f"{path}:{reader.line_num}", record
        except csv.Error as exc:  # a field over the bound, a NUL byte, a quote left open ...
            raise TabayyunError(f"{path}:{reader.line_num}: unreadable CSV ({exc}) / ملف CSV غير صالح") from None


def _read_txt(path: Path) -> Iterator[tuple[str, dict | RecordError]]:
    with open_text(path) as fh:
        text = fh.read(MAX_DOCUMENT_CHARS + 1)  # a longer file is refused, not read whole
    if not text.strip():
        return  # an empty file holds no document
    title = next((line.strip() for line in text.splitlines() if line.strip()), "")
    yield str(path), {"text": text, "title": title[:200]}


_READERS = {".jsonl": _read_jsonl, ".csv": read_csv}
FIELDS = ("id", "title", "text", "source", "date", "url")


def parse_field_map(spec: str) -> dict[str, str]:
    """``text=body,date=published`` -> {"text": "body", "date": "published"}: our field from their column."""
    out: dict[str, str] = {}
    for part in (p.strip() for p in spec.split(",") if p.strip()):
        ours, sep, theirs = part.partition("=")
        if not sep or ours.strip() not in FIELDS or not theirs.strip():
            raise TabayyunError(f"--map takes FIELD=COLUMN pairs with FIELD one of {', '.join(FIELDS)}, not '{part}'")
        out[ours.strip()] = theirs.strip()
    return out


def _mapped(record: dict, fields: dict[str, str]) -> dict:
    """A record with its columns renamed to our fields (a column not named keeps its name)."""
    if not fields:
        return record
    theirs = set(fields.values())
    out = {k: v for k, v in record.items() if k not in theirs and k not in fields}
    out.update({ours: record[col] for ours, col in fields.items() if col in record})
    return out


def read_documents(paths: Iterable[str | Path], source: str | None = None,
                   on_invalid: Callable[[RecordError], None] | None = None,
                   fields: dict[str, str] | None = None,
                   on_empty: Callable[[Path], None] | None = None) -> Iterator[Document]:
    """Stream the documents of every file (folders recursively).

    ``source`` names the source of records without one (default: the file name; for a ``.txt`` file
    found in a folder, the folder's name). A bad record raises ``RecordError``, unless ``on_invalid``
    is given: then it is passed there and skipped. ``fields`` maps our fields to the input's column
    names ({"text": "body"}). An empty file found in a folder is passed to ``on_empty`` (when given)
    and skipped; an empty file named on its own is an error.
    """
    return (doc for _, doc in read_records(paths, source, on_invalid, fields, on_empty))


def read_records(paths: Iterable[str | Path], source: str | None = None,
                 on_invalid: Callable[[RecordError], None] | None = None,
                 fields: dict[str, str] | None = None,
                 on_empty: Callable[[Path], None] | None = None) -> Iterator[tuple[str, Document]]:
    """``read_documents`` with where each document was read (``file:line``)."""
    fields = fields or {}
    read_any = skipped = False
    for path, in_folder in _expand(paths):
        kind = file_kind(path)
        reader = _READERS.get(kind, _read_txt)
        default_source = source or (path.parent.name if kind == ".txt" and in_folder else path.stem)
        found = False
        with reading(path):
            check_text_file(path)
            records = read_csv(path, fields.get("text", "text")) if kind == ".csv" else reader(path)
            for where, record in records:
                found = True
                try:
                    if isinstance(record, RecordError):
                        raise record
                    doc = validate_record(_mapped(record, fields), where, default_source)
                except RecordError as exc:
                    if on_invalid is None:
                        raise
                    on_invalid(exc)
                    continue
                yield where, doc
        if not found:
            if not in_folder or on_empty is None:
                raise TabayyunError(f"{path}: no documents found (empty file?) / لا توجد مستندات")
            on_empty(path)
            skipped = True
        read_any = read_any or found
    if skipped and not read_any:
        raise TabayyunError("no documents found: every file was empty / لا توجد مستندات")
