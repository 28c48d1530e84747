"""The web page: server-rendered Arabic-first views (English with ?lang=en or the header toggle)."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from markupsafe import Markup

from tabayyun.report.bidi import isolate_html
from tabayyun.report.claimreview import ratings
from tabayyun.report.i18n import reason_ar
from tabayyun.report.html import REPORT_CSP, render_check_html, text_segments
from tabayyun.index import Window
from tabayyun.organise.topics import taxonomy
from tabayyun.service.api import (MAX_QUERY_CHARS, MAX_TEXT_CHARS, CheckId, DocId, StoryId, check_token, desk,
                                  require_reader, window)
from tabayyun.service.desk import Desk
from tabayyun.service.security import TOKEN_COOKIE, token_ok

__all__ = ["router", "open_router", "render", "lang_of", "LANGS"]

LANGS = ("ar", "en")
HISTORY_PAGE = 20


@lru_cache(maxsize=1)
def _labels() -> dict[str, dict[str, str]]:
    return json.loads((resources.files("tabayyun.service") / "labels.json").read_text(encoding="utf-8"))


def lang_of(request: Request) -> str:
    """?lang= first, then the cookie the toggle sets; Arabic by default."""
    for value in (request.query_params.get("lang"), request.cookies.get("lang")):
        if value in LANGS:
            return value
    return "ar"


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    lang = lang_of(request)
    labels = _labels()

    def t(key: str, **values: Any) -> str:
        text = labels[key][lang]
        return text.format(**values) if values else text

    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    here = request.url.path + ("?" + urlencode(query) if query else "")
    return request.app.state.templates.TemplateResponse(
        request, name, {"lang": lang, "dir": "rtl" if lang == "ar" else "ltr", "t": t, "here": here,
                  "reason": lambda r: Markup(isolate_html(reason_ar(r) if lang == "ar" else r)), **context},
        status_code=status)


router = APIRouter(include_in_schema=False, dependencies=[Depends(require_reader)])
open_router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def index(request: Request, d: Desk = Depends(desk)) -> HTMLResponse:
    return render(request, "index.html", counts=d.counts())


@router.post("/check")
def check_form(text: Annotated[str, Form(min_length=1, max_length=MAX_TEXT_CHARS)],
               all: Annotated[bool, Form()] = False, d: Desk = Depends(desk)) -> RedirectResponse:
    return RedirectResponse(f"/checks/{d.check(text, all)['id']}", status_code=303)


@router.get("/checks", response_class=HTMLResponse)
def history(request: Request, page: Annotated[int, Query(ge=1, le=10**6)] = 1,
            d: Desk = Depends(desk)) -> HTMLResponse:
    rows = d.checks(HISTORY_PAGE + 1, (page - 1) * HISTORY_PAGE)
    return render(request, "history.html", checks=rows[:HISTORY_PAGE], page=page,
                  has_more=len(rows) > HISTORY_PAGE)


def _check(d: Desk, check_id: int) -> dict[str, Any]:
    found = d.get_check(check_id)
    if found is None:
        raise HTTPException(404, "no such check / لا يوجد تحقق بهذا الرقم")
    return found


def _remembered(request: Request) -> bool:
    return token_ok(request.cookies.get(TOKEN_COOKIE), request.app.state.token)


@router.get("/checks/{check_id}", response_class=HTMLResponse, name="check_page")
def check_page(request: Request, check_id: CheckId, d: Desk = Depends(desk)) -> HTMLResponse:
    found = d.reviewed_check(check_id)
    if found is None:
        raise HTTPException(404, "no such check / لا يوجد تحقق بهذا الرقم")
    segments = text_segments(found["text"], [c.get("span") for c in found["claims"]])
    return render(request, "check.html", check=found, segments=segments, ratings=ratings(),
                  token_remembered=_remembered(request))


@router.post("/checks/{check_id}/review")
def review_form(request: Request, check_id: CheckId, claim: Annotated[int, Form(ge=1, le=10_000)],
                verdict: Annotated[str, Form(max_length=40)], reviewer: Annotated[str, Form(max_length=200)],
                rating: Annotated[str, Form(max_length=40)] = "", note: Annotated[str, Form(max_length=5_000)] = "",
                cite: Annotated[list[str], Form(max_length=20)] = [],
                cite_more: Annotated[str, Form(max_length=2_000)] = "",
                token: Annotated[str, Form(max_length=500)] = "", remember: Annotated[bool, Form()] = False,
                d: Desk = Depends(desk)) -> RedirectResponse:
    """Sign a review from the check page; the token comes from the form or the session cookie."""
    check_token(request, token or request.cookies.get(TOKEN_COOKIE) or None)
    cited = [*cite, *cite_more.split()]
    if d.review(check_id, claim - 1, verdict, reviewer, rating or None, note, cited) is None:
        raise HTTPException(404, "no such check / لا يوجد تحقق بهذا الرقم")
    response = RedirectResponse(f"/checks/{check_id}#claim-{claim}", status_code=303)
    if token and remember:  # a session cookie: gone when the browser closes
        response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
    return response


@router.get("/checks/{check_id}/report", response_class=HTMLResponse)
def check_report(check_id: CheckId, d: Desk = Depends(desk)) -> HTMLResponse:
    return HTMLResponse(render_check_html(_check(d, check_id)), headers={"Content-Security-Policy": REPORT_CSP})


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: Annotated[str, Query(max_length=MAX_QUERY_CHARS)] = "",
                limit: Annotated[int, Query(ge=1, le=100)] = 20, where: Window | None = Depends(window),
                d: Desk = Depends(desk)) -> HTMLResponse:
    results = d.search(q, limit, where) if q.strip() else None
    return render(request, "search.html", q=q, results=results, where=where, subjects=taxonomy())


@router.get("/stats", response_class=HTMLResponse)
def stats_page(request: Request, d: Desk = Depends(desk)) -> HTMLResponse:
    return render(request, "stats.html", counts=d.counts(), by_source=d.breakdown("source"),
                  by_month=d.breakdown("month"))


@router.get("/add", response_class=HTMLResponse)
def add_page(request: Request) -> HTMLResponse:
    return render(request, "add.html", summary=None, form={}, problem=None, token_remembered=_remembered(request))


@router.post("/add", response_class=HTMLResponse)
def add_form(request: Request, token: Annotated[str, Form(max_length=500)] = "",
             title: Annotated[str, Form(max_length=1000)] = "",
             source: Annotated[str, Form(max_length=200)] = "", date: Annotated[str, Form(max_length=40)] = "",
             url: Annotated[str, Form(max_length=2000)] = "", text: Annotated[str, Form()] = "",
             remember: Annotated[bool, Form()] = False,
             file: Annotated[UploadFile | None, File()] = None, d: Desk = Depends(desk)) -> HTMLResponse:
    record = {"text": text, "title": title, "source": source, "date": date, "url": url}
    given = token or request.cookies.get(TOKEN_COOKIE) or ""
    if not token_ok(given, request.app.state.token):  # what was pasted stays in the form, with why
        problem = _labels()["token_wrong" if given else "token_missing"][lang_of(request)]
        return render(request, "add.html", status=403 if given else 401, summary=None, form=record, problem=problem,
                      token_remembered=False)
    if file is not None and file.filename:
        summary = d.add_file(file.filename, file.file.read(), source.strip() or None)
    else:
        summary = d.add_records([{k: v for k, v in record.items() if v.strip()}], "web")
    response = render(request, "add.html", summary=summary, form={}, problem=None,
                      token_remembered=bool(remember and token) or _remembered(request))
    if token and remember:  # a session cookie: gone when the browser closes
        response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
    return response


@router.get("/documents/{doc_id:path}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: DocId, s: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
                  d: Desk = Depends(desk)) -> HTMLResponse:
    doc = d.document(doc_id)
    if doc is None:
        raise HTTPException(404, "no such document / لا يوجد مستند بهذا المعرّف")
    marked = [(x["start"], x["end"]) for x in doc["sentences"] if x["id"] == s]
    return render(request, "document.html", doc=doc, segments=text_segments(doc["text"], marked), marked=s,
                  token_remembered=_remembered(request), notice=None)


@router.post("/documents/{doc_id:path}/remove", response_class=HTMLResponse)
def remove_document_form(request: Request, doc_id: DocId, token: Annotated[str, Form(max_length=500)] = "",
                         d: Desk = Depends(desk)) -> HTMLResponse:
    check_token(request, token or request.cookies.get(TOKEN_COOKIE) or None)
    if not d.remove_document(doc_id):
        raise HTTPException(404, "no such document / لا يوجد مستند بهذا المعرّف")
    labels = _labels()
    return render(request, "index.html", counts=d.counts(),
                  notice=labels["removed_notice"][lang_of(request)].format(doc=doc_id))


@router.post("/documents/{doc_id:path}/correct")
def correct_document_form(request: Request, doc_id: DocId, token: Annotated[str, Form(max_length=500)] = "",
                          title: Annotated[str, Form(max_length=1000)] = "",
                          source: Annotated[str, Form(max_length=200)] = "",
                          date: Annotated[str, Form(max_length=40)] = "", text: Annotated[str, Form()] = "",
                          d: Desk = Depends(desk)) -> RedirectResponse:
    check_token(request, token or request.cookies.get(TOKEN_COOKIE) or None)
    if not d.correct_document(doc_id, {"title": title, "source": source, "date": date, "text": text}):
        raise HTTPException(404, "no such document / لا يوجد مستند بهذا المعرّف")
    return RedirectResponse(f"/documents/{quote(doc_id)}", status_code=303)


@router.get("/stories", response_class=HTMLResponse)
def stories_page(request: Request, source: Annotated[str, Query(max_length=200)] = "",
                 topic: Annotated[str, Query(max_length=64)] = "", page: Annotated[int, Query(ge=1, le=10**6)] = 1,
                 d: Desk = Depends(desk)) -> HTMLResponse:
    rows = d.stories(source=source.strip() or None, topic=topic.strip() or None, limit=HISTORY_PAGE + 1,
                     offset=(page - 1) * HISTORY_PAGE)

    def page_url(n: int) -> str:
        return "/stories?" + urlencode({k: v for k, v in (("source", source), ("topic", topic)) if v} | {"page": n})

    return render(request, "stories.html", stories=rows[:HISTORY_PAGE], page=page, has_more=len(rows) > HISTORY_PAGE,
                  source=source, topic=topic, page_url=page_url)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: StoryId, d: Desk = Depends(desk)) -> HTMLResponse:
    story = d.story(story_id)
    if story is None:
        raise HTTPException(404, "no such story / لا توجد قصة بهذا المعرّف")
    days: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for doc in sorted(story["documents"], key=lambda x: (x["date"] or "", x["source"])):
        days.setdefault((doc["date"] or "")[:10], {}).setdefault(doc["source"], []).append(doc)
    timeline = [(day, sorted(by_source.items())) for day, by_source in days.items()]
    return render(request, "story.html", story=story, timeline=timeline)


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    return render(request, "docs.html", schema=request.app.openapi())


@open_router.get("/lang/{code}")
def set_lang(request: Request, code: str, next: Annotated[str, Query(max_length=2000)] = "/") -> RedirectResponse:
    """Remember the language in a cookie and go back; only local paths are followed."""
    if code not in LANGS:
        raise HTTPException(404, "unknown language")
    local = next.startswith("/") and not next.startswith("//") and "\\" not in next
    response = RedirectResponse(next if local else "/", status_code=303)
    response.set_cookie("lang", code, max_age=365 * 86400, samesite="lax", secure=_https(request))
    return response


def _https(request: Request) -> bool:
    """Served over HTTPS (directly, or behind a trusted proxy that says so in X-Forwarded-Proto)."""
    return request.url.scheme == "https"


@open_router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    return render(request, "login.html")


@open_router.post("/login")
def login(request: Request, token: Annotated[str, Form(max_length=500)]) -> Response:
    """Reading from a server that is not on loopback: the token, kept in an HttpOnly cookie."""
    if not token_ok(token, request.app.state.token):
        raise HTTPException(403, "wrong token / رمز غير صحيح")
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict", secure=_https(request))
    return response
