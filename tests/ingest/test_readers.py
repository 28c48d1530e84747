import json

import pytest

from tabayyun.errors import TabayyunError
from tabayyun.ingest import content_hash, read_documents

from tests.conftest import NEWS, write_jsonl


def test_jsonl_fields_and_defaults(tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", [{"text": "نص الخبر", "title": "عنوان"}, NEWS[0]])
    docs = list(read_documents([path], source="مصدري"))
    assert docs[0].source == "مصدري" and docs[0].id == "doc-" + content_hash("نص الخبر")[:16]
    assert docs[1].id == "n1" and docs[1].date == "2019-03-19" and docs[1].url.startswith("https://")


def test_csv_and_txt_and_folder(tmp_path):
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.csv").write_text('title,text,source\nعنوان,"نص، مع فاصلة",وكالة\n', encoding="utf-8")
    (folder / "sub" / "b.txt").write_text("العنوان الأول\nنص الخبر الكامل.", encoding="utf-8")
    (folder / "ignored.bin").write_bytes(b"\x00\x01")
    docs = list(read_documents([folder]))
    assert [d.text for d in docs] == ["نص، مع فاصلة", "العنوان الأول\nنص الخبر الكامل."]
    assert docs[0].source == "وكالة" and docs[1].title == "العنوان الأول" and docs[1].source == "sub"  # its folder


@pytest.mark.parametrize("content, message", [
    (b"", "no documents"),
    (b"\x00\x01\x02binary", "binary"),
    (b"\xff\xfe\xfa not utf8", "UTF-8"),
])
def test_bad_files(tmp_path, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(content)
    with pytest.raises(TabayyunError, match=message):
        list(read_documents([path]))


def test_malformed_line_is_named(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"text": "سليم"}) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(TabayyunError, match=r"bad\.jsonl:2: malformed JSON"):
        list(read_documents([path]))


@pytest.mark.parametrize("record, message", [
    ({"title": "بلا نص"}, "'text'"),
    ({"text": "   "}, "'text'"),
    ({"text": "نص", "date": "yesterday"}, "invalid date"),
    ({"text": "نص", "title": ["list"]}, "'title' must be a string"),
])
def test_bad_records(tmp_path, record, message):
    path = write_jsonl(tmp_path / "r.jsonl", [record])
    with pytest.raises(TabayyunError, match=message):
        list(read_documents([path]))


def test_an_rss_timestamp_is_read_as_an_iso_date(tmp_path):
    path = write_jsonl(tmp_path / "feed.jsonl", [{"text": "نص الخبر", "time": "Sun, 18 Feb 2018 21:35:43 +0400"}])
    (doc,) = read_documents([path], fields={"date": "time"})
    assert doc.date == "2018-02-18T21:35:43+04:00"


def test_missing_path(tmp_path):
    with pytest.raises(TabayyunError, match="no such file"):
        list(read_documents([tmp_path / "nope.jsonl"]))


def test_streams_without_reading_everything(tmp_path):
    path = write_jsonl(tmp_path / "big.jsonl", [{"text": f"خبر رقم {i}"} for i in range(1000)])
    first = next(iter(read_documents([path])))
    assert first.text == "خبر رقم 0"


def test_gzip_jsonl(tmp_path):
    import gzip

    path = tmp_path / "news.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps(NEWS[1], ensure_ascii=False) + "\n")
    assert [d.id for d in read_documents([path])] == ["n2"]
    (tmp_path / "broken.jsonl.gz").write_bytes(b"not gzip at all")
    with pytest.raises(TabayyunError, match="gzip"):
        list(read_documents([tmp_path / "broken.jsonl.gz"]))


@pytest.mark.parametrize("name", ["reports.json", "reports.json.gz"])
def test_a_json_file_is_refused_not_stored_as_one_text(tmp_path, name):
    """A JSON array (a common export) named on its own was read as a .txt: one document of JSON syntax."""
    import gzip

    from tabayyun.scale.feed import read_posts

    data = json.dumps([{"text": "نص الخبر"}], ensure_ascii=False).encode()
    path = tmp_path / name
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    for read in (read_documents, read_posts):
        with pytest.raises(TabayyunError, match=r"reports\.json.*\.jsonl"):
            list(read([path]))


def test_csv_readers_keep_their_own_field_bound(tmp_path):
    """The CSV field bound is process-global: a reader suspended between rows keeps its own bound while
    another reader uses a smaller one, and the setting is restored once both are done."""
    import csv

    from tabayyun.ingest.readers import read_csv
    before = csv.field_size_limit()
    (tmp_path / "long.csv").write_text("text\nقصير\n" + "طويل " * 20 + "\n", encoding="utf-8")
    (tmp_path / "small.csv").write_text("text\n" + "طويل " * 20 + "\n", encoding="utf-8")
    wide = read_csv(tmp_path / "long.csv", field_limit=1000)
    assert next(wide)[1]["text"] == "قصير"
    with pytest.raises(TabayyunError, match="small.csv:.*unreadable CSV"):
        list(read_csv(tmp_path / "small.csv", field_limit=10))
    assert len(next(wide)[1]["text"]) == 100  # the small bound did not leak into the suspended reader
    assert list(wide) == [] and csv.field_size_limit() == before


def test_csv_without_the_text_column_names_its_columns_and_the_hint(tmp_path):
    from tabayyun.ingest.readers import read_csv
    (tmp_path / "posts.csv").write_text("title,body\nx,y\n", encoding="utf-8")
    with pytest.raises(TabayyunError, match=r"'text' column \(it has: title, body; use --x\)"):
        list(read_csv(tmp_path / "posts.csv", hint="use --x"))
    with pytest.raises(TabayyunError, match=r"'text' column \(it has: title, body\)"):
        list(read_csv(tmp_path / "posts.csv", hint=""))
