"""The public help center (网站服务中心 常见问题): no login, published public articles only."""

from django.views.decorators.http import require_POST

from kefu.core.errors import ServiceError
from kefu.knowledge import selectors, services
from kefu.knowledge.models import Category
from kefu.web.htmx import error_context, page, render


def _session_key(request) -> str:
    # Anonymous feedback is one answer per browser session; the session is made on the first answer.
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key


@page
def index(request):
    q = request.GET.get("q", "")
    category = request.GET.get("category", "")
    page_no = int(request.GET.get("page", "1")) if request.GET.get("page", "1").isdigit() else 1
    total, items = selectors.public_articles(q=q, category_id=int(category) if category.isdigit() else None,
                                             page=page_no)
    context = {"items": items, "total": total, "q": q, "page": page_no, "has_next": page_no * 20 < total,
               "categories": Category.objects.filter(articles__published_revision__isnull=False,
                                                     articles__audience="public").distinct(),
               "category": int(category) if category.isdigit() else None}
    return render(request, "knowledge/help/index.html", context, partial="knowledge/help/results.html")


def _article_context(request, article_id: int, **extra) -> dict:
    article = selectors.public_article(article_id)
    return {"article": article, "rev": article.published_revision,
            "mine": selectors.my_feedback(request.user if request.user.is_authenticated else None, article,
                                          session_key=request.session.session_key or ""), **extra}


@page
def article(request, article_id: int):
    return render(request, "knowledge/help/article.html", _article_context(request, article_id))


@require_POST
@page
def feedback(request, article_id: int):
    extra = {}
    try:
        services.give_feedback(actor=None, article_id=article_id, helpful=request.POST.get("helpful") == "1",
                               session_key=_session_key(request), comment=request.POST.get("comment", ""))
    except ServiceError as exc:
        if exc.status == 404:
            raise
        extra = error_context(exc)
    return render(request, "knowledge/help/article.html", _article_context(request, article_id, **extra),
                  partial="knowledge/help/feedback.html")
