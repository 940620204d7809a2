"""Channel API: the signed webhook any IM or shop system posts to, the WeChat / WeCom callback URL, and the
agent's reply on the ticket's channel."""

import base64
import binascii

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Router

from kefu.api.schemas import ERRORS
from kefu.channels import outbound as outbound_services
from kefu.channels.auth import WebhookSignature, WechatSignature
from kefu.channels.im import ImMessage, receive_im
from kefu.channels.merge import merge_customers
from kefu.channels.schemas import (
    ChannelMergeIn,
    InboundOut,
    MergeOut,
    OutboundOut,
    ReplyIn,
    WebhookMessageIn,
    inbound_out,
    outbound_out,
)
from kefu.channels.wechat.receive import receive_callback, verify_url
from kefu.core.errors import ValidationFailed

router = Router(tags=["channels"])

WEBHOOK_DOC = """Post one message from an IM, a shop system (Taobao / JD / Douyin bridge) or a QQ bridge.

**Signature.** Send `X-Kefu-Timestamp` (Unix seconds) and
`X-Kefu-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>` with the endpoint's secret.
A timestamp more than 300 seconds away from kefu's clock is refused (401 `stale_timestamp`); a wrong or
missing signature is 401 `bad_signature` / `missing_signature`.

**Idempotency.** Send `Idempotency-Key` (1–200 characters, unique per message). Retrying with the same key
changes nothing and answers the first delivery's result with `duplicate: true`.

**Conversation.** A message continues the sender's open ticket on this endpoint, or opens one.

**Replies out.** When an agent replies, kefu POSTs JSON `{"id", "ticket", "recipient", "text",
"in_reply_to", "created_at"}` to the endpoint's reply URL, signed the same way (`X-Kefu-Timestamp`,
`X-Kefu-Signature`, `Idempotency-Key` = `id`). Answer 2xx; a 5xx, 408 or 429 is retried, other 4xx are not.

Attachments: base64, at most 5 MB each, of an accepted type (422 `too_large` / `type_not_allowed`)."""


def _attachments(payload: WebhookMessageIn) -> list[tuple[str, str, bytes]]:
    found = []
    for i, item in enumerate(payload.attachments):
        try:
            found.append((item.filename, item.content_type, base64.b64decode(item.data_base64, validate=True)))
        except (binascii.Error, ValueError) as exc:
            raise ValidationFailed(_("The attachment is not valid base64."), code="invalid",
                                   field=f"attachments[{i}].data_base64") from exc
    return found


@router.post("/webhook/{slug}/messages", auth=WebhookSignature(), response={200: InboundOut, **ERRORS},
             description=WEBHOOK_DOC)
def webhook_message(request, slug: str, payload: WebhookMessageIn):
    endpoint = request.auth
    message = ImMessage(key=request.headers.get("Idempotency-Key", "").strip(), sender=payload.sender.id.strip(),
                        sender_name=payload.sender.name, phone=payload.sender.phone, text=payload.text,
                        attachments=_attachments(payload))
    return inbound_out(receive_im(endpoint=endpoint, message=message))


@router.get("/wechat/{slug}", auth=WechatSignature(), response={200: str, **ERRORS})
def wechat_check(request, slug: str, timestamp: str = "", nonce: str = "", echostr: str = "", signature: str = "",
                 msg_signature: str = ""):
    """The URL check of 公众号 / 企业微信: answer echostr when the signature is right."""
    text = verify_url(endpoint=request.auth, signature=signature, msg_signature=msg_signature, timestamp=timestamp,
                      nonce=nonce, echostr=echostr, now=timezone.now())
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


@router.post("/wechat/{slug}", auth=WechatSignature(), response={200: str, **ERRORS})
def wechat_message(request, slug: str, timestamp: str = "", nonce: str = "", signature: str = "",
                   msg_signature: str = ""):
    """A message pushed by 公众号 / 企业微信 (plain or encrypted mode); answered "success" as documented."""
    receive_callback(endpoint=request.auth, body=request.body, signature=signature, msg_signature=msg_signature,
                     timestamp=timestamp, nonce=nonce, now=timezone.now())
    return HttpResponse("success", content_type="text/plain; charset=utf-8")


@router.post("/tickets/{ticket_id}/reply", response={200: OutboundOut, **ERRORS})
def reply(request, ticket_id: int, payload: ReplyIn):
    """Reply to the customer on the channel of their last message (email, WeChat, webhook …)."""
    sent = outbound_services.send_reply(actor=request.auth, ticket_id=ticket_id, body=payload.body,
                                        version=payload.version)
    return outbound_out(sent)


@router.post("/customers/{customer_id}/merge", response={200: MergeOut, **ERRORS})
def merge(request, customer_id: int, payload: ChannelMergeIn):
    """Merge a duplicate (e.g. a lead opened by an unknown sender) into the customer it really is."""
    done = merge_customers(actor=request.auth, source_id=customer_id, target_id=payload.target_id)
    return {"source": done.source_id, "target": done.target_id, "tickets": done.tickets, "contacts": done.contacts,
            "at": done.at}
