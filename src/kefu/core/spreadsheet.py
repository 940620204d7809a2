"""Spreadsheet cells that Excel, WPS and LibreOffice show as text and never run (CSV/formula injection).

A cell whose text starts with = + - @, a tab or a carriage return is read as a formula by spreadsheet
programs: a ticket titled `=HYPERLINK("http://…","click")` would turn into a live link in a supervisor's
export. OWASP's rule: prefix such a cell with a single quote, which the program shows as plain text and
the reader still sees the whole value. Numbers are left alone (a negative number is not a formula).
Every CSV or Excel export writes its rows through `safe_row` or `CsvWriter`.
"""

import csv
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value as a spreadsheet shows it without evaluating anything: texts that start a formula get a quote."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def safe_row(values) -> list:
    """Every cell of a row made safe with `safe_cell`."""
    return [safe_cell(v) for v in values]


class CsvWriter:
    """csv.writer whose rows are made safe first; `writerow` returns what the target's write returned."""

    def __init__(self, target, **kwargs):
        self._writer = csv.writer(target, **kwargs)

    def writerow(self, values):
        """Write one row of safe cells."""
        return self._writer.writerow(safe_row(values))
