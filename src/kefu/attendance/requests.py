"""Shift swaps (调班) and leave (请假): every rule enforced here and refused naming it; approvals serialised.

A swap is asked by an agent, accepted by the named colleague and approved by the team lead; leave is asked
and approved. Approval locks the agents' rows and the rosters concerned (SELECT … FOR UPDATE; SQLite takes
the write lock when the transaction starts), re-checks every rule against the roster as it is then, and
only then changes the roster — so two approvals that would each be fine alone but together break the rest
rule cannot both pass."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.attendance.models import Leave, LeaveBalance, LeaveKind, LeaveStatus, Swap, SwapStatus
from kefu.attendance.services import may_decide, policy
from kefu.audit.models import AuditAction
from kefu.audit.services import record
from kefu.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from kefu.sla.calendar import simple_calendar
from kefu.sla.policies import office_calendar

BALANCED = (LeaveKind.ANNUAL, LeaveKind.COMPENSATORY)  # kinds with a yearly entitlement; the others are not counted
DEFAULT_REST_HOURS = 11.0


def swap_deadline(day: date, working_days: int) -> date:
    """The last date a swap of a shift on `day` may be asked: `working_days` working days before it, counted on
    the center's business calendar (its overrides, statutory holidays and 调休 days); without a stored calendar,
    the default office week with China's holidays."""
    calendar = office_calendar() or simple_calendar()
    d = day
    for _k in range(working_days):
        d -= timedelta(days=1)
        # A calendar with no open day at all would loop forever: a year back is the furthest a notice reaches.
        while not calendar.blocks_on(d) and (day - d).days <= 366:
            d -= timedelta(days=1)
    return d


def _rest_hours(shift) -> float:
    """The minimum rest of the setup the roster was made with (the default when it was made by hand)."""
    run = getattr(shift.roster, "run", None)
    if run is not None:
        from kefu.workforce.scheduling.setup import SetupError, load_patterns

        try:
            return load_patterns(run.setup.patterns_yaml)[1].min_rest_hours
        except SetupError:
            pass
    return DEFAULT_REST_HOURS


def _check_rest(agent, gains, loses: list, rest_hours: float) -> None:
    """The agent's published shifts around the one gained, without those given away: one a day, rest kept."""
    from kefu.workforce.models import RosterStatus, Shift

    near = list(Shift.objects.filter(agent=agent, roster__status=RosterStatus.PUBLISHED,
                                     day__gte=gains.day - timedelta(days=2), day__lte=gains.day + timedelta(days=2))
                .exclude(pk__in=[s.pk for s in loses if s is not None]).exclude(pk=gains.pk))
    if any(s.day == gains.day for s in near):
        raise ValidationFailed(_("%(agent)s already works a shift on %(day)s; one shift a day.")
                               % {"agent": agent, "day": gains.day.isoformat()}, code="one_shift_a_day",
                               field="shift", params={"agent": agent.pk, "day": gains.day.isoformat()})
    for s in near:
        gap = (gains.start - s.end) if s.end <= gains.start else (s.start - gains.end)
        hours = gap.total_seconds() / 3600
        if hours < rest_hours:
            raise ValidationFailed(
                _("After the swap %(agent)s would rest only %(hours)s h between shifts; the rule is at least "
                  "%(min)s h.") % {"agent": agent, "hours": round(max(hours, 0), 1), "min": rest_hours},
                code="rest_between_shifts", field="shift",
                params={"agent": agent.pk, "rest_hours": round(max(hours, 0), 1), "min_rest_hours": rest_hours})


def _validate_swap(requester, colleague, shift, their_shift, *, today: date) -> None:
    from kefu.workforce.models import RosterStatus

    if shift is None or shift.agent_id != requester.pk or shift.roster.status != RosterStatus.PUBLISHED:
        raise ValidationFailed(_("Choose one of your own published shifts."), code="not_your_shift", field="shift")
    if their_shift is not None and (their_shift.agent_id != colleague.pk
                                    or their_shift.roster.status != RosterStatus.PUBLISHED):
        raise ValidationFailed(_("Choose one of the colleague's published shifts."), code="not_their_shift",
                               field="their_shift")
    notice = policy().swap_notice_working_days
    for s in (shift, their_shift):
        if s is not None and today > swap_deadline(s.day, notice):
            raise ValidationFailed(
                _("Swaps must be asked at least %(n)s working day(s) ahead by the business calendar: for %(day)s "
                  "the last day to ask was %(deadline)s.") % {"n": notice, "day": s.day.isoformat(),
                                                              "deadline": swap_deadline(s.day, notice).isoformat()},
                code="swap_notice", field="shift" if s is shift else "their_shift",
                params={"working_days": notice, "deadline": swap_deadline(s.day, notice).isoformat()})
    _check_rest(colleague, shift, [their_shift], _rest_hours(shift))
    if their_shift is not None:
        _check_rest(requester, their_shift, [shift], _rest_hours(their_shift))


