"""Read queries of presence: the board, and the time each agent spent per state over a period."""

from datetime import datetime

from django.db.models import Q

from kefu.presence.models import AgentPresence, PresenceSpan


def board_rows(user, *, now: datetime) -> list[AgentPresence]:
    """The agents a lead sees (their team; the whole center without a team), with seconds in the current state."""
    qs = AgentPresence.objects.select_related("user", "team").order_by("user__agent_no")
    if user.team_id:
        qs = qs.filter(team_id=user.team_id)
    rows = list(qs[:500])
    for row in rows:
        row.seconds = int((now - row.state_since).total_seconds())
    return rows


def seconds_by_state(*, user_ids: list[int] | None, start: datetime, end: datetime) -> dict[int, dict[str, int]]:
    """{user_id: {state: seconds}} between start and end, clipped to the period (attendance and adherence read
    this); one indexed scan of the spans that overlap the period."""
    qs = PresenceSpan.objects.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=start), started_at__lt=end)
    if user_ids is not None:
        qs = qs.filter(user_id__in=user_ids)
    out: dict[int, dict[str, int]] = {}
    for uid, state, began, ended in qs.values_list("user_id", "state", "started_at", "ended_at").iterator():
        seconds = int((min(ended or end, end) - max(began, start)).total_seconds())
        if seconds > 0:
            per = out.setdefault(uid, {})
            per[state] = per.get(state, 0) + seconds
    return out
