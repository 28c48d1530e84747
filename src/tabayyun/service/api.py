"""The JSON API under ``/api``: thin calls onto the ``Desk``."""
from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from tabayyun.index import Window
from tabayyun.organise.topics import subject_ids
from tabayyun.text import day_after
from tabayyun.report.claimreview import claimreview_json
from tabayyun.service.desk import Desk
from tabayyun.service.security import TOKEN_COOKIE, is_loopback, token_from, token_ok

__all__ = ["router", "desk", "window", "require_reader", "check_token", "CheckId", "DocId", "StoryId", "MAX_TEXT_CHARS",
           "MAX_CLAIM_CHARS", "MAX_QUERY_CHARS"]

MAX_TEXT_CHARS = 100_000
MAX_CLAIM_CHARS = 2_000
MAX_QUERY_CHARS = 500
MAX_ID_CHARS = 256

CheckId = Annotated[int, Path(ge=1, le=2**63 - 1, description="a check id from POST /api/check")]
DocId = Annotated[str, Path(min_length=1, max_length=MAX_ID_CHARS, pattern=r"^[^\x00-\x1f\x7f]+$",
                            description="a document id (as ingested)")]
StoryId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$",
                              description="a story id (a merged story's id still leads to it)")]
IsoDate = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD")]


class CheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS, description="a post or article, in Arabic")
    all: bool = Field(False, description="verify every claim, not only the check-worthy ones")


class VerifyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    claim: str = Field(min_length=1, max_length=MAX_CLAIM_CHARS, description="one claim, in Arabic")


class ReviewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    claim: int = Field(1, ge=1, le=10_000, description="which claim of the check, from 1")
    verdict: Literal["supported", "refuted", "not_enough_evidence", "conflicting"]
    rating: Literal["false", "misleading", "mixture", "unproven", "mostly_true", "true"] | None = Field(
        None, description="ClaimReview rating (default: the one proposed for the verdict)")
    reviewer: str = Field(min_length=1, max_length=200, description="who signs the review")
    note: str = Field("", max_length=5_000, description="the reviewer's explanation")
    cite: list[Annotated[str, Field(min_length=1, max_length=MAX_ID_CHARS)]] = Field(
        default_factory=list, max_length=20, description="ids of documents of the base to cite")


def public_url(request: Request, d: Desk) -> str:
    """The address readers reach the desk at: ``serve --public-url``, else the publisher's, else this
    request's unless it is a loopback address (a ClaimReview never points readers at 127.0.0.1)."""
    configured = request.app.state.public_url or d.publisher().public_url
    if configured:
        return configured
    if is_loopback(request.url.hostname or "localhost"):
        raise HTTPException(409, "set the public address of the desk first: 'tabayyun publisher --public-url URL' "
                                 "or 'serve --public-url URL' / حدّد العنوان العام للمكتب أولا")
    return str(request.base_url).rstrip("/")


def desk(request: Request) -> Desk:
    return request.app.state.desk


def check_token(request: Request, given: str | None) -> None:
    """401 without a token, 403 with a wrong one."""
    if given is None:
        raise HTTPException(401, "this endpoint needs the write token / يلزم رمز الكتابة",
                            headers={"WWW-Authenticate": "Bearer"})
    if not token_ok(given, request.app.state.token):
        raise HTTPException(403, "wrong token / رمز غير صحيح")


def require_token(request: Request) -> None:
    """Writes need the token (``Authorization: Bearer TOKEN`` or ``X-Tabayyun-Token: TOKEN``)."""
    check_token(request, token_from(request))


def require_reader(request: Request) -> None:
    """Reads are open when the service listens on loopback only; otherwise they need the token too
    (header, or the cookie the login page sets)."""
    if request.app.state.open_reads:
        return
    if not token_ok(token_from(request) or request.cookies.get(TOKEN_COOKIE), request.app.state.token):
        raise HTTPException(401, "this server needs the token to read / يلزم الرمز للقراءة",
                            headers={"WWW-Authenticate": "Bearer"})


