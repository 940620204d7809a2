"""In a real browser: injected scripts never run for another user; knowledge search, memo and briefing flows."""

import datetime

import pytest

from kefu.briefing.services import add_item, prepare_briefing, publish_briefing
from kefu.knowledge.services import ArticleInput, create_article
from kefu.knowledge.tests.conftest import publish
from kefu.memos.models import Memo
from kefu.memos.services import ask_memo
from kefu.web.tests.browser import screenshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

# Each would set window.__pwned if the browser ever ran it.
PAYLOAD = ('<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
           '<svg onload="window.__pwned=3"></svg>[点我](javascript:window.__pwned=4)')


def _not_pwned(page) -> None:
    page.wait_for_load_state("load")
    assert page.evaluate("window.__pwned") is None
    assert page.locator("script:has-text('__pwned')").count() == 0


def test_injected_scripts_never_run_in_another_users_browser(world, live_server, new_page, browser):
    article = publish(world, create_article(actor=world.info_desk, data=ArticleInput(
        title="停气通知", body=f"周三停气。{PAYLOAD}", summary=PAYLOAD, audience="public", tags=["停气"])))
    memo = ask_memo(actor=world.agent_b, question=f"问题 {PAYLOAD}")
    briefing = prepare_briefing(actor=world.info_desk, day=datetime.date(2026, 3, 3))
    add_item(actor=world.info_desk, briefing_id=briefing.pk, kind="defect", text=PAYLOAD)
    publish_briefing(actor=world.info_desk, briefing_id=briefing.pk, version=briefing.version + 1)

    agent = new_page(world.agent)
    agent.goto(f"{live_server.url}/knowledge/{article.pk}/")
    assert "周三停气" in agent.inner_text("[data-testid=article]")
    _not_pwned(agent)
    agent.goto(f"{live_server.url}/knowledge/")
    agent.fill("input[name=q]", "停气")  # the HTMX search swaps results in place
    agent.wait_for_selector("[data-testid=articles] >> text=停气通知")
    _not_pwned(agent)
    screenshot(agent, "kb-knowledge-search")
    agent.goto(f"{live_server.url}/briefing/{briefing.pk}/")
    _not_pwned(agent)
    agent.click("text=我已阅读")
    agent.wait_for_selector("[data-testid=read]")
    lead = new_page(world.lead)
    lead.goto(f"{live_server.url}/briefing/{briefing.pk}/")
    assert world.agent.username not in lead.inner_text("[data-testid=unread]")
    assert world.handler.username in lead.inner_text("[data-testid=unread]")
    assert "阅读回执 (1/4)" in lead.inner_text("[data-testid=read-status]")
    screenshot(lead, "kb-briefing-receipts")

    desk = new_page(world.info_desk)
    desk.goto(f"{live_server.url}/memos/{memo.pk}/")
    _not_pwned(desk)
    desk.fill("textarea[name=answer]", "周五恢复供气")
    desk.click("text=发送答复")
    desk.wait_for_selector("[data-testid=memo-answer]")
    assert Memo.objects.get(pk=memo.pk).status == "answered"
    screenshot(desk, "kb-memo-answered")
    desk.goto(f"{live_server.url}/phrases/")
    desk.fill("#phrase-form input[name=title]", "问候")
    desk.fill("#phrase-form textarea[name=body]", "您好{customer}")
    desk.click("#phrase-form button.primary")  # refused, naming the unknown placeholder under the field
    desk.wait_for_selector("#phrase-form .field-error >> text={customer}")
    screenshot(desk, "kb-phrases")
    desk.goto(f"{live_server.url}/knowledge/{article.pk}/history/")
    screenshot(desk, "kb-history")

    customer = browser.new_context(locale="zh-CN").new_page()  # no login at all
    customer.goto(f"{live_server.url}/help/{article.pk}/")
    _not_pwned(customer)
    customer.click("button[name=helpful][value='1']")
    customer.wait_for_selector("[data-testid=thanks]")
    screenshot(customer, "kb-help-article")
    customer.context.close()
