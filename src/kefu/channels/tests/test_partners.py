"""Partner and public bridges (CH5): cases in from a file with the partner's deadlines on the business
calendar, idempotent by case number, signed for and finished, results out as a workbook, acknowledged."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from kefu.channels import files
from kefu.channels.models import PartnerCase, PartnerSource, ResultBatch
from kefu.channels.partners import services
from kefu.channels.partners.sheets import read_cases
from kefu.core.errors import ValidationFailed
from kefu.tickets.models import Ticket

# Friday 2026-12-04 17:00 in Shanghai: two working hours end on Monday, five working days the next Friday.
FRIDAY = dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture
def hotline(world):
    return PartnerSource.objects.create(kind="12345", name="12345 市民热线", code="12345", ack_hours=2,
                                        finish_days=5, team=world.team_a)


def workbook(rows, header=("工单编号", "诉求标题", "诉求内容", "联系电话")) -> bytes:
    book = Workbook()
    book.active.append(list(header))
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


CASES = [("SX2026120400017", "小区燃气管道有异味", "市民反映小区3号楼有异味", "13812341234"),
         ("SX2026120400018", "燃气费多收", "上月燃气费异常", "")]


def test_import_opens_tickets_with_deadlines_on_the_business_calendar(world, hotline):
    done = services.import_cases(actor=world.agent, source_id=hotline.pk, rows=read_cases(workbook(CASES), "a.xlsx"),
                                 now=FRIDAY)
    assert len(done.created) == 2 and done.duplicates == []
    case = PartnerCase.objects.get(external_id="SX2026120400017")
    ticket = case.ticket
    assert (ticket.channel, ticket.team_id, ticket.customer_id) == ("12345", world.team_a.pk, world.customer.pk)
    assert case.ack_due_at > FRIDAY + dt.timedelta(hours=2)  # the weekend does not count
    assert case.ack_due_at.astimezone(dt.timezone(dt.timedelta(hours=8))).weekday() == 0
    assert case.finish_due_at.date() >= (FRIDAY + dt.timedelta(days=7)).date()


def test_partner_given_deadlines_are_kept(world, hotline):
    data = workbook([("SX1", "标题", "内容", "", "2026-12-04 18:00", "2026-12-08 18:00")],
                    header=("外部编号", "标题", "内容", "联系电话", "签收时限", "办结时限"))
    services.import_cases(actor=world.agent, source_id=hotline.pk, rows=read_cases(data, "b.xlsx"), now=FRIDAY)
    case = PartnerCase.objects.get()
    assert case.finish_due_at.astimezone(dt.timezone(dt.timedelta(hours=8))).day == 8


def test_the_same_file_twice_imports_each_case_once(world, hotline):
    rows = read_cases(workbook(CASES), "a.xlsx")
    services.import_cases(actor=world.agent, source_id=hotline.pk, rows=rows, now=FRIDAY)
    again = services.import_cases(actor=world.agent, source_id=hotline.pk, rows=rows, now=FRIDAY)
    assert again.created == [] and sorted(again.duplicates) == ["SX2026120400017", "SX2026120400018"]
    assert Ticket.objects.count() == 2


def test_csv_in_gbk_is_read(world, hotline):
    text = "外部编号,标题,内容\nXB-1,燃气灶售后投诉,买的灶打不着火\n"
    rows = read_cases(text.encode("gbk"), "xbw.csv")
    assert (rows[0].external_id, rows[0].title) == ("XB-1", "燃气灶售后投诉")


def test_bad_row_refuses_the_whole_file_naming_the_row(world, hotline):
    data = workbook([("SX1", "标题", "内容", "", "not a date", "")],
                    header=("外部编号", "标题", "内容", "联系电话", "签收时限", "办结时限"))
    with pytest.raises(ValidationFailed) as exc:
        read_cases(data, "c.xlsx")
    assert (exc.value.code, exc.value.field) == ("invalid_datetime", "rows[2].ack_due")
    bad = workbook([("SX1", "标题", "内容", "12")])
    with pytest.raises(ValidationFailed) as exc:
        services.import_cases(actor=world.agent, source_id=hotline.pk, rows=read_cases(bad, "d.xlsx"))
    assert exc.value.field.startswith("rows[0].")
    assert not PartnerCase.objects.exists() and not Ticket.objects.exists()


def test_file_without_the_needed_columns_is_refused(hotline):
    with pytest.raises(ValidationFailed) as exc:
        read_cases(workbook([("x",)], header=("随便",)), "e.xlsx")
    assert exc.value.code == "missing_column"


def test_finish_export_and_acknowledge_a_batch(world, hotline, smtp):
    PartnerSource.objects.filter(pk=hotline.pk).update(result_email="12345@gov.example.cn")
    services.import_cases(actor=world.agent, source_id=hotline.pk, rows=read_cases(workbook(CASES), "a.xlsx"),
                          now=FRIDAY)
    case = PartnerCase.objects.get(external_id="SX2026120400017")
    services.finish_case(actor=world.agent, case_id=case.pk, result="已上门检查，阀门已更换。", now=FRIDAY)
    batch = services.export_results(actor=world.agent, source_id=hotline.pk, now=FRIDAY)
    with files.open_file(batch.path) as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("外部编号", "办理结果", "办结时间", "工单编号")
    assert rows[1][:2] == ("SX2026120400017", "已上门检查，阀门已更换。") and len(rows) == 2
    with pytest.raises(ValidationFailed) as exc:
        services.export_results(actor=world.agent, source_id=hotline.pk)
    assert exc.value.code == "nothing_to_send"
    services.send_batch_mail(batch_id=batch.pk)
    assert smtp.messages and smtp.messages[0].rcpt_tos == ["12345@gov.example.cn"]
    services.record_acknowledgement(actor=world.agent, batch_id=batch.pk, reference="回执 2026-1205-001")
    assert ResultBatch.objects.get(pk=batch.pk).acknowledgement == "回执 2026-1205-001"


def test_overdue_cases_are_listed_for_the_supervisor(world, hotline):
    services.import_cases(actor=world.agent, source_id=hotline.pk, rows=read_cases(workbook(CASES), "a.xlsx"),
                          now=FRIDAY)
    later = FRIDAY + dt.timedelta(days=4)
    late = services.overdue_cases(world.supervisor, now=later)
    assert {c.external_id for c in late} == {"SX2026120400017", "SX2026120400018"}
    services.acknowledge_case(actor=world.agent, case_id=late[0].pk, now=later)
    assert len(services.overdue_cases(world.supervisor, now=later)) == 1
    assert services.overdue_cases(world.supervisor, now=FRIDAY) == []


def test_partners_page_imports_an_upload_and_lists_cases(client, world, hotline):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.agent)
    upload = SimpleUploadedFile("cases.xlsx", workbook(CASES))
    page = client.post("/channels/partners/import/", {"source_id": hotline.pk, "file": upload})
    assert page.status_code == 200 and 'data-testid="imported"' in page.content.decode()
    assert "SX2026120400017" in client.get("/channels/partners/").content.decode()
    bad = client.post("/channels/partners/import/", {"source_id": hotline.pk,
                                                     "file": SimpleUploadedFile("x.txt", b"hello")})
    assert bad.status_code == 422 and PartnerCase.objects.count() == 2


def test_the_result_workbook_never_holds_a_live_formula():
    """A case number or result typed as =HYPERLINK(…) would be a formula in .xlsx: it is written as text."""
    from io import BytesIO
    from types import SimpleNamespace

    from openpyxl import load_workbook

    from kefu.channels.partners.sheets import result_workbook

    case = SimpleNamespace(external_id='=HYPERLINK("http://x","点我")', result="@SUM(1)", finished_at=None,
                           ticket_id=7)
    sheet = load_workbook(BytesIO(result_workbook([case]))).active
    row = [cell.value for cell in sheet[2]]
    assert row[0] == '\'=HYPERLINK("http://x","点我")' and row[1] == "'@SUM(1)"
    assert all(cell.data_type != "f" for cell in sheet[2])
