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
