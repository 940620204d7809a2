"""Quality pages: the inspector's queue, a contact with its score form, evaluations, appeals, calibration,
the automatic checks' trend and settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.errors import ServiceError
from kefu.quality import selectors, services
from kefu.quality.access import can_decide, can_inspect
from kefu.quality.checks import KINDS
from kefu.quality.models import Calibration, SamplingPlan, Scorecard
from kefu.quality.services.common import clean_month, local_month
from kefu.quality.services.config import check_rules
from kefu.web.htmx import error_context, form_int, is_htmx, page, render


def _month(request):
    value = request.GET.get("month") or request.POST.get("month")
    try:
        return clean_month(value) if value else local_month(timezone.now())
    except ServiceError:
        return local_month(timezone.now())


@login_required
@page
def queue(request):
    """Inspectors land here: the samples waiting for them; everyone else goes to their evaluations."""
    if not can_inspect(request.user):
        return redirect("quality:evaluations")
    month = _month(request)
    return render(request, "quality/queue.html", {
        "samples": selectors.queue(request.user, month=month), "month": month, "can_decide": can_decide(request.user),
        "appeals": selectors.open_appeals(request.user) if can_decide(request.user) else []})


@login_required
@require_POST
@page
def sample(request):
    """Gather this month's contacts and sample them by the plans (supervisors)."""
    month = _month(request)
    try:
        result = services.sample_month(actor=request.user, month=month)
    except ServiceError as exc:
        if exc.status == 403:
            raise PermissionDenied(str(exc.message)) from None
        messages.error(request, str(exc.message))
        return redirect("quality:queue")
    messages.success(request, _("%(contacts)d contacts checked, %(sampled)d newly sampled.") % result)
    return redirect(f"{redirect('quality:queue').url}?month={month:%Y-%m}")


def _deductions(post, card) -> tuple[dict, list]:
    deductions = {}
    for item in card.items:
        if not item["fatal"]:
            value = form_int(post.get(f"d_{item['code']}"), f"deductions.{item['code']}")
            if value:
                deductions[item["code"]] = value
    return deductions, [code for code in post.getlist("fatal") if code]


def _comments(post) -> list:
    out = []
    for i, text in enumerate(post.getlist("comment_text")):
        if text.strip():
            lines, seconds = post.getlist("comment_line"), post.getlist("comment_second")
            out.append(services.CommentInput(
                text=text, line=form_int(lines[i] if i < len(lines) else "", f"comments[{i}].line"),
                second=form_int(seconds[i] if i < len(seconds) else "", f"comments[{i}].second")))
    return out


def _contact_context(request, contact_id: int, **extra) -> dict:
    contact, data = selectors.contact_detail(request.user, contact_id)
    evaluation = selectors.evaluation_of(request.user, contact)
    user = request.user
    card = evaluation.card if evaluation else None
    if card is None and can_inspect(user) and contact.agent_id != user.pk:
        card = services.scoring.card_for(contact)
    appeal = evaluation.appeals.all()[0] if evaluation and evaluation.appeals.all() else None
    return {"contact": contact, "data": data, "evaluation": evaluation, "card": card, "appeal": appeal,
            "can_score": evaluation is None and can_inspect(user) and contact.agent_id != user.pk,
            "can_appeal": evaluation is not None and evaluation.agent_id == user.pk and appeal is None,
            "can_decide": appeal is not None and appeal.state == "open" and can_decide(user)
            and evaluation.agent_id != user.pk,
            "checks": contact.checks, **extra}


@login_required
@page
def contact(request, contact_id: int):
    """One contact: its transcript and checks, the score form, the evaluation, the appeal and its decision."""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            ctx = _contact_context(request, contact_id)
            _act(request, action, ctx)
        except ServiceError as exc:
            if exc.status == 404:
                raise
            return render(request, "quality/contact.html",
                          {**_contact_context(request, contact_id), **error_context(exc)}, status=exc.status)
        messages.success(request, _("Saved."))
        return redirect("quality:contact", contact_id)
    return render(request, "quality/contact.html", _contact_context(request, contact_id))


def _act(request, action: str, ctx: dict) -> None:
    post, user = request.POST, request.user
    if action == "score" and ctx["card"] is not None:
        deductions, fatal = _deductions(post, ctx["card"])
        services.score_contact(actor=user, contact_id=ctx["contact"].pk, deductions=deductions, fatal=fatal,
                               comments=_comments(post), note=post.get("note", ""))
    elif action == "appeal" and ctx["evaluation"] is not None:
        services.file_appeal(actor=user, evaluation_id=ctx["evaluation"].pk, reason=post.get("reason", ""))
    elif action in ("keep", "change") and ctx["appeal"] is not None:
        deductions, fatal = _deductions(post, ctx["evaluation"].card) if action == "change" else ({}, [])
        services.decide_appeal(actor=user, appeal_id=ctx["appeal"].pk, change=action == "change",
                               decision=post.get("decision", ""), deductions=deductions, fatal=fatal)
    else:
        raise PermissionDenied


