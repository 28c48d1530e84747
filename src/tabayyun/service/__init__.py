"""The fact-checker's desk: an HTTP API and an Arabic web page on one evidence base.

``serve`` is what ``tabayyun serve`` runs; ``create_app`` gives the ASGI app for tests or another server.
"""
from __future__ import annotations

import os
import secrets
import sys

__all__ = ["serve", "create_app", "TOKEN_ENV"]

TOKEN_ENV = "TABAYYUN_TOKEN"


def create_app(*args, **kwargs):
    """See ``tabayyun.service.app.create_app`` (imported lazily: it pulls in FastAPI and the pipeline)."""
    from tabayyun.service.app import create_app as _create_app

    return _create_app(*args, **kwargs)


def serve(db: str, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
          public_url: str | None = None) -> None:
    """Serve the evidence base in ``db`` until interrupted. The write token is ``token``, else
    ``$TABAYYUN_TOKEN``, else a random one printed at start; ``public_url`` is the address readers
    reach the desk at (for ClaimReview). Raises TabayyunError if ``db`` is no base."""
    import uvicorn

    from tabayyun.pipeline import Tabayyun
    from tabayyun.service.security import is_loopback

    tb = Tabayyun(db)
    given = token or os.environ.get(TOKEN_ENV)
    token = given or secrets.token_urlsafe(24)
    if public_url is not None:
        from tabayyun.publish import Publisher

        public_url = Publisher().updated(public_url=public_url).public_url  # checked as the publisher's is
    app = create_app(tb, token, open_reads=is_loopback(host), public_url=public_url)
    where = f"[{host}]" if ":" in host else host
    print(f"tabayyun: serving {db} on http://{where}:{port}/ (Ctrl+C to stop)", file=sys.stderr)
    if not given:
        print(f"tabayyun: write token: {token}", file=sys.stderr)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
    finally:
        tb.close()
