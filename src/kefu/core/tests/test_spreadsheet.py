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


# --- reading uploads: a broken file is a 422 with a stable code, never a crash ------------------------------

from io import BytesIO  # noqa: E402

from openpyxl import Workbook  # noqa: E402

from kefu.core.errors import ValidationFailed  # noqa: E402
from kefu.core.spreadsheet import read_table  # noqa: E402


def _xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _refusal(data, name) -> str:
    with pytest.raises(ValidationFailed) as refused:
        read_table(data, name)
    assert refused.value.field == "file" and refused.value.status == 422
    return refused.value.code


@pytest.mark.parametrize("data, name, code", [
    (b"", "calls.xlsx", "empty_file"),
    (b"   \n", "calls.csv", "empty_file"),
    (b"PK\x03\x04 not really a zip", "calls.xlsx", "corrupt_file"),
    (b"name,phone\n", "calls.xlsx", "corrupt_file"),  # a CSV named .xlsx
    (_xlsx([]), "calls.xlsx", "empty_file"),  # a workbook with no cells
    ("姓名,手机\n张三,138".encode("utf-16"), "calls.csv", "unknown_encoding"),
    (b"\xff\xfe\x80\x80", "calls.csv", "unknown_encoding"),
    (b"name\nab\x00c\n", "calls.csv", "nul_character"),
    (b"name\nx\n", "calls\x00.csv", "invalid_filename"),
    (b"name\nx\n", "calls.txt", "unsupported_file"),
    (b"name\nx\n", "calls", "unsupported_file"),
])
def test_broken_files_are_refused_with_a_stable_code(data, name, code):
    assert _refusal(data, name) == code


def test_utf8_with_bom_gbk_and_workbooks_are_read_alike():
    expected = [["姓名", "手机"], ["张三", "13812341234"]]
    assert read_table("\ufeff姓名,手机\n张三, 13812341234\n".encode(), "a.csv") == expected
    assert read_table("姓名,手机\r\n张三,13812341234\r\n".encode("gbk"), "a.CSV") == expected
    assert read_table(_xlsx([["姓名", "手机"], ["张三", 13812341234]]), "a.xlsx") == expected


def test_a_row_limit_reads_no_further():
    data = "\n".join(["name", *[f"n{i}" for i in range(100)]]).encode()
    assert len(read_table(data, "a.csv", max_rows=10)) == 11
