"""Customer import from CSV and Excel: all rows checked first, one bad row imports nothing."""

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from kefu.customers.models import ContactPoint, Customer, CustomerReference

HEADER = ["姓名", "类型", "等级", "手机", "邮箱", "地址", "表号", "客户经理"]


def write_csv(path, rows, encoding="utf-8-sig"):
    import csv

    with open(path, "w", newline="", encoding=encoding) as fh:
        csv.writer(fh).writerows(rows)
    return path


def test_csv_import_creates_customers_with_contacts_and_references(world, tmp_path):
    path = write_csv(tmp_path / "c.csv", [
        HEADER,
        ["张三", "个人", "普通", "13900000001", "zs@example.com", "城西路8号", "M-1001", ""],
        ["华润置地", "企业", "集团", "02112345678", "", "", "M-1002", "am"],
    ])
    call_command("customers", "import", str(path))
    zhang = Customer.objects.get(name="张三")
    assert zhang.contacts.get(kind="mobile").value == "13900000001"
    assert CustomerReference.objects.get(value="M-1002").customer.tier == "group"
    assert Customer.objects.get(name="华润置地").account_manager == world.account_manager


def test_one_bad_row_imports_nothing_and_every_error_is_listed(world, tmp_path):
    path = write_csv(tmp_path / "bad.csv", [
        HEADER,
        ["好人", "", "", "13900000001", "", "", "M-2001", ""],
        ["", "", "", "13900000002", "", "", "", ""],
        ["坏号码", "", "", "1234", "", "", "", ""],
        ["重复表号", "", "", "", "", "", "M-0001", ""],
    ], encoding="gbk")
    before = Customer.objects.count(), ContactPoint.objects.count()
    with pytest.raises(CommandError) as err:
        call_command("customers", "import", str(path))
    text = str(err.value)
    assert "import_rejected" in text
    assert '"line": 3' in text and '"line": 4' in text and '"line": 5' in text
    assert "invalid_phone" in text and "reference_taken" in text
    assert (Customer.objects.count(), ContactPoint.objects.count()) == before


def test_xlsx_import(world, tmp_path):
    book = Workbook()
    book.active.append(["name", "mobile", "player"])
    book.active.append(["玩家小王", "13700000007", "P-778899"])
    book.save(tmp_path / "c.xlsx")
    call_command("customers", "import", str(tmp_path / "c.xlsx"))
    assert Customer.objects.get(name="玩家小王").references.get().value == "P-778899"


def test_file_without_name_column_is_refused(world, tmp_path):
    path = write_csv(tmp_path / "x.csv", [["mobile"], ["13900000001"]])
    with pytest.raises(CommandError, match="missing_column"):
        call_command("customers", "import", str(path))
