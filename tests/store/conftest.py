"""Backends for the store contract suite: SQLite in a temporary folder, PostgreSQL on the server of
``$TABAYYUN_TEST_PG`` (a fresh database per test module, emptied before each test)."""
from __future__ import annotations

import os
import uuid
from urllib.parse import urlsplit
from typing import Iterator

import pytest

PG_ENV = "TABAYYUN_TEST_PG"
_HOW = (f"PostgreSQL tests need a server: set {PG_ENV} (e.g. postgresql:///tabayyun_test after "
        "'pg_ctlcluster 15 main start; su postgres -c \"createuser -s $USER\"; createdb tabayyun_test'), or run .ci/run")


def _url_with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/{name}" + (f"?{parts.query}" if parts.query else "")


@pytest.fixture(scope="module")
def pg_database() -> Iterator[str]:
    """The URL of a new database on the test server, dropped after the module."""
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.fail(f"{PG_ENV} is not set. {_HOW}", pytrace=False)
    try:
        import psycopg

        admin = psycopg.connect(url, autocommit=True, connect_timeout=5)
    except Exception as exc:
        pytest.fail(f"cannot reach {url}: {str(exc).strip().splitlines()[0]}. {_HOW}", pytrace=False)
    name = f"tabayyun_t_{uuid.uuid4().hex[:12]}"
    admin.execute(f"CREATE DATABASE {name}")
    try:
        yield _url_with_db(url, name)
    finally:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
        admin.close()


def _empty(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


@pytest.fixture(params=["sqlite", "postgres"])
def db(request, tmp_path) -> str:
    """Where a new, empty base goes: a folder, or the URL of an empty PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "base")
    url = request.getfixturevalue("pg_database")
    _empty(url)
    return url
