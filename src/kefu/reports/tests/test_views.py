"""The report page, its chart and its CSV export: who sees what, definitions beside the figures, query counts."""

import csv
import io

import pytest

from kefu.audit.models import AuditAction, AuditEntry
from kefu.reports.tests.conftest import Callbacks, at, build_scenario

URL = "/reports/callbacks/"
PERIOD = {"start": "2026-03-01", "end": "2026-04-30"}


def page(client, user, **params):
    client.force_login(user)
    return client.get(URL, {**PERIOD, **params})


def row_labels(response) -> list[str]:
    return [r.label for r in response.context["report"].rows]


def test_anonymous_is_sent_to_log_in(client, world):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("role", ["fieldman", "account_manager"])
def test_roles_that_make_no_callbacks_get_403_and_no_menu_entry(client, world, role):
    response = page(client, getattr(world, role))
    assert response.status_code == 403
    client.get(URL.replace("callbacks/", "callbacks/export.csv"))
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()
    assert URL not in client.get("/search/").content.decode()


def test_an_agent_sees_only_their_own_figures_and_cannot_export(client, world, scenario, report_clock):
    response = page(client, world.agent, group="team")
    assert response.status_code == 200
    [row] = response.context["rows"]
    # Of team A's figures only the agent's: case t1, calls 101 and 203, answers 1 and 2.
    assert (row["label"], row["completion"]["denominator"], row["on_time"]["denominator"],
            row["csat"]["denominator"]) == ("一班", 1, 2, 2)
    assert b'data-testid="export"' not in response.content
    assert client.get(URL + "export.csv", PERIOD).status_code == 403
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


def test_a_team_lead_sees_their_own_team_only(client, world, scenario, report_clock):
    response = page(client, world.lead, group="team")
    assert row_labels(response) == ["一班"]
    assert [t.name for t in response.context["teams"]] == ["一班"]
    assert row_labels(page(client, world.lead, group="agent")) == [
        str(world.agent), str(world.handler), "无坐席"]


def test_qa_and_management_see_the_whole_center(client, world, scenario, report_clock):
    for user in (world.qa, world.supervisor, world.director):
        assert row_labels(page(client, user, group="team")) == ["一班", "二班"]


def test_figures_come_with_counts_and_definitions_beside_them(client, world, scenario, report_clock):
    html = page(client, world.supervisor, group="month").content.decode()
    assert "66.7% <small class=\"muted\">2/3</small>" in html  # March completion
    assert "0.0% <small class=\"muted\">0/1" in html  # April completion, with one case not yet due
    assert 'data-testid="definitions"' in html and "÷" in html
    assert "<abbr title=" in html


def test_zero_denominators_show_a_dash(client, world, scenario, report_clock):
    response = page(client, world.supervisor, group="agent")
    html = response.content.decode()
    assert "— <small class=\"muted\">0/0" in html


def test_the_chart_is_inline_svg_with_three_bars_a_month(client, world, scenario, report_clock):
    html = page(client, world.supervisor, group="agent").content.decode()
    assert html.count('<g data-month="2026-03">') == 1 and '<g data-month="2026-04">' in html
    assert html.count("<rect ") == 6
    assert "<script" not in html.split('data-testid="chart"')[1].split("</figure>")[0]
    assert "2026-03 满意度（CSAT）: 100.0%" in html


def test_htmx_gets_only_the_report(client, world, scenario, report_clock):
    client.force_login(world.supervisor)
    response = client.get(URL, {**PERIOD, "group": "type"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and html.startswith('<section id="report"') and "<html" not in html


@pytest.mark.parametrize(("params", "field"), [({"group": "week"}, "group"), ({"start": "2026-02-30"}, "start"),
                                               ({"type": "nope"}, "type")])
def test_bad_input_is_a_422_naming_the_field(client, world, params, field):
    response = page(client, world.supervisor, **params)
    assert response.status_code == 422
    assert response.context["error"]["field"] == field


def test_csv_export_is_the_table_and_is_audited(client, world, scenario, report_clock):
    client.force_login(world.lead)
    response = client.get(URL + "export.csv", {**PERIOD, "group": "month"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["key"], r["completion_numerator"], r["completion_denominator"], r["completion_pending"])
            for r in rows] == [("2026-03", "2", "2", "0"), ("2026-04", "0", "0", "1"), ("", "2", "2", "1")]
    assert rows[1]["completion_rate"] == "" and rows[0]["on_time_rate"] == "1.0"
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert (entry.actor, entry.target_type, entry.params["group"], entry.params["team"]) == (
        world.lead, "callback_report", "month", None)


def test_the_menu_offers_the_report_to_those_who_read_it(client, world):
    client.force_login(world.lead)
    assert URL.encode() in client.get("/search/").content


def test_the_page_costs_the_same_queries_for_few_or_many_rows(client, world, report_clock,
                                                              django_assert_num_queries):
    client.force_login(world.supervisor)
    build_scenario(world)
    client.get(URL, PERIOD)
    with django_assert_num_queries(QUERIES):
        client.get(URL, PERIOD)
    for n in range(5):  # more tickets, months and agents
        ticket = world.ticket(now=at(1, 1))
        Callbacks(world).answer(ticket, 100 + n, at(1 + n % 3, 5), csat=5, nps=9, agent=world.lead)
    with django_assert_num_queries(QUERIES):
        response = client.get(URL, {**PERIOD, "start": "2026-01-01"})
    assert len(response.context["chart"]["groups"]) == 4


# Session and user; the three grouped queries and the agents' names; the three monthly queries of the chart;
# the teams and ticket types of the filter; the menu's check of which industry packs are on.
QUERIES = 12


def test_the_admin_shows_facts_read_only(client, world, scenario):
    client.force_login(world.admin)
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    assert client.get("/admin/reports/callbackcase/").status_code == 200
    assert client.get("/admin/reports/callbackattempt/add/").status_code == 403
    case = scenario.tickets[0]
    from kefu.reports.models import CallbackCase

    pk = CallbackCase.objects.get(ticket=case).pk
    assert client.post(f"/admin/reports/callbackcase/{pk}/change/", {"state": "open"}).status_code == 403


def test_a_bad_export_request_is_422_and_not_audited(client, world):
    client.force_login(world.supervisor)
    response = client.get(URL + "export.csv", {"group": "week"})
    assert response.status_code == 422 and response.content.decode().startswith("invalid_choice [group]")
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


def test_a_team_lead_without_a_team_and_a_complaint_handler_see_little(client, world, scenario, report_clock):
    world.lead.team = None
    world.lead.save()
    assert page(client, world.lead).context["rows"] == []
    rows = page(client, world.handler, group="agent").context["rows"]
    assert [r["key"] for r in rows] == [world.handler.pk]


def test_definitions_are_written_in_the_reader_s_language(client, world, scenario, report_clock):
    client.force_login(world.supervisor)
    english = client.get(URL, {**PERIOD, "group": "agent"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Callback completion rate" in english and "No agent" in english and "promoters (9–10)" in english
    chinese = client.get(URL, {**PERIOD, "group": "agent"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "回访完成率" in chinese and "无坐席" in chinese and "Callback completion rate" not in chinese
