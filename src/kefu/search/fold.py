"""Text folded the same way when indexed and when searched: NFKC (full-width → half-width), lower case,
traditional → simplified Chinese (OpenCC's t2s tables).

The fold keeps the text's length, character for character, so a match found in the folded text is highlighted at
the same place in the text as written (賬單 is marked where 账单 was searched).
"""

import threading
import unicodedata

_lock = threading.Lock()
_converter = None


def _opencc():
    """OpenCC's converter, loaded once per process (kefu.search.warm_up loads it before the workers fork)."""
    global _converter
    if _converter is None:
        with _lock:
            if _converter is None:
                import opencc

                _converter = opencc.OpenCC("t2s")
    return _converter


def _char(ch: str) -> str:
    """One character NFKC-folded and lower-cased, or left as it is when folding would change the length."""
    if ch.isascii():
        return ch.lower()
    folded = unicodedata.normalize("NFKC", ch).lower()
    return folded if len(folded) == 1 else ch


def fold(text: str) -> str:
    """`text` with full-width forms, case and traditional characters folded; same length as `text`."""
    if not text:
        return ""
    if text.isascii():
        return text.lower()
    narrow = unicodedata.normalize("NFKC", text).lower()
    if len(narrow) != len(text):
        # A character folded into several (㈱ → (株)): fold character by character to keep positions.
        narrow = "".join(_char(ch) for ch in text)
    if narrow.isascii():
        return narrow
    simplified = _opencc().convert(narrow)
    if len(simplified) == len(narrow):
        return simplified
    # A phrase table changed the length (rare): convert character by character to keep positions.
    return "".join(c if len(c := _opencc().convert(ch)) == 1 else ch for ch in narrow)