def _notify(users, subject: str, body: str, kind: str) -> None:
    from kefu.notify.services import queue_notification

    for u in users:
        queue_notification(recipient=u, channel="in_app", kind=kind, subject=subject, body=body)


def _shift_label(s) -> str:
    local = timezone.localtime
    return f"{s.day:%m-%d} {s.label} {local(s.start):%H:%M}–{local(s.end):%H:%M}"


@transaction.atomic
def ask_swap(*, actor, colleague_id: int | None, shift_id: int | None, their_shift_id: int | None = None,
             reason: str = "", now: datetime | None = None) -> Swap:
    """The agent asks a named colleague to swap (or take over) a published shift."""
    from kefu.accounts.models import User
    from kefu.workforce.models import Shift

    if actor is None or not getattr(actor, "pk", None):
        raise Forbidden(_("Sign in to ask for a swap."), code="not_signed_in")
    at = now or timezone.now()
    colleague = User.objects.filter(pk=colleague_id, is_active=True).exclude(pk=actor.pk).first() \
        if colleague_id else None
    if colleague is None:
        raise ValidationFailed(_("Choose a colleague."), code="unknown_colleague", field="colleague")
    shift = Shift.objects.select_related("roster__run__setup").filter(pk=shift_id).first() if shift_id else None
    their = Shift.objects.select_related("roster__run__setup").filter(pk=their_shift_id).first() \
        if their_shift_id else None
    if their_shift_id and their is None:
        raise ValidationFailed(_("Choose one of the colleague's published shifts."), code="not_their_shift",
                               field="their_shift")
    _validate_swap(actor, colleague, shift, their, today=timezone.localdate(at))
    if Swap.objects.filter(Q(shift=shift) | Q(their_shift=shift), status__in=[SwapStatus.ASKED,
                                                                              SwapStatus.ACCEPTED]).exists():
        raise Conflict(_("A swap of this shift is already under way."), code="swap_pending", field="shift")
    swap = Swap.objects.create(requester=actor, colleague=colleague, shift=shift, their_shift=their,
                               reason=(reason or "")[:200], created_at=at)
    transaction.on_commit(lambda: _notify([colleague], _("Shift swap asked"),
                                          _("%(agent)s asks to swap %(shift)s with you.")
                                          % {"agent": actor, "shift": _shift_label(shift)}, "shift_swap"))
    return swap


def _load(actor, swap_id: int, version: int | None) -> Swap:
    swap = Swap.objects.visible_to(actor).select_related(
        "requester", "colleague", "shift__roster__run__setup", "their_shift__roster__run__setup"
    ).filter(pk=swap_id).first() if actor is not None else Swap.objects.filter(pk=swap_id).first()
    if swap is None:
        raise NotFound(_("No such swap."), code="not_found")
    if version is None:
        raise ValidationFailed(_("Send the version you loaded."), code="required", field="version")
    return swap


def _move(swap: Swap, status: str, version: int, **extra) -> None:
    if not Swap.objects.filter(pk=swap.pk, version=version, status=swap.status).update(
            status=status, version=F("version") + 1, **extra):
        raise Conflict(_("This swap was changed since you loaded it."), code="stale_version",
                       params={"current_version": Swap.objects.get(pk=swap.pk).version})


@transaction.atomic
def answer_swap(*, actor, swap_id: int, version: int | None, accept: bool, now: datetime | None = None) -> Swap:
    """The named colleague accepts (the team lead decides next) or declines."""
    swap = _load(actor, swap_id, version)
    if actor is None or actor.pk != swap.colleague_id:
        raise Forbidden(_("Only the colleague asked answers a swap."), code="not_the_colleague")
    if swap.status != SwapStatus.ASKED:
        raise Conflict(_("This swap is no longer waiting for you."), code="not_asked")
    _move(swap, SwapStatus.ACCEPTED if accept else SwapStatus.DECLINED, version)
    swap.refresh_from_db()
    transaction.on_commit(lambda: _notify([swap.requester], _("Shift swap answered"),
                                          _("%(agent)s accepted your swap; your team lead decides next.")
                                          % {"agent": swap.colleague} if accept else
                                          _("%(agent)s declined your swap.") % {"agent": swap.colleague},
                                          "shift_swap"))
    return swap


