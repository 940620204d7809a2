"""The search page: one view renders the whole page or, for htmx, just the results."""

from django.contrib.auth.decorators import login_required
from django.urls import NoReverseMatch, reverse

from kefu.core.errors import ServiceError
from kefu.search import validation as v
from kefu.search.models import Kind
from kefu.search.selectors import SearchPage, search
from kefu.web.htmx import error_context, render

# Where a hit leads; an app that is not installed (articles) leaves its hits without a link.
_DETAIL = {Kind.TICKET: ("tickets:detail", "ticket_id"), Kind.ARTICLE: ("knowledge:article", "article_id")}


def hit_url(hit) -> str:
    name, arg = _DETAIL.get(hit.kind, (None, None))
    if name is None:
        return ""
    try:
        return reverse(name, kwargs={arg: hit.object_id})
    except NoReverseMatch:
        return ""


def _int(value: str | None, field: str) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        from django.utils.translation import gettext as _

        from kefu.core.errors import ValidationFailed

        raise ValidationFailed(_("Enter a whole number."), code="invalid", field=field)
    return int(value)


@login_required
def search_page(request):
    g = request.GET
    context = {"kinds": Kind.choices, "chosen": g.getlist("kind")}
    status = 200
    try:
        result = search(request.user, v.clean_query(g.get("q")), kinds=v.clean_kinds(g.getlist("kind")),
                        ticket_type_id=v.clean_ticket_type(g.get("type")), page=_int(g.get("page"), "page") or 1)
    except ServiceError as exc:
        result, status = SearchPage(query=g.get("q", "")), exc.status
        context.update(error_context(exc))
    hits = [{"hit": h, "url": hit_url(h)} for h in result.hits]
    context.update(result=result, hits=hits,
                   prev_page=result.page - 1 if result.page > 1 else None,
                   next_page=result.page + 1 if result.page < result.pages else None)
    return render(request, "search/search.html", context, partial="search/partials/results.html", status=status)
