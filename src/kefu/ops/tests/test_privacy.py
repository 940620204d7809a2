"""PIPL requests: anonymising keeps the statistics and removes the person; a copy of the data on request."""

import pytest
from django.core.management import call_command

from kefu.audit.models import AuditAction, AuditEntry
from kefu.core.errors import Forbidden, ValidationFailed
from kefu.customers.models import ContactPoint, Customer
from kefu.ops.models import PrivacyRequest
from kefu.ops.privacy import REMOVED, anonymise_customer, export_customer_data
from kefu.search.models import SearchDocument
from kefu.tickets.models import Ticket, TicketMessage

pytestmark = pytest.mark.django_db


def _ticket(world):
    return world.ticket(by=world.agent, customer_id=world.customer.pk, contact_phone="13812341234",
                        reporter_name="王小明", location="城东路1号", description="王小明反映燃气表漏气")


def test_anonymising_removes_the_person_and_keeps_what_statistics_count(world):
    ticket = _ticket(world)
    before = Ticket.objects.values("ticket_type", "status", "team", "created_at").get(pk=ticket.pk)
    request = anonymise_customer(actor=world.admin, customer_id=world.customer.pk, reference="来函2026-12")
    customer = Customer.objects.get(pk=world.customer.pk)
    assert customer.name == f"{REMOVED}#{customer.pk}" and customer.id_number == "" and customer.notes == ""
    assert not ContactPoint.objects.filter(customer=customer).exists()
    after = Ticket.objects.get(pk=ticket.pk)
    assert (after.contact_phone, after.reporter_name, after.location, after.description) == ("", "", "", REMOVED)
    assert Ticket.objects.values("ticket_type", "status", "team", "created_at").get(pk=ticket.pk) == before
    assert all(m.body == REMOVED for m in TicketMessage.objects.filter(ticket=ticket))
    document = SearchDocument.objects.get(kind="ticket", object_id=ticket.pk)
    assert "漏气" not in document.body and "城东路" not in document.body
    assert request.summary["tickets"] == 1 and request.reference == "来函2026-12"
    entry = AuditEntry.objects.get(action=AuditAction.CUSTOMER_ANONYMISED)
    assert "王小明" not in str(entry.params) and "13812341234" not in str(entry.params)


def test_anonymising_reaches_phone_calls_and_chats_too(world):
    from django.utils import timezone

    from kefu.chat.models import ChatMessage, Conversation, Widget
    from kefu.cti.models import Call

    call = Call.objects.create(call_id="c9", agent=world.agent, caller="13812341234", recording="rec/9.wav",
                               customer=world.customer, rang_at=timezone.now(), state="ended")
    widget = Widget.objects.create(name="官网", team=world.team_a)
    chat = Conversation.objects.create(widget=widget, team=world.team_a, customer=world.customer, visitor_key="v",
                                       visitor_name="王小明", visitor_phone="13812341234", state="ended", rating=4)
    ChatMessage.objects.create(conversation=chat, seq=1, kind="customer", body="我是王小明")
    request = anonymise_customer(actor=world.admin, customer_id=world.customer.pk)
    call.refresh_from_db()
    chat.refresh_from_db()
    assert (call.caller, call.recording, call.state) == ("", "", "ended")
    assert (chat.visitor_name, chat.visitor_phone, chat.rating) == ("", "", 4)
    assert ChatMessage.objects.get(conversation=chat).body == REMOVED
    assert request.summary["phone_calls"] == 1 and request.summary["chats"] == 1


def test_anonymising_twice_is_refused(world):
    anonymise_customer(actor=world.admin, customer_id=world.customer.pk)
    with pytest.raises(ValidationFailed) as refused:
        anonymise_customer(actor=world.admin, customer_id=world.customer.pk)
    assert refused.value.code == "already_done"


def test_only_an_administrator_handles_requests(world):
    with pytest.raises(Forbidden):
        anonymise_customer(actor=world.supervisor, customer_id=world.customer.pk)
    assert Customer.objects.get(pk=world.customer.pk).name == "王小明"
    assert not PrivacyRequest.objects.exists()


def test_a_copy_of_the_data_is_given_and_recorded(world):
    _ticket(world)
    data = export_customer_data(actor=world.admin, customer_id=world.customer.pk, reference="查阅申请")
    assert data["customer"]["name"] == "王小明" and data["customer"]["id_number"] == "110101199001011237"
    assert {"kind": "mobile", "value": "13812341234", "label": ""} in data["contacts"]
    assert data["tickets"][0]["contact_phone"] == "13812341234"
    assert PrivacyRequest.objects.get().kind == PrivacyRequest.Kind.EXPORT
    assert AuditEntry.objects.filter(action=AuditAction.PERSONAL_DATA_EXPORTED).exists()


def test_the_command_handles_both(world, capsys):
    call_command("privacy", "export", str(world.customer.pk))
    assert "王小明" in capsys.readouterr().out
    call_command("privacy", "anonymise", str(world.customer.pk), "--yes", "--reference", "R1")
    assert PrivacyRequest.objects.filter(kind="anonymise", reference="R1").exists()
