"""Inbound mail: decoding, threading, flags, automatic mail, attachments and idempotency."""

import base64
import datetime as dt

import pytest

from kefu.channels.email.receive import receive_mail
from kefu.channels.models import Attachment, InboundMessage, InboundState, Lead, Mailbox, ThreadedBy
from kefu.channels.outbound import send_reply
from kefu.channels.services import decide_split
from kefu.channels.tests import corpus
from kefu.channels.threads import token_for
from kefu.customers.models import ContactPoint
from kefu.tickets.models import Ticket, TicketMessage

NOW = dt.datetime(2026, 12, 5, 9, 30, tzinfo=dt.UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def box(world):
    """The service mailbox: its tickets go to team 一班."""
    return Mailbox.objects.create(name="客服邮箱", address="kefu@gas.example.com", team=world.team_a)


def receive(raw: bytes, mailbox=None):
    """Receive into the service mailbox, or the one given."""
    return receive_mail(raw=raw, now=NOW, mailbox=mailbox or Mailbox.objects.get(name="客服邮箱")).inbound


def test_gbk_labelled_gb2312_reads_as_gb18030_so_the_name_is_never_garbled(world):
    raw = corpus.mail(message_id="gb-1@qq.com", name="王喆", subject="王喆的燃气费", body="我是王喆，燃气费怎么交？",
                      charset="gb2312")
    inbound = receive(raw)
    ticket = Ticket.objects.get(pk=inbound.ticket_id)
    assert inbound.sender_name == "王喆"
    assert ticket.title == "王喆的燃气费"
    assert "王喆" in ticket.description and "\ufffd" not in ticket.description


def test_big5_mail_is_read_as_big5hkscs(world):
    raw = corpus.mail(message_id="big5-1@hk.example.com", name="陳𠝹", subject="煤氣費查詢", body="你好，我係陳𠝹。",
                      charset="big5")
    inbound = receive(raw)
    assert inbound.sender_name == "陳𠝹"
    assert "陳𠝹" in Ticket.objects.get(pk=inbound.ticket_id).description


def test_new_mail_opens_an_email_ticket_with_a_lead_customer_for_an_unknown_sender(world):
    inbound = receive(corpus.mail(message_id="new-1@qq.com", sender="Stranger@QQ.com"))
    ticket = Ticket.objects.get(pk=inbound.ticket_id)
    assert (inbound.state, ticket.channel) == (InboundState.NEW_TICKET, "email")
    assert ContactPoint.objects.filter(customer_id=ticket.customer_id, kind="email", value="stranger@qq.com").exists()
    assert Lead.objects.filter(customer_id=ticket.customer_id).exists()


def test_known_sender_is_matched_to_their_customer_record(world):
    ContactPoint.objects.create(customer=world.customer, kind="email", value="wxm@163.com")
    inbound = receive(corpus.mail(message_id="known-1@163.com", sender="wxm@163.com"))
    assert Ticket.objects.get(pk=inbound.ticket_id).customer_id == world.customer.pk
    assert not Lead.objects.exists()


def test_reply_threads_by_in_reply_to_of_our_reply(world, django_capture_on_commit_callbacks):
    first = receive(corpus.mail(message_id="t-1@qq.com"))
    with django_capture_on_commit_callbacks():
        out = send_reply(actor=world.agent, ticket_id=first.ticket_id, body="请在营业厅缴费。", now=NOW)
    reply = receive(corpus.mail(message_id="t-2@qq.com", subject="Re: 燃气费怎么交", body="好的，谢谢",
                                in_reply_to=out.external_id))
    assert (reply.ticket_id, reply.threaded_by) == (first.ticket_id, ThreadedBy.MESSAGE_ID)
    assert TicketMessage.objects.get(pk=reply.message_id).body == "好的，谢谢"
    assert not reply.foreign_sender and not reply.split_pending


def test_reply_threads_by_references_when_in_reply_to_is_unknown(world):
    first = receive(corpus.mail(message_id="r-1@qq.com"))
    reply = receive(corpus.mail(message_id="r-2@qq.com", in_reply_to="unknown@x",
                                references="<r-1@qq.com> <unknown@x>"))
    assert (reply.ticket_id, reply.threaded_by) == (first.ticket_id, ThreadedBy.MESSAGE_ID)


def test_ticket_token_in_the_subject_threads_a_reply_without_headers(world):
    first = receive(corpus.mail(message_id="k-1@qq.com"))
    reply = receive(corpus.mail(message_id="k-2@qq.com", subject=f"回复: 燃气费怎么交 {token_for(first.ticket_id)}"))
    assert (reply.ticket_id, reply.threaded_by) == (first.ticket_id, ThreadedBy.TOKEN)


def test_outlook_reply_without_in_reply_to_threads_by_thread_index(world):
    conversation = bytes(range(22))
    first_index = base64.b64encode(conversation).decode()
    reply_index = base64.b64encode(conversation + b"\x01\x02\x03\x04\x05").decode()
    first = receive(corpus.mail(message_id="o-1@corp.com", extra=f"Thread-Index: {first_index}"))
    reply = receive(corpus.mail(message_id="o-2@corp.com", subject="答复: 燃气费怎么交",
                                extra=f"Thread-Index: {reply_index}"))
    assert (reply.ticket_id, reply.threaded_by) == (first.ticket_id, ThreadedBy.THREAD_INDEX)


def test_same_subject_alone_never_threads(world):
    first = receive(corpus.mail(message_id="s-1@qq.com", sender="a@qq.com"))
    second = receive(corpus.mail(message_id="s-2@qq.com", sender="b@qq.com"))
    assert first.ticket_id != second.ticket_id


def test_newsletter_answered_by_several_people_gives_each_their_own_ticket(world):
    a = receive(corpus.mail(message_id="n-a@qq.com", sender="a@qq.com", subject="Re: 十二月安全用气提示",
                            in_reply_to="newsletter-12@gas.example.com", references="<newsletter-12@gas.example.com>"))
    b = receive(corpus.mail(message_id="n-b@qq.com", sender="b@qq.com", subject="Re: 十二月安全用气提示",
                            in_reply_to="newsletter-12@gas.example.com", references="<newsletter-12@gas.example.com>"))
    assert a.state == b.state == InboundState.NEW_TICKET
    assert a.ticket_id != b.ticket_id


def test_reply_from_someone_not_on_the_ticket_is_attached_but_flagged(world):
    first = receive(corpus.mail(message_id="f-1@qq.com", sender="wz@qq.com"))
    other = receive(corpus.mail(message_id="f-2@qq.com", sender="neighbour@qq.com", in_reply_to="f-1@qq.com"))
    assert other.ticket_id == first.ticket_id
    assert other.foreign_sender


def test_new_subject_on_an_old_thread_asks_to_split_and_splitting_opens_a_ticket(world):
    first = receive(corpus.mail(message_id="p-1@qq.com"))
    other = receive(corpus.mail(message_id="p-2@qq.com", subject="另外，表箱漏气了", body="表箱有气味",
                                in_reply_to="p-1@qq.com"))
    assert other.ticket_id == first.ticket_id and other.split_pending
    new = decide_split(actor=world.agent, inbound_id=other.pk, split=True, now=NOW)
    other.refresh_from_db()
    assert (other.split_pending, other.split_ticket_id) == (False, new.pk)
    assert new.title == "另外，表箱漏气了" and "表箱有气味" in new.description
    later = receive(corpus.mail(message_id="p-3@qq.com", subject="Re: 另外，表箱漏气了", in_reply_to="p-2@qq.com"))
    assert later.ticket_id == new.pk


def test_split_is_decided_once(world):
    receive(corpus.mail(message_id="q-1@qq.com"))
    other = receive(corpus.mail(message_id="q-2@qq.com", subject="别的事", in_reply_to="q-1@qq.com"))
    decide_split(actor=world.agent, inbound_id=other.pk, split=False)
    from kefu.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as exc:
        decide_split(actor=world.agent, inbound_id=other.pk, split=True)
    assert exc.value.code == "already_decided"
    assert Ticket.objects.count() == 1


def test_auto_reply_is_kept_but_opens_no_ticket(world):
    inbound = receive(corpus.AUTO_REPLY)
    assert inbound.state == InboundState.AUTO_REPLY
    assert inbound.ticket_id is None and Ticket.objects.count() == 0


def test_precedence_bulk_is_automatic_mail(world):
    inbound = receive(corpus.mail(message_id="bulk-1@list.example.com", extra="Precedence: bulk"))
    assert inbound.state == InboundState.AUTO_REPLY


def test_our_own_message_coming_back_is_a_loop(world):
    inbound = receive(corpus.mail(message_id="kefu.12.0123456789abcdef@gas.example.com"))
    assert inbound.state == InboundState.LOOP and Ticket.objects.count() == 0


def test_html_only_mail_is_sanitised_and_its_text_has_no_script(world):
    inbound = receive(corpus.HTML_ONLY)
    ticket = Ticket.objects.get(pk=inbound.ticket_id)
    assert "燃气表" in ticket.description and "alert" not in ticket.description
    for bad in ("<script", "onclick", "onerror", "javascript:", "<iframe", "<img", "tracker.example.com", "<style"):
        assert bad not in inbound.html
    assert "<b>燃气表</b>" in inbound.html


def test_attachment_is_stored_with_its_chinese_file_name(world, settings):
    pdf = b"%PDF-1.4\n" + b"0" * 1000
    inbound = receive(corpus.with_attachment(message_id="att-1@qq.com", filename="燃气账单王喆.pdf", data=pdf))
    row = Attachment.objects.get(inbound=inbound)
    assert (row.filename, row.size, row.refused, row.ticket_id) == ("燃气账单王喆.pdf", len(pdf), "", inbound.ticket_id)
    from kefu.channels.files import open_file

    with open_file(row.path) as handle:
        assert handle.read() == pdf


def test_oversize_and_disguised_attachments_are_refused_but_listed(world):
    box = Mailbox.objects.create(name="小附件", address="small@gas.example.com", max_attachment_kb=1)
    big = receive(corpus.with_attachment(message_id="att-2@qq.com", filename="a.pdf", data=b"%PDF" + b"0" * 4000),
                  mailbox=box)
    exe = receive(corpus.with_attachment(message_id="att-3@qq.com", filename="账单.pdf",
                                         data=b"MZ\x90\x00" + b"0" * 10))
    assert Attachment.objects.get(inbound=big).refused == "too_large"
    assert Attachment.objects.get(inbound=exe).refused == "type_not_allowed"
    assert not Attachment.objects.exclude(path="").exists()


def test_same_message_id_twice_is_one_entry(world, box):
    raw = corpus.mail(message_id="dup-1@qq.com")
    first = receive_mail(raw=raw, now=NOW, mailbox=box)
    again = receive_mail(raw=raw, now=NOW, mailbox=box)
    assert first.created and not again.created
    assert again.inbound.pk == first.inbound.pk
    assert (InboundMessage.objects.count(), Ticket.objects.count()) == (1, 1)


def test_message_without_message_id_is_deduplicated_by_its_content(world):
    raw = corpus.mail(message_id="")
    receive(raw)
    receive(raw)
    assert InboundMessage.objects.count() == 1


def test_fax_gateway_opens_fax_tickets(world):
    box = Mailbox.objects.create(name="传真", address="fax@gas.example.com", is_fax=True)
    tif = b"II*\x00" + b"\x00" * 100
    inbound = receive(corpus.with_attachment(message_id="fax-1@fax.example.com", filename="fax001.tif", data=tif,
                                             ctype="image/tiff", body=""), mailbox=box)
    assert Ticket.objects.get(pk=inbound.ticket_id).channel == "fax"
    assert inbound.medium == "fax"


def test_mail_to_a_closed_ticket_opens_a_new_one(world):
    first = receive(corpus.mail(message_id="c-1@qq.com"))
    Ticket.objects.filter(pk=first.ticket_id).update(is_open=False, status="closed")
    again = receive(corpus.mail(message_id="c-2@qq.com", in_reply_to="c-1@qq.com"))
    assert again.ticket_id != first.ticket_id and again.state == InboundState.NEW_TICKET
