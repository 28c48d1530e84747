"""What only the PostgreSQL store does: its schema mark and version, and another program's database."""
from __future__ import annotations

import psycopg
import pytest

from tabayyun.errors import TabayyunError
from tabayyun.store import PostgresStore, open_store
from tabayyun.store.postgres import SCHEMA_VERSION


pytestmark = pytest.mark.parametrize("db", ["postgres"], indirect=True)  # the conftest's backend fixture


@pytest.fixture
def url(db: str) -> str:
    return db


def test_open_store_picks_the_backend_by_url(url):
    store = open_store(url, create=True)
    assert isinstance(store, PostgresStore)
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT version FROM tabayyun_schema").fetchone() == (SCHEMA_VERSION,)
    store.close()


def test_another_programs_database_is_refused_and_left_untouched(url):
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE invoices (id INT)")
    for create in (True, False):
        with pytest.raises(TabayyunError, match="other tables"):
            PostgresStore(url, create=create)
    with psycopg.connect(url) as conn:
        tables = [r[0] for r in conn.execute("SELECT table_name FROM information_schema.tables "
                                             "WHERE table_schema = 'public'")]
    assert tables == ["invoices"]


def test_a_base_from_a_newer_version_is_refused(url):
    PostgresStore(url, create=True).close()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE tabayyun_schema SET version = %s", (SCHEMA_VERSION + 1,))
    with pytest.raises(TabayyunError, match="newer tabayyun"):
        PostgresStore(url)


def test_a_bad_url_is_one_clear_error(url):
    with pytest.raises(TabayyunError, match="cannot connect"):
        PostgresStore(url.rsplit("/", 1)[0] + "/no_such_database_here")


def test_a_base_of_the_first_schema_is_read_as_it_is_and_migrated_by_a_writer(url):
    """A base made before the facts table (schema 1): a reader opens it untouched and reads no facts; a writer
    adds the table."""
    from tabayyun.store.postgres import MIGRATIONS

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE tabayyun_schema (version INTEGER NOT NULL)")
        conn.execute("INSERT INTO tabayyun_schema VALUES (1)")
        conn.execute(MIGRATIONS[0])
    reader = PostgresStore(url, readonly=True)
    assert reader.load_facts("v", ["a"]) == {} and reader.counts()["documents"] == 0
    reader.close()
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT version FROM tabayyun_schema").fetchone() == (1,)
    writer = PostgresStore(url)
    writer.save_facts("v", {"a": "[]"})
    assert writer.load_facts("v", ["a"]) == {"a": "[]"}
    writer.close()
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT version FROM tabayyun_schema").fetchone() == (SCHEMA_VERSION,) == (2,)
