"""How survey events read in a ticket's timeline (registered from SurveysConfig.ready)."""

from django.utils.translation import gettext as _

from kefu.surveys.events import SurveyEventCode
from kefu.surveys.models import InviteChannel, Via
from kefu.tickets.timeline import describe


def _label(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else str(value or "")


@describe(SurveyEventCode.SURVEY_ANSWERED)
def _answered(event, names) -> str:
    p = event.params
    parts = [_label(Via, p.get("via"))]
    if p.get("csat") is not None:
        parts.append(_("CSAT %(score)s/5") % {"score": p["csat"]})
    if p.get("nps") is not None:
        parts.append(_("NPS %(score)s/10") % {"score": p["nps"]})
    if p.get("agent"):
        parts.append(_("about %(agent)s") % {"agent": names.user(p["agent"])})
    return "，".join(part for part in parts if part)


@describe(SurveyEventCode.SURVEY_SENT)
def _sent(event, names) -> str:
    return _("link sent by %(channel)s") % {"channel": _label(InviteChannel, event.params.get("channel"))}