def _found(item: Any, what: str) -> Any:
    if item is None:
        raise HTTPException(404, f"no such {what} / غير موجود")
    return item


router = APIRouter(prefix="/api", tags=["api"], dependencies=[Depends(require_reader)])


@router.post("/check", summary="Extract the claims of a text and verify each; the check is saved")
def check(body: CheckRequest, d: Desk = Depends(desk)) -> dict[str, Any]:
    return d.check(body.text, body.all)


@router.post("/verify", summary="Verify one claim")
def verify(body: VerifyRequest, d: Desk = Depends(desk)) -> dict[str, Any]:
    return d.verify(body.claim)


def _day(value: str | None, name: str) -> date | None:
    """A YYYY-MM-DD query parameter; empty (as a form sends it) is None."""
    if not value or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise HTTPException(422, f"{name}: expected a day such as 2019-03-19") from None


def window(source: Annotated[list[str], Query(max_length=20, description="only these sources")] = [],
           since: Annotated[str | None, Query(max_length=10, description="only documents dated on or after "
                                                                          "this day (YYYY-MM-DD)")] = None,
           until: Annotated[str | None, Query(max_length=10, description="only documents dated on or before "
                                                                          "this day (YYYY-MM-DD)")] = None,
           topic: Annotated[list[str], Query(max_length=17, description="only documents about these IPTC "
                                                                         "subjects (ids)")] = []
           ) -> Window | None:
    """The documents a search may return (a date bound leaves out undated documents); empty fields are no bound."""
    sources = frozenset(s.strip() for s in source if s.strip())
    if any(len(s) > 200 for s in sources):
        raise HTTPException(422, "source: at most 200 characters")
    topics = frozenset(t.strip() for t in topic if t.strip())
    unknown = sorted(topics - set(subject_ids()))
    if unknown:
        raise HTTPException(422, f"topic: unknown subject '{unknown[0][:64]}' (one of {', '.join(subject_ids())})")
    first, last = _day(since, "since"), _day(until, "until")
    if not (sources or first or last or topics):
        return None
    return Window(sources=sources, since=first.isoformat() if first else None,
                  before=day_after(last.isoformat() if last else None), topics=topics)


@router.get("/search", summary="Search the evidence base: sentences with their documents")
def search(q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS)],
           limit: Annotated[int, Query(ge=1, le=100)] = 10, where: Window | None = Depends(window),
           d: Desk = Depends(desk)) -> dict[str, Any]:
    return {"query": q, "results": d.search(q, limit, where)}


@router.get("/documents/{doc_id:path}", summary="A document and its evidence sentences")
def document(doc_id: DocId, d: Desk = Depends(desk)) -> dict[str, Any]:
    return _found(d.document(doc_id), "document")


@router.post("/documents", dependencies=[Depends(require_token)],
             summary="Add documents (a JSON list in the ingest shape); needs the token")
def add_documents(records: Annotated[list[dict[str, Any]], Body(max_length=50_000)],
                  source: Annotated[str, Query(min_length=1, max_length=200)] = "api",
                  d: Desk = Depends(desk)) -> dict[str, int]:
    return d.add_records(records, source)


class CorrectionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str | None = Field(None, min_length=1, max_length=1_000_000, description="the corrected text")
    title: str | None = Field(None, max_length=1000)
    source: str | None = Field(None, max_length=200)
    date: str | None = Field(None, max_length=40, description="ISO-8601")
    url: str | None = Field(None, max_length=2000)


@router.delete("/documents/{doc_id:path}", dependencies=[Depends(require_token)],
               summary="Remove a document (store, index, vectors, story); needs the token")
def remove_document(doc_id: DocId, d: Desk = Depends(desk)) -> dict[str, str]:
    _found(d.remove_document(doc_id) or None, "document")
    return {"removed": doc_id}


