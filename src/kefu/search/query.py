"""The user's query as weighted clauses: each word the user typed, with the other forms that find what they meant.

A document matches a query when it matches any clause (a query of several words ranks documents by how many and
how well they match, kefu.search.ranking, instead of refusing those missing one word); "quoted phrases" are
required, -words excluded. A clause's alternatives each carry a weight: the literal word 1.0, a word jieba glued
into a longer one (a bigram phrase) a little less, a synonym from the thesaurus or a name's homophone less again,
and a one-character query reads the domain dictionary's words first (气 → 燃气, 天然气) and other words holding the
character last (生气, 客气).
"""

import re
from dataclasses import dataclass

from kefu.search import numbers
from kefu.search import text as t
from kefu.search.fold import fold
from kefu.search.vocabulary import current

MAX_CLAUSES = 16
MIN_PREFIX = 3  # the last English word as typed also matches longer words from this length on

LITERAL, GLUED, SYNONYM, SENSE, HOMOPHONE = 1.0, 0.85, 0.6, 0.9, 0.3
SINGLE, CONTAINS = 0.45, 0.2  # a lone character as a word of its own, inside any word

_STOP_CJK = ("的 了 是 在 我 你 他 她 它 吗 呢 吧 啊 呀 也 都 就 还 要 和 与 及 把 被 给 请 请问 一下 一个 这个 "
             "那个 什么 怎么 怎么办 怎样 如何 为什么 为啥 咋 啥 能 会 可以 我们 你们 他们 有 没有")
_STOP_EN = ("a an the is are was were be been of to in on at and or for with my your our it its this that "
            "how what why can not no do does did i we you they")
STOP_CJK, STOP_EN = frozenset(_STOP_CJK.split()), frozenset(_STOP_EN.split())


@dataclass(frozen=True)
class Alt:
    """One way of matching a clause: `tokens` in order in one stream; `prefix` lets the last one grow."""

    stream: str  # "words" (title and body words, keys) or "grams" (Chinese bigrams)
    tokens: tuple[str, ...]
    weight: float
    prefix: bool = False
    show: str = ""  # the text to highlight where it matched (a synonym, a domain word), folded
    why: str = ""  # "", "synonym", "sense", "pinyin", "number", "ticket"


@dataclass(frozen=True)
class Clause:
    """One thing the user asked for; `required` (a quoted phrase) must match, `negated` must not."""

    text: str
    alts: tuple[Alt, ...]
    required: bool = False
    negated: bool = False


def _cjk_alts(word: str, weight: float = LITERAL, why: str = "") -> list[Alt]:
    """A Chinese word as one word of the index, or as a substring anywhere (a phrase of bigrams)."""
    if len(word) == 1:
        return [Alt("words", (word,), weight * SINGLE, show=word, why=why),
                Alt("grams", (word,), weight * CONTAINS, prefix=True, show=word, why=why)]
    return [Alt("words", (word,), weight, show=word, why=why),
            Alt("grams", tuple(t.bigrams(word, tail=False, folded=True)), weight * GLUED, show=word, why=why)]


def _word_alts(word: str) -> list[Alt]:
    """Any word, Chinese or English, with its weight: used for synonyms, which may be either."""
    if word.isascii():
        tokens = tuple(tok for tok in re.findall(r"[0-9a-z]+", word))
        return [Alt("words", tokens, SYNONYM, show=word, why="synonym")] if tokens else []
    if re.fullmatch(f"[{t._CJK}]+", word):
        return _cjk_alts(word, SYNONYM, "synonym")
    return []


def _synonym_alts(word: str) -> list[Alt]:
    lex = current()
    others = lex.synonyms(word) or (lex.synonyms(t.stem(word)) if word.isascii() and word.isalpha() else [])
    return [alt for other in others for alt in _word_alts(other)]


def cjk_clauses(run: str) -> list[Clause]:
    """A run of Chinese characters: one clause per word (stop words dropped when others remain), a clause for
    every thesaurus entry inside it, and the whole run as a phrase, which ranks an exact match first."""
    lex = current()
    if len(run) == 1:
        senses = [Alt("words", (w,), SENSE, show=w, why="sense") for w in lex.senses(run)]
        return [Clause(run, tuple([*senses, *_cjk_alts(run), *_synonym_alts(run)]))]
    words = t.cut_precise(run)
    kept = [w for w in words if w not in STOP_CJK] or words
    clauses = [Clause(w, tuple([*_cjk_alts(w), *_synonym_alts(w)])) for w in dict.fromkeys(kept)]
    inside = [w for w in lex.groups if len(w) > 1 and w in run and w not in kept and w != run]
    clauses += [Clause(w, tuple([*_cjk_alts(w), *_synonym_alts(w)])) for w in inside]
    if len(clauses) > 1 or not clauses:
        whole = [Alt("grams", tuple(t.bigrams(run, tail=False, folded=True)), LITERAL, show=run)]
        clauses.append(Clause(run, tuple(whole + _homophone(run))))
    elif 2 <= len(run) <= 4:
        clauses = [Clause(run, clauses[0].alts + tuple(_homophone(run)))]
    return clauses


