"""A printable, self-contained HTML report of a saved check, and the helpers the web page shares.

Every piece of document or claim text is escaped; links are kept only for http(s) URLs.
"""
from __future__ import annotations

from html import escape as _escape
from typing import Any, Sequence
from urllib.parse import urlsplit

from tabayyun.report.bidi import isolate_html
from tabayyun.report.i18n import reason_ar
from tabayyun.report.text import STANCE_NAMES, VERDICT_NAMES

__all__ = ["render_check_html", "text_segments", "safe_url", "verdict_name", "REPORT_CSP", "neutral_bidi"]

# Bidi embeddings and overrides (LRE RLE PDF LRO RLO) in a title or text could reorder what a page shows
# around them ("gnp.exe" shown for "exe.png"): dropped from everything a page or report prints.
_BIDI_CONTROLS = dict.fromkeys(range(0x202A, 0x202F))


def neutral_bidi(text: str) -> str:
    return text.translate(_BIDI_CONTROLS)


def escape(text: str) -> str:
    """HTML-escaped text, bidi overrides removed."""
    return _escape(neutral_bidi(text))

# The report carries its own style inline so it can be saved as one file; it runs no script.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

_CSS = """
body{font-family:"Noto Naskh Arabic","Noto Sans Arabic","DejaVu Sans",Tahoma,sans-serif;margin:2rem auto;
max-width:50rem;line-height:1.7;color:#111;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #999}
.post{white-space:pre-wrap;border:1px solid #bbb;padding:1rem;border-radius:.4rem}
mark{padding:0 .15rem;border-radius:.2rem}
.supported{background:#cdeccd}.refuted{background:#f6c9c9}.conflicting{background:#f7e3b5}
.not_enough_evidence{background:#dfe3ea}
table{border-collapse:collapse;width:100%;font-size:.95rem}td,th{border:1px solid #bbb;padding:.3rem;
vertical-align:top;text-align:start}.meta{color:#444;font-size:.9rem}
@media print{body{margin:0;max-width:none}a{color:#000}}
"""


def verdict_name(label: str, lang: str = "ar") -> str:
    """The verdict's name in ``lang`` ("ar" or "en")."""
    english, arabic = VERDICT_NAMES.get(label, f"{label} / {label}").split(" / ", 1)
    return arabic if lang == "ar" else english


def safe_url(url: Any) -> str | None:
    """``url`` if it is an http(s) link, else None (so ``javascript:`` and friends are never linked)."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def text_segments(text: str, spans: Sequence[Sequence[int] | None]) -> list[tuple[str, int | None]]:
    """Cut ``text`` into (piece, index of the span it belongs to, or None), in reading order.

    Spans that are missing, out of range or overlap an earlier-starting span are left unmarked.
    """
    marked = sorted((int(s[0]), int(s[1]), i) for i, s in enumerate(spans)
                    if s is not None and len(s) == 2 and 0 <= int(s[0]) < int(s[1]) <= len(text))
    out: list[tuple[str, int | None]] = []
    pos = 0
    for start, end, index in marked:
        if start < pos:
            continue
        if start > pos:
            out.append((text[pos:start], None))
        out.append((text[start:end], index))
        pos = end
    if pos < len(text):
        out.append((text[pos:], None))
    return out


def _evidence_rows(claim: dict[str, Any]) -> str:
    rows = []
    for e in claim.get("evidence", []):
        if e.get("stance") == "unrelated":
            continue
        link = safe_url(e.get("url"))
        where = " · ".join(x for x in (isolate_html(str(e.get("source") or "")),
                                       f'<bdi dir="ltr">{escape(str(e["date"]))}</bdi>' if e.get("date") else "") if x)
        title = escape(str(e.get("title") or e.get("doc_id") or ""))
        if link:
            title = f'<a href="{escape(link)}">{title}</a>'
        stance = str(e.get('stance', ''))
        rows.append(f"<tr><td>{escape(STANCE_NAMES.get(stance, stance))}</td>"
                    f"<td dir=\"rtl\">{escape(str(e.get('sentence', '')))}"
                    f"</td><td>{title}<div class=\"meta\">{where}</div></td></tr>")
    if not rows:
        return "<p>No related evidence / لا أدلة ذات صلة</p>"
    return ("<table><thead><tr><th>stance / الموقف</th><th>evidence / الدليل</th><th>source / المصدر</th></tr>"
            "</thead><tbody>" + "".join(rows) + "</tbody></table>")


def render_check_html(check: dict[str, Any]) -> str:
    """A bilingual printable report of ``check`` (the store's ``{"id", "created", "text", "claims"}``)."""
    claims = check.get("claims", [])
    post = "".join(
        escape(piece) if index is None else
        f'<mark class="{escape(str(claims[index].get("verdict", "")))}">{escape(piece)}<sup>{index + 1}</sup></mark>'
        for piece, index in text_segments(check.get("text", ""), [c.get("span") for c in claims]))
    blocks = []
    for n, claim in enumerate(claims, 1):
        label = str(claim.get("verdict", ""))
        reasons = "".join(f"<li dir=\"rtl\">{isolate_html(reason_ar(str(r)))}<br>"
                          f"<span dir=\"ltr\">{escape(str(r))}</span></li>"
                          for r in claim.get("reasons", []))
        blocks.append(
            f"<h2>{n}. <span dir=\"rtl\">{escape(str(claim.get('claim', '')))}</span></h2>"
            f"<p><mark class=\"{escape(label)}\">{escape(VERDICT_NAMES.get(label, label))}</mark> · "
            f"confidence / الثقة {float(claim.get('confidence', 0)):.2f}</p>"
            f"<ul>{reasons}</ul>{_evidence_rows(claim)}")
    body = "".join(blocks) or "<p>No check-worthy claims found. / لم يُعثر على ادعاءات قابلة للتحقق.</p>"
    return (f'<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>تقرير تحقق · Fact-check report #{escape(str(check.get('id', '')))}</title>"
            f"<style>{_CSS}</style></head><body>"
            f"<h1>تقرير تحقق · Fact-check report #{escape(str(check.get('id', '')))}</h1>"
            f"<p class=\"meta\"><bdi dir=\"ltr\">{escape(str(check.get('created', '')))}</bdi> · tabayyun تبيّن</p>"
            f'<div class="post" dir="rtl">{post}</div>{body}</body></html>')
