"""One score for every kind of result, computed the same way whatever the database.

BM25 over the query's clauses: each clause scores with its best-matching alternative (the alternative's weight ×
its inverse document frequency × a saturating count of its occurrences, the title's counting more), and the
clauses add up, so a document matching more of the words, and rarer ones, comes first — a document missing one
word is ranked, not refused. The database finds the candidates (any clause matches) and may pre-rank a long list
of them; the final order is made here, from the documents' token columns, so SQLite and PostgreSQL agree.
"""

import math
from collections import Counter
from dataclasses import dataclass

from kefu.search.query import Alt, Clause

K1, B = 1.2, 0.75
TITLE = 3.0  # an occurrence in the title (or the keys: numbers, names' pinyin) counts this many times
PHRASE_ALL = 0.5  # bonus share when every clause matched


@dataclass
class Candidate:
    """A document's token columns, read for scoring."""

    id: int
    title_words: list[str]
    body_words: list[str]
    grams: str  # " a b c " with spaces at both ends
    title_grams: str

    @classmethod
    def of(cls, pk: int, title_words: str, body_words: str, grams: str, title_grams: str) -> "Candidate":
        return cls(pk, title_words.split(), body_words.split(), f" {grams} ", f" {title_grams} ")

    def __post_init__(self):
        self.title_count = Counter(self.title_words)
        self.body_count = Counter(self.body_words)
        self.length = len(self.title_words) + len(self.body_words)


def _count(tokens: list[str], counter: Counter, alt: Alt) -> int:
    if len(alt.tokens) == 1 and not alt.prefix:
        return counter.get(alt.tokens[0], 0)
    if len(alt.tokens) == 1:
        stem = alt.tokens[0]
        return sum(n for tok, n in counter.items() if tok.startswith(stem))
    joined = f" {' '.join(tokens)} "
    return joined.count(f" {' '.join(alt.tokens)} ")


def _gram_count(grams: str, alt: Alt) -> int:
    if alt.prefix:
        return grams.count(f" {alt.tokens[0]}")
    return grams.count(f" {' '.join(alt.tokens)} ")


def occurrences(doc: Candidate, alt: Alt) -> tuple[int, int]:
    """(title, body) occurrences of `alt` in `doc`."""
    if alt.stream == "grams":
        title = _gram_count(doc.title_grams, alt)
        return title, max(0, _gram_count(doc.grams, alt) - title)
    return _count(doc.title_words, doc.title_count, alt), _count(doc.body_words, doc.body_count, alt)


def matches(doc: Candidate, clause: Clause) -> bool:
    return any(sum(occurrences(doc, alt)) for alt in clause.alts)


def score(docs: list[Candidate], clauses: list[Clause], *,
          total: int) -> dict[int, tuple[float, list[Alt], list[Alt]]]:
    """(score, the best alternative of each clause that matched, every alternative found) per document;
    documents failing a required or negated clause and those matching nothing are left out. `total`: documents in
    the index, for the inverse document frequency."""
    positive = [c for c in clauses if not c.negated]
    alts = list(dict.fromkeys(a for c in positive for a in c.alts))
    index = {a: i for i, a in enumerate(alts)}
    groups = [[index[a] for a in c.alts] for c in positive]
    required = [g for c, g in zip(positive, groups, strict=True) if c.required]
    negated = [c for c in clauses if c.negated]
    hits: list[dict[int, tuple[int, int]]] = []
    df = [0] * len(alts)
    for doc in docs:
        found = {}
        for i, alt in enumerate(alts):
            title, body = occurrences(doc, alt)
            if title or body:
                found[i] = (title, body)
                df[i] += 1
        hits.append(found)
    avg = max((sum(d.length for d in docs) / len(docs)) if docs else 1.0, 1.0)
    n_docs = max(total, len(docs), 1)
    idf = [math.log(1 + (n_docs - n + 0.5) / (n + 0.5)) for n in df]
    out: dict[int, tuple[float, list[Alt], list[Alt]]] = {}
    for doc, found in zip(docs, hits, strict=True):
        if not found or any(not any(i in found for i in g) for g in required):
            continue
        if negated and any(matches(doc, c) for c in negated):
            continue
        norm = K1 * (1 - B + B * doc.length / avg)
        total_score, used = 0.0, []
        for group in groups:
            best, best_alt = 0.0, -1
            for i in group:
                if i in found:
                    title, body = found[i]
                    tf = TITLE * title + body
                    value = alts[i].weight * idf[i] * tf * (K1 + 1) / (tf + norm)
                    if value > best:
                        best, best_alt = value, i
            if best_alt >= 0:
                total_score += best
                used.append(alts[best_alt])
        if len(groups) > 1 and len(used) == len(groups):
            total_score *= 1 + PHRASE_ALL
        out[doc.id] = (total_score, used, [alts[i] for i in found])
    return out
