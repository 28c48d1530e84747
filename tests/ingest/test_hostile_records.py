"""Records the store would refuse are refused by the readers, naming file and line, before any write."""
from __future__ import annotations

import json

import pytest

from tabayyun.errors import TabayyunError
from tabayyun.ingest import MAX_DOCUMENT_CHARS, read_documents

GOOD = "افتتحت البلدية جسرا جديدا فوق النهر بطول ثلاثمئة متر"


def _jsonl(tmp_path, *lines: str):
    path = tmp_path / "in.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.mark.parametrize("line, message", [
    ('{"text": "\\ud800 ' + GOOD + '"}', "lone surrogate"),
    ('{"text": "' + GOOD + '", "title": "\\udfff"}', "field 'title': not valid Unicode"),
    ('{"text": "' + GOOD + '", "id": "\\ud83d"}', "field 'id': not valid Unicode"),
    ('{"text": "' + GOOD + ' \\u0000 "}', "NUL byte"),
    ('{"text": "' + GOOD + '", "source": "a\\u0000b"}', "NUL byte"),
    ("[" * 100_000, "nested too deeply"),
    ('{"text": "' + GOOD + '", "id": ' + "9" * 5000 + "}", "malformed JSON"),
    ('{"text": "' + GOOD + '", "id": ["a"]}', "field 'id' must be a string"),
    ('{"text": "' + GOOD + '", "id": true}', "field 'id' must be a string"),
    ('{"text": "' + GOOD + '", "id": 1e400}', "field 'id' must be a string"),
    ('{"text": "' + GOOD + '", "id": "' + "x" * 300 + '"}', "field 'id' is 300 characters long"),
])
def test_what_the_store_refuses_is_a_record_error_with_its_line(tmp_path, line, message):
    path = _jsonl(tmp_path, json.dumps({"text": GOOD}, ensure_ascii=False), line)
    with pytest.raises(TabayyunError, match=message) as error:
        list(read_documents([path]))
    assert "in.jsonl:2" in str(error.value)


def test_a_small_integer_id_is_kept_as_its_digits(tmp_path):
    path = _jsonl(tmp_path, json.dumps({"text": GOOD, "id": 42}, ensure_ascii=False))
    assert [d.id for d in read_documents([path])] == ["42"]


def test_a_nul_byte_past_the_first_8_kb_is_refused(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text(GOOD + " " + "كلمة " * 3000 + "\x00" + " نهاية", encoding="utf-8")
    assert path.read_bytes().index(b"\x00") > 8192
    with pytest.raises(TabayyunError, match="NUL byte"):
        list(read_documents([path]))


def test_a_document_over_the_bound_is_refused_before_it_is_split(tmp_path):
    path = _jsonl(tmp_path, json.dumps({"text": "كلمة " * (MAX_DOCUMENT_CHARS // 5 + 1)}, ensure_ascii=False))
    with pytest.raises(TabayyunError, match="over the limit"):
        list(read_documents([path]))


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_a_byte_order_mark_is_dropped(tmp_path, suffix):
    path = tmp_path / f"bom{suffix}"
    body = f"title,text\nعنوان,{GOOD}\n" if suffix == ".csv" else json.dumps({"text": GOOD}, ensure_ascii=False)
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    assert [d.text for d in read_documents([path])] == [GOOD]


def test_an_empty_folder_is_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.md").write_text("x", encoding="utf-8")
    with pytest.raises(TabayyunError, match="no .jsonl, .csv, .txt, .gz files"):
        list(read_documents([tmp_path / "empty"]))


def test_a_line_over_the_bound_is_refused_without_reading_it_whole(tmp_path):
    path = _jsonl(tmp_path, json.dumps({"text": "كلمة " * 1_700_000}, ensure_ascii=False),
                  json.dumps({"text": GOOD}, ensure_ascii=False))
    with pytest.raises(TabayyunError, match="in.jsonl:1: line over the limit"):
        list(read_documents([path]))
    problems: list = []
    assert [d.text for d in read_documents([path], on_invalid=problems.append)] == [GOOD]
    assert len(problems) == 1 and "in.jsonl:1" in str(problems[0])


@pytest.mark.parametrize("name, content", [
    ("big.txt", "كلمة " * (MAX_DOCUMENT_CHARS // 5 + 10)),
    ("big.csv", "title,text\nعنوان,\"" + "كلمة " * 1_700_000 + "\"\n"),
])
def test_a_huge_text_or_csv_field_is_refused(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TabayyunError, match="over the limit|field larger than field limit"):
        list(read_documents([path]))


def test_a_csv_quote_left_open_is_refused_not_read_as_one_document_to_the_end(tmp_path):
    path = tmp_path / "in.csv"
    rows = [f'"{GOOD} {n}",t{n}' for n in range(4)]
    rows[1] = f'"{GOOD} بلا علامة إغلاق,t1'  # the closing quote forgotten: the rows after it would join its text
    path.write_text("text,title\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(TabayyunError, match="in.csv:.*unreadable CSV"):
        list(read_documents([path]))
