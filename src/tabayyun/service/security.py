"""Request limits, the write token and the response headers that keep pages inert.

Limits (documented in the README): request bodies over ``MAX_BODY_BYTES`` (1 MiB) get 413, except on
the routes that add documents, which take up to ``MAX_UPLOAD_BYTES`` (32 MiB).
"""
from __future__ import annotations

import hmac
import ipaddress
from typing import Callable, Iterable
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import Message, Receive, Scope, Send

__all__ = ["MAX_BODY_BYTES", "MAX_UPLOAD_BYTES", "UPLOAD_PATHS", "BodyLimit", "SecurityHeaders",
           "is_loopback", "token_from", "token_ok", "same_origin", "TOKEN_HEADER", "TOKEN_COOKIE", "HostCheck",
           "LOOPBACK_HOSTS", "weak_token", "MIN_TOKEN_CHARS"]

MAX_BODY_BYTES = 1 << 20
MAX_UPLOAD_BYTES = 32 << 20
UPLOAD_PATHS = ("/api/documents", "/add")
TOKEN_HEADER = "x-tabayyun-token"
TOKEN_COOKIE = "tabayyun_token"
PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
            "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
MIN_TOKEN_CHARS = 16


def weak_token(token: str) -> bool:
    """Short, or of few distinct characters: guessable."""
    return len(token) < MIN_TOKEN_CHARS or len(set(token)) < 8


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def token_from(request: Request) -> str | None:
    """The token a request carries: ``Authorization: Bearer``, or the ``X-Tabayyun-Token`` header."""
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    return request.headers.get(TOKEN_HEADER)


def token_ok(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8"))


def same_origin(request: Request) -> None:
    """Refuse (403) a write that a browser sent from another site: a form on a foreign page posting to
    the desk. Browsers say where a request comes from in ``Sec-Fetch-Site``; older ones only in
    ``Origin``. Clients that send neither (curl, scripts) are not browsers and pass."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    site = request.headers.get("sec-fetch-site")
    origin = request.headers.get("origin")
    if site is not None:
        foreign = site not in ("same-origin", "none")
    else:  # "Origin: null" is a sandboxed frame or a file: page, never the desk itself
        foreign = origin is not None and (origin == "null" or urlsplit(origin).netloc != request.headers.get("host"))
    if foreign:
        raise HTTPException(403, "cross-site request refused / رُفض طلب من موقع آخر")


def _too_large(limit: int) -> str:
    return f"request body too large (limit {limit} bytes) / حجم الطلب أكبر من المسموح"


class BodyLimit:
    """ASGI middleware: 413 for a body over its route's limit, by Content-Length or as it streams."""

    def __init__(self, app: Callable, default: int = MAX_BODY_BYTES, upload: int = MAX_UPLOAD_BYTES) -> None:
        self.app, self.default, self.upload = app, default, upload

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.upload if scope["path"] in UPLOAD_PATHS else self.default
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                declared = -1
            if declared < 0 or declared > limit:
                status = 413 if declared > limit else 400
                message = _too_large(limit) if status == 413 else "invalid Content-Length header"
                await JSONResponse({"error": message}, status_code=status)(scope, receive, send)
                return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise HTTPException(413, _too_large(limit))
            return message

        await self.app(scope, limited, send)


def _host_name(header: str) -> str:
    """The name in a Host header, without its port: ``[::1]:8000`` -> ``::1``."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class HostCheck:
    """ASGI middleware: 421 for a request whose Host header is not one of ``hosts``. On a loopback desk this
    stops DNS rebinding: a page on another name that resolves to 127.0.0.1 cannot read or write the desk."""

    def __init__(self, app: Callable, hosts: Iterable[str]) -> None:
        self.app, self.hosts = app, {_host_name(h) for h in hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
            if _host_name(host) not in self.hosts:
                await JSONResponse({"error": "unknown Host header (open the desk at http://127.0.0.1:PORT/) / "
                                             "اسم المضيف غير معروف"}, status_code=421)(scope, receive, send)
                return
        await self.app(scope, receive, send)


class SecurityHeaders:
    """ASGI middleware: a strict Content-Security-Policy and friends on every response."""

    def __init__(self, app: Callable) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                extra = {b"content-security-policy": PAGE_CSP.encode(), b"x-content-type-options": b"nosniff",
                         b"referrer-policy": b"no-referrer", b"x-frame-options": b"DENY"}
                headers += [(k, v) for k, v in extra.items() if k not in names]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
