"""A queue's contact history read from the records kefu stores: calls from the CTI, tickets, chats.

Each source yields (arrived at, handle seconds or None) for the contacts of a time window; `stored_history`
buckets them into the forecast's interval grid in local time. A day without any record is absent from the
history (before the center used kefu, or lost data); on a day with records, an interval of the day in which
the center ever had a contact in the window counts zero when it was quiet, and the others stay closed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.core.errors import ValidationFailed

Rows = Iterator[tuple[datetime, float | None]]


def _calls(since: datetime, until: datetime, only: str) -> Rows:
    from kefu.cti.models import Call

    found = Call.objects.filter(rang_at__gte=since, rang_at__lt=until)
    if only:
        found = found.filter(queue=only)
    for rang, answered, ended in found.values_list("rang_at", "answered_at", "ended_at").iterator(chunk_size=5000):
        yield rang, (ended - answered).total_seconds() if answered and ended and ended > answered else None


def _tickets(since: datetime, until: datetime, only: str) -> Rows:
    from kefu.tickets.models import Ticket

    found = Ticket.objects.filter(created_at__gte=since, created_at__lt=until)
    if only:
        found = found.filter(channel=only)
    for (created,) in found.values_list("created_at").iterator(chunk_size=5000):
        yield created, None


def _chats(since: datetime, until: datetime, only: str) -> Rows:
    from kefu.chat.models import Conversation

    found = Conversation.objects.filter(created_at__gte=since, created_at__lt=until)
    for started, accepted, ended in found.values_list("created_at", "accepted_at", "ended_at").iterator(
            chunk_size=5000):
        yield started, (ended - accepted).total_seconds() if accepted and ended and ended > accepted else None


SOURCES: dict[str, Callable[[datetime, datetime, str], Rows]] = {"calls": _calls, "tickets": _tickets,
                                                                 "chats": _chats}


def stored_history(queue, *, until: date, weeks: int = 26):
    """The queue's history of the `weeks` weeks before `until` from its source, as a forecast History."""
    import numpy as np

    from kefu.workforce.forecast import History

    read = SOURCES.get(queue.source)
    if read is None:
        raise ValidationFailed(_("This queue has no stored history source; import a file."), code="no_source",
                               field="source")
    first = until - timedelta(weeks=weeks)
    start = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    end = timezone.make_aware(datetime.combine(until, datetime.min.time()))
    minutes = queue.interval_minutes
    slots = 1440 // minutes
    days = (until - first).days
    count = np.zeros((days, slots))
    work = np.zeros((days, slots))
    timed = np.zeros((days, slots))
    for at, handle in read(start, end, queue.source_filter):
        local = timezone.localtime(at)
        i = (local.date() - first).days
        if not 0 <= i < days:
            continue
        s = (local.hour * 60 + local.minute) // minutes
        count[i, s] += 1
        if handle is not None:
            work[i, s] += handle
            timed[i, s] += 1
    used = count.sum(axis=1) > 0
    if not used.any():
        raise ValidationFailed(_("No contacts were recorded for this queue in the weeks before."),
                               code="no_history", field="source")
    open_slots = count.sum(axis=0) > 0
    volume = np.where(used[:, None] & open_slots[None, :], count, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        aht = np.where(timed > 0, work / timed, np.nan)
    # The history runs from the first to the last day with a record: days before the center used kefu, or
    # after its records stop, are not weeks of zero demand to score or learn from.
    lead = int(np.argmax(used))
    tail = days - int(np.argmax(used[::-1]))
    return History(first=first + timedelta(days=lead), minutes=minutes, volume=volume[lead:tail],
                   aht=aht[lead:tail])
