"""The satisfaction-survey events on a ticket's history: codes, params, one constructor each.

kefu.reports.facts reads SURVEY_ANSWERED through `AnsweredParams`: add keys, never rename them.
"""

import datetime as dt
from typing import TypedDict

from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.tickets.events import emit


class SurveyEventCode(models.TextChoices):
    """Registered with kefu.tickets.events by SurveysConfig.ready()."""

    SURVEY_SENT = "survey_sent", _("Satisfaction survey sent")
    SURVEY_ANSWERED = "survey_answered", _("Satisfaction survey answered")


class SentParams(TypedDict):
    invitation: int
    questionnaire: int
    channel: str  # kefu.surveys.models.InviteChannel


class AnsweredParams(TypedDict):
    response: int
    questionnaire: int
    via: str  # how it was answered (link, phone, chat …)
    csat: int | None  # 1–5, None when the questionnaire does not ask it
    nps: int | None  # 0–10, None when not asked
    agent: int | None  # the ticket's assignee when it was answered


def survey_sent_event(*, ticket, invitation, questionnaire, channel: str, actor, at: dt.datetime):
    """An invitation to the survey went to the customer."""
    params: SentParams = {"invitation": invitation.pk, "questionnaire": questionnaire.pk, "channel": channel}
    return emit(ticket, SurveyEventCode.SURVEY_SENT, actor=actor, at=at, params=dict(params))


def survey_answered_event(*, ticket, response, questionnaire, via: str, csat: int | None, nps: int | None, actor,
                          at: dt.datetime):
    """The customer answered (appending: the ticket's version does not move)."""
    params: AnsweredParams = {"response": response.pk, "questionnaire": questionnaire.pk, "via": via,
                              "csat": csat, "nps": nps, "agent": ticket.assignee_id}
    return emit(ticket, SurveyEventCode.SURVEY_ANSWERED, actor=actor, at=at, params=dict(params))
