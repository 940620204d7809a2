"""Telephony events in, screen pops out. The switch (or its adapter) reports; the agent's page polls."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.accounts.models import User
from kefu.core.errors import Forbidden, NotFound, ValidationFailed
from kefu.core.pii import normalize_phone
from kefu.cti.models import Call, CallState
from kefu.customers.models import ContactPoint, Customer

EVENTS = ("ringing", "answered", "ended")
# A pop older than this is stale: the call was missed or the switch never reported its end.
POP_WINDOW = timedelta(minutes=30)


@dataclass
class CallEvent:
    call_id: str
    event: str
    agent_no: str
    caller: str = ""
    at: datetime | None = None
    queue: str = ""
    recording: str = ""


def _match_customer(number: str) -> Customer | None:
    """The one customer with this phone; with several (a shared landline) the agent chooses, so none."""
    ids = list(ContactPoint.objects.filter(kind__in=[ContactPoint.Kind.MOBILE, ContactPoint.Kind.PHONE], value=number)
               .values_list("customer_id", flat=True).distinct()[:2])
    return Customer.objects.filter(pk=ids[0]).first() if len(ids) == 1 else None


def _short(value: str, limit: int, field: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationFailed(_("This value is too long."), code="too_long", field=field)
    return value


@transaction.atomic(durable=True)
def report_call_event(*, actor: User | None, data: CallEvent) -> Call:
    """Record what the switch says about a call. Repeating an event is harmless (switches retry)."""
    if actor is not None and not actor.can_administer():
        raise Forbidden(_("Only the telephony integration reports calls."), code="forbidden")
    call_id = (data.call_id or "").strip()
    if not call_id or len(call_id) > 64:
        raise ValidationFailed(_("Give the switch's call id (1 to 64 characters)."), code="invalid", field="call_id")
    if data.event not in EVENTS:
        raise ValidationFailed(_("Not one of the allowed values."), code="invalid_choice", field="event")
    agent = User.objects.filter(agent_no=(data.agent_no or "").strip(), is_active=True).first()
    if agent is None:
        raise ValidationFailed(_("No active agent has this agent number."), code="unknown_agent", field="agent_no")
    at = data.at or timezone.now()
    call = Call.objects.select_for_update().filter(call_id=call_id).first()
    if call is None:
        if data.event != "ringing":
            raise NotFound(_("No such call."), field="call_id")
        number = normalize_phone(data.caller, field="caller")
        return Call.objects.create(call_id=call_id, agent=agent, caller=number, customer=_match_customer(number),
                                   rang_at=at, queue=_short(data.queue, 50, "queue"))
    if call.agent_id != agent.pk:
        # A transfer: the pop moves to the agent who now has the call.
        call.agent, call.dismissed_at = agent, None
    if data.event == "answered" and call.state == CallState.RINGING:
        call.state, call.answered_at = CallState.ANSWERED, at
    elif data.event == "ended" and call.state != CallState.ENDED:
        call.state, call.ended_at = CallState.ENDED, at
    if data.recording:
        call.recording = _short(data.recording, 200, "recording")
    call.save()
    return call


def current_call(agent: User, now: datetime | None = None) -> Call | None:
    """The call the agent's screen should show: the newest not dismissed, not ended, in the window."""
    now = now or timezone.now()
    return (Call.objects.filter(agent=agent, dismissed_at__isnull=True, rang_at__gte=now - POP_WINDOW)
            .exclude(state=CallState.ENDED).select_related("customer", "customer__account_manager")
            .order_by("-rang_at").first())


@transaction.atomic(durable=True)
def dismiss_call(*, actor: User, call_pk: int, now: datetime | None = None) -> None:
    """The agent closes the pop (the call goes on; only the panel goes away)."""
    updated = Call.objects.filter(pk=call_pk, agent=actor, dismissed_at__isnull=True).update(
        dismissed_at=now or timezone.now())
    if not updated and not Call.objects.filter(pk=call_pk, agent=actor).exists():
        raise NotFound(_("No such call."), field="call")


def call_for_agent(agent: User, call_pk: int) -> Call | None:
    """One of the agent's own calls (to prefill a new ticket from it)."""
    return Call.objects.filter(pk=call_pk, agent=agent).select_related("customer").first()


def do_ticket_started(*, agent: User, call_id: str, now: datetime | None = None) -> None:
    """The agent made a ticket from the pop: the pop has done its job and closes on their screen. Called inside
    the creating transaction (kefu.cti.listener), whether the ticket came from the web page or the API."""
    Call.objects.filter(call_id=call_id, agent=agent, dismissed_at__isnull=True).update(
        dismissed_at=now or timezone.now())
