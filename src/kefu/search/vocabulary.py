"""The vocabulary in force: the thesaurus and the domain dictionaries, as edited or as shipped.

Read once per process and again when a list changes (this process's change drops the cache at once; another
process sees it within REFRESH seconds). Its words are added to jieba's dictionary, so that 燃气表 or 携号转网 is one
word in the index and in queries; a change therefore rebuilds the index in the background (kefu.search.services).
"""

import threading
import time
from dataclasses import dataclass, field

from kefu.search import defaults
from kefu.search.fold import fold

REFRESH = 30.0  # seconds a process trusts its copy of the lists


@dataclass
class Lexicon:
    """The lists as the engine uses them: synonym groups by word, domain words by character."""

    groups: dict[str, list[str]] = field(default_factory=dict)  # word → the other words of its group(s)
    domain: set[str] = field(default_factory=set)
    by_char: dict[str, list[str]] = field(default_factory=dict)  # character → domain words containing it
    stamp: tuple = ()

    def synonyms(self, word: str) -> list[str]:
        return self.groups.get(word, [])

    def senses(self, char: str) -> list[str]:
        """The domain words a one-character query means (气 → 燃气, 天然气, 供气 …)."""
        return self.by_char.get(char, [])

    def words(self) -> set[str]:
        return self.domain | set(self.groups)


def build(thesaurus: str, domain_texts: list[str], stamp: tuple = ()) -> Lexicon:
    """A Lexicon from the lists' text (one entry per line), every word folded as documents are."""
    lex = Lexicon(stamp=stamp)
    for line in defaults.lines(thesaurus):
        group = list(dict.fromkeys(fold(w) for w in line.split()))
        for word in group:
            lex.groups.setdefault(word, [])
            lex.groups[word] += [w for w in group if w != word and w not in lex.groups[word]]
    for text in domain_texts:
        for line in defaults.lines(text):
            lex.domain.update(fold(w) for w in line.split())
    for word in sorted(lex.domain, key=lambda w: (len(w), w)):
        if len(word) > 1 and all("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in word):
            # Words mixing scripts (IC卡) are never one token: the index splits letters from Chinese.
            for ch in dict.fromkeys(word):
                lex.by_char.setdefault(ch, []).append(word)
    return lex


_lock = threading.Lock()
_current: Lexicon | None = None
_checked = 0.0
_applied: set[str] = set()


def _stamp() -> tuple:
    from django.db.models import Max

    from kefu.search.models import Vocabulary

    row = Vocabulary.objects.aggregate(at=Max("updated_at"), n=Max("version"))
    return row["at"], row["n"], Vocabulary.objects.count()


def _load(stamp: tuple) -> Lexicon:
    from kefu.search.models import Vocabulary, VocabularyList

    edited = {(v.list, v.industry): v.text for v in Vocabulary.objects.all()}
    thesaurus = edited.get((VocabularyList.THESAURUS, ""), defaults.THESAURUS)
    domain = [edited.get((VocabularyList.DOMAIN, ind), defaults.default_text("domain", ind))
              for ind in defaults.INDUSTRIES]
    return build(thesaurus, domain, stamp)


def shipped() -> Lexicon:
    """The shipped lists alone: what warm_up loads before any database is open."""
    return build(defaults.THESAURUS, [defaults.default_text("domain", i) for i in defaults.INDUSTRIES])


def current() -> Lexicon:
    """The lists in force, re-read when another process may have changed them."""
    global _current, _checked
    now = time.monotonic()
    if _current is not None and now - _checked < REFRESH:
        return _current
    with _lock:
        if _current is None or now - _checked >= REFRESH:
            try:
                stamp = _stamp()
                if _current is None or _current.stamp != stamp:
                    _current = _load(stamp)
            except Exception:  # no table yet (migrating), or no database in this process: the shipped lists
                _current = _current or shipped()
            _checked = now
    return _current


def invalidate() -> None:
    """Drop this process's copy (after a change made here)."""
    global _checked
    _checked = 0.0


# What jieba's own dictionary said of a word before the vocabulary raised it: a word taken out of the vocabulary
# gets that back, so removing a thesaurus word never deletes it from jieba's dictionary (which would change how
# every later text is cut, in this process only).
_original: dict[str, int | None] = {}


def apply(tokenizer, lexicon: Lexicon | None = None) -> None:
    """Add the vocabulary's Chinese words to jieba's dictionary and restore those no longer in it."""
    words = {w for w in (lexicon or current()).words() if len(w) > 1 and not w.isascii() and " " not in w}
    if words == _applied:
        return
    with _lock:
        for word in words - _applied:
            _original.setdefault(word, tokenizer.FREQ.get(word) or None)
            tokenizer.add_word(word, freq=max(tokenizer.suggest_freq(word), 2000))
        for word in _applied - words:
            before = _original.pop(word, None)
            if before:
                tokenizer.add_word(word, freq=before)
            else:
                tokenizer.del_word(word)
        _applied.clear()
        _applied.update(words)
