import pytest

from kefu.knowledge.models import Category
from kefu.knowledge.services import ArticleInput, create_article, review_article, submit_for_review


def publish(world, article, *, reviewer=None):
    """Submit and approve as a colleague of the author (reviewer ≠ author)."""
    article = submit_for_review(actor=world.info_desk, article_id=article.pk, version=article.version)
    return review_article(actor=reviewer or world.supervisor, article_id=article.pk, version=article.version,
                          approve=True)


@pytest.fixture
def published(world):
    """Two published articles (one public FAQ, one internal) and one draft."""
    category = Category.objects.create(name="燃气费")
    public = create_article(actor=world.info_desk, data=ArticleInput(
        title="燃气费怎么交", body="可以通过**微信**、支付宝或营业厅缴纳燃气费。\n\n- 微信缴费\n- 营业厅缴费",
        summary="缴费渠道", category_id=category.pk, tags=["缴费"], audience="public", is_faq=True))
    internal = create_article(actor=world.info_desk, data=ArticleInput(
        title="燃气泄漏应急处理", body="立即关闭阀门，开窗通风，派抢修。", tags=["抢修", "泄漏"]))
    draft = create_article(actor=world.info_desk, data=ArticleInput(title="草稿：气表更换", body="内部流程未定",
                                                                    audience="public"))
    return {"public": publish(world, public), "internal": publish(world, internal), "draft": draft,
            "category": category}

