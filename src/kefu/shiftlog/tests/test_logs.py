"""Duty log and work log: prefilled from the records, edited, signed off or submitted, visible to the right people."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from kefu.core.errors import Conflict, Forbidden, ValidationFailed
from kefu.shiftlog import logs
from kefu.shiftlog.models import DutyLog, WorkLog
from kefu.workforce.models import Roster, RosterStatus, Shift

DAY = date(2026, 11, 2)


def _rostered(*agents):
    roster = Roster.objects.create(week=DAY, status=RosterStatus.PUBLISHED)
    start = timezone.make_aware(datetime.combine(DAY, datetime.min.time())) + timedelta(hours=8)
    for a in agents:
        Shift.objects.create(roster=roster, agent=a, day=DAY, pattern="早班", start=start,
                             end=start + timedelta(hours=9))


def test_duty_log_prefilled_edited_signed_and_searchable(world):
    _rostered(world.agent, world.handler)
    with pytest.raises(Forbidden):
        logs.open_duty_log(actor=world.agent, day=DAY, shift="早班")
    log = logs.open_duty_log(actor=world.lead, day=DAY, shift="早班")
    assert "2" in log.staffing and world.agent.username in log.staffing  # rostered 2, both absent
    assert logs.open_duty_log(actor=world.lead, day=DAY, shift="早班").pk == log.pk
    log = logs.edit_duty_log(actor=world.lead, log_id=log.pk, version=log.version,
                             changes={"incidents": "10:15 计费系统宕机 20 分钟"}, sign=True)
    assert log.signed_at is not None
    with pytest.raises(Conflict):
        logs.edit_duty_log(actor=world.lead, log_id=log.pk, version=log.version, changes={"notes": "x"})
    with pytest.raises(ValidationFailed):
        logs.open_duty_log(actor=world.lead, day=None, shift="")
    assert [d.pk for d in logs.search_duty_logs(world.lead, "宕机")] == [log.pk]
    assert logs.search_duty_logs(world.lead, "停电") == []
    assert logs.search_duty_logs(world.supervisor, "宕机")[0].pk == log.pk
    assert list(DutyLog.objects.visible_to(world.agent)) == []


def test_work_log_submitted_and_the_lead_sees_who_has_not(world, client):
    _rostered(world.agent, world.handler)
    log = logs.open_work_log(actor=world.agent, day=DAY)
    assert "0" in log.contacts  # calls, chats and tickets of the day counted
    with pytest.raises(ValidationFailed) as err:
        logs.edit_work_log(actor=world.agent, log_id=log.pk, version=log.version, contacts=log.contacts,
                           problems="", submit=True)
    assert err.value.field == "problems"
    logs.edit_work_log(actor=world.agent, log_id=log.pk, version=log.version, contacts=log.contacts,
                       problems="客户咨询阶梯气价，已按政策解释", submit=True)
    assert [u.pk for u in logs.missing_work_logs(world.lead, DAY)] == [world.handler.pk]
    assert list(WorkLog.objects.visible_to(world.handler)) == []
    assert WorkLog.objects.visible_to(world.lead).count() == 1
    client.force_login(world.lead)
    assert 'data-testid="missing"' in client.get("/shift/logs/").content.decode()
    client.force_login(world.agent)
    assert client.post("/shift/logs/do/open_work/").status_code == 302
    assert client.post("/shift/logs/do/open_duty/", {"day": str(DAY), "shift": "早班"}).status_code == 403
