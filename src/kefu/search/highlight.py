"""Snippets with highlighted matches, built the same way on both backends.

Stored text is escaped piece by piece and only our own <mark> tags are added, so a reply containing
<script> shows as text. Phones inside the text are masked first, so a snippet never shows a full number:
a search for the tail 1234 highlights the tail of 138****1234.
"""

import re
from html import escape

from django.utils.safestring import SafeString, mark_safe

from kefu.search.text import _CJK_RUN, Term, mask_phones

WIDTH = 120
LEAD = 24  # characters of context kept before the first match


def _patterns(terms: list[Term]) -> re.Pattern | None:
    parts = set()
    for term in terms:
        if term.negated:
            continue
        for alt in term.alternatives:
            if alt.stream == "grams" or _CJK_RUN.fullmatch(term.text):
                parts.add(re.escape(term.text))
            else:
                # English words and numbers: at the start of a word, a prefix when the query allows it.
                body = r"\W*".join(re.escape(t) for t in alt.tokens)
                parts.add(r"(?<![0-9A-Za-z])" + body + (r"[0-9A-Za-z]*" if alt.prefix else r"(?![0-9A-Za-z])"))
    if not parts:
        return None
    return re.compile("|".join(sorted(parts, key=len, reverse=True)), re.IGNORECASE)


def _spans(text: str, pattern: re.Pattern | None) -> list[tuple[int, int]]:
    if pattern is None:
        return []
    return [(m.start(), m.end()) for m in pattern.finditer(text) if m.end() > m.start()]


def _render(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    out, pos = [], start
    for a, b in spans:
        if b <= start or a >= end:
            continue
        a, b = max(a, start), min(b, end)
        out.append(escape(text[pos:a]))
        out.append("<mark>" + escape(text[a:b]) + "</mark>")
        pos = b
    out.append(escape(text[pos:end]))
    return "".join(out)


def highlight(text: str, terms: list[Term]) -> SafeString:
    """The whole (short) text, escaped, with matches marked: for titles and names."""
    text = mask_phones(text)
    return mark_safe(_render(text, _spans(text, _patterns(terms)), 0, len(text)))  # noqa: S308 (escaped above)


def snippet(text: str, terms: list[Term], width: int = WIDTH) -> SafeString:
    """About `width` characters around the densest cluster of matches, escaped, matches marked."""
    text = re.sub(r"\s+", " ", mask_phones(text)).strip()
    spans = _spans(text, _patterns(terms))
    if not spans:
        start = 0
    else:
        # The window that starts just before the match with the most other matches within `width`.
        best = max(spans, key=lambda s: sum(1 for o in spans if s[0] <= o[0] < s[0] + width))
        # …but no later than needed to fill the window: a short text is shown whole.
        start = max(0, min(best[0] - LEAD, len(text) - width))
    end = min(len(text), start + width)
    html = _render(text, spans, start, end)
    return mark_safe(("…" if start else "") + html + ("…" if end < len(text) else ""))  # noqa: S308
