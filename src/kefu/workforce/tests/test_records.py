"""Forecasts from the records kefu stores, events that move them, targets other than the service level,
and backtests run in the worker."""

from datetime import date, datetime, timedelta

import numpy as np
import pytest
from django.utils import timezone

from kefu.audit.models import AuditEntry
from kefu.core.errors import Conflict, ValidationFailed
from kefu.cti.models import Call
from kefu.workforce import erlang as E
from kefu.workforce import services
from kefu.workforce.models import BacktestRun, Requirement, RunStatus, StaffingQueue
from kefu.workforce.sources import stored_history
from kefu.workforce.tests.conftest import NOW, WEEK

HISTORY_DAYS = 8 * 7


def _calls(agent, *, first: date, days: int, per_hour: dict[int, int], queue="hotline", extra=None):
    """Calls answered after 10 s and talked 300 s, `per_hour[h]` of them in each hour h of each day."""
    rows, n = [], 0
    for d in range(days):
        day = first + timedelta(days=d)
        factor = (extra or {}).get(day, 1)
        for hour, count in per_hour.items():
            for k in range(count * factor):
                rang = timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(
                    hours=hour, seconds=k * 3600 // (count * factor))
                n += 1
                rows.append(Call(call_id=f"{queue}-{day}-{n}", agent=agent, caller="13800000000", rang_at=rang,
                                 queue=queue,
                                 state="ended", answered_at=rang + timedelta(seconds=10),
                                 ended_at=rang + timedelta(seconds=310)))
    Call.objects.bulk_create(rows, batch_size=2000)


@pytest.fixture
def recorded(world, wfm):
    queue = wfm["queue"]
    queue = services.update_queue(actor=world.lead, queue_id=queue.pk, version=queue.version,
                                  changes={"source": "calls", "source_filter": "hotline"})
    _calls(world.agent, first=WEEK - timedelta(days=HISTORY_DAYS), days=HISTORY_DAYS, per_hour={9: 20, 10: 30, 14: 10})
    _calls(world.agent, first=WEEK - timedelta(days=HISTORY_DAYS), days=HISTORY_DAYS, per_hour={11: 50},
           queue="other")  # another CTI queue: not this staffing queue's volume
    return queue


def test_stored_history_counts_the_queues_calls_per_interval_with_quiet_hours_zero(world, recorded):
    history = stored_history(recorded, until=WEEK, weeks=8)
    assert history.first == WEEK - timedelta(days=HISTORY_DAYS) and history.days == HISTORY_DAYS
    day = history.volume[3]
    assert (day[18], day[19], day[20], day[21], day[28], day[29]) == (10, 10, 15, 15, 5, 5)
    assert np.isnan(day[0]) and np.isnan(day[22])  # hours without a call in the window are closed
    assert np.nanmax(history.aht) == pytest.approx(300)


def test_week_planned_from_the_calls_in_kefu(world, recorded):
    req = services.plan_from_records(actor=world.lead, queue_id=recorded.pk, week=WEEK, now=NOW)
    monday = req.calls[:48]
    assert sum(v or 0 for v in monday) == pytest.approx(60, rel=0.05)
    assert monday[0] is None and req.aht_s[18] == pytest.approx(300)
    assert req.required[20] >= 1


def test_a_queue_without_a_source_is_refused_naming_the_field(world, wfm):
    with pytest.raises(ValidationFailed) as err:
        services.plan_from_records(actor=world.lead, queue_id=wfm["queue"].pk, week=WEEK, now=NOW)
    assert err.value.code == "no_source" and err.value.field == "source"


def test_event_effect_is_learned_from_its_past_days_and_applied_to_the_coming_one(world, recorded):
    plain = services.plan_from_records(actor=world.lead, queue_id=recorded.pk, week=WEEK, now=NOW)
    base = sum(v or 0 for v in plain.calls[48:96])  # Tuesday
    # Past billing days tripled the calls; the coming Tuesday is a billing day too.
    Call.objects.all().delete()
    past = [WEEK - timedelta(days=k) for k in (6, 20, 34)]
    _calls(world.agent, first=WEEK - timedelta(days=HISTORY_DAYS), days=HISTORY_DAYS,
           per_hour={9: 20, 10: 30, 14: 10}, extra={d: 3 for d in past})
    for d in past + [WEEK + timedelta(days=1)]:
        services.add_event(actor=world.lead, name="账单日", kind="billing", first_day=d, queue_id=recorded.pk)
    moved = services.plan_from_records(actor=world.lead, queue_id=recorded.pk, week=WEEK, now=NOW)
    assert sum(v or 0 for v in moved.calls[48:96]) == pytest.approx(3 * base, rel=0.1)
    assert sum(v or 0 for v in moved.calls[96:144]) == pytest.approx(base, rel=0.1)  # Wednesday unmoved


def test_event_input_refused_naming_every_bad_field(world, wfm):
    with pytest.raises(ValidationFailed) as err:
        services.add_event(actor=world.lead, name="", kind="meteor", first_day=date(2026, 11, 5),
                           last_day=date(2026, 11, 1))
    assert err.value.params["fields"] == ["name", "kind", "last_day"]


def test_asa_target_staffs_fewer_than_a_strict_service_level(world, wfm):
    queue = wfm["queue"]
    strict = Requirement.objects.get(pk=wfm["req"].pk).required
    queue = services.update_queue(actor=world.lead, queue_id=queue.pk, version=queue.version,
                                  changes={"target_kind": "asa", "target_asa_s": 60})
    from kefu.workforce.synthetic import Shape, generate

    history = generate(date(2026, 6, 1), 150, shape=Shape(daily_calls=120, opens=9, closes=18), seed=3)
    req = services.plan_requirement(actor=world.lead, queue_id=queue.pk, week=WEEK, history=history, now=NOW)
    busy = max(range(len(req.calls)), key=lambda i: req.calls[i] or 0)
    load = req.calls[busy] * req.aht_s[busy] / 1800
    expect = int(E.staff_erlang_c([load], req.aht_s[busy], E.Target(asa_s=60))[0])
    assert req.required[busy] == expect and expect <= strict[busy]
    figures = E.scalar(E.erlang_c(expect, load, req.aht_s[busy]))
    assert figures["asa_s"] <= 60


def test_abandonment_target_uses_erlang_a_and_needs_patience(world, wfm):
    queue = wfm["queue"]
    with pytest.raises(ValidationFailed) as err:
        services.update_queue(actor=world.lead, queue_id=queue.pk, version=queue.version,
                              changes={"target_kind": "abandon", "shrinkage": 1.5})
    assert err.value.params["fields"] == ["shrinkage", "max_abandon", "patience_s"]
    assert StaffingQueue.objects.get(pk=queue.pk).target_kind == "sl"
    queue = services.update_queue(actor=world.lead, queue_id=queue.pk, version=queue.version,
                                  changes={"target_kind": "abandon", "max_abandon": 0.05, "patience_s": 90})
    with pytest.raises(Conflict):
        services.update_queue(actor=world.lead, queue_id=queue.pk, version=queue.version - 1,
                              changes={"max_abandon": 0.1})
    assert AuditEntry.objects.filter(target_type="staffing_queue", target_id=str(queue.pk)).count() == 1


def test_backtest_runs_in_the_worker_and_scores_against_the_baselines(world, recorded):
    at = timezone.make_aware(datetime.combine(WEEK, datetime.min.time()))
    run = services.request_backtest(actor=world.lead, queue_id=recorded.pk, weeks=3, now=at)
    with pytest.raises(Conflict):
        services.request_backtest(actor=world.lead, queue_id=recorded.pk, weeks=3, now=at)
    done = services.execute_backtest(run_id=run.pk, now=at)
    assert done.status == RunStatus.DONE and len(done.result["weeks"]) == 3
    assert done.result["wape"] < 0.05  # the same calls every day: the forecast is all but exact
    assert set(done.result["baselines"]) == {"seasonal_naive", "four_week_mean"}
    assert done.result["curve"][0]["actual"][18] is not None
    assert services.execute_backtest(run_id=run.pk, now=at) is None


def test_cancelled_backtest_stops(world, recorded):
    at = timezone.make_aware(datetime.combine(WEEK, datetime.min.time()))
    run = services.request_backtest(actor=world.lead, queue_id=recorded.pk, weeks=3, now=at)
    BacktestRun.objects.filter(pk=run.pk).update(cancel_requested=True)
    assert services.execute_backtest(run_id=run.pk, now=at).status == RunStatus.CANCELLED
    with pytest.raises(ValidationFailed) as err:
        services.request_backtest(actor=world.lead, queue_id=recorded.pk, weeks=40, method="magic", now=at)
    assert err.value.params["fields"] == ["weeks", "method"]


def test_forecast_page_sets_targets_adds_events_and_shows_the_backtest_chart(world, recorded, client):
    client.force_login(world.lead)
    page = client.get("/workforce/forecast/")
    assert page.status_code == 200 and "data-testid=\"settings\"" in page.content.decode()
    bad = client.post("/workforce/forecast/do/settings/", {
        "queue": recorded.pk, "version": recorded.version, "name": "热线", "target_kind": "asa", "target_sl": "80",
        "answer_within_s": "20", "shrinkage": "30", "max_occupancy": "85", "source": "calls"})
    assert bad.status_code == 422 and "target_asa_s" in bad.content.decode()
    ok = client.post("/workforce/forecast/do/settings/", {
        "queue": recorded.pk, "version": recorded.version, "name": "热线", "target_kind": "asa", "target_sl": "80",
        "answer_within_s": "20", "target_asa_s": "30", "shrinkage": "30", "max_occupancy": "85", "source": "calls",
        "source_filter": "hotline"})
    assert ok.status_code == 302
    queue = StaffingQueue.objects.get(pk=recorded.pk)
    assert (queue.target_kind, queue.target_asa_s, queue.shrinkage) == ("asa", 30, 0.3)
    client.post("/workforce/forecast/do/event/", {"queue": queue.pk, "name": "网络故障", "kind": "outage",
                                                  "first_day": "2026-10-20", "event_queue": ""})
    at = timezone.make_aware(datetime.combine(WEEK, datetime.min.time()))
    run = services.request_backtest(actor=world.lead, queue_id=queue.pk, weeks=2, now=at)
    services.execute_backtest(run_id=run.pk, now=at)
    html = client.get(f"/workforce/forecast/?queue={queue.pk}").content.decode()
    assert "网络故障" in html and 'data-testid="chart-daily"' in html and 'data-testid="scores"' in html
    assert client.get(f"/workforce/forecast/backtest/?queue={queue.pk}").status_code == 200
    client.force_login(world.agent)
    assert client.get("/workforce/forecast/").status_code in (403, 404)


def test_plan_page_forecasts_the_week_from_stored_calls(world, recorded, client):
    client.force_login(world.lead)
    Requirement.objects.all().delete()
    done = client.post("/workforce/do/forecast/", {"week": WEEK.isoformat(), "queue": recorded.pk, "from": "records",
                                                   "method": "robust"})
    assert done.status_code == 302
    assert Requirement.objects.get(queue=recorded, week=WEEK).calls[18] is not None


def test_api_patches_only_the_fields_sent_plans_from_records_and_runs_backtests(world, recorded, api):
    lead = api.as_user(world, world.lead)
    got = lead.call("get", "/workforce/queues").json()
    assert got[0]["source"] == "calls" and got[0]["target_kind"] == "sl"
    bad = lead.call("patch", f"/workforce/queues/{recorded.pk}", {"version": recorded.version, "target_kind": "p_wait",
                                                                   "shrinkage": -0.1})
    assert bad.status_code == 422 and bad.json()["error"]["params"]["fields"] == ["shrinkage", "max_p_wait"]
    ok = lead.call("patch", f"/workforce/queues/{recorded.pk}", {"version": recorded.version, "target_kind": "p_wait",
                                                                  "max_p_wait": 0.2})
    assert ok.status_code == 200 and ok.json()["max_p_wait"] == 0.2 and ok.json()["shrinkage"] == 0.3
    stale = lead.call("patch", f"/workforce/queues/{recorded.pk}", {"version": recorded.version, "max_p_wait": 0.3})
    assert stale.status_code == 409
    made = lead.call("post", "/workforce/requirements/from-records", {"queue": recorded.pk, "week": str(WEEK)})
    assert made.status_code == 201 and made.json()["calls"][18] is not None
    event = lead.call("post", "/workforce/events", {"name": "版本更新", "kind": "release", "first_day": "2026-11-04"})
    assert event.status_code == 201 and lead.call("get", "/workforce/events").json()[0]["name"] == "版本更新"
    assert lead.call("delete", f"/workforce/events/{event.json()['id']}").status_code == 204
    run = lead.call("post", "/workforce/backtests", {"queue": recorded.pk, "weeks": 2})
    assert run.status_code == 202 and run.json()["status"] == "queued"
    assert lead.call("post", f"/workforce/backtests/{run.json()['id']}/cancel").json()["status"] == "cancelled"
    agent = api.as_user(world, world.agent)
    assert agent.call("get", f"/workforce/backtests/{run.json()['id']}").status_code == 404
    assert agent.call("patch", f"/workforce/queues/{recorded.pk}", {"version": 3, "name": "x"}).status_code == 403
