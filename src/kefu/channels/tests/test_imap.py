"""The IMAP poller against a real Dovecot on loopback (IMAP over TLS, certificate verified)."""

import datetime as dt

import pytest

from kefu.channels.email.imap import poll_mailbox
from kefu.channels.models import InboundMessage, Mailbox
from kefu.channels.tests import corpus
from kefu.channels.tests.conftest import IMAP_PASSWORD
from kefu.tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def box(world, imap):
    return Mailbox.objects.create(name="客服邮箱", address="kefu@gas.example.com", team=world.team_a,
                                  imap_host=imap.host, imap_port=imap.port, imap_user=imap.user,
                                  imap_password=IMAP_PASSWORD, tls_ca_file=imap.ca)


def test_poll_stores_each_new_message_once(box, imap):
    imap.deliver(corpus.mail(message_id="i-1@qq.com", name="王喆", charset="gb2312"),
                 corpus.mail(message_id="i-2@qq.com", sender="b@qq.com"), corpus.AUTO_REPLY)
    first = poll_mailbox(mailbox_id=box.pk)
    assert (first["fetched"], first["new"], first["duplicate"]) == (3, 3, 0)
    assert Ticket.objects.count() == 2
    assert InboundMessage.objects.get(external_id="i-1@qq.com").sender_name == "王喆"
    again = poll_mailbox(mailbox_id=box.pk)
    assert again["fetched"] == 0
    box.refresh_from_db()
    assert box.last_uid >= 3 and box.last_error == "" and box.last_polled_at is not None


def test_worker_dying_before_moving_its_mark_refetches_and_stores_once(box, imap):
    imap.deliver(corpus.mail(message_id="d-1@qq.com"), corpus.mail(message_id="d-2@qq.com", sender="b@qq.com"))
    poll_mailbox(mailbox_id=box.pk)
    # The worker died after committing the messages but before the mark moved: the mark is behind.
    Mailbox.objects.filter(pk=box.pk).update(last_uid=0)
    again = poll_mailbox(mailbox_id=box.pk)
    assert (again["fetched"], again["new"], again["duplicate"]) == (2, 0, 2)
    assert (InboundMessage.objects.count(), Ticket.objects.count()) == (2, 2)


def test_a_mailbox_being_polled_is_not_polled_twice(box, imap):
    Mailbox.objects.filter(pk=box.pk).update(poll_lease_until=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5))
    assert poll_mailbox(mailbox_id=box.pk) == {"mailbox": box.pk, "skipped": "busy"}


def test_wrong_password_is_shown_on_the_mailbox_and_frees_it(box, imap):
    Mailbox.objects.filter(pk=box.pk).update(imap_password="wrong")
    result = poll_mailbox(mailbox_id=box.pk)
    box.refresh_from_db()
    assert "error" in result and box.last_error and box.poll_lease_until is None


def test_untrusted_certificate_is_refused(box, imap):
    Mailbox.objects.filter(pk=box.pk).update(tls_ca_file="")
    result = poll_mailbox(mailbox_id=box.pk)
    assert "SSL" in result["error"] or "certificate" in result["error"].lower()
    assert not InboundMessage.objects.exists()


def test_corpus_of_real_world_shapes_never_crashes_the_poller(box, imap):
    import base64

    shapes = [
        corpus.mail(message_id="c-gbk@qq.com", name="王喆", subject="燃气", charset="gbk"),
        corpus.mail(message_id="c-big5@hk.com", name="陳大文", subject="煤氣", body="煤氣費", charset="big5"),
        corpus.HTML_ONLY, corpus.AUTO_REPLY, corpus.bounce("kefu.1.0123456789abcdef@gas.example.com"),
        corpus.with_attachment(message_id="c-att@qq.com", filename="账单.pdf", data=b"%PDF-1.4 x"),
        corpus.mail(message_id="c-fwd@qq.com", subject="转发: 燃气表异常",
                    body="请处理\n\n---------- Forwarded message ---------\nFrom: a@b.com\n表不走"),
        (b"From: x@qq.com\r\nMessage-ID: <c-bad@qq.com>\r\nContent-Type: text/plain; charset=x-unknown\r\n\r\n"
         + "未知编码".encode("gb18030")),
        b"garbage without headers\r\n\r\n\xff\xfe\x00 broken",
        ("From: =?gb2312?B?" + base64.b64encode("王喆".encode("gb18030")).decode() + "?= <x@qq.com>\r\n"
         "Subject: =?gb2312?Q?=CD=F5?=\r\nMessage-ID: <c-q@qq.com>\r\nContent-Type: text/plain\r\n\r\nhi").encode(),
    ]
    imap.deliver(*shapes)
    result = poll_mailbox(mailbox_id=box.pk)
    assert result["fetched"] == len(shapes) and "error" not in result
    assert InboundMessage.objects.get(external_id="c-q@qq.com").sender_name == "王喆"
    assert "未知编码" in Ticket.objects.get(channel_ref="c-bad@qq.com").description
    forwarded = Ticket.objects.get(channel_ref="c-fwd@qq.com")
    assert "表不走" in forwarded.description  # a forward keeps the forwarded mail
