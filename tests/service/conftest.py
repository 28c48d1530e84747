"""A small evidence base for the service tests: the shared news fixtures, the seed's report, and a
document whose fields try to inject markup."""
from __future__ import annotations

import pytest

from tabayyun.pipeline import Tabayyun
from tabayyun.records import Document

from tests.conftest import NEWS, seed_parts

TOKEN = "test-token-123"
XSS_TITLE = "<img src=x onerror=alert(1)>"
XSS_DOC = {"id": "xss-1", "title": XSS_TITLE, "source": "<script>alert('src')</script>", "date": "2020-01-05",
           "url": "javascript:alert(3)",
           "text": "افتتحت البلدية جسرا جديدا فوق النهر <script>alert(1)</script> بطول ثلاثمئة متر. "
                   "وقال رئيس البلدية إن الجسر الجديد سيخفف الازدحام <b onmouseover=alert(2)>في وسط المدينة</b>."}


def build_base(path) -> Tabayyun:
    report, _ = seed_parts()
    tb = Tabayyun(path, create=True)
    tb.add_documents([Document(**n) for n in NEWS] + [Document(**XSS_DOC)] + [
        Document(id="reuters/baghouz 1", text=report, title="الباغوز", source="Reuters", date="2019-03-19",
                 url="https://example.org/reuters/baghouz")])
    return tb


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    tb = build_base(tmp_path_factory.mktemp("service-base"))
    yield tb
    tb.close()


@pytest.fixture(scope="module")
def client(base):
    from fastapi.testclient import TestClient

    from tabayyun.service import create_app

    with TestClient(create_app(base, TOKEN), raise_server_exceptions=True) as c:
        yield c


@pytest.fixture(scope="module")
def post() -> str:
    return seed_parts()[1]
