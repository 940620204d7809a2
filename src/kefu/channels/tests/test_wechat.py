"""公众号 and 企业微信: callbacks verified and decrypted as documented, MsgId retries de-duplicated, replies through
the send API (checked by a stand-in) within the 48-hour window."""

import datetime as dt
import time

import pytest
from django.core.cache import cache

from kefu.channels.models import Endpoint, InboundMessage, Medium, OutboundMessage, OutboundState
from kefu.channels.outbound import deliver, send_reply
from kefu.channels.tests.platforms import AGENT_ID, APP_ID, APP_SECRET, CORP_ID, CORP_SECRET, Platform
from kefu.channels.wechat.crypto import MessageCipher, signature
from kefu.core.errors import ValidationFailed
from kefu.customers.models import ContactPoint
from kefu.tickets.models import Ticket

TOKEN = "kefuToken2026"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_cached_tokens():
    cache.clear()


@pytest.fixture
def platform():
    fake = Platform()
    yield fake
    fake.stop()


@pytest.fixture
def mp(world, platform):
    return Endpoint.objects.create(medium=Medium.WECHAT, name="燃气服务号", slug="gas-mp", secret=TOKEN, app_id=APP_ID,
                                   app_secret=APP_SECRET, reply_url=platform.url, team=world.team_a)


@pytest.fixture
def wecom(world, platform):
    return Endpoint.objects.create(medium=Medium.WECOM, name="企业微信", slug="gas-wecom", secret=TOKEN,
                                   app_id=CORP_ID, app_secret=CORP_SECRET, agent_id=AGENT_ID, aes_key=AES_KEY,
                                   reply_url=platform.url, team=world.team_a)


def text_xml(content="燃气表不走字了", msg_id="23456789012345678", sender=OPENID, to="gh_123456"):
    return (f"<xml><ToUserName><![CDATA[{to}]]></ToUserName><FromUserName><![CDATA[{sender}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId></xml>")


def plain_post(client, xml: str, *, slug="gas-mp", ts=None, token=TOKEN):
    ts = str(int(time.time()) if ts is None else ts)
    sig = signature(token, ts, "nonce1")
    return client.post(f"/api/v1/channels/wechat/{slug}?signature={sig}&timestamp={ts}&nonce=nonce1&openid={OPENID}",
                       xml.encode(), content_type="text/xml")


def encrypted_post(client, xml: str, *, slug="gas-wecom", receive_id=CORP_ID, tamper=False):
    ts = str(int(time.time()))
    encrypted = MessageCipher(AES_KEY, receive_id).encrypt(xml)
    sig = signature(TOKEN, ts, "nonce2", encrypted)
    if tamper:
        encrypted = encrypted[:-8] + "AAAAAAA="
    body = f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
    return client.post(f"/api/v1/channels/wechat/{slug}?msg_signature={sig}&timestamp={ts}&nonce=nonce2",
                       body.encode(), content_type="text/xml")


def test_url_check_answers_echostr_only_with_the_right_signature(client, mp):
    ts = str(int(time.time()))
    good = client.get(f"/api/v1/channels/wechat/gas-mp?signature={signature(TOKEN, ts, 'n')}&timestamp={ts}"
                      f"&nonce=n&echostr=5837397520665436492")
    assert (good.status_code, good.content) == (200, b"5837397520665436492")
    bad = client.get(f"/api/v1/channels/wechat/gas-mp?signature=deadbeef&timestamp={ts}&nonce=n&echostr=1")
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "bad_signature"


def test_wecom_url_check_decrypts_echostr(client, wecom):
    ts = str(int(time.time()))
    echostr = MessageCipher(AES_KEY, CORP_ID).encrypt("1616140317555161061")
    sig = signature(TOKEN, ts, "n", echostr)
    from urllib.parse import quote

    response = client.get(f"/api/v1/channels/wechat/gas-wecom?msg_signature={sig}&timestamp={ts}&nonce=n"
                          f"&echostr={quote(echostr)}")
    assert (response.status_code, response.content) == (200, b"1616140317555161061")


def test_text_message_opens_a_ticket_and_ties_the_openid_to_a_customer(client, mp):
    response = plain_post(client, text_xml())
    assert (response.status_code, response.content) == (200, b"success")
    inbound = InboundMessage.objects.get()
    ticket = Ticket.objects.get(pk=inbound.ticket_id)
    assert (ticket.channel, ticket.description) == ("wechat", "燃气表不走字了")
    assert ContactPoint.objects.filter(customer_id=ticket.customer_id, kind="wechat", value=OPENID).exists()


