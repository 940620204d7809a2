"""One search interface, two implementations chosen by the database vendor: SQLite FTS5 and PostgreSQL tsvector.

Both index the same token columns (see kefu.search.text) and answer the same two questions: which documents
match, newest first (for the count and the candidate window), and which of them rank best. A `scope` (tokens of
kefu.search.scope, any one of which a document must have) narrows every question to what the user may see.
"""

import abc
import json

from django.db import connections
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from kefu.search.text import Term

# Tokens of kefu.search.scope; a document must have one of them. Empty: no such condition.
Scope = tuple[str, ...]
TABLE = "search_document"
FTS_TABLE = "search_fts"
# Relative weight of the title's words, the body's words and the Chinese bigrams.
WEIGHTS = (4.0, 1.0, 0.5)
# Scope tokens are never part of a relevance score.
SCOPE_WEIGHT = 0.0


def _quote_fts(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _quote_ts(token: str) -> str:
    return "'" + token.replace("'", "''").replace("\\", "\\\\") + "'"


class Backend(abc.ABC):
    """Turns parsed terms into the database's query language and adds it to a queryset of documents.

    Each database implements match, ranked and rank in its own language (SqliteBackend, PostgresBackend); the
    other questions are answered here from those three."""

    vendor = ""
    # Whether a search without conditions can be counted far (to COUNT_CAP) on the index alone; else every search
    # is counted to 1,000+ by listing its newest matches (kefu.search.selectors).
    counts_on_index = False

    @abc.abstractmethod
    def match(self, qs: QuerySet, terms: list[Term], *, min_id: int | None = None,
              scope: Scope = ()) -> QuerySet:
        """Documents of `qs` matching every term and having a `scope` token, if any (with an id ≥ `min_id`)."""

    @abc.abstractmethod
    def ranked(self, qs: QuerySet, terms: list[Term], *, min_id: int | None = None) -> QuerySet:
        """`match` plus a `score` annotation, higher is better."""

    def _newest(self, qs: QuerySet, terms: list[Term], scope: Scope = ()) -> QuerySet:
        """Matching document ids, newest first, read in the index's own order."""
        return self.match(qs, terms, scope=scope).order_by("-id").values_list("id", flat=True)

    # The questions a search asks. `qs` is the filtered documents, narrowed by `scope` tokens or else by a
    # visibility condition of its own; the ORM versions here work on any backend, a backend may answer faster
    # when `qs` has no condition at all.
    #
    # A search counted to "10,000+" (a supervisor's) asks count, window_start and top; a search counted to
    # "1,000+" lists its newest matches once (the count and the ranking window at the same time) and ranks them.

    def count(self, qs: QuerySet, terms: list[Term], cap: int) -> int:
        """Matches, counted up to `cap`."""
        return self.match(qs, terms).order_by()[:cap].count()

    def window_start(self, qs: QuerySet, terms: list[Term], window: int) -> int | None:
        """The id of the `window`-th newest match."""
        return self._newest(qs, terms)[window - 1]

    def top(self, qs: QuerySet, terms: list[Term], *, min_id: int | None, offset: int,
            limit: int) -> list[tuple[int, float]]:
        """(document id, score) of the best matches, best first; ties go to the newer document."""
        ranked = self.ranked(qs, terms, min_id=min_id).order_by("-score", "-id").values_list("id", "score")
        return list(ranked[offset:offset + limit])

    def newest(self, qs: QuerySet, terms: list[Term], limit: int, scope: Scope = ()) -> list[int]:
        """The ids of the newest `limit` matches, newest first."""
        return list(self._newest(qs, terms, scope)[:limit])

    @abc.abstractmethod
    def rank(self, qs: QuerySet, terms: list[Term], ids: list[int], *, window: bool, offset: int,
             limit: int) -> list[tuple[int, float]]:
        """(id, score) of matches `ids` (found by `newest`, so visible), best first; ties go to the newer.
        `window`: they are the newest of more matches, a word too common for the score to mean much, so title
        matches come first and the rest newest first."""

    @staticmethod
    def _fetch(qs, sql: str, params: list) -> list:
        with connections[qs.db].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


class SqliteBackend(Backend):
    """FTS5 with external content (the search_document table), kept in step by triggers; bm25 ranking."""

    vendor = "sqlite"
    counts_on_index = True  # FTS5 counts a posting list without reading a row

    def expression(self, terms: list[Term], scope: Scope = ()) -> str:
        def alt(a) -> str:
            columns = "{title_words body_words}" if a.stream == "words" else "{grams}"
            phrase = (" + " if a.phrase else " AND ").join(_quote_fts(tok) for tok in a.tokens)
            return f"{columns} : ({phrase}{' *' if a.prefix else ''})"

        def term(x: Term) -> str:
            return "(" + " OR ".join(alt(a) for a in x.alternatives) + ")"

        positive = " AND ".join(term(x) for x in terms if not x.negated)
        negative = "".join(f" NOT {term(x)}" for x in terms if x.negated)
        if not scope:
            return positive + negative
        # The column filter keeps the user's words away from the scope tokens and the tokens away from the words.
        return f"({positive}{negative}) AND {{scope}} : ({' OR '.join(_quote_fts(tok) for tok in scope)})"

    def title_expression(self, terms: list[Term]) -> str:
        """The positive terms' words looked for in the title only (the first tier of a capped ranking)."""
        parts = []
        for x in terms:
            if x.negated:
                continue
            words = [a for a in x.alternatives if a.stream == "words"]
            if not words:
                continue
            phrases = [(" + " if a.phrase else " AND ").join(_quote_fts(t) for t in a.tokens)
                       + (" *" if a.prefix else "") for a in words]
            parts.append("(" + " OR ".join(f"{{title_words}} : ({p})" for p in phrases) + ")")
        return " AND ".join(parts)

    def match(self, qs, terms, *, min_id=None, scope=()):
        # The query text is a bound parameter; the SQL around it is constant. The id bound is put on the FTS
        # table's rowid, where FTS5 uses it to skip the older part of each posting list.
        where = [f"{FTS_TABLE}.rowid = {TABLE}.id", f"{FTS_TABLE} MATCH %s"]
        params = [self.expression(terms, scope)]
        if min_id is not None:
            where.append(f"{FTS_TABLE}.rowid >= %s")
            params.append(int(min_id))
        return qs.extra(tables=[FTS_TABLE], where=where, params=params)  # noqa: S610

    def _newest(self, qs, terms, scope=()):
        # Ordered by the FTS rowid so that SQLite walks the posting list backwards instead of the table.
        return (self.match(qs, terms, scope=scope).extra(order_by=[f"-{FTS_TABLE}.rowid"])  # noqa: S610
                .values_list("id", flat=True))

    def ranked(self, qs, terms, *, min_id=None):
        return self.match(qs, terms, min_id=min_id).annotate(score=RawSQL(self._BM25, ()))  # noqa: S611

    _BM25 = f"-bm25({FTS_TABLE}, {', '.join(str(w) for w in (*WEIGHTS, SCOPE_WEIGHT))})"

    # Searches without conditions, and scoped ones, read the FTS index alone: joining each of thousands of matches
    # to its document row only to count it costs random reads in a table of millions of rows.

    @staticmethod
    def _unconditioned(qs) -> bool:
        return not qs.query.where.children and not qs.query.is_empty()

    def count(self, qs, terms, cap):
        if not self._unconditioned(qs):
            return super().count(qs, terms, cap)
        sql = f"SELECT count(*) FROM (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT %s)"  # noqa: S608
        return self._fetch(qs, sql, [self.expression(terms), cap])[0][0]

    def window_start(self, qs, terms, window):
        if not self._unconditioned(qs):
            return super().window_start(qs, terms, window)
        sql = (f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "  # noqa: S608
               "ORDER BY rowid DESC LIMIT 1 OFFSET %s")
        rows = self._fetch(qs, sql, [self.expression(terms), window - 1])
        return rows[0][0] if rows else None

    def top(self, qs, terms, *, min_id, offset, limit):
        if not self._unconditioned(qs):
            return super().top(qs, terms, min_id=min_id, offset=offset, limit=limit)
        if min_id is not None:
            return self._top_in_window(qs, terms, min_id=min_id, offset=offset, limit=limit)
        sql = (f"SELECT rowid, {self._BM25} AS score FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "  # noqa: S608
               "ORDER BY score DESC, rowid DESC LIMIT %s OFFSET %s")
        return [(pk, float(score)) for pk, score in self._fetch(qs, sql, [self.expression(terms), limit, offset])]

    def _title_tier(self, terms, column: str, min_id: int) -> tuple[str, list]:
        """1 for a document whose title has the words, else 0: the first tier of a word too common to score.

        bm25 reads how many documents contain each term, which for a word in half the corpus means walking
        half the index on every search; this order needs only the window."""
        title = self.title_expression(terms)
        if not title:
            return "0", []
        return (f"{column} IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid >= %s)",  # noqa: S608
                [title, int(min_id)])

    def _top_in_window(self, qs, terms, *, min_id, offset, limit):
        """A word too common to score: title matches first, then the rest, newest first within each."""
        tier, tier_params = self._title_tier(terms, "rowid", min_id)
        sql = (f"SELECT rowid, {tier} AS score FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "  # noqa: S608
               "AND rowid >= %s ORDER BY score DESC, rowid DESC LIMIT %s OFFSET %s")
        rows = self._fetch(qs, sql, [*tier_params, self.expression(terms), int(min_id), limit, offset])
        return [(pk, float(score)) for pk, score in rows]

    def newest(self, qs, terms, limit, scope=()):
        if not self._unconditioned(qs):
            return super().newest(qs, terms, limit, scope)
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rowid DESC LIMIT %s"  # noqa: S608
        return [pk for (pk,) in self._fetch(qs, sql, [self.expression(terms, scope), limit])]

    def rank(self, qs, terms, ids, *, window, offset, limit):
        """The ids are the matches: ranking needs neither the scope nor any condition of `qs` again.

        Scored with the words alone, as bm25 reads how many documents hold each phrase of its query, which for
        a scope token is most of the index. The ids come as one JSON parameter; the unary + keeps SQLite from
        handing the IN to FTS5 as one rowid lookup per id, each computing bm25's statistics afresh."""
        if not ids:
            return []
        if window:
            tier, tier_params = self._title_tier(terms, "value", min(ids))
            sql = (f"SELECT value, {tier} AS score FROM json_each(%s) "  # noqa: S608 (constant SQL)
                   "ORDER BY score DESC, value DESC LIMIT %s OFFSET %s")
            params = [*tier_params, json.dumps(ids), limit, offset]
        else:
            sql = (f"SELECT rowid, {self._BM25} AS score FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "  # noqa: S608
                   "AND rowid >= %s AND +rowid IN (SELECT value FROM json_each(%s)) "
                   "ORDER BY score DESC, rowid DESC LIMIT %s OFFSET %s")
            params = [self.expression(terms), min(ids), json.dumps(ids), limit, offset]
        return [(pk, float(score)) for pk, score in self._fetch(qs, sql, params)]


class PostgresBackend(Backend):
    """Two generated tsvectors over the token columns (`simple` configuration), each with a GIN index; ts_rank.

    A term's alternatives go to the column of their stream, so every condition is one an index answers alone.
    """

    # Counting is reading: every match's row is visited (a bitmap heap scan, or a scan newest first testing each
    # row's tsvector), so counting a common word to 10,000 cost ~0.3 s at 200k documents and listing 1,000 ~30 ms.
    vendor = "postgresql"
    _COLUMN = {"words": "tsv_words", "grams": "tsv_grams"}

    @staticmethod
    def _tsquery(a, weight: str = "") -> str:
        """One alternative as tsquery text; `weight` "A" restricts it to the title's words."""
        toks = [_quote_ts(tok) + (f":{weight}" if weight else "") for tok in a.tokens]
        if a.prefix:
            toks[-1] += f"{'' if weight else ':'}*"
        return (" <-> " if a.phrase else " & ").join(toks)

    def _where(self, terms: list[Term]) -> tuple[str, list[str]]:
        parts, params = [], []
        for x in terms:
            alts = []
            for a in x.alternatives:
                alts.append(f"{TABLE}.{self._COLUMN[a.stream]} @@ to_tsquery('simple', %s)")
                params.append(self._tsquery(a))
            parts.append(("NOT " if x.negated else "") + "(" + " OR ".join(alts) + ")")
        return " AND ".join(parts), params

    def expression(self, terms: list[Term]) -> str:
        """The query as text (for logs and tests): each alternative with the column it is matched in."""
        where, params = self._where(terms)
        return where.replace("%s", "{}").format(*params)

    def match(self, qs, terms, *, min_id=None, scope=()):
        where, params = self._where(terms)
        if scope:
            where = f"({where}) AND {TABLE}.tsv_scope @@ to_tsquery('simple', %s)"
            params.append(" | ".join(_quote_ts(tok) for tok in scope))
        qs = qs.extra(where=[where], params=params)  # noqa: S610 (constant SQL, bound parameters)
        return qs if min_id is None else qs.filter(id__gte=min_id)

    def _score(self, terms: list[Term]) -> tuple[str, list[str]]:
        # ts_rank's weights are listed D, C, B, A; each column is ranked against the words meant for it.
        weights = f"'{{{WEIGHTS[2] / WEIGHTS[0]}, 0, {WEIGHTS[1] / WEIGHTS[0]}, 1.0}}'"
        scores, params = [], []
        for stream, column in self._COLUMN.items():
            wanted = [self._tsquery(a) for x in terms if not x.negated for a in x.alternatives if a.stream == stream]
            if wanted:
                scores.append(f"ts_rank({weights}, {TABLE}.{column}, to_tsquery('simple', %s))")
                params.append(" | ".join(f"({w})" for w in wanted))
        return " + ".join(scores) or "0", params

    def _title_tier(self, terms: list[Term]) -> tuple[str, list[str]]:
        """1 for a document whose title (weight A of tsv_words) has the words, else 0, as on SQLite: ts_rank
        would read both of each window document's tsvectors, bigrams and all."""
        parts = []
        for x in terms:
            words = [a for a in x.alternatives if a.stream == "words"]
            if words and not x.negated:
                parts.append("(" + " | ".join(f"({self._tsquery(a, weight='A')})" for a in words) + ")")
        if not parts:
            return "0", []
        return f"({TABLE}.tsv_words @@ to_tsquery('simple', %s))::int", [" & ".join(parts)]

    def ranked(self, qs, terms, *, min_id=None):
        score, params = self._score(terms)
        return self.match(qs, terms, min_id=min_id).annotate(score=RawSQL(score, params))  # noqa: S611

    def top(self, qs, terms, *, min_id, offset, limit):
        if min_id is None:
            return super().top(qs, terms, min_id=min_id, offset=offset, limit=limit)
        tier, params = self._title_tier(terms)
        ranked = (self.match(qs, terms, min_id=min_id).annotate(score=RawSQL(tier, params))  # noqa: S611
                  .order_by("-score", "-id").values_list("id", "score"))
        return [(pk, float(score)) for pk, score in ranked[offset:offset + limit]]

    def rank(self, qs, terms, ids, *, window, offset, limit):
        # The ids as one array parameter: a thousand bound parameters cost more to build than the query to run.
        if not ids:
            return []
        score, params = self._title_tier(terms) if window else self._score(terms)
        sql = (f"SELECT id, {score} AS score FROM {TABLE} WHERE id = ANY(%s) "  # noqa: S608 (constant SQL)
               "ORDER BY score DESC, id DESC LIMIT %s OFFSET %s")
        return [(pk, float(score)) for pk, score in self._fetch(qs, sql, [*params, list(ids), limit, offset])]


_BACKENDS = {b.vendor: b for b in (SqliteBackend(), PostgresBackend())}


def backend_for(alias: str = "default") -> Backend:
    """The implementation for the database behind `alias`; other databases have no full-text search."""
    vendor = connections[alias].vendor
    if vendor not in _BACKENDS:
        raise RuntimeError(f"kefu search supports SQLite and PostgreSQL, not {vendor}")
    return _BACKENDS[vendor]
