"""In a real browser: an agent asks a colleague to swap, the colleague accepts, the team lead approves with the
coverage view, and both agents' rosters change."""

from datetime import timedelta
from urllib.request import urlopen

import pytest
from django.utils import timezone

from kefu.attendance.models import Swap, SwapStatus
from kefu.web.tests.browser import screenshot
from kefu.workforce.models import Requirement, Shift, StaffingQueue

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_agent_asks_colleague_accepts_lead_approves_with_coverage_and_both_rosters_change(world, live_server,
                                                                                          new_page):
    from kefu.attendance.tests.test_requests import at
    from kefu.workforce.models import Roster, RosterStatus

    today = timezone.localdate()
    week = today - timedelta(days=today.weekday()) + timedelta(days=14)
    roster = Roster.objects.create(week=week, status=RosterStatus.PUBLISHED)
    mine = Shift.objects.create(roster=roster, agent=world.agent, day=week, pattern="早班", start=at(week, 8),
                                end=at(week, 17))
    theirs = Shift.objects.create(roster=roster, agent=world.handler, day=week + timedelta(days=2), pattern="晚班",
                                  start=at(week + timedelta(days=2), 12), end=at(week + timedelta(days=2), 21))
    queue = StaffingQueue.objects.create(code="hotline", name="热线")
    need = [(1 if 16 <= i % 48 < 34 else None) for i in range(7 * 48)]
    Requirement.objects.create(queue=queue, week=week, interval_minutes=30, calls=need, aht_s=need, required=need,
                               scheduled=need, updated_at=timezone.now())
    urlopen(f"{live_server.url}/login/", timeout=60).read()

    agent = new_page(world.agent)
    agent.goto(f"{live_server.url}/attendance/requests/")
    form = agent.locator('[data-testid="ask-swap"]')
    form.locator("select[name=shift]").select_option(str(mine.pk))
    form.locator("select[name=colleague]").select_option(str(world.handler.pk))
    form.locator("select[name=their_shift]").select_option(str(theirs.pk))
    form.locator("input[name=reason]").fill("家里有事")
    form.locator("button").click()
    agent.locator('[data-testid="swaps"]', has_text="等待同事确认").wait_for()
    screenshot(agent, "att-01-agent-asks-swap")

    colleague = new_page(world.handler)
    colleague.goto(f"{live_server.url}/attendance/requests/")
    colleague.locator('[data-testid="swaps"] button[value=accept]').click()
    colleague.locator('[data-testid="swaps"]', has_text="等待组长审批").wait_for()

    lead = new_page(world.lead)
    swap = Swap.objects.get()
    lead.goto(f"{live_server.url}/attendance/approvals/")
    card = lead.locator(f'[data-testid="swap-{swap.pk}"]')
    card.locator('[data-testid="coverage"]').wait_for()
    screenshot(lead, "att-02-lead-approves-with-coverage")
    card.locator("button[value=approve]").click()
    lead.locator("text=没有待审批的调班。").wait_for()
    assert Swap.objects.get().status == SwapStatus.APPROVED
    assert Shift.objects.get(pk=mine.pk).agent_id == world.handler.pk
    assert Shift.objects.get(pk=theirs.pk).agent_id == world.agent.pk

    agent.goto(f"{live_server.url}/workforce/mine/?week={week.isoformat()}")
    assert "晚班" in agent.inner_text('[data-testid="my-week"]')
    colleague.set_viewport_size({"width": 390, "height": 844})
    colleague.goto(f"{live_server.url}/workforce/mine/?week={week.isoformat()}")
    assert "早班" in colleague.inner_text('[data-testid="my-week"]')
    screenshot(colleague, "att-03-colleague-roster-phone")

    # The end of the shift: the agent passes a handover item to the colleague, who acknowledges it.
    from kefu.shiftlog.models import HandoverItem

    agent.goto(f"{live_server.url}/shift/handover/")
    agent.click('[data-testid="prepare"]')
    sheet = agent.locator('[data-testid="sheet"]')
    sheet.locator("select[name=new_kind]").select_option("promise")
    sheet.locator("input[name=new_text]").fill("答应王先生明早10点回电")
    sheet.locator("select[name=new_to]").select_option(str(world.handler.pk))
    sheet.locator("button[value=pass]").click()
    agent.locator("text=答应王先生明早10点回电").wait_for()
    colleague.set_viewport_size({"width": 1366, "height": 768})
    colleague.goto(f"{live_server.url}/shift/handover/")
    colleague.locator('[data-testid="inbox"] button').click()
    colleague.locator('[data-testid="inbox"]', has_text="已确认").wait_for()
    screenshot(colleague, "att-04-handover-acknowledged")
    assert HandoverItem.objects.get().acknowledged_at is not None
