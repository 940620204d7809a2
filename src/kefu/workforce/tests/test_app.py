"""The workforce app end to end: requirement, schedule run in the worker, adjustments, publishing, agent views."""

from datetime import date, timedelta

import pytest

from kefu.core.errors import Conflict, Forbidden, ValidationFailed
from kefu.workforce import erlang as E
from kefu.workforce import selectors, services
from kefu.workforce.models import (
    AgentContract,
    Requirement,
    Roster,
    RosterEvent,
    RosterStatus,
    RunStatus,
    ScheduleRun,
    Shift,
)
from kefu.workforce.tests.conftest import NOW, WEEK


def _scheduled(world, wfm):
    run = services.request_schedule(actor=world.lead, week=WEEK, setup_id=wfm["setup"].pk, now=NOW)
    return services.execute_run(run_id=run.pk, now=NOW)


def test_requirement_is_the_erlang_staffing_of_the_forecast_after_shrinkage(wfm):
    req = wfm["req"]
    assert len(req.calls) == 7 * 48 and req.calls[0] is None  # closed at night
    busy = max(range(len(req.calls)), key=lambda i: req.calls[i] or 0)
    load = req.calls[busy] * req.aht_s[busy] / 1800
    agents = int(E.staff_erlang_c([load], req.aht_s[busy], E.Target(service_level=0.8, answer_within_s=20))[0])
    assert req.required[busy] == agents
    assert req.scheduled[busy] == int(E.scheduled_agents(max(agents, -(-load // 0.85)), 0.3))


def test_planner_edits_an_interval_and_a_stale_edit_is_refused_unchanged(world, wfm):
    req = services.edit_requirement(actor=world.lead, requirement_id=wfm["req"].pk, version=wfm["req"].version,
                                    scheduled={20: 9})
    assert req.scheduled[20] == 9 and 20 in req.edited
    with pytest.raises(Conflict) as err:
        services.edit_requirement(actor=world.supervisor, requirement_id=req.pk, version=req.version - 1,
                                  scheduled={21: 7})
    assert err.value.code == "stale_version"
    assert Requirement.objects.get(pk=req.pk).scheduled[21] == req.scheduled[21]


def test_agent_cannot_edit_the_requirement(world, wfm):
    with pytest.raises(Forbidden) as err:
        services.edit_requirement(actor=world.agent, requirement_id=wfm["req"].pk, version=wfm["req"].version,
                                  scheduled={20: 1})
    assert err.value.code == "not_a_planner"
    assert Requirement.objects.get(pk=wfm["req"].pk).version == wfm["req"].version


def test_schedule_run_in_the_worker_makes_a_checked_draft_roster(world, wfm):
    run = _scheduled(world, wfm)
    assert run.status == RunStatus.DONE and run.summary["check_ok"]
    roster = Roster.objects.get(week=WEEK)
    assert roster.status == RosterStatus.DRAFT and roster.shifts.exists()
    assert {s.agent.role for s in roster.shifts.select_related("agent")} <= {"agent", "complaint_handler", "info_desk"}
    assert services.roster_check(roster)["ok"]
    assert services.execute_run(run_id=run.pk) is None  # a second worker finds it claimed


def test_second_run_for_the_week_is_refused_while_one_is_queued(world, wfm):
    services.request_schedule(actor=world.lead, week=WEEK, setup_id=wfm["setup"].pk, now=NOW)
    with pytest.raises(Conflict) as err:
        services.request_schedule(actor=world.lead, week=WEEK, setup_id=wfm["setup"].pk, now=NOW)
    assert err.value.code == "run_active"
    assert ScheduleRun.objects.count() == 1


def test_cancelled_queued_run_never_runs(world, wfm):
    run = services.request_schedule(actor=world.lead, week=WEEK, setup_id=wfm["setup"].pk, now=NOW)
    assert services.cancel_schedule(actor=world.lead, run_id=run.pk).status == RunStatus.CANCELLED
    assert services.execute_run(run_id=run.pk) is None
    assert not Roster.objects.exists()


def test_running_run_stops_when_cancel_is_requested(world, wfm):
    run = services.request_schedule(actor=world.lead, week=WEEK, setup_id=wfm["setup"].pk, now=NOW)
    ScheduleRun.objects.filter(pk=run.pk).update(cancel_requested=True)  # as cancel_schedule does while running
    done = services.execute_run(run_id=run.pk, now=NOW)
    assert done.status == RunStatus.CANCELLED and not Roster.objects.exists()


def test_published_roster_is_what_on_shift_and_the_agent_see(world, wfm, api):
    _scheduled(world, wfm)
    roster = Roster.objects.get(week=WEEK)
    shift = roster.shifts.select_related("agent").first()
    inside = shift.start + timedelta(minutes=30)
    assert selectors.on_shift(shift.agent, inside) is None  # a draft is not yet anyone's roster
    assert api.as_user(world, shift.agent).call("get", f"/workforce/my-shifts?week={WEEK}").json() == []
    services.publish_roster(actor=world.lead, roster_id=roster.pk, version=roster.version, now=NOW)
    assert selectors.on_shift(shift.agent, inside) == shift
    assert selectors.on_shift(shift.agent, shift.end) != shift
    mine = api.as_user(world, shift.agent).call("get", f"/workforce/my-shifts?week={WEEK}").json()
    assert mine and all(s["agent"] == shift.agent_id for s in mine)
    assert RosterEvent.objects.filter(roster=roster, code="published").exists()


def test_publishing_a_roster_that_breaks_a_rule_is_refused_naming_the_rule(world, wfm):
    _scheduled(world, wfm)
    roster = Roster.objects.get(week=WEEK)
    first = roster.shifts.order_by("start").first()
    AgentContract.objects.create(user=first.agent, days_per_week=1)
    with pytest.raises(ValidationFailed) as err:
        services.publish_roster(actor=world.lead, roster_id=roster.pk, version=roster.version, now=NOW)
    assert err.value.code == "roster_breaks_rules"
    assert {v["code"] for v in err.value.params["violations"]} >= {"too_many_days"}
    assert Roster.objects.get(pk=roster.pk).status == RosterStatus.DRAFT


def test_reassigning_a_shift_updates_coverage_and_refuses_a_double_shift(world, wfm):
    _scheduled(world, wfm)
    roster = Roster.objects.get(week=WEEK)
    shift = roster.shifts.order_by("start").first()
    other = roster.shifts.filter(day=shift.day).exclude(agent=shift.agent).first()
    if other is not None:
        with pytest.raises(ValidationFailed) as err:
            services.reassign_shift(actor=world.lead, roster_id=roster.pk, version=roster.version,
                                    shift_id=shift.pk, agent_id=other.agent_id)
        assert err.value.code == "already_on_shift" and err.value.field == "agent"
    before = sum(c["scheduled"] for c in selectors.coverage(selectors.roster(world.lead, WEEK), []))
    services.reassign_shift(actor=world.lead, roster_id=roster.pk, version=roster.version, shift_id=shift.pk,
                            agent_id=None, now=NOW)
    after = sum(c["scheduled"] for c in selectors.coverage(selectors.roster(world.lead, WEEK), []))
    assert after < before and not Shift.objects.filter(pk=shift.pk).exists()


def test_erlang_api_answers_figures_and_refuses_bad_fields_all_at_once(world, api):
    ok = api.as_user(world, world.agent).call("post", "/workforce/erlang", {
        "calls": 100, "interval_s": 1800, "aht_s": 180, "target_sl": 0.8, "shrinkage": 0.3})
    assert ok.status_code == 200 and ok.json()["agents"] == 14 and ok.json()["scheduled_agents"] == 20
    bad = api.call("post", "/workforce/erlang", {"calls": -1, "interval_s": 1800, "aht_s": 0, "agents": 3})
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "out_of_range"
    assert set(bad.json()["error"]["params"]["fields"]) == {"calls", "aht_s"}


def test_roster_api_is_for_planners_and_costs_fixed_queries(world, wfm, api, django_assert_max_num_queries):
    _scheduled(world, wfm)
    assert api.as_user(world, world.agent).call("get", f"/workforce/rosters/{WEEK}").status_code == 404
    api.as_user(world, world.lead)
    with django_assert_max_num_queries(8):
        got = api.call("get", f"/workforce/rosters/{WEEK}")
    assert got.status_code == 200 and got.json()["shifts"] and len(got.json()["coverage"]) == 7 * 48


def test_requirement_patch_sends_only_changed_intervals(world, wfm, api):
    api.as_user(world, world.supervisor)
    req = wfm["req"]
    got = api.call("patch", f"/workforce/requirements/{req.pk}", {"version": req.version, "scheduled": {"30": 5}})
    assert got.status_code == 200 and got.json()["scheduled"][30] == 5
    assert got.json()["scheduled"][31] == req.scheduled[31]
    stale = api.call("patch", f"/workforce/requirements/{req.pk}", {"version": req.version, "scheduled": {"30": 6}})
    assert stale.status_code == 409 and Requirement.objects.get(pk=req.pk).scheduled[30] == 5


def test_planner_page_shows_curve_run_and_roster(world, wfm, client):
    _scheduled(world, wfm)
    client.force_login(world.lead)
    page = client.get(f"/workforce/?week={WEEK}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<polyline" in html and 'data-testid="roster"' in html and 'data-testid="coverage"' in html


def test_agent_is_refused_the_planner_page_and_sees_own_week_and_ics(world, wfm, client):
    _scheduled(world, wfm)
    roster = Roster.objects.get(week=WEEK)
    services.publish_roster(actor=world.lead, roster_id=roster.pk, version=roster.version, now=NOW)
    agent = roster.shifts.first().agent
    client.force_login(agent)
    assert client.get("/workforce/").status_code == 403
    week = client.get(f"/workforce/mine/?week={WEEK}")
    assert week.status_code == 200 and roster.shifts.filter(agent=agent).first().label in week.content.decode()
    feed = client.get("/workforce/mine.ics")
    assert feed["Content-Type"].startswith("text/calendar") and b"BEGIN:VCALENDAR" in feed.content


def test_planner_page_edit_form_sets_an_interval(world, wfm, client):
    client.force_login(world.lead)
    req = wfm["req"]
    got = client.post("/workforce/do/edit/", {"week": WEEK.isoformat(), "requirement": req.pk,
                                               "version": req.version, "day": 1, "time": "10:00", "agents": 6})
    assert got.status_code == 302
    assert Requirement.objects.get(pk=req.pk).scheduled[48 + 20] == 6


def test_demo_plans_next_week_and_publishes_a_checked_roster(world):
    from kefu.workforce.demo import load_demo

    got = load_demo(now=NOW)
    roster = Roster.objects.get(week=date.fromisoformat(got["week"]))
    assert got["shifts"] > 0 and roster.status == RosterStatus.PUBLISHED
    assert services.roster_check(roster)["ok"]


def test_next_week_is_scheduled_against_the_published_week_before(world, wfm):
    _scheduled(world, wfm)
    first = Roster.objects.get(week=WEEK)
    services.publish_roster(actor=world.lead, roster_id=first.pk, version=first.version, now=NOW)
    nxt = WEEK + timedelta(days=7)
    from kefu.workforce.synthetic import Shape, generate

    history = generate(date(2026, 6, 1), 157, shape=Shape(daily_calls=120, opens=9, closes=18), seed=3)
    services.plan_requirement(actor=world.lead, queue_id=wfm["queue"].pk, week=nxt, history=history, now=NOW)
    run = services.request_schedule(actor=world.lead, week=nxt, setup_id=wfm["setup"].pk, now=NOW)
    assert services.execute_run(run_id=run.pk, now=NOW).summary["check_ok"]
    second = Roster.objects.get(week=nxt)
    shifts = list(Shift.objects.filter(roster__in=[first, second]).order_by("start"))
    for agent in {s.agent_id for s in shifts}:
        own = [s for s in shifts if s.agent_id == agent]
        for a, b in zip(own, own[1:], strict=False):
            assert (b.start - a.end).total_seconds() >= 11 * 3600
        days = sorted({s.day for s in own})
        run_len = longest = 0
        for k in range(14):
            run_len = run_len + 1 if WEEK + timedelta(days=k) in days else 0
            longest = max(longest, run_len)
        assert longest <= 6
    # A Monday shift for someone who worked the whole week before is a broken rule the check names.
    tired = max({s.agent_id for s in shifts if s.roster_id == first.pk},
                key=lambda a: sum(1 for s in shifts if s.agent_id == a and s.roster_id == first.pk))
    week_one = {s.day for s in shifts if s.agent_id == tired and s.roster_id == first.pk}
    for d in range(7):
        day = WEEK + timedelta(days=d)
        if day not in week_one:
            template = next(s for s in shifts if s.roster_id == first.pk and s.agent_id == tired)
            Shift.objects.create(roster=first, agent_id=tired, day=day, pattern=template.pattern,
                                 start=template.start + (day - template.day), end=template.end + (day - template.day),
                                 breaks=[{k: (date.fromisoformat(v[:10]) + (day - template.day)).isoformat() + v[10:]
                                          for k, v in b.items()} for b in template.breaks],
                                 unpaid_break_minutes=template.unpaid_break_minutes, skills=template.skills)
    Shift.objects.filter(roster=second, agent_id=tired).delete()
    monday = Shift.objects.filter(roster=second, day=nxt).exclude(agent_id=tired).first()
    Shift.objects.filter(pk=monday.pk).update(agent_id=tired)
    codes = {v["code"] for v in services.roster_check(Roster.objects.get(pk=second.pk))["violations"]}
    assert "too_many_days_in_a_row" in codes


def test_cli_schedules_from_the_stored_setup_and_publishes(world, wfm):
    import json
    from io import StringIO

    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="--setup"):
        call_command("schedule", "--week", WEEK.isoformat(), "--setup", "没有这个")
    with pytest.raises(CommandError, match="--requirements"):
        call_command("schedule", "--week", WEEK.isoformat())
    out = StringIO()
    call_command("schedule", "--week", WEEK.isoformat(), "--setup", wfm["setup"].name, "--publish", "--json",
                 stdout=out)
    got = json.loads(out.getvalue())
    assert got["status"] == "done" and got["check_ok"] and got["roster"] == "published" and got["shifts"]
    roster = Roster.objects.get(week=WEEK)
    assert roster.status == RosterStatus.PUBLISHED and roster.shifts.count() == len(got["shifts"])
