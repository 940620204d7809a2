"""Turning text into index tokens: folded text cut into jieba words, CJK bigrams, numbers, stems and pinyin.

Three token streams per document, each a space-separated string the database tokenises on whitespace:
- *words*: jieba `cut_for_search` of the folded text (kefu.search.fold) with the center's vocabulary added to
  jieba's dictionary (kefu.search.vocabulary); English words with their Snowball stem; numbers as identifiers
  (kefu.search.numbers); a phone also yields its last four digits.
- *grams*: every two-character window of every run of Chinese characters, so a word that jieba glued into a
  longer one (气表 in 燃气表) is still found, as a phrase of bigrams (an exact substring).
- *keys* (appended to the title's words): pinyin of names (`py…`), the ticket number (`gd…`), references.
The query side (kefu.search.query) uses the same functions, so index and query never disagree about a token.
"""

import re
import threading

from kefu.search import numbers
from kefu.search.fold import fold

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_PHONE = re.compile(r"(?<!\d)(1[3-9]\d{9}|0\d{9,11})(?!\d)")
PINYIN = "py"  # prefix of pinyin tokens, so that a name's pinyin never matches an English word
TICKET = "gd"  # prefix of the ticket number token

_lock = threading.Lock()
_jieba = None
_stemmer = None


def _tokenizer(*, vocabulary_in_force: bool = True):
    """jieba's dictionary (shipped in the wheel) loaded once, with the vocabulary's words added."""
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
    if vocabulary_in_force:
        from kefu.search import vocabulary

        vocabulary.apply(_jieba)
    return _jieba


def stem(word: str) -> str:
    """The Snowball (Porter 2) stem of an English word: charging, charged, charge → charg."""
    global _stemmer
    if _stemmer is None:
        import snowballstemmer

        _stemmer = snowballstemmer.stemmer("english")
    return _stemmer.stemWord(word)


def cut(run: str) -> list[str]:
    """jieba's search-mode words of a folded run of Chinese characters (both the long word and its parts)."""
    return [w for w in _tokenizer().cut_for_search(run, HMM=True) if w.strip()]


def cut_precise(run: str) -> list[str]:
    """jieba's precise-mode words: each character in exactly one word (a query's words)."""
    return [w for w in _tokenizer().lcut(run, HMM=True) if w.strip()]


def alnum_tokens(token: str) -> list[str]:
    """The index tokens of one letters-and-digits token: itself, its stem, its identifier forms."""
    if token.isalpha():
        stemmed = stem(token) if token.isascii() else token
        return [token] if stemmed == token else [token, stemmed]
    return numbers.forms(token)


def words(text: str) -> list[str]:
    """Index tokens of `text`: jieba search-mode words for Chinese, English words and stems, numbers."""
    out: list[str] = []
    for kind, value in numbers.scan(fold(text)):
        if kind == "cjk":
            out.extend(cut(value))
        else:
            out.extend(alnum_tokens(value))
    return out


def bigrams(text: str, *, tail: bool = True, folded: bool = False) -> list[str]:
    """Two-character windows of each Chinese run, then its last character alone (`tail`), so that every
    character starts some token and a one-character query finds it as a prefix."""
    out: list[str] = []
    for run in _CJK_RUN.findall(text if folded else fold(text)):
        out.extend(run[i:i + 2] for i in range(len(run) - 1))
        if tail or len(run) == 1:
            out.append(run[-1])
    return out


def phone_tokens(phone: str) -> list[str]:
    """A phone number and its last four digits (the tail agents ask callers for)."""
    return numbers.forms(re.sub(r"\D", "", fold(phone or "")))


def mask_phones(text: str) -> str:
    """Phones inside free text shown as 138****1234, as every other output in kefu shows them."""
    from kefu.core.pii import mask_phone

    return _PHONE.sub(lambda m: mask_phone(m.group()), text or "")


def pinyin_tokens(name: str) -> list[str]:
    """Pinyin and initials of a Chinese name with its surname's readings: 仇伟 → pyqiuwei pyqw pychouwei pycw.

    The surname table (kefu.search.defaults.SURNAMES) gives the reading a surname has (仇 qiú, not chóu); where
    a surname has two readings both are indexed. Compound surnames (司马, 欧阳) are read as one."""
    from kefu.search.defaults import COMPOUND_SURNAMES, SURNAMES

    han = "".join(_CJK_RUN.findall(fold(name or "")))
    if not han:
        return []
    from pypinyin import lazy_pinyin

    surname = next((s for s in COMPOUND_SURNAMES if han.startswith(s) and len(han) > len(s)), han[0])
    given = lazy_pinyin(han[len(surname):]) if len(han) > len(surname) else []
    readings = [r for s in ([surname] if surname in SURNAMES else []) for r in SURNAMES[s]]
    if not readings:
        readings = ["".join(lazy_pinyin(surname))]
    heads = {r: r[0] if len(surname) == 1 else "".join(p[0] for p in lazy_pinyin(surname)) for r in readings}
    tokens = []
    for reading in readings:
        tokens.append(PINYIN + reading + "".join(given))
        tokens.append(PINYIN + heads[reading] + "".join(p[0] for p in given if p))
    return list(dict.fromkeys(tokens))


def query_pinyin(text: str) -> str:
    """Pinyin of Chinese characters typed as a query (homophones of a name are found, below exact matches)."""
    from pypinyin import lazy_pinyin

    return PINYIN + "".join(lazy_pinyin(text))
