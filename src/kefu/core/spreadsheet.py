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


# --- reading uploads ------------------------------------------------------------------------------------

XLSX_SUFFIXES = (".xlsx", ".xlsm")


def read_table(data: bytes, filename: str, *, max_rows: int | None = None) -> list[list[str]]:
    """The rows of an uploaded .csv or .xlsx as lists of trimmed texts, or a refusal naming what is wrong.

    Every import (customers, call lists, partner cases; page, API or command line) reads its file here, so a
    broken file is refused the same way everywhere (422, field `file`) instead of crashing deep in a parser:
    `invalid_filename` (a NUL or control character in the name), `unsupported_file` (neither suffix),
    `empty_file`, `corrupt_file` (not a readable workbook), `unknown_encoding` (a CSV in neither UTF-8 nor
    GBK/GB18030, the encodings Excel and WPS write), `nul_character` (a NUL byte in a cell).
    A CSV starts with an optional UTF-8 byte order mark; cells that are numbers in a workbook become text.
    """
    from django.utils.translation import gettext as _

    from kefu.core.errors import ValidationFailed

    name = filename or ""
    if any(ord(c) < 32 or c == "\x7f" for c in name):
        raise ValidationFailed(_("The file name contains a control character."), code="invalid_filename",
                               field="file")
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if f".{suffix}" not in (*XLSX_SUFFIXES, ".csv"):
        raise ValidationFailed(_("Upload an .xlsx or .csv file."), code="unsupported_file", field="file")
    if not data or not data.strip():
        raise ValidationFailed(_("The file is empty."), code="empty_file", field="file")
    limit = None if max_rows is None else max_rows + 1  # the header row, then at most max_rows
    rows = _xlsx_rows(data, limit) if f".{suffix}" in XLSX_SUFFIXES else _csv_rows(data, limit)
    if any("\x00" in cell for row in rows for cell in row):
        raise ValidationFailed(_("The file contains a NUL character."), code="nul_character", field="file")
    if not any(any(row) for row in rows):
        raise ValidationFailed(_("The file is empty."), code="empty_file", field="file")
    return rows


def _xlsx_rows(data: bytes, limit: int | None) -> list[list[str]]:
    import io

    from django.utils.translation import gettext as _
    from openpyxl import load_workbook

    from kefu.core.errors import ValidationFailed

    def text(cell) -> str:
        if cell is None:
            return ""
        if isinstance(cell, float) and cell.is_integer():
            return str(int(cell))  # 13812341234 typed into Excel is a float
        return str(cell).strip()

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([text(c) for c in row])
            if limit is not None and len(rows) >= limit:
                break
    except Exception as exc:  # noqa: BLE001 — openpyxl raises many kinds (zip, XML, KeyError …): a broken file
        raise ValidationFailed(_("This is not a readable Excel workbook (.xlsx)."), code="corrupt_file",
                               field="file") from exc
    if sheet is None:
        raise ValidationFailed(_("This is not a readable Excel workbook (.xlsx)."), code="corrupt_file",
                               field="file")
    return rows


def _csv_rows(data: bytes, limit: int | None) -> list[list[str]]:
    import io

    from django.utils.translation import gettext as _

    from kefu.core.errors import ValidationFailed

    for codec in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(codec)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationFailed(_("The file is neither UTF-8 nor GBK text. Save it as CSV UTF-8 and try again."),
                               code="unknown_encoding", field="file")
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            rows.append([c.strip() for c in row])
            if limit is not None and len(rows) >= limit:
                break
    except csv.Error as exc:
        raise ValidationFailed(_("This is not a readable CSV file."), code="corrupt_file", field="file") from exc
    return rows
