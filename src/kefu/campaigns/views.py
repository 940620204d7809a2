"""Campaign screens: the supervisor's campaign page (list, progress, distribution) and the agent's calls."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.accounts.models import User
from kefu.accounts.roles import Role
from kefu.campaigns import calllist, selectors, services
from kefu.campaigns.models import CallStatus, CampaignStatus, Outcome, Purpose, is_campaign_manager
from kefu.campaigns.script import PLACEHOLDERS
from kefu.campaigns.services import CallResult, CampaignInput
from kefu.core.errors import ServiceError, ValidationFailed
from kefu.customers.models import Customer
from kefu.surveys.charts import bar_chart
from kefu.surveys.models import Questionnaire
from kefu.surveys.validation import answer_errors, answers_from_post
from kefu.tickets.models import TicketType
from kefu.web.htmx import error_context, form_int, page, render, run_action


def _input(post) -> CampaignInput:
    return CampaignInput(name=post.get("name", ""), purpose=post.get("purpose", ""), script=post.get("script", ""),
                         questionnaire_id=form_int(post.get("questionnaire_id"), "questionnaire_id"),
                         max_attempts=form_int(post.get("max_attempts"), "max_attempts") or 0,
                         retry_minutes=form_int(post.get("retry_minutes"), "retry_minutes") or 0,
                         pull_allowed=post.get("pull_allowed") == "on")


def _form_context(**extra) -> dict:
    return {"purposes": Purpose.choices, "placeholders": PLACEHOLDERS,
            "questionnaires": Questionnaire.objects.filter(active=True).order_by("-created_at"), **extra}


@login_required
@page
def index(request):
    """Campaigns: every one for supervisors, the open ones with free calls for agents."""
    if not request.user.can_handle_tickets():
        services.require_manager(request.user)
    return render(request, "campaigns/index.html", {
        "campaigns": selectors.campaigns_for(request.user), "can_manage": is_campaign_manager(request.user)})


@login_required
@page
def create(request):
    services.require_manager(request.user)
    values = {"max_attempts": 3, "retry_minutes": 120, "pull_allowed": True, "purpose": Purpose.NEW_CUSTOMERS}
    if request.method == "POST":
        try:
            campaign = services.create_campaign(actor=request.user, data=_input(request.POST))
        except ServiceError as exc:
            return render(request, "campaigns/new.html", _form_context(values=request.POST, **error_context(exc)),
                          status=exc.status)
        messages.success(request, _("Campaign created. Add the people to call."))
        return redirect("campaigns:detail", campaign.pk)
    return render(request, "campaigns/new.html", _form_context(values=values))


def _detail_context(request, campaign_id: int, **extra) -> dict:
    campaign = services.load_campaign(request.user, campaign_id)
    status = request.GET.get("status", "")
    page_no = int(request.GET["page"]) if request.GET.get("page", "").isdigit() else 1
    total, calls = selectors.campaign_calls(campaign, status=status if status in CallStatus.values else "",
                                            page=page_no)
    data = selectors.progress(campaign)
    return _form_context(
        campaign=campaign, progress=data, calls=calls, total=total, page=page_no, status=status,
        has_next=page_no * selectors.PAGE_SIZE < total, statuses=CallStatus.choices,
        agents=User.objects.filter(is_active=True, role__in=[Role.AGENT, Role.COMPLAINT_HANDLER, Role.TEAM_LEAD])
        .select_related("team").order_by("team__name", "agent_no"),
        tiers=Customer.Tier.choices,
        agents_chart=bar_chart([(a["agent"], a["done"]) for a in data["agents"]], title=_("Calls made per agent")),
        outcomes_chart=bar_chart([(o["label"], o["count"]) for o in data["outcomes"]], title=_("Outcomes")),
        settings_values=extra.pop("settings_values", None) or {
            "name": campaign.name, "purpose": campaign.purpose, "script": campaign.script,
            "questionnaire_id": campaign.questionnaire_id or "", "max_attempts": campaign.max_attempts,
            "retry_minutes": campaign.retry_minutes, "pull_allowed": campaign.pull_allowed},
        **extra)


def _date(value: str, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(_("Enter a date as YYYY-MM-DD."), code="invalid", field=field) from None


def _import_upload(request, campaign_id: int) -> None:
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationFailed(_("Choose a .csv or .xlsx file."), code="required", field="file")
    count = calllist.import_calls(actor=request.user, campaign_id=campaign_id,
                                  rows=calllist.rows_from_upload(upload.read(), upload.name))
    messages.success(request, _("%(count)s calls added.") % {"count": count})


def _add_customers(request, campaign_id: int) -> None:
    post = request.POST
    result = calllist.add_customers(actor=request.user, campaign_id=campaign_id, filters=calllist.CustomerFilter(
        created_from=_date(post.get("created_from", ""), "created_from"),
        created_until=_date(post.get("created_until", ""), "created_until"),
        tier=post.get("tier", ""), status=post.get("customer_status", "")))
    messages.success(request, _("%(added)s calls added; %(no_phone)s customers have no phone, %(already)s were "
                                "already on the list.") % result)


def _distribute(request, campaign_id: int) -> None:
    ids = [form_int(v, "agent_ids") for v in request.POST.getlist("agent_ids")]
    given = services.distribute_calls(actor=request.user, campaign_id=campaign_id, agent_ids=ids)
    messages.success(request, _("%(count)s calls handed out.") % {"count": sum(given.values())})


@login_required
@page
def detail(request, campaign_id: int):
    """Progress and results per agent, the call list, and the forms to fill and distribute it."""
    services.require_manager(request.user)
    if request.method != "POST":
        return render(request, "campaigns/detail.html", _detail_context(request, campaign_id))
    post, user = request.POST, request.user
    name = post.get("action", "")
    version = lambda: form_int(post.get("version"), "version")  # noqa: E731  read only by the call that needs it
    calls = {
        "settings": lambda: services.update_campaign(actor=user, campaign_id=campaign_id, version=version(),
                                                     data=_input(post)),
        "close": lambda: services.set_campaign_status(actor=user, campaign_id=campaign_id, version=version(),
                                                      status=CampaignStatus.CLOSED),
        "reopen": lambda: services.set_campaign_status(actor=user, campaign_id=campaign_id, version=version(),
                                                       status=CampaignStatus.OPEN),
        "import": lambda: _import_upload(request, campaign_id),
        "customers": lambda: _add_customers(request, campaign_id),
        "distribute": lambda: _distribute(request, campaign_id),
    }
    response = run_action(calls, name, lambda exc: render(
        request, "campaigns/detail.html",
        _detail_context(request, campaign_id, action=name, values=post, **error_context(exc),
                        settings_values=post if name == "settings" else None), status=exc.status))
    return response or redirect("campaigns:detail", campaign_id)


@login_required
@require_POST
@page
def pull(request, campaign_id: int):
    """Take the next free call of a campaign and open it."""
    try:
        call = services.pull_next_call(actor=request.user, campaign_id=campaign_id)
    except ValidationFailed as exc:
        messages.error(request, exc.message)
        return redirect("campaigns:mine")
    if call is None:
        messages.info(request, _("No free calls are due in this campaign."))
        return redirect("campaigns:mine")
    return redirect("campaigns:call", call.pk)


@login_required
@page
def mine(request):
    """The agent's calls still to make, and the campaigns they may pull calls from."""
    services.require_handler(request.user)
    return render(request, "campaigns/mine.html", {
        "calls": selectors.my_calls(request.user),
        "campaigns": [c for c in selectors.campaigns_for(request.user, status=CampaignStatus.OPEN) if c.pull_allowed]})


