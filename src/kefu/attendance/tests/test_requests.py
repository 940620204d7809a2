"""Shift swaps and leave: each rule refused by name, approvals serialised with real concurrent transactions."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from kefu.attendance import requests as R
from kefu.attendance.models import Leave, LeaveBalance, Swap, SwapStatus
from kefu.audit.models import AuditEntry
from kefu.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from kefu.notify.models import Notification
from kefu.testing import at_once, build_world
from kefu.workforce.models import Roster, RosterEvent, RosterStatus, Shift

WEEK = date(2027, 3, 1)  # a Monday
FRIDAY_BEFORE = timezone.make_aware(datetime(2027, 2, 26, 10, 0))


def at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(hours=hour)


def shifts(plan: list[tuple]) -> dict:
    """A published roster of WEEK: (name, agent, day offset, start hour, end hour) → {name: Shift}."""
    roster = Roster.objects.create(week=WEEK, status=RosterStatus.PUBLISHED)
    out = {}
    for name, agent, d, start, end in plan:
        day = WEEK + timedelta(days=d)
        out[name] = Shift.objects.create(roster=roster, agent=agent, day=day, pattern="晚班" if start >= 12 else "早班",
                                         start=at(day, start), end=at(day, end))
    return out


def _two_swaps(world):
    """Each swap alone keeps every rule; together they give the handler Monday 14–23 then Tuesday 08–17."""
    s = shifts([("agent_mon", world.agent, 0, 14, 23), ("x_thu", world.handler, 3, 8, 17),
                ("info_tue", world.info_desk, 1, 8, 17), ("x_fri", world.handler, 4, 8, 17)])
    a = R.ask_swap(actor=world.agent, colleague_id=world.handler.pk, shift_id=s["agent_mon"].pk,
                   their_shift_id=s["x_thu"].pk, now=FRIDAY_BEFORE)
    b = R.ask_swap(actor=world.info_desk, colleague_id=world.handler.pk, shift_id=s["info_tue"].pk,
                   their_shift_id=s["x_fri"].pk, now=FRIDAY_BEFORE)
    a = R.answer_swap(actor=world.handler, swap_id=a.pk, version=a.version, accept=True)
    b = R.answer_swap(actor=world.handler, swap_id=b.pk, version=b.version, accept=True)
    return s, a, b


def test_swap_asked_accepted_approved_changes_both_rosters_and_tells_both(world, django_capture_on_commit_callbacks):
    s, a, _b = _two_swaps(world)
    with pytest.raises(Forbidden):
        R.decide_swap(actor=world.agent, swap_id=a.pk, version=a.version, approve=True)
    with django_capture_on_commit_callbacks(execute=True):
        done = R.decide_swap(actor=world.lead, swap_id=a.pk, version=a.version, approve=True)
    assert done.status == SwapStatus.APPROVED
    assert Shift.objects.get(pk=s["agent_mon"].pk).agent_id == world.handler.pk
    assert Shift.objects.get(pk=s["x_thu"].pk).agent_id == world.agent.pk
    assert RosterEvent.objects.filter(code="shift_reassigned", params__swap=a.pk).count() == 2
    assert AuditEntry.objects.filter(target_type="shift_swap", target_id=str(a.pk)).exists()
    told = set(Notification.objects.filter(kind="shift_swap").values_list("recipient_id", flat=True))
    assert {world.agent.pk, world.handler.pk} <= told


def test_swap_needs_a_working_day_of_notice_by_the_business_calendar(world):
    s = shifts([("mon", world.agent, 0, 8, 17), ("x_wed", world.handler, 2, 8, 17)])
    saturday = timezone.make_aware(datetime(2027, 2, 27, 10, 0))
    with pytest.raises(ValidationFailed) as err:
        R.ask_swap(actor=world.agent, colleague_id=world.handler.pk, shift_id=s["mon"].pk,
                   their_shift_id=s["x_wed"].pk, now=saturday)
    assert err.value.code == "swap_notice" and err.value.params["deadline"] == "2027-02-26"
    assert "working day" in str(err.value.message) or "工作日" in str(err.value.message)
    assert not Swap.objects.exists()
    assert R.ask_swap(actor=world.agent, colleague_id=world.handler.pk, shift_id=s["mon"].pk,
                      their_shift_id=s["x_wed"].pk, now=FRIDAY_BEFORE).status == SwapStatus.ASKED


def test_swap_that_breaks_the_rest_rule_is_refused_naming_it(world):
    s = shifts([("late", world.agent, 0, 14, 23), ("x_tue", world.handler, 1, 8, 17)])
    with pytest.raises(ValidationFailed) as err:
        R.ask_swap(actor=world.agent, colleague_id=world.handler.pk, shift_id=s["late"].pk, now=FRIDAY_BEFORE)
    assert err.value.code == "rest_between_shifts" and err.value.params["rest_hours"] == 9.0
    assert err.value.params["min_rest_hours"] == 11.0


def test_only_the_colleague_answers_and_a_stale_answer_is_refused(world):
    s = shifts([("mon", world.agent, 0, 8, 17), ("x_wed", world.handler, 2, 8, 17)])
    swap = R.ask_swap(actor=world.agent, colleague_id=world.handler.pk, shift_id=s["mon"].pk, now=FRIDAY_BEFORE)
    with pytest.raises(NotFound):  # someone else's swap is not even seen
        R.answer_swap(actor=world.info_desk, swap_id=swap.pk, version=swap.version, accept=True)
    with pytest.raises(Forbidden):  # the asker cannot answer for the colleague
        R.answer_swap(actor=world.agent, swap_id=swap.pk, version=swap.version, accept=True)
    R.answer_swap(actor=world.handler, swap_id=swap.pk, version=swap.version, accept=False)
    with pytest.raises(Conflict):
        R.answer_swap(actor=world.handler, swap_id=swap.pk, version=swap.version, accept=True)
    assert Swap.objects.get(pk=swap.pk).status == SwapStatus.DECLINED
    assert {x.pk for x in Swap.objects.visible_to(world.agent_b)} == set()
    assert {x.pk for x in Swap.objects.visible_to(world.lead)} == {swap.pk}


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_that_together_break_the_rest_rule_are_serialised():
    world = build_world()
    s, a, b = _two_swaps(world)

    def approve(swap):
        try:
            return R.decide_swap(actor=world.lead, swap_id=swap.pk, version=swap.version, approve=True).status
        except ValidationFailed as exc:
            return exc.code

    results = at_once(approve, [a, b])
    assert sorted(results) == ["approved", "rest_between_shifts"]
    mon, tue = Shift.objects.get(pk=s["agent_mon"].pk), Shift.objects.get(pk=s["info_tue"].pk)
    assert not (mon.agent_id == world.handler.pk and tue.agent_id == world.handler.pk)


def test_leave_is_held_to_its_balance_and_approval_takes_the_shifts_off_the_roster(world):
    s = shifts([("mon", world.agent, 0, 8, 17), ("tue", world.agent, 1, 8, 17)])
    LeaveBalance.objects.create(user=world.agent, kind="annual", year=2027, days=3)
    first = R.ask_leave(actor=world.agent, kind="annual", first_day=WEEK, last_day=WEEK + timedelta(days=1))
    with pytest.raises(ValidationFailed) as err:
        R.ask_leave(actor=world.agent, kind="annual", first_day=WEEK + timedelta(days=9),
                    last_day=WEEK + timedelta(days=10))
    assert err.value.code == "leave_balance" and err.value.params == {"left": 1, "asked": 2}
    with pytest.raises(ValidationFailed) as err:
        R.ask_leave(actor=world.agent, kind="sick", first_day=WEEK + timedelta(days=1))
    assert err.value.code == "leave_overlaps"
    sick = R.ask_leave(actor=world.agent, kind="sick", first_day=WEEK + timedelta(days=20),
                       last_day=WEEK + timedelta(days=29))  # no entitlement to count
    assert sick.days == 10
    impact = R.coverage_impact(week=WEEK, remove=[s["mon"].pk], user=world.lead)
    assert impact and any(c["was"] > c["scheduled"] for c in impact)
    R.decide_leave(actor=world.lead, leave_id=first.pk, version=first.version, approve=True)
    assert not Shift.objects.filter(pk__in=[s["mon"].pk, s["tue"].pk]).exists()
    assert Leave.objects.get(pk=first.pk).status == "approved"
    assert AuditEntry.objects.filter(target_type="leave", target_id=str(first.pk)).exists()
    assert R.balance(world.agent, "annual", 2027)["left"] == 1


def test_swap_notice_counts_on_the_centers_own_calendar_overrides(world):
    from kefu.sla.models import BusinessCalendar, CalendarOverride

    calendar = BusinessCalendar.objects.order_by("always_open", "pk").first()
    if calendar is None:
        calendar = BusinessCalendar.objects.create(name="办公时间", hours={str(d): "09:00-18:00" for d in range(5)})
    # The center closes Friday 26 February (a company day off): the last day to ask moves back to Thursday.
    CalendarOverride.objects.create(calendar=calendar, date=date(2027, 2, 26), is_open=False, note="公司休息日")
    assert R.swap_deadline(WEEK, 1) == date(2027, 2, 25)
    s = shifts([("mon", world.agent, 0, 8, 17), ("x_wed", world.handler, 2, 8, 17)])
    with pytest.raises(ValidationFailed) as err:
        R.ask_swap(actor=world.agent, colleague_id=world.handler.pk, shift_id=s["mon"].pk,
                   their_shift_id=s["x_wed"].pk, now=FRIDAY_BEFORE)
    assert err.value.code == "swap_notice" and err.value.params["deadline"] == "2027-02-25"
    assert not Swap.objects.exists()
