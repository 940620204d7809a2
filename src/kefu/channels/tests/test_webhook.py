"""The generic signed webhook: in (HMAC, timestamp window, Idempotency-Key) and replies out (signed)."""

import base64
import json
import time

import pytest

from kefu.channels.im import ImMessage, receive_im
from kefu.channels.models import Endpoint, InboundMessage, Medium, OutboundMessage, OutboundState
from kefu.channels.outbound import deliver
from kefu.channels.tests.platforms import ReplyReceiver
from kefu.channels.webhook.signing import sign, verify
from kefu.testing import at_once, build_world
from kefu.tickets.models import Ticket, TicketMessage

SECRET = "shop-secret-2026"
pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(world):
    return Endpoint.objects.create(medium=Medium.WEBHOOK, name="抖音小店", slug="douyin", secret=SECRET,
                                   team=world.team_a)


def post(client, body: dict | bytes, *, key="m-1", ts=None, secret=SECRET, slug="douyin", signature=None):
    raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    ts = int(time.time()) if ts is None else ts
    headers = {"HTTP_X_KEFU_TIMESTAMP": str(ts), "HTTP_IDEMPOTENCY_KEY": key,
               "HTTP_X_KEFU_SIGNATURE": signature if signature is not None else sign(secret, ts, raw)}
    return client.post(f"/api/v1/channels/webhook/{slug}/messages", raw, content_type="application/json", **headers)


MESSAGE = {"sender": {"id": "buyer-9527", "name": "买家小李"}, "text": "订单 123 的燃气灶什么时候发货？"}


def test_signed_message_opens_a_ticket_and_the_next_one_continues_it(client, shop):
    first = post(client, MESSAGE)
    assert first.status_code == 200, first.content
    answer = first.json()
    assert answer["state"] == "new_ticket" and answer["duplicate"] is False
    ticket = Ticket.objects.get(pk=answer["ticket"])
    assert ticket.team_id == shop.team_id and "燃气灶" in ticket.description
    second = post(client, {**MESSAGE, "text": "急用"}, key="m-2").json()
    assert (second["ticket"], second["state"]) == (ticket.pk, "threaded")


def test_retry_with_the_same_key_changes_nothing(client, shop):
    first = post(client, MESSAGE).json()
    again = post(client, MESSAGE)
    assert again.status_code == 200 and again.json() == {**first, "duplicate": True}
    assert (InboundMessage.objects.count(), Ticket.objects.count()) == (1, 1)


def _nothing_changed():
    assert (InboundMessage.objects.count(), Ticket.objects.count(), TicketMessage.objects.count()) == (0, 0, 0)


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"signature": "sha256=" + "0" * 64}, "bad_signature"),
    ({"secret": "wrong"}, "bad_signature"),
    ({"signature": ""}, "missing_signature"),
    ({"ts": int(time.time()) - 3600}, "stale_timestamp"),
    ({"ts": int(time.time()) + 3600}, "stale_timestamp"),
])
def test_untrusted_requests_are_refused_with_401_and_change_nothing(client, shop, kwargs, code):
    response = post(client, MESSAGE, **kwargs)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == code
    _nothing_changed()


def test_malformed_json_is_400(client, shop):
    response = post(client, b'{"sender": {"id": "x"}, "text": ')
    assert (response.status_code, response.json()["error"]["code"]) == (400, "malformed_json")
    _nothing_changed()


def test_malformed_json_with_a_bad_signature_is_401_before_the_body_is_read(client, shop):
    response = post(client, b'{"sender": ', secret="wrong")
    assert (response.status_code, response.json()["error"]["code"]) == (401, "bad_signature")