def test_platform_retries_with_the_same_msgid_store_one_message(client, mp):
    for _ in range(3):  # WeChat retries three times when it gets no answer within 5 seconds
        assert plain_post(client, text_xml()).status_code == 200
    assert (InboundMessage.objects.count(), Ticket.objects.count()) == (1, 1)


def test_subscribe_event_is_acknowledged_without_a_ticket(client, mp):
    xml = (f"<xml><ToUserName>gh_1</ToUserName><FromUserName>{OPENID}</FromUserName><CreateTime>1</CreateTime>"
           "<MsgType>event</MsgType><Event>subscribe</Event></xml>")
    assert plain_post(client, xml).content == b"success"
    assert not InboundMessage.objects.exists()


def test_encrypted_message_is_decrypted_and_stored(client, wecom):
    response = encrypted_post(client, text_xml(content="企业微信：报修", sender="zhangsan"))
    assert response.status_code == 200, response.content
    assert Ticket.objects.get().description == "企业微信：报修"


@pytest.mark.parametrize(("kwargs", "status", "code"), [
    ({"tamper": True}, 401, "bad_signature"),
    ({"receive_id": "ww-another-corp"}, 400, "bad_ciphertext"),
])
def test_tampered_or_foreign_ciphertext_is_refused(client, wecom, kwargs, status, code):
    response = encrypted_post(client, text_xml(), **kwargs)
    assert (response.status_code, response.json()["error"]["code"]) == (status, code)
    assert not InboundMessage.objects.exists()


@pytest.mark.parametrize("body", [
    "<xml><FromUserName>x</FromUserName",  # cut off
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><xml>&lol2;</xml>',
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Content>&xxe;</Content></xml>',
    "<notxml/>",
])
def test_malformed_or_hostile_xml_is_400_and_changes_nothing(client, mp, body):
    response = plain_post(client, body)
    assert (response.status_code, response.json()["error"]["code"]) == (400, "malformed_xml")
    assert not InboundMessage.objects.exists()


def test_replayed_timestamp_is_refused(client, mp):
    response = plain_post(client, text_xml(), ts=int(time.time()) - 3600)
    assert (response.status_code, response.json()["error"]["code"]) == (401, "stale_timestamp")
    assert not InboundMessage.objects.exists()


def test_reply_goes_through_the_customer_service_api(client, world, mp, platform):
    plain_post(client, text_xml())
    ticket_id = InboundMessage.objects.get().ticket_id
    out = send_reply(actor=world.agent, ticket_id=ticket_id, body="师傅下午两点上门。")
    assert deliver(outbound_id=out.pk) == OutboundState.SENT
    token_request, send = platform.requests
    assert token_request["path"] == "/cgi-bin/token"
    assert send["path"] == "/cgi-bin/message/custom/send"
    assert send["json"] == {"touser": OPENID, "msgtype": "text", "text": {"content": "师傅下午两点上门。"}}
    assert platform.problems == []


def test_wecom_reply_uses_message_send_with_the_agent_id(client, world, wecom, platform):
    encrypted_post(client, text_xml(sender="zhangsan"))
    out = send_reply(actor=world.agent, ticket_id=Ticket.objects.get().pk, body="收到")
    assert deliver(outbound_id=out.pk) == OutboundState.SENT
    assert platform.requests[0]["path"] == "/cgi-bin/gettoken"
    assert platform.requests[1]["path"] == "/cgi-bin/message/send" and platform.problems == []


def test_expired_token_is_fetched_again_once(client, world, mp, platform):
    plain_post(client, text_xml())
    out = send_reply(actor=world.agent, ticket_id=Ticket.objects.get().pk, body="好的")
    cache.set(f"channels:token:{mp.pk}", "EXPIRED", 60)
    assert deliver(outbound_id=out.pk) == OutboundState.SENT
    assert platform.tokens_issued == 1


def test_reply_after_48_hours_is_refused_before_anything_is_sent(client, world, mp):
    plain_post(client, text_xml())
    InboundMessage.objects.update(received_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=49))
    with pytest.raises(ValidationFailed) as exc:
        send_reply(actor=world.agent, ticket_id=Ticket.objects.get().pk, body="好的")
    assert exc.value.code == "window_closed"
    assert not OutboundMessage.objects.exists()


def test_platform_refusing_for_the_window_fails_permanently(client, world, mp, platform):
    plain_post(client, text_xml())
    out = send_reply(actor=world.agent, ticket_id=Ticket.objects.get().pk, body="好的")
    platform.answers = [45015]
    assert deliver(outbound_id=out.pk, final=False) == OutboundState.FAILED
    assert OutboundMessage.objects.get(pk=out.pk).error_code == "window_closed"
