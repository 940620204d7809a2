"""The figures on a known small world, worked out by hand (see conftest.build_scenario)."""

from datetime import date

import pytest

from kefu.callbacks.events import CallbackEventCode
from kefu.core.errors import ValidationFailed
from kefu.reports.selectors import callback_report, row_out
from kefu.reports.tests.conftest import NOW, at
from kefu.reports.validation import clean_filters


def report(user, group, *, start="2026-03-01", end="2026-04-30", team=None, type=None, now=NOW):  # noqa: A002
    filters = clean_filters(start=start, end=end, team=team, type=type, today=now.date())
    return callback_report(user, filters, group=group, now=now)


def figures(rep) -> dict:
    """label → (completed, cases, pending | on_time, accepted, reached | csat 4–5, csat answers, mean |
    promoters, detractors, nps answers, nps)."""
    return {r.label: ((r.figures.completed, r.figures.cases, r.figures.pending),
                      (r.figures.on_time, r.figures.accepted, r.figures.reached),
                      (r.figures.csat_satisfied, r.figures.csat_answers, r.figures.csat_mean),
                      (r.figures.promoters, r.figures.detractors, r.figures.nps_answers, r.figures.nps))
            for r in rep.rows}


def test_months_are_local_months_in_shanghai_not_utc(world, scenario):
    assert figures(report(world.supervisor, "month")) == {
        # t1 and t2 reached, t3 closed unreachable (due 23:30 local on 31 March); one call, one answer.
        "2026-03": ((2, 3, 0), (1, 1, 1), (1, 1, 5.0), (1, 0, 1, 100.0)),
        # t4 is due 01:00 on 1 April local and overdue; t5 not yet due; the handler's late "not accepted"
        # at 01:00 local on 1 April and the answer at 00:30 belong to April although UTC says March.
        "2026-04": ((0, 1, 1), (1, 1, 2), (1, 2, 3.5), (1, 1, 3, 0.0)),
    }


def test_rates_and_counts_of_the_whole_period(world, scenario):
    rep = report(world.supervisor, "month")
    total = rep.total
    assert (total.completed, total.cases, total.completion_rate) == (2, 4, 0.5)
    assert (total.on_time, total.reached, total.on_time_rate) == (2, 3, 0.6667)
    assert (total.accepted, total.acceptance_rate) == (2, 0.6667)
    assert (total.csat_satisfied, total.csat_answers, total.csat_rate, total.csat_mean) == (2, 3, 0.6667, 4.0)
    assert (total.promoters, total.detractors, total.nps_answers, total.nps) == (2, 1, 4, 25.0)


def test_by_agent_a_case_belongs_to_who_reached_the_customer(world, scenario):
    """t2 took two attempts before the handler reached the customer: the case is the handler's, while each
    call counts for whoever made it."""
    assert figures(report(world.supervisor, "agent")) == {
        str(world.agent): ((1, 1, 0), (2, 2, 2), (1, 2, 4.0), (1, 0, 2, 50.0)),
        str(world.handler): ((1, 1, 0), (0, 0, 1), (0, 0, None), (0, 0, 0, None)),
        str(world.agent_b): ((0, 2, 0), (0, 0, 0), (1, 1, 4.0), (0, 1, 1, -100.0)),
        "无坐席": ((0, 0, 1), (0, 0, 0), (0, 0, None), (1, 0, 1, 100.0)),
    }


def test_zero_denominators_are_none_not_zero(world, scenario):
    rows = {r["label"]: r for r in map(row_out, report(world.supervisor, "agent").rows)}
    nobody = rows["无坐席"]
    assert nobody["completion"] == {"numerator": 0, "denominator": 0, "rate": None, "pending": 1}
    assert nobody["on_time"]["rate"] is None and nobody["acceptance"]["rate"] is None
    assert nobody["csat"] == {"numerator": 0, "denominator": 0, "rate": None, "mean": None}
    assert rows[str(world.handler)]["acceptance"] == {"numerator": 0, "denominator": 1, "rate": 0.0}


