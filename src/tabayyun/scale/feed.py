"""Feeds of posts to check: JSONL, CSV or plain text (one post a line), files or folders, gzip or not.

Every record of the feed becomes one ``Post``, numbered from 1 in feed order; a record that cannot be
read (malformed JSON, no text, a bad date, too long) is still a ``Post``, with ``error`` set, so the
output keeps one record per input record. Only what makes the whole feed unreadable (no such file,
binary or non-UTF-8 data, a CSV without a ``text`` column) raises ``TabayyunError``.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from tabayyun.errors import TabayyunError
from tabayyun.ingest.readers import check_text_file, expand_paths, file_kind, open_text, read_csv, reading
from tabayyun.text import parse_iso_date

__all__ = ["Post", "read_posts", "count_posts", "MAX_POST_CHARS"]

MAX_POST_CHARS = 100_000  # the bound the HTTP API puts on a text to check (service.api.MAX_TEXT_CHARS)


@dataclass(frozen=True)
class Post:
    """Record ``n`` (from 1) of a feed: its text, id and date, or why it cannot be checked."""

    n: int
    where: str  # file:line
    text: str = ""
    id: str | None = None
    date: str | None = None
    error: str | None = None


def _post(n: int, where: str, record: Any, date_field: str) -> Post:
    if not isinstance(record, dict):
        return Post(n, where, error=f"{where}: expected a JSON object per line")
    text, ident, date = record.get("text"), record.get("id"), record.get(date_field)
    ident = str(ident) if isinstance(ident, (str, int)) and not isinstance(ident, bool) and ident != "" else None
    if not isinstance(text, str) or not text.strip():
        return Post(n, where, id=ident, error=f"{where}: missing or empty 'text' / حقل النص مفقود أو فارغ")
    if len(text) > MAX_POST_CHARS:
        return Post(n, where, id=ident, error=f"{where}: post too long ({len(text)} characters, at most "
                                               f"{MAX_POST_CHARS}) / المنشور أطول من الحد")
    iso = None
    if date not in (None, ""):
        iso = parse_iso_date(str(date)) if isinstance(date, (str, int)) else None
        if iso is None:
            return Post(n, where, id=ident, error=f"{where}: invalid date '{date}' in '{date_field}', "
                                                   "expected ISO-8601 like 2019-03-19")
    return Post(n, where, text=text, id=ident, date=iso)


def _records(path: Path) -> Iterator[tuple[str, Any]]:
    """(where, record) of each record of one file; a record is a dict, or a string for a malformed line."""
    kind = file_kind(path)
    if kind == ".csv":
        yield from read_csv(path, field_limit=sys.maxsize, hint="")  # a long post is an error Post, not a bad feed
        return
    with open_text(path) as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            if kind != ".jsonl":
                yield where, {"text": line.rstrip("\r\n")}
                continue
            try:
                yield where, json.loads(line)
            except json.JSONDecodeError as exc:
                yield where, f"{where}: malformed JSON ({exc.msg}) / سطر JSON غير صالح"


def read_posts(paths: Sequence[str | Path], date_field: str = "date", start: int = 1) -> Iterator[Post]:
    """The posts of every file (folders recursively, in name order), from record ``start`` on."""
    n = 0
    for path in expand_paths(paths):
        with reading(path):
            check_text_file(path)
            for where, record in _records(path):
                n += 1
                if n < start:
                    continue
                yield (Post(n, where, error=record) if isinstance(record, str) else _post(n, where, record, date_field))


def count_posts(paths: Iterable[str | Path], date_field: str = "date") -> int:
    """How many records the feed holds; reads it all, so a feed that cannot be read fails before any output."""
    total = sum(1 for _ in read_posts(list(paths), date_field))
    if total == 0:
        raise TabayyunError("the feed holds no posts (empty files?) / لا توجد منشورات")
    return total
