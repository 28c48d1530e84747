"""Bidirectional text: Latin names, links, dates and figures inside Arabic lines shown in their order.

In a right-to-left line, «(skynews, 2018-07-21)» is drawn as «(-skynews, 2018-07 / 21)» unless each
left-to-right run is isolated: ``<bdi dir="ltr">`` in HTML, U+2068 ... U+2069 (first strong isolate,
pop directional isolate) in plain text.
"""
from __future__ import annotations

import re
from html import escape

__all__ = ["isolate_text", "isolate_html", "FSI", "PDI"]

FSI, PDI = "\u2068", "\u2069"

# A left-to-right run: Latin words, digits, dates, times and links, with the commas and spaces between them.
_WORD = r"[A-Za-z0-9][A-Za-z0-9._:/@#%+&=?~\-]*"
_LTR_RUN = re.compile(rf"{_WORD}(?:,? +{_WORD})*")
# Only runs that a right-to-left line would reorder: with a Latin letter, or digits joined by - / : .
# (a bare number such as 500 is drawn the same either way).
_NEEDS_ISOLATION = re.compile(r"[A-Za-z]|\d[-/:.]\d")


def _runs(text: str) -> list[re.Match[str]]:
    return [m for m in _LTR_RUN.finditer(text) if _NEEDS_ISOLATION.search(m.group(0))]


def isolate_text(text: str) -> str:
    """``text`` with each left-to-right run between U+2068 and U+2069."""
    out, at = [], 0
    for m in _runs(text):
        out += [text[at:m.start()], FSI, m.group(0), PDI]
        at = m.end()
    return "".join(out) + text[at:]


def isolate_html(text: str) -> str:
    """``text`` escaped for HTML, each left-to-right run in ``<bdi dir="ltr">``."""
    out, at = [], 0
    for m in _runs(text):
        out.append(escape(text[at:m.start()]))
        out.append(f'<bdi dir="ltr">{escape(m.group(0))}</bdi>')
        at = m.end()
    out.append(escape(text[at:]))
    return "".join(out)
