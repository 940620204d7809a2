"""Adherence: whether each agent is in the state the roster plans for the moment (on the phones/chats, on
break), per day as adherence % and conformance, and live for the board.

Planned state: inside a shift's duty periods the agent should be working (available or busy); inside one of
its breaks, away from the phones (on break, in training or signed out). Adherence is the share of scheduled
minutes spent in the planned state; conformance the minutes worked over the minutes scheduled to work."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

WORKING = ("available", "busy")
RESTING = ("break", "offline", "training")


def _planned(shift) -> list[tuple[datetime, datetime, str]]:
    """The shift as (from, to, 'work' | 'break') pieces."""
    pieces, at = [], shift.start
    for b in sorted(shift.breaks or [], key=lambda b: b["start"]):
        b0 = timezone.make_aware(datetime.fromisoformat(b["start"]))
        b1 = timezone.make_aware(datetime.fromisoformat(b["end"]))
        if b0 > at:
            pieces.append((at, b0, "work"))
        pieces.append((b0, b1, "break"))
        at = b1
    if shift.end > at:
        pieces.append((at, shift.end, "work"))
    return pieces


def _overlap(a0, a1, b0, b1) -> float:
    return max(0.0, (min(a1, b1) - max(a0, b0)).total_seconds() / 60)


def day_adherence(shift, spans: list, *, now: datetime | None = None) -> dict:
    """Adherence % and conformance of one shift from the agent's presence spans (state, started_at, ended_at)."""
    now = now or timezone.now()
    end = min(shift.end, now)
    scheduled = work = adhered = worked = 0.0
    for p0, p1, kind in _planned(shift):
        p1 = min(p1, end)
        if p1 <= p0:
            continue
        scheduled += (p1 - p0).total_seconds() / 60
        if kind == "work":
            work += (p1 - p0).total_seconds() / 60
        for state, s0, s1 in spans:
            minutes = _overlap(p0, p1, s0, s1 or now)
            ok = state in WORKING if kind == "work" else state in RESTING
            adhered += minutes if ok else 0
            worked += minutes if kind == "work" and state in WORKING else 0
    gaps = scheduled - sum(_overlap(p0, min(p1, end), s0, s1 or now) for p0, p1, _k in _planned(shift)
                           for _st, s0, s1 in spans)
    # No presence at all during a planned break counts as on break (signed out for lunch).
    for p0, p1, kind in _planned(shift):
        if kind == "break" and min(p1, end) > p0:
            covered = sum(_overlap(p0, min(p1, end), s0, s1 or now) for _st, s0, s1 in spans)
            adhered += max(0.0, (min(p1, end) - p0).total_seconds() / 60 - covered)
    return {"scheduled_minutes": round(scheduled), "adherence": round(adhered / scheduled, 3) if scheduled else None,
            "conformance": round(worked / work, 3) if work else None, "unaccounted_minutes": round(max(gaps, 0))}


def agents_adherence(shifts, *, now: datetime | None = None) -> list[dict]:
    """Adherence of several shifts (one query for all their presence spans)."""
    from kefu.presence.models import PresenceSpan

    shifts = list(shifts)
    if not shifts:
        return []
    lo, hi = min(s.start for s in shifts), max(s.end for s in shifts)
    spans: dict[int, list] = {}
    for user_id, state, s0, s1 in (PresenceSpan.objects.filter(user_id__in={s.agent_id for s in shifts},
                                                               started_at__lt=hi)
                                   .exclude(ended_at__lte=lo).values_list("user_id", "state", "started_at",
                                                                          "ended_at")):
        spans.setdefault(user_id, []).append((state, s0, s1))
    return [{"shift": s, "agent": s.agent, **day_adherence(s, spans.get(s.agent_id, []), now=now)} for s in shifts]


def live_board(users, *, now: datetime | None = None) -> list[dict]:
    """Every agent rostered now: the planned state, the actual state and since when, out of adherence or not.

    Two queries whatever the number of agents: the shifts covering now, and the agents' current presence."""
    from kefu.presence.models import AgentPresence
    from kefu.workforce.models import RosterStatus, Shift

    now = now or timezone.now()
    shifts = list(Shift.objects.filter(agent__in=users, roster__status=RosterStatus.PUBLISHED, start__lte=now,
                                       end__gt=now).select_related("agent").order_by("agent__username"))
    presence = {p.user_id: p for p in AgentPresence.objects.filter(user_id__in=[s.agent_id for s in shifts])}
    rows = []
    for s in shifts:
        planned = next((kind for p0, p1, kind in _planned(s) if p0 <= now < p1), "work")
        p = presence.get(s.agent_id)
        state = p.state if p else "offline"
        since = p.state_since if p else s.start
        ok = state in WORKING if planned == "work" else state in RESTING
        rows.append({"agent": s.agent, "shift": s, "planned": planned, "state": state,
                     "minutes": max(0, int((now - max(since, s.start)).total_seconds() // 60)), "ok": ok})
    rows.sort(key=lambda r: (r["ok"], -r["minutes"]))
    return rows


def day_window(day) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    return start, start + timedelta(days=1)
