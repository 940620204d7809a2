"""The public survey page in a phone-sized browser: answer, submit, thank-you — no login, no JavaScript needed."""

import os

import pytest

from kefu.surveys.models import Response
from kefu.surveys.services import send_invitation
from kefu.surveys.tests.conftest import ids

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_customer_answers_the_link_on_a_phone(browser, live_server, world, survey):
    ticket = world.ticket()
    invitation = send_invitation(actor=world.agent, questionnaire_id=survey.pk, ticket_id=ticket.pk, channel="chat")
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/s/{invitation.token}/")
        q = ids(survey)
        page.click("button.primary")  # nothing answered: the required questions are marked
        assert page.locator(".field-error[role=alert]").count() >= 2
        page.check(f"input[name=q_{q[0]}][value='4']")
        page.check(f"input[name=q_{q[1]}][value='9']")
        page.check(f"input[name=q_{q[2]}][value='1']")
        page.check(f"input[name=q_{q[3]}][value='2']")
        page.fill(f"textarea[name=q_{q[4]}]", "师傅很专业")
        if os.environ.get("KEFU_SCREENSHOTS"):
            page.screenshot(path=os.path.join(os.environ["KEFU_SCREENSHOTS"], "survey-public.png"), full_page=True)
        page.click("button.primary")
        page.wait_for_selector("[data-testid=survey-done]")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
    finally:
        context.close()
    response = Response.objects.get()
    assert (response.csat, response.nps, response.via) == (4, 9, "link")
