"""What the telephony system sends after a call: the transcript (speech-to-text) and the hold time."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.roles import CAN_ADMINISTER
from kefu.core.errors import Forbidden, NotFound, ValidationFailed
from kefu.cti.models import Call
from kefu.quality.contacts import AGENT, CUSTOMER
from kefu.quality.models import CallTranscript

MAX_LINES = 2000


@dataclass
class LineInput:
    speaker: str
    offset: float
    text: str


@transaction.atomic
def record_call_transcript(*, actor, call_id: str, lines: list[LineInput], hold_seconds: int = 0,
                           now: datetime | None = None) -> CallTranscript:
    """Store (or replace: switches retry) the transcript of an answered call."""
    if actor is not None and actor.role not in CAN_ADMINISTER:
        raise Forbidden(_("Only the telephony integration reports calls."), code="forbidden")
    call = Call.objects.filter(call_id=(call_id or "").strip(), answered_at__isnull=False).first()
    if call is None:
        raise NotFound(_("No such call."), field="call_id")
    if len(lines) > MAX_LINES:
        raise ValidationFailed(_("Too many lines."), code="too_long", field="lines")
    cleaned = []
    for i, line in enumerate(lines):
        if line.speaker not in (AGENT, CUSTOMER):
            raise ValidationFailed(_("Not one of the allowed values."), code="invalid_choice",
                                   field=f"lines[{i}].speaker")
        if line.offset < 0 or len(line.text or "") > 2000:
            raise ValidationFailed(_("Give a time from the start and at most 2000 characters."), code="invalid",
                                   field=f"lines[{i}]")
        cleaned.append({"speaker": line.speaker, "offset": round(float(line.offset), 1), "text": line.text or ""})
    if not 0 <= hold_seconds <= 86400:
        raise ValidationFailed(_("Enter seconds between 0 and 86400."), code="invalid", field="hold_seconds")
    transcript, _created = CallTranscript.objects.update_or_create(
        call=call, defaults={"lines": cleaned, "hold_seconds": hold_seconds, "received_at": now or timezone.now()})
    return transcript