def test_by_team_and_by_type(world, scenario):
    team_a = ((2, 2, 1), (2, 2, 3), (1, 2, 4.0), (1, 0, 2, 50.0))
    team_b = ((0, 2, 0), (0, 0, 0), (1, 1, 4.0), (1, 1, 2, 0.0))
    assert figures(report(world.supervisor, "team")) == {"一班": team_a, "二班": team_b}
    assert figures(report(world.supervisor, "type")) == {"咨询": team_a, "建议": team_b}


def test_filters_by_team_type_and_period(world, scenario):
    assert list(figures(report(world.supervisor, "team", team=str(world.team_b.pk)))) == ["二班"]
    assert list(figures(report(world.supervisor, "type", type="inquiry"))) == ["咨询"]
    april = figures(report(world.supervisor, "month", start="2026-04-01"))
    assert list(april) == ["2026-04"]
    # The period's end is a whole local day: 31 March includes 23:30 local, not 01:00 on 1 April.
    march = report(world.supervisor, "month", start="2026-03-31", end="2026-03-31").total
    assert (march.completed, march.cases, march.reached) == (0, 1, 0)


def test_an_open_case_counts_as_not_completed_once_due(world, scenario):
    later = at(4, 26)  # t5 is due on 25 April
    rep = report(world.supervisor, "month", now=later)
    assert {r.label: (r.figures.completed, r.figures.cases, r.figures.pending) for r in rep.rows}["2026-04"] \
        == (0, 2, 0)


def test_a_case_reached_before_its_due_time_counts(world, scenario):
    t5 = scenario.tickets[4]
    scenario.cb.assign(t5, 501, world.agent, at(4, 19))
    scenario.cb.outcome(t5, 501, "new_need", at(4, 19, 11), agent=world.agent)
    april = report(world.supervisor, "month").rows[-1].figures
    assert (april.completed, april.cases, april.pending, april.reached) == (1, 2, 0, 3)


def test_default_period_is_the_last_six_local_months():
    filters = clean_filters(today=date(2026, 2, 14))
    assert (filters.start, filters.end) == (date(2025, 9, 1), date(2026, 2, 14))


@pytest.mark.parametrize(("kwargs", "code", "field"), [
    ({"start": "2026-13-01"}, "invalid", "start"),
    ({"end": "yesterday"}, "invalid", "end"),
    ({"start": "2026-04-02", "end": "2026-04-01"}, "end_before_start", "end"),
    ({"team": "x"}, "unknown_team", "team"),
    ({"team": "99999"}, "unknown_team", "team"),
    ({"type": "nope"}, "unknown_type", "type"),
])
def test_bad_filters_are_refused_naming_the_field(db, kwargs, code, field):
    with pytest.raises(ValidationFailed) as info:
        clean_filters(today=date(2026, 4, 20), **kwargs)
    assert (info.value.code, info.value.field) == (code, field)


def test_a_cancelled_case_is_not_counted(world, scenario):
    """kefu.callbacks cancels the open task when the ticket is reopened or closed another way: no failure."""
    ticket = world.ticket(now=at(3, 1))
    scenario.cb.schedule(ticket, 601, at(3, 5), when=at(3, 4))
    scenario.cb.outcome(ticket, 601, "cancelled", at(3, 4, 12), agent=None)
    march = report(world.supervisor, "month").rows[0].figures
    assert (march.completed, march.cases, march.pending, march.reached) == (2, 3, 0, 1)


def test_an_attempt_joins_the_case_its_params_name(world):
    """The callback queue sends the case (its first task) with every task; without it, the latest case."""
    from kefu.reports.models import CallbackAttempt
    from kefu.reports.tests.conftest import Callbacks
    from kefu.tickets.events import emit

    ticket, cb = world.ticket(now=at(3, 1)), Callbacks(world)
    cb.schedule(ticket, 1, at(3, 2))
    cb.schedule(ticket, 2, at(3, 3))
    emit(ticket, CallbackEventCode.CALLBACK_SCHEDULED, actor=None, at=at(3, 4), params={
        "task": 3, "case": 1, "due": at(3, 4).isoformat(), "attempt": 2, "reason": "unreachable"})
    cb.schedule(ticket, 4, at(3, 5), attempt=2, reason="not_convenient")
    cases = dict(CallbackAttempt.objects.values_list("task", "case__first_task"))
    assert cases == {1: 1, 2: 2, 3: 1, 4: 2}
