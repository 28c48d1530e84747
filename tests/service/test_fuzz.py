"""OpenAPI-driven fuzz of the API (schemathesis, a bounded number of examples per operation): whatever
the input, no answer is a 5xx, and every error is the documented ``{"error": ...}`` shape."""
from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="the fuzz needs schemathesis (pip install '.[test]')")
from hypothesis import HealthCheck, given, settings  # noqa: E402

from tabayyun.service import create_app  # noqa: E402

from tests.service.conftest import TOKEN  # noqa: E402

AUTH = {"Authorization": f"Bearer {TOKEN}"}
EXAMPLES = 25  # per operation: a few hundred cases, a minute or two


def test_no_input_gets_a_server_error(base):
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(base, TOKEN))
    tried: dict[str, int] = {}
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def call(case) -> None:
            response = case.call(headers=AUTH)
            assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])
            if response.status_code >= 400:
                assert set(response.json()) == {"error"}, response.text[:300]
            tried[operation.label] = tried.get(operation.label, 0) + 1

        call()
    assert len(tried) >= 9 and sum(tried.values()) >= 9 * 5, tried
