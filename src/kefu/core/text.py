"""Names and titles shown without display spoofing.

Bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F) reorder what follows them, so a
name typed with a right-to-left override reads differently from what was stored; zero-width characters
(U+200B–U+200D, U+2060–U+2064, U+FEFF) make two different names look identical. Neither belongs in a
person's name or a ticket's title, so both are removed when one is stored.
"""

import re

_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def clean_display(value: str) -> str:
    """The text without bidirectional controls and zero-width characters, trimmed."""
    return _INVISIBLE.sub("", value or "").strip()
