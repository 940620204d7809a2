"""Articles: versions with diff and restore, review before publishing, visibility, feedback, suggestions."""

import pytest

from kefu.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from kefu.knowledge import selectors
from kefu.knowledge.models import ArticleFeedback, ArticleRevision, ArticleStatus
from kefu.knowledge.services import (
    ArticleInput,
    create_article,
    give_feedback,
    restore_revision,
    review_article,
    submit_for_review,
    update_article,
    withdraw_article,
)

pytestmark = pytest.mark.django_db


def test_every_save_is_a_revision_with_author_and_a_diff(world):
    article = create_article(actor=world.info_desk, data=ArticleInput(title="报修流程", body="第一步\n第二步"))
    article = update_article(actor=world.lead, article_id=article.pk, version=article.version,
                             data=ArticleInput(title="报修流程", body="第一步\n第二步（改）\n第三步"))
    revs = selectors.revisions(world.info_desk, article.pk)
    assert [(r.number, r.created_by_id) for r in revs] == [(2, world.lead.pk), (1, world.info_desk.pk)]
    diff = selectors.diff_revisions(world.info_desk, article.pk, 1, 2)
    assert {"op": "-", "text": "第二步"} in diff["lines"]
    assert {"op": "+", "text": "第三步"} in diff["lines"]
    assert (diff["added"], diff["removed"]) == (2, 1)


def test_restore_makes_a_new_revision_with_the_old_content(world):
    article = create_article(actor=world.info_desk, data=ArticleInput(title="旧标题", body="旧内容", tags=["a"]))
    article = update_article(actor=world.info_desk, article_id=article.pk, version=article.version,
                             data=ArticleInput(title="新标题", body="新内容"))
    article = restore_revision(actor=world.lead, article_id=article.pk, version=article.version, revision=1)
    assert (article.title, article.body, article.current_revision) == ("旧标题", "旧内容", 3)
    assert [t.name for t in article.tags.all()] == ["a"]
    assert ArticleRevision.objects.get(article=article, number=3).restored_from == 1


def test_review_publishes_and_the_author_cannot_approve_their_own_revision(world):
    article = create_article(actor=world.info_desk, data=ArticleInput(title="t", body="b"))
    article = submit_for_review(actor=world.info_desk, article_id=article.pk, version=article.version)
    with pytest.raises(Forbidden) as exc:
        review_article(actor=world.info_desk, article_id=article.pk, version=article.version, approve=True)
    assert exc.value.code == "own_revision"
    with pytest.raises(ValidationFailed) as exc:
        review_article(actor=world.lead, article_id=article.pk, version=article.version, approve=False)
    assert exc.value.field == "note"
    article = review_article(actor=world.lead, article_id=article.pk, version=article.version, approve=True)
    assert article.status == ArticleStatus.PUBLISHED and article.published_revision.number == 1
    assert article.reviewer == world.lead


def test_rejected_article_returns_to_the_author_with_a_note(world):
    article = create_article(actor=world.info_desk, data=ArticleInput(title="t", body="b"))
    article = submit_for_review(actor=world.info_desk, article_id=article.pk, version=article.version)
    article = review_article(actor=world.lead, article_id=article.pk, version=article.version, approve=False,
                             note="数字有误")
    assert (article.status, article.review_note, article.published_revision) == ("rejected", "数字有误", None)
    assert submit_for_review(actor=world.info_desk, article_id=article.pk, version=article.version).status == \
        "in_review"


def test_editing_a_published_article_keeps_the_reviewed_copy_online(world, published):
    article = published["public"]
    update_article(actor=world.info_desk, article_id=article.pk, version=article.version,
                   data=ArticleInput(title="燃气费怎么交（改）", body="未审核的新内容", audience="public"))
    _total, items = selectors.public_articles(q="燃气费")
    assert [a.published_revision.title for a in items] == ["燃气费怎么交"]
    got, _counts = selectors.article_detail(world.agent, article.pk)
    assert selectors.reader_copy(world.agent, got)["body"].startswith("可以通过")
    assert selectors.reader_copy(world.info_desk, got)["body"] == "未审核的新内容"


