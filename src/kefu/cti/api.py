"""Telephony integration: the switch (or its CTI adapter) reports ringing, answered and ended calls."""

from datetime import datetime

from ninja import Router, Schema

from kefu.api.schemas import ERRORS
from kefu.core.pii import mask_phone
from kefu.cti import services

router = Router(tags=["telephony"])


class CallEventIn(Schema):
    call_id: str
    event: str  # ringing | answered | ended
    agent_no: str
    caller: str = ""
    at: datetime | None = None
    queue: str = ""
    recording: str = ""  # the recording's reference in the switch, usually sent with "ended"


class CallOut(Schema):
    id: int
    call_id: str
    agent_no: str
    caller: str  # masked: the integration already knows the number; nobody else needs it in a response
    customer_id: int | None
    state: str
    queue: str
    rang_at: datetime
    wait_seconds: int | None
    talk_seconds: int | None
    recording: str


@router.post("/events", response={200: CallOut, **ERRORS})
def call_event(request, payload: CallEventIn):
    call = services.report_call_event(actor=request.auth, data=services.CallEvent(**payload.dict()))
    return {"id": call.pk, "call_id": call.call_id, "agent_no": call.agent.agent_no,
            "caller": mask_phone(call.caller), "customer_id": call.customer_id, "state": call.state,
            "queue": call.queue, "rang_at": call.rang_at, "wait_seconds": call.wait_seconds,
            "talk_seconds": call.talk_seconds, "recording": call.recording}
