"""The store under abuse: foreign files, read-only bases, clashing ids, a full disk, a second writer."""
from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tabayyun.errors import TabayyunError
from tabayyun.ingest import content_hash
from tabayyun.pipeline import Tabayyun, sentence_spans
from tabayyun.records import Document
from tabayyun.store import SQLiteStore
from tabayyun.store.sqlite import APPLICATION_ID, SCHEMA_VERSION, IdConflict

from tests.conftest import NEWS


def _triple(doc: Document):
    return doc, content_hash(doc.text), sentence_spans(doc.text)


def _fingerprint(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the SHA-1 of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def foreign(tmp_path) -> Path:
    """Another program's SQLite file where tabayyun looks for its base."""
    folder = tmp_path / "other"
    folder.mkdir()
    conn = sqlite3.connect(folder / SQLiteStore.FILENAME)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.execute("INSERT INTO invoices (total) VALUES (12.5)")
    conn.commit()
    conn.close()
    return folder


@pytest.mark.parametrize("create", [False, True])
def test_a_foreign_sqlite_file_is_refused_and_left_untouched(foreign, create):
    before = _fingerprint(foreign)
    with pytest.raises(TabayyunError, match="not a tabayyun evidence base"):
        SQLiteStore(foreign, create=create)
    with pytest.raises(TabayyunError, match="not a tabayyun evidence base"):
        Tabayyun(foreign)
    assert _fingerprint(foreign) == before and not (foreign / "index").exists()


def test_a_new_base_carries_the_mark(tmp_path):
    store = SQLiteStore(tmp_path / "db")
    assert store.conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_base_made_before_the_mark_still_opens_and_is_marked_on_write(tmp_path):
    store = SQLiteStore(tmp_path / "db")
    store.add_documents([_triple(Document(**NEWS[0]))])
    store.conn.execute("PRAGMA application_id=0")
    store.conn.execute("PRAGMA user_version=0")
    store.close()
    again = SQLiteStore(tmp_path / "db", create=False)
    assert again.counts()["documents"] == 1
    assert again.conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_a_base_from_a_newer_version_is_refused(tmp_path):
    store = SQLiteStore(tmp_path / "db")
    store.conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    store.close()
    with pytest.raises(TabayyunError, match="newer tabayyun"):
        SQLiteStore(tmp_path / "db", create=False)


def test_a_base_is_created_only_in_a_new_or_empty_folder(tmp_path):
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(TabayyunError, match="new or empty folder"):
        SQLiteStore(folder)
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    (tmp_path / "empty").mkdir()
    SQLiteStore(tmp_path / "empty").close()
    SQLiteStore(tmp_path / "new" / "deeper").close()


def _read_only(paths: list[Path], on: bool) -> None:
    """Read-only for anyone, root included (root ignores permission bits: the immutable attribute)."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i" if on else "-i", *map(str, paths)], check=True)
    else:
        for p in paths:
            p.chmod(0o555 if p.is_dir() else 0o444) if on else p.chmod(0o755 if p.is_dir() else 0o644)


def test_a_read_only_base_can_be_read(tmp_path):
    folder = tmp_path / "db"
    tb = Tabayyun(folder, create=True)
    tb.add_documents([Document(**n) for n in NEWS])
    tb.close()
    files = sorted(folder.rglob("*"), key=lambda p: -len(p.parts)) + [folder]
    before = _fingerprint(folder)
    _read_only(files, True)
    try:
        tb = Tabayyun(folder)
        assert tb.store.readonly and tb.store.counts() == {"documents": 3, "sentences": 6}
        assert tb.search("أسعار النفط")[0].document.id == "n2"
        assert tb.verify("ارتفعت أسعار النفط إلى 70 دولارا للبرميل").evidence
        with pytest.raises(TabayyunError, match="read-only"):
            tb.add_documents([Document(id="x", text="خبر جديد تماما عن افتتاح مدرسة في القرية")])
        tb.close()
    finally:
        _read_only(files, False)
    assert _fingerprint(folder) == before


def test_the_same_id_with_another_text_is_refused_and_nothing_of_the_batch_lands(tmp_path):
    store = SQLiteStore(tmp_path / "db")
    store.add_documents([_triple(Document(**NEWS[0]))])
    fresh = Document(id="new-1", text="افتتحت البلدية حديقة عامة جديدة في وسط المدينة اليوم.")
    clash = Document(id=NEWS[0]["id"], text="نص آخر تماما تحت المعرف نفسه عن موضوع مختلف.")
    with pytest.raises(IdConflict, match=f"'{NEWS[0]['id']}' already stands for another text"):
        store.add_documents([_triple(fresh), _triple(clash)])
    assert store.counts()["documents"] == 1 and store.get_document("new-1") is None
    twice = Document(id="dup", text="خبر أول عن الطقس الماطر في الشمال اليوم.")
    with pytest.raises(IdConflict):
        store.add_documents([_triple(twice), _triple(Document(id="dup", text="خبر ثان مختلف عن الأول تماما."))])
    assert store.counts()["documents"] == 1
    again = store.add_documents([_triple(Document(**NEWS[0]))])  # the same text again is still just skipped
    assert again.skipped == 1


def test_a_full_disk_is_one_clear_error_and_nothing_is_written(tmp_path):
    store = SQLiteStore(tmp_path / "db")
    store.add_documents([_triple(Document(**NEWS[0]))])
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count={pages + 1}")  # the file cannot grow: as a full disk
    big = [_triple(Document(id=f"big-{i}", text=f"خبر طويل رقم {i} " + "كلمة " * 2000)) for i in range(20)]
    with pytest.raises(TabayyunError) as error:
        store.add_documents(big)
    assert "full" in str(error.value) and "nothing of this write was kept" in str(error.value)
    assert "rollback" not in str(error.value)
    assert store.counts()["documents"] == 1
    store.add_documents([_triple(Document(**NEWS[1]))])  # still usable
    assert store.counts()["documents"] == 2


def test_a_second_writer_waits_for_the_first(tmp_path):
    store = SQLiteStore(tmp_path / "db")
    other = sqlite3.connect(store.path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    release = threading.Timer(5.5, lambda: other.execute("COMMIT"))  # past sqlite3's default 5 s wait
    release.start()
    t0 = time.monotonic()
    store.add_documents([_triple(Document(**NEWS[0]))])  # would be "database is locked" without the wait
    assert time.monotonic() - t0 >= 5 and store.counts()["documents"] == 1
    release.join()
    other.close()
