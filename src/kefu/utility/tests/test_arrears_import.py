"""The billing system's arrears file: GBK CSV and xlsx, all rows or none, idempotent re-import, who may import."""

import io
import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from kefu.audit.models import AuditEntry
from kefu.core.errors import Forbidden, ValidationFailed
from kefu.utility.models import ArrearsBalance, ArrearsBill, SuspensionNotice
from kefu.utility.services import import_arrears, issue_notice, read_arrears_file, send_reminders, set_balance
from kefu.utility.tests.conftest import at

GBK_FILE = ("户号,账期,欠费金额,缴费截止日\n"
            "100001,2026-09,123.45,2026-10-15\n"
            "100001,2026年10月,0.10,2026/11/15\n"
            "M-2001,202610,1000,20261115\n")


def _balance(account) -> tuple[int, date | None]:
    b = ArrearsBalance.objects.get(account=account)
    return b.amount_fen, b.due_since


def _xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_gbk_csv_as_excel_writes_it_is_imported_in_exact_fen(world, utility):
    rows = read_arrears_file("欠费.csv", GBK_FILE.encode("gbk"))
    result = import_arrears(actor=world.agent, rows=rows, file_name="欠费.csv", now=at(11, 20))
    assert (result.created, result.accounts, result.added_fen) == (3, 2, 12345 + 10 + 100000)
    # amounts in yuan become integer fen without float rounding; overdue since the earliest due date
    assert _balance(utility.home) == (12355, date(2026, 10, 15))
    # a meter number stands for the account it is on
    assert _balance(utility.shop) == (100000, date(2026, 11, 15))
    assert ArrearsBill.objects.get(account=utility.home, period=date(2026, 10, 1)).amount_fen == 10
    entry = AuditEntry.objects.get(target_type="arrears_import")
    assert entry.actor == world.agent and entry.params["created"] == 3 and entry.params["file"] == "欠费.csv"


def test_an_xlsx_with_dates_and_numbers_as_cells(world, utility):
    from datetime import datetime

    data = _xlsx([["account", "period", "amount", "due date"],
                  ["200001", datetime(2026, 9, 1), 88.8, datetime(2026, 10, 20)],
                  [100001, "2026-10", 12, "2026-11-15"]])
    result = import_arrears(actor=world.agent, rows=read_arrears_file("billing.xlsx", data))
    assert result.created == 2
    assert _balance(utility.shop) == (8880, date(2026, 10, 20))
    assert _balance(utility.home) == (1200, date(2026, 11, 15))


def test_one_bad_row_imports_nothing_and_every_bad_row_and_field_is_named(world, utility):
    text = ("户号,账期,欠费金额,缴费截止日\n"
            "100001,2026-09,123.45,2026-10-15\n"
            "999999,2026-13,12.345,2026-02-30\n"
            "200001,2026-09,-5,\n"
            "100001,2026-09,1,2026-10-15\n")
    with pytest.raises(ValidationFailed) as caught:
        import_arrears(actor=world.agent, rows=read_arrears_file("bad.csv", text.encode("gbk")))
    assert caught.value.code == "import_rejected"
    found = [(e["line"], e["field"], e["code"]) for e in caught.value.params["errors"]]
    assert found == [(3, "account", "unknown_account"), (3, "amount", "invalid_amount"),
                     (3, "due_on", "invalid_date"), (3, "period", "invalid_period"),
                     (4, "amount", "invalid_amount"), (4, "due_on", "required"),
                     (5, "period", "duplicate")]
    assert all(e["message"] for e in caught.value.params["errors"])
    assert not ArrearsBill.objects.exists() and not ArrearsBalance.objects.exists()
    assert not AuditEntry.objects.filter(target_type="arrears_import").exists()


def test_a_file_without_the_columns_is_refused_naming_them(world, utility):
    with pytest.raises(ValidationFailed) as caught:
        read_arrears_file("x.csv", "户号,金额\n100001,1\n".encode())
    assert caught.value.code == "missing_column" and caught.value.params["missing"] == ["period", "due_on"]
    with pytest.raises(ValidationFailed) as caught:
        read_arrears_file("x.txt", b"a")
    assert caught.value.code == "unsupported_file"


def test_importing_the_same_file_again_changes_nothing_and_a_correction_moves_by_the_difference(world, utility):
    data = GBK_FILE.encode("gbk")
    import_arrears(actor=world.agent, rows=read_arrears_file("a.csv", data))
    again = import_arrears(actor=world.agent, rows=read_arrears_file("a.csv", data))
    assert (again.created, again.updated, again.unchanged, again.added_fen) == (0, 0, 3, 0)
    assert ArrearsBill.objects.count() == 3 and _balance(utility.home)[0] == 12355
    corrected = "户号,账期,欠费金额,缴费截止日\n100001,2026-09,100.00,2026-10-15\n".encode("gbk")
    fix = import_arrears(actor=world.agent, rows=read_arrears_file("b.csv", corrected))
    assert (fix.updated, fix.added_fen) == (1, -2345)
    assert _balance(utility.home)[0] == 12355 - 2345


