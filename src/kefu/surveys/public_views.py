"""The public survey page (/s/<token>/): no login, answered once, 404 for an unknown link, 410 once expired."""

from django.http import Http404
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache

from kefu.core.errors import NotFound, ServiceError
from kefu.surveys import services
from kefu.surveys.validation import answer_errors, answers_from_post


def _page(request, template: str, context: dict, status: int = 200):
    response = TemplateResponse(request, f"surveys/public/{template}", context, status=status)
    response["X-Robots-Tag"] = "noindex"  # the token is the only secret: keep links out of search engines
    return response


@never_cache
def take(request, token: str):
    """Show the questionnaire of a valid link and take its answers once."""
    try:
        invitation = services.invitation_for_token(token)
    except NotFound:
        raise Http404 from None
    except services.Gone:
        return _page(request, "expired.html", {}, status=410)
    questionnaire = invitation.questionnaire
    if invitation.answered_at is not None:
        return _page(request, "done.html", {"questionnaire": questionnaire, "already": True},
                     status=409 if request.method == "POST" else 200)
    context = {"questionnaire": questionnaire, "ticket_number": invitation.ticket.number}
    if request.method != "POST":
        return _page(request, "take.html", context)
    try:
        services.answer_invitation(token=token, answers=answers_from_post(questionnaire, request.POST))
    except services.Gone:
        return _page(request, "expired.html", {}, status=410)
    except ServiceError as exc:
        if exc.code == "already_answered":
            return _page(request, "done.html", {"questionnaire": questionnaire, "already": True}, status=409)
        return _page(request, "take.html", {**context, "survey_values": request.POST,
                                            "field_errors": answer_errors(exc)}, status=exc.status)
    return _page(request, "done.html", {"questionnaire": questionnaire, "already": False})
