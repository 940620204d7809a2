"""Fact tables of the callback and satisfaction reports (RP1, CB1–CB3).

They are derived data: `kefu.reports.facts` keeps them in step with ticket events (in the event's own
transaction) and `kefu reports rebuild` recomputes them from the events, so they can always be thrown away.
Team and ticket type are read from the ticket when a report is made, so a transferred ticket is reported
under its current team without rewriting facts.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kefu.core.permissions import VIEW, check_action
from kefu.reports.access import CENTER, OWN, TEAM, report_scope

REACHED_OUTCOMES = ("accepted", "not_accepted", "new_need")
# "cancelled": the ticket was reopened or closed another way while the task was open (kefu.callbacks).
OUTCOMES = (*REACHED_OUTCOMES, "unreachable", "not_convenient", "closed_unreachable", "cancelled")


class CaseState(models.TextChoices):
    OPEN = "open", _("Open")
    REACHED = "reached", _("Customer reached")
    CLOSED_UNREACHABLE = "closed_unreachable", _("Closed, customer unreachable")
    CANCELLED = "cancelled", _("Cancelled, no callback needed")


class FactQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = VIEW) -> "FactQuerySet":
        """The whole center, the team lead's team's tickets, or the agent's own callbacks and answers."""
        check_action(action)
        scope = report_scope(user)
        if scope == CENTER:
            return self.all()
        if scope == TEAM and user.team_id:
            return self.filter(ticket__team_id=user.team_id)
        if scope == OWN:
            return self.filter(agent_id=user.pk)
        return self.none()


def _agent_field():
    # No database constraint: the id comes from an event's params, and a bad id must not make the ticket
    # change that emitted the event fail; the report shows an unknown agent as "—".
    return models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
                             db_constraint=False, related_name="+", verbose_name=_("agent"))


class CallbackCase(models.Model):
    """One callback case: the callbacks made after one resolution of a ticket, from the first task to its end."""

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    first_task = models.PositiveBigIntegerField(_("first callback task"))
    started_at = models.DateTimeField(_("started"))
    first_due = models.DateTimeField(_("first due"))
    month = models.DateField(_("month"))  # first day of first_due's month in settings.TIME_ZONE
    state = models.CharField(_("state"), max_length=20, choices=CaseState.choices, default=CaseState.OPEN)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    agent = _agent_field()  # who reached the customer; until then who made or holds the latest attempt

    objects = FactQuerySet.as_manager()

    class Meta:
        ordering = ["first_due", "id"]
        # Facts are keyed within their ticket: task and response ids are unique anyway, and a rebuild that
        # replays a batch of tickets then never meets a row of a ticket outside the batch.
        constraints = [models.UniqueConstraint(fields=["ticket", "first_task"], name="reports_case_unique_task")]
        indexes = [models.Index(fields=["first_due"], name="reports_case_due")]
        verbose_name = _("callback case")
        verbose_name_plural = _("callback cases")

    def __str__(self):
        return f"{self.ticket_id} #{self.first_task} {self.state}"


class CallbackAttempt(models.Model):
    """One callback task of a case (the first call or a retry) and its outcome once it is made."""

    task = models.PositiveBigIntegerField(_("callback task"))
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(CallbackCase, null=True, blank=True, on_delete=models.CASCADE, related_name="attempts")
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    reason = models.CharField(_("reason"), max_length=20, blank=True)
    due = models.DateTimeField(_("due"), null=True, blank=True)
    agent = _agent_field()
    outcome = models.CharField(_("outcome"), max_length=20, blank=True)
    reached = models.BooleanField(_("customer reached"), default=False)
    on_time = models.BooleanField(_("on time"), default=False)
    outcome_at = models.DateTimeField(_("made"), null=True, blank=True)
    month = models.DateField(_("month"), null=True, blank=True)  # of outcome_at, in settings.TIME_ZONE

    objects = FactQuerySet.as_manager()

    class Meta:
        ordering = ["task"]
        constraints = [models.UniqueConstraint(fields=["ticket", "task"], name="reports_attempt_unique_task")]
        indexes = [models.Index(fields=["outcome_at"], name="reports_attempt_made",
                                condition=Q(outcome_at__isnull=False))]
        verbose_name = _("callback attempt")
        verbose_name_plural = _("callback attempts")

    def __str__(self):
        return f"task {self.task} {self.outcome or '-'}"


class SurveyAnswer(models.Model):
    """One answered satisfaction survey: its CSAT (1–5) and NPS (0–10) scores and the agent they rate."""

    response = models.PositiveBigIntegerField(_("survey response"))
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    questionnaire = models.PositiveBigIntegerField(_("questionnaire"), null=True, blank=True)
    via = models.CharField(_("via"), max_length=20, blank=True)
    csat = models.PositiveSmallIntegerField(_("CSAT"), null=True, blank=True)
    nps = models.PositiveSmallIntegerField(_("NPS"), null=True, blank=True)
    agent = _agent_field()
    answered_at = models.DateTimeField(_("answered"), db_index=True)
    month = models.DateField(_("month"))

    objects = FactQuerySet.as_manager()

    class Meta:
        ordering = ["answered_at", "id"]
        constraints = [models.UniqueConstraint(fields=["ticket", "response"], name="reports_answer_unique")]
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")

    def __str__(self):
        return f"response {self.response}"
