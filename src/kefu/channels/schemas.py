"""API shapes of the channels: the signed webhook's message in and answer out, agents' replies."""

from datetime import datetime

from ninja import Schema
from pydantic import Field


class SenderIn(Schema):
    id: str = Field(..., description="The sender's id in your system (buyer id, IM user id, QQ number).")
    name: str = ""
    phone: str = Field("", description="When known: matches the sender to a customer by phone.")


class AttachmentIn(Schema):
    filename: str
    content_type: str = "application/octet-stream"
    data_base64: str


class WebhookMessageIn(Schema):
    sender: SenderIn
    text: str = ""
    attachments: list[AttachmentIn] = []


class InboundOut(Schema):
    inbound: int
    ticket: int | None
    state: str
    duplicate: bool


class ReplyIn(Schema):
    body: str
    version: int | None = None


class OutboundOut(Schema):
    id: int
    ticket: int
    medium: str
    state: str
    error_code: str
    created_at: datetime


def inbound_out(received) -> dict:
    """The answer to a delivered message; a redelivery gets the first delivery's answer."""
    inbound = received.inbound
    return {"inbound": inbound.pk, "ticket": inbound.ticket_id, "state": inbound.state,
            "duplicate": not received.created}


def outbound_out(outbound) -> dict:
    """A queued or sent reply (without its recipient: personal data)."""
    return {"id": outbound.pk, "ticket": outbound.ticket_id, "medium": outbound.medium, "state": outbound.state,
            "error_code": outbound.error_code, "created_at": outbound.created_at}


class ChannelMergeIn(Schema):
    target_id: int


class MergeOut(Schema):
    source: int
    target: int
    tickets: list[int]
    contacts: int
    at: datetime
