"""Setting up a campaign and filling its call list: checks naming the field, one bad row imports nothing."""

import pytest
from django.utils import timezone

from kefu.campaigns.calllist import CallInput, CustomerFilter, add_customers, import_calls, rows_from_file
from kefu.campaigns.models import CallEvent, Campaign, CampaignCall
from kefu.campaigns.services import create_campaign, update_campaign
from kefu.campaigns.tests.conftest import add_calls, campaign_input
from kefu.core.errors import Conflict, Forbidden, ValidationFailed
from kefu.customers.models import Customer
from kefu.customers.services import ContactInput, CustomerInput, ReferenceInput, create_customer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("overrides", "field", "code"), [
    ({"name": " "}, "name", "required"),
    ({"purpose": "spam"}, "purpose", "invalid_choice"),
    ({"script": "您好{customer}"}, "script", "unknown_placeholder"),
    ({"script": "您好{customer_name"}, "script", "unbalanced_braces"),
    ({"max_attempts": 0}, "max_attempts", "out_of_range"),
    ({"retry_minutes": 99999}, "retry_minutes", "out_of_range"),
    ({"questionnaire_id": 424242}, "questionnaire_id", "unknown_questionnaire"),
])
def test_bad_settings_are_refused_naming_the_field(world, overrides, field, code):
    with pytest.raises(ValidationFailed) as exc:
        create_campaign(actor=world.supervisor, data=campaign_input(**overrides))
    assert (exc.value.field, exc.value.code) == (field, code)
    assert not Campaign.objects.exists()


def test_only_leads_supervisors_and_admins_run_campaigns(world):
    for user in (world.agent, world.qa, world.info_desk, world.fieldman):
        with pytest.raises(Forbidden):
            create_campaign(actor=user, data=campaign_input())
    assert create_campaign(actor=world.lead, data=campaign_input()).status == "open"


def test_a_stale_settings_change_is_409(world, campaign):
    update_campaign(actor=world.supervisor, campaign_id=campaign.pk, version=1, data=campaign_input(name="改名"))
    with pytest.raises(Conflict):
        update_campaign(actor=world.admin, campaign_id=campaign.pk, version=1, data=campaign_input(name="晚了"))
    assert Campaign.objects.get().name == "改名"


def test_imported_phones_are_normalised_and_linked_to_the_archive(world, campaign):
    count = import_calls(actor=world.supervisor, campaign_id=campaign.pk, rows=[
        CallInput(name="王小明", phone="+86 138-1234-1234", reference="M-0001", note="老客户"),
        CallInput(name="李四", phone="13900001111")])
    assert count == 2
    first, second = CampaignCall.objects.order_by("id")
    assert (first.phone, first.masked_phone, first.customer_id) == ("13812341234", "138****1234", world.customer.pk)
    assert second.customer_id is None
    assert CallEvent.objects.filter(code="added").count() == 2
    assert "13812341234" not in str(list(CallEvent.objects.values_list("params", flat=True)))


def test_bad_rows_are_reported_by_line_and_nothing_is_imported(world, campaign, tmp_path):
    add_calls(world, campaign, 1)  # 13900000000 is already on the list
    path = tmp_path / "calls.csv"
    path.write_text("姓名,手机,订单号,备注\n张三,13812345678,SO1,\n,13812345679,,\n李四,12345x,,\n"
                    "王五,13900000000,,\n赵六,13812345678,,\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as exc:
        import_calls(actor=world.supervisor, campaign_id=campaign.pk, rows=rows_from_file(path))
    assert (exc.value.code, exc.value.field) == ("import_rejected", "file")
    assert [(e["line"], e["field"], e["code"]) for e in exc.value.params["errors"]] == [
        (3, "name", "required"), (4, "phone", "invalid_phone"), (5, "phone", "duplicate"), (6, "phone", "duplicate")]
    assert CampaignCall.objects.count() == 1


def test_an_excel_file_is_read_like_the_customer_import(world, campaign, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["name", "mobile", "order", "notes"])
    book.active.append(["张三", "13812345678", "SO-9", "12小时未付款"])
    path = tmp_path / "calls.xlsx"
    book.save(path)
    assert import_calls(actor=world.supervisor, campaign_id=campaign.pk, rows=rows_from_file(path)) == 1
    call = CampaignCall.objects.get()
    assert (call.reference, call.note) == ("SO-9", "12小时未付款")


def test_customers_created_last_month_are_selected_from_the_archive(world, campaign):
    now = timezone.now()
    fresh = create_customer(actor=None, data=CustomerInput(name="新客户", contacts=[
        ContactInput(kind="mobile", value="13700001111")], references=[ReferenceInput(kind="order", value="SO-1")]))
    no_phone = create_customer(actor=None, data=CustomerInput(name="无电话"))
    Customer.objects.filter(pk=world.customer.pk).update(created_at=now - timezone.timedelta(days=90))
    result = add_customers(actor=world.supervisor, campaign_id=campaign.pk, filters=CustomerFilter(
        created_from=(now - timezone.timedelta(days=30)).date()))
    assert result == {"added": 1, "no_phone": 1, "already": 0}
    call = CampaignCall.objects.get()
    assert (call.customer_id, call.phone, call.reference, call.name) == (fresh.pk, "13700001111", "SO-1", "新客户")
    again = add_customers(actor=world.supervisor, campaign_id=campaign.pk, filters=CustomerFilter())
    assert again == {"added": 1, "no_phone": 1, "already": 1}  # 王小明 this time; 新客户 is on the list
    assert no_phone.pk
    with pytest.raises(ValidationFailed) as exc:
        add_customers(actor=world.supervisor, campaign_id=campaign.pk, filters=CustomerFilter(tier="gold"))
    assert exc.value.field == "tier"
    with pytest.raises(Forbidden):
        add_customers(actor=world.agent, campaign_id=campaign.pk, filters=CustomerFilter())


def test_the_command_line_imports_a_file_and_shows_progress(world, campaign, tmp_path):
    import json
    from io import StringIO

    from django.core.management import CommandError, call_command

    path = tmp_path / "calls.csv"
    path.write_text("姓名,手机\n张三,13812345678\n", encoding="utf-8")
    out = StringIO()
    call_command("campaigns", "import", str(campaign.pk), str(path), "--as", "supervisor", stdout=out)
    assert "1 calls added" in out.getvalue()
    with pytest.raises(CommandError, match="import_rejected"):
        call_command("campaigns", "import", str(campaign.pk), str(path), stdout=StringIO())
    with pytest.raises(CommandError, match="cannot_manage_campaigns"):
        call_command("campaigns", "import", str(campaign.pk), str(path), "--as", "agent", stdout=StringIO())
    out = StringIO()
    call_command("campaigns", "progress", str(campaign.pk), stdout=out)
    assert json.loads(out.getvalue())["total"] == 1
