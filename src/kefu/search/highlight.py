"""Snippets with highlighted matches, and the reasons a result matched, built the same way on both backends.

Matches are found in the folded text (kefu.search.fold keeps its length), so 賬單 is marked where 账单 was
searched, ＪＤ２０２６ where jd2026 was, and a synonym or domain word where it stands. Stored text is escaped piece
by piece and only our own <mark> tags are added, so a reply containing <script> shows as text. Phones inside the
text are masked first: a search for the tail 1234 highlights the tail of 138****1234.
"""

import re
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kefu.search.fold import fold
from kefu.search.query import Alt
from kefu.search.text import PINYIN, mask_phones

WIDTH = 120
LEAD = 24  # characters of context kept before the first match
_SEP = r"[ \-]?"


def _pattern(alt: Alt) -> str | None:
    if alt.why in ("pinyin", "ticket"):
        return None
    if alt.why == "number":
        token = alt.tokens[0]
        body = _SEP.join(re.escape(ch) for ch in token)
        return r"(?<![0-9a-z])" + body + r"(?![0-9a-z])|" + re.escape(token) + r"(?![0-9a-z])"
    if alt.show and not alt.show.isascii():
        return re.escape(alt.show)
    body = r"\W*".join(re.escape(tok) for tok in alt.tokens)
    # English words: at the start of a word; a stem or a prefix also marks the rest of the word.
    return r"(?<![0-9a-z])" + body + r"[0-9a-z]*"


def _compile(alts: list[Alt]) -> re.Pattern | None:
    parts = {p for alt in alts if (p := _pattern(alt))}
    if not parts:
        return None
    return re.compile("|".join(sorted(parts, key=len, reverse=True)))


def _spans(text: str, pattern: re.Pattern | None) -> list[tuple[int, int]]:
    if pattern is None:
        return []
    return [(m.start(), m.end()) for m in pattern.finditer(fold(text)) if m.end() > m.start()]


def _render(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    out, pos = [], start
    for a, b in spans:
        if b <= start or a >= end or a < pos:
            continue
        a, b = max(a, start), min(b, end)
        out.append(escape(text[pos:a]))
        out.append("<mark>" + escape(text[a:b]) + "</mark>")
        pos = b
    out.append(escape(text[pos:end]))
    return "".join(out)


def highlight(text: str, alts: list[Alt]) -> SafeString:
    """The whole (short) text, escaped, with matches marked: for titles and names."""
    text = mask_phones(text)
    return mark_safe(_render(text, _spans(text, _compile(alts)), 0, len(text)))  # noqa: S308 (escaped above)


def snippet(text: str, alts: list[Alt], width: int = WIDTH) -> SafeString:
    """About `width` characters around the densest cluster of matches, escaped, matches marked."""
    text = re.sub(r"\s+", " ", mask_phones(text)).strip()
    spans = _spans(text, _compile(alts))
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


def reasons(alts: list[Alt]) -> list[str]:
    """Why a result matched beyond the words typed: a synonym, the domain sense, a name's pinyin, the number."""
    out = []
    for alt in alts:
        if alt.why == "synonym":
            out.append(_("synonym: %(word)s") % {"word": alt.show})
        elif alt.why == "sense":
            out.append(_("meaning: %(word)s") % {"word": alt.show})
        elif alt.why == "pinyin":
            out.append(_("pinyin: %(word)s") % {"word": alt.tokens[0].removeprefix(PINYIN)})
        elif alt.why == "ticket":
            out.append(_("ticket number %(number)s") % {"number": alt.tokens[0].upper()})
    return list(dict.fromkeys(out))
