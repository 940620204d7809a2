"""Routing reads the published roster (kefu.workforce) when there is one: an agent rostered this week but not on
a shift now (a day off, before or after the shift) is never handed a chat, whatever their presence says.

Agents with no published shift in the week are not ruled out: a center that does not roster them routes by
presence alone. Registered as a predicate of kefu.presence.availability; one query for the whole team."""

from datetime import datetime, timedelta


def off_shift(user_ids: list[int], at: datetime) -> set[int]:
    """The ids among `user_ids` that have published shifts around `at` but none covering it."""
    from kefu.workforce.models import RosterStatus, Shift

    rostered, working = set(), set()
    rows = Shift.objects.filter(agent_id__in=user_ids, roster__status=RosterStatus.PUBLISHED,
                                start__lt=at + timedelta(days=7), end__gt=at - timedelta(days=7))
    for agent_id, start, end in rows.values_list("agent_id", "start", "end"):
        rostered.add(agent_id)
        if start <= at < end:
            working.add(agent_id)
    return rostered - working


def register() -> None:
    from django.apps import apps

    from kefu.presence import availability

    if apps.is_installed("kefu.workforce"):
        availability.register("workforce-roster", off_shift)
