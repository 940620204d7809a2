"""Small query expressions the ORM does not offer.

`LiteralIn` writes `column IN ('a', 'b')` with the values in the SQL text instead of as parameters. SQLite
uses a partial index (`… WHERE state IN ('running', 'paused')`) only when the query repeats the index's
condition literally: with bound parameters the planner cannot prove the query implies it and falls back to a
wider index and the table rows. Only ever pass constants from the code (choices), never input.
"""

import re

from django.db.models import BooleanField, Expression, F

_SAFE = re.compile(r"^[A-Za-z0-9_]+$")


class LiteralIn(Expression):
    """`field IN (<literal values>)` as a boolean condition usable in filter() and Q."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, field: str, values):
        super().__init__()
        values = tuple(values)
        if not values or not all(isinstance(v, str) and _SAFE.match(v) for v in values):
            # Quoting is safe only for plain codes; anything else must go as a parameter.
            raise ValueError(f"LiteralIn takes plain codes only, not {values!r}")
        self.column, self.values = F(field), values

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, exprs):
        (self.column,) = exprs

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.column)
        quoted = ", ".join(f"'{value}'" for value in self.values)
        return f"{sql} IN ({quoted})", params
