"""The contact sources kefu.quality provides itself: written ticket conversations and telephone calls."""

from collections.abc import Iterable
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from kefu.cti.models import Call, CallState
from kefu.quality.contacts import AGENT, CUSTOMER, ContactData, Line
from kefu.quality.models import CallTranscript
from kefu.tickets.models import Ticket, TicketMessage

_SPOKEN = (TicketMessage.Kind.REPLY, TicketMessage.Kind.CUSTOMER)


class TicketSource:
    """A ticket's conversation with the customer (replies and customer messages), by the agent who opened it."""

    code = "ticket"
    label = _("Ticket conversation")

    def _data(self, ticket: Ticket, messages: list[TicketMessage]) -> ContactData:
        start = ticket.created_at
        lines = [Line(speaker=AGENT if m.kind == TicketMessage.Kind.REPLY else CUSTOMER,
                      offset=(m.created_at - start).total_seconds(), text=m.body, ref=str(m.pk)) for m in messages]
        return ContactData(source=self.code, ref=str(ticket.pk), agent_id=ticket.created_by_id, started_at=start,
                           channel=ticket.channel, team_id=ticket.team_id, ticket_id=ticket.pk,
                           link=ticket.get_absolute_url(), lines=lines)

    def contacts(self, start: datetime, end: datetime) -> Iterable[ContactData]:
        tickets = (Ticket.objects.filter(created_at__gte=start, created_at__lt=end, created_by__isnull=False)
                   .only("id", "created_at", "created_by_id", "channel", "team_id").order_by("id"))
        for chunk in _chunks(tickets.iterator(chunk_size=1000), 500):
            by_ticket: dict[int, list[TicketMessage]] = {t.pk: [] for t in chunk}
            for message in (TicketMessage.objects.filter(ticket_id__in=by_ticket, kind__in=_SPOKEN)
                            .only("id", "ticket_id", "kind", "body", "created_at").order_by("created_at", "id")):
                by_ticket[message.ticket_id].append(message)
            for ticket in chunk:
                yield self._data(ticket, by_ticket[ticket.pk])

    def load(self, ref: str) -> ContactData | None:
        ticket = Ticket.objects.filter(pk=int(ref) if ref.isdigit() else 0, created_by__isnull=False).first()
        if ticket is None:
            return None
        messages = list(ticket.messages.filter(kind__in=_SPOKEN).order_by("created_at", "id"))
        return self._data(ticket, messages)


class CallSource:
    """An answered call, with the transcript and hold time when the telephony system sent them."""

    code = "call"
    label = _("Call")

    def _data(self, call: Call, transcript: CallTranscript | None) -> ContactData:
        lines = [Line(speaker=line.get("speaker", CUSTOMER), offset=line.get("offset"), text=line.get("text", ""),
                      ref=str(i)) for i, line in enumerate(transcript.lines if transcript else [])]
        return ContactData(source=self.code, ref=call.call_id, agent_id=call.agent_id, started_at=call.answered_at,
                           channel="phone", team_id=call.agent.team_id, lines=lines,
                           talk_seconds=call.talk_seconds, hold_seconds=transcript.hold_seconds if transcript else None,
                           recording=call.recording)

    def contacts(self, start: datetime, end: datetime) -> Iterable[ContactData]:
        calls = (Call.objects.filter(answered_at__gte=start, answered_at__lt=end, state=CallState.ENDED)
                 .select_related("agent").order_by("id"))
        for chunk in _chunks(calls.iterator(chunk_size=1000), 500):
            transcripts = {t.call_id: t for t in CallTranscript.objects.filter(call_id__in=[c.pk for c in chunk])}
            for call in chunk:
                yield self._data(call, transcripts.get(call.pk))

    def load(self, ref: str) -> ContactData | None:
        call = Call.objects.select_related("agent").filter(call_id=ref, answered_at__isnull=False).first()
        if call is None:
            return None
        return self._data(call, CallTranscript.objects.filter(call=call).first())


def _chunks(iterable, size: int):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
