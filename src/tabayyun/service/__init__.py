"""The fact-checker's desk: an HTTP API and an Arabic web page on one evidence base.

``serve`` is what ``tabayyun serve`` runs; ``create_app`` gives the ASGI app for tests or another server.
"""
from __future__ import annotations

import os
import secrets
import sys
from typing import Sequence

__all__ = ["serve", "create_app", "TOKEN_ENV"]

TOKEN_ENV = "TABAYYUN_TOKEN"


def create_app(*args, **kwargs):
    """See ``tabayyun.service.app.create_app`` (imported lazily: it pulls in FastAPI and the pipeline)."""
    from tabayyun.service.app import create_app as _create_app

    return _create_app(*args, **kwargs)


def serve(db: str, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
          public_url: str | None = None, allow_hosts: Sequence[str] = (), trusted_proxy: str | None = None) -> None:
    """Serve the evidence base in ``db`` until interrupted. The write token is ``token``, else
    ``$TABAYYUN_TOKEN``, else a random one printed at start; ``public_url`` is the address readers
    reach the desk at (for ClaimReview). On loopback only requests for a loopback
    name (or one of ``allow_hosts``) are answered. ``X-Forwarded-Proto`` (an HTTPS proxy in front: the
    login cookie is then ``Secure``) is read from ``trusted_proxy`` addresses (default 127.0.0.1).
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
    app = create_app(tb, token, open_reads=loopback, public_url=public_url,
                     hosts=[*LOOPBACK_HOSTS, host, *allow_hosts] if loopback else None)
    where = f"[{host}]" if ":" in host else host
    print(f"tabayyun: serving {db} on http://{where}:{port}/ (Ctrl+C to stop)", file=sys.stderr)
    if not given:
        print(f"tabayyun: write token: {token}", file=sys.stderr)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False, proxy_headers=True,
                    forwarded_allow_ips=trusted_proxy or "127.0.0.1")
    finally:
        tb.close()