def test_an_import_adds_to_what_the_desk_recorded_and_a_correction_to_zero_settles(world, utility):
    set_balance(actor=None, account_id=utility.home.pk, amount_fen=500, due_since=date(2026, 8, 1), now=at(9, 1))
    rows = read_arrears_file("a.csv", "户号,账期,欠费金额,缴费截止日\n100001,2026-09,5.00,2026-10-15\n".encode())
    import_arrears(actor=world.agent, rows=rows)
    assert _balance(utility.home) == (1000, date(2026, 8, 1))
    send_reminders(actor=world.lead, band="90+", channel="sms", now=at(11, 1))
    issue_notice(actor=world.lead, account_id=utility.home.pk, notice_days=7, now=at(11, 1))
    rows = read_arrears_file("a.csv", "户号,账期,欠费金额,缴费截止日\n100001,2026-09,15.00,2026-10-15\n".encode())
    import_arrears(actor=world.agent, rows=rows)
    assert _balance(utility.home)[0] == 2000
    set_balance(actor=None, account_id=utility.home.pk, amount_fen=1000, due_since=date(2026, 8, 1))
    rows = read_arrears_file("a.csv", "户号,账期,欠费金额,缴费截止日\n100001,2026-09,0.01,2026-10-15\n".encode())
    import_arrears(actor=world.agent, rows=rows)  # lowers by 14.99 yuan: 10.00 - 14.99 stays at zero
    assert _balance(utility.home) == (0, None)
    assert SuspensionNotice.objects.get(account=utility.home).status == SuspensionNotice.Status.CANCELLED


def test_the_field_crew_may_not_import(world, utility):
    rows = read_arrears_file("a.csv", GBK_FILE.encode("gbk"))
    with pytest.raises(Forbidden):
        import_arrears(actor=world.fieldman, rows=rows)
    assert not ArrearsBill.objects.exists()


def _upload(name: str, data: bytes) -> dict:
    return {"file": SimpleUploadedFile(name, data, content_type="application/octet-stream")}


def test_the_api_takes_a_multipart_upload(world, utility, client):
    url = "/api/v1/utility/arrears/import"
    response = client.post(url, _upload("欠费.csv", GBK_FILE.encode("gbk")), **world.auth(world.agent))
    assert response.status_code == 200, response.content
    assert response.json() == {"rows": 3, "created": 3, "updated": 0, "unchanged": 0, "accounts": 2,
                               "added_fen": 112355}
    assert client.post(url, _upload("欠费.csv", GBK_FILE.encode("gbk")),
                       **world.auth(world.agent)).json()["unchanged"] == 3
    bad = client.post(url, _upload("bad.csv", b"account,period,amount,due_on\n100001,x,1,2026-10-01\n"),
                      **world.auth(world.agent))
    assert bad.status_code == 422
    error = bad.json()["error"]
    assert error["code"] == "import_rejected" and error["params"]["errors"][0]["field"] == "period"
    denied = client.post(url, _upload("a.csv", GBK_FILE.encode("gbk")), **world.auth(world.fieldman))
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "not_office_staff"
    assert ArrearsBill.objects.count() == 3


def test_the_arrears_page_has_an_upload_form(world, utility, client):
    client.force_login(world.agent)
    page = client.get("/utility/arrears/").content.decode()
    assert 'data-testid="arrears-import"' in page and 'enctype="multipart/form-data"' in page
    response = client.post("/utility/arrears/import/", _upload("欠费.csv", GBK_FILE.encode("gbk")), follow=True)
    assert ArrearsBill.objects.count() == 3
    assert "100001" in response.content.decode()
    bad = client.post("/utility/arrears/import/",
                      _upload("bad.csv", b"account,period,amount,due_on\n999,2026-10,1,2026-10-01\n"), follow=True)
    text = bad.content.decode()
    assert "999" not in [b.account.number for b in ArrearsBalance.objects.select_related("account")]
    assert "2" in text and ("account" in text or "户号" in text)
    client.force_login(world.fieldman)
    assert client.post("/utility/arrears/import/", _upload("a.csv", GBK_FILE.encode("gbk"))).status_code == 403


def test_the_cli_imports_a_file(world, utility, tmp_path, capsys):
    path = tmp_path / "欠费.csv"
    path.write_bytes(GBK_FILE.encode("gbk"))
    call_command("utility", "import-arrears", str(path))
    assert json.loads(capsys.readouterr().out)["created"] == 3
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"account,period,amount,due_on\n100001,2026-10,abc,2026-10-01\n")
    with pytest.raises(CommandError, match="import_rejected"):
        call_command("utility", "import-arrears", str(bad))
    assert ArrearsBill.objects.count() == 3
