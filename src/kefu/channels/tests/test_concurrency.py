"""The same message delivered by two workers at the same moment: real concurrent transactions, one entry."""

import pytest

from kefu.channels.email.receive import receive_mail
from kefu.channels.models import InboundMessage, Mailbox
from kefu.channels.tests import corpus
from kefu.testing import at_once, build_world
from kefu.tickets.models import Ticket, TicketMessage


@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_of_one_message_id_create_one_ticket():
    world = build_world()
    box = Mailbox.objects.create(name="客服邮箱", address="kefu@gas.example.com", team=world.team_a)
    raw = corpus.mail(message_id="race-1@qq.com")
    results = at_once(lambda _: receive_mail(raw=raw, mailbox=box), list(range(4)))
    assert sum(r.created for r in results) == 1
    assert len({r.inbound.pk for r in results}) == 1
    assert (InboundMessage.objects.count(), Ticket.objects.count()) == (1, 1)


@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_of_one_reply_add_one_message():
    world = build_world()
    box = Mailbox.objects.create(name="客服邮箱", address="kefu@gas.example.com", team=world.team_a)
    first = receive_mail(raw=corpus.mail(message_id="race-a@qq.com"), mailbox=box).inbound
    reply = corpus.mail(message_id="race-b@qq.com", in_reply_to="race-a@qq.com", body="补充：地址是城东路1号")
    at_once(lambda _: receive_mail(raw=reply, mailbox=box), list(range(4)))
    assert TicketMessage.objects.filter(ticket_id=first.ticket_id, kind="customer").count() == 1
