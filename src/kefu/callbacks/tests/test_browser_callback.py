"""End-to-end in a real browser (issue 6): a complaint is called back with the script and the survey on screen,
the customer accepts, and the complaint closes only once its findings are recorded (投诉闭环)."""

import re

import pytest

from kefu.surveys.models import Response
from kefu.surveys.services import create_questionnaire
from kefu.surveys.tests.conftest import ids, questionnaire_input
from kefu.tickets import services
from kefu.tickets.models import Ticket
from kefu.web.tests.browser import screenshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_complaint_callback_with_survey_then_findings_close_the_loop(world, live_server, new_page):
    survey = create_questionnaire(actor=world.supervisor, data=questionnaire_input())
    ticket = world.ticket(type="complaint", title="抄表员态度差", custom={"category": "服务态度"},
                          team_id=world.team_a.pk, assignee_id=world.handler.pk)
    for to in ("in_progress", "resolved"):
        ticket = services.transition_ticket(actor=world.handler, ticket_id=ticket.pk, version=ticket.version, to=to)

    agent = new_page(world.agent)
    agent.goto(f"{live_server.url}/callbacks/")
    agent.click('[data-testid="pull-next"]')
    agent.wait_for_url(re.compile(r"/callbacks/\d+/$"))
    script = agent.locator('[data-testid="callback-script"]').inner_text()
    assert world.agent.agent_no in script and "抄表员态度差" in script
    agent.check('[data-testid="outcome-accepted"]')
    q = ids(survey)
    agent.check(f'input[name="q_{q[0]}"][value="5"]')
    agent.check(f'input[name="q_{q[1]}"][value="9"]')
    screenshot(agent, "11-callback-script-and-survey")
    agent.click('[data-testid="outcome-form"] button.primary')
    # The single choice is required: the form comes back with the error and keeps the answers given.
    agent.locator(f'#survey-q_{q[2]} [role=alert]').wait_for()
    assert agent.is_checked(f'input[name="q_{q[0]}"][value="5"]')
    agent.check(f'input[name="q_{q[2]}"][value="1"]')
    agent.click('[data-testid="outcome-form"] button.primary')
    agent.wait_for_url(re.compile(r"/callbacks/$"))
    assert Response.objects.get().ticket_id == ticket.pk
    assert Ticket.objects.get(pk=ticket.pk).status == "callback"  # accepted, but the findings are missing

    handler = new_page(world.handler)
    handler.goto(f"{live_server.url}/tickets/{ticket.pk}/")
    missing = handler.locator('[data-testid="loop-missing"]').inner_text()
    assert "核实的责任人" in missing and "客户认可" not in missing
    form = handler.locator('[data-testid="complaint-form"]')
    form.locator('input[name="responsible_party"]').fill("抄表班 张师傅")
    form.locator('textarea[name="content"]').fill("抄表时与客户争执")
    form.locator('textarea[name="result"]').fill("已当面致歉，纳入月度考核")
    form.locator("button").click()
    handler.locator('[data-testid="loop-complete"]').wait_for()
    handler.select_option('[data-testid="transition-to"]', "closed")
    handler.click('#ticket form[action$="/transition/"] button.primary')
    handler.locator('[data-testid="status"]', has_text="已关闭").wait_for()
    screenshot(handler, "12-complaint-closed-loop")
