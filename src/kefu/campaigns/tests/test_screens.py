"""Campaign screens and API: who may open what, masked phones, the filled-in script, progress, query counts."""

import pytest

from kefu.campaigns.models import Campaign, CampaignCall
from kefu.campaigns.services import distribute_calls, pull_next_call
from kefu.campaigns.tests.conftest import add_calls

pytestmark = pytest.mark.django_db


def test_agents_cannot_open_the_supervisor_pages(world, client, campaign):
    assert client.get("/campaigns/").status_code == 302
    client.force_login(world.agent)
    assert client.get(f"/campaigns/{campaign.pk}/").status_code == 403
    assert client.get("/campaigns/new/").status_code == 403
    assert client.get("/campaigns/mine/").status_code == 200
    client.force_login(world.qa)
    assert client.get("/campaigns/").status_code == 403


def test_a_supervisor_creates_fills_and_distributes_through_the_page(world, client, tmp_path):
    client.force_login(world.supervisor)
    bad = client.post("/campaigns/new/", {"name": "追单", "purpose": "order_chasing", "script": "{oops}",
                                          "max_attempts": "3", "retry_minutes": "30"})
    assert bad.status_code == 422 and "field-error" in bad.content.decode() and not Campaign.objects.exists()
    created = client.post("/campaigns/new/", {"name": "追单", "purpose": "order_chasing",
                                              "script": "您好{customer_name}", "max_attempts": "3",
                                              "retry_minutes": "30", "pull_allowed": "on"})
    campaign = Campaign.objects.get()
    assert created.url == f"/campaigns/{campaign.pk}/"
    csv = tmp_path / "calls.csv"
    csv.write_text("姓名,手机\n张三,13812345678\n,1\n", encoding="utf-8")
    with csv.open("rb") as fh:
        rejected = client.post(created.url, {"action": "import", "file": fh})
    assert rejected.status_code == 422 and 'data-testid="import-errors"' in rejected.content.decode()
    assert not CampaignCall.objects.exists()
    csv.write_text("姓名,手机\n张三,13812345678\n李四,13812345679\n", encoding="utf-8")
    with csv.open("rb") as fh:
        assert client.post(created.url, {"action": "import", "file": fh}).status_code == 302
    assert client.post(created.url, {"action": "distribute"}).status_code == 422
    assert client.post(created.url, {"action": "distribute", "agent_ids": [world.agent.pk, world.agent_b.pk]}
                       ).status_code == 302
    page = client.get(created.url).content.decode()
    assert "138****5678" in page and "13812345678" not in page and "<svg" in page


def test_the_call_screen_fills_the_script_and_records_the_result(world, client, campaign):
    add_calls(world, campaign, 1)
    client.force_login(world.agent)
    pulled = client.post(f"/campaigns/{campaign.pk}/pull/")
    call = CampaignCall.objects.get()
    assert pulled.url == f"/campaigns/calls/{call.pk}/"
    page = client.get(pulled.url).content.decode()
    assert "您好，请问是客户0吗？我是客服1001号，您的订单SO0还未付款。" in page
    assert "139****0000" in page and "13900000000" not in page
    revealed = client.post(pulled.url, {"action": "reveal"}, HTTP_HX_REQUEST="true")
    assert "13900000000" in revealed.content.decode()
    missing = client.post(pulled.url, {"result": "reached", "version": call.version + 0})
    assert missing.status_code == 422
    assert client.post(pulled.url, {"result": "reached", "outcome": "paid", "version": call.version}
                       ).status_code == 302
    assert CampaignCall.objects.get().outcome == "paid"
    client.force_login(world.agent_b)
    assert client.get(pulled.url).status_code == 404


def test_the_campaign_page_costs_a_fixed_number_of_queries(world, client, campaign, django_assert_max_num_queries):
    add_calls(world, campaign, 30)
    distribute_calls(actor=world.supervisor, campaign_id=campaign.pk,
                     agent_ids=[world.agent.pk, world.agent_b.pk, world.handler.pk])
    client.force_login(world.supervisor)
    with django_assert_max_num_queries(16):
        assert client.get(f"/campaigns/{campaign.pk}/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/campaigns/").status_code == 200


