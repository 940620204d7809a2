"""Knowledge pages for staff: list and search, article, write and edit, review, history with diff, suggestions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.errors import ServiceError
from kefu.knowledge import selectors, services
from kefu.knowledge.access import can_manage_knowledge, require_knowledge_manager
from kefu.knowledge.models import ArticleStatus, Audience, Category
from kefu.knowledge.services import ArticleInput
from kefu.web.htmx import error_context, page, render


def _int(value) -> int | None:
    value = str(value or "").strip()
    return int(value) if value.isdigit() else None


@login_required
@page
def article_list(request):
    """Search and filter the articles the user may read; the information desk also sees drafts and reviews."""
    g = request.GET
    page_no = _int(g.get("page")) or 1
    total, items = selectors.list_articles(request.user, q=g.get("q", ""), category_id=_int(g.get("category")),
                                           tag=g.get("tag", ""), status=g.get("status", ""), page=page_no)
    context = {"items": [(a, selectors.reader_copy(request.user, a)) for a in items], "total": total,
               "page": page_no, "has_next": page_no * 20 < total, "categories": Category.objects.all(),
               "statuses": ArticleStatus.choices, "can_manage": can_manage_knowledge(request.user),
               "review_count": len(selectors.review_queue(request.user)), "q": g.get("q", ""),
               "category": _int(g.get("category")), "status": g.get("status", ""), "tag": g.get("tag", "")}
    return render(request, "knowledge/list.html", context, partial="knowledge/partials/results.html")


def _article_context(request, article_id: int, **extra) -> dict:
    article, counts = selectors.article_detail(request.user, article_id)
    return {"article": article, "copy": selectors.reader_copy(request.user, article), "counts": counts,
            "mine": selectors.my_feedback(request.user, article), "can_manage": can_manage_knowledge(request.user),
            "events": selectors.events(request.user, article_id), **extra}


@login_required
@page
def article_detail(request, article_id: int):
    return render(request, "knowledge/article.html", _article_context(request, article_id))


@login_required
@require_POST
@page
def feedback(request, article_id: int):
    """Helpful / not helpful from a colleague; answers with the updated feedback box."""
    try:
        services.give_feedback(actor=request.user, article_id=article_id, helpful=request.POST.get("helpful") == "1",
                               comment=request.POST.get("comment", ""))
        extra = {}
    except ServiceError as exc:
        extra = error_context(exc)
    return render(request, "knowledge/article.html", _article_context(request, article_id, **extra),
                  partial="knowledge/partials/feedback.html")


def _input(post) -> ArticleInput:
    tags = [t for t in post.get("tags", "").replace("，", ",").split(",") if t.strip()]
    return ArticleInput(title=post.get("title", ""), body=post.get("body", ""), summary=post.get("summary", ""),
                        category_id=_int(post.get("category_id")), tags=tags,
                        audience=post.get("audience", Audience.INTERNAL), is_faq=post.get("is_faq") == "on")


def _form(request, article=None, values=None, status=200, **extra):
    context = {"article": article, "values": values or {}, "categories": Category.objects.all(),
               "audiences": Audience.choices, **extra}
    return render(request, "knowledge/edit.html", context, status=status)


@login_required
@page
def article_new(request):
    require_knowledge_manager(request.user)
    if request.method == "POST":
        try:
            article = services.create_article(actor=request.user, data=_input(request.POST))
        except ServiceError as exc:
            return _form(request, values=request.POST, status=422, **error_context(exc))
        messages.success(request, _("Article saved as a draft."))
        return redirect("knowledge:article", article.pk)
    return _form(request, values={"audience": Audience.INTERNAL})


@login_required
@page
def article_edit(request, article_id: int):
    require_knowledge_manager(request.user)
    article = services.load_article(request.user, article_id)
    if request.method == "POST":
        try:
            services.update_article(actor=request.user, article_id=article.pk,
                                    version=_int(request.POST.get("version")) or 0, data=_input(request.POST))
        except ServiceError as exc:
            return _form(request, article, request.POST, status=409 if exc.status == 409 else 422,
                         **error_context(exc))
        messages.success(request, _("New revision saved."))
        return redirect("knowledge:article", article.pk)
    values = {"title": article.title, "body": article.body, "summary": article.summary,
              "category_id": article.category_id or "", "tags": ", ".join(t.name for t in article.tags.all()),
              "audience": article.audience, "is_faq": article.is_faq, "version": article.version}
    return _form(request, article, values)


@login_required
@require_POST
@page
def article_action(request, article_id: int, action: str):
    """Submit for review, approve, reject, withdraw or restore: one service each, back to the article."""
    version = _int(request.POST.get("version")) or 0
    user = request.user
    calls = {
        "submit": lambda: services.submit_for_review(actor=user, article_id=article_id, version=version),
        "approve": lambda: services.review_article(actor=user, article_id=article_id, version=version, approve=True,
                                                   note=request.POST.get("note", "")),
        "reject": lambda: services.review_article(actor=user, article_id=article_id, version=version,
                                                  approve=False, note=request.POST.get("note", "")),
        "withdraw": lambda: services.withdraw_article(actor=user, article_id=article_id, version=version),
        "restore": lambda: services.restore_revision(actor=user, article_id=article_id, version=version,
                                                    revision=_int(request.POST.get("revision")) or 0),
    }
    if action not in calls:
        from django.http import Http404

        raise Http404
    try:
        calls[action]()
    except ServiceError as exc:
        if exc.status == 404:
            raise
        return render(request, "knowledge/article.html",
                      _article_context(request, article_id, **error_context(exc)), status=exc.status)
    messages.success(request, _("Done."))
    return redirect("knowledge:article", article_id)


@login_required
@page
def review_queue(request):
    require_knowledge_manager(request.user)
    return render(request, "knowledge/review.html", {"items": selectors.review_queue(request.user)})


@login_required
@page
def history(request, article_id: int):
    """Every revision with who and when; ?a=&b= shows the diff between two of them."""
    revisions = selectors.revisions(request.user, article_id)
    article = services.load_article(request.user, article_id)
    a, b = _int(request.GET.get("a")), _int(request.GET.get("b"))
    if a is None and len(revisions) > 1:
        a, b = revisions[1].number, revisions[0].number
    diff = selectors.diff_revisions(request.user, article_id, a, b) if a and b else None
    return render(request, "knowledge/history.html", {"article": article, "revisions": revisions, "diff": diff},
                  partial="knowledge/partials/diff.html")


@login_required
@page
def suggest(request):
    """Articles relevant to the ticket text being typed (?text=… or POST text) — a partial for the ticket form."""
    text = request.POST.get("text") or request.GET.get("text") or ""
    # The ticket form sends its fields; title + description are what the customer said.
    text = text or " ".join(request.GET.get(k, "") or request.POST.get(k, "") for k in ("title", "description"))
    items = [(a, selectors.reader_copy(request.user, a)) for a in selectors.suggest_articles(request.user, text)]
    return render(request, "knowledge/partials/suggest.html", {"items": items})
