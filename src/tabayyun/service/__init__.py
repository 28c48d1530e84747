"""The fact-checker's desk: an HTTP API and an Arabic web page on one evidence base.

``serve`` is what ``tabayyun serve`` runs; ``create_app`` gives the ASGI app for tests or another server.
"""
from __future__ import annotations

import errno
import json
import os
import secrets
import socket
import sys
from typing import Any, Sequence

__all__ = ["serve", "create_app", "app_from_env", "TOKEN_ENV"]

TOKEN_ENV = "TABAYYUN_TOKEN"
_WORKER_ENV = "TABAYYUN_SERVE_WORKER"  # what ``serve`` hands its worker processes (see ``app_from_env``)


def create_app(*args, **kwargs):
    """See ``tabayyun.service.app.create_app`` (imported lazily: it pulls in FastAPI and the pipeline)."""
    from tabayyun.service.app import create_app as _create_app

    return _create_app(*args, **kwargs)


def app_from_env() -> Any:
    """The app of one worker process of ``serve --workers N``: its own opening of the base (its own
    store connection, index reader and models), with the settings the parent checked, closed at exit."""
    settings = json.loads(os.environ[_WORKER_ENV])
    from tabayyun.pipeline import Tabayyun

    tb = Tabayyun(settings.pop("db"))
    app = create_app(tb, **settings)
    app.router.on_shutdown.append(tb.close)
    return app


def _check_address(host: str, port: int, where: str) -> None:
    """Refuse, in one line, an address the server could not listen on (in use, not this machine's),
    before anything is printed or a worker starts; binds and lets go as uvicorn will bind."""
    from tabayyun.errors import TabayyunError

    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        why = "address already in use" if exc.errno == errno.EADDRINUSE else (exc.strerror or str(exc))
        raise TabayyunError(f"cannot listen on {where}:{port}: {why} / تعذّر الاستماع على هذا العنوان") from None


def serve(db: str, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
          public_url: str | None = None, allow_hosts: Sequence[str] = (), trusted_proxy: str | None = None,
          workers: int = 1) -> None:
    """Serve the evidence base in ``db`` until interrupted. The write token is ``token``, else
    ``$TABAYYUN_TOKEN``, else a random one printed at start; ``public_url`` is the address readers
    reach the desk at (for ClaimReview). On loopback only requests for a loopback
    name (or one of ``allow_hosts``) are answered. ``X-Forwarded-Proto`` (an HTTPS proxy in front: the
    login cookie is then ``Secure``) is read from ``trusted_proxy`` addresses (default 127.0.0.1).
    With ``workers`` > 1, that many processes answer on the port, each with its own opening of the base
    (the store takes care of concurrent writers: SQLite waits, PostgreSQL has one connection per process).
    Raises TabayyunError if ``db`` is no base."""
    import uvicorn

    from tabayyun.pipeline import Tabayyun
    from tabayyun.service.security import LOOPBACK_HOSTS, MIN_TOKEN_CHARS, is_loopback, weak_token

    tb = Tabayyun(db)
    given = token or os.environ.get(TOKEN_ENV)
    token = given or secrets.token_urlsafe(24)
    if public_url is not None:
        from tabayyun.publish import Publisher

        public_url = Publisher().updated(public_url=public_url).public_url  # checked as the publisher's is
    if weak_token(token):
        print(f"tabayyun: warning: the token is weak ({len(token)} characters); use {MIN_TOKEN_CHARS} or more "
              "random ones (give none and one is made) / رمز ضعيف", file=sys.stderr)
    loopback = is_loopback(host)
    settings = {"token": token, "open_reads": loopback, "public_url": public_url,
                "hosts": [*LOOPBACK_HOSTS, host, *allow_hosts] if loopback else None}
    where = f"[{host}]" if ":" in host else host
    _check_address(host, port, where)
    print(f"tabayyun: serving {db} on http://{where}:{port}/ (Ctrl+C to stop)", file=sys.stderr)
    if not given:
        print(f"tabayyun: write token: {token}", file=sys.stderr)
    options: dict[str, Any] = {"host": host, "port": port, "log_level": "warning", "server_header": False,
                               "proxy_headers": True, "forwarded_allow_ips": trusted_proxy or "127.0.0.1"}
    if workers > 1:
        tb.close()  # opened only to tell a missing base here, in one line, before any worker starts
        os.environ[_WORKER_ENV] = json.dumps({"db": str(db), **settings})
        uvicorn.run(f"{__name__}:app_from_env", factory=True, workers=workers, **options)
        return
    try:
        uvicorn.run(create_app(tb, **settings), **options)
    finally:
        tb.close()
