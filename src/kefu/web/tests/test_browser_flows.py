"""End-to-end in a real browser (issue 4): the agent's day from screen pop to the crew's hand-back, the team
lead's board, a role without the right to reveal, and two agents editing one ticket."""

import json
import re
import time
import urllib.request

import pytest

from kefu.accounts.services import issue_token
from kefu.tickets.lifecycle import Status
from kefu.tickets.models import Ticket
from kefu.web.tests.browser import screenshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _ring(live_server, world, caller: str, call_id: str) -> None:
    """What the telephony adapter does: POST the ringing event with its API token."""
    _row, key = issue_token(actor=None, user=world.admin, name="pbx")
    request = urllib.request.Request(
        f"{live_server.url}/api/v1/cti/events", method="POST",
        data=json.dumps({"call_id": call_id, "event": "ringing", "agent_no": world.agent.agent_no,
                         "caller": caller}).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200


def _board_tile(page, tile: str) -> int:
    return int(page.locator(f'[data-tile="{tile}"] b').inner_text())


def test_phone_ticket_from_screen_pop_to_crew_and_back(world, live_server, new_page):
    lead = new_page(world.lead)
    assert "队列看板" in lead.inner_text("h1")
    before = _board_tile(lead, "in_progress")

    agent = new_page(world.agent)
    agent.goto(f"{live_server.url}/tickets/mine/")
    rang = time.monotonic()
    _ring(live_server, world, "13812341234", "call-e2e-1")
    pop = agent.locator('[data-testid="screen-pop"]')
    pop.wait_for(state="visible", timeout=3000)
    assert time.monotonic() - rang < 2.5  # one poll a second: the pop is there within 2 s (plus test overhead)
    assert "王小明" in pop.inner_text() and "138****1234" in pop.inner_text()
    screenshot(agent, "01-screen-pop")

    # Keyboard only: the type select has the focus, Tab through to the title, Ctrl+Enter creates.
    agent.click('[data-testid="pop-new-ticket"]')
    agent.wait_for_url(re.compile(r"/tickets/new/"))
    assert agent.input_value('[data-testid="phone"]') == "13812341234"
    agent.select_option('[data-testid="type"]', "repair")
    agent.locator('select[name="custom.fault"]').wait_for()
    agent.select_option('select[name="custom.fault"]', index=1)
    agent.fill('[data-testid="title"]', "燃气表漏气，有异味")
    agent.fill('textarea[name="description"]', "厨房燃气表接口处有异味")
    agent.keyboard.press("Control+Enter")
    agent.wait_for_url(re.compile(r"/tickets/\d+/$"))
    ticket = Ticket.objects.get(title="燃气表漏气，有异味")
    assert ticket.channel == "phone" and ticket.customer_id == world.customer.pk and ticket.channel_ref == "call-e2e-1"
    screenshot(agent, "02-ticket-page")

    # The reply starts with a quick phrase (filled in with the ticket number), then the agent's own words.
    agent.click('[data-testid="phrases"] button:has-text("告知工单号")')
    agent.locator("#reply-body").press("End")
    agent.keyboard.type("我们马上安排师傅上门。")
    agent.click('#ticket form[action$="/reply/"] button.primary')
    agent.locator(".timeline li.reply").wait_for()
    reply = agent.locator(".timeline li.reply .body").inner_text()
    assert reply == f"您的工单号是{ticket.number}，请您记录，以便查询处理进度。我们马上安排师傅上门。"
    agent.click("text=派单到部门或维修班组")
    agent.select_option('[data-testid="dispatch-team"]', str(world.crew.pk))
    agent.fill('input[name="appointment_start"]', "2026-11-24T09:00")
    agent.fill('input[name="appointment_end"]', "2026-11-24T11:00")
    agent.click('[data-testid="dispatch-form"] button.primary')
    agent.locator('[data-testid="status"]', has_text="等待其他部门").wait_for()

    lead.reload()
    assert _board_tile(lead, "in_progress") == before + 1
    screenshot(lead, "03-board")

    crew = new_page(world.fieldman)
    row = crew.locator(f'[data-testid="field-todo"] tr[data-ticket="{ticket.pk}"]')
    row.wait_for()
    row.locator("a").first.click()
    crew.click("text=登记到场")
    crew.locator('.timeline li[data-code="field_arrived"]').wait_for()
    crew.fill('[data-testid="field-result"]', "更换表前阀，试压正常")
    crew.click("text=完成，交回坐席")
    crew.locator('.timeline li[data-code="field_completed"]').wait_for()
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS

    agent.reload()
    assert "更换表前阀" in agent.locator(".timeline").inner_text()


def test_role_without_the_right_cannot_reveal_a_phone(world, live_server, new_page):
    ticket = world.ticket(title="查询账单", team_id=world.team_a.pk, assignee_id=world.info_desk.pk)
    desk = new_page(world.info_desk)
    desk.goto(f"{live_server.url}/tickets/{ticket.pk}/")
    assert "138****1234" in desk.inner_text("#ticket")
    assert desk.locator('[data-testid="reveal-phone"]').count() == 0
    # Even a hand-made request is refused, and nothing shows the number.
    status = desk.evaluate("""async (url) => {
        const token = document.querySelector('body').getAttribute('hx-headers');
        const r = await fetch(url, {method: 'POST', headers: JSON.parse(token)});
        return [r.status, await r.text()];
    }""", f"{live_server.url}/tickets/{ticket.pk}/reveal-phone/")
    assert status[0] == 403 and "13812341234" not in status[1]

    agent = new_page(world.agent)
    agent.goto(f"{live_server.url}/tickets/{ticket.pk}/")
    agent.click('[data-testid="reveal-phone"]')
    agent.locator('[data-testid="phone-full"]').wait_for()
    assert agent.inner_text('[data-testid="phone-full"]') == "13812341234"


def test_second_agent_gets_the_conflict_and_keeps_their_text(world, live_server, new_page):
    ticket = world.ticket(title="两人同时处理", team_id=world.team_a.pk, assignee_id=world.agent.pk)
    first = new_page(world.agent)
    second = new_page(world.handler)
    for page in (first, second):
        page.goto(f"{live_server.url}/tickets/{ticket.pk}/")
    first.select_option('[data-testid="transition-to"]', "in_progress")
    first.click('#ticket form[action$="/transition/"] button.primary')
    first.locator('[data-testid="status"]', has_text="处理中").wait_for()

    second.fill("#reply-body", "我这边也在处理")
    second.click('#ticket form[action$="/reply/"] button.primary')
    conflict = second.locator('[data-testid="conflict"]')
    conflict.wait_for()
    assert "agent" in conflict.inner_text()  # who changed it
    assert second.input_value("#reply-body") == "我这边也在处理"  # nothing typed is lost
    screenshot(second, "04-conflict")
    assert not ticket.messages.exists()
    second.click("text=重新加载工单")
    second.locator('[data-testid="status"]', has_text="处理中").wait_for()


def test_on_a_phone_the_menu_folds_behind_one_button_and_the_page_comes_first(world, live_server, new_page):
    agent = new_page(world.agent)
    agent.set_viewport_size({"width": 390, "height": 844})
    menu = agent.locator("#mainnav")
    assert not menu.is_visible()
    heading = agent.locator("h1").first
    assert heading.bounding_box()["y"] < 200  # the page's own title is on the first screen, not below the menu
    agent.click('[data-testid="menu-button"]')
    assert menu.is_visible()
    agent.click('#mainnav a[href="/search/"]')
    agent.wait_for_url("**/search/**")
    screenshot(agent, "phone-menu")
    agent.set_viewport_size({"width": 1366, "height": 768})
    assert agent.locator("#mainnav").is_visible() and not agent.locator('[data-testid="menu-button"]').is_visible()
