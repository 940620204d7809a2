"""Replies by email over a real SMTP server on loopback: headers, signature, failures, the CH3 follow-up."""

import datetime as dt
import email

import pytest

from kefu.channels.email.receive import receive_mail
from kefu.channels.models import Mailbox, OutboundMessage, OutboundState, Signature
from kefu.channels.outbound import deliver, requeue_stalled, send_reply
from kefu.channels.tests import corpus
from kefu.channels.threads import token_for
from kefu.core.errors import ValidationFailed
from kefu.tickets.models import FollowUp, TicketMessage

NOW = dt.datetime(2026, 12, 5, 9, 30, tzinfo=dt.UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture
def inbound(world):
    box = Mailbox.objects.create(name="客服邮箱", address="kefu@gas.example.com", team=world.team_a)
    return receive_mail(raw=corpus.mail(message_id="in-1@qq.com", name="王喆", charset="gbk"), mailbox=box,
                        now=NOW).inbound


def _reply(world, inbound, body="请到营业厅缴费。", **kw):
    return send_reply(actor=world.agent, ticket_id=inbound.ticket_id, body=body, now=NOW, **kw)


def test_reply_goes_out_over_smtp_in_the_customers_thread_with_signature(world, inbound, smtp):
    Signature.objects.create(user=world.agent, text="坐席 1001 · 燃气客服中心 96777")
    out = _reply(world, inbound)
    assert deliver(outbound_id=out.pk) == OutboundState.SENT
    [envelope] = smtp.messages
    sent = email.message_from_bytes(envelope.content)
    assert envelope.rcpt_tos == ["wz@qq.com"]
    assert sent["Message-ID"] == f"<{out.external_id}>"
    assert sent["In-Reply-To"] == "<in-1@qq.com>"
    assert token_for(inbound.ticket_id) in str(email.header.make_header(email.header.decode_header(sent["Subject"])))
    body = sent.get_payload(decode=True).decode(sent.get_content_charset())
    assert "请到营业厅缴费。" in body and "燃气客服中心 96777" in body
    out.refresh_from_db()
    assert out.sent_at == NOW or out.sent_at is not None
    assert TicketMessage.objects.filter(ticket_id=inbound.ticket_id, kind="reply").count() == 1


def test_email_reply_opens_the_confirm_by_phone_task(world, inbound, smtp):
    _reply(world, inbound)
    assert FollowUp.objects.filter(ticket_id=inbound.ticket_id, kind=FollowUp.Kind.CONFIRM_RECEIPT).count() == 1


def test_unknown_recipient_fails_permanently_and_shows_on_the_ticket(world, inbound, smtp):
    from kefu.channels.models import InboundMessage

    InboundMessage.objects.filter(pk=inbound.pk).update(sender="nobody@qq.com")
    out = _reply(world, inbound)
    assert deliver(outbound_id=out.pk, final=False) == OutboundState.FAILED
    out.refresh_from_db()
    assert (out.state, out.error_code) == (OutboundState.FAILED, "smtp_550")


def test_temporary_refusal_is_retried_then_fails_on_the_last_try(world, inbound, smtp):
    from kefu.channels.base import TemporaryFailure
    from kefu.channels.models import InboundMessage

    InboundMessage.objects.filter(pk=inbound.pk).update(sender="busy@qq.com")
    out = _reply(world, inbound)
    with pytest.raises(TemporaryFailure):
        deliver(outbound_id=out.pk, final=False)
    out.refresh_from_db()
    assert (out.state, out.attempts) == (OutboundState.QUEUED, 1)
    assert deliver(outbound_id=out.pk, final=True) == OutboundState.FAILED
    out.refresh_from_db()
    assert (out.state, out.error_code, out.attempts) == (OutboundState.FAILED, "smtp_451", 2)


def test_smtp_server_down_is_a_temporary_failure(world, inbound, settings):
    from kefu.channels.base import TemporaryFailure
    from kefu.channels.tests.conftest import _free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()
    out = _reply(world, inbound)
    with pytest.raises(TemporaryFailure):
        deliver(outbound_id=out.pk, final=False)


def test_a_sent_reply_is_not_sent_again(world, inbound, smtp):
    out = _reply(world, inbound)
    deliver(outbound_id=out.pk)
    assert deliver(outbound_id=out.pk) == OutboundState.SENT
    assert len(smtp.messages) == 1


def test_reply_stuck_in_sending_is_requeued(world, inbound):
    out = _reply(world, inbound)
    OutboundMessage.objects.filter(pk=out.pk).update(state=OutboundState.SENDING, claimed_at=NOW)
    assert requeue_stalled(now=NOW + dt.timedelta(minutes=5)) == []
    assert requeue_stalled(now=NOW + dt.timedelta(minutes=20)) == [out.pk]
    assert OutboundMessage.objects.get(pk=out.pk).state == OutboundState.QUEUED


def test_bounce_of_our_reply_marks_it_failed_and_is_never_answered(world, inbound, smtp):
    out = _reply(world, inbound)
    deliver(outbound_id=out.pk)
    bounce = receive_mail(raw=corpus.bounce(out.external_id), now=NOW).inbound
    out.refresh_from_db()
    assert (bounce.state, bounce.ticket_id) == ("bounce", inbound.ticket_id)
    assert (out.state, out.error_code) == (OutboundState.FAILED, "bounced")
    assert TicketMessage.objects.filter(ticket_id=inbound.ticket_id, kind="customer").count() == 0


def test_ticket_without_channel_message_cannot_be_answered_by_mail(world):
    ticket = world.ticket()
    with pytest.raises(ValidationFailed) as exc:
        send_reply(actor=world.agent, ticket_id=ticket.pk, body="hi")
    assert (exc.value.code, exc.value.field) == ("no_channel", "body")
    assert not OutboundMessage.objects.exists() and not TicketMessage.objects.filter(ticket=ticket).exists()


def test_stale_version_refuses_the_reply_and_queues_nothing(world, inbound):
    from kefu.core.errors import Conflict

    with pytest.raises(Conflict):
        _reply(world, inbound, version=0)
    assert not OutboundMessage.objects.exists()
