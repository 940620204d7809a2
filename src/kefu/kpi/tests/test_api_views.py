"""The KPI API and pages: who sees which rows, definitions beside the figures, money only with the right."""

from kefu.kpi import appraisal
from kefu.kpi.appraisal import ItemInput
from kefu.kpi.tests.conftest import MONTH, at


def test_an_agent_reads_only_their_own_row(api, world, month_world):
    body = api.as_user(world, world.agent).call("get", "/kpi/figures?group=agent&day=2026-11-15").json()
    assert [r["key"] for r in body["rows"]] == [world.agent.pk]
    assert body["rows"][0]["figures"]["qa"] == {"numerator": 170, "denominator": 2, "value": 85.0, "parts": {}}
    assert api.call("get", "/kpi/figures?group=center&day=2026-11-15").status_code == 403


def test_a_team_lead_reads_the_team_and_management_the_center(api, world, month_world):
    rows = api.as_user(world, world.lead).call("get", "/kpi/figures?group=team&day=2026-11-15").json()["rows"]
    assert [r["key"] for r in rows] == [world.team_a.pk]
    center = api.as_user(world, world.manager).call("get", "/kpi/figures?group=center&day=2026-11-15").json()
    assert center["rows"][0]["figures"]["contacts"]["numerator"] == 5


def test_the_kpi_page_shows_each_definition_and_the_numerator_and_denominator(client, world, month_world):
    client.force_login(world.manager)
    page = client.get("/kpi/?period=month&date=2026-11-01&group=center").content.decode()
    assert 'data-testid="definitions"' in page and "170" not in page  # center row has 270/3
    assert "270/3" in page and "4/5" in page


def test_the_appraisal_page_hides_money_from_agents(client, world, month_world):
    rule = appraisal.save_rule(actor=None, role="agent", name="坐席考核", items=[ItemInput("qa", 100, 60, 100)])
    appraisal.set_pool(actor=None, rule_id=rule.pk, month=MONTH, amount_fen=50000)
    appraisal.compute_appraisal(actor=None, month=MONTH, now=at(30, 23))
    client.force_login(world.agent)
    page = client.get("/kpi/appraisal/?month=2026-11").content.decode()
    assert "¥" not in page and "62.50" in page and "100.00" not in page
    assert client.get("/kpi/appraisal/export/?month=2026-11").status_code == 403
    client.force_login(world.supervisor)
    assert "¥" in client.get("/kpi/appraisal/?month=2026-11").content.decode()
    export = client.get("/kpi/appraisal/export/?month=2026-11")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")


def test_the_star_board_page_shows_the_published_stars(client, world, month_world):
    from kefu.kpi.stars import publish_stars

    publish_stars(actor=None, month=MONTH, now=at(30, 23))
    client.force_login(world.agent_b)
    page = client.get("/kpi/stars/?month=2026-11").content.decode()
    assert 'data-testid="star-most_compliments"' in page and "publish-stars" not in page
