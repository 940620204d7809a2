"""Formula neutralisation for CSV/Excel cells (OWASP's CSV injection rule)."""

from io import StringIO

import pytest

from kefu.core.spreadsheet import CsvWriter, safe_cell


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x","click")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_texts_that_start_a_formula_are_quoted_and_still_readable(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["王小明", "a=b", "", None, -5, 3.5, True])
def test_plain_text_and_numbers_are_left_alone(value):
    assert safe_cell(value) == value


def test_the_csv_writer_quotes_every_dangerous_cell():
    out = StringIO()
    CsvWriter(out).writerow(["=1+1", "ok", -3])
    assert out.getvalue() == "'=1+1,ok,-3\r\n"