def _lock(users: list, days: list[date]) -> None:
    """Serialise approvals touching the same people or rosters (rows locked in a fixed order: no deadlock)."""
    from kefu.accounts.models import User
    from kefu.workforce.models import Roster

    list(User.objects.select_for_update().filter(pk__in=sorted({u.pk for u in users})).order_by("pk")
         .values_list("pk", flat=True))
    weeks = sorted({d - timedelta(days=d.weekday() + k * 7) for d in days for k in (0, 1)})
    list(Roster.objects.select_for_update().filter(week__in=weeks).order_by("pk").values_list("pk", flat=True))


@transaction.atomic
def decide_swap(*, actor, swap_id: int, version: int | None, approve: bool, now: datetime | None = None) -> Swap:
    """The team lead approves (the roster changes, both agents are told) or refuses an accepted swap."""
    from kefu.workforce.models import Roster, RosterEvent, RosterEventCode, Shift

    swap = _load(actor, swap_id, version)
    if not (may_decide(actor, swap.requester) and may_decide(actor, swap.colleague)):
        raise Forbidden(_("Only the team lead of both agents decides a swap, never their own."),
                        code="not_the_team_lead")
    at = now or timezone.now()
    if approve:
        _lock([swap.requester, swap.colleague], [s.day for s in (swap.shift, swap.their_shift) if s is not None])
        swap.refresh_from_db()
        if swap.status != SwapStatus.ACCEPTED:
            raise Conflict(_("Only a swap the colleague accepted can be approved."), code="not_accepted")
        shift = Shift.objects.select_related("roster__run__setup").get(pk=swap.shift_id)
        their = Shift.objects.select_related("roster__run__setup").get(pk=swap.their_shift_id) \
            if swap.their_shift_id else None
        # Checked again now, under the locks: another swap approved meanwhile may have changed the roster.
        _validate_swap(swap.requester, swap.colleague, shift, their, today=timezone.localdate(swap.created_at))
        _move(swap, SwapStatus.APPROVED, version, decided_by=actor if getattr(actor, "pk", None) else None,
              decided_at=at)
        Shift.objects.filter(pk=shift.pk).update(agent_id=swap.colleague_id)
        if their is not None:
            Shift.objects.filter(pk=their.pk).update(agent_id=swap.requester_id)
        for s, before, after in ((shift, swap.requester_id, swap.colleague_id),
                                 (their, swap.colleague_id, swap.requester_id)):
            if s is not None:
                Roster.objects.filter(pk=s.roster_id).update(version=F("version") + 1)
                RosterEvent.objects.create(roster_id=s.roster_id, code=RosterEventCode.SHIFT_REASSIGNED,
                                           actor=actor if getattr(actor, "pk", None) else None, at=at,
                                           params={"shift": s.pk, "from": before, "to": after, "swap": swap.pk})
    else:
        if swap.status != SwapStatus.ACCEPTED:
            raise Conflict(_("Only a swap the colleague accepted can be refused."), code="not_accepted")
        _move(swap, SwapStatus.REFUSED, version, decided_by=actor if getattr(actor, "pk", None) else None,
              decided_at=at)
    swap.refresh_from_db()
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="shift_swap", target_id=swap.pk,
           params={"decision": swap.status, "shift": swap.shift_id, "their_shift": swap.their_shift_id})
    text = _("Your shift swap was approved; your roster has changed.") if approve else \
        _("Your shift swap was refused.")
    transaction.on_commit(lambda: _notify([swap.requester, swap.colleague], _("Shift swap decided"), text,
                                          "shift_swap"))
    return swap


# ------------------------------------------------------------------------------------------ leave
def balance(user, kind: str, year: int, *, excluding: int | None = None) -> dict:
    """Days entitled, taken or asked (approved and pending) and left of a kind with an entitlement."""
    entitled = LeaveBalance.objects.filter(user=user, kind=kind, year=year).values_list("days", flat=True).first() or 0
    used = (Leave.objects.filter(user=user, kind=kind, first_day__year=year,
                                 status__in=[LeaveStatus.APPROVED, LeaveStatus.PENDING])
            .exclude(pk=excluding).aggregate(n=Sum("days"))["n"] or 0)
    return {"entitled": entitled, "used": used, "left": entitled - used}


def _check_balance(user, kind: str, first: date, days: int, *, excluding: int | None = None) -> None:
    if kind not in BALANCED:
        return
    left = balance(user, kind, first.year, excluding=excluding)["left"]
    if days > left:
        raise ValidationFailed(_("Not enough leave left: %(left)s day(s) of this kind remain, %(days)s asked.")
                               % {"left": left, "days": days}, code="leave_balance", field="last_day",
                               params={"left": left, "asked": days})


