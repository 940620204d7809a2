"""Choice labels translated once per language, for lists that show a label on every row.

Django's `get_FOO_display()` builds a dict of every choice of the field and hashes each lazy label — which
translates it — on every call: ~60 µs for a ticket status. A 20-row queue showing status, priority and channel
paid that 60 times per page. Here each (choices, language) pair is translated once per process.
"""

from django.utils.translation import get_language

_tables: dict[tuple[type, str], dict] = {}


def choice_label(choices, value):
    """The translated label of `value` in the active language; an unknown value is returned as it is."""
    key = (choices, get_language() or "")
    table = _tables.get(key)
    if table is None:
        table = _tables[key] = {v: str(label) for v, label in choices.choices}
    return table.get(value, value)
