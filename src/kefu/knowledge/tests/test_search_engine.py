"""Articles in the one search: the search page, the knowledge list, the help center and the suggestions while an
agent writes a ticket all rank with kefu.search."""

import pytest

from kefu.knowledge.selectors import list_articles, public_articles, suggest_articles
from kefu.knowledge.services import ArticleInput, create_article, withdraw_article
from kefu.knowledge.tests.conftest import publish
from kefu.search.selectors import search

pytestmark = pytest.mark.django_db


def _article(world, title, body, audience="internal"):
    return publish(world, create_article(actor=world.info_desk, data=ArticleInput(title=title, body=body,
                                                                                 audience=audience)))


def test_writing_a_ticket_about_a_gas_smell_suggests_the_gas_smell_article(world):
    article = _article(world, "闻到燃气味怎么办", "立即关闭阀门，开窗通风，到室外拨打抢修电话。")
    _article(world, "燃气费怎么交", "微信、支付宝或营业厅缴费。")
    assert [a.pk for a in suggest_articles(world.agent, "厨房有燃气味")][:1] == [article.pk]


def test_published_articles_rank_with_tickets_and_drafts_are_not_searched(world, published):
    ticket = world.ticket(title="燃气泄漏报警")
    page = search(world.agent, "泄漏")
    found = {(h.kind, h.object_id) for h in page.hits}
    assert {("article", published["internal"].pk), ("ticket", ticket.pk)} <= found
    drafts = {(h.kind, h.object_id) for h in search(world.agent, "气表更换").hits}
    assert ("article", published["draft"].pk) not in drafts


def test_a_withdrawn_article_leaves_the_index(world, published):
    article = published["internal"]
    withdraw_article(actor=world.info_desk, article_id=article.pk, version=article.version)
    assert [h for h in search(world.agent, "泄漏").hits if h.kind == "article"] == []


def test_the_help_center_searches_public_articles_only_ranked(world, published):
    total, items = public_articles(q="缴费")
    assert (total, [a.pk for a in items]) == (1, [published["public"].pk])
    assert public_articles(q="泄漏") == (0, [])


def test_readers_knowledge_search_ranks_through_the_engine_and_folds_traditional_script(world, published):
    total, items = list_articles(world.agent, q="燃氣費怎麼交")
    assert total >= 1 and items[0].pk == published["public"].pk


def test_anonymous_search_sees_public_articles_and_nothing_else(world, published):
    world.ticket(title="缴费失败")
    page = search(None, "缴费")
    assert [(h.kind, h.object_id) for h in page.hits] == [("article", published["public"].pk)]
