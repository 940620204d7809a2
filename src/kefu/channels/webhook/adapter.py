"""Replies out through the generic webhook: a signed JSON POST to the endpoint's reply URL."""

import json
import time

from kefu.channels import http
from kefu.channels.base import Adapter, PermanentFailure, register
from kefu.channels.webhook.signing import sign


def reply_payload(outbound) -> dict:
    """What the endpoint receives for one reply (documented in the API description)."""
    parent = outbound.in_reply_to
    key = parent.external_id.split(":", 1)[1] if parent is not None and ":" in parent.external_id else ""
    return {"id": outbound.external_id, "ticket": outbound.ticket_id, "recipient": outbound.recipient,
            "text": outbound.body, "in_reply_to": key, "created_at": outbound.created_at.isoformat()}


class WebhookAdapter(Adapter):
    """Posts a reply to the system that sent the message (webhook endpoints and QQ bridges)."""

    media = ("webhook", "qq")

    def send(self, outbound) -> str:
        endpoint = outbound.endpoint
        if endpoint is None or not endpoint.reply_url:
            raise PermanentFailure("the endpoint has no reply URL", code="config")
        body = json.dumps(reply_payload(outbound), ensure_ascii=False).encode()
        ts = int(time.time())
        status, answer = http.request(endpoint.reply_url, body=body, headers={
            "Content-Type": "application/json; charset=utf-8", "X-Kefu-Timestamp": str(ts),
            "X-Kefu-Signature": sign(endpoint.secret, ts, body), "Idempotency-Key": outbound.external_id})
        http.by_status(status, answer.decode("utf-8", "replace"))
        return outbound.external_id


register(WebhookAdapter())
