"""Exports of reviewed checks: one check or a date range, as JSON, JSONL, CSV or ClaimReview.

What a person signed is exported: a claim's ``verdict`` and ``rating`` are the reviewer's (empty for
a claim no one reviewed yet), with the machine verdict beside them. ClaimReview holds reviewed claims
only, under the configured publisher and the public address of each check.
"""
from __future__ import annotations

import csv
import json
from typing import Any, Iterator, TextIO

from tabayyun.errors import TabayyunError
from tabayyun.publish.publisher import Publisher
from tabayyun.publish.review import reviewed_check
from tabayyun.report.claimreview import claimreview
from tabayyun.store.base import Store

__all__ = ["FORMATS", "CSV_COLUMNS", "reviewed_checks", "claim_rows", "write_export"]

FORMATS = ("json", "jsonl", "csv", "claimreview")
CSV_COLUMNS = ("check_id", "checked_at", "claim_number", "claim", "reviewed", "verdict", "rating", "reviewer",
               "reviewed_at", "note", "cited", "machine_verdict", "machine_confidence", "reasons")


def reviewed_checks(store: Store, since: str | None = None, before: str | None = None,
                    check_id: int | None = None) -> Iterator[dict[str, Any]]:
    """Saved checks (one, or those created on or after ``since`` and before ``before``), oldest first,
    each as ``reviewed_check`` with the reviewers' cited documents resolved (``cited``) and each piece
    of evidence marked ``removed`` when its document has left the base since. A missing ``check_id`` is
    refused here, before the caller writes anything, not when the checks are read."""
    if check_id is not None:
        found = store.get_check(check_id)
        if found is None:
            raise TabayyunError(f"no check {check_id} in this evidence base / لا يوجد تحقق بهذا الرقم")
        return _resolved(store, iter([[found]]))
    return _resolved(store, store.iter_checks(since, before))


def _resolved(store: Store, batches: Iterator[list[dict]]) -> Iterator[dict[str, Any]]:
    for batch in batches:
        reviews = store.reviews([c["id"] for c in batch])
        for check in batch:
            out = reviewed_check(check, reviews.get(check["id"], []))
            docs = store.get_documents([d for c in out["claims"] for d in [e["doc_id"] for e in c.get("evidence", [])]
                                        + ((c["review"] or {}).get("cite") or [])])  # one read per check
            for claim in out["claims"]:  # evidence removed from the base since is kept, and marked so
                claim["evidence"] = [{**e, "removed": e["doc_id"] not in docs} for e in claim.get("evidence", [])]
                cite = (claim["review"] or {}).get("cite") or []
                claim["cited"] = [{"doc_id": d, "title": docs[d].title, "source": docs[d].source,
                                   "date": docs[d].date, "url": docs[d].url} if d in docs
                                  else {"doc_id": d, "removed": True} for d in cite]
            yield out


def claim_rows(check: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """One flat row per claim of a reviewed check (the CSV and JSONL shape)."""
    for n, claim in enumerate(check["claims"], 1):
        review = claim["review"] or {}
        yield {"check_id": check["id"], "checked_at": check["created"], "claim_number": n, "claim": claim["claim"],
               "reviewed": claim["reviewed"], "verdict": claim["verdict"], "rating": claim["rating"],
               "reviewer": review.get("reviewer"), "reviewed_at": review.get("created"), "note": review.get("note"),
               "cited": [c["doc_id"] for c in claim["cited"]], "machine_verdict": claim["machine_verdict"],
               "machine_confidence": claim["machine_confidence"], "reasons": claim.get("reasons", [])}


def write_export(store: Store, out: TextIO, fmt: str, since: str | None = None, before: str | None = None,
                 check_id: int | None = None, lang: str = "ar") -> int:
    """Write the export to ``out``; returns the number of claims written. CSV starts with a byte-order
    mark (spreadsheets read it as UTF-8); ClaimReview needs the publisher set (``Publisher``)."""
    if fmt not in FORMATS:
        raise TabayyunError(f"format must be one of {', '.join(FORMATS)}, not '{fmt}'")
    publisher = Publisher.load(store)
    if fmt == "claimreview" and publisher.missing():
        raise TabayyunError("ClaimReview needs the publisher: set " + " and ".join(publisher.missing())
                            + " with 'tabayyun publisher --db DIR' first")
    checks = reviewed_checks(store, since, before, check_id)
    written = 0
    if fmt == "csv":
        out.write("\ufeff")
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for check in checks:
            for row in claim_rows(check):
                writer.writerow({k: "; ".join(map(str, v)) if isinstance(v, list) else v for k, v in row.items()})
                written += 1
    elif fmt == "jsonl":
        for check in checks:
            for row in claim_rows(check):
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                written += 1
    elif fmt == "json":
        out.write("[")
        for n, check in enumerate(checks):
            out.write(("," if n else "") + "\n" + json.dumps(check, ensure_ascii=False))
            written += len(check["claims"])
        out.write("\n]\n")
    else:
        out.write('{"@context": "https://schema.org", "@graph": [')
        for check in checks:
            graph = claimreview(check, url=f"{publisher.public_url}/checks/{check['id']}", author=publisher.name,
                                author_url=publisher.url, logo=publisher.logo, lang=lang, reviewed_only=True)
            for review in graph["@graph"]:
                out.write(("," if written else "") + "\n" + json.dumps(review, ensure_ascii=False))
                written += 1
        out.write("\n]}\n")
    return written
