"""Every KPI on the hand-computed month of conftest.py: per agent, per team and for the center."""

import pytest

from kefu.kpi.definitions import AGENT, CENTER, MEASURES, TEAM, compute


def values(code, period, group):
    return {k: (r.numerator, r.denominator, r.value) for k, r in compute(code, period, group).items()}


def test_every_measure_has_a_label_a_definition_and_a_unit():
    for measure in MEASURES.values():
        assert str(measure.label) and len(str(measure.definition)) > 20
        assert measure.unit in ("count", "percent", "seconds", "score", "nps", "per_mille")


def test_contacts_by_channel(world, month_world, period):
    rows = compute("contacts", period, AGENT)
    assert rows[world.agent.pk].numerator == 3 and rows[world.agent.pk].parts == {"phone": 2, "chat": 1}
    assert rows[world.agent_b.pk].parts == {"phone": 2}
    assert compute("contacts", period, TEAM)[world.team_a.pk].value == 3
    assert compute("contacts", period, CENTER)[None].value == 5


def test_average_handle_time(world, month_world, period):
    assert values("aht", period, AGENT) == {world.agent.pk: (300, 2, 150), world.agent_b.pk: (60, 1, 60)}
    assert values("aht", period, CENTER) == {None: (360, 3, 120)}


def test_first_contact_resolution_counts_a_repeat_within_the_window(world, month_world, period):
    got = values("fcr", period, AGENT)
    assert got[world.agent.pk] == (2, 3, 66.67)  # the 1st ticket was followed by the same caller's 3rd
    assert got[world.agent_b.pk] == (2, 2, 100)
    assert values("fcr", period, CENTER) == {None: (4, 5, 80)}


def test_first_contact_resolution_window_is_a_setting(world, month_world, period):
    from kefu.kpi.models import KpiSettings

    settings = KpiSettings.current()
    settings.fcr_days = 1
    settings.save()
    assert values("fcr", period, AGENT)[world.agent.pk] == (3, 3, 100)  # two days apart: no longer a repeat


def test_sla_compliance_by_assignee(world, month_world, period):
    assert values("sla", period, AGENT) == {world.agent.pk: (1, 2, 50)}


def test_csat_nps_and_compliments(world, month_world, period):
    assert values("csat", period, AGENT) == {world.agent.pk: (1, 2, 50), world.agent_b.pk: (1, 1, 100)}
    assert values("nps", period, AGENT) == {world.agent.pk: (0, 2, 0), world.agent_b.pk: (1, 1, 100)}
    assert values("nps", period, CENTER) == {None: (1, 3, 33.33)}
    assert values("compliments", period, AGENT) == {world.agent.pk: (1, 1, 1)}


def test_qa_score_is_the_mean_of_the_evaluations(world, month_world, period):
    assert values("qa", period, AGENT) == {world.agent.pk: (170, 2, 85), world.agent_b.pk: (100, 1, 100)}
    assert values("qa", period, TEAM) == {world.team_a.pk: (170, 2, 85), world.team_b.pk: (100, 1, 100)}


def test_complaints_per_thousand_contacts_are_counted_per_team_not_per_agent(world, month_world, period):
    assert values("complaints", period, AGENT) == {}
    assert values("complaints", period, TEAM)[world.team_b.pk] == (1, 2, 500)
    assert values("complaints", period, TEAM)[world.team_a.pk] == (0, 3, 0)
    assert values("complaints", period, CENTER) == {None: (1, 5, 200)}


def test_callback_completion_reads_the_reports_callback_cases(world, month_world, period):
    from kefu.reports.models import CallbackCase

    t1, _t2, t3, t4, _t5 = month_world["tickets"]
    CallbackCase.objects.all().delete()
    from kefu.kpi.tests.conftest import at

    for ticket, state, agent, task in ((t1, "reached", world.agent, 1), (t3, "closed_unreachable", world.agent, 2),
                                       (t4, "cancelled", world.agent_b, 3), (t4, "open", world.agent_b, 4)):
        CallbackCase.objects.create(ticket=ticket, first_task=task, started_at=at(2), first_due=at(3), month=at(3),
                                    state=state, agent=agent)
    assert values("callbacks", period, AGENT) == {world.agent.pk: (1, 2, 50), world.agent_b.pk: (0, 1, 0)}


def test_recomputing_the_facts_from_events_gives_the_same_figures(world, month_world, period):
    from kefu.reports.services import rebuild_facts

    before = {code: values(code, period, group) for code in MEASURES for group in (AGENT, TEAM, CENTER)}
    rebuild_facts(actor=None)
    after = {code: values(code, period, group) for code in MEASURES for group in (AGENT, TEAM, CENTER)}
    assert before == after


@pytest.mark.parametrize("kind,first", [("day", "2026-11-11"), ("week", "2026-11-09"), ("month", "2026-11-01")])
def test_periods_are_days_weeks_and_months(kind, first):
    from datetime import date

    from kefu.kpi.periods import Period

    assert Period.of(kind, date(2026, 11, 11)).first.isoformat() == first
