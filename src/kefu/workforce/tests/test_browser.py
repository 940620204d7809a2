"""End to end in a real browser: the team lead plans the week, the worker makes the roster, the lead adjusts
and publishes it, and an agent sees their week."""

from urllib.request import urlopen

import pytest

from kefu.accounts.roles import Role
from kefu.accounts.services import create_user
from kefu.web.tests.browser import screenshot
from kefu.workforce import services
from kefu.workforce.models import Roster, RosterStatus, ScheduleRun
from kefu.workforce.tests.conftest import WEEK

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_lead_makes_adjusts_and_publishes_the_roster_then_the_agent_sees_it(world, wfm, live_server, new_page):
    for k in range(6):
        create_user(actor=None, username=f"zuoxi{k}", password="kefu-Test-2026", role=Role.AGENT,
                    team=world.team_a, agent_no=f"30{k:02d}", display_name=f"坐席{k}")
    # The live server's first request loads the whole URLconf; on a busy machine that alone can outlast the
    # page's 5-second timeout, so it is made before the browser starts.
    urlopen(f"{live_server.url}/login/", timeout=60).read()
    lead = new_page(world.lead)
    lead.goto(f"{live_server.url}/workforce/?week={WEEK.isoformat()}")
    lead.locator("polyline").wait_for()
    lead.click('form[action$="/do/schedule/"] button')
    lead.locator('[data-testid="run"]', has_text="排队中").wait_for()
    services.execute_run(run_id=ScheduleRun.objects.get().pk)  # what the worker does with the queued task
    lead.locator('[data-testid="run"]', has_text="独立校验").wait_for(timeout=10_000)
    lead.reload()
    lead.locator('[data-testid="roster"]').wait_for()
    screenshot(lead, "wfm-01-planner-week")
    first = lead.locator('[data-testid="roster"] tbody a').first
    first.click()
    lead.select_option('form[action$="/do/reassign/"] select[name=agent]', "")
    lead.click('form[action$="/do/reassign/"] button')
    lead.locator('[data-testid="coverage"]').wait_for()
    lead.click('form[action$="/do/publish/"] button')
    lead.locator("p.ok", has_text="已于").wait_for()
    lead.locator('[data-testid="coverage"]').scroll_into_view_if_needed()
    screenshot(lead, "wfm-02-published")
    roster = Roster.objects.get(week=WEEK)
    assert roster.status == RosterStatus.PUBLISHED

    agent_user = roster.shifts.select_related("agent").first().agent
    agent = new_page(agent_user)
    agent.set_viewport_size({"width": 390, "height": 844})
    agent.goto(f"{live_server.url}/workforce/mine/?week={WEEK.isoformat()}")
    agent.locator('[data-testid="my-week"]').wait_for()
    assert roster.shifts.filter(agent=agent_user).first().label in agent.inner_text('[data-testid="my-week"]')
    screenshot(agent, "wfm-03-agent-week-phone")


def test_lead_sets_an_asa_target_enters_an_event_and_reads_the_backtest_chart(world, wfm, live_server, new_page):
    from datetime import timedelta

    from kefu.workforce.models import BacktestRun, ForecastEvent, StaffingQueue
    from kefu.workforce.tests.test_records import HISTORY_DAYS, _calls

    _calls(world.agent, first=WEEK - timedelta(days=HISTORY_DAYS), days=HISTORY_DAYS,
           per_hour={9: 20, 10: 30, 14: 10})
    urlopen(f"{live_server.url}/login/", timeout=60).read()
    lead = new_page(world.lead)
    lead.goto(f"{live_server.url}/workforce/forecast/")
    form = lead.locator('[data-testid="settings"]')
    form.locator("select[name=target_kind]").select_option("asa")
    form.locator("input[name=target_asa_s]").fill("30")
    form.locator("select[name=source]").select_option("calls")
    form.locator("input[name=source_filter]").fill("hotline")
    form.locator("button").click()
    lead.wait_for_url(lambda url: "queue=" in url)
    queue = StaffingQueue.objects.get(pk=wfm["queue"].pk)
    assert (queue.target_kind, queue.target_asa_s, queue.source) == ("asa", 30, "calls")
    events = lead.locator('[data-testid="event-form"]')
    events.locator("input[name=name]").fill("账单日")
    events.locator("select[name=kind]").select_option("billing")
    events.locator("input[name=first_day]").fill((WEEK + timedelta(days=1)).isoformat())
    events.locator("button").click()
    lead.locator('[data-testid="events"]', has_text="账单日").wait_for()
    assert ForecastEvent.objects.filter(name="账单日").exists()
    lead.fill("input[name=weeks]", "3")
    lead.click('form[action$="/do/backtest/"] button')
    lead.locator('[data-testid="backtest"]', has_text="排队中").wait_for()
    services.execute_backtest(run_id=BacktestRun.objects.get().pk)  # what the worker does with the queued task
    lead.locator('[data-testid="chart-daily"]').wait_for(timeout=10_000)
    assert "WAPE" in lead.inner_text('[data-testid="scores"]')
    lead.locator('[data-testid="backtest"]').scroll_into_view_if_needed()
    screenshot(lead, "wfm-04-forecast-backtest")
