"""Who publishes the fact checks: the organisation named in ClaimReview and reports, and the public
address of its desk (never the loopback address the desk happens to run on). Kept in the store."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from urllib.parse import urlsplit

from tabayyun.errors import TabayyunError
from tabayyun.store.base import MetaStore

__all__ = ["Publisher"]

_META_KEY = "publisher"
_LOOPBACK = ("localhost", "127.0.0.1", "::1", "0.0.0.0")


def _url(value: str | None, what: str) -> str | None:
    if value is None or not value.strip():
        return None
    value = value.strip().rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(value) > 2_000:
        raise TabayyunError(f"{what} must be an http(s) address, not '{value[:80]}'")
    return value


@dataclass(frozen=True)
class Publisher:
    """``name``, ``url`` and ``logo`` of the organisation; ``public_url``: the desk's public base address."""

    name: str = ""
    url: str | None = None
    logo: str | None = None
    public_url: str | None = None

    def updated(self, name: str | None = None, url: str | None = None, logo: str | None = None,
                public_url: str | None = None) -> "Publisher":
        """A copy with the given fields replaced, each checked (addresses are http(s); the public one
        is not a loopback address)."""
        out = replace(self, name=self.name if name is None else name.strip()[:200],
                      url=self.url if url is None else _url(url, "--url"),
                      logo=self.logo if logo is None else _url(logo, "--logo"),
                      public_url=self.public_url if public_url is None else _url(public_url, "--public-url"))
        if out.public_url and (urlsplit(out.public_url).hostname or "") in _LOOPBACK:
            raise TabayyunError("--public-url must be the address readers use, not a loopback address")
        return out

    def missing(self) -> list[str]:
        """What ClaimReview needs and is not set (its author's name and the public address of the checks)."""
        return [what for what, value in (("--name", self.name), ("--public-url", self.public_url)) if not value]

    @classmethod
    def load(cls, store: MetaStore) -> "Publisher":
        raw = store.get_meta(_META_KEY)
        return cls(**json.loads(raw)) if raw else cls()

    def save(self, store: MetaStore) -> None:
        store.set_meta(_META_KEY, json.dumps(asdict(self), ensure_ascii=False))
