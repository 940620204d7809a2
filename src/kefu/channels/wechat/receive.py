"""WeChat / WeCom callbacks: the URL check and incoming messages, verified before anything is read."""

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from kefu.channels.email.receive import Received
from kefu.channels.errors import Malformed, SignatureRefused
from kefu.channels.im import ImMessage, receive_im
from kefu.channels.models import Endpoint
from kefu.channels.wechat.crypto import CryptoError, MessageCipher, signature_ok
from kefu.channels.wechat.xml import XmlError, fields

WINDOW = 300  # seconds: WeChat retries within 15 seconds; an older timestamp is a replay


def _check_time(timestamp: str, now: datetime) -> None:
    if not timestamp.isdigit():
        raise SignatureRefused(_("The timestamp is not a number of seconds."), code="bad_timestamp",
                               field="timestamp")
    if abs(now.timestamp() - int(timestamp)) > WINDOW:
        raise SignatureRefused(_("The timestamp is too old or in the future; the request may be replayed."),
                               code="stale_timestamp", field="timestamp")


def _cipher(endpoint: Endpoint) -> MessageCipher:
    try:
        return MessageCipher(endpoint.aes_key, endpoint.app_id)
    except CryptoError as exc:
        raise Malformed(_("The endpoint's EncodingAESKey is not valid."), code="config", field="aes_key") from exc


def verify_url(*, endpoint: Endpoint, signature: str, msg_signature: str, timestamp: str, nonce: str,
               echostr: str, now: datetime) -> str:
    """The answer to the platform's URL check: echostr back (decrypted in WeCom's encrypted mode)."""
    _check_time(timestamp, now)
    if msg_signature:
        if not signature_ok(msg_signature, endpoint.secret, timestamp, nonce, echostr):
            raise SignatureRefused(_("The signature does not match."), field="msg_signature")
        try:
            return _cipher(endpoint).decrypt(echostr)
        except CryptoError as exc:
            raise Malformed(_("The message cannot be decrypted."), code="bad_ciphertext", field="echostr") from exc
    if not signature_ok(signature, endpoint.secret, timestamp, nonce):
        raise SignatureRefused(_("The signature does not match."), field="signature")
    return echostr


def _open(endpoint: Endpoint, body: bytes, signature: str, msg_signature: str, timestamp: str,
          nonce: str) -> dict[str, str]:
    """The message's fields, after the signature (and decryption) proved it comes from the platform."""
    try:
        outer = fields(body)
    except XmlError as exc:
        raise Malformed(_("The body is not the platform's XML."), code="malformed_xml", field="body") from exc
    if "Encrypt" in outer or endpoint.aes_key:
        encrypted = outer.get("Encrypt", "")
        if not encrypted or not signature_ok(msg_signature, endpoint.secret, timestamp, nonce, encrypted):
            raise SignatureRefused(_("The signature does not match."), field="msg_signature")
        try:
            return fields(_cipher(endpoint).decrypt(encrypted))
        except CryptoError as exc:
            raise Malformed(_("The message cannot be decrypted."), code="bad_ciphertext", field="body") from exc
        except XmlError as exc:
            raise Malformed(_("The body is not the platform's XML."), code="malformed_xml", field="body") from exc
    if not signature_ok(signature, endpoint.secret, timestamp, nonce):
        raise SignatureRefused(_("The signature does not match."), field="signature")
    return outer


_LABELS = {"image": "[图片]", "voice": "[语音]", "video": "[视频]", "shortvideo": "[小视频]", "location": "[位置]",
           "link": "[链接]", "file": "[文件]"}


def _text(msg: dict[str, str]) -> str:
    kind = msg.get("MsgType", "")
    if kind == "text":
        return msg.get("Content", "")
    detail = {"image": msg.get("PicUrl", ""), "voice": msg.get("Recognition", ""),
              "location": msg.get("Label", ""), "link": f"{msg.get('Title', '')} {msg.get('Url', '')}",
              "file": msg.get("Title", "")}.get(kind, "")
    media = f" (MediaId {msg['MediaId']})" if msg.get("MediaId") else ""
    return f"{_LABELS.get(kind, '[' + kind + ']')} {detail}{media}".strip()


def receive_callback(*, endpoint: Endpoint, body: bytes, signature: str, msg_signature: str, timestamp: str,
                     nonce: str, now: datetime) -> Received | None:
    """Store one message pushed by the platform; events (subscribe, menu clicks) are acknowledged only."""
    _check_time(timestamp, now)
    msg = _open(endpoint, body, signature, msg_signature, timestamp, nonce)
    if msg.get("MsgType") == "event" or not msg.get("FromUserName"):
        return None
    # The platform retries a message it got no answer for within 5 seconds, three times, with the same MsgId.
    key = msg.get("MsgId") or f"{msg['FromUserName']}:{msg.get('CreateTime', '')}"
    return receive_im(endpoint=endpoint, now=now, message=ImMessage(
        key=key, sender=msg["FromUserName"], text=_text(msg)[:20000]))
