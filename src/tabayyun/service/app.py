"""The FastAPI application: API, pages, static files, limits and one error shape.

Errors are ``{"error": "one line"}`` on the API and a small page on the web views; bad input is
always a 4xx, never a 500.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Sequence

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.exceptions import HTTPException

from tabayyun import __version__
from tabayyun.errors import TabayyunError
from tabayyun.pipeline import Tabayyun
from tabayyun.report.html import neutral_bidi, safe_url, verdict_name
from tabayyun.service import api, pages
from tabayyun.service.desk import Desk
from tabayyun.service.security import (MAX_BODY_BYTES, MAX_UPLOAD_BYTES, TOKEN_COOKIE, BodyLimit, HostCheck,
                                       SecurityHeaders, same_origin, token_from, token_ok)

__all__ = ["create_app"]

HERE = Path(__file__).parent
log = logging.getLogger("tabayyun.service")

DESCRIPTION = f"""Check Arabic claims against your own trusted reporting.

Writes (`POST /api/documents`) need the token: `Authorization: Bearer TOKEN`. Request bodies over
{MAX_BODY_BYTES} bytes get 413 ({MAX_UPLOAD_BYTES} bytes for `POST /api/documents`). Errors are
`{{"error": "..."}}`; malformed JSON gets 422."""


def _validation_message(errors: list[dict[str, Any]]) -> str:
    first = errors[0] if errors else {}
    if first.get("type") == "json_invalid":
        return (f"malformed JSON: {first.get('ctx', {}).get('error', 'cannot parse')} "
                f"(at character {first.get('loc', [None, '?'])[-1]}) / JSON غير صالح")
    return "; ".join(f"{'.'.join(str(x) for x in e.get('loc', ()))}: {e.get('msg', 'invalid')}" for e in errors[:3])


def _cause(error: BaseException) -> str:
    """Why a body could not be read as JSON, in a few words."""
    return "nested too deeply" if isinstance(error, RecursionError) else str(error).split(";")[0][:120]


def _printable(value: Any) -> Any:
    """What a page prints of a value: text without bidi overrides (markup made by the templates is kept)."""
    return neutral_bidi(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path in ("/healthz", "/openapi.json")


def _error(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": message}, status_code=status, headers=headers)
    return pages.render(request, "error.html", status=status, status_code=status, message=message)


def create_app(tb: Tabayyun, token: str, open_reads: bool = True, public_url: str | None = None,
               hosts: Sequence[str] | None = None) -> FastAPI:
    """The service on one opened evidence base; ``open_reads`` lets reads through without the token;
    ``public_url``: the address readers reach it at (ClaimReview links), over the publisher's;
    ``hosts``, when given, are the only Host header names answered (``serve`` gives the loopback names
    on a loopback desk, against DNS rebinding)."""
    app = FastAPI(title="tabayyun", version=__version__, description=DESCRIPTION, docs_url=None, redoc_url=None,
                  openapi_url=None, dependencies=[Depends(same_origin)])
    app.state.desk = Desk(tb)
    app.state.token = token
    app.state.open_reads = open_reads
    app.state.public_url = public_url.rstrip("/") if public_url else None
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.filters["safe_url"] = safe_url
    templates.env.finalize = _printable
    templates.env.globals["verdict_name"] = verdict_name
    app.state.templates = templates

    @app.get("/healthz", tags=["api"], summary="Liveness, and the size of the evidence base (the size only with "
                                                "the token on a server that needs it to read)")
    def healthz(request: Request) -> dict[str, Any]:
        if not (app.state.open_reads or token_ok(token_from(request) or request.cookies.get(TOKEN_COOKIE), token)):
            return {"status": "ok"}
        return {"status": "ok", **app.state.desk.counts()}

    @app.get("/openapi.json", include_in_schema=False, dependencies=[Depends(api.require_reader)])
    def openapi() -> dict[str, Any]:
        return app.openapi()

    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(pages.open_router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 400 and isinstance(exc.__cause__, (RecursionError, ValueError)):
            # what FastAPI's JSON reading gives up on: nesting too deep, an integer of thousands of digits
            return _error(request, 422, f"malformed JSON: {_cause(exc.__cause__)} / JSON غير صالح")
        return _error(request, exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return _error(request, 422, _validation_message(list(exc.errors())))

    @app.exception_handler(TabayyunError)
    async def refused(request: Request, exc: TabayyunError) -> Response:
        return _error(request, 422, str(exc))

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        log.exception("internal error on %s", request.url.path)
        return _error(request, 500, f"internal error: {type(exc).__name__}")

    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders)
    if hosts is not None:
        app.add_middleware(HostCheck, hosts=hosts)
    return app