@router.put("/documents/{doc_id:path}", dependencies=[Depends(require_token)],
            summary="Correct a document, keeping its id (fields not given stay as they are); needs the token")
def correct_document(doc_id: DocId, body: CorrectionRequest, d: Desk = Depends(desk)) -> dict[str, str]:
    _found(d.correct_document(doc_id, body.model_dump(exclude_none=True)) or None, "document")
    return {"corrected": doc_id}


@router.get("/stories", summary="Stories, newest first, with counts of documents, sources and verdicts")
def stories(since: IsoDate = None, until: IsoDate = None,
            source: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
            topic: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
            limit: Annotated[int, Query(ge=1, le=200)] = 50, offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
            d: Desk = Depends(desk)) -> dict[str, Any]:
    _day(since, "since"), _day(until, "until")  # a day that exists, not only its shape
    return {"stories": d.stories(since, until, source, topic, limit, offset)}


@router.get("/stories/{story_id}", summary="A story: its documents, sources, dates and the claims checked in it")
def story(story_id: StoryId, d: Desk = Depends(desk)) -> dict[str, Any]:
    return _found(d.story(story_id), "story")


@router.get("/checks", summary="Saved checks, newest first")
def checks(limit: Annotated[int, Query(ge=1, le=200)] = 50, offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
           d: Desk = Depends(desk)) -> dict[str, Any]:
    return {"checks": d.checks(limit, offset)}


@router.get("/checks/{check_id}", summary="A saved check: its text, time and per-claim results")
def get_check(check_id: CheckId, d: Desk = Depends(desk)) -> dict[str, Any]:
    return _found(d.get_check(check_id), "check")


@router.get("/checks/{check_id}/claimreview", summary="schema.org ClaimReview JSON-LD for each claim of a check",
            response_class=JSONResponse)
def check_claimreview(check_id: CheckId, request: Request, d: Desk = Depends(desk)) -> Response:
    found = _found(d.reviewed_check(check_id), "check")
    who = d.publisher()
    review = claimreview_json(found, url=f"{public_url(request, d)}/checks/{check_id}",
                              author=who.name or "tabayyun", author_url=who.url, logo=who.logo)
    return Response(review, media_type="application/ld+json")


@router.get("/checks/{check_id}/reviewed", summary="A saved check as reviewed: each claim's machine verdict, "
                                                   "the verdict and rating a person signed, and the history")
def reviewed(check_id: CheckId, d: Desk = Depends(desk)) -> dict[str, Any]:
    return _found(d.reviewed_check(check_id), "check")


@router.post("/checks/{check_id}/reviews", dependencies=[Depends(require_token)], status_code=201,
             summary="Sign a person's verdict on one claim of a check; needs the token")
def add_review(check_id: CheckId, body: ReviewRequest, d: Desk = Depends(desk)) -> dict[str, Any]:
    return _found(d.review(check_id, body.claim - 1, body.verdict, body.reviewer, body.rating, body.note, body.cite),
                  "check")


_EXPORT_TYPES = {"json": "application/json", "jsonl": "application/x-ndjson", "csv": "text/csv; charset=utf-8",
                 "claimreview": "application/ld+json"}


@router.get("/export", summary="Reviewed checks (one, or made between two days) as JSON, JSONL, CSV or ClaimReview")
def export(format: Literal["json", "jsonl", "csv", "claimreview"] = "json",
           since: Annotated[str | None, Query(max_length=10, description="checks made on or after this day")] = None,
           until: Annotated[str | None, Query(max_length=10, description="checks made on or before this day")] = None,
           check: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None, d: Desk = Depends(desk)) -> Response:
    first, last = _day(since, "since"), _day(until, "until")
    before = day_after(last.isoformat() if last else None)
    text, _ = d.export(format, first.isoformat() if first else None, before, check)
    name = f"tabayyun-checks.{'jsonld' if format == 'claimreview' else format}"
    return Response(text, media_type=_EXPORT_TYPES[format],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