@login_required
@page
def evaluations(request):
    """The evaluations the user may read: an agent's own, a team lead's team, QA and management all."""
    month = _month(request) if request.GET.get("month") else None
    return render(request, "quality/evaluations.html", {
        "evaluations": selectors.evaluations(request.user, month=month), "month": month,
        "appeals": selectors.open_appeals(request.user) if can_decide(request.user) else []})


@login_required
@page
def trend(request):
    """The automatic checks per agent and month: how many contacts failed one."""
    return render(request, "quality/trend.html", {"rows": selectors.check_trend(request.user)})


@login_required
@page
def calibrations(request):
    """Calibration sessions; supervisors start one from contact ids."""
    if not can_inspect(request.user):
        raise PermissionDenied
    ctx = {"sessions": selectors.calibrations(request.user), "can_decide": can_decide(request.user)}
    if request.method == "POST":
        try:
            ids = [form_int(v, "contact_ids") for v in request.POST.get("contact_ids", "").replace("，", ",").split(",")
                   if v.strip()]
            session = services.create_calibration(actor=request.user, title=request.POST.get("title", ""),
                                                  contact_ids=ids)
        except ServiceError as exc:
            if exc.status in (403, 404):
                raise
            return render(request, "quality/calibrations.html", {**ctx, **error_context(exc)}, status=422)
        return redirect("quality:calibration", session.pk)
    return render(request, "quality/calibrations.html", ctx)


@login_required
@page
def calibration(request, calibration_id: int):
    """A session: every inspector's scores per contact, spread, agreement and the reference."""
    if not can_inspect(request.user):
        raise PermissionDenied
    session = Calibration.objects.filter(pk=calibration_id).first()
    if session is None:
        from django.http import Http404

        raise Http404
    error = {}
    if request.method == "POST":
        try:
            contact_id = form_int(request.POST.get("contact_id"), "contact_id")
            if request.POST.get("action") == "reference":
                services.set_reference(actor=request.user, calibration_id=session.pk, contact_id=contact_id,
                                       score=form_int(request.POST.get("score"), "score") or 0)
            else:
                card = services.scoring.card_for(session.contacts.get(pk=contact_id))
                deductions, fatal = _deductions(request.POST, card)
                services.calibrate(actor=request.user, calibration_id=session.pk, contact_id=contact_id,
                                   deductions=deductions, fatal=fatal)
            return redirect("quality:calibration", session.pk)
        except ServiceError as exc:
            if exc.status in (403, 404):
                raise
            error = error_context(exc)
        session.refresh_from_db()
    summary = selectors.calibration_summary(session)
    for row in summary["contacts"]:
        row["card"] = services.scoring.card_for(row["contact"])
        row["mine"] = any(s.inspector_id == request.user.pk for s in row["by"])
    return render(request, "quality/calibration.html", {**summary, "can_decide": can_decide(request.user),
                                                        **error}, status=422 if error else 200)


def _split(text: str) -> list[str]:
    for sep in ("，", "、", "\n"):
        text = text.replace(sep, ",")
    return text.split(",")


@login_required
@page
def settings_page(request):
    """The supervisor edits the checks' word lists and limits and the teams' sampling plans."""
    if not can_decide(request.user):
        raise PermissionDenied
    rules, error = check_rules(), {}
    if request.method == "POST":
        try:
            if request.POST.get("action") == "plan":
                services.save_plan(actor=request.user, team_id=form_int(request.POST.get("team_id"), "team_id") or 0,
                                   per_agent=form_int(request.POST.get("per_agent"), "per_agent") or 0,
                                   complaints="complaints" in request.POST, low_surveys="low_surveys" in request.POST,
                                   check_failures="check_failures" in request.POST)
            else:
                words = {kind: _split(request.POST.get(kind, "")) for kind in KINDS}
                limits = {key: form_int(request.POST.get(key), f"limits.{key}") or 0
                          for key in ("first_reply", "talk", "hold", "silence")}
                services.update_check_rules(actor=request.user, version=form_int(request.POST.get("version"),
                                                                                 "version") or 0,
                                            words=words, limits=limits)
            messages.success(request, _("Saved."))
            return redirect("quality:settings")
        except ServiceError as exc:
            error = error_context(exc)
    from kefu.accounts.models import Team

    plans = {p.team_id: p for p in SamplingPlan.objects.all()}
    teams = [(team, plans.get(team.pk)) for team in Team.objects.filter(is_field_crew=False).order_by("name")]
    lists = [(kind, rules._meta.get_field(kind).verbose_name, ", ".join(getattr(rules, kind))) for kind in KINDS]
    return render(request, "quality/settings.html", {"rules": rules, "lists": lists, "teams": teams, **error},
                  status=422 if error else 200)