@pytest.mark.parametrize(("attachment", "code"), [
    ({"filename": "a.pdf", "content_type": "application/pdf",
      "data_base64": base64.b64encode(b"%PDF" + b"0" * (5 * 1024 * 1024)).decode()}, "body_too_large"),
    ({"filename": "invoice.pdf", "data_base64": base64.b64encode(b"MZ\x90\x00 not a pdf").decode()},
     "type_not_allowed"),
])
def test_bad_attachments_are_refused_and_change_nothing(client, shop, settings, attachment, code):
    response = post(client, {**MESSAGE, "attachments": [attachment]})
    assert response.json()["error"]["code"] == code
    assert response.status_code in (413, 422)
    _nothing_changed()


def test_attachment_too_large_for_the_channel_is_refused_naming_it(shop, tmp_path):
    from kefu.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as exc:
        receive_im(endpoint=shop, message=ImMessage(key="k", sender="s", text="x", attachments=[
            ("a.pdf", "application/pdf", b"%PDF" + b"0" * (6 * 1024 * 1024))]))
    assert (exc.value.code, exc.value.field) == ("too_large", "attachments[0]")
    _nothing_changed()


def test_missing_idempotency_key_is_422(client, shop):
    response = post(client, MESSAGE, key="")
    assert response.status_code == 422 and response.json()["error"]["field"] == "idempotency_key"
    _nothing_changed()


def test_unknown_or_disabled_endpoint_is_refused_like_a_bad_signature(client, shop):
    assert post(client, MESSAGE, slug="nope").json()["error"]["code"] == "bad_signature"
    Endpoint.objects.filter(pk=shop.pk).update(enabled=False)
    response = post(client, MESSAGE)
    assert (response.status_code, response.json()["error"]["code"]) == (401, "bad_signature")


def test_sender_phone_matches_the_customer(client, world, shop):
    answer = post(client, {**MESSAGE, "sender": {"id": "buyer-1", "phone": "13812341234"}}).json()
    assert Ticket.objects.get(pk=answer["ticket"]).customer_id == world.customer.pk


def test_reply_goes_out_signed_to_the_reply_url(client, api, world, shop):
    receiver = ReplyReceiver()
    try:
        Endpoint.objects.filter(pk=shop.pk).update(reply_url=receiver.url)
        ticket_id = post(client, MESSAGE).json()["ticket"]
        api.as_user(world, world.agent)
        answer = api.post(f"/channels/tickets/{ticket_id}/reply", {"body": "今天下午发货。"})
        assert answer.status_code == 200, answer.content
        assert deliver(outbound_id=answer.json()["id"]) == OutboundState.SENT
        [(headers, body)] = receiver.posts
        from django.utils import timezone

        verify(SECRET, timestamp=headers["X-Kefu-Timestamp"], signature=headers["X-Kefu-Signature"], body=body,
               now=timezone.now())
        sent = json.loads(body)
        assert (sent["recipient"], sent["text"], sent["in_reply_to"]) == ("buyer-9527", "今天下午发货。", "m-1")
    finally:
        receiver.stop()


def test_reply_url_answering_4xx_fails_permanently(client, world, shop):
    receiver = ReplyReceiver()
    receiver.status = 400
    try:
        Endpoint.objects.filter(pk=shop.pk).update(reply_url=receiver.url)
        ticket_id = post(client, MESSAGE).json()["ticket"]
        from kefu.channels.outbound import send_reply

        out = send_reply(actor=world.agent, ticket_id=ticket_id, body="好的")
        assert deliver(outbound_id=out.pk, final=False) == OutboundState.FAILED
        assert OutboundMessage.objects.get(pk=out.pk).error_code == "http_400"
    finally:
        receiver.stop()


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_of_one_message_store_it_once():
    world = build_world()
    shop = Endpoint.objects.create(medium=Medium.WEBHOOK, name="店", slug="shop", secret=SECRET, team=world.team_a)
    message = ImMessage(key="retry-1", sender="buyer-1", text="在吗")
    results = at_once(lambda _: receive_im(endpoint=shop, message=message), list(range(4)))
    assert sum(r.created for r in results) == 1
    assert (InboundMessage.objects.count(), Ticket.objects.count()) == (1, 1)