@transaction.atomic
def ask_leave(*, actor, kind: str, first_day: date | None, last_day: date | None = None, reason: str = "",
              now: datetime | None = None) -> Leave:
    """The agent asks for whole days of leave of a kind; kinds with an entitlement are held to their balance."""
    if actor is None or not getattr(actor, "pk", None):
        raise Forbidden(_("Sign in to ask for leave."), code="not_signed_in")
    last_day = last_day or first_day
    bad = []
    if kind not in LeaveKind.values:
        bad.append("kind")
    if first_day is None:
        bad.append("first_day")
    if first_day and last_day and not 0 <= (last_day - first_day).days < 60:
        bad.append("last_day")
    if len(reason or "") > 200:
        bad.append("reason")
    if bad:
        raise ValidationFailed(_("Some fields of the leave request are missing or wrong."), code="invalid",
                               field=bad[0], params={"fields": bad})
    if Leave.objects.filter(user=actor, status__in=[LeaveStatus.PENDING, LeaveStatus.APPROVED],
                            first_day__lte=last_day, last_day__gte=first_day).exists():
        raise ValidationFailed(_("These days overlap leave already asked or approved."), code="leave_overlaps",
                               field="first_day")
    days = (last_day - first_day).days + 1
    _check_balance(actor, kind, first_day, days)
    return Leave.objects.create(user=actor, kind=kind, first_day=first_day, last_day=last_day, days=days,
                                reason=reason or "", created_at=now or timezone.now())


@transaction.atomic
def decide_leave(*, actor, leave_id: int, version: int | None, approve: bool, now: datetime | None = None) -> Leave:
    """Approve (the agent's shifts of those days leave the roster) or refuse a leave request (audited)."""
    from kefu.workforce.models import Roster, RosterEvent, RosterEventCode, RosterStatus, Shift

    leave = Leave.objects.visible_to(actor).select_related("user").filter(pk=leave_id).first() \
        if actor is not None else Leave.objects.select_related("user").filter(pk=leave_id).first()
    if leave is None:
        raise NotFound(_("No such leave request."), code="not_found")
    if not may_decide(actor, leave.user):
        raise Forbidden(_("Only the agent's team lead decides leave, never their own."), code="not_the_team_lead")
    if version is None:
        raise ValidationFailed(_("Send the version you loaded."), code="required", field="version")
    at = now or timezone.now()
    _lock([leave.user], [leave.first_day, leave.last_day])
    if approve:
        _check_balance(leave.user, leave.kind, leave.first_day, leave.days, excluding=leave.pk)
    status = LeaveStatus.APPROVED if approve else LeaveStatus.REFUSED
    if not Leave.objects.filter(pk=leave.pk, version=version, status=LeaveStatus.PENDING).update(
            status=status, decided_by=actor if getattr(actor, "pk", None) else None, decided_at=at,
            version=F("version") + 1):
        raise Conflict(_("This leave request was decided or changed since you loaded it."), code="stale_version")
    if approve:
        for s in Shift.objects.filter(agent=leave.user, roster__status=RosterStatus.PUBLISHED,
                                      day__gte=leave.first_day, day__lte=leave.last_day):
            RosterEvent.objects.create(roster_id=s.roster_id, code=RosterEventCode.SHIFT_REMOVED,
                                       actor=actor if getattr(actor, "pk", None) else None, at=at,
                                       params={"shift": s.pk, "agent": s.agent_id, "leave": leave.pk})
            Roster.objects.filter(pk=s.roster_id).update(version=F("version") + 1)
            s.delete()
    record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type="leave", target_id=leave.pk,
           params={"decision": status, "user": leave.user_id, "kind": leave.kind, "days": leave.days})
    leave.refresh_from_db()
    transaction.on_commit(lambda: _notify([leave.user], _("Leave decided"),
                                          _("Your leave was approved.") if approve else _("Your leave was refused."),
                                          "leave"))
    return leave


def coverage_impact(*, week: date, remove: list[int] = (), user=None) -> list[dict]:
    """The week's coverage per interval after taking some shifts away (leave): under-requirement marked."""
    from kefu.workforce import selectors as W

    roster = W.roster(user, week) if user is not None else None
    if roster is None:
        return []
    roster.shift_list = [s for s in roster.shift_list if s.pk not in set(remove)]
    before = {c["slot"]: c for c in W.coverage(W.roster(user, week), W.requirements(user, week))}
    after = W.coverage(roster, W.requirements(user, week))
    return [{**c, "was": before[c["slot"]]["scheduled"], "new_gap": c["gap"] < 0 <= before[c["slot"]]["gap"]}
            for c in after]
