"""Attendance against the published roster: punches, presence states, grace minutes, corrections, the sheet."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from kefu.attendance import rules, selectors, services
from kefu.attendance.models import Correction, Leave, LeaveStatus, Policy
from kefu.audit.models import AuditEntry
from kefu.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from kefu.presence.models import PresenceSpan
from kefu.workforce.models import Roster, RosterStatus, Shift

MONDAY = date(2026, 11, 2)
AFTER = timezone.make_aware(datetime(2026, 11, 30, 12, 0))


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(hours=hour, minutes=minute)


def roster(week: date, shifts: list[tuple]) -> Roster:
    """A published roster: (agent, day offset, start hour, end hour) per shift (end beyond 24 = next day)."""
    r = Roster.objects.create(week=week, status=RosterStatus.PUBLISHED)
    for agent, d, start, end in shifts:
        day = week + timedelta(days=d)
        Shift.objects.create(roster=r, agent=agent, day=day, pattern="早班" if start < 12 else "夜班",
                             start=at(day, start), end=at(day, end))
    return r


def test_verdict_by_grace_minutes():
    s, e = at(MONDAY, 8), at(MONDAY, 17)
    assert rules.verdict(start=s, end=e, clock_in=at(MONDAY, 8, 5), clock_out=e).status == "present"
    late = rules.verdict(start=s, end=e, clock_in=at(MONDAY, 8, 6), clock_out=at(MONDAY, 16, 50))
    assert (late.status, late.late_minutes, late.early_minutes) == ("late_early", 6, 10)
    assert rules.verdict(start=s, end=e, clock_in=None, clock_out=None).status == "absent"
    assert rules.verdict(start=s, end=e, clock_in=None, clock_out=None, leave="sick").status == "leave"
    over = rules.verdict(start=s, end=e, clock_in=s, clock_out=at(MONDAY, 18, 0))
    assert over.overtime_minutes == 60 and over.status == "present"
    going = rules.verdict(start=s, end=e, clock_in=s, clock_out=None, now=at(MONDAY, 12))
    assert going.status == "present" and going.early_minutes == 0
    assert rules.verdict(start=s, end=e, clock_in=None, clock_out=None, now=at(MONDAY, 7)).status == "upcoming"


def test_day_rows_read_punches_presence_and_leave(world):
    roster(MONDAY, [(world.agent, 0, 8, 17), (world.agent, 1, 8, 17), (world.agent, 2, 8, 17),
                    (world.agent, 3, 22, 31), (world.agent, 4, 8, 17)])
    services.clock(actor=world.agent, kind="in", now=at(MONDAY, 7, 55))
    services.clock(actor=world.agent, kind="out", now=at(MONDAY, 17, 2))
    # Tuesday from the presence states only: on at 08:20 (late), off at 16:00 (early).
    PresenceSpan.objects.create(user=world.agent, state="available", started_at=at(MONDAY + timedelta(days=1), 8, 20),
                                ended_at=at(MONDAY + timedelta(days=1), 12))
    PresenceSpan.objects.create(user=world.agent, state="break", started_at=at(MONDAY + timedelta(days=1), 12),
                                ended_at=at(MONDAY + timedelta(days=1), 13))
    PresenceSpan.objects.create(user=world.agent, state="available", started_at=at(MONDAY + timedelta(days=1), 13),
                                ended_at=at(MONDAY + timedelta(days=1), 16))
    PresenceSpan.objects.create(user=world.agent, state="offline", started_at=at(MONDAY + timedelta(days=1), 16),
                                ended_at=at(MONDAY + timedelta(days=2), 7))
    # Thursday night shift 22:00–07:00 worked in full with an hour's overtime.
    thursday = MONDAY + timedelta(days=3)
    PresenceSpan.objects.create(user=world.agent, state="available", started_at=at(thursday, 21, 58),
                                ended_at=at(thursday, 32))
    Leave.objects.create(user=world.agent, kind="sick", first_day=MONDAY + timedelta(days=4),
                         last_day=MONDAY + timedelta(days=4), days=1, status=LeaveStatus.APPROVED, created_at=AFTER)
    rows = selectors.day_rows([world.agent], MONDAY, MONDAY + timedelta(days=6), now=AFTER)
    got = [(r["verdict"].status, r["verdict"].late_minutes, r["verdict"].early_minutes) for r in rows]
    assert got == [("present", 0, 0), ("late_early", 20, 60), ("absent", 0, 0), ("present", 0, 0), ("leave", 0, 0)]
    assert rows[3]["night"] and rows[3]["verdict"].overtime_minutes == 60
    sheet = selectors.monthly_sheet([world.agent], MONDAY, now=AFTER)[0]
    assert (sheet["attended"], sheet["late"], sheet["early"], sheet["absent"], sheet["nights"]) == (3, 1, 1, 1, 1)
    assert sheet["leave"]["sick"] == 1 and sheet["overtime_hours"] == 1.0


def test_grace_minutes_are_the_centers(world):
    roster(MONDAY, [(world.agent, 0, 8, 17)])
    services.clock(actor=world.agent, kind="in", now=at(MONDAY, 8, 8))
    services.clock(actor=world.agent, kind="out", now=at(MONDAY, 17))
    assert selectors.day_rows([world.agent], MONDAY, MONDAY, now=AFTER)[0]["verdict"].late_minutes == 8
    Policy.objects.update_or_create(pk=services.policy().pk, defaults={"late_grace_minutes": 10})
    assert selectors.day_rows([world.agent], MONDAY, MONDAY, now=AFTER)[0]["verdict"].status == "present"


def test_correction_approved_by_the_team_lead_changes_the_day_and_is_audited(world):
    roster(MONDAY, [(world.agent, 0, 8, 17)])
    assert selectors.day_rows([world.agent], MONDAY, MONDAY, now=AFTER)[0]["verdict"].status == "absent"
    with pytest.raises(ValidationFailed) as err:
        services.request_correction(actor=world.agent, day=None, kind="sideways", at=None, reason="", now=AFTER)
    assert err.value.params["fields"] == ["day", "kind", "at", "reason"]
    c_in = services.request_correction(actor=world.agent, day=MONDAY, kind="in", at=at(MONDAY, 7, 58),
                                       reason="门禁故障，忘记打卡", now=AFTER)
    c_out = services.request_correction(actor=world.agent, day=MONDAY, kind="out", at=at(MONDAY, 17, 5),
                                        reason="门禁故障", now=AFTER)
    with pytest.raises(Conflict):
        services.request_correction(actor=world.agent, day=MONDAY, kind="in", at=at(MONDAY, 8), reason="x", now=AFTER)
    with pytest.raises(NotFound):  # another team's lead does not even see it
        services.decide_correction(actor=_other_lead(world), correction_id=c_in.pk, version=c_in.version,
                                   approve=True)
    with pytest.raises(Forbidden):
        services.decide_correction(actor=world.agent, correction_id=c_in.pk, version=c_in.version, approve=True)
    services.decide_correction(actor=world.lead, correction_id=c_in.pk, version=c_in.version, approve=True)
    with pytest.raises(Conflict):  # decided already: a second decision on the old version is stale
        services.decide_correction(actor=world.supervisor, correction_id=c_in.pk, version=c_in.version,
                                   approve=False)
    services.decide_correction(actor=world.lead, correction_id=c_out.pk, version=c_out.version, approve=True)
    row = selectors.day_rows([world.agent], MONDAY, MONDAY, now=AFTER)[0]
    assert row["verdict"].status == "present" and row["corrected"]
    audit = AuditEntry.objects.filter(target_type="attendance_correction")
    assert audit.count() == 2 and {a.actor_id for a in audit} == {world.lead.pk}


def _other_lead(world):
    from kefu.accounts.roles import Role
    from kefu.accounts.services import create_user

    return create_user(actor=None, username="lead_b", password="kefu-Test-2026", role=Role.TEAM_LEAD,
                       team=world.team_b, agent_no="2000", display_name="lead_b")


def test_agents_see_their_own_leads_their_team(world):
    services.request_correction(actor=world.agent, day=MONDAY, kind="in", at=at(MONDAY, 8), reason="a", now=AFTER)
    services.request_correction(actor=world.agent_b, day=MONDAY, kind="in", at=at(MONDAY, 8), reason="b", now=AFTER)
    assert {c.user_id for c in Correction.objects.visible_to(world.agent)} == {world.agent.pk}
    assert {c.user_id for c in Correction.objects.visible_to(world.lead)} == {world.agent.pk}
    assert {c.user_id for c in Correction.objects.visible_to(world.supervisor)} == {world.agent.pk, world.agent_b.pk}
    assert world.agent_b.pk not in {u.pk for u in selectors.people(world.lead)}
    assert list(selectors.people(world.agent)) == [world.agent]


def test_pages_and_excel_export(world, client):
    roster(MONDAY, [(world.agent, 0, 8, 17)])
    client.force_login(world.agent)
    assert client.post("/attendance/do/clock_in/", {"month": "2026-11"}).status_code == 302
    assert client.get("/attendance/?month=2026-11").status_code == 200
    assert client.get("/attendance/team/").status_code == 403
    bad = client.post("/attendance/do/correction/", {"month": "2026-11", "day": "2026-11-02", "kind": "in",
                                                     "at": "", "reason": ""})
    assert bad.status_code == 422
    client.force_login(world.lead)
    page = client.get("/attendance/team/?month=2026-11").content.decode()
    assert 'data-testid="sheet"' in page and str(world.agent) in page and str(world.agent_b) not in page
    xlsx = client.get("/attendance/team.xlsx?month=2026-11")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    from io import BytesIO

    from openpyxl import load_workbook

    rows = list(load_workbook(BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == str(world.agent) and rows[1][2] == 1
    assert AuditEntry.objects.filter(target_type="attendance_sheet", action="export").exists()


def test_adherence_of_a_day_and_the_live_board(world, client):
    from kefu.attendance import adherence
    from kefu.presence.models import AgentPresence

    r = roster(MONDAY, [(world.agent, 0, 8, 17)])
    shift = r.shifts.get()
    shift.breaks = [{"start": f"{MONDAY}T12:00", "end": f"{MONDAY}T13:00"}]
    shift.save()
    spans = [("available", at(MONDAY, 8), at(MONDAY, 12, 14)),  # 14 minutes into the lunch break still working
             ("break", at(MONDAY, 12, 14), at(MONDAY, 13, 30)),  # 30 minutes back late
             ("busy", at(MONDAY, 13, 30), at(MONDAY, 17))]
    got = adherence.day_adherence(shift, spans, now=AFTER)
    assert got["scheduled_minutes"] == 540
    assert got["adherence"] == round((540 - 14 - 30) / 540, 3)
    assert got["conformance"] == round((480 - 30) / 480, 3)
    AgentPresence.objects.update_or_create(user=world.agent, defaults={"state": "break",
                                                                       "state_since": at(MONDAY, 9, 46)})
    board = adherence.live_board([world.agent], now=at(MONDAY, 10))
    assert board[0]["planned"] == "work" and board[0]["state"] == "break" and board[0]["minutes"] == 14
    assert not board[0]["ok"]
    assert adherence.live_board([world.agent], now=at(MONDAY, 12, 30))[0]["ok"]
    client.force_login(world.lead)
    assert client.get("/attendance/board/").status_code == 200
    client.force_login(world.agent)
    assert client.get("/attendance/board/").status_code == 403


def test_excel_export_keeps_a_formula_like_name_as_text(world, client):
    from io import BytesIO

    from openpyxl import load_workbook

    world.agent.first_name, world.agent.last_name = "", ""
    world.agent.display_name = '=HYPERLINK("http://evil","点我")'
    world.agent.save()
    roster(MONDAY, [(world.agent, 0, 8, 17)])
    client.force_login(world.lead)
    xlsx = client.get("/attendance/team.xlsx?month=2026-11")
    cell = load_workbook(BytesIO(xlsx.content)).active.cell(row=2, column=1)
    assert cell.data_type == "s" and str(cell.value).startswith("'=HYPERLINK")