def test_agents_read_only_published_articles_and_cannot_write(world, published):
    _total, items = selectors.list_articles(world.agent)
    assert {a.pk for a in items} == {published["public"].pk, published["internal"].pk}
    with pytest.raises(NotFound):
        selectors.article_detail(world.agent, published["draft"].pk)
    with pytest.raises(Forbidden):
        create_article(actor=world.agent, data=ArticleInput(title="t", body="b"))


def test_help_center_shows_only_published_public_articles(world, published):
    total, items = selectors.public_articles()
    assert (total, [a.pk for a in items]) == (1, [published["public"].pk])
    with pytest.raises(NotFound):
        selectors.public_article(published["internal"].pk)
    withdraw_article(actor=world.lead, article_id=published["public"].pk, version=published["public"].version)
    assert selectors.public_articles()[0] == 0


def test_feedback_is_one_per_user_or_session_and_can_change(world, published):
    article = published["public"]
    give_feedback(actor=world.agent, article_id=article.pk, helpful=True)
    give_feedback(actor=world.agent, article_id=article.pk, helpful=False)
    give_feedback(actor=None, article_id=article.pk, helpful=True, session_key="s1")
    give_feedback(actor=None, article_id=article.pk, helpful=True, session_key="s1")
    assert ArticleFeedback.objects.filter(article=article).count() == 2
    _a, counts = selectors.article_detail(world.agent, article.pk)
    assert counts == {"helpful": 1, "not_helpful": 1}
    with pytest.raises(NotFound):  # anonymous visitors rate public articles only
        give_feedback(actor=None, article_id=published["internal"].pk, helpful=True, session_key="s1")


def test_stale_edit_is_refused(world):
    article = create_article(actor=world.info_desk, data=ArticleInput(title="t", body="b"))
    update_article(actor=world.lead, article_id=article.pk, version=1, data=ArticleInput(title="t2", body="b"))
    with pytest.raises(Conflict):
        update_article(actor=world.info_desk, article_id=article.pk, version=1, data=ArticleInput(title="t3", body="b"))


def test_suggestions_rank_articles_by_the_tickets_words(world, published):
    found = selectors.suggest_articles(world.agent, "客户说家里有燃气泄漏的味道，要求抢修")
    assert found[0].pk == published["internal"].pk
    found = selectors.suggest_articles(world.agent, "燃气费在哪里缴费")
    assert found[0].pk == published["public"].pk
    assert published["draft"].pk not in {a.pk for a in selectors.suggest_articles(world.agent, "气表更换")}
    assert selectors.suggest_articles(world.agent, "") == []


def test_api_round_trip_and_public_help_center_without_login(world, api, client, published):
    api.as_user(world, world.info_desk)
    created = api.post("/knowledge/articles", {"title": "停气通知", "body": "本周三停气", "audience": "public"})
    assert created.status_code == 201 and created.json()["status"] == "draft"
    art = created.json()
    art = api.post(f"/knowledge/articles/{art['id']}/submit", {"version": art["version"]}).json()
    own = api.post(f"/knowledge/articles/{art['id']}/review", {"version": art["version"], "approve": True})
    assert (own.status_code, own.json()["error"]["code"]) == (403, "own_revision")
    api.as_user(world, world.supervisor)
    assert api.post(f"/knowledge/articles/{art['id']}/review",
                    {"version": art["version"], "approve": True}).json()["published"] is True
    listing = client.get("/api/v1/help/articles?q=停气").json()
    assert [a["title"] for a in listing["items"]] == ["停气通知"]
    assert client.get(f"/api/v1/help/articles/{published['internal'].pk}").status_code == 404
    api.as_user(world, world.agent)
    suggested = api.post("/knowledge/suggest", {"text": "燃气泄漏"}).json()
    assert suggested[0]["id"] == published["internal"].pk


def test_article_list_costs_a_fixed_number_of_queries(world, api, django_assert_max_num_queries):
    from kefu.knowledge.tests.conftest import publish

    for i in range(12):
        publish(world, create_article(actor=world.info_desk, data=ArticleInput(title=f"文章{i}", body="内容",
                                                                                tags=["x", f"t{i}"])))
    api.as_user(world, world.agent)
    with django_assert_max_num_queries(9):
        assert api.get("/knowledge/articles").json()["count"] == 12
