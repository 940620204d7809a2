"""One search interface, two implementations chosen by the database vendor: SQLite FTS5 and PostgreSQL tsvector.

Both index the same token columns (kefu.search.text) and answer the same two questions: which documents match
any clause of a query (newest first, the candidates), and which of a long list of candidates the database's own
ranking puts first (bm25, ts_rank), so that only those are scored by kefu.search.ranking. A `scope` (tokens of
kefu.search.scope, any one of which a document must have) narrows every question to what the user may see.

The statements here are full-text queries the ORM cannot express; they are added to the ORM's queryset with
extra()/RawSQL where they filter one, else run as plain SQL with bound parameters.
"""

import abc
import json

from django.db import connections
from django.db.models import QuerySet

from kefu.search.query import Alt, Clause

# Tokens of kefu.search.scope; a document must have one of them. Empty: no such condition.
Scope = tuple[str, ...]
TABLE = "search_document"
FTS_TABLE = "search_fts"
# Relative weight of the title's words, the body's words and the Chinese bigrams in the database's pre-ranking.
WEIGHTS = (4.0, 1.0, 0.5)
SCOPE_WEIGHT = 0.0  # scope tokens are never part of a relevance score


def _quote_fts(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _quote_ts(token: str) -> str:
    return "'" + token.replace("'", "''").replace("\\", "\\\\") + "'"


def _positive(clauses: list[Clause]) -> list[Alt]:
    return list(dict.fromkeys(a for c in clauses if not c.negated for a in c.alts))


class Backend(abc.ABC):
    """Turns clauses into the database's query language and runs the questions a search asks."""

    vendor = ""

    @abc.abstractmethod
    def match(self, qs: QuerySet, clauses: list[Clause], *, scope: Scope = ()) -> QuerySet:
        """Documents of `qs` matching any clause (and every required one, and no negated one) with a scope token."""

    @abc.abstractmethod
    def rank(self, qs: QuerySet, clauses: list[Clause], ids: list[int], limit: int) -> list[int]:
        """The `limit` best of `ids` (matches found by `newest`) by the database's own ranking."""

    def newest(self, qs: QuerySet, clauses: list[Clause], limit: int, scope: Scope = ()) -> list[int]:
        """The ids of the newest `limit` matches, newest first."""
        return list(self.match(qs, clauses, scope=scope).order_by("-id").values_list("id", flat=True)[:limit])

    @staticmethod
    def _fetch(qs, sql: str, params: list) -> list:
        with connections[qs.db].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


class SqliteBackend(Backend):
    """FTS5 with external content (the search_document table), kept in step by triggers; bm25 pre-ranking."""

    vendor = "sqlite"

    @staticmethod
    def _alt(a: Alt) -> str:
        columns = "{title_words body_words}" if a.stream == "words" else "{grams}"
        phrase = " + ".join(_quote_fts(tok) for tok in a.tokens)
        return f"{columns} : ({phrase}{' *' if a.prefix else ''})"

    def expression(self, clauses: list[Clause], scope: Scope = ()) -> str:
        """The FTS5 query: any positive alternative, every required clause, no negated one, a scope token."""
        def either(alts) -> str:
            return "(" + " OR ".join(self._alt(a) for a in alts) + ")"

        parts = [either(_positive(clauses))]
        parts += [either(c.alts) for c in clauses if c.required]
        text = " AND ".join(parts) + "".join(f" NOT {either(c.alts)}" for c in clauses if c.negated and c.alts)
        if not scope:
            return text
        # The column filter keeps the user's words away from the scope tokens and the tokens away from the words.
        return f"({text}) AND {{scope}} : ({' OR '.join(_quote_fts(tok) for tok in scope)})"

    def match(self, qs, clauses, *, scope=()):
        where = [f"{FTS_TABLE}.rowid = {TABLE}.id", f"{FTS_TABLE} MATCH %s"]
        return qs.extra(tables=[FTS_TABLE], where=where, params=[self.expression(clauses, scope)])  # noqa: S610

    @staticmethod
    def _unconditioned(qs) -> bool:
        return not qs.query.where.children and not qs.query.is_empty()

    def newest(self, qs, clauses, limit, scope=()):
        if not self._unconditioned(qs):
            # Ordered by the FTS rowid so that SQLite walks the posting lists backwards instead of the table.
            return list(self.match(qs, clauses, scope=scope).extra(order_by=[f"-{FTS_TABLE}.rowid"])  # noqa: S610
                        .values_list("id", flat=True)[:limit])
        # Read on the FTS index alone: joining each match to its document row only to list it costs a random
        # read per match in a table of millions of rows.
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rowid DESC LIMIT %s"  # noqa: S608
        return [pk for (pk,) in self._fetch(qs, sql, [self.expression(clauses, scope), limit])]

    _BM25 = f"bm25({FTS_TABLE}, {', '.join(str(w) for w in (*WEIGHTS, SCOPE_WEIGHT))})"

    def rank(self, qs, clauses, ids, limit):
        """bm25 of the matches `ids`, which come as one JSON parameter; the unary + keeps SQLite from handing the
        IN to FTS5 as one rowid lookup per id, each computing bm25's statistics afresh."""
        if not ids:
            return []
        sql = (f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "  # noqa: S608 (constant SQL)
               "AND rowid >= %s AND +rowid IN (SELECT value FROM json_each(%s)) "
               f"ORDER BY {self._BM25}, rowid DESC LIMIT %s")
        params = [self.expression(clauses), min(ids), json.dumps(ids), limit]
        return [pk for (pk,) in self._fetch(qs, sql, params)]


class PostgresBackend(Backend):
    """Generated tsvectors over the token columns (`simple` configuration), each with a GIN index; ts_rank.

    The alternatives of each stream are ORed into one tsquery for that stream's column, so the match is two
    index conditions whatever the number of alternatives."""

    vendor = "postgresql"
    _COLUMN = {"words": "tsv_words", "grams": "tsv_grams"}

    @staticmethod
    def _tsquery(a: Alt) -> str:
        toks = [_quote_ts(tok) for tok in a.tokens]
        if a.prefix:
            toks[-1] += ":*"
        return "(" + " <-> ".join(toks) + ")"

    def _either(self, alts) -> tuple[str, list[str]]:
        parts, params = [], []
        for stream, column in self._COLUMN.items():
            mine = [self._tsquery(a) for a in alts if a.stream == stream]
            if mine:
                parts.append(f"{TABLE}.{column} @@ to_tsquery('simple', %s)")
                params.append(" | ".join(mine))
        return "(" + (" OR ".join(parts) or "FALSE") + ")", params

    def _where(self, clauses: list[Clause]) -> tuple[str, list[str]]:
        where, params = self._either(_positive(clauses))
        for c in clauses:
            if c.required or (c.negated and c.alts):
                sql, more = self._either(c.alts)
                where += f" AND {'NOT ' if c.negated else ''}{sql}"
                params += more
        return where, params

    def expression(self, clauses: list[Clause]) -> str:
        """The query as text (for logs and tests)."""
        where, params = self._where(clauses)
        return where.replace("%s", "{}").format(*params)

    def match(self, qs, clauses, *, scope=()):
        where, params = self._where(clauses)
        if scope:
            where = f"({where}) AND {TABLE}.tsv_scope @@ to_tsquery('simple', %s)"
            params.append(" | ".join(_quote_ts(tok) for tok in scope))
        return qs.extra(where=[where], params=params)  # noqa: S610 (constant SQL, bound parameters)

    def rank(self, qs, clauses, ids, limit):
        # The ids as one array parameter: a thousand bound parameters cost more to build than the query to run.
        if not ids:
            return []
        weights = f"'{{{WEIGHTS[2] / WEIGHTS[0]}, 0, {WEIGHTS[1] / WEIGHTS[0]}, 1.0}}'"
        scores, params = [], []
        for stream, column in self._COLUMN.items():
            mine = [self._tsquery(a) for a in _positive(clauses) if a.stream == stream]
            if mine:
                scores.append(f"ts_rank({weights}, {TABLE}.{column}, to_tsquery('simple', %s))")
                params.append(" | ".join(mine))
        sql = (f"SELECT id FROM {TABLE} WHERE id = ANY(%s) "  # noqa: S608 (constant SQL)
               f"ORDER BY {' + '.join(scores) or '0'} DESC, id DESC LIMIT %s")
        return [pk for (pk,) in self._fetch(qs, sql, [list(ids), *params, limit])]


_BACKENDS = {b.vendor: b for b in (SqliteBackend(), PostgresBackend())}


def backend_for(alias: str = "default") -> Backend:
    """The implementation for the database behind `alias`; other databases have no full-text search."""
    vendor = connections[alias].vendor
    if vendor not in _BACKENDS:
        raise RuntimeError(f"kefu search supports SQLite and PostgreSQL, not {vendor}")
    return _BACKENDS[vendor]
