"""In a real browser: the search page lists tickets, customers and articles in one ranking with why each
matched, links a customer hit to the customer page, and the information desk edits the vocabulary."""

import pytest

from kefu.knowledge.services import ArticleInput, create_article
from kefu.knowledge.tests.conftest import publish
from kefu.web.tests.browser import screenshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_one_ranking_with_reasons_and_a_customer_link(world, live_server, new_page):
    world.ticket(title="快递三天没到", customer_id=world.customer.pk)
    world.ticket(title="包裹显示签收但没收到", description="運單號 ＳＦ１２３４５６７８９０")
    publish(world, create_article(actor=world.info_desk, data=ArticleInput(
        title="快递未收到怎么处理", body="运单显示签收但未收到包裹，请先问门卫和快递柜。")))
    agent = new_page(world.agent)
    agent.goto(f"{live_server.url}/search/?q=快递")
    results = agent.inner_text("[data-testid=results]")
    assert "快递三天没到" in results and "快递未收到怎么处理" in results and "包裹显示签收" in results
    assert "同义词：包裹" in agent.inner_text("[data-testid=reasons]")
    screenshot(agent, "search-one-ranking")
    agent.goto(f"{live_server.url}/search/?q=王小明")
    agent.click("[data-kind=customer] a")
    agent.wait_for_url(f"**/customers/{world.customer.pk}/")
    agent.set_viewport_size({"width": 390, "height": 844})
    agent.goto(f"{live_server.url}/search/?q=sf1234567890")
    assert "包裹显示签收" in agent.inner_text("[data-testid=results]")
    screenshot(agent, "search-phone-width")


def test_the_information_desk_edits_the_thesaurus_and_sees_the_rebuild(world, live_server, new_page):
    desk = new_page(world.info_desk)
    desk.goto(f"{live_server.url}/search/vocabulary/")
    desk.fill("details[open] textarea[name=text]", "走字 跑字 转得快")
    desk.click("details[open] >> text=保存并重建索引")
    desk.wait_for_selector("[data-testid=reindex]")
    assert "已保存" in desk.content()
    screenshot(desk, "search-vocabulary")
