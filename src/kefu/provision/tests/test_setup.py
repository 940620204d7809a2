"""Center setup as a document: export → apply round trip, all-or-nothing refusals, the API, CLI and page."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kefu.accounts.models import Team, User
from kefu.audit.models import AuditAction, AuditEntry
from kefu.callbacks.models import CallbackRule
from kefu.core.errors import Forbidden, ValidationFailed
from kefu.provision.document import parse_text, render
from kefu.provision.problems import setup_problems
from kefu.provision.services import apply_setup, export_setup
from kefu.sla.models import BusinessCalendar, EscalationRung, SlaPolicy
from kefu.tickets.models import TicketField, TicketType

pytestmark = pytest.mark.django_db

GAS = {
    "departments": [{"name": "燃气客服中心", "kind": "service"}],
    "teams": [{"department": "燃气客服中心", "name": "投诉处理席", "members": ["handler"]}],
    "calendars": [{"name": "燃气营业时间", "time_zone": "Asia/Shanghai", "cn_holidays": True,
                   "hours": {"0": "08:30-12:00,13:00-17:30", "5": "09:00-12:00"},
                   "overrides": [{"date": "2027-01-02", "is_open": False, "note": "公司年会"}]}],
    "ticket_types": [{"code": "meter_check", "name": "表具检测", "name_en": "Meter check", "position": 30,
                      "fields": [{"key": "meter_no", "label": "表号", "label_en": "Meter number", "required": True},
                                 {"key": "reading", "label": "读数", "label_en": "Reading", "kind": "number"}]}],
    "sla_policies": [{"name": "表具检测", "position": 5, "calendar": "燃气营业时间", "ticket_type": "meter_check",
                      "first_response": "2h", "resolution": "2wd", "pause_statuses": ["waiting_customer"],
                      "rungs": [{"action": "reassign", "team": "燃气客服中心/投诉处理席"},
                                {"action": "notify_role", "role": "supervisor", "delay_minutes": 60, "sms": True}]}],
    "callback_rules": [{"ticket_type": "meter_check", "enabled": True, "due": "1wd", "position": 5}],
}


def test_apply_creates_every_section_and_audits_each_object(world):
    plan = apply_setup(actor=world.admin, document=GAS)

    assert plan.applied
    assert {name: c["created"] for name, c in plan.counts.items()} == {
        "departments": 1, "teams": 1, "calendars": 1, "ticket_types": 1, "sla_policies": 1, "callback_rules": 1}
    team = Team.objects.get(name="投诉处理席", department__name="燃气客服中心")
    assert User.objects.get(username=world.handler.username).team == team
    calendar = BusinessCalendar.objects.get(name="燃气营业时间")
    assert calendar.hours == {"0": "08:30-12:00,13:00-17:30", "5": "09:00-12:00"}
    assert [(o.date.isoformat(), o.is_open) for o in calendar.overrides.all()] == [("2027-01-02", False)]
    policy = SlaPolicy.objects.get(name="表具检测")
    assert (policy.calendar, policy.ticket_type.code, policy.resolution) == (calendar, "meter_check", "2wd")
    assert list(policy.rungs.values_list("position", "action", "team_id", "role", "delay_minutes", "sms")) == [
        (0, "reassign", team.pk, "", 0, False), (1, "notify_role", None, "supervisor", 60, True)]
    assert list(TicketField.objects.filter(ticket_type__code="meter_check").values_list("key", "required")) == [
        ("meter_no", True), ("reading", False)]
    assert CallbackRule.objects.filter(ticket_type__code="meter_check", due="1wd").count() == 1
    audited = AuditEntry.objects.filter(action=AuditAction.CONFIG_CHANGED, params__via="setup")
    assert audited.count() == 6


def test_applying_the_same_document_twice_changes_nothing(world):
    apply_setup(actor=world.admin, document=GAS)
    entries = AuditEntry.objects.count()

    plan = apply_setup(actor=world.admin, document=GAS)

    assert plan.changes == []
    assert all(c["created"] == c["changed"] == 0 for c in plan.counts.values())
    assert AuditEntry.objects.count() == entries


def test_export_applies_back_unchanged_through_yaml(world):
    apply_setup(actor=world.admin, document=GAS)
    text = render(export_setup(actor=world.admin), "yaml")

    plan = apply_setup(actor=world.admin, document=parse_text(text))

    assert plan.changes == []
    assert "燃气客服中心/投诉处理席" in text  # teams are named as people write them, not by id


def test_a_change_names_the_changed_fields_and_replaces_a_listed_child_list(world):
    apply_setup(actor=world.admin, document=GAS)
    changed = {"sla_policies": [{"name": "表具检测", "resolution": "3wd",
                                 "rungs": [{"action": "notify_team_lead"}]}]}

    plan = apply_setup(actor=world.admin, document=changed)

    assert plan.changes == [{"section": "sla_policies", "key": "表具检测", "op": "change",
                             "fields": ["resolution", "rungs"]}]
    policy = SlaPolicy.objects.get(name="表具检测")
    assert policy.calendar.name == "燃气营业时间"  # left out: kept
    assert list(policy.rungs.values_list("action", flat=True)) == ["notify_team_lead"]


def test_every_problem_is_reported_at_once_and_nothing_is_written(world):
    bad = {
        "departments": [{"name": "新部门", "kind": "space"}],
        "calendars": [{"name": "坏日历", "hours": {"0": "9-17", "8": ""}, "time_zone": "Mars/Base"}],
        "sla_policies": [{"name": "坏策略", "calendar": "没有这个日历", "resolution": "3 days",
                          "rungs": [{"action": "reassign"}, {"action": "fly"}]}],
        "ticket_types": [{"code": "x", "name": "X", "name_en": "X", "transitions": {"new": ["gone"]},
                          "colour": "red"}],
    }
    counts = (BusinessCalendar.objects.count(), SlaPolicy.objects.count(), TicketType.objects.count(),
              AuditEntry.objects.count())

    with pytest.raises(ValidationFailed) as caught:
        apply_setup(actor=world.admin, document=bad)

    exc = caught.value
    assert (exc.status, exc.code) == (422, "invalid_setup")
    fields = {e["field"]: e["code"] for e in exc.params["errors"]}
    assert fields == {
        "departments[0].kind": "invalid",
        "calendars[0].time_zone": "invalid_time_zone",
        "calendars[0].hours.0": "invalid_hours",
        "calendars[0].hours.8": "invalid_choice",
        "ticket_types[0].colour": "unknown_field",
        "ticket_types[0].transitions": "invalid_choice",
        "sla_policies[0].calendar": "unknown_calendar",
        "sla_policies[0].resolution": "invalid_target",
    }
    assert counts == (BusinessCalendar.objects.count(), SlaPolicy.objects.count(), TicketType.objects.count(),
                      AuditEntry.objects.count())


def test_a_ladder_step_that_names_nothing_it_can_act_on_is_refused(world):
    doc = {"sla_policies": [{"name": "无队列", "calendar": BusinessCalendar.objects.first().name,
                             "rungs": [{"action": "reassign"}, {"action": "notify_role"},
                                       {"action": "fly"}, {"action": "reassign", "team": "客服部/三班"}]}]}

    with pytest.raises(ValidationFailed) as caught:
        apply_setup(actor=world.admin, document=doc)

    assert {e["field"]: e["code"] for e in caught.value.params["errors"]} == {
        "sla_policies[0].rungs[1].role": "required",
        "sla_policies[0].rungs[2].action": "invalid_choice", "sla_policies[0].rungs[3].team": "unknown_team"}
    assert not SlaPolicy.objects.filter(name="无队列").exists()


def test_dry_run_answers_the_plan_and_writes_nothing(world):
    plan = apply_setup(actor=world.admin, document=GAS, dry_run=True)

    assert not plan.applied
    assert plan.counts["sla_policies"]["created"] == 1
    assert not SlaPolicy.objects.filter(name="表具检测").exists()
    assert not AuditEntry.objects.filter(params__via="setup").exists()


def test_only_an_administrator_sets_up_the_center(world):
    with pytest.raises(Forbidden) as caught:
        apply_setup(actor=world.lead, document=GAS)
    assert (caught.value.status, caught.value.code) == (403, "not_admin")
    with pytest.raises(Forbidden):
        export_setup(actor=world.agent)


def test_problems_list_steps_that_reach_nobody(world):
    calendar = BusinessCalendar.objects.first()
    policy = SlaPolicy.objects.create(name="测试阶梯", calendar=calendar, position=1)
    EscalationRung.objects.create(policy=policy, position=0, action="reassign", team=None)
    EscalationRung.objects.create(policy=policy, position=1, action="notify_role", role="director")
    User.objects.filter(role="director").update(is_active=False)

    codes = {(p["code"], p["object"]) for p in setup_problems()}

    assert ("rung_without_team", "sla_policies/测试阶梯/rungs[0]") in codes
    assert ("rung_role_empty", "sla_policies/测试阶梯/rungs[1]") in codes


def test_api_plan_apply_export_and_refusal(world, api):
    api.as_user(world, world.admin)
    planned = api.call("post", "/setup/plan", GAS)
    assert planned.status_code == 200, planned.content
    assert planned.json()["applied"] is False
    assert not SlaPolicy.objects.filter(name="表具检测").exists()

    applied = api.call("put", "/setup", GAS)
    assert applied.status_code == 200
    assert applied.json()["counts"]["ticket_types"]["created"] == 1
    exported = api.call("get", "/setup").json()
    assert "表具检测" in [p["name"] for p in exported["sla_policies"]]

    bad = api.call("put", "/setup", {"sla_policies": [{"name": "表具检测", "resolution": "soon"}]})
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "invalid_setup"
    assert bad.json()["error"]["field"] == "sla_policies[0].resolution"
    assert SlaPolicy.objects.get(name="表具检测").resolution == "2wd"

    api.as_user(world, world.agent)
    assert api.call("put", "/setup", GAS).status_code == 403
    assert api.call("get", "/setup/problems").status_code == 403


def test_cli_plan_apply_and_export(world, tmp_path):
    path = tmp_path / "center.yaml"
    path.write_text(render(GAS, "yaml"), encoding="utf-8")
    out = StringIO()
    call_command("center", "plan", str(path), stdout=out)
    assert json.loads(out.getvalue())["applied"] is False
    assert not TicketType.objects.filter(code="meter_check").exists()

    call_command("center", "apply", str(path), stdout=StringIO())
    assert TicketType.objects.filter(code="meter_check").exists()
    exported = StringIO()
    call_command("center", "export", stdout=exported)
    assert "meter_check" in exported.getvalue()

    path.write_text("teams: [{department: 无, name: 一班}]", encoding="utf-8")
    with pytest.raises(CommandError, match=r"invalid_setup \[teams\[0\]\.department\]"):
        call_command("center", "apply", str(path), stdout=StringIO())
    path.write_text("teams: [unclosed", encoding="utf-8")
    with pytest.raises(CommandError, match="malformed_document"):
        call_command("center", "apply", str(path), stdout=StringIO())


def test_setup_page_plans_and_applies_and_shows_errors(world, client):
    client.force_login(world.admin)
    page = client.get("/setup/")
    assert page.status_code == 200
    assert "setup-problems" in page.content.decode()

    planned = client.post("/setup/", {"text": render(GAS, "yaml"), "apply": "0"})
    assert planned.status_code == 200
    assert "setup-plan" in planned.content.decode()
    assert not TicketType.objects.filter(code="meter_check").exists()

    client.post("/setup/", {"text": render(GAS, "yaml"), "apply": "1"})
    assert TicketType.objects.filter(code="meter_check").exists()

    refused = client.post("/setup/", {"text": "sla_policies: [{name: x, calendar: nowhere}]", "apply": "1"})
    assert refused.status_code == 422
    assert "sla_policies[0].calendar" in refused.content.decode()
    assert not SlaPolicy.objects.filter(name="x").exists()

    client.force_login(world.agent)
    assert client.get("/setup/").status_code == 403


def test_ticket_types_api_lists_transitions_and_requirements(world, api):
    complaint = TicketType.objects.filter(is_complaint=True).first()
    TicketField.objects.create(ticket_type=complaint, key="shop", label="门店", label_en="Shop", required=True)
    types = {t["code"]: t for t in api.as_user(world, world.agent).call("get", "/tickets/types").json()}

    got = types[complaint.code]
    assert got["transitions"]["resolved"] == complaint.allowed_next("resolved")
    assert "closed" not in got["transitions"]["resolved"]  # a complaint passes through the callback
    required = [f"custom.{f.key}" for f in complaint.fields.filter(required=True).order_by("position", "id")]
    assert "custom.shop" in required
    assert got["requires"]["new"] == ["title", *required]
    assert got["requires"]["assigned"] == ["assignee"]
    assert set(got["requires"]["closed"]) >= {"responsible_party", "content", "result", "customer_acceptance"}
    inquiry = next(t for t in types.values() if not t["is_complaint"])
    assert "closed" not in inquiry["requires"]