def _ticket_types() -> list[TicketType]:
    """The types a call can open a ticket of from its screen: those without required custom fields."""
    types = TicketType.objects.filter(active=True).prefetch_related("fields").order_by("position", "code")
    return [t for t in types if not any(f.required for f in t.fields.all())]


def _call_context(request, call, **extra) -> dict:
    return {"call": call, "script": selectors.script_for(call, request.user), "outcomes": Outcome.choices,
            "questionnaire": call.campaign.questionnaire, "events": call.events.select_related("actor"),
            "ticket_types": _ticket_types(), **extra}


@login_required
@page
def call_screen(request, call_id: int):
    """One call: the script filled in, the survey fields, and the result form."""
    services.require_handler(request.user)
    call = services.load_call(request.user, call_id)
    if request.method != "POST":
        return render(request, "campaigns/call.html", _call_context(request, call))
    post = request.POST
    questionnaire = call.campaign.questionnaire
    try:
        if post.get("action") == "ticket":
            ticket = services.open_ticket_from_call(
                actor=request.user, call_id=call.pk, ticket_type=post.get("ticket_type", ""),
                title=post.get("title", ""), description=post.get("description", ""))
            return redirect(ticket.get_absolute_url())
        if post.get("action") == "reveal":
            phone = services.reveal_call_phone(actor=request.user, call_id=call.pk, reason=post.get("reason", ""))
            return render(request, "campaigns/call.html", _call_context(request, call, phone=phone),
                          partial="campaigns/partials/phone.html")
        services.record_call_result(
            actor=request.user, call_id=call.pk, version=form_int(post.get("version"), "version"),
            data=CallResult(result=post.get("result", ""), outcome=post.get("outcome", ""),
                            note=post.get("note", ""),
                            answers=answers_from_post(questionnaire, post) if questionnaire else None))
    except ServiceError as exc:
        if exc.status == 404:
            raise
        extra = error_context(exc)
        if (exc.field or "").startswith("answers"):
            extra["field_errors"] = answer_errors(exc)
        return render(request, "campaigns/call.html", _call_context(request, call, values=post, survey_values=post,
                                                                    **extra), status=exc.status)
    messages.success(request, _("Call result saved."))
    return redirect("campaigns:mine")
