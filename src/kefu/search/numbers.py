"""Numbers the way people type them: phones, order, meter, tracking and account numbers.

139 0571 2233, 139-0571-2233 and +86 13905712233 are one token, 13905712233, with its tail 2233 (a phone's last
four digits, which agents ask callers for); JD 2026 118842, JD2026-118842 and ＪＤ２０２６１１８８４２ (folded first)
are jd2026118842 and its digits 2026118842. The groups of a joined number are not tokens of their own, so 0571
does not find 13905712233: a number inside a longer number matches only as its tail or as the whole identifier.
"""

import re

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Runs of Chinese characters, and letters-and-digits groups with what separates them.
_ITEM = re.compile(f"([{_CJK}]+)|([0-9a-z]+)")
_JOINER = re.compile(r"[ \-]")
MIN_JOINED_DIGITS = 6  # groups join into one identifier when it holds at least this many digits
_MOBILE = re.compile(r"(?:86)?(1[3-9]\d{9})")
_LANDLINE = re.compile(r"0\d{9,11}")
_PREFIXED = re.compile(r"([a-z]{1,4})(\d{4,})")


def _joinable(left: str, right: str) -> bool:
    """A group continues the identifier on its left: digits after digits, or digits after a short letter prefix."""
    if not right.isdigit():
        return False
    return left[-1].isdigit() or (left.isalpha() and len(left) <= 4)


def scan(folded: str):
    """("cjk", run) and ("alnum", token) items of folded text, in order, with spaced or dashed groups of one
    number joined into one token when together they hold enough digits."""
    items: list[tuple[str, str, int, int]] = [
        ("cjk" if m.group(1) else "alnum", m.group(), m.start(), m.end()) for m in _ITEM.finditer(folded)]
    i = 0
    while i < len(items):
        kind, value, start, end = items[i]
        if kind == "alnum":
            parts, j = [value], i
            while (j + 1 < len(items) and items[j + 1][0] == "alnum" and items[j + 1][2] - items[j][3] == 1
                   and _JOINER.fullmatch(folded[items[j][3]]) and _joinable(parts[-1], items[j + 1][1])):
                parts.append(items[j + 1][1])
                j += 1
            joined = "".join(parts)
            if j > i and sum(ch.isdigit() for ch in joined) >= MIN_JOINED_DIGITS:
                yield "alnum", joined
                i = j + 1
                continue
        yield kind, value
        i += 1


def spans(folded: str) -> list[tuple[int, int, str]]:
    """(start, end, token) of each joined number in folded text: where a number query is highlighted."""
    out = []
    for m in re.finditer(r"[0-9a-z]+(?:[ \-][0-9a-z]+)*", folded):
        for token in (t for _kind, t in scan(m.group()) if any(ch.isdigit() for ch in t)):
            out.append((m.start(), m.end(), token))
    return out


def phone(token: str) -> str | None:
    """The number as dialled within China when `token` is a phone number, else None."""
    if m := _MOBILE.fullmatch(token):
        return m.group(1)
    if _LANDLINE.fullmatch(token):
        return token
    return None


def forms(token: str) -> list[str]:
    """The index tokens of one number: itself, a phone's national form and tail, a prefixed number's digits."""
    if not token:
        return []
    out = [token]
    if number := phone(token):
        out += [number, number[-4:]]
        if number.startswith("0") and len(number) >= 11:
            out.append(number[-8:])  # a landline without its area code
    elif m := _PREFIXED.fullmatch(token):
        out.append(m.group(2))
    return list(dict.fromkeys(out))
