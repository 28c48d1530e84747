"""Reviews of saved checks, the publisher, and the exports built from what people signed."""
from __future__ import annotations

import csv
import io
import json

import pytest

from tabayyun.errors import TabayyunError
from tabayyun.publish import Publisher, make_review, reviewed_check, write_export
from tabayyun.store import SQLiteStore

CHECK = {"id": 1, "created": "2026-01-02T10:00:00+00:00", "text": "منشور",
         "claims": [{"claim": "أسرت القوات 500 مقاتل", "verdict": "refuted", "confidence": 0.8, "reasons": ["r"],
                     "evidence": []},
                    {"claim": "غادر 60 ألف شخص", "verdict": "supported", "confidence": 0.9, "reasons": [],
                     "evidence": []}]}


@pytest.fixture
def store(tmp_path):
    s = SQLiteStore(tmp_path / "db", create=True)
    yield s
    s.close()


def _saved(store: SQLiteStore, created: str | None = None) -> int:
    check_id = store.save_check(CHECK["text"], CHECK["claims"])
    if created:
        store.conn.execute("UPDATE checks SET created = ? WHERE id = ?", (created, check_id))
    return check_id


def test_a_review_is_validated_and_proposes_the_rating_of_its_verdict():
    review = make_review(CHECK, 0, "refuted", " سارة ", note="قالت قسد 157")
    assert (review.rating, review.reviewer, review.claim) == ("false", "سارة", 0)
    for bad in [dict(claim=5), dict(verdict="fake"), dict(rating="pants-on-fire"), dict(reviewer="  "),
                dict(note="x" * 6000), dict(note="a\ud800")]:
        args = {"claim": 0, "verdict": "refuted", "reviewer": "سارة", **bad}
        with pytest.raises(TabayyunError):
            make_review(CHECK, args["claim"], args["verdict"], args["reviewer"], args.get("rating"),
                        args.get("note", ""))


def test_the_latest_review_is_signed_and_the_machine_verdict_stays_beside_it():
    first = make_review(CHECK, 0, "conflicting", "أ")
    second = make_review(CHECK, 0, "refuted", "ب", rating="misleading")
    out = reviewed_check(CHECK, [first, second])
    claim, other = out["claims"]
    assert (claim["verdict"], claim["rating"], claim["machine_verdict"]) == ("refuted", "misleading", "refuted")
    assert [h["reviewer"] for h in claim["history"]] == ["أ", "ب"]
    assert other["reviewed"] is False and other["verdict"] is None and other["machine_verdict"] == "supported"


def test_reviews_are_stored_with_their_time_and_read_back_in_order(store):
    check_id = _saved(store)
    saved = store.save_review(make_review({**CHECK, "id": check_id}, 1, "supported", "سارة", cite=["d1"]))
    assert saved.id is not None and saved.created.startswith("20") and saved.cite == ("d1",)
    store.save_review(make_review({**CHECK, "id": check_id}, 1, "not_enough_evidence", "علي"))
    assert [r.reviewer for r in store.reviews([check_id])[check_id]] == ["سارة", "علي"]


def test_publisher_refuses_a_loopback_public_address_and_keeps_what_is_set(store):
    with pytest.raises(TabayyunError):
        Publisher().updated(public_url="http://127.0.0.1:8000")
    with pytest.raises(TabayyunError):
        Publisher().updated(url="javascript:alert(1)")
    Publisher().updated(name="غرفة التحقق", public_url="https://desk.example.org/").save(store)
    loaded = Publisher.load(store)
    assert loaded.public_url == "https://desk.example.org" and loaded.missing() == []
    assert Publisher.load(store).updated(logo="https://example.org/l.png").name == "غرفة التحقق"


def test_csv_export_has_a_bom_and_the_reviewed_verdicts_of_a_date_range(store):
    old, new = _saved(store, "2026-01-01T09:00:00+00:00"), _saved(store, "2026-02-01T09:00:00+00:00")
    store.save_review(make_review({**CHECK, "id": new}, 0, "refuted", "سارة", rating="misleading"))
    out = io.StringIO()
    assert write_export(store, out, "csv", since="2026-01-15") == 2
    text = out.getvalue()
    assert text.startswith("\ufeffcheck_id,")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [r["check_id"] for r in rows] == [str(new), str(new)] and str(old) not in {r["check_id"] for r in rows}
    assert (rows[0]["verdict"], rows[0]["rating"], rows[0]["machine_verdict"]) == ("refuted", "misleading", "refuted")
    assert rows[1]["verdict"] == "" and rows[1]["reviewed"] == "False"


def test_claimreview_export_holds_reviewed_claims_with_the_fields_google_requires(store):
    check_id = _saved(store)
    out = io.StringIO()
    with pytest.raises(TabayyunError):  # no publisher yet: no ClaimReview pointing at a loopback desk
        write_export(store, out, "claimreview")
    Publisher().updated(name="غرفة التحقق", url="https://example.org", public_url="https://desk.example.org",
                        logo="https://example.org/logo.png").save(store)
    store.save_review(make_review({**CHECK, "id": check_id}, 0, "refuted", "سارة", note="</script><b>"))
    out = io.StringIO()
    assert write_export(store, out, "claimreview") == 1
    graph = json.loads(out.getvalue())["@graph"]
    assert len(graph) == 1  # the unreviewed claim is not published
    review = graph[0]
    assert review["@type"] == "ClaimReview" and review["claimReviewed"] == "أسرت القوات 500 مقاتل"
    assert review["url"] == f"https://desk.example.org/checks/{check_id}#claim-1"
    assert review["author"]["name"] == "غرفة التحقق" and review["author"]["logo"]["url"].endswith("logo.png")
    assert review["reviewRating"]["alternateName"] == "زائف" and review["reviewRating"]["ratingValue"] == 1
    assert review["datePublished"][:2] == "20" and review["itemReviewed"]["@type"] == "Claim"


@pytest.mark.parametrize("fmt", ["json", "csv", "claimreview"])
def test_a_check_that_is_not_there_is_a_clear_error_before_anything_is_written(store, fmt):
    Publisher(name="غرفة التحقق", public_url="https://desk.example.org").save(store)
    out = io.StringIO()  # the CLI writes to stdout as it goes: a failed call must leave it empty
    with pytest.raises(TabayyunError, match="no check 7"):
        write_export(store, out, fmt, check_id=7)
    assert out.getvalue() == ""
