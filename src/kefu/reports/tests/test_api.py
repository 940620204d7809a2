"""GET /api/v1/reports/callbacks: rows with counts and rates, the same scopes as the page, the error contract."""

import pytest

PERIOD = "start=2026-03-01&end=2026-04-30"


def test_rows_carry_counts_and_rates(world, api, scenario, report_clock):
    body = api.as_user(world, world.supervisor).get(f"/reports/callbacks?group=month&{PERIOD}").json()
    assert (body["group"], body["start"], body["end"], body["time_zone"]) == (
        "month", "2026-03-01", "2026-04-30", "Asia/Shanghai")
    march, april = body["rows"]
    assert march["key"] == "2026-03" and april["key"] == "2026-04"
    assert march["completion"] == {"numerator": 2, "denominator": 3, "rate": 0.6667, "pending": 0}
    assert april["on_time"] == {"numerator": 1, "denominator": 2, "rate": 0.5}
    assert april["csat"] == {"numerator": 1, "denominator": 2, "rate": 0.5, "mean": 3.5}
    assert april["nps"] == {"promoters": 1, "detractors": 1, "answers": 3, "score": 0.0}
    assert body["total"]["nps"]["score"] == 25.0 and body["total"]["completion"]["rate"] == 0.5


def test_group_by_agent_with_filters(world, api, scenario, report_clock):
    api.as_user(world, world.manager)
    body = api.get(f"/reports/callbacks?group=agent&{PERIOD}&team={world.team_b.pk}&type=suggestion").json()
    assert [(r["key"], r["completion"]["denominator"]) for r in body["rows"]] == [
        (world.agent_b.pk, 2), (None, 0)]
    assert (body["team"], body["type"]) == (world.team_b.pk, "suggestion")


def test_an_agent_gets_their_own_row_and_a_lead_their_team(world, api, scenario, report_clock):
    rows = api.as_user(world, world.agent_b).get(f"/reports/callbacks?group=agent&{PERIOD}").json()["rows"]
    assert [r["key"] for r in rows] == [world.agent_b.pk]
    rows = api.as_user(world, world.lead).get(f"/reports/callbacks?group=team&{PERIOD}").json()["rows"]
    assert [r["key"] for r in rows] == [world.team_a.pk]


def test_anonymous_gets_401_and_a_field_crew_403(world, api, client):
    response = client.get("/api/v1/reports/callbacks")
    assert (response.status_code, response.json()["error"]["code"]) == (401, "unauthenticated")
    response = api.as_user(world, world.fieldman).get("/reports/callbacks")
    assert (response.status_code, response.json()["error"]["code"]) == (403, "cannot_read_reports")


@pytest.mark.parametrize(("query", "code", "field"), [
    ("group=week", "invalid_choice", "group"),
    ("start=2026-02-30", "invalid", "start"),
    ("end=soon", "invalid", "end"),
    ("start=2026-04-02&end=2026-04-01", "end_before_start", "end"),
    ("team=abc", "unknown_team", "team"),
    ("type=nope", "unknown_type", "type"),
])
def test_bad_input_is_422_naming_the_field(world, api, query, code, field):
    response = api.as_user(world, world.supervisor).get(f"/reports/callbacks?{query}")
    error = response.json()["error"]
    assert (response.status_code, error["code"], error["field"]) == (422, code, field)
    if code == "invalid_choice":
        assert error["params"]["choices"] == ["agent", "team", "type", "month"]


def test_the_report_costs_the_same_queries_for_few_or_many_rows(world, api, scenario, report_clock,
                                                                django_assert_num_queries):
    from kefu.reports.tests.conftest import Callbacks, at

    api.as_user(world, world.supervisor)
    api.get("/reports/callbacks")  # warm up: the token's last use is written once
    # The token with its user, three grouped queries, the agents' names.
    with django_assert_num_queries(5):
        api.get(f"/reports/callbacks?{PERIOD}")
    for n in range(4):
        Callbacks(world).answer(world.ticket(now=at(3, 1)), 200 + n, at(3, 5), csat=4, nps=8, agent=world.lead)
    with django_assert_num_queries(5):
        assert len(api.get(f"/reports/callbacks?{PERIOD}").json()["rows"]) == 5