def _homophone(run: str) -> list[Alt]:
    """A name typed with other characters of the same sound (章伟 for 张伟) is found, ranked below exact ones."""
    return [Alt("words", (t.query_pinyin(run),), HOMOPHONE, why="pinyin")] if 2 <= len(run) <= 4 else []


def alnum_clause(token: str, *, last: bool) -> Clause | None:
    """An English word (with its stem, pinyin, and the last one as a prefix) or a number in every form."""
    if token.isalpha():
        alts = [Alt("words", (token,), LITERAL, show=token)]
        if (stemmed := t.stem(token)) != token:
            alts.append(Alt("words", (stemmed,), LITERAL, prefix=False, show=token))
        if last and len(token) >= MIN_PREFIX:
            alts.append(Alt("words", (token,), GLUED, prefix=True, show=token))
        alts.append(Alt("words", (t.PINYIN + token,), GLUED, prefix=len(token) >= MIN_PREFIX, why="pinyin"))
        return Clause(token, tuple(alts + _synonym_alts(token)))
    alts = [Alt("words", (form,), LITERAL, show=token, why="number") for form in numbers.forms(token)]
    number = token[len(t.TICKET):] if token.startswith(t.TICKET) else token
    if number.isdigit() and len(number) <= 8:
        alts.append(Alt("words", (f"{t.TICKET}{int(number):08d}",), LITERAL, why="ticket"))
    return Clause(token, tuple(alts))


def _part_clauses(part: str, *, last: bool) -> list[Clause]:
    items = list(numbers.scan(part))
    clauses: list[Clause] = []
    for i, (kind, value) in enumerate(items):
        if kind == "cjk":
            clauses += cjk_clauses(value)
        elif value not in STOP_EN or len(items) == 1:
            clause = alnum_clause(value, last=last and i == len(items) - 1)
            if clause:
                clauses.append(clause)
    return clauses


_QUERY_PART = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')


def _phrase(text: str) -> Clause | None:
    """A quoted phrase: Chinese characters contiguous (bigrams), English words in order."""
    items = list(numbers.scan(text))
    if not items:
        return None
    if len(items) == 1 and items[0][0] == "cjk":
        run = items[0][1]
        return Clause(run, tuple(_cjk_alts(run)[:1] if len(run) == 1 else
                                 [Alt("grams", tuple(t.bigrams(run, tail=False, folded=True)), LITERAL, show=run)]))
    if all(k == "alnum" for k, _v in items):
        tokens = tuple(v for _k, v in items)
        return Clause(text, (Alt("words", tokens, LITERAL, show=text),))
    return None


def parse_query(q: str) -> list[Clause]:
    """The user's query as clauses: words and numbers, "quoted phrases" (required), -excluded words."""
    folded = fold((q or "")[:200])
    if '"' not in folded and not re.search(r"(^|\s)-", folded):
        # Spaced or dashed numbers become one token, punctuation goes, "iPad黑屏" is two parts.
        folded = " ".join(v for _k, v in numbers.scan(folded))
    joined = folded
    clauses: list[Clause] = []
    parts = list(_QUERY_PART.finditer(joined))
    for n, match in enumerate(parts):
        negated = bool(match.group(1) or match.group(3))
        if match.group(2) is not None:
            phrase = _phrase(match.group(2))
            found = [Clause(phrase.text, phrase.alts, required=not negated, negated=negated)] if phrase else []
        else:
            found = _part_clauses(match.group(4), last=n == len(parts) - 1 and not folded.endswith(" "))
            if negated:
                found = [Clause(c.text, tuple(a for a in c.alts if a.weight >= GLUED), negated=True) for c in found]
        clauses += found
    latin = [c.text for c in clauses if not c.negated and c.text.isalpha() and c.text.isascii()]
    if 2 <= len(latin) <= 4 and len(latin) == len(clauses):
        # "zhang wei": a name's pinyin typed as words.
        clauses.append(Clause(" ".join(latin), (Alt("words", (t.PINYIN + "".join(latin),), LITERAL, why="pinyin"),)))
    positive = [c for c in clauses if not c.negated]
    # A query of only exclusions would list everything else; it is treated as no query.
    return (positive[:MAX_CLAUSES] + [c for c in clauses if c.negated]) if positive else []