# -- scorecards (QA1): the supervisor lists, creates and edits cards through the same service as the API -----

BLANK_ROWS = 3  # empty rows under a card's items, so a supervisor can add items without a script


def _order(value: str, default: int) -> int:
    """Where a row goes; a row without a usable number keeps its place."""
    try:
        return int(value)
    except ValueError:
        return default


def _typed_rows(post) -> list[dict]:
    """The item rows as typed, in the order asked (rows left wholly empty are dropped); the service's errors
    name items by their index in this list, so the page shows the rows in exactly this order."""
    rows = []
    count = post.get("rows", "")
    for i in range(min(int(count), 200) if count.isdigit() else 0):
        row = {key: (post.get(f"{key}_{i}") or "").strip()
               for key in ("code", "category", "label", "points", "order")}
        row["fatal"] = f"fatal_{i}" in post
        if any(row[key] for key in ("code", "category", "label", "points")) or row["fatal"]:
            rows.append((i, row))
    rows.sort(key=lambda pair: (_order(pair[1]["order"], pair[0]), pair[0]))
    return [row for _, row in rows]


def _items(rows: list[dict]) -> list:
    items = []
    for i, row in enumerate(rows):
        points = form_int(row["points"], f"items[{i}].points")
        items.append(services.ItemInput(code=row["code"], category=row["category"], label=row["label"],
                                        points=points or 0, fatal=row["fatal"]))
    return items


def _card_rows(items: list[dict]) -> list[dict]:
    return [{"code": i["code"], "category": i.get("category", ""), "label": i["label"], "points": str(i["points"]),
             "fatal": bool(i.get("fatal")), "order": str(n + 1)} for n, i in enumerate(items)]


def _scorecard_form(request, card):
    """Save the posted card (a new one when `card` is None) or render the form with what was typed and the error
    under the field the service named; a stale version keeps the typing and shows the 409 message."""
    error, status = {}, 200
    if request.method == "POST":
        rows, name = _typed_rows(request.POST), request.POST.get("name", "")
        try:
            saved = services.save_scorecard(
                actor=request.user, scorecard_id=card.pk if card else None, name=name, items=_items(rows),
                version=(form_int(request.POST.get("version"), "version") if card else None))
            messages.success(request, _("Scorecard saved."))
            target = redirect("quality:scorecard", scorecard_id=saved.pk)
            if is_htmx(request):
                # htmx would swap a followed redirect into the form; let it load the saved card's page instead
                return HttpResponse(status=204, headers={"HX-Redirect": target.url})
            return target
        except ServiceError as exc:
            if exc.status == 403:
                raise PermissionDenied(str(exc.message)) from None
            error, status = error_context(exc), exc.status
        version = request.POST.get("version", "")
    else:
        rows = _card_rows(card.current.items if card and card.current else [])
        name, version = (card.name if card else ""), (card.version if card else "")
    for _n in range(BLANK_ROWS):
        rows.append({"code": "", "category": "", "label": "", "points": "", "fatal": False,
                     "order": str(len(rows) + 1)})
    field_errors = error.get("field_errors", {})
    for i, row in enumerate(rows):
        row["errors"] = {key: field_errors.get(f"items[{i}].{key}") for key in ("code", "label", "points")}
    cards = Scorecard.objects.select_related("current").order_by("name")
    return render(request, "quality/scorecards.html", {
        "cards": cards, "card": card, "name": name, "version": version, "rows": rows, **error},
        partial="quality/partials/scorecard_form.html", status=status)


@login_required
@page
def scorecards(request):
    """The scorecards and a form for a new one (supervisors and above)."""
    if not can_decide(request.user):
        raise PermissionDenied
    return _scorecard_form(request, None)


@login_required
@page
def scorecard(request, scorecard_id: int):
    """One scorecard's items to edit; saving makes a new version (old evaluations keep theirs)."""
    if not can_decide(request.user):
        raise PermissionDenied
    card = Scorecard.objects.select_related("current").filter(pk=scorecard_id).first()
    if card is None:
        from django.http import Http404

        raise Http404
    return _scorecard_form(request, card)