def test_api_sets_up_imports_pulls_records_and_reports(world, api):
    api.as_user(world, world.supervisor)
    created = api.post("/campaigns", {"name": "新客户回访", "purpose": "new_customers", "script": "{agent_name}"})
    assert created.status_code == 201
    cid = created.json()["id"]
    bad = api.post(f"/campaigns/{cid}/calls", {"calls": [{"name": "a", "phone": "13812345678"},
                                                         {"name": "b", "phone": "nope"}]})
    assert (bad.status_code, bad.json()["error"]["code"]) == (422, "import_rejected")
    assert bad.json()["error"]["params"]["errors"][0]["line"] == 2
    assert api.post(f"/campaigns/{cid}/calls", {"calls": [{"name": "a", "phone": "13812345678"}]}
                    ).json() == {"count": 1}
    listed = api.get(f"/campaigns/{cid}/calls").json()
    assert listed[0]["phone"] == "138****5678"
    api.as_user(world, world.agent)
    assert api.post("/campaigns", {"name": "x", "purpose": "other"}).status_code == 403
    call = api.post(f"/campaigns/{cid}/pull").json()
    assert call["script"] == world.agent.label
    assert api.post(f"/campaigns/{cid}/pull").status_code == 204
    result = api.post(f"/campaigns/calls/{call['id']}/result", {"version": call["version"], "result": "reached",
                                                               "outcome": "interested"})
    assert result.status_code == 200 and result.json()["status"] == "done"
    stale = api.post(f"/campaigns/calls/{call['id']}/result", {"version": call["version"], "result": "reached",
                                                              "outcome": "interested"})
    assert stale.status_code == 422 and stale.json()["error"]["code"] == "already_done"
    api.as_user(world, world.supervisor)
    progress = api.get(f"/campaigns/{cid}/progress").json()
    assert (progress["total"], progress["finished"], progress["agents"][0]["reached"]) == (1, 1, 1)


def test_my_calls_list_costs_a_fixed_number_of_queries(world, api, campaign, django_assert_max_num_queries):
    add_calls(world, campaign, 12)
    for _i in range(12):
        pull_next_call(actor=world.agent, campaign_id=campaign.pk)
    api.as_user(world, world.agent)
    with django_assert_max_num_queries(5):
        assert len(api.get("/campaigns/calls/mine").json()) == 12


def test_the_call_screen_opens_a_ticket(world, client, campaign):
    add_calls(world, campaign, 1)
    call = pull_next_call(actor=world.agent, campaign_id=campaign.pk)
    client.force_login(world.agent)
    url = f"/campaigns/calls/{call.pk}/"
    assert 'data-testid="call-ticket"' in client.get(url).content.decode()
    refused = client.post(url, {"action": "ticket", "ticket_type": "inquiry", "title": ""})
    assert refused.status_code == 422 and "field-error" in refused.content.decode()
    opened = client.post(url, {"action": "ticket", "ticket_type": "inquiry", "title": "要求上门"})
    ticket_id = CampaignCall.objects.get().ticket_id
    assert ticket_id and opened.url == f"/tickets/{ticket_id}/"


@pytest.mark.parametrize("content, name", [
    (b"PK\x03\x04broken", "calls.xlsx"),
    (b"", "calls.xlsx"),
    ("姓名,手机\n张三,13812345678\n".encode("utf-16"), "calls.csv"),
    (b"name\nx\n", "calls\x00.csv"),
])
def test_a_broken_upload_is_refused_on_the_page_and_adds_nothing(world, client, campaign, content, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.supervisor)
    response = client.post(f"/campaigns/{campaign.pk}/", {"action": "import",
                                                           "file": SimpleUploadedFile(name, content)})
    assert response.status_code == 422 and not CampaignCall.objects.exists()
    assert "field-error" in response.content.decode()  # said under the file field (codes: test_spreadsheet.py)


def test_the_command_line_refuses_a_broken_file_without_a_traceback(world, campaign, tmp_path):
    from django.core.management import CommandError, call_command

    broken = tmp_path / "calls.xlsx"
    broken.write_bytes(b"PK\x03\x04broken")
    with pytest.raises(CommandError) as refused:
        call_command("campaigns", "import", str(campaign.pk), str(broken))
    assert "corrupt_file" in str(refused.value)
