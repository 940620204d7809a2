"""Enterprise customers: grading drives the tier (and so the SLA), the green channel routes faults to the second
line, the account manager hears of every ticket, assurance hours are reported, inspection findings are tickets."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from kefu.core.errors import Forbidden, ValidationFailed
from kefu.enterprise import services
from kefu.enterprise.models import EnterpriseProfile

TZ = ZoneInfo("Asia/Shanghai")


def at(month, day, hour=9):
    return datetime(2026, month, day, hour, tzinfo=TZ)


@pytest.fixture
def enterprise(world):
    from kefu.packs.services import set_pack_enabled

    set_pack_enabled(actor=None, code="enterprise", enabled=True)
    services.set_green_channel(actor=None, second_line_team_id=world.team_b.pk, fault_types=["repair", "emergency"])
    return services.set_profile(actor=world.account_manager, customer_id=world.customer.pk,
                                data=services.ProfileInput(category="industry", attribute="integrated", scale="a",
                                                           green_channel=True,
                                                           account_manager_id=world.account_manager.pk))


def test_grading_sets_the_tier_that_picks_the_green_channel_sla(world, enterprise):
    world.customer.refresh_from_db()
    assert (world.customer.tier, world.customer.star_level) == ("group", 5)
    ticket = world.ticket(customer_id=world.customer.pk)
    from kefu.sla.models import SlaPolicy, TicketClock

    assert {c.policy_id for c in TicketClock.objects.filter(ticket=ticket)} == {
        SlaPolicy.objects.get(tier="group").pk}


def test_a_green_channel_fault_goes_straight_to_the_second_line(world, enterprise,
                                                                django_capture_on_commit_callbacks):
    from kefu.tickets.models import Ticket

    with django_capture_on_commit_callbacks(execute=True):
        fault = world.ticket(type="repair", customer_id=world.customer.pk, custom={"fault": "漏气/漏水"})
        inquiry = world.ticket(customer_id=world.customer.pk)
    assert Ticket.objects.get(pk=fault.pk).team_id == world.team_b.pk
    assert Ticket.objects.get(pk=inquiry.pk).team_id == world.team_a.pk


def test_the_account_manager_is_told_of_every_new_ticket(world, enterprise, django_capture_on_commit_callbacks):
    from kefu.notify.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        ticket = world.ticket(customer_id=world.customer.pk)
    note = Notification.objects.get(recipient=world.account_manager, kind="account_ticket")
    assert note.ticket_id == ticket.pk and note.channel == "in_app"


def test_nothing_happens_while_the_pack_is_off(world, enterprise, django_capture_on_commit_callbacks):
    from kefu.notify.models import Notification
    from kefu.packs.services import set_pack_enabled

    set_pack_enabled(actor=None, code="enterprise", enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        world.ticket(type="repair", customer_id=world.customer.pk, custom={"fault": "其他"})
    assert not Notification.objects.filter(kind="account_ticket").exists()


def test_an_agent_cannot_grade_customers_and_nothing_changes(world, enterprise, api):
    api.as_user(world, world.agent)
    response = api.put(f"/enterprise/customers/{world.customer.pk}",
                       {"category": "business", "attribute": "single", "scale": "d"})
    assert response.status_code == 403 and response.json()["error"]["code"] == "not_manager"
    assert EnterpriseProfile.objects.get().scale == "a"


def test_a_bad_scale_is_refused_naming_the_field(world, enterprise, api):
    api.as_user(world, world.account_manager)
    response = api.put(f"/enterprise/customers/{world.customer.pk}",
                       {"category": "business", "attribute": "single", "scale": "z"})
    assert response.status_code == 422
    assert (response.json()["error"]["code"], response.json()["error"]["field"]) == ("invalid_choice", "scale")


def test_assurance_roster_hours_and_report(world, enterprise, api):
    period = services.create_assurance(actor=world.account_manager, customer_id=world.customer.pk,
                                       title="峰会保障", starts_at=at(11, 10, 8), ends_at=at(11, 10, 20))
    services.add_duty(actor=world.lead, period_id=period.pk, user_id=world.fieldman.pk, starts_at=at(11, 10, 8),
                      ends_at=at(11, 10, 20))
    services.log_hours(actor=world.fieldman, period_id=period.pk, day=date(2026, 11, 10), minutes=600)
    with pytest.raises(Forbidden):
        services.log_hours(actor=world.agent, period_id=period.pk, day=date(2026, 11, 10), minutes=60)
    with pytest.raises(ValidationFailed) as info:
        services.add_duty(actor=world.lead, period_id=period.pk, user_id=world.agent.pk, starts_at=at(11, 10, 7),
                          ends_at=at(11, 10, 9))
    assert info.value.code == "outside_period"
    api.as_user(world, world.lead)
    report = api.get("/enterprise/assurances/report?start=2026-01-01T00:00:00%2B08:00"
                     "&end=2027-01-01T00:00:00%2B08:00").json()
    assert (report["periods"], report["hours"], report["rows"][0]["on_duty"]) == (1, 10.0, 1)
    assert report["people"] == [{"name": "fieldman", "hours": 10.0}]


def test_failed_inspection_items_become_tickets_and_the_plan_moves_on(world, enterprise):
    from kefu.tickets.models import Ticket

    plan = services.create_plan(actor=world.account_manager, customer_id=world.customer.pk, title="季度巡检",
                                every_months=3, first_due_on=date(2026, 11, 30),
                                checklist=["调压箱", "报警器"], inspector_id=world.fieldman.pk)
    with pytest.raises(ValidationFailed) as info:
        services.record_inspection(actor=world.fieldman, plan_id=plan.pk, results=[{"item": "调压箱", "ok": True}])
    assert info.value.params == {"missing": ["报警器"]}
    inspection = services.record_inspection(actor=None, plan_id=plan.pk, now=at(11, 30), results=[
        {"item": "调压箱", "ok": True}, {"item": "报警器", "ok": False, "note": "电池失效"}])
    failed = inspection.results[1]
    ticket = Ticket.objects.get(pk=failed["ticket_id"])
    assert ticket.customer_id == world.customer.pk and "报警器" in ticket.title
    assert inspection.results[0]["ticket_id"] is None
    plan.refresh_from_db()
    assert plan.next_due_on == date(2027, 2, 28)


def test_the_page_and_the_customer_panel(world, enterprise, client):
    client.force_login(world.account_manager)
    assert b"enterprise-customers" in client.get("/enterprise/").content
    client.force_login(world.supervisor)
    assert b"enterprise-panel" in client.get(f"/customers/{world.customer.pk}/").content
    client.force_login(world.agent)
    assert client.get("/enterprise/").status_code == 403
