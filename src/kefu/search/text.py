"""Turning text into index tokens and queries: jieba words, CJK bigrams, numbers, phone tails, pinyin initials.

Three token streams per document, each a space-separated string the database tokenises on whitespace:
- *words*: jieba `cut_for_search` (so 燃气表 also yields 燃气), lower-cased English and numbers; a phone also
  yields its last four digits, so an agent can find a caller by the tail without the full number anywhere.
- *grams*: every two-character window of every run of Chinese characters. jieba does not produce 气表 out of
  燃气表, so a query for a short word that jieba glued into a longer one is matched here, as a phrase of
  bigrams (an exact substring match).
The same functions build the query, so index and query can never disagree about what a token is.
"""

import re
import threading
from dataclasses import dataclass

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
# A word: a run of Chinese characters, or of letters/digits (with inner dots/dashes such as v2.3.1 or A-100).
_CHUNK = re.compile(f"[{_CJK}]+|[0-9A-Za-z]+(?:[.\\-_][0-9A-Za-z]+)*")
_ALNUM = re.compile(r"[0-9a-z]+")
_PHONE = re.compile(r"(?<!\d)(1[3-9]\d{9}|0\d{9,11})(?!\d)")
MIN_PREFIX = 3  # an English or number token this long also matches longer tokens (meter prefixes, "crash" → crashes)

_lock = threading.Lock()
_jieba = None


def _tokenizer():
    """jieba's dictionary (shipped in the wheel) is loaded once, on first use, by one thread."""
    global _jieba
    if _jieba is None:
        with _lock:
            if _jieba is None:
                import logging

                import jieba

                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                _jieba = tokenizer
    return _jieba


def _alnum_tokens(chunk: str) -> list[str]:
    """'v2.3.1' → v2 3 1 and v2.3.1 is not kept whole: both backends split on anything but letters and digits."""
    return _ALNUM.findall(chunk.lower())


def words(text: str) -> list[str]:
    """Index tokens of `text`: jieba search-mode words for Chinese, lower-cased letters/digits otherwise."""
    out: list[str] = []
    for match in _CHUNK.finditer(text or ""):
        chunk = match.group()
        if _CJK_RUN.fullmatch(chunk):
            out.extend(t for t in _tokenizer().cut_for_search(chunk, HMM=True) if t.strip())
        else:
            out.extend(_alnum_tokens(chunk))
    return out


def bigrams(text: str, *, tail: bool = True) -> list[str]:
    """Two-character windows of each Chinese run, then its last character alone (`tail`), so that every
    character starts some token and a one-character query finds it as a prefix."""
    out: list[str] = []
    for run in _CJK_RUN.findall(text or ""):
        out.extend(run[i:i + 2] for i in range(len(run) - 1))
        if tail or len(run) == 1:
            out.append(run[-1])
    return out


def phone_tokens(phone: str) -> list[str]:
    """A phone number and its last four digits (the tail agents ask callers for)."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) < 7:
        return [digits] if digits else []
    return [digits, digits[-4:]]


def phones_in(text: str) -> list[str]:
    """Phone numbers typed into free text, so their tails are found like a contact's."""
    return [number[-4:] for number in _PHONE.findall(text or "")]


def pinyin_tokens(name: str) -> list[str]:
    """Initials and full pinyin of a Chinese name: 张伟 → zw, zhangwei (agents type zw to find 张伟)."""
    if not _CJK_RUN.search(name or ""):
        return []
    from pypinyin import lazy_pinyin

    han = "".join(_CJK_RUN.findall(name))
    full = lazy_pinyin(han)
    initials = "".join(p[0] for p in full if p)
    return [initials, "".join(full)]


def mask_phones(text: str) -> str:
    """Phones inside free text shown as 138****1234, as every other output in kefu shows them."""
    from kefu.core.pii import mask_phone

    return _PHONE.sub(lambda m: mask_phone(m.group()), text or "")


# ----- queries -----

@dataclass(frozen=True)
class Alternative:
    """Tokens that must appear in this order (a phrase) in one token stream; `prefix` lets the last one grow."""

    stream: str  # "words" or "grams"
    tokens: tuple[str, ...]
    prefix: bool = False
    phrase: bool = True  # False: every token anywhere in the document


@dataclass(frozen=True)
class Term:
    """One thing the user asked for; a document matches when any alternative matches. Terms are ANDed."""

    alternatives: tuple[Alternative, ...]
    text: str  # what to highlight in snippets
    negated: bool = False


_QUERY_PART = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')
MAX_TERMS = 12


def _chunk_term(chunk: str) -> Term | None:
    if _CJK_RUN.fullmatch(chunk):
        grams = tuple(bigrams(chunk, tail=False))
        # The exact substring (bigram phrase), or jieba's words of it anywhere: the words carry the ranking,
        # since they are split into title and body, and a title match counts more.
        segmented = tuple(dict.fromkeys(w for w in _tokenizer().lcut(chunk) if w.strip()))
        alternatives = [Alternative("grams", grams), Alternative("words", segmented, phrase=False)]
        if len(chunk) == 1:
            # A lone character: a word of its own, or the first half of a bigram.
            alternatives = [Alternative("words", (chunk,)), Alternative("grams", (chunk,), prefix=True)]
        return Term(tuple(alternatives), chunk)
    tokens = tuple(_alnum_tokens(chunk))
    if not tokens:
        return None
    prefix = len(tokens[-1]) >= MIN_PREFIX and not tokens[-1].isdigit()
    return Term((Alternative("words", tokens, prefix=prefix),), chunk)


def _phrase_term(phrase: str) -> Term | None:
    """A quoted phrase: Chinese parts must be contiguous (grams), English words in order."""
    chunks = _CHUNK.findall(phrase)
    if not chunks:
        return None
    if all(_CJK_RUN.fullmatch(c) for c in chunks) and len(chunks) == 1:
        return _chunk_term(chunks[0])
    if not any(_CJK_RUN.fullmatch(c) for c in chunks):
        tokens = tuple(t for c in chunks for t in _alnum_tokens(c))
        return Term((Alternative("words", tokens),), phrase.strip())
    return None


def parse_query(q: str) -> list[Term]:
    """The user's query as ANDed terms: Chinese runs, words and numbers, "quoted phrases", -excluded words."""
    terms: list[Term] = []
    for match in _QUERY_PART.finditer((q or "")[:200]):
        negated = bool(match.group(1) or match.group(3))
        if match.group(2) is not None:
            phrase = _phrase_term(match.group(2))
            parts = [phrase] if phrase else [_chunk_term(c) for c in _CHUNK.findall(match.group(2))]
        else:
            parts = [_chunk_term(c) for c in _CHUNK.findall(match.group(4))]
        for term in parts:
            if term is not None:
                terms.append(Term(term.alternatives, term.text, negated) if negated else term)
    positive = [t for t in terms if not t.negated]
    # A query of only exclusions would list everything else; it is treated as no query.
    return (positive + [t for t in terms if t.negated])[:MAX_TERMS] if positive else []
