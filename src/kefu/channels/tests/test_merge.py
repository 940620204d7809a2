"""Merging a duplicate customer (CH6): tickets and contacts move, the duplicate is closed, audited, once."""

import pytest

from kefu.audit.models import AuditEntry
from kefu.channels.email.receive import receive_mail
from kefu.channels.merge import merge_customers
from kefu.channels.models import CustomerMerge, Lead, Mailbox
from kefu.channels.tests import corpus
from kefu.core.errors import Forbidden, ValidationFailed
from kefu.customers.models import ContactPoint, Customer
from kefu.tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(world):
    box = Mailbox.objects.create(name="客服邮箱", address="kefu@gas.example.com", team=world.team_a)
    inbound = receive_mail(raw=corpus.mail(message_id="lead-1@qq.com", sender="wxm@qq.com", name="王小明"),
                           mailbox=box).inbound
    return Customer.objects.get(pk=Ticket.objects.get(pk=inbound.ticket_id).customer_id)


def test_merge_moves_tickets_and_contacts_and_closes_the_duplicate(world, lead):
    ticket = Ticket.objects.get(customer=lead)
    merge = merge_customers(actor=world.agent, source_id=lead.pk, target_id=world.customer.pk)
    ticket.refresh_from_db()
    lead.refresh_from_db()
    assert ticket.customer_id == world.customer.pk and merge.tickets == [ticket.pk]
    assert ContactPoint.objects.filter(customer=world.customer, kind="email", value="wxm@qq.com").exists()
    assert lead.status == Customer.Status.CLOSED and f"#{world.customer.pk}" in lead.notes
    assert Lead.objects.get(customer=lead).merged_into_id == world.customer.pk
    entry = AuditEntry.objects.filter(target_type="customer", target_id=str(world.customer.pk),
                                      params__merged_from=lead.pk).get()
    assert entry.params["tickets"] == 1 and "wxm" not in str(entry.params)
    # The next mail from the same address finds the merged customer.
    box = Mailbox.objects.get()
    later = receive_mail(raw=corpus.mail(message_id="lead-2@qq.com", sender="wxm@qq.com"), mailbox=box).inbound
    assert Ticket.objects.get(pk=later.ticket_id).customer_id in (world.customer.pk, lead.pk)


def test_merge_is_done_once(world, lead):
    merge_customers(actor=world.agent, source_id=lead.pk, target_id=world.customer.pk)
    with pytest.raises(ValidationFailed) as exc:
        merge_customers(actor=world.agent, source_id=lead.pk, target_id=world.customer.pk)
    assert exc.value.code == "already_merged"
    assert CustomerMerge.objects.count() == 1


def test_merge_into_itself_is_refused_and_changes_nothing(world, lead):
    with pytest.raises(ValidationFailed) as exc:
        merge_customers(actor=world.agent, source_id=lead.pk, target_id=lead.pk)
    assert (exc.value.code, exc.value.field) == ("same_customer", "target_id")
    assert not CustomerMerge.objects.exists()


def test_role_that_cannot_edit_customers_cannot_merge_and_nothing_moves(world, lead):
    with pytest.raises(Forbidden):
        merge_customers(actor=world.qa, source_id=lead.pk, target_id=world.customer.pk)
    assert Ticket.objects.get().customer_id == lead.pk and not CustomerMerge.objects.exists()


def test_merge_over_the_api_and_from_the_leads_page(api, client, world, lead):
    api.as_user(world, world.agent)
    refused = api.post(f"/channels/customers/{lead.pk}/merge", {"target_id": 999999})
    assert (refused.status_code, refused.json()["error"]["field"]) == (404, "target_id")
    client.force_login(world.agent)
    page = client.get("/channels/leads/").content.decode()
    assert f"/channels/leads/{lead.pk}/merge/" in page
    done = client.post(f"/channels/leads/{lead.pk}/merge/", {"target_id": world.customer.pk})
    assert done.status_code == 302 and CustomerMerge.objects.filter(source=lead).exists()


def test_leads_page_query_count_does_not_grow(client, world, lead, django_assert_max_num_queries):
    client.force_login(world.agent)
    client.get("/channels/leads/")
    box = Mailbox.objects.get()
    for i in range(5):
        receive_mail(raw=corpus.mail(message_id=f"lead-x{i}@qq.com", sender=f"x{i}@qq.com"), mailbox=box)
    with django_assert_max_num_queries(12):
        client.get("/channels/leads/")
