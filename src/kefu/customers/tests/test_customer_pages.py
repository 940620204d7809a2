"""The customer archive screens: find, look, reveal (audited), every channel's tickets on one record."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.audit.models import AuditEntry
from kefu.customers.services import ContactInput, CustomerInput, create_customer

pytestmark = pytest.mark.django_db


def test_find_by_phone_or_reference_shows_masked_numbers(client, world):
    client.force_login(world.agent)
    page = client.post("/customers/", {"phone": "13812341234"}).content.decode()
    results = page.split('data-testid="customers"')[1]
    assert f'data-customer="{world.customer.pk}"' in results and "138****1234" in results
    assert "13812341234" not in results
    page = client.get("/customers/", {"reference": "M-0001"}, HTTP_HX_REQUEST="true").content.decode()
    assert f'data-customer="{world.customer.pk}"' in page and "<html" not in page
    bad = client.get("/customers/", {"phone": "12"}, follow=True)
    assert bad.status_code == 422 and "phone" not in bad.content.decode().split("form-error")[0][-10:]


def test_record_lists_tickets_from_every_channel(client, world):
    phone = world.ticket(title="电话咨询", customer_id=world.customer.pk, team_id=world.team_a.pk)
    wechat = world.ticket(title="微信咨询", channel="wechat", customer_id=world.customer.pk, team_id=world.team_a.pk)
    client.force_login(world.agent)
    page = client.get(f"/customers/{world.customer.pk}/").content.decode()
    assert "电话咨询" in page and "微信咨询" in page and "微信" in page
    assert phone.pk != wechat.pk and "110101********1237" in page


def test_reveal_is_audited_and_refused_without_the_right(client, world):
    contact = world.customer.contacts.get(kind="mobile")
    client.force_login(world.agent)
    response = client.post(f"/customers/{world.customer.pk}/contacts/{contact.pk}/reveal/")
    assert "13812341234" in response.content.decode()
    assert AuditEntry.objects.filter(actor=world.agent, target_id=world.customer.pk).count() == 1
    response = client.post(f"/customers/{world.customer.pk}/reveal/")
    assert "110101199001011237" in response.content.decode()
    client.force_login(world.qa)
    response = client.post(f"/customers/{world.customer.pk}/contacts/{contact.pk}/reveal/")
    assert response.status_code == 403 and "13812341234" not in response.content.decode()


def test_field_crew_has_no_archive(client, world):
    client.force_login(world.fieldman)
    assert client.get("/customers/").status_code == 403


def test_customer_list_query_count_is_fixed(client, world):
    client.force_login(world.supervisor)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/customers/").status_code == 200
        return len(captured)

    few = count()
    for i in range(8):
        create_customer(actor=None, data=CustomerInput(name=f"客户{i}", contacts=[
            ContactInput(kind="mobile", value=f"1391234{i:04d}")]))
    assert count() == few
