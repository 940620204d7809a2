"""The search page (one view renders the whole page or, for htmx, just the results) and the vocabulary page."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from kefu.core.errors import ServiceError, ValidationFailed
from kefu.search import defaults, services
from kefu.search import validation as v
from kefu.search.models import Kind, VocabularyList
from kefu.search.selectors import SearchPage, search
from kefu.web.htmx import error_context, render

# Where a hit leads; an app that is not installed (articles) leaves its hits without a link.
_DETAIL = {Kind.TICKET: ("tickets:detail", "ticket_id"), Kind.ARTICLE: ("knowledge:article", "article_id"),
           Kind.CUSTOMER: ("customers:detail", "customer_id")}


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
        raise ValidationFailed(_("Enter a whole number."), code="invalid", field=field)
    return int(value)


def _date(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(_("Enter a date as YYYY-MM-DD."), code="invalid", field=field) from None


def _filters(user) -> dict:
    """The choices of the filter form: ticket types, statuses and the teams the user may pick."""
    from kefu.accounts.models import Team
    from kefu.tickets.models import Status, TicketType

    return {"types": list(TicketType.objects.order_by("code").values_list("code", "name")),
            "statuses": Status.choices, "teams": list(Team.objects.order_by("name").values_list("pk", "name"))}


@login_required
def search_page(request):
    g = request.GET
    context = {"kinds": Kind.choices, "chosen": g.getlist("kind"), "form": g,
               "can_edit_vocabulary": services.can_edit_vocabulary(request.user), **_filters(request.user)}
    status = 200
    try:
        result = search(request.user, v.clean_query(g.get("q")), kinds=v.clean_kinds(g.getlist("kind")),
                        ticket_type_id=v.clean_ticket_type(g.get("type")), status=g.get("status", ""),
                        team_id=_int(g.get("team"), "team"), created_from=_date(g.get("from"), "from"),
                        created_to=_date(g.get("to"), "to"), page=_int(g.get("page"), "page") or 1)
    except ServiceError as exc:
        result, status = SearchPage(query=g.get("q", "")), exc.status
        context.update(error_context(exc))
    hits = [{"hit": h, "url": hit_url(h)} for h in result.hits]
    context.update(result=result, hits=hits,
                   prev_page=result.page - 1 if result.page > 1 else None,
                   next_page=result.page + 1 if result.page < result.pages else None)
    return render(request, "search/search.html", context, partial="search/partials/results.html", status=status)


def _lists() -> list[dict]:
    labels = {"general": _("General"), "gas": _("Gas"), "broadband": _("Broadband"), "telecom": _("Telecom"),
              "shop": _("E-commerce"), "game": _("Games"), "property": _("Property")}
    out = []
    for list_, industry in services.lists():
        text, version = services.list_text(list_, industry)
        title = (_("Thesaurus") if list_ == VocabularyList.THESAURUS
                 else _("Domain dictionary: %(industry)s") % {"industry": labels[industry]})
        out.append({"list": list_, "industry": industry, "text": text, "version": version, "title": title,
                    "lines": len(defaults.lines(text))})
    return out


@login_required
def vocabulary_page(request):
    """The thesaurus and the domain dictionaries, editable by the information desk; the rebuild's progress."""
    status, context = 200, {}
    if request.method == "POST":
        p = request.POST
        try:
            services.save_vocabulary(actor=request.user, list=p.get("list", ""), industry=p.get("industry", ""),
                                     text=p.get("text", ""), version=_int(p.get("version"), "version") or 0)
            messages.success(request, _("Saved. The search index is being rebuilt; search keeps working meanwhile."))
            return redirect("search:vocabulary")
        except ServiceError as exc:
            status = exc.status
            context.update(error_context(exc), failed=(p.get("list"), p.get("industry", "")), typed=p.get("text"))
    context.update(lists=_lists(), job=services.latest_job(), can_edit=services.can_edit_vocabulary(request.user))
    return render(request, "search/vocabulary.html", context, partial="search/partials/reindex.html", status=status)
