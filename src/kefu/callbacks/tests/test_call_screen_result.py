"""The call screen reads out the latest handling result (not the plan typed when the ticket was opened), says
where it came from, shows the whole handling history, and finds a phone when the ticket has none of its own."""

import datetime as dt
import re

from kefu.callbacks.models import CallbackTask
from kefu.callbacks.tests.conftest import MONDAY
from kefu.tickets import services

PLAN = "安排维修人员上门"


def _result_step(page: str) -> str:
    return re.search(r'<li data-step="result">(.*?)</li>', page, re.S).group(1)


def _repaired(world, *, reason: str = "", **fields):
    """A repair ticket opened with a plan, done by the crew, then resolved by the agent."""
    t = world.ticket(type="repair", title="燃气表不走字", handling=PLAN, custom={"fault": "其他"}, now=MONDAY,
                     team_id=world.team_a.pk, assignee_id=world.agent.pk, **fields)
    t = services.dispatch_ticket(actor=world.agent, ticket_id=t.pk, version=t.version, team_id=world.crew.pk,
                                 now=MONDAY)
    t = services.complete_field_work(actor=world.fieldman, ticket_id=t.pk, version=t.version, result="更换表阀",
                                     now=MONDAY + dt.timedelta(hours=1))
    return services.transition_ticket(actor=world.agent, ticket_id=t.pk, version=t.version, to="resolved",
                                      reason=reason, now=MONDAY + dt.timedelta(hours=2))


def _page(client, world, ticket) -> str:
    task = CallbackTask.objects.get(ticket=ticket)
    task.assignee = world.agent
    task.save(update_fields=["assignee"])
    client.force_login(world.agent)
    response = client.get(f"/callbacks/{task.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_script_reads_the_crews_result_not_the_plan_and_shows_the_history(world, client):
    page = _page(client, world, _repaired(world))
    step = _result_step(page)
    assert "更换表阀" in step and PLAN not in step
    assert 'data-testid="result-source"' in step and "外勤班组的处理结果" in step
    history = page[page.index('data-testid="timeline"'):]
    for code in ("created", "dispatched", "field_completed", "status_changed"):
        assert f'data-code="{code}"' in history


def test_the_latest_result_wins_resolution_note_then_complaint_findings(world, client):
    ticket = _repaired(world, reason="已修复，燃气恢复正常")
    page = _page(client, world, ticket)
    step = _result_step(page)
    assert "已修复，燃气恢复正常" in step and "更换表阀" not in step and "办结说明" in step

    complaint = world.ticket(type="complaint", title="维修员态度差", handling=PLAN, custom={"category": "服务态度"},
                             now=MONDAY, team_id=world.team_a.pk, assignee_id=world.handler.pk)
    complaint = services.transition_ticket(actor=world.handler, ticket_id=complaint.pk, version=complaint.version,
                                           to="in_progress", now=MONDAY)
    services.record_complaint_findings(actor=world.handler, ticket_id=complaint.pk, version=complaint.version,
                                       responsible_party="王师傅", content="态度生硬", result="已批评教育并道歉",
                                       now=MONDAY + dt.timedelta(hours=1))
    complaint.refresh_from_db()
    services.transition_ticket(actor=world.handler, ticket_id=complaint.pk, version=complaint.version,
                               to="resolved", now=MONDAY + dt.timedelta(hours=2))
    step = _result_step(_page(client, world, complaint))
    assert "已批评教育并道歉" in step and PLAN not in step and "投诉记录的处理结果" in step


def test_a_ticket_without_a_phone_shows_the_customers_masked_phone_at_the_top_with_an_audited_reveal(world, client):
    from kefu.audit.models import AuditEntry

    ticket = _repaired(world, contact_phone="", customer_id=world.customer.pk)
    page = _page(client, world, ticket)
    call = page[page.index('data-testid="call-phone"'):]
    call = call[:call.index("</p>")]
    assert "138****1234" in call and "13812341234" not in page and 'data-testid="no-phone"' not in call
    # The phone and the ticket come before the script, not under it.
    assert page.index('data-testid="call-ticket"') < page.index('data-testid="callback-script"')
    contact = world.customer.contacts.get(kind="mobile")
    url = f"/customers/{world.customer.pk}/contacts/{contact.pk}/reveal/"
    assert url in call
    before = AuditEntry.objects.count()
    revealed = client.post(url).content.decode()
    assert "13812341234" in revealed and AuditEntry.objects.count() == before + 1


def test_the_tickets_own_phone_comes_first_and_no_phone_at_all_is_said(world, client):
    page = _page(client, world, _repaired(world, contact_phone="13900001111", customer_id=world.customer.pk))
    call = page[page.index('data-testid="call-phone"'):]
    call = call[:call.index("</p>")]
    assert "139****1111" in call and "138****1234" not in call
    page = _page(client, world, _repaired(world, contact_phone=""))
    assert 'data-testid="no-phone"' in page


def test_after_an_outcome_the_agent_is_told_and_taken_to_the_next_call(world, client):
    first, second = _repaired(world), _repaired(world)
    _page(client, world, second)
    task = CallbackTask.objects.get(ticket=first)
    _page(client, world, first)
    task.refresh_from_db()
    r = client.post(f"/callbacks/{task.pk}/outcome/", {"version": task.version, "outcome": "accepted"}, follow=True)
    following = CallbackTask.objects.get(ticket=second)
    assert r.redirect_chain[-1][0] == f"/callbacks/{following.pk}/"
    assert f"{first.number}" in r.content.decode() and "已记录" in r.content.decode()
